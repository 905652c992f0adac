"""The interfaces of the building blocks, in the aws-cdk-lib sense (``IBucket``, ``IKey``).

A job, the ``DataAccessRole`` and ``ComprehendAnalysis`` accept any object with these
members, not only the classes this library defines: ``DataAccessRole.from_role_arn(...)``
is an ``IDataAccessRole`` as much as ``DataAccessRole(...)`` is, and a storage object of
your own that has the members of ``IJobStorage`` can be passed as ``storage=``.

They are ``typing.Protocol`` classes: a type checker checks the members statically, and the
constructs check at run time that each member is present (a missing one is a
``PropValidationError`` naming it). Every member is read-only (a property), so an
implementation may use a plain attribute.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Protocol

__all__ = [
    "IDataAccessRole",
    "IJobEncryption",
    "IJobNetwork",
    "IJobStorage",
]

if TYPE_CHECKING:
    from aws_cdk import aws_iam as iam
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_s3_deployment as s3deploy
    from constructs import IDependable, Node

    from comprehend_jobs.encryption import KeyReference
    from comprehend_jobs.job_types import JobType


class IJobEncryption(Protocol):
    """The KMS keys of a job: the volume key (``VolumeKmsKeyId``) and the output key
    (``OutputDataConfig.KmsKeyId``). Implemented by ``JobEncryption``."""

    @property
    def node(self) -> Node:
        """The construct tree node."""
        ...

    @property
    def volume_ref(self) -> KeyReference | None:
        """The volume key, resolved; None: no volume key is sent."""
        ...

    @property
    def output_ref(self) -> KeyReference | None:
        """The output key, resolved; None: no output key is sent."""
        ...

    @property
    def output_key(self) -> kms.IKey | None:
        """The output key as a CDK object; None when there is none or it is a string."""
        ...

    @property
    def volume_key_id(self) -> str | None:
        """The exact value sent as ``VolumeKmsKeyId`` (None: nothing is sent)."""
        ...

    @property
    def output_key_id(self) -> str | None:
        """The exact value sent as ``OutputDataConfig.KmsKeyId`` (None: nothing is sent)."""
        ...

    @property
    def volume_key_arn(self) -> str | None:
        """The volume key's ARN, for IAM."""
        ...

    def cross_account_key_policy_statements(
        self, role_arn: str, *, caller_role_arn: str | None = None
    ) -> dict[str, list[dict[str, Any]]]:
        """The key-policy statements each foreign key's owner must add, by key."""
        ...


class IJobNetwork(Protocol):
    """Where a job runs: its subnets and security groups (``VpcConfig``). Implemented by
    ``JobNetwork``."""

    @property
    def node(self) -> Node:
        """The construct tree node."""
        ...

    @property
    def subnet_ids(self) -> list[str]:
        """``VpcConfig.Subnets``."""
        ...

    @property
    def security_group_ids(self) -> list[str]:
        """``VpcConfig.SecurityGroupIds``."""
        ...


class IJobStorage(Protocol):
    """Where a job reads its documents and writes its results. Implemented by
    ``JobStorage`` (and ``JobStorage.from_s3_uris``)."""

    @property
    def node(self) -> Node:
        """The construct tree node."""
        ...

    @property
    def input_bucket(self) -> s3.IBucket:
        """The bucket the documents are in."""
        ...

    @property
    def output_bucket(self) -> s3.IBucket:
        """The bucket the results go to."""
        ...

    @property
    def input_prefix(self) -> str:
        """The documents' key prefix (``""``: the whole bucket)."""
        ...

    @property
    def output_prefix(self) -> str:
        """The results' key prefix (``""``: the whole bucket)."""
        ...

    @property
    def input_s3_uri(self) -> str:
        """``InputDataConfig.S3Uri``: ``s3://<input bucket>/<input prefix>``."""
        ...

    @property
    def output_s3_uri(self) -> str:
        """``OutputDataConfig.S3Uri``: ``s3://<output bucket>/<output prefix>``."""
        ...

    @property
    def input_bucket_key_ref(self) -> KeyReference | None:
        """The key of a brought input bucket's objects, when known (the DataAccessRole
        gets ``kms:Decrypt`` on it through S3); None for a created bucket."""
        ...

    @property
    def creates_input_bucket(self) -> bool:
        """True when the input bucket is made in this deployment: it then holds only the
        documents uploaded with it, and a job on it without any fails synth."""
        ...

    @property
    def input_documents_uploaded(self) -> IDependable:
        """What a job depends on so that the documents uploaded into the input location
        are there when it starts (nothing to wait for when none are uploaded)."""
        ...

    @property
    def input_documents_fingerprint(self) -> str | None:
        """A value (usually a token) that changes whenever the uploaded documents change:
        part of a job's ``RerunToken``, so new documents start the job again. None when
        nothing is uploaded. Read at synth, so documents added after a job count."""
        ...

    def add_input_documents(
        self, documents: str | Sequence[s3deploy.ISource]
    ) -> s3deploy.BucketDeployment:
        """Upload ``documents`` (a local folder, or ``aws_s3_deployment`` sources) into
        the input location at deploy; returns the upload."""
        ...


class IDataAccessRole(Protocol):
    """The role Comprehend assumes to run a job: what a job needs of it. Implemented by
    ``DataAccessRole`` and by what ``DataAccessRole.from_role_arn`` returns (whose grants
    are dropped: its owner manages it)."""

    @property
    def node(self) -> Node:
        """The construct tree node."""
        ...

    @property
    def role(self) -> iam.IRole:
        """The IAM role."""
        ...

    @property
    def role_arn(self) -> str:
        """``DataAccessRoleArn``."""
        ...

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant to (for ``bucket.grant_*`` and ``key.grant_*``)."""
        ...

    @property
    def policy_dependable(self) -> IDependable:
        """What a job depends on so that the role's permissions exist when it starts."""
        ...

    @property
    def job_types(self) -> list[JobType]:
        """The job types the role's trust policy allows (empty when managed elsewhere)."""
        ...

    def allow_job_type(self, job_type: JobType) -> None:
        """Let jobs of ``job_type`` assume the role."""
        ...

    def grant_storage(self, storage: IJobStorage) -> iam.Grant:
        """Read on the storage's input location, write on its output location, and the
        keys of both."""
        ...

    def grant_read_input(self, bucket: s3.IBucket, prefix: str = "") -> iam.Grant:
        """Read on ``<bucket>/<prefix>*`` (and the bucket's key)."""
        ...

    def grant_write_output(self, bucket: s3.IBucket, prefix: str = "") -> iam.Grant:
        """Write on ``<bucket>/<prefix>*`` (and the bucket's key)."""
        ...

    def grant_input_key(self, key: KeyReference | kms.IKey) -> iam.Grant:
        """``kms:Decrypt`` through S3 on the key of the input objects."""
        ...

    def grant_keys(
        self,
        encryption: IJobEncryption | None = None,
        *,
        volume_key: kms.IKey | None = None,
        output_key: kms.IKey | None = None,
    ) -> iam.Grant:
        """The job keys: ``kms:CreateGrant`` on the volume key, ``kms:GenerateDataKey``
        and ``kms:Decrypt`` on the output key."""
        ...

    def grant_vpc_access(self) -> iam.Grant:
        """The EC2 actions a job in a VPC needs."""
        ...

    def grant_textract(self) -> iam.Grant:
        """The Textract actions a job that reads images or scanned PDFs needs."""
        ...
