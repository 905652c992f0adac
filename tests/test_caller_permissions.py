"""The caller policy: exact statements, merged per job type, independent of job order."""

from __future__ import annotations

import json
import math
import random
from typing import Any

import pytest

from comprehend_jobs._private.caller_permissions import (
    ATTRIBUTE_CHARS,
    DOCUMENT_CHARS,
    ENVELOPE_CHARS,
    KEY_ARN_CHARS,
    MODEL_ARN_CHARS,
    REGION_CHARS,
    ROLE_ARN_CHARS,
    CallerPermissions,
    deployed_chars,
)
from comprehend_jobs.job_types import (
    DOCUMENT_CLASSIFICATION,
    DOMINANT_LANGUAGE_DETECTION,
    ENTITIES_DETECTION,
    EVENTS_DETECTION,
    JOB_TYPES,
    KEY_PHRASES_DETECTION,
    PII_ENTITIES_DETECTION,
    SENTIMENT_DETECTION,
    TARGETED_SENTIMENT_DETECTION,
    TOPICS_DETECTION,
    JobType,
)

RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/r"
CLASSIFIER = "arn:aws:comprehend:us-east-1:111122223333:document-classifier/c"
ROLE = "arn:aws:iam::111122223333:role/DataAccess"
KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _pattern(job_type: JobType) -> str:
    return f"arn:aws:comprehend:us-east-1:111122223333:{job_type.arn_resource}/*"


def _registry() -> CallerPermissions:
    return CallerPermissions(job_arn_pattern=_pattern)


#: Describe, Stop and the tag actions on every type of the table, whatever is registered:
#: a job removed by an update is deleted after the policy is updated without it, and a
#: rollback may find (by its key tag) and re-tag a job of a type the stack dropped. One
#: statement, the nine patterns listed once; ``_run_and_tag`` adds Start for registered types.
DESCRIBE_STOP_AND_TAG = {
    "Sid": "RunAndTagJobs",
    "Effect": "Allow",
    "Action": [
        "comprehend:DescribeDocumentClassificationJob",
        "comprehend:DescribeDominantLanguageDetectionJob",
        "comprehend:StopDominantLanguageDetectionJob",
        "comprehend:DescribeEntitiesDetectionJob",
        "comprehend:StopEntitiesDetectionJob",
        "comprehend:DescribeEventsDetectionJob",
        "comprehend:StopEventsDetectionJob",
        "comprehend:DescribeKeyPhrasesDetectionJob",
        "comprehend:StopKeyPhrasesDetectionJob",
        "comprehend:DescribePiiEntitiesDetectionJob",
        "comprehend:StopPiiEntitiesDetectionJob",
        "comprehend:DescribeSentimentDetectionJob",
        "comprehend:StopSentimentDetectionJob",
        "comprehend:DescribeTargetedSentimentDetectionJob",
        "comprehend:StopTargetedSentimentDetectionJob",
        # Topic modeling (and classification) have no Stop operation.
        "comprehend:DescribeTopicsDetectionJob",
        "comprehend:ListTagsForResource",
        "comprehend:TagResource",
        "comprehend:UntagResource",
    ],
    "Resource": [
        _pattern(DOCUMENT_CLASSIFICATION),
        _pattern(DOMINANT_LANGUAGE_DETECTION),
        _pattern(ENTITIES_DETECTION),
        _pattern(EVENTS_DETECTION),
        _pattern(KEY_PHRASES_DETECTION),
        _pattern(PII_ENTITIES_DETECTION),
        _pattern(SENTIMENT_DETECTION),
        _pattern(TARGETED_SENTIMENT_DETECTION),
        _pattern(TOPICS_DETECTION),
    ],
}


def _run_and_tag(*registered: JobType) -> dict[str, object]:
    """``DESCRIBE_STOP_AND_TAG`` with Start for each registered type, before its Describe."""
    actions: list[str] = []
    for action in DESCRIBE_STOP_AND_TAG["Action"]:
        for job_type in registered:
            if action == f"comprehend:Describe{job_type.stem}Job":
                actions.append(f"comprehend:Start{job_type.stem}Job")
        actions.append(action)
    return {**DESCRIBE_STOP_AND_TAG, "Action": actions}


#: The handler finds a job by its JobName before starting one; List<Type>Jobs authorizes
#: no resource type.
FIND_JOBS_BY_NAME = {
    "Sid": "FindJobsByName",
    "Effect": "Allow",
    "Action": [
        "comprehend:ListDocumentClassificationJobs",
        "comprehend:ListDominantLanguageDetectionJobs",
        "comprehend:ListEntitiesDetectionJobs",
        "comprehend:ListEventsDetectionJobs",
        "comprehend:ListKeyPhrasesDetectionJobs",
        "comprehend:ListPiiEntitiesDetectionJobs",
        "comprehend:ListSentimentDetectionJobs",
        "comprehend:ListTargetedSentimentDetectionJobs",
        "comprehend:ListTopicsDetectionJobs",
    ],
    "Resource": "*",
}


def test_one_entities_job_gets_exactly_its_permissions() -> None:
    permissions = _registry()
    permissions.add_job(
        job_type=ENTITIES_DETECTION,
        data_access_role_arn=ROLE,
        model_arns=[RECOGNIZER],
        volume_key_arn=KEY,
    )
    assert permissions.document() == {
        "Version": "2012-10-17",
        "Statement": [
            _run_and_tag(ENTITIES_DETECTION),
            FIND_JOBS_BY_NAME,
            {
                "Sid": "UseEntitiesDetectionModels",
                "Effect": "Allow",
                "Action": "comprehend:StartEntitiesDetectionJob",
                "Resource": [RECOGNIZER],
            },
            {
                "Sid": "PassDataAccessRoles",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": [ROLE],
                "Condition": {"StringEquals": {"iam:PassedToService": "comprehend.amazonaws.com"}},
            },
            {
                "Sid": "UseVolumeKeys",
                "Effect": "Allow",
                "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                "Resource": [KEY],
            },
        ],
    }


def test_classification_has_no_stop() -> None:
    permissions = _registry()
    permissions.add_job(
        job_type=DOCUMENT_CLASSIFICATION,
        data_access_role_arn=ROLE,
        model_arns=[CLASSIFIER],
    )
    statements = {s["Sid"]: s for s in permissions.statements()}
    # Every job carries the handler's key tag, so every stack may tag its jobs.
    assert statements["RunAndTagJobs"] == _run_and_tag(DOCUMENT_CLASSIFICATION)
    assert "comprehend:StopDocumentClassificationJob" not in json.dumps(statements)
    assert "UseVolumeKeys" not in statements
    assert "ReadDocumentsWithTextract" not in statements


def test_a_job_without_tags_may_still_tag_find_and_retag_jobs() -> None:
    permissions = _registry()
    permissions.add_job(job_type=PII_ENTITIES_DETECTION, data_access_role_arn=ROLE)
    assert permissions.statements() == [
        _run_and_tag(PII_ENTITIES_DETECTION),
        FIND_JOBS_BY_NAME,
        {
            "Sid": "PassDataAccessRoles",
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": [ROLE],
            "Condition": {"StringEquals": {"iam:PassedToService": "comprehend.amazonaws.com"}},
        },
    ]


def test_every_type_can_be_described_stopped_tagged_and_found_with_no_job_registered() -> None:
    # A job removed by an update is deleted after the policy is updated without it, and a
    # rollback may return to a job of a type the stack dropped: none of it may depend on
    # the jobs the stack still has. Start is for registered types only.
    permissions = _registry()
    assert permissions.document() == {
        "Version": "2012-10-17",
        "Statement": [DESCRIBE_STOP_AND_TAG, FIND_JOBS_BY_NAME],
    }
    # The table's types, each once: a new row cannot be missed by the exact lists above.
    resources = DESCRIBE_STOP_AND_TAG["Resource"]
    assert resources == [_pattern(JOB_TYPES[stem]) for stem in sorted(JOB_TYPES)]
    assert len(FIND_JOBS_BY_NAME["Action"]) == len(JOB_TYPES)


def test_removing_the_last_job_of_a_type_keeps_its_describe_and_stop() -> None:
    # The same stack before and after an update that removes its only PII job.
    before, after = _registry(), _registry()
    for permissions in (before, after):
        permissions.add_job(
            job_type=ENTITIES_DETECTION, data_access_role_arn=ROLE, model_arns=[RECOGNIZER]
        )
    before.add_job(job_type=PII_ENTITIES_DETECTION, data_access_role_arn=ROLE)
    old = {s["Sid"]: s for s in before.statements()}
    new = {s["Sid"]: s for s in after.statements()}
    # Start goes with the last PII job; Describe, Stop and the tag actions stay.
    assert old["RunAndTagJobs"] == _run_and_tag(ENTITIES_DETECTION, PII_ENTITIES_DETECTION)
    assert new["RunAndTagJobs"] == _run_and_tag(ENTITIES_DETECTION)


def test_many_jobs_sharing_model_and_role_cost_no_more_than_one() -> None:
    one, many = _registry(), _registry()
    one.add_job(job_type=ENTITIES_DETECTION, data_access_role_arn=ROLE, model_arns=[RECOGNIZER])
    for _ in range(100):
        many.add_job(
            job_type=ENTITIES_DETECTION, data_access_role_arn=ROLE, model_arns=[RECOGNIZER]
        )
    assert many.document() == one.document()


def test_document_does_not_depend_on_job_order() -> None:
    jobs = [
        {
            "job_type": ENTITIES_DETECTION,
            "data_access_role_arn": f"{ROLE}{i}",
            "model_arns": [f"{RECOGNIZER}{i}"],
        }
        for i in range(5)
    ] + [
        {
            "job_type": DOCUMENT_CLASSIFICATION,
            "data_access_role_arn": ROLE,
            "model_arns": [CLASSIFIER],
        },
    ]
    first, second = _registry(), _registry()
    for job in jobs:
        first.add_job(**job)  # type: ignore[arg-type]
    shuffled = list(jobs)
    random.Random(7).shuffle(shuffled)
    for job in shuffled:
        second.add_job(**job)  # type: ignore[arg-type]
    assert json.dumps(first.document()) == json.dumps(second.document())


def test_textract_only_when_a_job_reads_documents() -> None:
    permissions = _registry()
    permissions.add_job(job_type=ENTITIES_DETECTION, data_access_role_arn=ROLE, textract=True)
    by_sid = {s["Sid"]: s for s in permissions.statements()}
    assert by_sid["ReadDocumentsWithTextract"] == {
        "Sid": "ReadDocumentsWithTextract",
        "Effect": "Allow",
        "Action": ["textract:AnalyzeDocument", "textract:DetectDocumentText"],
        "Resource": "*",
    }


def _many_models(count: int, *, shuffle: int | None = None) -> CallerPermissions:
    permissions = _registry()
    jobs = list(range(count))
    if shuffle is not None:
        random.Random(shuffle).shuffle(jobs)
    for i in jobs:
        permissions.add_job(
            job_type=ENTITIES_DETECTION,
            data_access_role_arn=ROLE,
            model_arns=[f"{RECOGNIZER}-{i:03d}"],
        )
    return permissions


def _resources(statements: list[dict[str, object]]) -> list[object]:
    out: list[object] = []
    for statement in statements:
        resource = statement["Resource"]
        out.extend(resource if isinstance(resource, list) else [resource])
    return out


#: The statements that grow by an ARN per model, role or key; the rest are fixed.
_GROWING = {"UseEntitiesDetectionModels", "PassDataAccessRoles", "UseVolumeKeys"}


def _chars(document: dict[str, object]) -> int:
    """A document of literal values as IAM counts it: its JSON without whitespace."""
    return len(json.dumps(document, separators=(",", ":")))


def _documents(permissions: CallerPermissions) -> list[dict[str, object]]:
    shards = permissions.shards_needed()
    return [permissions.document(i, shards) for i in range(shards)]


def test_a_few_jobs_fit_one_document() -> None:
    assert _many_models(10).shards_needed() == 1


def test_many_models_are_packed_into_documents_under_the_size_limit() -> None:
    permissions = _many_models(100)
    documents = _documents(permissions)
    # 100 ARNs of 68 characters and the fixed statements: two documents, not three.
    assert len(documents) == 2
    for document in documents:
        assert _chars(document) <= DOCUMENT_CHARS
    # Packed: one document fewer could not hold the estimate.
    assert permissions.fixed_chars() + permissions.arn_chars > permissions.arn_room()
    # Every ARN in exactly one document; the fixed statements only in the first.
    growing = [
        r
        for d in documents
        for r in _resources([s for s in d["Statement"] if s["Sid"] in _GROWING])  # type: ignore[attr-defined]
    ]
    assert len(growing) == len(set(map(str, growing))) == 101  # the models and the role
    models = {f"{RECOGNIZER}-{i:03d}" for i in range(100)}
    assert models <= set(map(str, growing))
    runs = [
        d
        for d in documents
        if any(s["Sid"] == "RunAndTagJobs" for s in d["Statement"])  # type: ignore[attr-defined]
    ]
    assert runs == [documents[0]]


def _with_fixed_chars(permissions: CallerPermissions, chars: int) -> None:
    """Add a statement that makes the fixed statements exactly ``chars`` characters."""
    empty = {"Sid": "Extra", "Effect": "Allow", "Action": "x:Y", "Resource": ""}
    filler = chars - permissions.fixed_chars() - len(_compact(empty)) - 1
    permissions.add_statement({**empty, "Resource": "r" * filler})
    assert permissions.fixed_chars() == chars


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"))


def test_fixed_statements_longer_than_a_window_keep_the_first_document_to_themselves() -> None:
    # Document 0 holds the fixed statements whole; they cannot be cut at a window's end as
    # the ARNs are, so the ARNs start in the next window.
    permissions = _many_models(150)
    _with_fixed_chars(permissions, permissions.arn_room() + 50)
    documents = _documents(permissions)
    assert documents[0]["Statement"][0]["Sid"] == "Extra"  # type: ignore[index]
    assert not [s for s in documents[0]["Statement"] if s["Sid"] in _GROWING]  # type: ignore[attr-defined]
    assert all(_chars(d) <= DOCUMENT_CHARS for d in documents)
    expected = math.ceil((permissions.arn_room() + permissions.arn_chars) / permissions.arn_room())
    assert len(documents) == expected


def test_fixed_statements_that_no_document_holds_are_refused() -> None:
    # What the handler's List and tag statements once did: 6,193 characters in document 0,
    # over the limit, while the window arithmetic counted the excess as document 1's.
    permissions = _many_models(10)
    _with_fixed_chars(permissions, DOCUMENT_CHARS - ENVELOPE_CHARS + 1)
    with pytest.raises(ValueError, match=r"fixed statements take 6042 characters"):
        permissions.shards_needed()


def test_the_largest_fixed_statements_fit_one_document_with_room_to_spare() -> None:
    # Every type registered, Textract, both log statements, the job patterns as a stack
    # writes them (a Join, longer than the ARN), every ARN a token at its longest: the
    # fixed statements fit one document with room to spare.
    def join(job_type: JobType) -> Any:
        return {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":comprehend:",
                    {"Ref": "AWS::Region"},
                    ":",
                    {"Ref": "AWS::AccountId"},
                    f":{job_type.arn_resource}/*",
                ],
            ]
        }

    permissions = CallerPermissions(job_arn_pattern=join, is_token=lambda v: True)
    for name in ("OnEvent", "IsComplete"):
        permissions.add_statement(
            {
                "Sid": f"Write{name}Logs",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": {"Fn::GetAtt": [f"ComprehendJobsHandler{name}LogsA1B2C3D4", "Arn"]},
            }
        )
    for job_type in JOB_TYPES.values():
        permissions.add_job(
            job_type=job_type,
            data_access_role_arn="role-token",
            model_arns=[f"model-token-{job_type.stem}"],
            volume_key_arn="key-token",
            textract=True,
        )
    # More than one window (its ARNs then start in document 1), far less than a document.
    assert permissions.arn_room() < permissions.fixed_chars() < DOCUMENT_CHARS - 1_500
    documents = _documents(permissions)
    assert len(documents) == 2
    assert all(_chars(d) <= DOCUMENT_CHARS for d in documents)


def test_spread_does_not_depend_on_job_order() -> None:
    for count in (100, 400):
        assert _documents(_many_models(count)) == _documents(_many_models(count, shuffle=3))


#: The estimate of one of ``_many_models``' ARNs: in quotes, then a comma.
_MODEL = len(json.dumps(f"{RECOGNIZER}-000")) + 1


def _filled_to(permissions: CallerPermissions, shards: int) -> int:
    """Register models of ``_MODEL`` characters until less than two of them fit in ``shards``
    documents; return the characters left."""
    i = 0
    while True:
        left = shards * permissions.arn_room() - permissions.fixed_chars() - permissions.arn_chars
        if left < 2 * _MODEL:
            return left
        permissions.add_job(
            job_type=ENTITIES_DETECTION,
            data_access_role_arn=ROLE,
            model_arns=[f"{RECOGNIZER}-{i:03d}"],
        )
        i += 1


def _boundary_registry(extra: int) -> tuple[CallerPermissions, int]:
    """A registry filled to exactly one document (plus ``extra`` characters), and the size of
    the last ARN it registered."""
    permissions = _registry()
    left = _filled_to(permissions, 1)
    if left > _MODEL:
        # Two ARNs share what is left (between 1 and 2 models' characters), so that neither
        # is larger than the largest so far: the room per document stays as it is.
        first = left // 2
        permissions.add_job(
            job_type=ENTITIES_DETECTION,
            data_access_role_arn=ROLE,
            model_arns=[f"arn:{'y' * (first - 7)}"],
        )
        left -= first
    # An ARN of exactly the characters left (its quotes and comma included).
    size = left + extra
    arn = f"arn:{'z' * (size - 7)}"
    permissions.add_job(job_type=ENTITIES_DETECTION, data_access_role_arn=ROLE, model_arns=[arn])
    return permissions, size


def test_an_arn_that_exactly_fits_stays_in_the_document() -> None:
    permissions, size = _boundary_registry(0)
    assert size <= _MODEL
    assert permissions.fixed_chars() + permissions.arn_chars == permissions.arn_room()
    assert permissions.shards_needed() == 1
    (document,) = _documents(permissions)
    assert _chars(document) <= DOCUMENT_CHARS


def test_one_character_more_opens_the_next_document() -> None:
    permissions, size = _boundary_registry(1)
    assert size <= _MODEL
    assert permissions.fixed_chars() + permissions.arn_chars == permissions.arn_room() + 1
    assert permissions.shards_needed() == 2
    first, second = _documents(permissions)
    assert _chars(first) <= DOCUMENT_CHARS
    assert _chars(second) <= DOCUMENT_CHARS
    assert second["Statement"]  # never an empty policy


def test_mixed_sizes_in_any_order_fill_every_document_under_the_limit() -> None:
    rng = random.Random(11)
    for count in (1, 37, 150, 400):
        lengths = [rng.randint(20, 200) for _ in range(count)]
        jobs = [
            {
                "job_type": [ENTITIES_DETECTION, DOCUMENT_CLASSIFICATION][i % 2],
                "data_access_role_arn": f"{ROLE}{i % 7}",
                "model_arns": [f"arn:{i:04d}:{'m' * length}"],
                "volume_key_arn": f"{KEY}{i % 3}",
            }
            for i, length in enumerate(lengths)
        ]
        first, second = _registry(), _registry()
        for job in jobs:
            first.add_job(**job)  # type: ignore[arg-type]
        rng.shuffle(jobs)
        for job in jobs:
            second.add_job(**job)  # type: ignore[arg-type]
        documents = _documents(first)
        assert documents == _documents(second)
        for document in documents:
            assert document["Statement"]
            assert _chars(document) <= DOCUMENT_CHARS
        # A document is added only when the estimate outgrows the ones before it.
        total = first.fixed_chars() + first.arn_chars
        assert (len(documents) - 1) * first.arn_room() < total <= len(documents) * first.arn_room()


def test_tokens_count_at_the_longest_their_arn_format_allows() -> None:
    # The bounds are the ARN formats at their longest.
    assert len(f"arn:aws-us-gov:iam::{'1' * 12}:role/{'r' * 64}") == ROLE_ARN_CHARS
    assert (
        len(f"arn:aws-us-gov:kms:{'r' * REGION_CHARS}:{'1' * 12}:key/mrk-{'0' * 32}")
        == KEY_ARN_CHARS
    )
    assert (
        len(
            f"arn:aws-us-gov:comprehend:{'r' * REGION_CHARS}:{'1' * 12}:"
            f"document-classifier/{'n' * 63}/version/{'v' * 63}"
        )
        == MODEL_ARN_CHARS
    )
    permissions = CallerPermissions(job_arn_pattern=_pattern, is_token=lambda v: True)
    before = permissions.arn_chars
    permissions.add_job(
        job_type=ENTITIES_DETECTION,
        data_access_role_arn="role-token",
        model_arns=["model-token"],
        volume_key_arn="key-token",
    )
    # Each in quotes, followed by a comma.
    assert permissions.arn_chars - before == ROLE_ARN_CHARS + MODEL_ARN_CHARS + KEY_ARN_CHARS + 9
    assert permissions.estimates == 3
    for i in range(60):
        permissions.add_job(job_type=PII_ENTITIES_DETECTION, data_access_role_arn=f"{ROLE}{i}")
    # 61 deploy-time role ARNs at 105 characters each need two documents.
    assert permissions.shards_needed() == 2


def test_fixed_statements_are_measured_as_deployed() -> None:
    join = {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":comprehend:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":entities-detection-job/*",
            ],
        ]
    }
    deployed = len(
        f'"arn:aws-us-gov:comprehend:{"r" * REGION_CHARS}:{"1" * 12}:entities-detection-job/*"'
    )
    # The template form of a Join is longer than what it resolves to: the larger counts.
    assert deployed < len(json.dumps(join, separators=(",", ":")))
    assert deployed_chars(join) == len(json.dumps(join, separators=(",", ":")))
    log_group = {"Fn::GetAtt": ["OnEventLogsA1B2C3D4", "Arn"]}
    assert deployed_chars(log_group) == 2 + ATTRIBUTE_CHARS
    assert deployed_chars({"Resource": log_group}) == len('{"Resource":}') + 2 + ATTRIBUTE_CHARS
    assert deployed_chars(["a", "bc"]) == len('["a","bc"]')


def test_document_is_rendered_once_until_a_job_registers() -> None:
    resolved: list[object] = []

    def sort_key(value: object) -> str:
        resolved.append(value)
        return json.dumps(value, sort_keys=True)

    permissions = CallerPermissions(job_arn_pattern=_pattern, sort_key=sort_key)
    permissions.add_job(job_type=ENTITIES_DETECTION, data_access_role_arn=ROLE)
    first = permissions.document()
    calls = len(resolved)
    assert calls > 0
    assert permissions.document() == first
    assert len(resolved) == calls  # the second resolution rendered nothing

    permissions.add_job(
        job_type=DOCUMENT_CLASSIFICATION, data_access_role_arn=ROLE, model_arns=[CLASSIFIER]
    )
    second = permissions.document()
    assert len(resolved) > calls
    assert "StartDocumentClassificationJob" in json.dumps(second)
    assert "StartDocumentClassificationJob" not in json.dumps(first)

    permissions.add_statement({"Sid": "Extra", "Effect": "Allow", "Action": "x:Y", "Resource": "*"})
    assert permissions.document()["Statement"][0]["Sid"] == "Extra"
