"""The caller policy: exact statements, merged per job type, independent of job order."""

from __future__ import annotations

import json
import random

from comprehend_jobs._private.caller_permissions import (
    ATTRIBUTE_CHARS,
    DOCUMENT_CHARS,
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


def _describe_and_stop(job_type: JobType) -> dict[str, object]:
    """The statement of a type no job registered: Describe, and Stop where it exists."""
    if job_type.has_stop:
        return {
            "Sid": f"DescribeAndStop{job_type.stem}Jobs",
            "Effect": "Allow",
            "Action": [
                f"comprehend:Describe{job_type.stem}Job",
                f"comprehend:Stop{job_type.stem}Job",
            ],
            "Resource": _pattern(job_type),
        }
    return {
        "Sid": f"Describe{job_type.stem}Jobs",
        "Effect": "Allow",
        "Action": [f"comprehend:Describe{job_type.stem}Job"],
        "Resource": _pattern(job_type),
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
            # Every type of the table can be described (and stopped) whatever is registered.
            {
                "Sid": "DescribeDocumentClassificationJobs",
                "Effect": "Allow",
                "Action": ["comprehend:DescribeDocumentClassificationJob"],
                "Resource": _pattern(DOCUMENT_CLASSIFICATION),
            },
            {
                "Sid": "DescribeAndStopDominantLanguageDetectionJobs",
                "Effect": "Allow",
                "Action": [
                    "comprehend:DescribeDominantLanguageDetectionJob",
                    "comprehend:StopDominantLanguageDetectionJob",
                ],
                "Resource": _pattern(DOMINANT_LANGUAGE_DETECTION),
            },
            {
                "Sid": "RunEntitiesDetectionJobs",
                "Effect": "Allow",
                "Action": [
                    "comprehend:StartEntitiesDetectionJob",
                    "comprehend:DescribeEntitiesDetectionJob",
                    "comprehend:StopEntitiesDetectionJob",
                ],
                "Resource": _pattern(ENTITIES_DETECTION),
            },
            {
                "Sid": "DescribeAndStopEventsDetectionJobs",
                "Effect": "Allow",
                "Action": [
                    "comprehend:DescribeEventsDetectionJob",
                    "comprehend:StopEventsDetectionJob",
                ],
                "Resource": _pattern(EVENTS_DETECTION),
            },
            {
                "Sid": "DescribeAndStopKeyPhrasesDetectionJobs",
                "Effect": "Allow",
                "Action": [
                    "comprehend:DescribeKeyPhrasesDetectionJob",
                    "comprehend:StopKeyPhrasesDetectionJob",
                ],
                "Resource": _pattern(KEY_PHRASES_DETECTION),
            },
            {
                "Sid": "DescribeAndStopPiiEntitiesDetectionJobs",
                "Effect": "Allow",
                "Action": [
                    "comprehend:DescribePiiEntitiesDetectionJob",
                    "comprehend:StopPiiEntitiesDetectionJob",
                ],
                "Resource": _pattern(PII_ENTITIES_DETECTION),
            },
            {
                "Sid": "DescribeAndStopSentimentDetectionJobs",
                "Effect": "Allow",
                "Action": [
                    "comprehend:DescribeSentimentDetectionJob",
                    "comprehend:StopSentimentDetectionJob",
                ],
                "Resource": _pattern(SENTIMENT_DETECTION),
            },
            {
                "Sid": "DescribeAndStopTargetedSentimentDetectionJobs",
                "Effect": "Allow",
                "Action": [
                    "comprehend:DescribeTargetedSentimentDetectionJob",
                    "comprehend:StopTargetedSentimentDetectionJob",
                ],
                "Resource": _pattern(TARGETED_SENTIMENT_DETECTION),
            },
            {
                # Topic modeling has no Stop operation.
                "Sid": "DescribeTopicsDetectionJobs",
                "Effect": "Allow",
                "Action": ["comprehend:DescribeTopicsDetectionJob"],
                "Resource": _pattern(TOPICS_DETECTION),
            },
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


def test_classification_has_no_stop_and_tags_add_tag_resource() -> None:
    permissions = _registry()
    permissions.add_job(
        job_type=DOCUMENT_CLASSIFICATION,
        data_access_role_arn=ROLE,
        model_arns=[CLASSIFIER],
        tags=True,
    )
    statements = {s["Sid"]: s for s in permissions.statements()}
    assert statements["RunDocumentClassificationJobs"]["Action"] == [
        "comprehend:StartDocumentClassificationJob",
        "comprehend:DescribeDocumentClassificationJob",
    ]
    assert statements["TagJobs"] == {
        "Sid": "TagJobs",
        "Effect": "Allow",
        "Action": "comprehend:TagResource",
        "Resource": [_pattern(DOCUMENT_CLASSIFICATION)],
    }
    assert "UseVolumeKeys" not in statements
    assert "ReadDocumentsWithTextract" not in statements


def test_no_tags_no_tag_permission() -> None:
    permissions = _registry()
    permissions.add_job(job_type=PII_ENTITIES_DETECTION, data_access_role_arn=ROLE)
    sids = [s["Sid"] for s in permissions.statements()]
    assert sids == [
        "DescribeDocumentClassificationJobs",
        "DescribeAndStopDominantLanguageDetectionJobs",
        "DescribeAndStopEntitiesDetectionJobs",
        "DescribeAndStopEventsDetectionJobs",
        "DescribeAndStopKeyPhrasesDetectionJobs",
        "RunPiiEntitiesDetectionJobs",
        "DescribeAndStopSentimentDetectionJobs",
        "DescribeAndStopTargetedSentimentDetectionJobs",
        "DescribeTopicsDetectionJobs",
        "PassDataAccessRoles",
    ]


def test_every_type_can_be_described_and_stopped_with_no_job_registered() -> None:
    # A job removed by an update is deleted after the policy is updated without it: its
    # Describe and Stop must not depend on the jobs the stack still has.
    permissions = _registry()
    assert permissions.document() == {
        "Version": "2012-10-17",
        "Statement": [
            _describe_and_stop(t)
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
        ],
    }


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
    assert old["RunPiiEntitiesDetectionJobs"]["Action"] == [
        "comprehend:StartPiiEntitiesDetectionJob",
        "comprehend:DescribePiiEntitiesDetectionJob",
        "comprehend:StopPiiEntitiesDetectionJob",
    ]
    assert "RunPiiEntitiesDetectionJobs" not in new
    assert new["DescribeAndStopPiiEntitiesDetectionJobs"] == _describe_and_stop(
        PII_ENTITIES_DETECTION
    )


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
            "tags": True,
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
    everything = [r for d in documents for r in _resources(d["Statement"])]  # type: ignore[arg-type]
    assert len(everything) == len(set(map(str, everything)))
    models = {f"{RECOGNIZER}-{i:03d}" for i in range(100)}
    assert models <= set(map(str, everything))
    runs = [
        d
        for d in documents
        if any(s["Sid"] == "RunEntitiesDetectionJobs" for s in d["Statement"])  # type: ignore[attr-defined]
    ]
    assert runs == [documents[0]]


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
        permissions.add_job(
            job_type=ENTITIES_DETECTION, data_access_role_arn=ROLE, model_arns=[f"{RECOGNIZER}-xxx"]
        )
        left -= _MODEL
    # An ARN of exactly the characters left (its quotes and comma included), no larger than
    # the largest so far (so the room per document stays as it is).
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
    assert "RunDocumentClassificationJobs" in json.dumps(second)
    assert "RunDocumentClassificationJobs" not in json.dumps(first)

    permissions.add_statement({"Sid": "Extra", "Effect": "Allow", "Action": "x:Y", "Resource": "*"})
    assert permissions.document()["Statement"][0]["Sid"] == "Extra"
