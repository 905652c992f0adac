"""The one table of Amazon Comprehend asynchronous job types.

Both sides of the library read this table: the CDK constructs (which IAM actions and ARNs
to grant, which props a job type accepts) and the custom-resource handler (which API
operation to call, which request fields are allowed). Keeping it in one place means the
IAM a construct writes and the request the handler sends can never disagree. The names
the constructs, the handler and the ``comprehend-jobs`` command share (the custom
resource type, the error codes of a missing job) are defined here once for the same
reason.

This module ships inside the Lambda asset, so it must import nothing but the standard
library.

Facts come from the Comprehend API model (botocore ``comprehend/2017-11-27``); a unit test
checks every row against botocore's own service model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: The CloudFormation resource type of every job: the constructs write it, the handler
#: serves it and the command finds a stack's jobs by it (public contract).
RESOURCE_TYPE = "Custom::ComprehendAnalysisJob"

#: Error codes meaning the job does not exist (the service says JobNotFoundException;
#: moto says ResourceNotFoundException).
JOB_NOT_FOUND_CODES: frozenset[str] = frozenset(
    {"JobNotFoundException", "ResourceNotFoundException"}
)

#: Every language the API's LanguageCode enum allows.
ALL_LANGUAGES: tuple[str, ...] = (
    "en",
    "es",
    "fr",
    "de",
    "it",
    "pt",
    "ar",
    "hi",
    "ja",
    "ko",
    "zh",
    "zh-TW",
)

#: Request fields every Start*Job operation accepts.
COMMON_FIELDS: frozenset[str] = frozenset(
    {
        "InputDataConfig",
        "OutputDataConfig",
        "DataAccessRoleArn",
        "JobName",
        "ClientRequestToken",
        "Tags",
    }
)


@dataclass(frozen=True)
class JobType:
    """One asynchronous analysis job type and what its API accepts."""

    #: The API stem: ``Start<stem>Job``, ``Describe<stem>Job``, ``Stop<stem>Job``.
    stem: str
    #: The IAM resource type of the job ARN (``arn:...:comprehend:R:A:<arn_resource>/<id>``).
    arn_resource: str
    #: Fields beyond COMMON_FIELDS that the Start operation accepts.
    extra_fields: frozenset[str] = field(default_factory=frozenset)
    #: Fields the Start operation requires beyond InputDataConfig/OutputDataConfig/role.
    required_fields: frozenset[str] = field(default_factory=frozenset)
    #: Model-source fields (custom models); exactly one or none may be given, see
    #: ``model_required``.
    model_fields: tuple[str, ...] = ()
    #: True when one model source must be given (custom classification).
    model_required: bool = False
    #: Languages the operation documents; empty when it takes no LanguageCode.
    languages: tuple[str, ...] = ()
    #: Whether a Stop<stem>Job operation exists.
    has_stop: bool = True
    #: Closed to new customers since 2026-04-30 (topic modeling, event detection).
    closed_to_new_customers: bool = False

    @property
    def start_operation(self) -> str:
        """The API operation name that starts a job of this type."""
        return f"Start{self.stem}Job"

    @property
    def describe_operation(self) -> str:
        """The API operation name that describes a job of this type."""
        return f"Describe{self.stem}Job"

    @property
    def stop_operation(self) -> str | None:
        """The API operation name that stops a job, or None when the type has none."""
        return f"Stop{self.stem}Job" if self.has_stop else None

    @property
    def list_operation(self) -> str:
        """The API operation name that lists jobs of this type (filtered by JobName)."""
        return f"List{self.stem}Jobs"

    @property
    def list_key(self) -> str:
        """The key of the job list in the List response."""
        return f"{self.stem}JobPropertiesList"

    @property
    def properties_key(self) -> str:
        """The key of the job properties in the Describe response."""
        return f"{self.stem}JobProperties"

    @property
    def accepted_fields(self) -> frozenset[str]:
        """Every field the Start operation accepts."""
        return COMMON_FIELDS | self.extra_fields

    @property
    def supports_vpc(self) -> bool:
        """Whether the Start operation accepts VpcConfig."""
        return "VpcConfig" in self.extra_fields

    @property
    def supports_volume_key(self) -> bool:
        """Whether the Start operation accepts VolumeKmsKeyId."""
        return "VolumeKmsKeyId" in self.extra_fields

    @property
    def takes_language(self) -> bool:
        """Whether the Start operation requires a LanguageCode."""
        return bool(self.languages)

    def iam_action(self, verb: str) -> str:
        """The IAM action for ``verb`` (Start, Describe, Stop; List is plural) on this type."""
        return f"comprehend:{verb}{self.stem}Job{'s' if verb == 'List' else ''}"


_VPC_AND_VOLUME = frozenset({"VpcConfig", "VolumeKmsKeyId"})

DOCUMENT_CLASSIFICATION = JobType(
    stem="DocumentClassification",
    arn_resource="document-classification-job",
    extra_fields=_VPC_AND_VOLUME | {"DocumentClassifierArn", "FlywheelArn"},
    model_fields=("DocumentClassifierArn", "FlywheelArn"),
    model_required=True,
    has_stop=False,
)
DOMINANT_LANGUAGE_DETECTION = JobType(
    stem="DominantLanguageDetection",
    arn_resource="dominant-language-detection-job",
    extra_fields=_VPC_AND_VOLUME,
)
ENTITIES_DETECTION = JobType(
    stem="EntitiesDetection",
    arn_resource="entities-detection-job",
    extra_fields=_VPC_AND_VOLUME | {"LanguageCode", "EntityRecognizerArn", "FlywheelArn"},
    required_fields=frozenset({"LanguageCode"}),
    model_fields=("EntityRecognizerArn", "FlywheelArn"),
    languages=ALL_LANGUAGES,
)
EVENTS_DETECTION = JobType(
    stem="EventsDetection",
    arn_resource="events-detection-job",
    extra_fields=frozenset({"LanguageCode", "TargetEventTypes"}),
    required_fields=frozenset({"LanguageCode", "TargetEventTypes"}),
    languages=ALL_LANGUAGES,
    closed_to_new_customers=True,
)
KEY_PHRASES_DETECTION = JobType(
    stem="KeyPhrasesDetection",
    arn_resource="key-phrases-detection-job",
    extra_fields=_VPC_AND_VOLUME | {"LanguageCode"},
    required_fields=frozenset({"LanguageCode"}),
    languages=ALL_LANGUAGES,
)
PII_ENTITIES_DETECTION = JobType(
    stem="PiiEntitiesDetection",
    arn_resource="pii-entities-detection-job",
    extra_fields=frozenset({"LanguageCode", "Mode", "RedactionConfig"}),
    required_fields=frozenset({"LanguageCode", "Mode"}),
    languages=("en", "es"),
)
SENTIMENT_DETECTION = JobType(
    stem="SentimentDetection",
    arn_resource="sentiment-detection-job",
    extra_fields=_VPC_AND_VOLUME | {"LanguageCode"},
    required_fields=frozenset({"LanguageCode"}),
    languages=ALL_LANGUAGES,
)
TARGETED_SENTIMENT_DETECTION = JobType(
    stem="TargetedSentimentDetection",
    arn_resource="targeted-sentiment-detection-job",
    extra_fields=_VPC_AND_VOLUME | {"LanguageCode"},
    required_fields=frozenset({"LanguageCode"}),
    languages=("en",),
)
TOPICS_DETECTION = JobType(
    stem="TopicsDetection",
    arn_resource="topics-detection-job",
    extra_fields=_VPC_AND_VOLUME | {"NumberOfTopics"},
    has_stop=False,
    closed_to_new_customers=True,
)

#: Every job type, keyed by its API stem (the custom resource's ``JobType`` property).
JOB_TYPES: dict[str, JobType] = {
    t.stem: t
    for t in (
        DOCUMENT_CLASSIFICATION,
        DOMINANT_LANGUAGE_DETECTION,
        ENTITIES_DETECTION,
        EVENTS_DETECTION,
        KEY_PHRASES_DETECTION,
        PII_ENTITIES_DETECTION,
        SENTIMENT_DETECTION,
        TARGETED_SENTIMENT_DETECTION,
        TOPICS_DETECTION,
    )
}

#: Job types keyed by the resource type of their job ARN.
JOB_TYPES_BY_ARN_RESOURCE: dict[str, JobType] = {t.arn_resource: t for t in JOB_TYPES.values()}


def job_type_for_arn(job_arn: str) -> JobType | None:
    """The job type a job ARN names (``...:<arn_resource>/<job-id>``), or None."""
    parts = job_arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "comprehend" or "/" not in parts[5]:
        return None
    return JOB_TYPES_BY_ARN_RESOURCE.get(parts[5].split("/", 1)[0])
