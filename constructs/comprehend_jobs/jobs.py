"""Analysis jobs: one construct per Comprehend job type, started by a custom resource.

``AnalysisJob`` owns everything the types share: prop validation, the Start*Job request,
the caller's IAM (registered with the stack's shared provider) and the one
``Custom::ComprehendAnalysisJob`` resource a job adds to the template. The subclasses only
add their type's own fields. Which fields a type accepts, whether it has VPC and volume-key
support and whether it can be stopped all come from the job-type table
(``comprehend_jobs.job_types``), which the handler reads too.

Custom resource contract (the handler and the ``comprehend-jobs`` command rely on it):
type ``Custom::ComprehendAnalysisJob``; properties ``JobType`` (the API stem), ``Request``
(the Start<JobType>Job body with the API's own field names), ``StopOnDelete``,
``WaitForCompletion`` and, when given, ``RerunToken``; physical ID = the job ARN;
attributes ``JobId``, ``JobArn``, ``JobStatus`` and, for waiting jobs, ``OutputS3Uri``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Required, TypedDict, TypeVar

import jsii
from aws_cdk import (
    Annotations,
    CustomResource,
    Fn,
    IResolvable,
    IResolveContext,
    Stack,
    Token,
)
from constructs import Construct, IValidation

from comprehend_jobs._lambda.job_types import RESOURCE_TYPE
from comprehend_jobs._private import api_model
from comprehend_jobs._private.provider import JobProvider
from comprehend_jobs._private.validation import (
    Problems,
    construct_label,
    describe_problem,
    is_unresolved,
)
from comprehend_jobs.input_options import DocumentReader, InputFormat
from comprehend_jobs.interfaces import (
    IDataAccessRole,
    IJobEncryption,
    IJobNetwork,
    IJobStorage,
)
from comprehend_jobs.job_types import (
    DOCUMENT_CLASSIFICATION,
    DOMINANT_LANGUAGE_DETECTION,
    ENTITIES_DETECTION,
    EVENTS_DETECTION,
    KEY_PHRASES_DETECTION,
    PII_ENTITIES_DETECTION,
    SENTIMENT_DETECTION,
    TARGETED_SENTIMENT_DETECTION,
    TOPICS_DETECTION,
    JobType,
)

__all__ = [
    "CLOSED_JOB_TYPE_WARNING",
    "MODEL_REGION_WARNING",
    "AnalysisJob",
    "DocumentClassificationJob",
    "DominantLanguageDetectionJob",
    "EntityRecognitionJob",
    "EventsDetectionJob",
    "JobProps",
    "KeyPhrasesDetectionJob",
    "PiiEntitiesDetectionJob",
    "PiiMode",
    "PiiRedaction",
    "SentimentDetectionJob",
    "TargetedSentimentDetectionJob",
    "TopicsDetectionJob",
]

if TYPE_CHECKING:
    from typing_extensions import Unpack

#: Comprehend allows 50 tags per resource.
_MAX_TAGS = 50
#: The synth warning on a job whose type is closed to new customers (the job-type table's
#: ``closed_to_new_customers``: topic modeling and event detection).
CLOSED_JOB_TYPE_WARNING = "comprehend-jobs:closed-job-type"
#: The synth warning on a job of an env-agnostic stack whose model ARN names a Region.
MODEL_REGION_WARNING = "comprehend-jobs:model-region"
#: The model-source field -> the botocore shape that constrains it.
_MODEL_SHAPES = {
    "EntityRecognizerArn": "EntityRecognizerArn",
    "DocumentClassifierArn": "DocumentClassifierArn",
    "FlywheelArn": "ComprehendFlywheelArn",
}
_ARN_REGION = re.compile(r"^arn:[^:]+:comprehend:([^:]*):")
#: A Comprehend model ARN's resource type, whatever the rest of it looks like.
_ARN_KIND = re.compile(r"^arn:[^:]*:comprehend:[^:]*:[^:]*:([a-z-]+)/")
#: Model resource type -> the API field that takes it, and how people call it.
_MODEL_KINDS = {
    "entity-recognizer": ("EntityRecognizerArn", "an entity-recognizer ARN"),
    "document-classifier": ("DocumentClassifierArn", "a document-classifier ARN"),
    "flywheel": ("FlywheelArn", "a flywheel ARN"),
}
#: API field -> the prop (and construct) to pass that kind of model to.
_MODEL_HOMES = {
    "EntityRecognizerArn": "EntityRecognitionJob(recognizer_arn=...) or "
    "ComprehendAnalysis(recognizer_arn=...)",
    "DocumentClassifierArn": "DocumentClassificationJob(classifier_arn=...) or "
    "ComprehendAnalysis(classifier_arn=...)",
    "FlywheelArn": "EntityRecognitionJob(flywheel_arn=...) or "
    "DocumentClassificationJob(flywheel_arn=...)",
}
# The limits below are read from botocore's model of the API, never copied by hand.
#: JobName's length limit.
_JOB_NAME_MAX: int = api_model.shape_metadata("JobName")["max"]


def _class_characters(shape: str) -> str:
    """The characters a shape's pattern lists literally in its character class
    (``[...]``), without its ``\\p{..}`` Unicode classes and escapes."""
    match = re.search(r"\[(.*)\]", api_model.shape_metadata(shape)["pattern"])
    assert match is not None, f"{shape} has no character class"
    return re.sub(r"\\p\{\w\}|\\", "", match.group(1))


#: The characters JobName allows besides letters, numbers and spaces (``\p{L}\p{Z}\p{N}``).
_JOB_NAME_PUNCTUATION = _class_characters("JobName")
#: Tag keys and values (Tag.Key, Tag.Value).
_TAG_KEY: dict[str, Any] = api_model.shape_metadata(api_model.member_shape("Tag", "Key"))
_TAG_VALUE: dict[str, Any] = api_model.shape_metadata(api_model.member_shape("Tag", "Value"))
#: NumberOfTopics of a topics job.
_TOPICS: dict[str, Any] = api_model.shape_metadata(
    api_model.member_shape("StartTopicsDetectionJobRequest", "NumberOfTopics")
)
#: TargetEventTypes of an events job: the list, and the shape of one event type.
_EVENT_TYPES: dict[str, Any] = api_model.shape_metadata(
    api_model.member_shape("StartEventsDetectionJobRequest", "TargetEventTypes")
)
_EVENT_TYPE = api_model.list_member_shape(
    api_model.member_shape("StartEventsDetectionJobRequest", "TargetEventTypes")
)
#: RedactionConfig.MaskCharacter, and the characters its pattern allows.
_MASK_CHARACTER = api_model.member_shape("RedactionConfig", "MaskCharacter")
_MASK_CHARACTERS = _class_characters(_MASK_CHARACTER)


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


class _JobBase(Construct):
    """The machinery every job shares: validation, the request, the caller's IAM, the
    custom resource. Job classes call it with their type's own fields; what a user passes
    is in ``JobProps`` and the job classes' own props."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        job_type: JobType,
        storage: IJobStorage | None = None,
        role: IDataAccessRole | None = None,
        encryption: IJobEncryption | None = None,
        network: IJobNetwork | None = None,
        job_name: str | None = None,
        tags: Mapping[str, str] | None = None,
        stop_on_delete: bool = True,
        wait_for_completion: bool = False,
        rerun_token: str | None = None,
        input_format: InputFormat | str | None = None,
        document_reader: DocumentReader | None = None,
        language_code: str | None = None,
        model_source: tuple[str, str] | None = None,
        type_fields: Mapping[str, Any] | None = None,
        problems: Problems | None = None,
        model_prop: str | None = None,
    ) -> None:
        problems = problems or Problems(lambda: construct_label(type(self).__name__, scope, id))
        input_format = input_format.value if isinstance(input_format, Enum) else input_format
        # storage and role are keyword arguments with a default, so that leaving one out is
        # a prop problem reported with the others (JobProps marks them Required for type
        # checkers), not Python's TypeError about missing arguments.
        for prop, value, interface, fix in (
            (
                "storage",
                storage,
                IJobStorage,
                "pass storage=JobStorage(...) (buckets it makes, with input_documents=) or "
                "storage=JobStorage.from_s3_uris(...) (where your documents are)",
            ),
            (
                "role",
                role,
                IDataAccessRole,
                "pass role=DataAccessRole(...) or role=DataAccessRole.from_role_arn(...)",
            ),
            ("encryption", encryption, IJobEncryption, "pass a JobEncryption, or omit it"),
            ("network", network, IJobNetwork, "pass a JobNetwork, or omit it"),
        ):
            if value is None:
                if prop in ("storage", "role"):
                    problems.add(prop, None, f"an {interface.__name__} (required)", fix)
            else:
                problems.check_interface(prop, value, interface, fix)
        _check_job_props(
            problems,
            job_type=job_type,
            in_vpc=network is not None,
            job_name=job_name,
            tags=tags,
            input_format=input_format,
            document_reader=document_reader,
            language_code=language_code,
            model_source=model_source,
            scope=scope,
            model_prop=model_prop,
        )
        problems.check_bool("stop_on_delete", stop_on_delete)
        problems.check_bool("wait_for_completion", wait_for_completion)
        problems.raise_if_any()
        assert storage is not None and role is not None
        super().__init__(scope, id)
        if model_source is not None:
            _warn_model_region(self, model_source[1], model_prop or model_source[0])
        if job_type.closed_to_new_customers:
            Annotations.of(self).add_warning_v2(
                CLOSED_JOB_TYPE_WARNING,
                f"{job_type.start_operation} is closed to new customers since 30 April 2026: "
                "only accounts that used it in the previous 12 months can start it, so in "
                "any other account this job fails to start and the deployment fails. "
                "Acknowledge this warning if the account still has access.",
            )
        #: Where the job reads its documents and writes its results.
        self.storage: IJobStorage = storage
        #: The role Comprehend assumes for the job.
        self.role: IDataAccessRole = role
        #: The job's keys, or None.
        self.encryption: IJobEncryption | None = encryption
        #: The job's subnets and security groups, or None (no VPC).
        self.network: IJobNetwork | None = network

        request = _build_request(
            job_type=job_type,
            storage=storage,
            role_arn=role.role_arn,
            encryption=encryption,
            network=network,
            job_name=job_name,
            tags=tags,
            input_format=input_format,
            document_reader=document_reader,
            language_code=language_code,
            model_source=model_source,
            type_fields=type_fields or {},
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
            model_arns=_model_arns_to_grant(model_source),
            volume_key_arn=volume_key_arn,
            tags=bool(tags),
            textract=document_reader is not None,
        )
        role.allow_job_type(job_type)
        if document_reader is not None:
            # Comprehend reads images and scanned PDFs through Textract; whether the caller
            # or the DataAccessRole needs it is undocumented, so both get it.
            role.grant_textract()

        properties: dict[str, Any] = {
            "JobType": job_type.stem,
            "Request": request,
            "StopOnDelete": stop_on_delete,
            "WaitForCompletion": wait_for_completion,
            # Read at synth: documents the storage gets after this job count too.
            "RerunToken": _RerunToken(rerun_token, storage),
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

        #: The job's ID (``JobId``), known after deployment.
        self.job_id = self.resource.get_att_string("JobId")
        #: The job's ARN; also the custom resource's physical ID.
        self.job_arn = self.resource.get_att_string("JobArn")
        #: The job's status when the deployment started it (or saw it end, when waiting).
        self.job_status_at_deploy = self.resource.get_att_string("JobStatus")
        self._waits = wait_for_completion

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


class AnalysisJob(_JobBase):
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
    :param tags: tags for the job (at most 50). Default: None (no tags).
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
        if not isinstance(job_type, JobType):
            raise TypeError(
                f"{type(self).__name__} sets no job_type: AnalysisJob is the base of the job "
                "constructs. Use the class for the job type (EntityRecognitionJob, "
                "DocumentClassificationJob, ...), or set job_type = <a comprehend_jobs."
                "job_types row> on your subclass."
            )
        _JobBase.__init__(self, scope, id, job_type=job_type, **props)


#: AnalysisJob's ``:param`` lines: the JobProps every job class takes besides its own.
_JOB_PROPS_DOC = (
    "    :param storage:" + (AnalysisJob.__doc__ or "").split("    :param storage:", 1)[1]
)


def _documents_job_props(cls: type[_Job]) -> type[_Job]:
    """Append the JobProps documentation to a job class's own ``:param`` lines, so that
    every parameter its ``__init__`` takes (``**props: Unpack[JobProps]`` included) is
    documented on the class itself."""
    cls.__doc__ = f"{(cls.__doc__ or '').rstrip()}\n{_JOB_PROPS_DOC}"
    return cls


_Job = TypeVar("_Job", bound=AnalysisJob)


class _CustomModelJob(AnalysisJob):
    """A job on a custom model: exactly one of the props in ``MODEL_PROPS`` is given."""

    #: Model-source prop -> the API field it fills, in the order problems name them.
    MODEL_PROPS: ClassVar[dict[str, str]]

    def _start(
        self, scope: Construct, id: str, models: Mapping[str, str | None], **props: Any
    ) -> None:
        problems = Problems(lambda: construct_label(type(self).__name__, scope, id))
        source = _check_model_source(
            problems, {prop: (self.MODEL_PROPS[prop], arn) for prop, arn in models.items()}
        )
        model_prop = next((prop for prop, arn in models.items() if arn is not None), None)
        _JobBase.__init__(
            self,
            scope,
            id,
            job_type=self.job_type,
            model_source=source,
            problems=problems,
            model_prop=model_prop,
            **props,
        )


@_documents_job_props
class EntityRecognitionJob(_CustomModelJob):
    """A custom entity recognition job (the console's "Custom entity recognition" analysis).

    Give exactly one model source: ``recognizer_arn`` or ``flywheel_arn``.

    :param recognizer_arn: the entity recognizer, optionally with ``/version/V``.
        Default: None (give this or ``flywheel_arn``).
    :param flywheel_arn: a flywheel; the job uses its active model version. Default: None
        (give this or ``recognizer_arn``).
    :param language_code: the documents' language. Comprehend uses the language the
        recognizer was trained on, but the API requires one. Default: ``"en"``.
    :param document_reader: how PDF, Word and image input is read (Textract options).
        Default: None (the service's defaults).
    """

    job_type = ENTITIES_DETECTION
    MODEL_PROPS = {"recognizer_arn": "EntityRecognizerArn", "flywheel_arn": "FlywheelArn"}

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        recognizer_arn: str | None = None,
        flywheel_arn: str | None = None,
        language_code: str = "en",
        document_reader: DocumentReader | None = None,
        **props: Unpack[JobProps],
    ) -> None:
        self._start(
            scope,
            id,
            {"recognizer_arn": recognizer_arn, "flywheel_arn": flywheel_arn},
            language_code=language_code,
            document_reader=document_reader,
            **props,
        )


@_documents_job_props
class DocumentClassificationJob(_CustomModelJob):
    """A custom classification job (the console's "Custom classification" analysis).

    Give exactly one model source: ``classifier_arn`` or ``flywheel_arn``. Classification
    jobs cannot be stopped (the API has no Stop operation), so ``stop_on_delete`` has no
    effect.

    :param classifier_arn: the document classifier, optionally with ``/version/V``.
        Default: None (give this or ``flywheel_arn``).
    :param flywheel_arn: a flywheel; the job uses its active model version. Default: None
        (give this or ``classifier_arn``).
    :param document_reader: how PDF, Word and image input is read (Textract options).
        Default: None (the service's defaults).
    """

    job_type = DOCUMENT_CLASSIFICATION
    MODEL_PROPS = {"classifier_arn": "DocumentClassifierArn", "flywheel_arn": "FlywheelArn"}

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        classifier_arn: str | None = None,
        flywheel_arn: str | None = None,
        document_reader: DocumentReader | None = None,
        **props: Unpack[JobProps],
    ) -> None:
        self._start(
            scope,
            id,
            {"classifier_arn": classifier_arn, "flywheel_arn": flywheel_arn},
            document_reader=document_reader,
            **props,
        )


@_documents_job_props
class DominantLanguageDetectionJob(AnalysisJob):
    """Detects the dominant language of each document (no language to give)."""

    job_type = DOMINANT_LANGUAGE_DETECTION

    def __init__(self, scope: Construct, id: str, **props: Unpack[JobProps]) -> None:
        _JobBase.__init__(self, scope, id, job_type=self.job_type, **props)


class _LanguageJob(AnalysisJob):
    """A built-in analysis that takes only a language code beyond the common props."""

    def __init__(
        self, scope: Construct, id: str, *, language_code: str = "en", **props: Unpack[JobProps]
    ) -> None:
        _JobBase.__init__(
            self, scope, id, job_type=self.job_type, language_code=language_code, **props
        )


@_documents_job_props
class KeyPhrasesDetectionJob(_LanguageJob):
    """Extracts key phrases from each document.

    :param language_code: the documents' language, one key phrase detection supports.
        Default: ``"en"``.
    """

    job_type = KEY_PHRASES_DETECTION


@_documents_job_props
class SentimentDetectionJob(_LanguageJob):
    """Detects the overall sentiment of each document.

    :param language_code: the documents' language, one sentiment detection supports.
        Default: ``"en"``.
    """

    job_type = SENTIMENT_DETECTION


@_documents_job_props
class TargetedSentimentDetectionJob(_LanguageJob):
    """Detects the sentiment towards each entity in each document.

    :param language_code: the documents' language (targeted sentiment supports English
        only). Default: ``"en"``.
    """

    job_type = TARGETED_SENTIMENT_DETECTION


class PiiMode(StrEnum):
    """What a PII job produces."""

    #: A JSON file of PII entity offsets per document.
    ONLY_OFFSETS = "ONLY_OFFSETS"
    #: A copy of each document with the PII redacted; needs ``redaction``.
    ONLY_REDACTION = "ONLY_REDACTION"


class PiiRedaction:
    """How a PII job redacts (``RedactionConfig``).

    :param entity_types: the PII entity types to redact (e.g. ``["NAME", "SSN"]``, or
        ``["ALL"]``). Default: None (all types).
    :param mask_mode: ``MASK`` (replace each character with ``mask_character``) or
        ``REPLACE_WITH_PII_ENTITY_TYPE``. Default: None (the service's ``MASK``).
    :param mask_character: one of ``!@#$%&*``. Default: None (the service's ``*``).
    """

    def __init__(
        self,
        *,
        entity_types: Sequence[str] | None = None,
        mask_mode: str | None = None,
        mask_character: str | None = None,
    ) -> None:
        self.entity_types = entity_types
        self.mask_mode = mask_mode
        self.mask_character = mask_character

    def check(self, problems: Problems) -> None:
        """Record every problem with this configuration."""
        allowed_types = api_model.enum_values("PiiEntityType")
        for entity_type in self.entity_types or []:
            if entity_type not in allowed_types:
                problems.add(
                    "redaction.entity_types",
                    entity_type,
                    f"one of {', '.join(allowed_types)}",
                    "use the API's PII entity type names",
                )
        modes = api_model.enum_values("PiiEntitiesDetectionMaskMode")
        if self.mask_mode is not None and self.mask_mode not in modes:
            problems.add(
                "redaction.mask_mode",
                self.mask_mode,
                f"one of {', '.join(modes)}",
                "pick one of the allowed modes",
            )
        mask = self.mask_character
        if mask is not None and not (
            isinstance(mask, str) and api_model.matches_shape(_MASK_CHARACTER, mask)
        ):
            problems.add(
                "redaction.mask_character",
                mask,
                f"exactly one of the characters {_MASK_CHARACTERS}",
                "pick one of those characters",
            )

    def to_request(self) -> dict[str, Any]:
        """The ``RedactionConfig`` structure."""
        config: dict[str, Any] = {}
        if self.entity_types is not None:
            config["PiiEntityTypes"] = sorted(set(self.entity_types))
        if self.mask_mode is not None:
            config["MaskMode"] = self.mask_mode
        if self.mask_character is not None:
            config["MaskCharacter"] = self.mask_character
        return config


@_documents_job_props
class PiiEntitiesDetectionJob(AnalysisJob):
    """Finds (or redacts) personally identifiable information. English or Spanish.

    PII jobs accept neither a VPC nor a volume key (the API has neither field): ``network``
    is an error, and the volume key of ``encryption`` is not used.

    :param mode: ``ONLY_OFFSETS`` or ``ONLY_REDACTION``. Default: ``PiiMode.ONLY_OFFSETS``.
    :param redaction: how to redact: required with ``ONLY_REDACTION``, not allowed
        otherwise. Default: None.
    :param language_code: ``"en"`` or ``"es"``. Default: ``"en"``.
    """

    job_type = PII_ENTITIES_DETECTION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        mode: PiiMode | str = PiiMode.ONLY_OFFSETS,
        redaction: PiiRedaction | None = None,
        language_code: str = "en",
        **props: Unpack[JobProps],
    ) -> None:
        problems = Problems(lambda: construct_label(type(self).__name__, scope, id))
        mode_value = mode.value if isinstance(mode, Enum) else mode
        modes = [m.value for m in PiiMode]
        fields: dict[str, Any] = {"Mode": mode_value}
        if mode_value not in modes:
            problems.add("mode", mode_value, f"one of {', '.join(modes)}", "pass a PiiMode member")
        if mode_value == PiiMode.ONLY_REDACTION.value and redaction is None:
            problems.add(
                "redaction",
                None,
                "required when mode is ONLY_REDACTION",
                "pass redaction=PiiRedaction(...)",
            )
        if mode_value == PiiMode.ONLY_OFFSETS.value and redaction is not None:
            problems.add(
                "redaction",
                "PiiRedaction(...)",
                "only allowed with mode ONLY_REDACTION",
                "remove redaction= or set mode=PiiMode.ONLY_REDACTION",
            )
        if redaction is not None:
            redaction.check(problems)
            fields["RedactionConfig"] = redaction.to_request()
        _JobBase.__init__(
            self,
            scope,
            id,
            job_type=self.job_type,
            language_code=language_code,
            type_fields=fields,
            problems=problems,
            **props,
        )


@_documents_job_props
class TopicsDetectionJob(AnalysisJob):
    """Topic modeling over the documents.

    Closed to new customers since 30 April 2026: only accounts that used topic modeling in
    the previous 12 months can start these jobs (a synth warning
    ``comprehend-jobs:closed-job-type`` says so). Topics jobs cannot be stopped.

    :param number_of_topics: how many topics to find, 1-100 (the API's
        ``NumberOfTopics``). Default: None (the service's 10).
    """

    job_type = TOPICS_DETECTION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        number_of_topics: int | None = None,
        **props: Unpack[JobProps],
    ) -> None:
        problems = Problems(lambda: construct_label(type(self).__name__, scope, id))
        fields: dict[str, Any] = {}
        if number_of_topics is not None:
            low, high = _TOPICS.get("min", 1), _TOPICS.get("max")
            if (
                isinstance(number_of_topics, bool)
                or not isinstance(number_of_topics, int)
                or number_of_topics < low
                or (high is not None and number_of_topics > high)
            ):
                problems.add(
                    "number_of_topics",
                    number_of_topics,
                    f"a whole number from {low} to {high} (the API's NumberOfTopics)",
                    "pass e.g. number_of_topics=10, or omit it for the service's 10",
                )
            fields["NumberOfTopics"] = number_of_topics
        _JobBase.__init__(
            self, scope, id, job_type=self.job_type, type_fields=fields, problems=problems, **props
        )


@_documents_job_props
class EventsDetectionJob(AnalysisJob):
    """Detects events of the given types (English).

    Closed to new customers since 30 April 2026: only accounts that used event detection in
    the previous 12 months can start these jobs (a synth warning
    ``comprehend-jobs:closed-job-type`` says so). Events jobs accept neither a VPC nor a
    volume key.

    :param target_event_types: the event types to detect, e.g.
        ``["BANKRUPTCY", "EMPLOYMENT"]`` (the API's ``[A-Z_]*`` names, 1-40 characters).
        Required.
    :param language_code: the documents' language. Default: ``"en"``.
    """

    job_type = EVENTS_DETECTION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        target_event_types: Sequence[str],
        language_code: str = "en",
        **props: Unpack[JobProps],
    ) -> None:
        problems = Problems(lambda: construct_label(type(self).__name__, scope, id))
        if not target_event_types or len(target_event_types) < _EVENT_TYPES.get("min", 1):
            problems.add(
                "target_event_types",
                target_event_types,
                "at least one event type",
                'pass e.g. target_event_types=["BANKRUPTCY"]',
            )
        for event_type in target_event_types or []:
            if is_unresolved(event_type):
                continue
            if not isinstance(event_type, str) or not api_model.matches_shape(
                _EVENT_TYPE, event_type
            ):
                limits = api_model.shape_metadata(_EVENT_TYPE)
                problems.add(
                    "target_event_types",
                    event_type,
                    f"names of {limits.get('min', 1)}-{limits.get('max')} characters matching "
                    f"{limits.get('pattern')} (the API's EventTypeString)",
                    'use the API\'s event type names, e.g. "BANKRUPTCY"',
                )
        _JobBase.__init__(
            self,
            scope,
            id,
            job_type=self.job_type,
            language_code=language_code,
            type_fields={"TargetEventTypes": sorted(set(target_event_types or []))},
            problems=problems,
            **props,
        )


@jsii.implements(IResolvable)
class _RerunToken:
    """The job's ``RerunToken``: the one given and, when documents are uploaded into the
    input location, their object keys (content hashes). Resolved at synth, after every
    upload is known: a new or changed document changes it, and the handler starts a new
    job whenever it changes; unchanged documents leave it, and the job, as they were.
    Nothing given and nothing uploaded: no ``RerunToken`` at all. (An IResolvable rather
    than ``Lazy.any``: jsii calls a Python ``produce`` without its context argument.)"""

    def __init__(self, given: str | None, storage: IJobStorage) -> None:
        self._given = given
        self._storage = storage

    @property
    def creation_stack(self) -> list[str]:
        return []

    def resolve(self, context: IResolveContext) -> Any:
        fingerprint = self._storage.input_documents_fingerprint
        if fingerprint is None:
            return self._given
        return Fn.join("|", [self._given or "", fingerprint])

    def to_string(self) -> str:
        return "<comprehend-jobs rerun token>"


@jsii.implements(IValidation)
class _InputDocumentsCheck:
    """No doomed job: fails synth when the jobs' input location is a bucket made in this
    deployment with nothing uploaded into it. A job started there would find no documents
    and end with no results, and nothing put there after the deployment is ever analysed."""

    def __init__(self, storage: IJobStorage) -> None:
        self._storage = storage
        #: The jobs on this storage, in the order they were made.
        self.jobs: list[_JobBase] = []

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


def _check_model_source(
    problems: Problems, candidates: Mapping[str, tuple[str, str | None]]
) -> tuple[str, str] | None:
    """The one (API field, ARN) pair given among ``candidates`` (prop -> (field, ARN)),
    with its ARN checked against the API's pattern; records a problem otherwise."""
    given = {prop: pair for prop, pair in candidates.items() if pair[1] is not None}
    names = " or ".join(candidates)
    if len(given) != 1:
        problems.add(
            names,
            {prop: pair[1] for prop, pair in given.items()} or None,
            f"exactly one model source: {names}",
            f"pass one of {names}" + (" and remove the others" if given else ""),
        )
        return None
    prop, (field, arn) = next(iter(given.items()))
    assert arn is not None
    if is_unresolved(arn):
        return (field, arn)
    if not isinstance(arn, str):
        problems.add(prop, arn, f"a {field} string", f"pass the model's ARN as {prop}=")
        return None
    if not api_model.matches_shape(_MODEL_SHAPES[field], arn):
        problems.add(prop, arn, *_model_arn_problem(prop, field, arn, candidates))
    return (field, arn)


def _model_arn_problem(
    prop: str, field: str, arn: str, candidates: Mapping[str, tuple[str, str | None]]
) -> tuple[str, str]:
    """(allowed, fix) for a model ARN that does not match ``field``'s shape: the wrong kind
    of model names the right prop; anything else says what a model ARN looks like."""
    want = _ARN_EXAMPLES[field]
    kind = _ARN_KIND.match(arn)
    if kind and kind.group(1) in _MODEL_KINDS and _MODEL_KINDS[kind.group(1)][0] != field:
        other_field, what = _MODEL_KINDS[kind.group(1)]
        right = [p for p, (f, _) in candidates.items() if f == other_field]
        fix = f"use {right[0]}=" if right else f"use {_MODEL_HOMES[other_field]}"
        return (f"this is {what}, and {prop} takes {want}", fix)
    most = api_model.shape_metadata(_MODEL_SHAPES[field]).get("max", len(arn))
    length = f" ({len(arn)} characters, at most {most})" if len(arn) > most else ""
    return (
        f"{want}{length}",
        "copy the ARN from the Comprehend console, or from aws comprehend "
        "list-entity-recognizers / list-document-classifiers / list-flywheels",
    )


#: What each model field looks like, for messages.
_ARN_EXAMPLES = {
    "EntityRecognizerArn": "an entity-recognizer ARN "
    "'arn:aws:comprehend:<region>:<account>:entity-recognizer/<name>[/version/<version>]'",
    "DocumentClassifierArn": "a document-classifier ARN "
    "'arn:aws:comprehend:<region>:<account>:document-classifier/<name>[/version/<version>]'",
    "FlywheelArn": "a flywheel ARN 'arn:aws:comprehend:<region>:<account>:flywheel/<name>'",
}


def _job_name_problem(name: str) -> tuple[str, str] | None:
    """(allowed, fix) when ``name`` is not a valid JobName, pointing at the bad
    characters or the length; None when it is valid."""
    bad = sorted(
        {
            ch
            for ch in name
            if ch not in _JOB_NAME_PUNCTUATION and unicodedata.category(ch)[0] not in "LZN"
        }
    )
    allowed = f"1-{_JOB_NAME_MAX} characters: letters, numbers, spaces and {_JOB_NAME_PUNCTUATION}"
    if bad:
        cleaned = "".join("-" if ch in bad else ch for ch in name)[:_JOB_NAME_MAX] or "job"
        shown = " ".join(repr(ch) for ch in bad)
        return (
            f"{allowed}; these characters are not allowed: {shown}",
            f"use e.g. job_name={cleaned!r}",
        )
    if not name:
        return (f"{allowed}; it is empty", "omit job_name for a generated name")
    if len(name) > _JOB_NAME_MAX:
        return (
            f"{allowed}; it has {len(name)} characters, {len(name) - _JOB_NAME_MAX} too many",
            f"shorten it to {_JOB_NAME_MAX}, e.g. job_name={name[:_JOB_NAME_MAX]!r}",
        )
    return None


def _check_job_props(
    problems: Problems,
    *,
    job_type: JobType,
    in_vpc: bool,
    job_name: str | None,
    tags: Mapping[str, str] | None,
    input_format: str | None,
    document_reader: DocumentReader | None,
    language_code: str | None,
    model_source: tuple[str, str] | None,
    scope: Construct,
    model_prop: str | None = None,
) -> None:
    """Record every problem with the props all job types share (used by the job
    constructs, and by composing constructs that must check before creating anything).

    ``model_prop`` names the model-source prop in messages (default: the API field)."""
    if in_vpc and not job_type.supports_vpc:
        problems.add(
            "network",
            "JobNetwork(...)",
            f"{job_type.stem} jobs cannot run in a VPC (the API has no VpcConfig)",
            "remove network=",
        )
    if job_name is not None and not is_unresolved(job_name):
        if not isinstance(job_name, str):
            problems.add("job_name", job_name, "a string", "pass job_name as a str")
        elif not api_model.is_valid_job_name(job_name):
            allowed, fix = _job_name_problem(job_name) or (
                f"1-{_JOB_NAME_MAX} characters",
                "fix it",
            )
            problems.add("job_name", job_name, allowed, fix)
    if tags:
        if len(tags) > _MAX_TAGS:
            problems.add(
                "tags", f"{len(tags)} tags", f"at most {_MAX_TAGS} tags per job", "drop some tags"
            )
        for key, value in tags.items():
            if is_unresolved(key) or is_unresolved(value):
                continue
            key_min, key_max = _TAG_KEY.get("min", 0), _TAG_KEY.get("max", len(key))
            if not key_min <= len(key) <= key_max or key.lower().startswith("aws:"):
                problems.add(
                    "tags",
                    key,
                    f"keys of {key_min}-{key_max} characters, not starting with aws:",
                    "rename the tag key",
                )
            value_max = _TAG_VALUE.get("max", len(value))
            if len(value) > value_max:
                problems.add(
                    "tags",
                    f"{key}={value[:20]}...",
                    f"values of at most {value_max} characters",
                    "shorten the value",
                )
    formats = [f.value for f in InputFormat]
    if input_format is not None and input_format not in formats:
        problems.add(
            "input_format",
            input_format,
            f"one of {', '.join(formats)}",
            "pass an InputFormat member",
        )
    if document_reader is not None:
        if not job_type.model_fields:
            problems.add(
                "document_reader",
                "DocumentReader(...)",
                "only custom classification and custom entity recognition jobs read "
                "PDF, Word and image documents",
                "remove document_reader=",
            )
        if input_format == InputFormat.ONE_DOC_PER_LINE.value:
            problems.add(
                "input_format",
                input_format,
                "ONE_DOC_PER_LINE is for plain text only; a document reader needs ONE_DOC_PER_FILE",
                "set input_format=InputFormat.ONE_DOC_PER_FILE",
            )
        elif input_format is None and job_type.model_fields:
            problems.add(
                "input_format",
                None,
                "a document reader needs input_format=ONE_DOC_PER_FILE: without it the "
                "service reads one document per line, which the reader rejects",
                "pass input_format=InputFormat.ONE_DOC_PER_FILE",
            )
        document_reader.check(problems)
    if (
        job_type.takes_language
        and language_code not in job_type.languages
        and not is_unresolved(language_code)
    ):
        problems.add(
            "language_code",
            language_code,
            f"{job_type.stem} jobs support {', '.join(job_type.languages)}",
            "pass one of those codes",
        )
    if model_source is not None:
        _check_same_region(problems, model_source, scope, model_prop or model_source[0])


def _arn_region(arn: object) -> str | None:
    """The Region a model ARN names, or None (a token, or no Region in it)."""
    if not isinstance(arn, str) or is_unresolved(arn):
        return None
    match = _ARN_REGION.match(arn)
    return match.group(1) if match and match.group(1) else None


def _check_same_region(
    problems: Problems, model_source: tuple[str, str], scope: Construct, prop: str
) -> None:
    arn = model_source[1]
    model_region = _arn_region(arn)
    region = Stack.of(scope).region
    if model_region and not Token.is_unresolved(region) and model_region != region:
        problems.add(
            prop,
            arn,
            f"a model in the stack's Region ({region}); this one is in {model_region} "
            "(Comprehend runs a job only with a model of its own Region)",
            f"use a model trained in {region}, or deploy the stack to {model_region} "
            f"(env=Environment(region={model_region!r}))",
        )


def _warn_model_region(job: Construct, arn: str, prop: str) -> None:
    """Warn at synth when an env-agnostic stack's job names a model of one Region: the
    stack works only when deployed there."""
    model_region = _arn_region(arn)
    if model_region is None or not Token.is_unresolved(Stack.of(job).region):
        return
    Annotations.of(job).add_warning_v2(
        MODEL_REGION_WARNING,
        f"{prop} names a model in {model_region}, and this stack is env-agnostic: it "
        f"must be deployed to {model_region} (Comprehend runs a job only with a model of "
        f"its own Region), or the job fails to start. Fix: give the stack "
        f"env=Environment(region={model_region!r}) so synth checks it, or acknowledge this "
        "warning.",
    )


def _model_arns_to_grant(model_source: tuple[str, str] | None) -> list[str]:
    """The model ARNs Start must be allowed on: the ARN given and, for a versioned ARN, the
    unversioned one too (which of the two IAM checks is not documented)."""
    if model_source is None:
        return []
    arn = model_source[1]
    if is_unresolved(arn) or "/version/" not in arn:
        return [arn]
    return [arn, arn.split("/version/", 1)[0]]


def _build_request(
    *,
    job_type: JobType,
    storage: Any,
    role_arn: str,
    encryption: Any,
    network: Any,
    job_name: str | None,
    tags: Mapping[str, str] | None,
    input_format: str | None,
    document_reader: DocumentReader | None,
    language_code: str | None,
    model_source: tuple[str, str] | None,
    type_fields: Mapping[str, Any],
) -> dict[str, Any]:
    """The Start<Type>Job request body, with the API's own field names."""
    input_config: dict[str, Any] = {"S3Uri": storage.input_s3_uri}
    if input_format is not None:
        input_config["InputFormat"] = input_format
    if document_reader is not None:
        input_config["DocumentReaderConfig"] = document_reader.to_request()
    output_config: dict[str, Any] = {"S3Uri": storage.output_s3_uri}
    if encryption is not None and encryption.output_key_id is not None:
        output_config["KmsKeyId"] = encryption.output_key_id
    request: dict[str, Any] = {
        "InputDataConfig": input_config,
        "OutputDataConfig": output_config,
        "DataAccessRoleArn": role_arn,
    }
    if job_name is not None:
        request["JobName"] = job_name
    if job_type.takes_language and language_code is not None:
        request["LanguageCode"] = language_code
    if model_source is not None:
        request[model_source[0]] = model_source[1]
    if (
        encryption is not None
        and job_type.supports_volume_key
        and encryption.volume_key_id is not None
    ):
        request["VolumeKmsKeyId"] = encryption.volume_key_id
    if network is not None:
        request["VpcConfig"] = {
            "SecurityGroupIds": list(network.security_group_ids),
            "Subnets": list(network.subnet_ids),
        }
    if tags:
        request["Tags"] = [{"Key": k, "Value": tags[k]} for k in sorted(tags)]
    request.update(type_fields)
    unexpected = set(request) - job_type.accepted_fields
    # The table is the contract with the handler: a field it does not list is a library bug.
    assert not unexpected, f"{job_type.stem} does not accept {sorted(unexpected)}"
    return request
