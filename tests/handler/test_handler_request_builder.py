"""The pure request builder: JSON event fixtures in, one validated Start*Job request out.

No AWS here: not even a client. botocore's service model is only read.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from botocore.validate import validate_parameters

from comprehend_jobs._lambda import job_types, request_builder, shape_rules
from comprehend_jobs._lambda.request_builder import RequestValidationError

Event = dict[str, Any]
Mutation = Callable[[Event], None]
EVENTS_DIR = Path(__file__).resolve().parent.parent / "events"
CREATE_EVENTS = sorted(p.stem for p in EVENTS_DIR.glob("create_*.json"))
TOKEN = re.compile(r"[A-Za-z0-9-]{1,64}")


def build(event: Event) -> request_builder.StartRequest:
    return request_builder.build_start_request(
        event["ResourceProperties"],
        stack_id=event["StackId"],
        logical_resource_id=event["LogicalResourceId"],
        request_id=event["RequestId"],
    )


# --------------------------------------------------------------------------- every type


def test_there_is_a_create_fixture_for_every_job_type(
    load_event: Callable[[str], Event],
) -> None:
    types = {load_event(name)["ResourceProperties"]["JobType"] for name in CREATE_EVENTS}
    assert types == set(job_types.JOB_TYPES)


@pytest.mark.parametrize("name", CREATE_EVENTS)
def test_builds_a_request_botocore_accepts(name: str, load_event: Callable[[str], Event]) -> None:
    event = load_event(name)
    job_type = job_types.JOB_TYPES[event["ResourceProperties"]["JobType"]]

    start = build(event)

    assert start.job_type is job_type
    assert start.operation == job_type.start_operation
    assert set(start.params) <= job_type.accepted_fields
    # botocore's own type check: every coerced value now has the API's type.
    shape = request_builder.service_model().operation_model(start.operation).input_shape
    validate_parameters(start.params, shape)  # raises ParamValidationError
    assert TOKEN.fullmatch(start.params["ClientRequestToken"])
    assert 1 <= len(start.params["JobName"]) <= 256


@pytest.mark.parametrize("name", CREATE_EVENTS)
def test_request_fields_pass_through_unchanged_but_for_coercion(
    name: str, load_event: Callable[[str], Event]
) -> None:
    event = load_event(name)
    given = event["ResourceProperties"]["Request"]

    params = build(event).params

    for key, value in given.items():
        if key == "Tags":
            assert params[key][:-1] == value  # the handler appends its key tag
        elif key != "NumberOfTopics":
            assert params[key] == value


def test_number_of_topics_string_becomes_an_integer(load_event: Callable[[str], Event]) -> None:
    params = build(load_event("create_topics_detection")).params

    assert params["NumberOfTopics"] == 5
    assert type(params["NumberOfTopics"]) is int


def test_nested_reader_config_vpc_and_tags_are_kept(load_event: Callable[[str], Event]) -> None:
    params = build(load_event("create_entities_detection")).params

    assert params["InputDataConfig"] == {
        "S3Uri": "s3://comprehend-jobs-input-123456789012/entities/",
        "InputFormat": "ONE_DOC_PER_FILE",
        "DocumentReaderConfig": {
            "DocumentReadAction": "TEXTRACT_ANALYZE_DOCUMENT",
            "DocumentReadMode": "FORCE_DOCUMENT_READ_ACTION",
            "FeatureTypes": ["TABLES", "FORMS"],
        },
    }
    assert params["VpcConfig"] == {
        "SecurityGroupIds": ["sg-0a1b2c3d4e5f60718"],
        "Subnets": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
    }
    assert params["Tags"] == [
        {"Key": "project", "Value": "comprehend-jobs"},
        {"Key": "cost-center", "Value": "1234"},
        {
            "Key": request_builder.JOB_KEY_TAG,
            "Value": build(load_event("create_entities_detection")).job_key,
        },
    ]


def test_pii_redaction_config_is_kept(load_event: Callable[[str], Event]) -> None:
    params = build(load_event("create_pii_entities_detection")).params

    assert params["Mode"] == "ONLY_REDACTION"
    assert params["RedactionConfig"] == {
        "PiiEntityTypes": ["NAME", "SSN", "EMAIL"],
        "MaskMode": "MASK",
        "MaskCharacter": "*",
    }


@pytest.mark.parametrize(
    ("name", "stop_on_delete", "wait"),
    [
        ("create_entities_detection", True, True),
        ("create_document_classification", False, False),
        ("create_key_phrases_detection", True, False),  # "True" / "FALSE"
        ("create_dominant_language_detection", True, False),  # defaults
    ],
)
def test_flags_are_parsed_from_strings(
    name: str, stop_on_delete: bool, wait: bool, load_event: Callable[[str], Event]
) -> None:
    parsed = request_builder.parse_properties(load_event(name)["ResourceProperties"])

    assert parsed.stop_on_delete is stop_on_delete
    assert parsed.wait_for_completion is wait


# --------------------------------------------------------------------------- name, token


def test_given_job_name_is_used(load_event: Callable[[str], Event]) -> None:
    params = build(load_event("create_events_detection")).params

    assert params["JobName"] == "quarterly events: 2026/Q3 run"


def test_derived_job_name_names_stack_resource_and_job_key(
    load_event: Callable[[str], Event],
) -> None:
    start = build(load_event("create_topics_detection"))

    assert start.params["JobName"] == (
        f"ComprehendJobsStack-TopicsJobAnalysisJobA7B8C9D0-{start.job_key[:8]}"
    )


def test_derived_job_name_is_cut_to_256_characters() -> None:
    name = request_builder.derive_job_name(
        stack_id="arn:aws:cloudformation:us-east-1:123456789012:stack/" + "S" * 128 + "/u",
        logical_resource_id="L" * 255,
        key="abcdef12" + "0" * 56,
        max_length=request_builder.service_model().shape_for("JobName").metadata["max"],
    )

    assert len(name) == 256
    assert name.endswith("-abcdef12")


# --------------------------------------------------------------------------- job key


def test_every_start_carries_its_job_key_as_a_tag(load_event: Callable[[str], Event]) -> None:
    start = build(load_event("create_sentiment_detection"))

    assert re.fullmatch(r"[0-9a-f]{64}", start.job_key)
    assert start.params["Tags"][-1] == {"Key": "comprehend-jobs:job-key", "Value": start.job_key}


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.update(RequestId="00000000-0000-4000-8000-000000000000"),
        lambda e: e["ResourceProperties"]["Request"].update(Tags=[{"Key": "a", "Value": "b"}]),
        lambda e: e["ResourceProperties"].update(StopOnDelete="false", WaitForCompletion="true"),
    ],
    ids=["request-id", "tags", "flags"],
)
def test_job_key_ignores_the_request_id_tags_and_flags(
    change: Mutation, load_event: Callable[[str], Event]
) -> None:
    # A rollback (a new RequestId, the old properties) must compute the old job's key.
    event = load_event("create_entities_detection")
    before = build(event)

    change(event)

    assert build(event).job_key == before.job_key
    assert build(event).params["JobName"] == before.params["JobName"]


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.update(LogicalResourceId="OtherJob"),
        lambda e: e.update(StackId=e["StackId"].replace("5b3e1c70", "00000000")),
        lambda e: e["ResourceProperties"]["Request"].update(LanguageCode="es"),
        lambda e: e["ResourceProperties"].update(RerunToken="2"),
    ],
    ids=["logical-id", "stack-id", "request", "rerun-token"],
)
def test_job_key_changes_with_the_resource_and_the_job(
    change: Mutation, load_event: Callable[[str], Event]
) -> None:
    event = load_event("create_entities_detection")
    before = build(event).job_key

    change(event)

    assert build(event).job_key != before


def test_the_key_tag_is_reserved(load_event: Callable[[str], Event]) -> None:
    event = load_event("create_sentiment_detection")
    event["ResourceProperties"]["Request"]["Tags"] = [
        {"Key": "comprehend-jobs:job-key", "Value": "mine"}
    ]

    with pytest.raises(RequestValidationError, match="'comprehend-jobs:job-key' is reserved"):
        build(event)


def test_the_key_tag_needs_room_under_fifty_tags(load_event: Callable[[str], Event]) -> None:
    event = load_event("create_sentiment_detection")
    event["ResourceProperties"]["Request"]["Tags"] = [
        {"Key": f"k{i}", "Value": "v"} for i in range(50)
    ]

    with pytest.raises(RequestValidationError, match="has 50 tags: at most 49"):
        build(event)


def test_token_is_deterministic_per_event(load_event: Callable[[str], Event]) -> None:
    event = load_event("create_entities_detection")

    assert build(event).params["ClientRequestToken"] == build(event).params["ClientRequestToken"]


@pytest.mark.parametrize(
    "change",
    [
        lambda e: e.update(RequestId="00000000-0000-4000-8000-000000000000"),
        lambda e: e.update(LogicalResourceId="OtherJob"),
        lambda e: e.update(StackId=e["StackId"].replace("ComprehendJobsStack", "Other")),
        lambda e: e["ResourceProperties"]["Request"].update(LanguageCode="es"),
        lambda e: e["ResourceProperties"].update(RerunToken="2"),
    ],
    ids=["request-id", "logical-id", "stack", "request", "rerun-token"],
)
def test_token_changes_with_its_inputs(
    change: Mutation, load_event: Callable[[str], Event]
) -> None:
    event = load_event("create_entities_detection")
    before = build(event).params["ClientRequestToken"]

    change(event)

    assert build(event).params["ClientRequestToken"] != before


def test_given_client_request_token_is_used(load_event: Callable[[str], Event]) -> None:
    event = load_event("create_sentiment_detection")
    event["ResourceProperties"]["Request"]["ClientRequestToken"] = "my-token-1"

    assert build(event).params["ClientRequestToken"] == "my-token-1"


@pytest.mark.parametrize(
    ("change", "new_job"),
    [
        ({"Request": {"LanguageCode": "de"}}, True),
        ({"RerunToken": "2"}, True),
        ({"JobType": "SentimentDetection"}, True),
        ({"Request": {"LanguageCode": "en", "Tags": [{"Key": "a", "Value": "b"}]}}, False),
        ({"StopOnDelete": "false"}, False),
        ({"WaitForCompletion": "true"}, False),
        ({"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:new"}, False),
    ],
)
def test_requires_new_job_only_for_the_job_itself(change: dict[str, Any], new_job: bool) -> None:
    old = {"JobType": "KeyPhrasesDetection", "Request": {"LanguageCode": "en"}, "ServiceToken": "x"}

    assert request_builder.requires_new_job(old, {**old, **change}) is new_job


# --------------------------------------------------------------------------- rejections


def _request(e: Event) -> dict[str, Any]:
    request: dict[str, Any] = e["ResourceProperties"]["Request"]
    return request


def _set(path: str, value: Any) -> Mutation:
    """Set Request.<path> (dotted) to value."""

    def mutate(e: Event) -> None:
        target = _request(e)
        *parents, leaf = path.split(".")
        for key in parents:
            target = target[key]
        target[leaf] = value

    return mutate


def _drop(path: str) -> Mutation:
    def mutate(e: Event) -> None:
        target = _request(e)
        *parents, leaf = path.split(".")
        for key in parents:
            target = target[key]
        del target[leaf]

    return mutate


def _prop(key: str, value: Any) -> Mutation:
    return lambda e: e["ResourceProperties"].update({key: value})


REJECTIONS: list[Any] = [
    # unknown fields and properties
    pytest.param(
        "create_entities_detection",
        _set("Colour", "blue"),
        ["Request.Colour='blue'", "unknown field", "StartEntitiesDetectionJob accepts:"],
        id="unknown-request-field",
    ),
    pytest.param(
        "create_entities_detection",
        _set("InputDataConfig.Compression", "GZIP"),
        [
            "Request.InputDataConfig.Compression='GZIP'",
            "unknown field; allowed: DocumentReaderConfig, InputFormat, S3Uri",
        ],
        id="unknown-nested-field",
    ),
    pytest.param(
        "create_entities_detection",
        _prop("Priority", "high"),
        ["Priority='high'", "unknown property", "allowed: JobType, Request, RerunToken"],
        id="unknown-property",
    ),
    # job type
    pytest.param(
        "create_entities_detection",
        _prop("JobType", "EntityDetection"),
        ["JobType='EntityDetection'", "allowed: DocumentClassification, DominantLanguage"],
        id="bad-job-type",
    ),
    pytest.param(
        "create_entities_detection",
        lambda e: e["ResourceProperties"].pop("JobType"),
        ["JobType=None", "allowed: DocumentClassification"],
        id="missing-job-type",
    ),
    # S3 URIs
    pytest.param(
        "create_key_phrases_detection",
        _set("InputDataConfig.S3Uri", "https://my-bucket.s3.amazonaws.com/in/"),
        [
            "Request.InputDataConfig.S3Uri='https://my-bucket.s3.amazonaws.com/in/'",
            r"must match the pattern s3://[a-z0-9][\.\-a-z0-9]{1,61}[a-z0-9](/.*)?",
        ],
        id="s3-uri-not-s3",
    ),
    pytest.param(
        "create_key_phrases_detection",
        _set("OutputDataConfig.S3Uri", "s3://My_Bucket/out/"),
        ["Request.OutputDataConfig.S3Uri='s3://My_Bucket/out/'", "must match the pattern"],
        id="s3-uri-bad-bucket",
    ),
    pytest.param(
        "create_key_phrases_detection",
        _set("InputDataConfig.S3Uri", "s3://bucket/" + "k" * 1020),
        ["Request.InputDataConfig.S3Uri=", "must have at most 1024 characters (has 1032)"],
        id="s3-uri-too-long",
    ),
    # role ARN
    pytest.param(
        "create_sentiment_detection",
        _set("DataAccessRoleArn", "arn:aws:iam::123456789012:user/deployer"),
        [
            "Request.DataAccessRoleArn='arn:aws:iam::123456789012:user/deployer'",
            "must match the pattern arn:aws(-[^:]+)?:iam::[0-9]{12}:role/.+",
        ],
        id="role-arn-is-a-user",
    ),
    pytest.param(
        "create_sentiment_detection",
        _set("DataAccessRoleArn", "arn:aws:iam::12345:role/Comprehend"),
        ["Request.DataAccessRoleArn='arn:aws:iam::12345:role/Comprehend'", "pattern"],
        id="role-arn-short-account",
    ),
    # other ARNs
    pytest.param(
        "create_entities_detection",
        _set(
            "EntityRecognizerArn",
            "arn:aws:comprehend:us-east-1:123456789012:document-classifier/wrong-kind",
        ),
        ["Request.EntityRecognizerArn=", "entity-recognizer/"],
        id="recognizer-arn-wrong-resource",
    ),
    # job name
    pytest.param(
        "create_events_detection",
        _set("JobName", "j" * 257),
        ["Request.JobName='jjjj", "must have at most 256 characters (has 257)"],
        id="job-name-too-long",
    ),
    pytest.param(
        "create_events_detection",
        _set("JobName", "run #1"),
        ["Request.JobName='run #1'", r"must match the pattern ^([\p{L}\p{Z}\p{N}_.:/=+\-%@]*)$"],
        id="job-name-bad-character",
    ),
    pytest.param(
        "create_events_detection",
        _set("JobName", ""),
        ["Request.JobName=''", "must have at least 1 characters (has 0)"],
        id="job-name-empty",
    ),
    # client request token
    pytest.param(
        "create_dominant_language_detection",
        _set("ClientRequestToken", "token_with_underscore!"),
        ["Request.ClientRequestToken='token_with_underscore!'", "pattern ^[a-zA-Z0-9-]+$"],
        id="token-bad-characters",
    ),
    pytest.param(
        "create_dominant_language_detection",
        _set("ClientRequestToken", "t" * 65),
        ["Request.ClientRequestToken=", "must have at most 64 characters (has 65)"],
        id="token-too-long",
    ),
    # numbers
    pytest.param(
        "create_topics_detection",
        _set("NumberOfTopics", "101"),
        ["Request.NumberOfTopics='101'", "must be between 1 and 100"],
        id="topics-above-range",
    ),
    pytest.param(
        "create_topics_detection",
        _set("NumberOfTopics", "0"),
        ["Request.NumberOfTopics='0'", "must be between 1 and 100"],
        id="topics-below-range",
    ),
    pytest.param(
        "create_topics_detection",
        _set("NumberOfTopics", "5.5"),
        ["Request.NumberOfTopics='5.5'", "expected a whole number"],
        id="topics-not-whole",
    ),
    # enums
    pytest.param(
        "create_key_phrases_detection",
        _set("LanguageCode", "xx"),
        ["Request.LanguageCode='xx'", "allowed values: en, es, fr, de, it, pt, ar, hi"],
        id="bad-language-enum",
    ),
    pytest.param(
        "create_key_phrases_detection",
        _set("InputDataConfig.InputFormat", "ONE_DOC_PER_PAGE"),
        [
            "Request.InputDataConfig.InputFormat='ONE_DOC_PER_PAGE'",
            "allowed values: ONE_DOC_PER_FILE, ONE_DOC_PER_LINE",
        ],
        id="bad-input-format-enum",
    ),
    pytest.param(
        "create_entities_detection",
        _set("InputDataConfig.DocumentReaderConfig.FeatureTypes", ["TABLES", "CHARTS"]),
        [
            "Request.InputDataConfig.DocumentReaderConfig.FeatureTypes[1]='CHARTS'",
            "allowed values: TABLES, FORMS",
        ],
        id="bad-feature-type-enum",
    ),
    pytest.param(
        "create_pii_entities_detection",
        _set("Mode", "REDACT"),
        ["Request.Mode='REDACT'", "allowed values: ONLY_REDACTION, ONLY_OFFSETS"],
        id="bad-pii-mode-enum",
    ),
    # required fields
    pytest.param(
        "create_sentiment_detection",
        _drop("DataAccessRoleArn"),
        ["Request.DataAccessRoleArn is required but missing"],
        id="missing-role",
    ),
    pytest.param(
        "create_sentiment_detection",
        _drop("LanguageCode"),
        ["Request.LanguageCode is required but missing"],
        id="missing-language",
    ),
    pytest.param(
        "create_sentiment_detection",
        _drop("InputDataConfig.S3Uri"),
        ["Request.InputDataConfig.S3Uri is required but missing"],
        id="missing-nested-s3-uri",
    ),
    pytest.param(
        "create_events_detection",
        _drop("TargetEventTypes"),
        ["Request.TargetEventTypes is required but missing"],
        id="missing-target-event-types",
    ),
    pytest.param(
        "create_entities_detection",
        _drop("InputDataConfig.DocumentReaderConfig.DocumentReadAction"),
        ["Request.InputDataConfig.DocumentReaderConfig.DocumentReadAction is required"],
        id="missing-read-action",
    ),
    pytest.param(
        "create_document_classification",
        lambda e: e["ResourceProperties"]["Request"]["Tags"].append({"Value": "orphan"}),
        ["Request.Tags[2].Key is required but missing"],
        id="tag-without-key",
    ),
    # fields this type does not accept
    pytest.param(
        "create_pii_entities_detection",
        _set("VpcConfig", {"SecurityGroupIds": ["sg-1"], "Subnets": ["subnet-1"]}),
        [
            "Request.VpcConfig=",
            "not accepted by JobType PiiEntitiesDetection",
            "StartPiiEntitiesDetectionJob accepts: ClientRequestToken, DataAccessRoleArn",
        ],
        id="vpc-on-pii",
    ),
    pytest.param(
        "create_events_detection",
        _set("VolumeKmsKeyId", "1234abcd-12ab-34cd-56ef-1234567890ab"),
        ["Request.VolumeKmsKeyId=", "not accepted by JobType EventsDetection"],
        id="volume-key-on-events",
    ),
    pytest.param(
        "create_entities_detection",
        _set("NumberOfTopics", "5"),
        ["Request.NumberOfTopics='5'", "not accepted by JobType EntitiesDetection"],
        id="topics-on-entities",
    ),
    # list sizes and item patterns
    pytest.param(
        "create_topics_detection",
        _set("VpcConfig.SecurityGroupIds", [f"sg-{i}" for i in range(6)]),
        ["Request.VpcConfig.SecurityGroupIds=", "must have at most 5 items (has 6)"],
        id="too-many-security-groups",
    ),
    pytest.param(
        "create_topics_detection",
        _set("VpcConfig.Subnets", []),
        ["Request.VpcConfig.Subnets=[]", "must have at least 1 items (has 0)"],
        id="no-subnets",
    ),
    pytest.param(
        "create_topics_detection",
        _set("VpcConfig.Subnets", "subnet-1"),
        ["Request.VpcConfig.Subnets='subnet-1'", "expected a list"],
        id="subnets-not-a-list",
    ),
    pytest.param(
        "create_topics_detection",
        _set("VpcConfig.Subnets", ["subnet_1!"]),
        ["Request.VpcConfig.Subnets[0]='subnet_1!'", "pattern [-0-9a-zA-Z]+"],
        id="bad-subnet-id",
    ),
    pytest.param(
        "create_entities_detection",
        _set("VolumeKmsKeyId", "clé"),
        ["Request.VolumeKmsKeyId='clé'", r"pattern ^\p{ASCII}+$"],
        id="non-ascii-key-id",
    ),
    pytest.param(
        "create_pii_entities_detection",
        _set("RedactionConfig.MaskCharacter", "##"),
        ["Request.RedactionConfig.MaskCharacter='##'", "at most 1 characters"],
        id="mask-character-too-long",
    ),
    # rules per type that the model cannot express
    pytest.param(
        "create_pii_entities_detection",
        _set("LanguageCode", "fr"),
        ["Request.LanguageCode='fr'", "PiiEntitiesDetection supports en, es"],
        id="pii-language",
    ),
    pytest.param(
        "create_targeted_sentiment_detection",
        _set("LanguageCode", "de"),
        ["Request.LanguageCode='de'", "TargetedSentimentDetection supports en"],
        id="targeted-sentiment-language",
    ),
    pytest.param(
        "create_document_classification",
        _drop("DocumentClassifierArn"),
        ["DocumentClassification needs one of DocumentClassifierArn, FlywheelArn"],
        id="classifier-missing",
    ),
    pytest.param(
        "create_entities_detection",
        _set("FlywheelArn", "arn:aws:comprehend:us-east-1:123456789012:flywheel/products"),
        ["EntityRecognizerArn and FlywheelArn are both given"],
        id="two-model-sources",
    ),
    pytest.param(
        "create_pii_entities_detection",
        _drop("RedactionConfig"),
        ["Request.RedactionConfig is required when Mode is ONLY_REDACTION"],
        id="redaction-without-config",
    ),
    pytest.param(
        "create_entities_detection",
        _drop("InputDataConfig.DocumentReaderConfig.FeatureTypes"),
        ["FeatureTypes is required when DocumentReadAction is TEXTRACT_ANALYZE_DOCUMENT"],
        id="analyze-document-without-features",
    ),
    # properties
    pytest.param(
        "create_entities_detection",
        _prop("StopOnDelete", "yes"),
        ["StopOnDelete='yes'", "expected 'true' or 'false'"],
        id="bad-stop-on-delete",
    ),
    pytest.param(
        "create_entities_detection",
        _prop("WaitForCompletion", "1"),
        ["WaitForCompletion='1'", "expected 'true' or 'false'"],
        id="bad-wait-for-completion",
    ),
    pytest.param(
        "create_entities_detection",
        _prop("Request", '{"LanguageCode": "en"}'),
        ['Request=\'{"LanguageCode": "en"}\'', "expected an object"],
        id="request-not-an-object",
    ),
]


@pytest.mark.parametrize(("name", "mutate", "expected"), REJECTIONS)
def test_rejects_with_field_value_and_what_is_allowed(
    name: str, mutate: Mutation, expected: list[str], load_event: Callable[[str], Event]
) -> None:
    event = load_event(name)
    mutate(event)

    with pytest.raises(RequestValidationError) as raised:
        build(event)

    message = str(raised.value)
    assert message.startswith("Custom::ComprehendAnalysisJob: invalid properties")
    for text in expected:
        assert text in message


def test_every_problem_is_reported_at_once(load_event: Callable[[str], Event]) -> None:
    event = load_event("create_topics_detection")
    _set("NumberOfTopics", "500")(event)
    _set("DataAccessRoleArn", "role")(event)
    _set("Colour", "blue")(event)

    with pytest.raises(RequestValidationError) as raised:
        build(event)

    assert len(raised.value.problems) == 3


def test_parse_properties_rejects_a_bad_job_type() -> None:
    with pytest.raises(RequestValidationError, match="JobType='Translation'"):
        request_builder.parse_properties({"JobType": "Translation", "Request": {}})


# --------------------------------------------------------------------------- patterns


def _start_patterns() -> set[str]:
    model = request_builder.service_model()
    patterns: set[str] = set()
    seen: set[str] = set()

    def walk(shape: Any) -> None:
        if shape.name in seen:
            return
        seen.add(shape.name)
        if "pattern" in shape.metadata:
            patterns.add(shape.metadata["pattern"])
        for child in getattr(shape, "members", {}).values():
            walk(child)
        if shape.type_name == "list":
            walk(shape.member)

    for job_type in job_types.JOB_TYPES.values():
        walk(model.operation_model(job_type.start_operation).input_shape)
    return patterns


def test_every_start_pattern_translates() -> None:
    patterns = _start_patterns()

    assert len(patterns) >= 8
    for pattern in patterns:
        shape_rules.python_pattern(pattern)


def test_job_name_pattern_is_exactly_letters_separators_numbers_and_punctuation() -> None:
    pattern = shape_rules.python_pattern(r"^([\p{L}\p{Z}\p{N}_.:/=+\-%@]*)$")
    expected_categories = ("L", "Z", "N")

    mismatches = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if bool(pattern.fullmatch(chr(code)))
        != (unicodedata.category(chr(code))[0] in expected_categories or chr(code) in "_.:/=+-%@")
    ]

    assert mismatches == []


def test_ascii_pattern_is_the_whole_ascii_range() -> None:
    pattern = shape_rules.python_pattern(r"^\p{ASCII}+$")

    assert pattern.fullmatch("alias/key")
    assert pattern.fullmatch("".join(map(chr, range(128))))
    assert not pattern.fullmatch("alias/kéy")


def test_unsupported_unicode_property_is_refused() -> None:
    with pytest.raises(ValueError, match="unsupported Unicode property"):
        shape_rules.python_pattern(r"[\p{Lu}]+")
