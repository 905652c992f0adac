"""The example app's resources built from aws-cdk-lib alone: the floor of its synth time.

Each stack here holds the same resources as the stack ``app.py`` makes for its flow with
every default (``tests/test_bench_floor.py`` checks that each resource type appears as
many times in both, that the functions have the same settings and that the upload takes
the same properties): 3 KMS keys, 3 buckets with their policies, a 2-AZ isolated VPC with
an S3 gateway endpoint, flow logs and a security group with its rules, the upload of the
flow's sample documents (a ``BucketDeployment`` on a function of its own, 1024 MiB with
512 MiB of ephemeral storage, and one role, log group and managed policy under the
handler, as the library runs every upload of a stack), 8 roles, 7 managed policies (the grants
aws-cdk-lib makes inline are moved into managed ones, as the app does), 6 log groups,
7 functions, a ``custom_resources.Provider`` with its waiter state machine, the job's
custom resource, the placeholder-model rule and the three outputs. It is made with plain
aws-cdk-lib constructs and none of this library's code or checks: the benchmark compares
it with ``app.py`` to tell how much of the app's synth time is aws-cdk-lib's work on these
resources, and how much is the library's and cdk-nag's.

Run it as ``python bench/floor.py`` (what ``bench/run.py app`` times): an App with cdk.json's
context, as ``python app.py`` makes, and no import of this library. ``python bench/floor.py
--packs`` also runs the four cdk-nag packs the app runs, each as a validation plugin over the
same constructs (``run_packs``): the floor of an app that runs those packs.

It is an approximation for timing only: the properties, policies and acknowledgments are
not exactly the library's, and nothing here is meant to be deployed.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import aws_stepfunctions as sfn
from aws_cdk import custom_resources as cr
from constructs import Construct

ROOT = Path(__file__).resolve().parent.parent
HANDLER_CODE = ROOT / "lambda"
#: Not code the handler needs (the app's asset leaves the same files out).
HANDLER_EXCLUDES = ["__pycache__", "*.pyc", ".mypy_cache", ".pytest_cache"]
#: The stack-level ID BucketDeployment gives the function it runs with memory_limit=1024
#: and ephemeral_storage_size=512 MiB (the library's upload function).
UPLOAD_FUNCTION_ID = "Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C1024MiB512MiB"


@dataclass(frozen=True)
class FloorFlow:
    """What differs between the app's two stacks: the model kind and the sample folder."""

    job_type: str
    model_property: str
    model_resource: str
    samples: str


#: The app's two flows, by the floor stack's ID (``comprehend_jobs.console.FLOWS``, in its order).
FLOWS = {
    "FloorEntities": FloorFlow(
        "EntitiesDetection",
        "EntityRecognizerArn",
        "entity-recognizer/comprehend-jobs-example",
        "samples/entity-recognition",
    ),
    "FloorClassification": FloorFlow(
        "DocumentClassification",
        "DocumentClassifierArn",
        "document-classifier/comprehend-jobs-example",
        "samples/classification",
    ),
}


def floor_app(app: cdk.App) -> list[cdk.Stack]:
    """Both of the app's stacks, from aws-cdk-lib only, in ``app``."""
    return [floor_stack(app, stack_id) for stack_id in FLOWS]


def _managed(scope: Construct, id: str, role: iam.Role) -> iam.ManagedPolicy:
    """Move what aws-cdk-lib granted into ``role``'s inline default policy to a managed
    policy (the app keeps every grant managed)."""
    inline = role.node.find_child("DefaultPolicy")
    assert isinstance(inline, iam.Policy)
    managed = iam.ManagedPolicy(scope, id, document=inline.document, roles=[role])
    role.node.try_remove_child("DefaultPolicy")
    return managed


def _log_group(scope: Construct, id: str, key: kms.IKey) -> logs.LogGroup:
    return logs.LogGroup(
        scope,
        id,
        encryption_key=key,
        retention=logs.RetentionDays.ONE_YEAR,
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )


def _log_write(log_group: logs.ILogGroup) -> iam.PolicyStatement:
    return iam.PolicyStatement(
        actions=["logs:CreateLogStream", "logs:PutLogEvents"],
        resources=[log_group.log_group_arn],
    )


def _bucket(scope: Construct, id: str, **props: Any) -> s3.Bucket:
    """A TLS-only, versioned, private bucket, as the app's storage makes them."""
    return s3.Bucket(
        scope,
        id,
        enforce_ssl=True,
        minimum_tls_version=1.2,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        versioned=True,
        object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
        **props,
    )


def _lambda_role(scope: Construct, id: str) -> iam.Role:
    return iam.Role(scope, id, assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"))


def floor_stack(app: cdk.App, stack_id: str) -> cdk.Stack:
    """One of the example app's stacks (``FloorEntities`` or ``FloorClassification``):
    the same resource types and counts, from aws-cdk-lib only."""
    flow = FLOWS[stack_id]
    env = cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    )
    stack = cdk.Stack(app, stack_id, env=env, description="aws-cdk-lib floor of the example")
    cdk.CfnRule(
        stack,
        "PlaceholderModelsCannotBeDeployed",
        assertions=[
            cdk.CfnRuleAssertion(
                assert_=cdk.Fn.condition_equals("placeholder model", "real model"),
                assert_description="The floor is never deployed.",
            )
        ],
    )
    scope = Construct(stack, "Analysis")

    # The handler's log key, used by every log group of the stack.
    log_key = kms.Key(stack, "LogKey", enable_key_rotation=True)
    log_key.add_to_resource_policy(
        iam.PolicyStatement(
            principals=[iam.ServicePrincipal(f"logs.{stack.region}.{stack.url_suffix}")],
            actions=["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey"],
            resources=["*"],
        )
    )
    volume_key, data_key = (
        kms.Key(scope, name, enable_key_rotation=True) for name in ("VolumeKey", "OutputKey")
    )

    # Storage: an access-log bucket and the input and output buckets.
    access_logs = _bucket(scope, "AccessLogs", encryption=s3.BucketEncryption.S3_MANAGED)
    input_bucket, output_bucket = (
        _bucket(
            scope,
            name,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=data_key,
            bucket_key_enabled=True,
            server_access_logs_bucket=access_logs,
            server_access_logs_prefix=f"{name.lower()}/",
        )
        for name in ("Input", "Output")
    )

    # Network: isolated subnets, an S3 endpoint, flow logs, the jobs' security group.
    vpc = ec2.Vpc(
        scope,
        "Vpc",
        max_azs=2,
        nat_gateways=0,
        subnet_configuration=[
            ec2.SubnetConfiguration(name="Jobs", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
        ],
        gateway_endpoints={
            "S3": ec2.GatewayVpcEndpointOptions(service=ec2.GatewayVpcEndpointAwsService.S3)
        },
    )
    flow_logs = _log_group(scope, "FlowLogs", log_key)
    flow_log_role = iam.Role(
        scope, "FlowLogRole", assumed_by=iam.ServicePrincipal("vpc-flow-logs.amazonaws.com")
    )
    flow_log_policy = iam.ManagedPolicy(
        scope,
        "FlowLogPolicy",
        roles=[flow_log_role],
        statements=[
            iam.PolicyStatement(
                actions=["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
                resources=[flow_logs.log_group_arn],
            )
        ],
    )
    flow_log = ec2.CfnFlowLog(
        scope,
        "FlowLog",
        resource_id=vpc.vpc_id,
        resource_type="VPC",
        traffic_type="ALL",
        log_destination_type="cloud-watch-logs",
        log_group_name=flow_logs.log_group_name,
        deliver_logs_permission_arn=flow_log_role.role_arn,
    )
    flow_log.node.add_dependency(flow_log_policy)
    group = ec2.SecurityGroup(scope, "Jobs", vpc=vpc, allow_all_outbound=False)
    for port in (ec2.Port.all_tcp(), ec2.Port.all_udp()):
        group.add_ingress_rule(group, port, "Job containers")
        group.add_egress_rule(group, port, "Job containers")
    group.add_egress_rule(ec2.Peer.any_ipv4(), ec2.Port.tcp(443), "HTTPS to Amazon S3")

    # The role Comprehend assumes, its grants in one managed policy.
    data_role = iam.Role(
        scope, "DataAccessRole", assumed_by=iam.ServicePrincipal("comprehend.amazonaws.com")
    )
    iam.ManagedPolicy(
        scope,
        "DataAccessPolicy",
        roles=[data_role],
        statements=[
            iam.PolicyStatement(
                actions=["s3:GetObject"], resources=[input_bucket.arn_for_objects("input/*")]
            ),
            iam.PolicyStatement(actions=["s3:ListBucket"], resources=[input_bucket.bucket_arn]),
            iam.PolicyStatement(
                actions=["kms:Decrypt", "kms:GenerateDataKey"], resources=[data_key.key_arn]
            ),
            iam.PolicyStatement(
                actions=["s3:PutObject"], resources=[output_bucket.arn_for_objects("output/*")]
            ),
            iam.PolicyStatement(actions=["kms:CreateGrant"], resources=[volume_key.key_arn]),
            iam.PolicyStatement(actions=["ec2:CreateNetworkInterface"], resources=["*"]),
        ],
    )

    # The sample documents, uploaded before the job starts, as the library uploads every
    # stack's documents: on a BucketDeployment function of its own (memory 1024 MiB,
    # ephemeral storage 512 MiB: BucketDeployment shares one function per stack and set
    # of those props) whose one role, log group and managed policy sit under the handler.
    handler_scope = Construct(stack, "Handler")
    upload_scope = Construct(handler_scope, "InputDocuments")
    upload_role = _lambda_role(upload_scope, "Role")
    upload_logs = _log_group(upload_scope, "Logs", log_key)
    upload_role.add_to_principal_policy(_log_write(upload_logs))
    upload = s3deploy.BucketDeployment(
        scope,
        "InputDocuments",
        sources=[s3deploy.Source.asset(str(ROOT / flow.samples))],
        destination_bucket=input_bucket,
        destination_key_prefix="input/",
        prune=False,
        retain_on_delete=True,
        role=upload_role,
        log_group=upload_logs,
        server_side_encryption=s3deploy.ServerSideEncryption.AWS_KMS,
        server_side_encryption_aws_kms_key_id=data_key.key_arn,
        memory_limit=1024,
        ephemeral_storage_size=cdk.Size.mebibytes(512),
    )
    upload.node.add_dependency(_managed(upload_scope, "Policy", upload_role))
    upload_function = stack.node.find_child(UPLOAD_FUNCTION_ID).node.default_child
    # BucketDeployment has no prop for its function's environment key.
    assert isinstance(upload_function, cdk.CfnResource)
    upload_function.add_property_override("KmsKeyArn", log_key.key_arn)

    # The handler: its role and caller policy, on_event and is_complete with log groups.
    handler_role = _lambda_role(handler_scope, "Role")
    function_logs = [
        _log_group(handler_scope, f"{id}Logs", log_key) for id in ("OnEvent", "IsComplete")
    ]
    caller_policy = iam.ManagedPolicy(
        handler_scope,
        "CallerPolicy",
        roles=[handler_role],
        statements=[
            *(_log_write(group) for group in function_logs),
            iam.PolicyStatement(
                actions=["comprehend:StartEntitiesDetectionJob"],
                resources=[
                    stack.format_arn(
                        service="comprehend", resource="entities-detection-job", resource_name="*"
                    )
                ],
            ),
        ],
    )
    on_event, is_complete = (
        lambda_.Function(
            handler_scope,
            id,
            runtime=lambda_.Runtime.PYTHON_3_14,
            architecture=lambda_.Architecture.ARM_64,
            handler=f"analysis_job.{entry}",
            code=lambda_.Code.from_asset(str(HANDLER_CODE), exclude=HANDLER_EXCLUDES),
            role=handler_role,
            memory_size=256,
            timeout=cdk.Duration.minutes(2),
            log_group=log_group,
        )
        for id, entry, log_group in (
            ("OnEvent", "on_event", function_logs[0]),
            ("IsComplete", "is_complete", function_logs[1]),
        )
    )
    on_event.node.add_dependency(caller_policy)
    is_complete.node.add_dependency(caller_policy)

    # The provider, always with its waiter; every grant kept in managed policies.
    provider_scope = Construct(stack, "JobProvider")
    framework_logs = _log_group(handler_scope, "FrameworkLogs", log_key)
    on_event_role = _lambda_role(handler_scope, "OnEventRole")
    complete_role = _lambda_role(handler_scope, "CompleteRole")
    provider = cr.Provider(
        provider_scope,
        "Provider",
        on_event_handler=on_event,
        is_complete_handler=is_complete,
        framework_on_event_role=on_event_role,
        framework_complete_and_timeout_role=complete_role,
        log_group=framework_logs,
        provider_function_env_encryption=log_key,
        query_interval=cdk.Duration.minutes(1),
        total_timeout=cdk.Duration.hours(1),
        disable_waiter_state_machine_logging=False,
        waiter_state_machine_log_options=cr.LogOptions(
            destination=_log_group(handler_scope, "WaiterLogs", log_key),
            include_execution_data=False,
            level=sfn.LogLevel.ALL,
        ),
    )
    for id, role, functions in (
        ("OnEventRolePolicy", on_event_role, ["framework-onEvent"]),
        ("CompleteRolePolicy", complete_role, ["framework-isComplete", "framework-onTimeout"]),
    ):
        role.add_to_principal_policy(_log_write(framework_logs))
        managed = _managed(handler_scope, id, role)
        for name in functions:
            provider.node.find_child(name).node.add_dependency(managed)
    waiter = provider.node.find_child("waiter-state-machine")
    assert isinstance(waiter, Construct)
    state_machine = waiter.node.default_child
    assert isinstance(state_machine, sfn.CfnStateMachine)
    state_machine.tracing_configuration = sfn.CfnStateMachine.TracingConfigurationProperty(
        enabled=True
    )
    waiter_role = waiter.node.find_child("Role")
    assert isinstance(waiter_role, iam.Role)
    waiter_role.add_to_principal_policy(
        iam.PolicyStatement(actions=["xray:PutTraceSegments"], resources=["*"])
    )
    state_machine.node.add_dependency(_managed(waiter, "ManagedPolicy", waiter_role))

    # The job.
    model = (
        f"arn:{cdk.Aws.PARTITION}:comprehend:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:"
        f"{flow.model_resource}"
    )
    job = cdk.CustomResource(
        scope,
        "Job",
        service_token=provider.service_token,
        resource_type="Custom::ComprehendAnalysisJob",
        properties={
            "JobType": flow.job_type,
            "Request": {
                "InputDataConfig": {
                    "S3Uri": input_bucket.s3_url_for_object("input/"),
                    "InputFormat": "ONE_DOC_PER_FILE",
                },
                "OutputDataConfig": {
                    "S3Uri": output_bucket.s3_url_for_object("output/"),
                    "KmsKeyId": data_key.key_arn,
                },
                "DataAccessRoleArn": data_role.role_arn,
                flow.model_property: model,
                "VolumeKmsKeyId": volume_key.key_arn,
                "VpcConfig": {
                    "SecurityGroupIds": [group.security_group_id],
                    "Subnets": [s.subnet_id for s in vpc.isolated_subnets],
                },
            },
            "RerunToken": cdk.Fn.join(",", upload.object_keys),
        },
    )
    job.node.add_dependency(upload)
    for name, value in (
        ("JobArn", job.get_att_string("JobArn")),
        ("InputS3Uri", input_bucket.s3_url_for_object("input/")),
        ("OutputS3Uri", output_bucket.s3_url_for_object("output/")),
    ):
        cdk.CfnOutput(stack, name, value=value)
    return stack


@jsii.implements(cdk.IPolicyValidationPlugin)
class PackRun:
    """One cdk-nag pack, run over the whole construct tree as the app runs it, its report
    dropped.

    The floor's resources are not the library's, so the packs find what the library
    acknowledges (missing access logs, wildcard grants, ...). Reporting those would cost
    the floor a failure report the app never pays; acknowledging them would need this
    file to know cdk-nag's finding ids. So each pack's ``validate`` runs in full and its
    report is dropped: the floor pays the packs' checks and nothing else.
    """

    def __init__(self, pack: cdk.IPolicyValidationPlugin) -> None:
        self._pack = pack
        #: How many times the pack ran (once per synth, when wired).
        self.runs = 0

    @property
    def name(self) -> str:
        """The pack's name (``AwsSolutions``, ...)."""
        return self._pack.name

    @property
    def rule_ids(self) -> list[str] | None:
        """None: the pack's rules are its own."""
        return None

    @property
    def version(self) -> str | None:
        """None: the pack's version is cdk-nag's."""
        return None

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        """Run the pack (the context carries the construct tree it walks); report success."""
        self._pack.validate(context)
        self.runs += 1
        return cdk.PolicyValidationPluginReport(success=True, violations=[])


def run_packs(app: cdk.App) -> list[PackRun]:
    """Run cdk-nag's AwsSolutions, HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 packs,
    the four the app runs, on every stack of ``app`` (cdk-nag is imported only here)."""
    from cdk_nag import (
        AwsSolutionsChecks,
        HIPAASecurityChecks,
        NIST80053R5Checks,
        PCIDSS321Checks,
    )

    runs = [
        PackRun(pack(app))
        for pack in (AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks, PCIDSS321Checks)
    ]
    cdk.Validations.of(app).add_plugins(*runs)
    return runs


def main(argv: list[str]) -> None:
    """Synthesize the floor as ``python app.py`` synthesizes the app: an App with
    cdk.json's context (the CLI's, when it passes one), and nothing of this library
    imported, so the process pays aws-cdk-lib's costs alone; with ``--packs``, cdk-nag's
    four packs too."""
    import json

    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    if "CDK_CONTEXT_JSON" in os.environ:
        app = cdk.App()
    else:
        app = cdk.App(context=json.loads((ROOT / "cdk.json").read_text())["context"])
    floor_app(app)
    if argv == ["--packs"]:
        run_packs(app)
    elif argv:
        raise SystemExit(f"bench/floor.py: unknown arguments {argv}; the only option is --packs")
    app.synth()


if __name__ == "__main__":
    main(sys.argv[1:])
