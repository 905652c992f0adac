"""The stack wiring of the console's flows (``comprehend_jobs.console``): a flow's config
as a ``ComprehendAnalysis``, its outputs, and the rule that refuses placeholder models.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import aws_cdk as cdk
from aws_cdk import Annotations

from comprehend_jobs._private.console_rules import s3_route_problem
from comprehend_jobs.network import S3_ROUTE_WARNING, JobNetwork
from comprehend_jobs.pattern import ComprehendAnalysis

if TYPE_CHECKING:
    from comprehend_jobs.console import ConsoleConfig, Flow

#: The placeholder model of each flow, in the stack's own partition, Region and account.
PLACEHOLDERS = {
    "recognizer_arn": "entity-recognizer/comprehend-jobs-example",
    "classifier_arn": "document-classifier/comprehend-jobs-example",
}


def refuse_deploy(stack: cdk.Stack) -> None:
    """A CloudFormation rule that fails any deployment of a placeholder stack before a
    single resource is made."""
    cdk.CfnRule(
        stack,
        "PlaceholderModelsCannotBeDeployed",
        assertions=[
            cdk.CfnRuleAssertion(
                assert_=cdk.Fn.condition_equals("placeholder model", "real model"),
                assert_description="This stack was synthesized with example_models=true: "
                "its model is a placeholder. Deploy with -c recognizer_arn=... or "
                "-c classifier_arn=... instead.",
            )
        ],
    )


def add_flow(stack: cdk.Stack, config: ConsoleConfig, flow: Flow, root: Path) -> None:
    """The flow's ``ComprehendAnalysis`` in ``stack``, configured by ``config``, with its
    outputs; on a placeholder model, the rule that refuses to deploy the stack."""
    model = config.models.get(flow.model_key)
    flywheel = config.flywheels.get(flow.model_key)
    if model is None and flywheel is None:
        model = (
            f"arn:{cdk.Aws.PARTITION}:comprehend:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:"
            f"{PLACEHOLDERS[flow.model_key]}"
        )
        refuse_deploy(stack)
    vpc: JobNetwork | bool = config.vpc
    if config.vpc and config.subnet_ids and config.security_group_ids:
        vpc = JobNetwork.from_ids(
            stack,
            "Network",
            subnet_ids=config.subnet_ids,
            security_group_ids=config.security_group_ids,
            # The console answers the routes question itself, below: the construct's own
            # warning would offer its Python prop, which a command-line user cannot set
            # (without the VPC, False and None differ only in that warning).
            s3_gateway_endpoint=False,
        )
        if not config.subnets_reach_s3:
            Annotations.of(vpc).add_warning_v2(
                S3_ROUTE_WARNING, s3_route_problem(config.subnet_ids)
            )
    documents = config.input_documents
    if documents is None and config.input_s3_uri is None:
        # The flow makes the input bucket: a job on an empty new bucket would find nothing.
        documents = flow.samples
    job_name = config.job_name
    if job_name and len(config.models) + len(config.flywheels) > 1:
        job_name = f"{job_name}-{flow.job_suffix}"
    analysis = ComprehendAnalysis(
        stack,
        flow.construct_id,
        network=vpc,
        # The console's key fields are the pattern's: a key it still makes keeps its path.
        encryption=config.encryption,
        volume_key=config.volume_kms_key_id,
        output_key=config.output_kms_key_id,
        input_bucket_key=config.input_kms_key_id,
        input_s3_uri=config.input_s3_uri,
        output_s3_uri=config.output_s3_uri,
        input_documents=None if documents is None else str(root / documents),
        input_format=config.input_format,
        document_reader=config.document_reader,
        job_name=job_name,
        tags=config.tags,
        wait_for_completion=config.wait_for_completion,
        rerun_token=config.rerun_token,
        recognizer_arn=model if flow.model_key == "recognizer_arn" else None,
        classifier_arn=model if flow.model_key == "classifier_arn" else None,
        flywheel_arn=flywheel,
        flywheel_model_type=None if flywheel is None else flow.flywheel_model_type,
    )
    outputs = {
        "JobArn": (analysis.job.job_arn, "The Comprehend job this stack started"),
        "InputS3Uri": (analysis.storage.input_s3_uri, "The documents the job reads"),
        "OutputS3Uri": (
            analysis.storage.output_s3_uri,
            "Comprehend writes the results under this prefix",
        ),
    }
    for output_id, (value, description) in outputs.items():
        cdk.CfnOutput(stack, output_id, value=value, description=description)
