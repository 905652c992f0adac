"""``AnalysisJob``, the one base of every job construct, and ``JobProps``, the props they share.

``AnalysisJob`` owns everything the types share: the Start*Job request, the caller's IAM
(registered with the stack's shared provider) and the one ``Custom::ComprehendAnalysisJob``
resource a job adds to the template. Its constructor reads "check, then build": the props
pass the rules (``_private.job_rules``) first, or arrive already checked from the job
class or the composing construct that checked them (``_private.checked_job``), and only
then is anything created.

Custom resource contract (the handler and the ``comprehend-jobs`` command rely on it):
type ``Custom::ComprehendAnalysisJob``; properties ``JobType`` (the API stem), ``Request``
(the Start<JobType>Job body with the API's own field names), ``StopOnDelete``,
``WaitForCompletion`` and, when given, ``RerunToken``; physical ID = the job ARN;
attributes ``JobId``, ``JobArn``, ``JobStatus`` and, for waiting jobs, ``OutputS3Uri``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Required, TypedDict

import jsii
from aws_cdk import Annotations, CustomResource
from constructs import Construct, IValidation

from comprehend_jobs._lambda.job_types import RESOURCE_TYPE
from comprehend_jobs._private import checked_job, document_rules, job_request, job_rules
from comprehend_jobs._private.provider import JobProvider
from comprehend_jobs._private.validation import Problems, construct_label, describe_problem
from comprehend_jobs.input_options import InputFormat
from comprehend_jobs.interfaces import (
    IDataAccessRole,
    IJobEncryption,
    IJobNetwork,
    IJobStorage,
)
from comprehend_jobs.job_types import JobType

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "CLOSED_JOB_TYPE_WARNING",
    "MODEL_REGION_WARNING",
    "AnalysisJob",
    "JobProps",
]

#: The synth warning on a job whose type is closed to new customers (the job-type table's
#: ``closed_to_new_customers``: topic modeling and event detection).
CLOSED_JOB_TYPE_WARNING = "comprehend-jobs:closed-job-type"
#: The synth warning on a job of an env-agnostic stack whose model ARN names a Region.
MODEL_REGION_WARNING = "comprehend-jobs:model-region"


class JobProps(TypedDict, total=False):
    """Props every job type accepts; ``storage`` and ``role`` are required. Each one's
    meaning and default is documented on ``AnalysisJob``."""

    storage: Required[IJobStorage]
    role: Required[IDataAccessRole]
    encryption: IJobEncryption | None
    network: IJobNetwork | None
    job_name: str | None
    tags: Mapping[str, str] | None
    stop_on_delete: bool
    wait_for_completion: bool
    rerun_token: str | None
    input_format: InputFormat | str | None


class AnalysisJob(Construct):
    """An Amazon Comprehend asynchronous analysis job, started when the stack deploys.

    Use the subclass for the job type (``EntityRecognitionJob``,
    ``DocumentClassificationJob``, ...); every job is an ``AnalysisJob``. A subclass of your
    own that sets ``job_type`` (a ``comprehend_jobs.job_types`` row) starts that type with
    these props. Every prop is checked before anything is created; all problems are
    reported together in one ``PropValidationError`` (a ``ValueError``).

    :param storage: where the job reads its input and writes its output (an
        ``IJobStorage``: ``JobStorage(...)``, ``JobStorage.from_s3_uris(...)``).
        Required. The job starts after the storage's ``input_documents`` are uploaded, and
        again when they change; on an input bucket the storage creates, without documents,
        synth fails (the job would find nothing).
    :param role: the DataAccessRole Comprehend assumes to read, write, use the keys and the
        VPC (an ``IDataAccessRole``: ``DataAccessRole(...)``,
        ``DataAccessRole.from_role_arn(...)``). Required. The job adds its job type to the
        role's trust policy.
    :param encryption: the job's keys (an ``IJobEncryption``): ``VolumeKmsKeyId`` (for
        types that accept it; others ignore the volume key) and
        ``OutputDataConfig.KmsKeyId``. Default: None (no customer managed keys; the
        buckets' own encryption still applies).
    :param network: run the job in these VPC subnets and security groups (an
        ``IJobNetwork``). Default: None (the job runs outside any VPC). Not accepted by
        PII and events jobs (the API has no VpcConfig).
    :param job_name: the job's name, unique in the account and Region (1-256 characters:
        letters, numbers, spaces and ``_.:/=+-%@``). Default: None (derived by the handler
        from the stack name and the resource's logical ID, with a suffix unique per start).
    :param tags: tags for the job (at most 49: the library tags each job with its key).
        Default: None (no tags).
    :param stop_on_delete: stop the job when the resource is deleted, if it is still
        running and the type can be stopped. A bool (a string such as ``"no"`` is a prop
        error). Default: True.
    :param wait_for_completion: keep the deployment waiting until the job ends (at most 1
        hour; a FAILED or STOPPED job fails the deployment); then ``output_s3_uri`` is
        known. A bool (a string such as ``"yes"`` is a prop error). Default: False.
    :param rerun_token: change this value to start the job again with the same request.
        Default: None (only a changed request or changed input documents start a new job).
    :param input_format: ``ONE_DOC_PER_FILE`` or ``ONE_DOC_PER_LINE``. Default: None (the
        service's default, one document per line; ``ONE_DOC_PER_FILE`` is required with a
        ``document_reader``).
    """

    #: The job type this class starts; every job class sets it.
    job_type: ClassVar[JobType]

    def __init__(self, scope: Construct, id: str, **props: Unpack[JobProps]) -> None:
        job_type = getattr(type(self), "job_type", None)
        # AnalysisJob itself sets no job_type: it is refused by its class, not skipped.
        if type(self) is AnalysisJob or not isinstance(job_type, JobType):
            raise TypeError(
                f"{type(self).__name__} sets no job_type: AnalysisJob is the base of the job "
                "constructs. Use the class for the job type (EntityRecognitionJob, "
                "DocumentClassificationJob, ...), or set job_type = <a comprehend_jobs."
                "job_types row> on your subclass."
            )
        # Check: the job class (or a composing construct) hands over the props it checked;
        # a job class of your own, with no props of its own, has them checked here.
        checked = checked_job.take_handed_over(job_type) or job_rules.check_job(
            Problems(lambda: construct_label(type(self).__name__, scope, id)),
            job_type=job_type,
            scope=scope,
            **props,
        )
        # Then build. The parts passed the rules (or are a composing construct's own).
        storage, role = props["storage"], props["role"]
        encryption, network = props.get("encryption"), props.get("network")
        super().__init__(scope, id)
        if checked.model_region_warning is not None:
            Annotations.of(self).add_warning_v2(MODEL_REGION_WARNING, checked.model_region_warning)
        if checked.closed_job_type_warning is not None:
            Annotations.of(self).add_warning_v2(
                CLOSED_JOB_TYPE_WARNING, checked.closed_job_type_warning
            )
        #: Where the job reads its documents and writes its results.
        self.storage: IJobStorage = storage
        #: The role Comprehend assumes for the job.
        self.role: IDataAccessRole = role
        #: The job's keys, or None.
        self.encryption: IJobEncryption | None = encryption
        #: The job's subnets and security groups, or None (no VPC).
        self.network: IJobNetwork | None = network

        request = job_request.build_request(
            checked,
            storage=storage,
            role_arn=role.role_arn,
            encryption=encryption,
            network=network,
        )
        #: The Start*Job request the handler sends (tokens resolve at deploy time).
        self.request = request

        provider = JobProvider.of(self)
        volume_key_arn = (
            encryption.volume_key_arn
            if encryption is not None and job_type.supports_volume_key
            else None
        )
        provider.handler.register(
            job_type=job_type,
            data_access_role_arn=role.role_arn,
            model_arns=job_request.model_arns_to_grant(checked.model_source),
            volume_key_arn=volume_key_arn,
            textract=checked.document_reader is not None,
        )
        role.allow_job_type(job_type)
        if checked.document_reader is not None:
            # Comprehend reads images and scanned PDFs through Textract; whether the caller
            # or the DataAccessRole needs it is undocumented, so both get it.
            role.grant_textract()

        properties: dict[str, Any] = {
            "JobType": job_type.stem,
            "Request": request,
            "StopOnDelete": checked.stop_on_delete,
            "WaitForCompletion": checked.wait_for_completion,
            # Read at synth: documents the storage gets after this job count too.
            "RerunToken": job_request.RerunToken(checked.rerun_token, storage),
        }
        self.resource = CustomResource(
            self,
            "Resource",
            service_token=provider.service_token,
            resource_type=RESOURCE_TYPE,
            properties=properties,
        )
        # Comprehend checks the role when the job starts: its policy must be in place, and
        # every caller policy too (a later job's ARNs may sort into any of them); and the
        # documents uploaded into the input location must be there.
        self.resource.node.add_dependency(role.policy_dependable)
        self.resource.node.add_dependency(provider.handler)
        self.resource.node.add_dependency(storage.input_documents_uploaded)
        # No doomed job: checked at synth, so documents added after the job count; once
        # per storage, on its first job, naming every job that shares it.
        check = provider.input_checks.get(storage.node.path)
        if check is None:
            check = provider.input_checks[storage.node.path] = _InputDocumentsCheck(storage)
            self.node.add_validation(check)
        check.jobs.append(self)
        # The storage's folders passed this job's document rules (here or in the composing
        # construct); a folder it uploads later is checked against this job when added.
        reading = document_rules.reading_format(checked.input_format)
        if reading is not None:
            document_rules.record_reading(
                storage,
                document_rules.Reading(
                    f"{type(self).__name__} at {self.node.path!r}", job_type.stem, reading
                ),
            )

        #: The job's ID (``JobId``), known after deployment.
        self.job_id = self.resource.get_att_string("JobId")
        #: The job's ARN; also the custom resource's physical ID.
        self.job_arn = self.resource.get_att_string("JobArn")
        #: The job's status when the deployment started it (or saw it end, when waiting).
        self.job_status_at_deploy = self.resource.get_att_string("JobStatus")
        self._waits = checked.wait_for_completion

    @property
    def output_s3_uri(self) -> str:
        """Where Comprehend wrote the results (``OutputDataConfig.S3Uri`` as the job
        reports it, a token): only for a job with ``wait_for_completion=True``.

        :raises AttributeError: for a job the deployment does not wait for (its output
            folder is named when the job runs, after the deployment ended).
        """
        if not self._waits:
            raise AttributeError(
                f"{type(self).__name__} at {self.node.path!r} has no output_s3_uri: the "
                "deployment does not wait for this job (wait_for_completion=False), and "
                "Comprehend names the job's output folder only once it runs. Fix: pass "
                "wait_for_completion=True, or read the location the job writes under from "
                "the storage (job.storage.output_s3_uri)."
            )
        return self.resource.get_att_string("OutputS3Uri")


@jsii.implements(IValidation)
class _InputDocumentsCheck:
    """No doomed job: fails synth when the jobs' input location is a bucket made in this
    deployment with nothing uploaded into it. A job started there would find no documents
    and end with no results, and nothing put there after the deployment is ever analysed."""

    def __init__(self, storage: IJobStorage) -> None:
        self._storage = storage
        #: The jobs on this storage, in the order they were made.
        self.jobs: list[AnalysisJob] = []

    def validate(self) -> list[str]:
        storage = self._storage
        if not storage.creates_input_bucket or storage.input_documents_fingerprint is not None:
            return []
        first, others = self.jobs[0], self.jobs[1:]
        named = ", ".join(job.node.path for job in others[:3])
        more = f" and {len(others) - 3} more" if len(others) > 3 else ""
        shared = f" (also the storage of {named}{more})" if others else ""
        return [
            f"{type(first).__name__} {first.node.path}{shared}: "
            + describe_problem(
                "storage",
                storage,
                "its input location is a bucket this library creates in this deployment and "
                "leaves empty, so the job would start on no documents and end with no "
                "results (documents put there later are never analysed)",
                "give the storage the documents to upload before the job starts: "
                "JobStorage(..., input_documents='path/to/folder') or "
                "storage.add_input_documents('path/to/folder'); or, for documents already "
                "in S3, use JobStorage.from_s3_uris(scope, 'Storage', "
                "input_s3_uri='s3://your-bucket/your/prefix/')",
            )
        ]
