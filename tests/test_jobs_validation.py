"""Bad job props: one error naming the prop, the value, what is allowed and the fix,
raised before anything is added to the tree."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import Environment, Stack
from nag_support import new_app

from comprehend_jobs import (
    DataAccessRole,
    DocumentClassificationJob,
    DocumentReader,
    EntityRecognitionJob,
    EventsDetectionJob,
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

RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets"
CLASSIFIER = "arn:aws:comprehend:us-east-1:111122223333:document-classifier/routing"
FLYWHEEL = "arn:aws:comprehend:us-east-1:111122223333:flywheel/wheel"
#: Documents already in S3 (a job on a created, empty input bucket fails synth).
DOCUMENTS = "s3://example-documents/input/"


@pytest.fixture(scope="module")
def parts() -> dict[str, Any]:
    app = new_app()
    stack = Stack(app, "Validation", env=Environment(account="111122223333", region="us-east-1"))
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    return {
        "stack": stack,
        "storage": storage,
        "role": DataAccessRole(stack, "Role", storage=storage),
        "network": JobNetwork(stack, "Network"),
    }


CASES: list[tuple[str, Callable[..., Any], dict[str, Any], list[str]]] = [
    (
        "no model",
        EntityRecognitionJob,
        {},
        ["recognizer_arn or flywheel_arn=None", "exactly one model source"],
    ),
    (
        "two models",
        DocumentClassificationJob,
        {"classifier_arn": CLASSIFIER, "flywheel_arn": FLYWHEEL},
        ["classifier_arn or flywheel_arn=", "remove the others"],
    ),
    (
        "malformed recognizer",
        EntityRecognitionJob,
        {"recognizer_arn": "arn:aws:comprehend:us-east-1:111122223333:document-classifier/x"},
        [
            "recognizer_arn='arn:aws:comprehend",
            "this is a document-classifier ARN",
            "entity-recognizer/",
            "use DocumentClassificationJob(classifier_arn=...)",
        ],
    ),
    (
        "recognizer as classifier",
        DocumentClassificationJob,
        {"classifier_arn": RECOGNIZER},
        ["this is an entity-recognizer ARN", "use EntityRecognitionJob(recognizer_arn=...)"],
    ),
    (
        "flywheel as recognizer",
        EntityRecognitionJob,
        {"recognizer_arn": FLYWHEEL},
        ["this is a flywheel ARN", "Fix: use flywheel_arn="],
    ),
    (
        "not an ARN",
        EntityRecognitionJob,
        {"recognizer_arn": "tickets"},
        ["recognizer_arn='tickets'", "an entity-recognizer ARN 'arn:aws:comprehend:<region>"],
    ),
    (
        "document reader without input format",
        EntityRecognitionJob,
        {
            "recognizer_arn": RECOGNIZER,
            "document_reader": DocumentReader(read_action="TEXTRACT_DETECT_DOCUMENT_TEXT"),
        },
        ["input_format=None", "one document per line", "input_format=InputFormat.ONE_DOC_PER_FILE"],
    ),
    (
        "wait_for_completion as a string",
        EntityRecognitionJob,
        {"recognizer_arn": RECOGNIZER, "wait_for_completion": "yes"},
        ["wait_for_completion='yes'", "True or False", "Fix: pass wait_for_completion=True"],
    ),
    (
        "stop_on_delete as a string",
        SentimentDetectionJob,
        {"stop_on_delete": "no"},
        ["stop_on_delete='no'", "True or False", "Fix: pass stop_on_delete=False"],
    ),
    (
        "stop_on_delete as a number",
        TopicsDetectionJob,
        {"stop_on_delete": 0},
        ["stop_on_delete=0", "True or False"],
    ),
    (
        "versioned flywheel",
        EntityRecognitionJob,
        {"flywheel_arn": FLYWHEEL + "/version/1"},
        ["flywheel_arn=", ":flywheel/"],
    ),
    (
        "model in another region",
        EntityRecognitionJob,
        {"recognizer_arn": RECOGNIZER.replace("us-east-1", "eu-west-1")},
        ["recognizer_arn=", "a model in the stack's Region (us-east-1)", "in eu-west-1"],
    ),
    (
        "job name with a comma",
        EntityRecognitionJob,
        {"recognizer_arn": RECOGNIZER, "job_name": "tickets,2026"},
        ["job_name='tickets,2026'", "not allowed: ','", "job_name='tickets-2026'"],
    ),
    (
        "job name too long",
        EntityRecognitionJob,
        {"recognizer_arn": RECOGNIZER, "job_name": "j" * 257},
        ["job_name='jjj", "257 characters, 1 too many", "shorten it to 256"],
    ),
    (
        "51 tags",
        EntityRecognitionJob,
        {"recognizer_arn": RECOGNIZER, "tags": {f"k{i}": "v" for i in range(51)}},
        ["tags='51 tags'", "at most 49"],
    ),
    (
        "reserved tag key",
        EntityRecognitionJob,
        {"recognizer_arn": RECOGNIZER, "tags": {"aws:owner": "me"}},
        ["tags='aws:owner'", "not starting with aws:"],
    ),
    (
        "bad input format",
        EntityRecognitionJob,
        {"recognizer_arn": RECOGNIZER, "input_format": "ONE_DOC_PER_PAGE"},
        ["input_format='ONE_DOC_PER_PAGE'", "ONE_DOC_PER_FILE, ONE_DOC_PER_LINE"],
    ),
    (
        "line mode with a document reader",
        EntityRecognitionJob,
        {
            "recognizer_arn": RECOGNIZER,
            "input_format": "ONE_DOC_PER_LINE",
            "document_reader": DocumentReader(read_action="TEXTRACT_DETECT_DOCUMENT_TEXT"),
        },
        ["input_format='ONE_DOC_PER_LINE'", "plain text only", "ONE_DOC_PER_FILE"],
    ),
    (
        "analyze without features",
        DocumentClassificationJob,
        {
            "classifier_arn": CLASSIFIER,
            "input_format": "ONE_DOC_PER_FILE",
            "document_reader": DocumentReader(read_action="TEXTRACT_ANALYZE_DOCUMENT"),
        },
        ["document_reader.feature_types=None", "TABLES, FORMS"],
    ),
    (
        "document reader on a built-in type",
        SentimentDetectionJob,
        {"document_reader": DocumentReader(read_action="TEXTRACT_DETECT_DOCUMENT_TEXT")},
        ["document_reader=", "only custom classification and custom entity recognition"],
    ),
    (
        "unsupported language",
        EntityRecognitionJob,
        {"recognizer_arn": RECOGNIZER, "language_code": "xx"},
        ["language_code='xx'", "en, es, fr"],
    ),
    (
        "targeted sentiment in Spanish",
        TargetedSentimentDetectionJob,
        {"language_code": "es"},
        ["language_code='es'", "TargetedSentimentDetection jobs support en"],
    ),
    (
        "PII in a VPC",
        PiiEntitiesDetectionJob,
        {"network": "NETWORK"},
        ["network=", "cannot run in a VPC", "remove network="],
    ),
    (
        "events in a VPC",
        EventsDetectionJob,
        {"network": "NETWORK", "target_event_types": ["BANKRUPTCY"]},
        ["cannot run in a VPC"],
    ),
    (
        "PII redaction without config",
        PiiEntitiesDetectionJob,
        {"mode": "ONLY_REDACTION"},
        ["redaction=None", "required when mode is ONLY_REDACTION"],
    ),
    (
        "PII offsets with redaction",
        PiiEntitiesDetectionJob,
        {"redaction": PiiRedaction(mask_mode="MASK")},
        ["only allowed with mode ONLY_REDACTION"],
    ),
    (
        "PII bad mask character",
        PiiEntitiesDetectionJob,
        {"mode": "ONLY_REDACTION", "redaction": PiiRedaction(mask_character="x")},
        ["redaction.mask_character='x'", "!@#$%&*"],
    ),
    (
        "PII bad entity type",
        PiiEntitiesDetectionJob,
        {"mode": "ONLY_REDACTION", "redaction": PiiRedaction(entity_types=["SHOE_SIZE"])},
        ["redaction.entity_types='SHOE_SIZE'", "SSN"],
    ),
    (
        "PII bad mode",
        PiiEntitiesDetectionJob,
        {"mode": "ONLY_GUESSES"},
        ["mode='ONLY_GUESSES'", "ONLY_OFFSETS, ONLY_REDACTION"],
    ),
    (
        "topics out of range",
        TopicsDetectionJob,
        {"number_of_topics": 101},
        ["number_of_topics=101", "1 to 100"],
    ),
    (
        "topics not a number",
        TopicsDetectionJob,
        {"number_of_topics": "10"},
        ["number_of_topics='10'"],
    ),
    (
        "no event types",
        EventsDetectionJob,
        {"target_event_types": []},
        ["target_event_types=[]", "at least one"],
    ),
    (
        "lowercase event type",
        EventsDetectionJob,
        {"target_event_types": ["bankruptcy"]},
        [
            "target_event_types='bankruptcy'",
            "names of 1-40 characters matching [A-Z_]* (the API's EventTypeString)",
        ],
    ),
]


@pytest.mark.parametrize(
    ("case", "job_class", "props", "needles"), CASES, ids=[c[0] for c in CASES]
)
def test_bad_props_raise_one_named_error_and_create_nothing(
    parts: dict[str, Any],
    case: str,
    job_class: Callable[..., Any],
    props: dict[str, Any],
    needles: list[str],
) -> None:
    stack = parts["stack"]
    if props.get("network") == "NETWORK":
        props = {**props, "network": parts["network"]}
    before = [c.node.path for c in stack.node.children]
    with pytest.raises(PropValidationError) as raised:
        job_class(stack, "Job", storage=parts["storage"], role=parts["role"], **props)
    message = str(raised.value)
    assert message.startswith(f"{job_class.__name__} at 'Validation/Job': invalid props: ")
    assert len(raised.value.problems) == 1, message
    for needle in needles:
        assert needle in message
    assert "Fix: " in message
    assert [c.node.path for c in stack.node.children] == before


def test_every_problem_is_reported_at_once(parts: dict[str, Any]) -> None:
    with pytest.raises(PropValidationError) as raised:
        EntityRecognitionJob(
            parts["stack"],
            "Many",
            storage=parts["storage"],
            role=parts["role"],
            job_name="a,b",
            language_code="xx",
            input_format="NOPE",
        )
    props = [p.split("=", 1)[0] for p in raised.value.problems]
    assert props == ["recognizer_arn or flywheel_arn", "job_name", "input_format", "language_code"]


def test_tokens_are_not_validated(parts: dict[str, Any]) -> None:
    from aws_cdk import Fn

    job = EntityRecognitionJob(
        parts["stack"],
        "Tokens",
        storage=parts["storage"],
        role=parts["role"],
        recognizer_arn=Fn.import_value("RecognizerArn"),
        job_name=Fn.import_value("JobName"),
    )
    assert job.request["EntityRecognizerArn"] is not None


def test_a_model_region_in_an_env_agnostic_stack_is_a_warning() -> None:
    from aws_cdk.assertions import Annotations, Match

    stack = Stack(new_app(), "Agnostic")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    EntityRecognitionJob(
        stack,
        "Job",
        recognizer_arn=RECOGNIZER.replace("us-east-1", "eu-west-1"),
        storage=storage,
        role=DataAccessRole(stack, "Role", storage=storage),
    )
    Annotations.from_stack(stack).has_warning(
        "/Agnostic/Job",
        Match.string_like_regexp(
            r"recognizer_arn names a model in eu-west-1.*must be deployed to eu-west-1.*"
            r"comprehend-jobs:model-region"
        ),
    )


def test_every_suggested_job_name_is_valid() -> None:
    import ast

    from comprehend_jobs._private import api_model
    from comprehend_jobs._private.job_rules import job_name_problem

    for bad in ["a,b", "x" * 300, "tick|ets#1", "\x00", "名前!", "a b\tc", "," * 300]:
        problem = job_name_problem(bad)
        assert problem is not None, bad
        suggested = problem[1].split("job_name=", 1)[1]
        assert api_model.is_valid_job_name(ast.literal_eval(suggested)), (bad, suggested)


# -- the limits are botocore's: each boundary, read with botocore's own loader ---------------


def _botocore_shape(structure: str, *members: str) -> Any:
    import botocore.session

    shape = botocore.session.get_session().get_service_model("comprehend").shape_for(structure)
    for member in members:
        shape = shape.members[member] if member != "[]" else shape.member
    return shape


def _limit_cases() -> list[tuple[str, Callable[..., Any], dict[str, Any], dict[str, Any], str]]:
    """(limit, job class, props at the model's limit, props one past it, prop named)."""
    topics = _botocore_shape("StartTopicsDetectionJobRequest", "NumberOfTopics").metadata
    event = _botocore_shape("StartEventsDetectionJobRequest", "TargetEventTypes", "[]").metadata
    tag_key = _botocore_shape("Tag", "Key").metadata
    tag_value = _botocore_shape("Tag", "Value").metadata
    name = _botocore_shape("StartEntitiesDetectionJobRequest", "JobName").metadata
    model = _botocore_shape("StartEntitiesDetectionJobRequest", "EntityRecognizerArn").metadata
    mask = _botocore_shape("RedactionConfig", "MaskCharacter").metadata
    # A recognizer ARN of exactly n characters.
    arn = f"{RECOGNIZER}-"

    def arn_of(n: int) -> str:
        return arn + "x" * (n - len(arn))

    return [
        (
            "NumberOfTopics max",
            TopicsDetectionJob,
            {"number_of_topics": topics["max"]},
            {"number_of_topics": topics["max"] + 1},
            "number_of_topics",
        ),
        (
            "NumberOfTopics min",
            TopicsDetectionJob,
            {"number_of_topics": topics["min"]},
            {"number_of_topics": topics["min"] - 1},
            "number_of_topics",
        ),
        (
            "EventTypeString max",
            EventsDetectionJob,
            {"target_event_types": ["A" * event["max"]]},
            {"target_event_types": ["A" * (event["max"] + 1)]},
            "target_event_types",
        ),
        (
            "EventTypeString pattern",
            EventsDetectionJob,
            {"target_event_types": ["MERGER_AND_ACQUISITION"]},
            {"target_event_types": ["MERGER-AND-ACQUISITION"]},
            "target_event_types",
        ),
        (
            "TagKey max",
            KeyPhrasesDetectionJob,
            {"tags": {"k" * tag_key["max"]: "v"}},
            {"tags": {"k" * (tag_key["max"] + 1): "v"}},
            "tags",
        ),
        (
            "TagValue max",
            KeyPhrasesDetectionJob,
            {"tags": {"k": "v" * tag_value["max"]}},
            {"tags": {"k": "v" * (tag_value["max"] + 1)}},
            "tags",
        ),
        (
            "JobName max",
            KeyPhrasesDetectionJob,
            {"job_name": "j" * name["max"]},
            {"job_name": "j" * (name["max"] + 1)},
            "job_name",
        ),
        (
            "EntityRecognizerArn max",
            EntityRecognitionJob,
            {"recognizer_arn": arn_of(model["max"])},
            {"recognizer_arn": arn_of(model["max"] + 1)},
            "recognizer_arn",
        ),
        (
            "MaskCharacter pattern",
            PiiEntitiesDetectionJob,
            {"mode": "ONLY_REDACTION", "redaction": PiiRedaction(mask_character="#")},
            {"mode": "ONLY_REDACTION", "redaction": PiiRedaction(mask_character="~")},
            "redaction.mask_character",
        ),
        (
            "MaskCharacter max",
            PiiEntitiesDetectionJob,
            {"mode": "ONLY_REDACTION", "redaction": PiiRedaction(mask_character="*")},
            {
                "mode": "ONLY_REDACTION",
                "redaction": PiiRedaction(mask_character="*" * (mask["max"] + 1)),
            },
            "redaction.mask_character",
        ),
    ]


LIMITS = _limit_cases()


@pytest.mark.parametrize(
    ("limit", "job_class", "at_limit", "past_limit", "prop"), LIMITS, ids=[c[0] for c in LIMITS]
)
def test_each_limit_is_the_models(
    parts: dict[str, Any],
    limit: str,
    job_class: Callable[..., Any],
    at_limit: dict[str, Any],
    past_limit: dict[str, Any],
    prop: str,
) -> None:
    stack, common = parts["stack"], {"storage": parts["storage"], "role": parts["role"]}
    job_id = f"Limit{LIMITS.index(next(c for c in LIMITS if c[0] == limit))}"
    job_class(stack, job_id, **common, **at_limit)
    with pytest.raises(PropValidationError) as raised:
        job_class(stack, f"{job_id}Past", **common, **past_limit)
    (problem,) = raised.value.problems
    assert problem.startswith(f"{prop}=")


# -- check, then build: each rule runs once -------------------------------------------------

ONCE_CASES: list[tuple[Callable[..., Any], dict[str, Any]]] = [
    (EntityRecognitionJob, {"recognizer_arn": RECOGNIZER, "job_name": "n", "tags": {"a": "b"}}),
    (DocumentClassificationJob, {"flywheel_arn": FLYWHEEL}),
    (KeyPhrasesDetectionJob, {"language_code": "de"}),
    (PiiEntitiesDetectionJob, {"mode": "ONLY_REDACTION", "redaction": PiiRedaction()}),
    (TopicsDetectionJob, {"number_of_topics": 5}),
    (EventsDetectionJob, {"target_event_types": ["BANKRUPTCY"]}),
]


@pytest.mark.parametrize(
    ("job_class", "props"), ONCE_CASES, ids=lambda c: getattr(c, "__name__", "")
)
def test_each_rule_of_a_job_runs_once(job_class: Callable[..., Any], props: dict[str, Any]) -> None:
    # The job class checks its props and hands them to AnalysisJob, which builds from them.
    import contextlib
    from unittest import mock

    from comprehend_jobs._private import job_rules

    stack = Stack(new_app(), "Once", env=Environment(account="111122223333", region="us-east-1"))
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    rules = {
        name: rule
        for name, rule in vars(job_rules).items()
        if callable(rule)
        and not name.startswith("_")
        and getattr(rule, "__module__", None) == job_rules.__name__
    }
    with contextlib.ExitStack() as patches:
        spies = {
            name: patches.enter_context(mock.patch.object(job_rules, name, wraps=rule))
            for name, rule in rules.items()
        }
        job_class(stack, "Job", storage=storage, role=role, **props)
    calls = {name: spy.call_count for name, spy in spies.items() if spy.call_count}
    assert calls == dict.fromkeys(calls, 1)
    assert {"check_job", "check_parts", "check_job_props", "check_flags"} <= set(calls)
