"""Wrong inputs across the public API, as a new user would type them (issue 13).

Each row is one mistake. Every one must fail with one ``PropValidationError`` whose first
line names the construct and the problem, that names the prop, says what is allowed and
gives a fix (checked by its text), and must add nothing to the construct tree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import pytest
from aws_cdk import Environment, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from nag_support import new_app

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    DocumentClassificationJob,
    DocumentReader,
    DominantLanguageDetectionJob,
    EntityRecognitionJob,
    EventsDetectionJob,
    JobEncryption,
    JobNetwork,
    JobStorage,
    KeyPhrasesDetectionJob,
    PiiEntitiesDetectionJob,
    PiiRedaction,
    PropValidationError,
    SentimentDetectionJob,
    TargetedSentimentDetectionJob,
    TopicsDetectionJob,
)

ACCOUNT = "111122223333"
ENV = Environment(account=ACCOUNT, region="us-east-1")
MODELS = f"arn:aws:comprehend:us-east-1:{ACCOUNT}"
RECOGNIZER = f"{MODELS}:entity-recognizer/tickets"
CLASSIFIER = f"{MODELS}:document-classifier/routing"
FLYWHEEL = f"{MODELS}:flywheel/wheel"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:us-east-1:{ACCOUNT}:key/{KEY_ID}"
FAR_KEY_ARN = KEY_ARN.replace("us-east-1", "eu-west-1")
DETECT = "TEXTRACT_DETECT_DOCUMENT_TEXT"
#: Documents already in S3: a job on a created, empty input bucket would fail synth.
DOCUMENTS = "s3://example-documents/input/"


class Case(NamedTuple):
    """One wrong input: what is called, with what, the prop to name and the fix text."""

    name: str
    make: Callable[..., Any]
    props: Callable[[dict[str, Any]], dict[str, Any]]
    prop: str
    fix: str


def _job(**extra: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Props for a job construct: the shared storage and role plus ``extra``."""
    return lambda parts: {"storage": parts["storage"], "role": parts["role"], **extra}


def _with(**extra: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return lambda parts: dict(extra)


def _entity(**extra: Any) -> Callable[[dict[str, Any]], dict[str, Any]]:
    return _job(recognizer_arn=RECOGNIZER, **extra)


CASES: list[Case] = [
    # -- ComprehendAnalysis ---------------------------------------------------------------
    Case(
        "analysis: no model",
        ComprehendAnalysis,
        _with(),
        "recognizer_arn or classifier_arn or flywheel_arn",
        "pass one of recognizer_arn or classifier_arn or flywheel_arn",
    ),
    Case(
        "analysis: two models",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, classifier_arn=CLASSIFIER),
        "recognizer_arn or classifier_arn or flywheel_arn",
        "remove the others",
    ),
    Case(
        "analysis: classifier as recognizer",
        ComprehendAnalysis,
        _with(recognizer_arn=CLASSIFIER),
        "recognizer_arn",
        "use classifier_arn=",
    ),
    Case(
        "analysis: recognizer as classifier",
        ComprehendAnalysis,
        _with(classifier_arn=RECOGNIZER),
        "classifier_arn",
        "use recognizer_arn=",
    ),
    Case(
        "analysis: flywheel as recognizer",
        ComprehendAnalysis,
        _with(recognizer_arn=FLYWHEEL),
        "recognizer_arn",
        "use flywheel_arn=",
    ),
    Case(
        "analysis: model name only",
        ComprehendAnalysis,
        _with(recognizer_arn="tickets"),
        "recognizer_arn",
        "copy the ARN from the Comprehend console",
    ),
    Case(
        "analysis: model in another Region",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER.replace("us-east-1", "eu-west-1")),
        "recognizer_arn",
        "deploy the stack to eu-west-1",
    ),
    Case(
        "analysis: network='false'",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, network="false"),
        "network",
        "pass network=False",
    ),
    Case(
        "analysis: network='true'",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, network="true"),
        "network",
        "pass network=True",
    ),
    Case(
        "analysis: encryption='false'",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, encryption="false"),
        "encryption",
        "pass encryption=False",
    ),
    Case(
        "analysis: encryption=1",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, encryption=1),
        "encryption",
        "pass encryption=True or encryption=False",
    ),
    Case(
        "analysis: wait_for_completion='yes'",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, wait_for_completion="yes"),
        "wait_for_completion",
        "pass wait_for_completion=True",
    ),
    Case(
        "analysis: stop_on_delete='no'",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, stop_on_delete="no"),
        "stop_on_delete",
        "pass stop_on_delete=False",
    ),
    Case(
        "analysis: storage is a bucket",
        ComprehendAnalysis,
        lambda parts: {"recognizer_arn": RECOGNIZER, "storage": parts["bucket"]},
        "storage",
        "pass JobStorage(...)",
    ),
    Case(
        "analysis: role is a role ARN",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, role=f"arn:aws:iam::{ACCOUNT}:role/r"),
        "role",
        "DataAccessRole.from_role_arn(...)",
    ),
    Case(
        "analysis: reader without input format",
        ComprehendAnalysis,
        _with(classifier_arn=CLASSIFIER, document_reader=DocumentReader(read_action=DETECT)),
        "input_format",
        "input_format=InputFormat.ONE_DOC_PER_FILE",
    ),
    Case(
        "analysis: language for a classifier",
        ComprehendAnalysis,
        _with(classifier_arn=CLASSIFIER, language_code="en"),
        "language_code",
        "remove language_code=",
    ),
    Case(
        "analysis: missing documents folder",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, input_documents="/no/such/folder"),
        "input_documents",
        "create the folder",
    ),
    Case(
        "analysis: removal policy with storage",
        ComprehendAnalysis,
        lambda parts: {
            "recognizer_arn": RECOGNIZER,
            "storage": parts["storage"],
            "removal_policy": RemovalPolicy.DESTROY,
        },
        "removal_policy",
        "set the removal policy on your JobStorage",
    ),
    Case(
        "analysis: job name with a comma",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, job_name="tickets,2026"),
        "job_name",
        "job_name='tickets-2026'",
    ),
    Case(
        "analysis: 51 tags",
        ComprehendAnalysis,
        _with(recognizer_arn=RECOGNIZER, tags={f"k{i}": "v" for i in range(51)}),
        "tags",
        "drop some tags",
    ),
    # -- the job constructs ---------------------------------------------------------------
    Case(
        "entities: no model",
        EntityRecognitionJob,
        _job(),
        "recognizer_arn or flywheel_arn",
        "pass one of recognizer_arn or flywheel_arn",
    ),
    Case(
        "entities: classifier ARN",
        EntityRecognitionJob,
        _job(recognizer_arn=CLASSIFIER),
        "recognizer_arn",
        "use DocumentClassificationJob(classifier_arn=...)",
    ),
    Case(
        "entities: flywheel ARN",
        EntityRecognitionJob,
        _job(recognizer_arn=FLYWHEEL),
        "recognizer_arn",
        "use flywheel_arn=",
    ),
    Case(
        "entities: recognizer as flywheel",
        EntityRecognitionJob,
        _job(flywheel_arn=RECOGNIZER),
        "flywheel_arn",
        "use recognizer_arn=",
    ),
    Case(
        "entities: model in another Region",
        EntityRecognitionJob,
        _job(recognizer_arn=RECOGNIZER.replace("us-east-1", "ap-south-1")),
        "recognizer_arn",
        "use a model trained in us-east-1",
    ),
    Case(
        "entities: job name of 257",
        EntityRecognitionJob,
        _entity(job_name="j" * 257),
        "job_name",
        "shorten it to 256",
    ),
    Case(
        "entities: job name with a pipe",
        EntityRecognitionJob,
        _entity(job_name="a|b"),
        "job_name",
        "job_name='a-b'",
    ),
    Case(
        "entities: wait_for_completion='yes'",
        EntityRecognitionJob,
        _entity(wait_for_completion="yes"),
        "wait_for_completion",
        "pass wait_for_completion=True",
    ),
    Case(
        "entities: stop_on_delete='no'",
        EntityRecognitionJob,
        _entity(stop_on_delete="no"),
        "stop_on_delete",
        "pass stop_on_delete=False",
    ),
    Case(
        "entities: stop_on_delete=None",
        EntityRecognitionJob,
        _entity(stop_on_delete=None),
        "stop_on_delete",
        "pass stop_on_delete=True or stop_on_delete=False",
    ),
    Case(
        "entities: unknown input format",
        EntityRecognitionJob,
        _entity(input_format="ONE_DOC_PER_PAGE"),
        "input_format",
        "pass an InputFormat member",
    ),
    Case(
        "entities: reader without input format",
        EntityRecognitionJob,
        _entity(document_reader=DocumentReader(read_action=DETECT)),
        "input_format",
        "input_format=InputFormat.ONE_DOC_PER_FILE",
    ),
    Case(
        "entities: reader with line mode",
        EntityRecognitionJob,
        _entity(
            input_format="ONE_DOC_PER_LINE", document_reader=DocumentReader(read_action=DETECT)
        ),
        "input_format",
        "set input_format=InputFormat.ONE_DOC_PER_FILE",
    ),
    Case(
        "entities: unknown read action",
        EntityRecognitionJob,
        _entity(input_format="ONE_DOC_PER_FILE", document_reader=DocumentReader(read_action="OCR")),
        "document_reader.read_action",
        "pass a DocumentReadAction member",
    ),
    Case(
        "entities: unknown read mode",
        EntityRecognitionJob,
        _entity(
            input_format="ONE_DOC_PER_FILE",
            document_reader=DocumentReader(read_action=DETECT, read_mode="ALWAYS"),
        ),
        "document_reader.read_mode",
        "pass a DocumentReadMode member",
    ),
    Case(
        "entities: features with detect",
        EntityRecognitionJob,
        _entity(
            input_format="ONE_DOC_PER_FILE",
            document_reader=DocumentReader(read_action=DETECT, feature_types=["TABLES"]),
        ),
        "document_reader.feature_types",
        "remove feature_types",
    ),
    Case(
        "entities: language xx",
        EntityRecognitionJob,
        _entity(language_code="xx"),
        "language_code",
        "pass one of those codes",
    ),
    Case(
        "entities: reserved tag key",
        EntityRecognitionJob,
        _entity(tags={"aws:team": "x"}),
        "tags",
        "rename the tag key",
    ),
    Case(
        "entities: long tag value",
        EntityRecognitionJob,
        _entity(tags={"team": "v" * 257}),
        "tags",
        "shorten the value",
    ),
    Case(
        "classification: no model",
        DocumentClassificationJob,
        _job(),
        "classifier_arn or flywheel_arn",
        "pass one of classifier_arn or flywheel_arn",
    ),
    Case(
        "classification: recognizer ARN",
        DocumentClassificationJob,
        _job(classifier_arn=RECOGNIZER),
        "classifier_arn",
        "use EntityRecognitionJob(recognizer_arn=...)",
    ),
    Case(
        "classification: analyze without features",
        DocumentClassificationJob,
        _job(
            classifier_arn=CLASSIFIER,
            input_format="ONE_DOC_PER_FILE",
            document_reader=DocumentReader(read_action="TEXTRACT_ANALYZE_DOCUMENT"),
        ),
        "document_reader.feature_types",
        "feature_types=[DocumentFeatureType.TABLES]",
    ),
    Case(
        "classification: wait 'false'",
        DocumentClassificationJob,
        _job(classifier_arn=CLASSIFIER, wait_for_completion="false"),
        "wait_for_completion",
        "pass wait_for_completion=False",
    ),
    Case(
        "language: stop_on_delete 'yes'",
        DominantLanguageDetectionJob,
        _job(stop_on_delete="yes"),
        "stop_on_delete",
        "pass stop_on_delete=True",
    ),
    Case(
        "key phrases: reader",
        KeyPhrasesDetectionJob,
        _job(document_reader=DocumentReader(read_action=DETECT)),
        "document_reader",
        "remove document_reader=",
    ),
    Case(
        "sentiment: language xx",
        SentimentDetectionJob,
        _job(language_code="xx"),
        "language_code",
        "pass one of those codes",
    ),
    Case(
        "targeted sentiment: Spanish",
        TargetedSentimentDetectionJob,
        _job(language_code="es"),
        "language_code",
        "pass one of those codes",
    ),
    Case(
        "pii: in a VPC",
        PiiEntitiesDetectionJob,
        lambda parts: {**_job()(parts), "network": parts["network"]},
        "network",
        "remove network=",
    ),
    Case(
        "pii: redaction without config",
        PiiEntitiesDetectionJob,
        _job(mode="ONLY_REDACTION"),
        "redaction",
        "pass redaction=PiiRedaction(...)",
    ),
    Case(
        "pii: bad mask character",
        PiiEntitiesDetectionJob,
        _job(mode="ONLY_REDACTION", redaction=PiiRedaction(mask_character="x")),
        "redaction.mask_character",
        "pick one of those characters",
    ),
    Case(
        "pii: bad mode",
        PiiEntitiesDetectionJob,
        _job(mode="REDACT"),
        "mode",
        "pass a PiiMode member",
    ),
    Case(
        "pii: language fr",
        PiiEntitiesDetectionJob,
        _job(language_code="fr"),
        "language_code",
        "pass one of those codes",
    ),
    Case(
        "topics: 0 topics",
        TopicsDetectionJob,
        _job(number_of_topics=0),
        "number_of_topics",
        "number_of_topics=10",
    ),
    Case(
        "topics: string topics",
        TopicsDetectionJob,
        _job(number_of_topics="20"),
        "number_of_topics",
        "number_of_topics=10",
    ),
    Case(
        "events: lowercase type",
        EventsDetectionJob,
        _job(target_event_types=["hiring"]),
        "target_event_types",
        "use the API's event type names",
    ),
    Case(
        "events: no types",
        EventsDetectionJob,
        _job(target_event_types=[]),
        "target_event_types",
        'target_event_types=["BANKRUPTCY"]',
    ),
    # -- JobStorage -----------------------------------------------------------------------
    Case(
        "storage: prefix without '/'",
        JobStorage,
        _with(input_prefix="claims/2026"),
        "input_prefix",
        "use input_prefix='claims/2026/'",
    ),
    Case(
        "storage: output prefix without '/'",
        JobStorage,
        _with(output_prefix="results"),
        "output_prefix",
        "use output_prefix='results/'",
    ),
    Case(
        "storage: S3 URI as prefix",
        JobStorage,
        _with(input_prefix="s3://bucket/x/"),
        "input_prefix",
        "pass the bucket separately",
    ),
    Case(
        "storage: wildcard prefix",
        JobStorage,
        _with(input_prefix="claims/*/"),
        "input_prefix",
        "use input_prefix='claims/'",
    ),
    Case(
        "storage: leading slash",
        JobStorage,
        _with(output_prefix="/out/"),
        "output_prefix",
        "use output_prefix='out/'",
    ),
    Case(
        "storage: policy variable",
        JobStorage,
        _with(output_prefix="${aws:username}/"),
        "output_prefix",
        "use output_prefix='{aws:username}/'",
    ),
    Case(
        "storage: bucket name string",
        JobStorage,
        _with(existing_input_bucket="my-bucket"),
        "existing_input_bucket",
        "s3.Bucket.from_bucket_name",
    ),
    Case(
        "storage: bucket in another Region",
        JobStorage,
        lambda parts: {"existing_output_bucket": parts["far_bucket"]},
        "existing_output_bucket",
        "deploy the stack to eu-west-1",
    ),
    Case(
        "storage: auto delete 'true'",
        JobStorage,
        _with(auto_delete_objects="true"),
        "auto_delete_objects",
        "pass auto_delete_objects=True",
    ),
    Case(
        "storage: auto delete without destroy",
        JobStorage,
        _with(auto_delete_objects=True),
        "auto_delete_objects",
        "removal_policy=RemovalPolicy.DESTROY",
    ),
    Case(
        "storage: input key without bucket",
        JobStorage,
        _with(input_bucket_key=KEY_ARN),
        "input_bucket_key",
        "pass existing_input_bucket too",
    ),
    Case(
        "storage: input key in another Region",
        JobStorage,
        lambda parts: {"existing_input_bucket": parts["bucket"], "input_bucket_key": FAR_KEY_ARN},
        "input_bucket_key",
        "use a key in us-east-1",
    ),
    Case(
        "storage: input key not a key",
        JobStorage,
        lambda parts: {"existing_input_bucket": parts["bucket"], "input_bucket_key": "my-key"},
        "input_bucket_key",
        "copy the key ID or ARN from the KMS console",
    ),
    Case(
        "storage: encryption as alias",
        JobStorage,
        _with(encryption="alias/my-key"),
        "encryption",
        "pass encryption=JobEncryption(...)",
    ),
    # -- JobEncryption --------------------------------------------------------------------
    Case(
        "keys: single_key 'false'",
        JobEncryption,
        _with(single_key="false"),
        "single_key",
        "pass single_key=False",
    ),
    Case(
        "keys: volume_encryption 'no'",
        JobEncryption,
        _with(volume_encryption="no"),
        "volume_encryption",
        "pass volume_encryption=False",
    ),
    Case(
        "keys: output_encryption 'off'",
        JobEncryption,
        _with(output_encryption="off"),
        "output_encryption",
        "pass output_encryption=False",
    ),
    Case(
        "keys: volume key alias",
        JobEncryption,
        _with(existing_volume_key="alias/jobs"),
        "existing_volume_key",
        "give the key ID or key ARN the alias points to",
    ),
    Case(
        "keys: volume key in another Region",
        JobEncryption,
        _with(existing_volume_key=FAR_KEY_ARN),
        "existing_volume_key",
        "use a key in us-east-1",
    ),
    Case(
        "keys: output key in another Region",
        JobEncryption,
        _with(existing_output_key=FAR_KEY_ARN),
        "existing_output_key",
        "or deploy the stack to eu-west-1",
    ),
    Case(
        "keys: imported key in another Region",
        JobEncryption,
        lambda parts: {"existing_output_key": parts["far_key"]},
        "existing_output_key",
        "use a key in us-east-1",
    ),
    Case(
        "keys: AWS managed alias",
        JobEncryption,
        _with(existing_output_key="alias/aws/s3"),
        "existing_output_key",
        "copy the key ID or ARN from the KMS console",
    ),
    Case(
        "keys: S3 ARN as key",
        JobEncryption,
        _with(existing_output_key="arn:aws:s3:::b"),
        "existing_output_key",
        "copy the key ID or ARN from the KMS console",
    ),
    Case(
        "keys: single key and an existing key",
        JobEncryption,
        _with(single_key=True, existing_output_key=KEY_ID),
        "single_key",
        "drop the existing keys",
    ),
    # -- JobNetwork -----------------------------------------------------------------------
    Case(
        "network: s3_gateway_endpoint 'false'",
        JobNetwork,
        lambda parts: {"existing_vpc": parts["vpc"], "s3_gateway_endpoint": "false"},
        "s3_gateway_endpoint",
        "pass s3_gateway_endpoint=False",
    ),
    Case("network: bad cidr", JobNetwork, _with(cidr="10.0.0.1/8"), "cidr", "'10.20.0.0/16'"),
    Case("network: 17 AZs", JobNetwork, _with(max_azs=17), "max_azs", "use 2"),
    Case(
        "network: bad prefix list",
        JobNetwork,
        _with(s3_prefix_list_id="s3"),
        "s3_prefix_list_id",
        "describe-managed-prefix-lists",
    ),
    Case(
        "network: security groups without VPC",
        JobNetwork,
        lambda parts: {"security_groups": [parts["group"]]},
        "security_groups",
        "pass existing_vpc too",
    ),
    Case(
        "network: cidr with an existing VPC",
        JobNetwork,
        lambda parts: {"existing_vpc": parts["vpc"], "cidr": "10.1.0.0/16"},
        "cidr",
        "drop cidr",
    ),
    # -- DataAccessRole -------------------------------------------------------------------
    Case(
        "role: storage is a bucket",
        DataAccessRole,
        lambda parts: {"storage": parts["bucket"]},
        "storage",
        "pass a JobStorage",
    ),
    Case(
        "role: job types as strings",
        DataAccessRole,
        _with(job_types=["EntitiesDetection"]),
        "job_types",
        "import the rows from comprehend_jobs.job_types",
    ),
    Case(
        "role: bad role name",
        DataAccessRole,
        _with(role_name="my role!"),
        "role_name",
        "shorten or clean the name",
    ),
]


@pytest.fixture(scope="module")
def parts() -> dict[str, Any]:
    app = new_app()
    stack = Stack(app, "Wrong", env=ENV)
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    vpc = ec2.Vpc.from_vpc_attributes(
        stack,
        "Vpc",
        vpc_id="vpc-0a1b2c3d4e5f67890",
        availability_zones=["us-east-1a"],
        private_subnet_ids=["subnet-0a1b2c3d4e5f67890"],
    )
    return {
        "stack": stack,
        "storage": storage,
        "role": DataAccessRole(stack, "Role", storage=storage),
        "network": JobNetwork(stack, "Network"),
        "vpc": vpc,
        "bucket": s3.Bucket.from_bucket_name(stack, "Lake", "example-data-lake"),
        "far_bucket": s3.Bucket.from_bucket_attributes(
            stack, "Far", bucket_name="far-away", region="eu-west-1"
        ),
        "far_key": kms.Key.from_key_arn(stack, "FarKey", FAR_KEY_ARN),
        "group": ec2.SecurityGroup.from_security_group_id(stack, "Group", "sg-0a1b2c3d"),
    }


def test_there_are_at_least_sixty_wrong_inputs() -> None:
    assert len(CASES) >= 60, len(CASES)
    assert len({c.name for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_wrong_input_is_named_with_a_fix_and_adds_nothing(
    parts: dict[str, Any], case: Case
) -> None:
    stack: Stack = parts["stack"]
    props = case.props(parts)
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        case.make(stack, "Wrong", **props)
    message = str(raised.value)
    first = message.splitlines()[0]
    label = f"{case.make.__name__} at 'Wrong/Wrong': invalid props: "
    assert first.startswith(label), message
    assert f"{case.prop}=" in first, message
    mine = [p for p in raised.value.problems if p.startswith(f"{case.prop}=")]
    assert mine, message
    assert " is not valid: " in mine[0]
    assert case.fix in mine[0].split("Fix: ", 1)[1], message
    assert "InterfaceDynamicProxy" not in message
    assert len(stack.node.find_all()) == before
