"""The upload of local documents into a job's input location at deploy.

One implementation for ``JobStorage(input_documents=...)`` (and so for
``ComprehendAnalysis(input_documents=...)``, which passes its documents to the storage):
an ``aws_s3_deployment.BucketDeployment`` per upload. BucketDeployment runs every upload of
a stack with the same props on one shared function and role, so the library's uploads
share a function of their own (``_OWN_FUNCTION``) and one role (no AWS managed policy,
its grants in a customer managed policy: the HIPAA, NIST and PCI packs reject inline
ones) with an encrypted log group, under the stack's JobHandler: any number of uploads
per stack works, and a user's own BucketDeployment, before or after, keeps its function
and role and is not changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jsii
from aws_cdk import CfnResource, Size, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct, IValidation

from comprehend_jobs._private.handler_resources import log_write_statement
from comprehend_jobs._private.managed_policies import move_inline_policy_to_managed
from comprehend_jobs._private.validation import Problems, describe_problem
from comprehend_jobs.compliance.acknowledgments import (
    DEPLOY_TIME_FUNCTIONS,
    INPUT_DOCUMENTS_UPLOAD,
    KMS_OUTPUT_KEY_ALIAS,
    acknowledge,
    flatten_reference,
)
from comprehend_jobs.compliance.checkov import DEPLOY_TIME_FUNCTION, skip_checks
from comprehend_jobs.encryption import KeyReference
from comprehend_jobs.errors import PropValidationError
from comprehend_jobs.job_handler import JobHandler

if TYPE_CHECKING:
    # The functions that upload import it when they run: an app that uploads no
    # documents never loads aws_s3_deployment.
    from aws_cdk import aws_s3_deployment as s3deploy

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
        from aws_cdk import aws_s3_deployment as s3deploy

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
    """Upload ``documents`` to ``<bucket>/<prefix>`` at deploy (``InputDocuments``, a child
    of ``scope``). More sources: ``add_source`` on the result.

    ``bucket_key``: the KMS key a brought bucket encrypts its objects with, when the bucket
    object does not carry it (BucketDeployment grants only ``bucket.encryption_key``):
    writing SSE-KMS objects needs kms:GenerateDataKey, and multipart uploads kms:Decrypt,
    granted only through S3."""
    from aws_cdk import aws_s3_deployment as s3deploy

    runner = _UploadRunner.of(scope)
    upload = s3deploy.BucketDeployment(
        scope,
        # On the library's own function the custom resource's logical ID changes too
        # (BucketDeployment suffixes it), so the ServiceToken never changes in an update.
        "InputDocuments",
        sources=sources_of(documents),
        destination_bucket=bucket,
        destination_key_prefix=prefix or None,
        # Keep whatever else is under the prefix; never delete the user's data.
        prune=False,
        retain_on_delete=True,
        role=runner.role,
        log_group=runner.log_group,
        **_encryption_of(bucket, bucket_key),
        **_OWN_FUNCTION,
    )
    runner.add(upload, bucket, bucket_key)
    return upload


def _encryption_of(bucket: s3.IBucket, bucket_key: KeyReference | None) -> dict[str, Any]:
    """The upload's encryption, stated as the bucket's key ARN when the bucket is SSE-KMS.

    Left to the bucket's default, a new key (the output key swapped, encryption switched)
    would change the bucket in place but not the upload, which then never runs again: the
    documents would stay under the old key, which the new job's role may no longer use.
    Stated, the key is one of the upload's properties, so a new key updates the upload,
    and BucketDeployment's handler puts every document again (``aws s3 sync`` of files
    just extracted, so newer than the objects) with ``--sse aws:kms --sse-kms-key-id``.
    A brought key known only by its alias is left to the bucket's default: S3 resolves
    an alias in the caller's account, not necessarily the bucket owner's."""
    key = bucket.encryption_key
    key_arn = key.key_arn if key is not None else bucket_key.key_arn if bucket_key else None
    if key_arn is None:
        return {}
    from aws_cdk import aws_s3_deployment as s3deploy

    return {
        "server_side_encryption": s3deploy.ServerSideEncryption.AWS_KMS,
        "server_side_encryption_aws_kms_key_id": key_arn,
    }


#: BucketDeployment shares one function (and its role) per stack and set of these props:
#: the uploads of this library set them to the values it uses anyway (its own default
#: memory, Lambda's default ephemeral storage), so they share a function of their own and
#: never run a user's BucketDeployment, nor one of the user's run as their role.
_OWN_FUNCTION: dict[str, Any] = {
    "memory_limit": 1024,
    "ephemeral_storage_size": Size.mebibytes(512),
}
#: The stack-level id BucketDeployment gives that function.
_OWN_FUNCTION_ID = "Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C1024MiB512MiB"


class _UploadRunner(Construct):
    """What every upload of the library in one stack runs as: one role (no AWS managed
    policy) whose grants are kept in one managed policy (the HIPAA, NIST and PCI packs
    reject inline ones), one encrypted log group with retention, and acknowledgments as
    narrow as the wildcards BucketDeployment granted. A child of the stack's JobHandler."""

    ID = "InputDocuments"

    @classmethod
    def of(cls, scope: Construct) -> _UploadRunner:
        handler = JobHandler.of(scope)
        existing = handler.node.try_find_child(cls.ID)
        if isinstance(existing, _UploadRunner):
            return existing
        other = Stack.of(scope).node.try_find_child(_OWN_FUNCTION_ID)
        if other is not None:
            raise PropValidationError(
                f"JobStorage input documents at {scope.node.path!r}",
                [
                    describe_problem(
                        "input_documents",
                        other.node.path,
                        "a stack whose own BucketDeployments leave the library's upload "
                        "function alone: one of yours with memory_limit=1024 and "
                        "ephemeral_storage_size=512 MiB was made first and would run the "
                        "library's uploads as its role",
                        "give your BucketDeployment another memory_limit or "
                        "ephemeral_storage_size, or make it after the library's uploads",
                    )
                ],
            )
        return cls(handler, cls.ID, handler)

    def __init__(self, scope: Construct, id: str, handler: JobHandler) -> None:
        super().__init__(scope, id)
        self.role = iam.Role(
            self,
            "Role",
            assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
            description="Copies the input documents into the jobs' input prefixes at deploy",
        )
        self.log_group = handler.log_group("Logs", scope=self)
        self.role.add_to_principal_policy(log_write_statement(self.log_group))
        self._handler = handler
        self._policy: iam.ManagedPolicy | None = None
        self._acknowledged: set[str] = set()
        #: The library's uploads (paths): any other BucketDeployment on this role is a user's.
        self.uploads: set[str] = set()
        self.node.add_validation(_NoUserUploadsOnOurFunction(self))

    def add(
        self, upload: s3deploy.BucketDeployment, bucket: s3.IBucket, bucket_key: KeyReference | None
    ) -> None:
        """Grant ``bucket_key`` (when the bucket does not carry it), keep the grants
        managed, make ``upload`` wait for them, and acknowledge the new wildcards."""
        stack = Stack.of(self)
        self.uploads.add(upload.node.path)
        key_resource = None
        if bucket_key is not None and bucket.encryption_key is None:
            key_resource = bucket_key.grant_resource
            self.role.add_to_principal_policy(
                iam.PolicyStatement(
                    actions=["kms:Decrypt", "kms:GenerateDataKey"],
                    resources=[key_resource],
                    conditions={
                        "StringEquals": {"kms:ViaService": f"s3.{stack.region}.{stack.url_suffix}"},
                        **(bucket_key.alias_condition or {}),
                    },
                )
            )
        if self._policy is None:
            # The inline policy's document is shared: later uploads' grants land in it.
            self._policy = move_inline_policy_to_managed(self, "Policy", self.role)
            self._own_function(stack)
        policy = self._policy
        upload.node.add_dependency(policy)
        # Exactly the object wildcards BucketDeployment granted (the asset bucket's and the
        # input buckets'), read from the policy itself.
        statements = stack.resolve(policy.document)["Statement"]
        details = {
            flatten_reference(resource)
            for statement in statements
            for resource in _as_list(statement.get("Resource"))
        }
        key_detail = flatten_reference(stack.resolve(key_resource)) if key_resource else None
        wildcards = sorted(
            d
            for d in details
            if d.endswith("/*") and d != key_detail and f"upload:{d}" not in self._acknowledged
        )
        if wildcards:
            self._acknowledged.update(f"upload:{d}" for d in wildcards)
            acknowledge(
                policy, INPUT_DOCUMENTS_UPLOAD, only=["AwsSolutions-IAM5"], applies_to=wildcards
            )
        if (
            bucket_key is not None
            and bucket_key.alias_name is not None
            and key_detail
            and f"alias:{key_detail}" not in self._acknowledged
        ):
            # An alias names no key ARN: 'key/*' narrowed by kms:ResourceAliases.
            self._acknowledged.add(f"alias:{key_detail}")
            acknowledge(policy, KMS_OUTPUT_KEY_ALIAS, applies_to=[key_detail])

    def _own_function(self, stack: Stack) -> None:
        """Acknowledge the library's upload function (and no user's BucketDeployment's)."""
        child = stack.node.try_find_child(_OWN_FUNCTION_ID)
        assert child is not None, "BucketDeployment renamed its function"
        acknowledge(child, INPUT_DOCUMENTS_UPLOAD, only=["AwsSolutions-L1"])
        acknowledge(child, DEPLOY_TIME_FUNCTIONS)
        function = child.node.default_child
        skip_checks(function if isinstance(function, CfnResource) else child, DEPLOY_TIME_FUNCTION)
        # Its environment (a CA bundle path) is encrypted with the handler's key, like the
        # Provider's framework functions; BucketDeployment has no prop for it.
        if isinstance(function, CfnResource):
            function.add_property_override("KmsKeyArn", self._handler.log_key.key_arn)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


@jsii.implements(IValidation)
class _NoUserUploadsOnOurFunction:
    """Fails synth when a user's BucketDeployment, made after the library's uploads with
    the same ``_OWN_FUNCTION`` props, shares their function: it would run as the library's
    upload role, and its grants would land on that role. (One made before is refused when
    the library's first upload is made.)"""

    def __init__(self, runner: _UploadRunner) -> None:
        self._runner = runner

    def validate(self) -> list[str]:
        from aws_cdk import aws_s3_deployment as s3deploy

        role_path = self._runner.role.node.path
        shared = sorted(
            construct.node.path
            for construct in Stack.of(self._runner).node.find_all()
            if isinstance(construct, s3deploy.BucketDeployment)
            and construct.node.path not in self._runner.uploads
            and construct.handler_role.node.path == role_path
        )
        return [
            f"BucketDeployment at {path!r} runs on comprehend-jobs' upload function (it has "
            "memory_limit=1024 and ephemeral_storage_size=512 MiB, as the library's uploads "
            "do, and BucketDeployment shares one function per such setting in a stack), so "
            "it would copy as the library's role. Fix: give it another memory_limit or "
            "ephemeral_storage_size (e.g. memory_limit=1025)."
            for path in shared
        ]
