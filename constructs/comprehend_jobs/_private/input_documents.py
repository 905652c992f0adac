"""The upload of local documents into a job's input location at deploy.

One implementation for ``JobStorage(input_documents=...)`` (and so for
``ComprehendAnalysis(input_documents=...)``, which passes its documents to the storage):
an ``aws_s3_deployment.BucketDeployment`` with a role of its own (no AWS managed policy),
its grants in a customer managed policy (the HIPAA, NIST and PCI packs reject inline
ones), an encrypted log group with retention, and acknowledgments as narrow as the
wildcards it was granted.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from aws_cdk import CfnResource, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from constructs import Construct

from comprehend_jobs._private.handler_resources import log_write_statement
from comprehend_jobs._private.managed_policies import move_inline_policy_to_managed
from comprehend_jobs._private.validation import Problems
from comprehend_jobs.compliance.acknowledgments import (
    DEPLOY_TIME_FUNCTIONS,
    INPUT_DOCUMENTS_UPLOAD,
    KMS_OUTPUT_KEY_ALIAS,
    acknowledge,
    flatten_reference,
)
from comprehend_jobs.compliance.checkov import DEPLOY_TIME_FUNCTION, skip_checks
from comprehend_jobs.encryption import KeyReference
from comprehend_jobs.job_handler import JobHandler

#: What ``input_documents`` accepts, for messages.
DOCUMENTS_FORMS = "a folder that exists, or a list of aws_s3_deployment sources"


def check_documents(problems: Problems, prop: str, documents: object) -> None:
    """Record a problem unless ``documents`` is an existing folder or a list of sources."""
    if isinstance(documents, str):
        if not Path(documents).is_dir():
            problems.add(
                prop,
                documents,
                DOCUMENTS_FORMS,
                "create the folder, or pass the path of the documents' folder",
            )
        return
    if (
        not isinstance(documents, list | tuple)
        or not documents
        or not all(hasattr(source, "bind") for source in documents)
    ):
        problems.add(
            prop,
            documents,
            DOCUMENTS_FORMS,
            f"pass {prop}='path/to/folder' or {prop}=[s3deploy.Source.asset('path/to/folder')]",
        )


def sources_of(documents: str | Sequence[s3deploy.ISource]) -> list[s3deploy.ISource]:
    """The deployment sources for a folder path or a list of sources."""
    if isinstance(documents, str):
        return [s3deploy.Source.asset(documents)]
    return list(documents)


def upload_documents(
    scope: Construct,
    documents: str | Sequence[s3deploy.ISource],
    *,
    bucket: s3.IBucket,
    prefix: str,
    bucket_key: KeyReference | None = None,
) -> s3deploy.BucketDeployment:
    """Upload ``documents`` to ``<bucket>/<prefix>`` at deploy (children of ``scope``:
    ``InputDocuments``, ``InputDocumentsRole``, ``InputDocumentsPolicy``,
    ``InputDocumentsLogs``). More sources: ``add_source`` on the result.

    ``bucket_key``: the KMS key a brought bucket encrypts its objects with, when the bucket
    object does not carry it (BucketDeployment grants only ``bucket.encryption_key``):
    writing SSE-KMS objects needs kms:GenerateDataKey, and multipart uploads kms:Decrypt,
    granted only through S3."""
    role = iam.Role(
        scope,
        "InputDocumentsRole",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description="Copies the input documents into the job's input prefix at deploy",
    )
    handler = JobHandler.of(scope)
    log_group = handler.log_group("InputDocumentsLogs", scope=scope)
    upload = s3deploy.BucketDeployment(
        scope,
        "InputDocuments",
        sources=sources_of(documents),
        destination_bucket=bucket,
        destination_key_prefix=prefix or None,
        # Keep whatever else is under the prefix; never delete the user's data.
        prune=False,
        retain_on_delete=True,
        role=role,
        log_group=log_group,
    )
    role.add_to_principal_policy(log_write_statement(log_group))
    stack = Stack.of(scope)
    key_resource = None
    if bucket_key is not None and bucket.encryption_key is None:
        key_resource = bucket_key.grant_resource
        role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["kms:Decrypt", "kms:GenerateDataKey"],
                resources=[key_resource],
                conditions={
                    "StringEquals": {"kms:ViaService": f"s3.{stack.region}.{stack.url_suffix}"},
                    **(bucket_key.alias_condition or {}),
                },
            )
        )
    policy = move_inline_policy_to_managed(scope, "InputDocumentsPolicy", role)
    upload.node.add_dependency(policy)
    # Exactly the object wildcards BucketDeployment granted (the asset bucket's and the
    # input bucket's), read from the policy itself.
    statements = stack.resolve(policy.document)["Statement"]
    details = {
        flatten_reference(resource)
        for statement in statements
        for resource in _as_list(statement.get("Resource"))
    }
    key_detail = flatten_reference(stack.resolve(key_resource)) if key_resource else None
    wildcards = sorted(d for d in details if d.endswith("/*") and d != key_detail)
    acknowledge(policy, INPUT_DOCUMENTS_UPLOAD, only=["AwsSolutions-IAM5"], applies_to=wildcards)
    if bucket_key is not None and bucket_key.alias_name is not None and key_detail:
        # An alias names no key ARN: 'key/*' narrowed by kms:ResourceAliases.
        acknowledge(policy, KMS_OUTPUT_KEY_ALIAS, applies_to=[key_detail])
    # BucketDeployment's function is a singleton at stack level: found by the id
    # aws-cdk-lib gives it (no memory limit, storage size, VPC or security groups set
    # here), or by a scan of the stack's children should that id ever change.
    handler_key_arn = handler.log_key.key_arn
    singleton = stack.node.try_find_child(_BUCKET_DEPLOYMENT_FUNCTION_ID)
    children = [singleton] if singleton is not None else stack.node.children
    for child in children:
        if child.node.id.startswith("Custom::CDKBucketDeployment"):
            acknowledge(child, INPUT_DOCUMENTS_UPLOAD, only=["AwsSolutions-L1"])
            acknowledge(child, DEPLOY_TIME_FUNCTIONS)
            function = child.node.default_child
            skip_checks(
                function if isinstance(function, CfnResource) else child, DEPLOY_TIME_FUNCTION
            )
            # Its environment (a CA bundle path) is encrypted with the handler's key,
            # like the Provider's framework functions; BucketDeployment has no prop.
            if isinstance(function, CfnResource):
                function.add_property_override("KmsKeyArn", handler_key_arn)
    return upload


#: The stack-level id of BucketDeployment's singleton function when none of the props
#: that change it (memory limit, ephemeral storage, VPC, security groups) are set.
_BUCKET_DEPLOYMENT_FUNCTION_ID = "Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C"


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]
