"""Values of the wrong type for every public prop (issue 23), property-based: whatever a
prop is given, a public construct answers with a ``PropValidationError`` or accepts it,
and never fails with a ``TypeError``, ``AttributeError`` or any other error from deep
inside (aws-cdk-lib's type checks, jsii's serializer). The console's context keys, all
strings or JSON, are ``tests/test_console_forms.py``'s."""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import Environment, Stack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
from comprehend_jobs.jobs import JobProps

ACCOUNT = "111122223333"
ENV = Environment(account=ACCOUNT, region="us-east-1")
RECOGNIZER = f"arn:aws:comprehend:us-east-1:{ACCOUNT}:entity-recognizer/tickets"
CLASSIFIER = f"arn:aws:comprehend:us-east-1:{ACCOUNT}:document-classifier/routing"
DOCUMENTS = "s3://example-documents/input/"

#: Values of types no prop takes as they come (a str is wrong for most props too; it is
#: drawn for the props that take no str).
WRONG = st.one_of(
    st.integers(min_value=-3, max_value=3),
    st.floats(allow_nan=False, allow_infinity=False, width=16),
    st.binary(max_size=3),
    st.lists(st.integers(min_value=0, max_value=3), max_size=2),
    st.dictionaries(st.integers(min_value=0, max_value=3), st.integers(), max_size=2),
    st.just(object()),
    st.just(b"\x00"),
)
WRONG_OR_TEXT = st.one_of(WRONG, st.text(max_size=4), st.booleans())


def _parts(stack: Stack) -> dict[str, Any]:
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    return {"storage": storage, "role": DataAccessRole(stack, "Role", storage=storage)}


def _job(cls: type, **required: Any) -> Callable[[Stack, dict[str, Any]], Any]:
    return lambda stack, props: cls(stack, "Target", **{**_parts(stack), **required, **props})


#: Each public construct entry point: how to call it with valid props plus ``props``.
ENTRY_POINTS: dict[str, tuple[Callable[..., Any], Callable[[Stack, dict[str, Any]], Any]]] = {
    "ComprehendAnalysis": (
        ComprehendAnalysis,
        lambda stack, props: ComprehendAnalysis(
            stack,
            "Target",
            **{
                "recognizer_arn": RECOGNIZER,
                "input_s3_uri": DOCUMENTS,
                "network": False,
                **props,
            },
        ),
    ),
    "JobStorage": (JobStorage, lambda stack, props: JobStorage(stack, "Target", **props)),
    "JobStorage.from_s3_uris": (
        JobStorage.from_s3_uris,
        lambda stack, props: JobStorage.from_s3_uris(
            stack, "Target", **{"input_s3_uri": DOCUMENTS, **props}
        ),
    ),
    "JobEncryption": (JobEncryption, lambda stack, props: JobEncryption(stack, "Target", **props)),
    "JobNetwork": (JobNetwork, lambda stack, props: JobNetwork(stack, "Target", **props)),
    "JobNetwork.from_ids": (
        JobNetwork.from_ids,
        lambda stack, props: JobNetwork.from_ids(
            stack,
            "Target",
            **{
                "subnet_ids": ["subnet-0a1b2c3d4e5f67890"],
                "security_group_ids": ["sg-0123456789abcdef0"],
                **props,
            },
        ),
    ),
    "DataAccessRole": (
        DataAccessRole,
        lambda stack, props: DataAccessRole(stack, "Target", **props),
    ),
    "DataAccessRole.from_role_arn": (
        DataAccessRole.from_role_arn,
        lambda stack, props: DataAccessRole.from_role_arn(stack, "Target", **props),
    ),
    "EntityRecognitionJob": (
        EntityRecognitionJob,
        _job(EntityRecognitionJob, recognizer_arn=RECOGNIZER),
    ),
    "DocumentClassificationJob": (
        DocumentClassificationJob,
        _job(DocumentClassificationJob, classifier_arn=CLASSIFIER),
    ),
    "DominantLanguageDetectionJob": (
        DominantLanguageDetectionJob,
        _job(DominantLanguageDetectionJob),
    ),
    "EventsDetectionJob": (
        EventsDetectionJob,
        _job(EventsDetectionJob, target_event_types=["BANKRUPTCY"]),
    ),
    "KeyPhrasesDetectionJob": (KeyPhrasesDetectionJob, _job(KeyPhrasesDetectionJob)),
    "PiiEntitiesDetectionJob": (PiiEntitiesDetectionJob, _job(PiiEntitiesDetectionJob)),
    "SentimentDetectionJob": (SentimentDetectionJob, _job(SentimentDetectionJob)),
    "TargetedSentimentDetectionJob": (
        TargetedSentimentDetectionJob,
        _job(TargetedSentimentDetectionJob),
    ),
    "TopicsDetectionJob": (TopicsDetectionJob, _job(TopicsDetectionJob)),
    # Option objects are checked where they are used: a job with them.
    "DocumentReader": (
        DocumentReader,
        lambda stack, props: ComprehendAnalysis(
            stack,
            "Target",
            classifier_arn=CLASSIFIER,
            input_s3_uri=DOCUMENTS,
            network=False,
            input_format="ONE_DOC_PER_FILE",
            document_reader=DocumentReader(
                **{"read_action": "TEXTRACT_DETECT_DOCUMENT_TEXT", **props}
            ),
        ),
    ),
    "PiiRedaction": (
        PiiRedaction,
        lambda stack, props: _job(
            PiiEntitiesDetectionJob, mode="ONLY_REDACTION", redaction=PiiRedaction(**props)
        )(stack, {}),
    ),
}


def _annotations(signature_of: Callable[..., Any]) -> dict[str, str]:
    """Each keyword prop of an entry point and its annotation (``scope`` and ``id`` are
    not props; a job's ``**props`` are ``JobProps``'s keys)."""
    target = signature_of.__init__ if inspect.isclass(signature_of) else signature_of
    props: dict[str, str] = {}
    for p in inspect.signature(target).parameters.values():
        if p.kind is p.VAR_KEYWORD and "JobProps" in str(p.annotation):
            props.update({k: str(v) for k, v in JobProps.__annotations__.items()})
        elif p.kind is p.VAR_KEYWORD:
            # JobStorage.from_s3_uris passes the rest to JobStorage.
            props.update(_annotations(JobStorage))
            props.pop("input_prefix", None), props.pop("output_prefix", None)
        elif p.name not in ("self", "scope", "construct_id", "id") and p.kind in (
            p.KEYWORD_ONLY,
            p.POSITIONAL_OR_KEYWORD,
        ):
            props[p.name] = str(p.annotation)
    return props


def _props(signature_of: Callable[..., Any]) -> list[str]:
    return sorted(_annotations(signature_of))


def _takes_text(signature_of: Callable[..., Any], prop: str) -> bool:
    return "str" in _annotations(signature_of)[prop]


#: Every (entry point, prop) pair.
PAIRS = sorted(
    itertools.chain.from_iterable(
        ((name, prop) for prop in _props(signature_of))
        for name, (signature_of, _) in ENTRY_POINTS.items()
    )
)
_counter = itertools.count()
# Every entry point is fed (a signature the introspection misreads would feed none).
assert {name for name, _ in PAIRS} == set(ENTRY_POINTS) and len(PAIRS) > 100, PAIRS


@pytest.mark.slow
@pytest.mark.parametrize(("name", "prop"), PAIRS, ids=[f"{n}.{p}" for n, p in PAIRS])
@settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_a_wrong_type_is_a_prop_error_never_a_crash(name: str, prop: str, data: Any) -> None:
    signature_of, call = ENTRY_POINTS[name]
    value = data.draw(WRONG if _takes_text(signature_of, prop) else WRONG_OR_TEXT, label=prop)
    stack = Stack(cdk.App(), f"Types{next(_counter)}", env=ENV)
    try:
        call(stack, {prop: value})
    except PropValidationError as error:
        assert prop in str(error) or "." in str(error), str(error)
