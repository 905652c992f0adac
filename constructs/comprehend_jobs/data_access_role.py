"""DataAccessRole: the role Amazon Comprehend assumes to run a job.

Trust: ``comprehend.amazonaws.com`` with ``aws:SourceAccount`` (this account) and
``aws:SourceArn`` = ``arn:<partition>:comprehend:<region>:<account>:<job-type>-job/*`` for
each of the nine asynchronous job types, whichever use the role. Why not only the types
in use: a job outlives the template that started it. Classification and topic jobs
cannot be stopped, and a replaced job is stopped only in CloudFormation's cleanup phase,
after the role was updated; a trust that narrowed with the template would cut a running
job off from its role. The trust never changes, so no update can do that; it still names
only this account's and Region's jobs (the confused-deputy guard). The types jobs use are
recorded (``job_types``, ``allow_job_type()``), and a role no job type uses is a
synth-time error (a role nothing runs as is a mistake).

Permissions live in one customer managed policy attached to the role (HIPAA, NIST and PCI
packs reject inline policies; CDK minimizes it, so 100 jobs sharing a role keep it small).
The policy's description carries a digest of its document. Description is a create-only
property, so any change of the permissions replaces the policy instead of editing it:
CloudFormation attaches the new policy in the update phase and deletes the old one in
cleanup, after the Delete of a replaced job (which depends on the policy) has stopped it.
A job never loses access it is still running with.

* ``grant_storage(storage)`` (what ``storage=`` does): the two grants below on the
  storage's input and output locations, and ``grant_input_key`` on a brought input
  bucket's key;
* ``grant_read_input(bucket, prefix)``: s3:GetObject on ``<bucket>/<prefix>*``,
  s3:ListBucket on the bucket with ``s3:prefix`` limited to the prefix, kms:Decrypt on the
  bucket's key when known (for a brought bucket only through S3: ``kms:ViaService``);
* ``grant_write_output(bucket, prefix)``: s3:PutObject on ``<bucket>/<prefix>*``,
  kms:GenerateDataKey + kms:Decrypt on the bucket's default key when known;
* ``grant_keys(encryption)``: kms:CreateGrant on the volume key, kms:GenerateDataKey +
  kms:Decrypt on the output key; for keys of another account, the key-policy statements
  their owner must add (this role's, and the stack job handler's on a foreign volume key)
  become the stack output ``<id>CrossAccountKeyPolicy``;
* ``grant_vpc_access()``: the nine EC2 actions Comprehend documents, on ``*`` (AWS offers
  nothing narrower; acknowledged narrowly);
* ``grant_textract()``: textract:DetectDocumentText + AnalyzeDocument on ``*`` (no
  resource-level permissions), for image and scanned-PDF input.

Grant through these methods (or ``grant_principal``), not ``role.add_to_principal_policy``:
that would create an inline policy, which the HIPAA, NIST and PCI packs reject.

A job construct that depends on the DataAccessRole construct (``node.add_dependency``)
also depends on its policy: the policy is a child of the construct. ``policy_dependable``
names it explicitly.

``DataAccessRole.from_role_arn()`` wraps an existing role (same checks and grant logic, one
base); its owner manages it: grants are dropped into the output ``<id>RequiredPolicy``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import jsii
from aws_cdk import CfnOutput, Lazy, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct, IDependable, IValidation

from comprehend_jobs._private.key_rules import OUTPUT_KEY_ACTIONS, VOLUME_KEY_ACTIONS
from comprehend_jobs._private.owner_statements import OwnerStatements
from comprehend_jobs._private.policy_digest import DescriptionWithDigest
from comprehend_jobs._private.prefix_rules import is_object_key, prefix_fix, prefix_problem
from comprehend_jobs._private.role_rules import check_role_arn, check_role_props
from comprehend_jobs._private.validation import Problems, construct_label, describe_problem
from comprehend_jobs.compliance.acknowledgments import acknowledge, resource_detail
from comprehend_jobs.compliance.checkov import NO_RESOURCE_LEVEL_ACTIONS, skip_checks
from comprehend_jobs.encryption import KeyReference
from comprehend_jobs.errors import PropValidationError
from comprehend_jobs.interfaces import IDataAccessRole, IJobEncryption, IJobNetwork, IJobStorage
from comprehend_jobs.job_handler import JobHandler
from comprehend_jobs.job_types import JOB_TYPES, JobType

__all__ = [
    "DataAccessRole",
]

_SERVICE_PRINCIPAL = "comprehend.amazonaws.com"
#: The role's default description, and the start of its managed policy's.
_DESCRIPTION = "Amazon Comprehend job data access (comprehend-jobs)"

#: The EC2 actions Comprehend documents for jobs in a VPC (Developer Guide, usingVPC).
_VPC_ACTIONS: tuple[str, ...] = (
    "ec2:CreateNetworkInterface",
    "ec2:CreateNetworkInterfacePermission",
    "ec2:DeleteNetworkInterface",
    "ec2:DeleteNetworkInterfacePermission",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
)

#: What Comprehend needs to read images and scanned PDFs (Developer Guide, running-classifiers).
_TEXTRACT_ACTIONS: tuple[str, ...] = ("textract:AnalyzeDocument", "textract:DetectDocumentText")


@jsii.implements(iam.IPrincipal)
class _PolicyPrincipal:
    """The role, as a grantee whose statements go to the managed policy."""

    def __init__(self, owner: DataAccessRole) -> None:
        self._owner = owner
        self._role = owner._role

    @property
    def grant_principal(self) -> iam.IPrincipal:
        return self

    @property
    def assume_role_action(self) -> str:
        return self._role.assume_role_action

    @property
    def policy_fragment(self) -> iam.PrincipalPolicyFragment:
        return self._role.policy_fragment

    @property
    def principal_account(self) -> str | None:
        return self._role.principal_account

    def add_to_policy(self, statement: iam.PolicyStatement) -> bool:
        return self.add_to_principal_policy(statement).statement_added

    def add_to_principal_policy(
        self, statement: iam.PolicyStatement
    ) -> iam.AddToPrincipalPolicyResult:
        policy = self._owner.policy
        policy.add_statements(statement)
        return iam.AddToPrincipalPolicyResult(statement_added=True, policy_dependable=policy)


def _check_job_types(problems: Problems, job_types: object) -> None:
    if job_types is None:
        return
    if not isinstance(job_types, list | tuple) or not all(
        isinstance(t, JobType) for t in job_types
    ):
        problems.add(
            "job_types",
            job_types,
            "a list of comprehend_jobs.JobType rows (e.g. [ENTITIES_DETECTION])",
            "import the rows from comprehend_jobs.job_types",
        )


class _DataAccessRoleBase(Construct):
    """What ``DataAccessRole`` and an imported role share: every grant is worked out here,
    once (prefix checks, the bucket's key, aliases, the cross-account output); where its
    statement goes (``_grant``) and what is acknowledged are the subclass's."""

    _role: iam.IRole

    def __init__(self, scope: Construct, construct_id: str) -> None:
        super().__init__(scope, construct_id)
        self._stack = Stack.of(self)

    # -- identity ---------------------------------------------------------------------

    @property
    def role(self) -> iam.IRole:
        """The role (its ARN is the job's DataAccessRoleArn)."""
        return self._role

    @property
    def role_arn(self) -> str:
        """The role ARN."""
        return self._role.role_arn

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal grants go to."""
        return self._role

    @property
    def policy_dependable(self) -> IDependable:
        """What a job must depend on so the permissions exist before it starts: this
        construct (its managed policy, when there is one, is a child)."""
        return self

    @property
    def job_types(self) -> list[JobType]:
        """The job types the role's trust policy allows, sorted by ARN resource type."""
        return []

    def allow_job_type(self, job_type: JobType) -> None:
        """Let jobs of ``job_type`` assume the role (adds its ARN to aws:SourceArn)."""
        if not isinstance(job_type, JobType):
            raise PropValidationError(
                f"{type(self).__name__.lstrip('_')} at {self.node.path!r}",
                [
                    describe_problem(
                        "job_type",
                        job_type,
                        "a comprehend_jobs.JobType row",
                        "pass e.g. comprehend_jobs.job_types.ENTITIES_DETECTION",
                    )
                ],
            )
        self._allow(job_type)

    # -- what a subclass decides --------------------------------------------------------

    def _allow(self, job_type: JobType) -> None:
        """Record a validated job type (a role managed elsewhere records nothing)."""

    def _grant(
        self,
        actions: Iterable[str],
        resources: list[str],
        conditions: dict[str, Any] | None = None,
    ) -> iam.Grant:
        raise NotImplementedError

    def _acknowledge_resource(self, kind: str, resource: str) -> None:
        """Acknowledge a wildcard resource in the role's policy (when it has one)."""

    def _acknowledge_no_resource_level(self, *, vpc: bool) -> None:
        """Acknowledge ``Resource: "*"`` for actions with no resource-level permissions."""

    # -- grants -----------------------------------------------------------------------

    def grant_storage(self, storage: IJobStorage) -> iam.Grant:
        """Read on the storage's input prefix, write on its output prefix, and kms:Decrypt
        through S3 on the key of a brought input bucket when known (``input_bucket_key_ref``)."""
        problems = Problems(f"{type(self).__name__.lstrip('_')} at {self.node.path!r}")
        problems.check_interface(
            "storage", storage, IJobStorage, "pass a JobStorage (or JobStorage.from_s3_uris)"
        )
        problems.raise_if_any()
        grant = self.grant_read_input(storage.input_bucket, storage.input_prefix)
        grant = grant.combine(self.grant_write_output(storage.output_bucket, storage.output_prefix))
        ref = storage.input_bucket_key_ref
        if ref is not None and (
            ref.key is None or ref.key is not storage.input_bucket.encryption_key
        ):
            grant = grant.combine(self.grant_input_key(ref))
        return grant

    def _object_resource(self, bucket: s3.IBucket, prefix: str, prop: str) -> str:
        why = prefix_problem(prefix)
        if why:
            raise PropValidationError(
                f"{type(self).__name__.lstrip('_')} at {self.node.path!r}",
                [
                    describe_problem(
                        prop,
                        prefix,
                        f"a valid S3 key prefix ({why})",
                        prefix_fix(prefix, "input/", prop),
                    )
                ],
            )
        resource = bucket.arn_for_objects(f"{prefix}*")
        self._acknowledge_resource("S3_JOB_DATA_PREFIX", resource)
        return resource

    def grant_read_input(self, bucket: s3.IBucket, prefix: str = "") -> iam.Grant:
        """s3:GetObject on ``<prefix>*``, s3:ListBucket for that prefix, kms:Decrypt on the
        bucket's key when known (only through S3 for a bucket not defined in this app).
        A ``prefix`` that is one object's key (a file name with an extension,
        ``"claims/doc-1.txt"``) grants exactly that object, and the listing of that key."""
        conditions: dict[str, Any] | None
        if is_object_key(prefix):
            grant = self._grant(["s3:GetObject"], [bucket.arn_for_objects(prefix)])
            conditions = {"StringEquals": {"s3:prefix": prefix}}
        else:
            resource = self._object_resource(bucket, prefix, "prefix")
            grant = self._grant(["s3:GetObject"], [resource])
            conditions = {"StringLike": {"s3:prefix": [prefix, f"{prefix}*"]}} if prefix else None
        grant = grant.combine(self._grant(["s3:ListBucket"], [bucket.bucket_arn], conditions))
        if bucket.encryption_key is not None:
            # A brought bucket's key is often shared: only S3 may use it for the role.
            via_s3 = None if isinstance(bucket, s3.Bucket) else self._via_s3()
            grant = grant.combine(
                self._grant(["kms:Decrypt"], [bucket.encryption_key.key_arn], via_s3)
            )
        return grant

    def _via_s3(self) -> dict[str, Any]:
        stack = self._stack
        return {"StringEquals": {"kms:ViaService": f"s3.{stack.region}.{stack.url_suffix}"}}

    def grant_input_key(self, key: KeyReference | kms.IKey) -> iam.Grant:
        """kms:Decrypt on the key of a brought input bucket, only through S3
        (``kms:ViaService`` ``s3.<region>.<url suffix>``): S3 decrypts the SSE-KMS input
        objects for the job. A key of another account must also allow the role
        ``kms:Decrypt`` in its key policy."""
        if isinstance(key, KeyReference):
            resource = key.grant_resource
            conditions = self._via_s3()
            if key.alias_condition is not None:
                self._acknowledge_resource("KMS_OUTPUT_KEY_ALIAS", resource)
                conditions = {**conditions, **key.alias_condition}
            return self._grant(["kms:Decrypt"], [resource], conditions)
        return self._grant(["kms:Decrypt"], [key.key_arn], self._via_s3())

    def grant_write_output(self, bucket: s3.IBucket, prefix: str = "") -> iam.Grant:
        """s3:PutObject on ``<prefix>*``, kms:GenerateDataKey + kms:Decrypt on its key."""
        grant = self._grant(["s3:PutObject"], [self._object_resource(bucket, prefix, "prefix")])
        if bucket.encryption_key is not None:
            grant = grant.combine(
                self._grant(["kms:Decrypt", "kms:GenerateDataKey"], [bucket.encryption_key.key_arn])
            )
        return grant

    def _grant_key(self, ref: KeyReference, actions: Iterable[str]) -> iam.Grant:
        resource = ref.grant_resource
        if ref.alias_name is not None:
            self._acknowledge_resource("KMS_OUTPUT_KEY_ALIAS", resource)
        return self._grant(actions, [resource], ref.alias_condition)

    def grant_keys(
        self,
        encryption: IJobEncryption | None = None,
        *,
        volume_key: kms.IKey | None = None,
        output_key: kms.IKey | None = None,
    ) -> iam.Grant:
        """kms:CreateGrant on the volume key; kms:GenerateDataKey + kms:Decrypt on the output key.

        Emits the stack output ``<id>CrossAccountKeyPolicy`` when a key of ``encryption``
        is, or may be, in another account: JSON, each foreign key with the statements its
        owner adds to the key policy (this role's; for a volume key also the stack job
        handler's ``kms:CreateGrant`` + ``kms:DescribeKey``, which its IAM policy alone
        cannot give it on another account's key).
        """
        grants: list[iam.Grant] = []
        if encryption is not None:
            problems = Problems(f"{type(self).__name__.lstrip('_')} at {self.node.path!r}")
            problems.check_interface(
                "encryption", encryption, IJobEncryption, "pass a JobEncryption"
            )
            problems.raise_if_any()
            if encryption.volume_ref is not None:
                grants.append(self._grant_key(encryption.volume_ref, VOLUME_KEY_ACTIONS))
            if encryption.output_ref is not None:
                grants.append(self._grant_key(encryption.output_ref, OUTPUT_KEY_ACTIONS))
            volume_ref = encryption.volume_ref
            # The handler (the Start*Job caller) gets CreateGrant + DescribeKey on the
            # volume key in its own policy; for a foreign key its owner must allow it too.
            caller_role_arn = (
                JobHandler.of(self).role.role_arn
                if volume_ref is not None and volume_ref.cross_account
                else None
            )
            statements = encryption.cross_account_key_policy_statements(
                self.role_arn, caller_role_arn=caller_role_arn
            )
            if statements and self.node.try_find_child("CrossAccountKeyPolicy") is None:
                CfnOutput(
                    self,
                    "CrossAccountKeyPolicy",
                    description="Key-policy statements the owner of each foreign KMS key "
                    "must add for this DataAccessRole",
                    value=self._stack.to_json_string(statements),
                )
        if volume_key is not None:
            grants.append(self._grant(VOLUME_KEY_ACTIONS, [volume_key.key_arn]))
        if output_key is not None:
            grants.append(self._grant(OUTPUT_KEY_ACTIONS, [output_key.key_arn]))
        if not grants:
            return iam.Grant.drop(self._role, "no key to grant")
        grant = grants[0]
        for g in grants[1:]:
            grant = grant.combine(g)
        return grant

    def grant_vpc_access(self) -> iam.Grant:
        """The nine EC2 actions Comprehend needs to place a job in a VPC (Resource ``*``)."""
        self._acknowledge_no_resource_level(vpc=True)
        return self._grant(_VPC_ACTIONS, ["*"])

    def grant_textract(self) -> iam.Grant:
        """textract:DetectDocumentText and textract:AnalyzeDocument (Resource ``*``), for
        jobs that read images or scanned PDFs (a ``DocumentReaderConfig``)."""
        self._acknowledge_no_resource_level(vpc=False)
        return self._grant(_TEXTRACT_ACTIONS, ["*"])


class DataAccessRole(_DataAccessRoleBase):
    """The IAM role Comprehend assumes to read input, write output and use the keys.

    :param storage: grant read on its input prefix and write on its output prefix
        (``grant_storage``); any ``IJobStorage``. Default: None (use the grant methods).
    :param encryption: grant the volume and output keys (``grant_keys``); any
        ``IJobEncryption``. Default: None (no key is granted).
    :param network: grant the nine EC2 actions for jobs in a VPC (``grant_vpc_access``);
        any ``IJobNetwork``. Default: None (no EC2 permission at all).
    :param job_types: job types that use the role (more via ``allow_job_type``; every job
        adds its own). Default: None (none yet; at least one is required by synth time).
    :param role_name: a physical role name (1-64 characters of letters, digits and
        ``+=,.@_-``). Default: None (CloudFormation generates one).
    :param description: the role's description. Default: None
        (``"Amazon Comprehend job data access (comprehend-jobs)"``).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        storage: IJobStorage | None = None,
        encryption: IJobEncryption | None = None,
        network: IJobNetwork | None = None,
        job_types: list[JobType] | None = None,
        role_name: str | None = None,
        description: str | None = None,
    ) -> None:
        problems = Problems(lambda: construct_label("DataAccessRole", scope, construct_id))
        for prop, value, interface, fix in (
            ("storage", storage, IJobStorage, "pass a JobStorage, or None"),
            ("encryption", encryption, IJobEncryption, "pass a JobEncryption, or None"),
            ("network", network, IJobNetwork, "pass a JobNetwork, or None"),
        ):
            if value is not None:
                problems.check_interface(prop, value, interface, fix)
        _check_job_types(problems, job_types)
        check_role_props(problems, role_name, description)
        problems.raise_if_any()

        super().__init__(scope, construct_id)
        stack = self._stack
        self._job_types: dict[str, JobType] = {}
        # Every job type, always (see the module docstring): the trust must not change.
        prefix = f"arn:{stack.partition}:comprehend:{stack.region}:{stack.account}:"
        source_arns = sorted(f"{prefix}{t.arn_resource}/*" for t in JOB_TYPES.values())
        self._role = iam.Role(
            self,
            "Role",
            role_name=role_name,
            description=description or _DESCRIPTION,
            assumed_by=iam.ServicePrincipal(
                _SERVICE_PRINCIPAL,
                conditions={
                    "StringEquals": {"aws:SourceAccount": stack.account},
                    "ArnLike": {"aws:SourceArn": source_arns},
                },
            ),
        )
        self._policy: iam.ManagedPolicy | None = None
        self._principal = _PolicyPrincipal(self)
        self._acknowledged: set[str] = set()
        self.node.add_validation(_JobTypesValidation(self))

        for job_type in job_types or []:
            self.allow_job_type(job_type)
        if storage is not None:
            self.grant_storage(storage)
        if encryption is not None:
            self.grant_keys(encryption)
        if network is not None:
            self.grant_vpc_access()

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """A grantee that writes into this role's managed policy (for ``bucket.grant_*``)."""
        return self._principal

    @property
    def policy(self) -> iam.ManagedPolicy:
        """The role's managed policy (created with the first grant: an empty policy is
        invalid in CloudFormation)."""
        # Kept on the Python side: every grant reads it, and a node lookup is a jsii call.
        if self._policy is None:
            self._policy = iam.ManagedPolicy(self, "Policy", roles=[self._role])
            # On the L1, once the policy exists: the digest is of its own document.
            cfn = self._policy.node.default_child
            assert isinstance(cfn, iam.CfnManagedPolicy)
            cfn.description = Lazy.uncached_string(
                DescriptionWithDigest(self._policy, _DESCRIPTION)
            )
        return self._policy

    @property
    def job_types(self) -> list[JobType]:
        """The job types that use the role, sorted by ARN resource type."""
        return [self._job_types[k] for k in sorted(self._job_types)]

    def _allow(self, job_type: JobType) -> None:
        self._job_types[job_type.arn_resource] = job_type

    def _grant(
        self,
        actions: Iterable[str],
        resources: list[str],
        conditions: dict[str, Any] | None = None,
    ) -> iam.Grant:
        return iam.Grant.add_to_principal(
            grantee=self._principal,
            actions=sorted(actions),
            resource_arns=resources,
            conditions=conditions,
        )

    def _acknowledge_resource(self, kind: str, resource: str) -> None:
        detail = f"Resource::{resource_detail(self, resource)}"
        key = f"{kind}:{detail}"
        if key in self._acknowledged:
            return
        self._acknowledged.add(key)
        acknowledge(self.policy, kind, applies_to=[detail.removeprefix("Resource::")])

    def _acknowledge_no_resource_level(self, *, vpc: bool) -> None:
        if "*" not in self._acknowledged:
            self._acknowledged.add("*")
            acknowledge(self.policy, "NO_RESOURCE_LEVEL_PERMISSIONS")
        if vpc and "checkov:*" not in self._acknowledged:
            self._acknowledged.add("checkov:*")
            skip_checks(self.policy, NO_RESOURCE_LEVEL_ACTIONS)

    # -- importing --------------------------------------------------------------------

    @staticmethod
    def from_role_arn(scope: Construct, construct_id: str, role_arn: str) -> IDataAccessRole:
        """An existing role (validated ARN); its trust and permissions are its owner's.

        ``allow_job_type`` records nothing and every grant is dropped (``iam.Grant.drop``):
        make sure the role trusts ``comprehend.amazonaws.com`` for the job types used and
        can read the input, write the output and use the keys. Dropped grants become the
        output ``<id>RequiredPolicy`` and a synth warning (``comprehend-jobs:imported-role``);
        foreign keys still get the ``<id>CrossAccountKeyPolicy`` output.

        :param role_arn: the role's ARN, ``arn:<partition>:iam::<account>:role/<path/name>``
            (checked unless a token).
        """
        return _ImportedDataAccessRole(scope, construct_id, role_arn=role_arn)


@jsii.implements(IValidation)
class _JobTypesValidation:
    """Fails synth when no job type uses the role: a role nothing runs as is a mistake."""

    def __init__(self, owner: DataAccessRole) -> None:
        self._owner = owner

    def validate(self) -> list[str]:
        if self._owner.job_types:
            return []
        return [
            f"DataAccessRole {self._owner.node.path}: no job type uses this role, so no job "
            "runs as it. Fix: pass job_types=[...] or call allow_job_type(...) (job "
            "constructs do this), or remove the role."
        ]


class _ImportedDataAccessRole(_DataAccessRoleBase):
    """An existing DataAccessRole (``DataAccessRole.from_role_arn``): its owner manages
    trust and permissions, so job types are not recorded and every grant is dropped."""

    def __init__(self, scope: Construct, construct_id: str, *, role_arn: str) -> None:
        problems = Problems(f"DataAccessRole.from_role_arn({construct_id})")
        check_role_arn(problems, role_arn)
        problems.raise_if_any()
        super().__init__(scope, construct_id)
        self._role = iam.Role.from_role_arn(self, "Role", role_arn, mutable=False)
        self._owner_statements = OwnerStatements(self, role_arn)

    def _grant(
        self,
        actions: Iterable[str],
        resources: list[str],
        conditions: dict[str, Any] | None = None,
    ) -> iam.Grant:
        # Nothing is added here; the statement goes to the output its owner reads.
        self._owner_statements.add(actions, resources, conditions)
        return iam.Grant.drop(self._role, f"{', '.join(sorted(actions))} on {resources}")
