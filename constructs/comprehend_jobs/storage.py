"""JobStorage: the input and output S3 locations of a Comprehend job.

Default: an input bucket and an output bucket, both SSE-KMS (the output key of a given
``JobEncryption``, else one key of this construct's own, rotation on, with S3 bucket keys
so 100 jobs do not mean 100x the KMS requests), TLS-only (and TLS 1.2+) bucket policies,
all public access blocked, versioning, object ownership enforced, and server access logs
into one access-log bucket (SSE-S3: the only encryption S3 log delivery supports).

Bring your own: ``existing_input_bucket=`` / ``existing_output_bucket=`` (IBucket), each
independently; the prefixes apply either way. Comprehend requires the buckets to be in
the Region of the job, so a bucket whose Region is known and differs from the stack's is
an error. A brought input bucket encrypted with SSE-KMS needs its key known, so the
DataAccessRole gets ``kms:Decrypt`` on it: import the bucket with
``s3.Bucket.from_bucket_attributes(..., encryption_key=key)`` or pass
``input_bucket_key=`` (``Bucket.from_bucket_name`` knows no key).

No doomed job: a job on an input bucket this construct creates would start, in the same
deployment, on a bucket nothing was put in, find no documents and end with no results.
So documents go with the bucket: ``input_documents=`` (a local folder, or
``aws_s3_deployment`` sources) uploads them into the input prefix at deploy, and every job
on this storage depends on the upload and starts again when the documents change (their
content hashes are part of its ``RerunToken``). A job on created, empty input storage
fails synth (a validation, so ``add_input_documents`` after the job still counts), naming
``storage`` and the two fixes: documents to upload, or ``JobStorage.from_s3_uris(...)``
for documents already in S3.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aws_cdk import Fn, RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct, DependencyGroup, IDependable

from comprehend_jobs._private import document_rules, storage_rules
from comprehend_jobs._private.input_documents import (
    check_documents,
    sources_of,
    upload_documents,
)
from comprehend_jobs._private.key_rules import (
    key_reference,
    warn_if_string_parameter,
)
from comprehend_jobs._private.prefix_rules import (
    DEFAULT_INPUT_PREFIX,
    DEFAULT_OUTPUT_PREFIX,
)
from comprehend_jobs._private.s3_uris import S3Location, parse_s3_uri
from comprehend_jobs._private.validation import Problems, construct_label
from comprehend_jobs.compliance.acknowledgments import acknowledge
from comprehend_jobs.compliance.checkov import ACCESS_LOG_DESTINATION, skip_checks
from comprehend_jobs.encryption import KeyReference
from comprehend_jobs.interfaces import IJobEncryption

if TYPE_CHECKING:
    # Annotations only: aws_s3_deployment is loaded where documents are uploaded
    # (_private/input_documents.py), so an app that uploads none never loads it.
    from aws_cdk import aws_s3_deployment as s3deploy

__all__ = [
    "JobStorage",
]


#: The aws-cdk-lib feature flag that makes access-log delivery use a bucket policy.
_ACCESS_LOGS_USE_BUCKET_POLICY = "@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy"


class JobStorage(Construct):
    """The input and output buckets (and prefixes) of Comprehend jobs (an ``IJobStorage``).

    :param encryption: its output key encrypts the buckets this construct creates; any
        ``IJobEncryption``. Default: None (a key of this construct, rotation on). A key
        given only as a string (alias or ARN) cannot be used for bucket encryption either:
        a key is created then.
    :param existing_input_bucket: read input from this bucket. Default: None (a bucket is
        created, and a job on it needs ``input_documents``). If its objects are SSE-KMS
        encrypted, the role needs their key: import it with
        ``s3.Bucket.from_bucket_attributes(..., encryption_key=key)`` or pass
        ``input_bucket_key=`` (``from_bucket_name`` knows no key).
    :param existing_output_bucket: write output to this bucket. Default: None (a bucket is
        created).
    :param input_prefix: the key prefix of the input objects, ending in ``/`` (or ``""``
        for the whole bucket), or the key of one input object (a file name with an
        extension, ``"claims/doc-1.txt"``: the role reads exactly that object), without
        ``s3://`` or the bucket. Default: ``"input/"``.
    :param output_prefix: the key prefix Comprehend writes under, ending in ``/`` (or
        ``""``). Default: ``"output/"``.
    :param existing_access_log_bucket: server access logs of created buckets go here.
        Default: None (an access-log bucket is created, only when a bucket is created).
    :param removal_policy: removal policy of the created buckets and key. Default: None
        (RETAIN).
    :param auto_delete_objects: (a bool) empty created buckets on stack deletion (needs
        ``removal_policy=RemovalPolicy.DESTROY``; adds a CDK custom-resource Lambda).
        Default: False.
    :param input_bucket_key: the KMS key that encrypts the objects of
        ``existing_input_bucket`` (IKey, key ID or alias of this account, key ARN or alias
        ARN, in the stack's Region; a token must resolve to a key ARN): the DataAccessRole
        gets ``kms:Decrypt`` on it, through S3 only (``kms:ViaService``). A key of another
        account must also allow the role ``kms:Decrypt`` in its key policy. Only with
        ``existing_input_bucket``. Default: None (the key the bucket was imported with,
        if any).
    :param input_documents: documents to upload into the input prefix at deploy, before
        any job on this storage starts: a local folder path, or ``aws_s3_deployment``
        sources. Uploaded with ``prune=False`` and ``retain_on_delete=True``: nothing else
        under the prefix is touched, and nothing is deleted with the stack. Every job on
        this storage starts after the upload, and again when the documents change.
        Required (here or with ``add_input_documents``) for a job on the input bucket this
        construct creates. A folder's documents are checked against Comprehend's
        per-document limits by each job on this storage (a job of a type or input format
        that cannot read them fails naming ``storage``). Default: None (nothing uploaded).
    """

    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        encryption: IJobEncryption | None = None,
        existing_input_bucket: s3.IBucket | None = None,
        existing_output_bucket: s3.IBucket | None = None,
        input_prefix: str = DEFAULT_INPUT_PREFIX,
        output_prefix: str = DEFAULT_OUTPUT_PREFIX,
        existing_access_log_bucket: s3.IBucket | None = None,
        removal_policy: RemovalPolicy | None = None,
        auto_delete_objects: bool = False,
        input_bucket_key: kms.IKey | str | None = None,
        input_documents: str | Sequence[s3deploy.ISource] | None = None,
    ) -> None:
        stack = Stack.of(scope)
        problems = Problems(lambda: construct_label("JobStorage", scope, construct_id))
        checked = storage_rules.check_storage(
            problems,
            stack,
            encryption=encryption,
            existing_input_bucket=existing_input_bucket,
            existing_output_bucket=existing_output_bucket,
            input_prefix=input_prefix,
            output_prefix=output_prefix,
            existing_access_log_bucket=existing_access_log_bucket,
            removal_policy=removal_policy,
            auto_delete_objects=auto_delete_objects,
            input_bucket_key=input_bucket_key,
            input_documents=input_documents,
        )
        problems.raise_if_any()
        encryption, input_key_ref = checked.encryption, checked.input_bucket_key
        auto_delete_objects, creates_any = checked.auto_delete_objects, checked.creates_any

        super().__init__(scope, construct_id)
        # Server access logs are delivered through a bucket policy, never the legacy
        # LogDeliveryWrite ACL (which needs ACLs enabled on the log bucket), whatever
        # feature flags the user's app sets: context set here applies to this subtree only.
        self.node.set_context(_ACCESS_LOGS_USE_BUCKET_POLICY, True)
        self.input_prefix: str = input_prefix
        self.output_prefix: str = output_prefix
        warn_if_string_parameter(self, "input_bucket_key", input_bucket_key)
        self.encryption = encryption
        policy = removal_policy or RemovalPolicy.RETAIN
        self.data_key: kms.IKey | None = None
        self.access_log_bucket: s3.IBucket | None = None
        if creates_any:
            self.data_key = (encryption.output_key if encryption else None) or kms.Key(
                self,
                "DataKey",
                description="comprehend-jobs: job input and output buckets",
                enable_key_rotation=True,
                removal_policy=policy,
            )
            self.access_log_bucket = existing_access_log_bucket or self._log_bucket(
                policy, auto_delete_objects
            )
        self.input_bucket: s3.IBucket = existing_input_bucket or self._data_bucket(
            "InputBucket", "input-bucket/", policy, auto_delete_objects
        )
        self.output_bucket: s3.IBucket = existing_output_bucket or self._data_bucket(
            "OutputBucket", "output-bucket/", policy, auto_delete_objects
        )
        self.created_buckets: list[s3.Bucket] = [
            b for b in (self.input_bucket, self.output_bucket) if isinstance(b, s3.Bucket)
        ]
        if input_key_ref is None and existing_input_bucket is not None:
            imported_key = existing_input_bucket.encryption_key
            if imported_key is not None:
                input_key_ref = key_reference(stack, imported_key)
        #: The key of a brought input bucket (``input_bucket_key``, else the key it was
        #: imported with): the DataAccessRole gets kms:Decrypt on it through S3. None for
        #: a created input bucket (its key is granted with the bucket) or an unknown key.
        self.input_bucket_key_ref: KeyReference | None = input_key_ref
        self._creates_input_bucket = existing_input_bucket is None
        self._input_upload: s3deploy.BucketDeployment | None = None
        # Jobs depend on this group; an upload added later joins it (resolved at synth).
        self._uploaded = DependencyGroup()
        if input_documents is not None:
            self.add_input_documents(input_documents)

    def _log_bucket(self, policy: RemovalPolicy, auto_delete: bool) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            "AccessLogBucket",
            encryption=s3.BucketEncryption.S3_MANAGED,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=policy,
            auto_delete_objects=auto_delete,
        )
        # The CfnBucket read once (each read is a jsii round trip) for all three.
        cfn = bucket.node.default_child or bucket
        acknowledge(cfn, "ACCESS_LOG_BUCKET")
        acknowledge(cfn, "S3_REPLICATION")
        skip_checks(cfn, ACCESS_LOG_DESTINATION)
        return bucket

    def _data_bucket(
        self, construct_id: str, log_prefix: str, policy: RemovalPolicy, auto_delete: bool
    ) -> s3.Bucket:
        bucket = s3.Bucket(
            self,
            construct_id,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.data_key,
            bucket_key_enabled=True,
            enforce_ssl=True,
            minimum_tls_version=1.2,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=self.access_log_bucket,
            server_access_logs_prefix=log_prefix,
            removal_policy=policy,
            auto_delete_objects=auto_delete,
        )
        acknowledge(bucket.node.default_child or bucket, "S3_REPLICATION")
        return bucket

    @classmethod
    def from_s3_uris(
        cls,
        scope: Construct,
        construct_id: str,
        *,
        input_s3_uri: str | None = None,
        output_s3_uri: str | None = None,
        **props: Any,
    ) -> JobStorage:
        """Storage on the locations the console shows (``s3://bucket/prefix/``).

        Each URI given names an existing bucket and the prefix in it; a location not
        given is created as by the constructor (so ``input_s3_uri`` alone reads your data
        and writes into a new output bucket). ``props`` are the constructor's other props.
        Every URI is checked (botocore's ``S3Uri`` form) before anything is created.

        :param input_s3_uri: where the documents are. Default: a new input bucket.
        :param output_s3_uri: where the results go. Default: a new output bucket.
        """
        problems = Problems(lambda: construct_label("JobStorage.from_s3_uris", scope, construct_id))
        locations: dict[str, S3Location | None] = {}
        # "input" or "output" -> its location, parsed from "<which>_s3_uri".
        for which, uri in (("input", input_s3_uri), ("output", output_s3_uri)):
            if uri is None:
                continue
            locations[which] = parse_s3_uri(problems, f"{which}_s3_uri", uri)
            if f"{which}_prefix" in props:
                problems.add(
                    f"{which}_prefix",
                    props[f"{which}_prefix"],
                    f"no prefix besides {which}_s3_uri, which holds its own",
                    f"put the prefix in {which}_s3_uri and drop {which}_prefix",
                )
        problems.raise_if_any()
        # The imported buckets sit beside the storage; removed again if its props fail.
        imported: list[str] = []
        for which, location in locations.items():
            if location is None:
                continue
            bucket_id = f"{construct_id}{which.title()}Bucket"
            props[f"existing_{which}_bucket"] = s3.Bucket.from_bucket_name(
                scope, bucket_id, location.bucket
            )
            props[f"{which}_prefix"] = location.prefix
            imported.append(bucket_id)
        try:
            return cls(scope, construct_id, **props)
        except Exception:
            for bucket_id in imported:
                scope.node.try_remove_child(bucket_id)
            raise

    # -- the interface the job constructs use ------------------------------------------

    @property
    def input_s3_uri(self) -> str:
        """``s3://<input bucket>/<input prefix>`` (InputDataConfig.S3Uri)."""
        return f"s3://{self.input_bucket.bucket_name}/{self.input_prefix}"

    @property
    def output_s3_uri(self) -> str:
        """``s3://<output bucket>/<output prefix>`` (OutputDataConfig.S3Uri)."""
        return f"s3://{self.output_bucket.bucket_name}/{self.output_prefix}"

    @property
    def creates_input_bucket(self) -> bool:
        """True when this construct creates the input bucket: in this deployment it holds
        only what ``input_documents`` / ``add_input_documents`` upload."""
        return self._creates_input_bucket

    @property
    def input_upload(self) -> s3deploy.BucketDeployment | None:
        """The upload of the input documents, or None when nothing is uploaded."""
        return self._input_upload

    @property
    def input_documents_uploaded(self) -> IDependable:
        """Depend on this to start after the input documents are uploaded (nothing to wait
        for when none are); an upload added later is included."""
        return self._uploaded

    @property
    def input_documents_fingerprint(self) -> str | None:
        """The uploaded documents' object keys (content hashes, a token), joined: changes
        whenever a document is added or changed. None when nothing is uploaded."""
        if self._input_upload is None:
            return None
        return Fn.join(",", self._input_upload.object_keys)

    def add_input_documents(
        self, documents: str | Sequence[s3deploy.ISource]
    ) -> s3deploy.BucketDeployment:
        """Upload ``documents`` (a local folder path, or ``aws_s3_deployment`` sources)
        into the input prefix at deploy, as ``input_documents=`` does; more calls add
        sources to the same upload. Returns the upload (``InputDocuments``).

        A folder is checked against Comprehend's per-document limits of every job already
        on this storage (its type and input format), before anything is added; a job made
        later checks the folders uploaded before it."""
        problems = Problems(f"JobStorage at {self.node.path!r}")
        check_documents(problems, "documents", documents)
        folder = documents if isinstance(documents, str) and not problems else None
        if folder is not None:
            document_rules.check_added_documents(problems, "documents", self, folder)
        problems.raise_if_any()
        if folder is not None:
            uploads = document_rules.documents_of(self, create=True)
            assert uploads is not None, "a JobStorage is always recorded"
            uploads.folders.append(folder)
        if self._input_upload is not None:
            for source in sources_of(documents):
                self._input_upload.add_source(source)
            return self._input_upload
        self._input_upload = upload_documents(
            self,
            documents,
            bucket=self.input_bucket,
            prefix=self.input_prefix,
            bucket_key=self.input_bucket_key_ref,
        )
        self._uploaded.add(self._input_upload)
        return self._input_upload
