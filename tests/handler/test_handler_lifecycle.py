"""The handler's lifecycle against moto in server mode, over HTTP.

moto 5.2.5 keeps every job SUBMITTED, echoes the output URI and issues 36-character
JobIds; COMPLETED and FAILED are covered with botocore's Stubber in the fault tests.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from comprehend_jobs._lambda import analysis_job, job_types, request_builder
from comprehend_jobs._lambda.request_builder import RequestValidationError

Event = dict[str, Any]
EVENTS_DIR = Path(__file__).resolve().parent.parent / "events"
CREATE_EVENTS = sorted(p.stem for p in EVENTS_DIR.glob("create_*.json"))
PLACEHOLDER_ARN = (
    "arn:aws:comprehend:us-east-1:123456789012:entities-detection-job/"
    "0123456789abcdef0123456789abcdef"
)


def tags_of(moto_jobs: Any, arn: str) -> dict[str, str]:
    listed = moto_jobs.client.list_tags_for_resource(ResourceArn=arn)["Tags"]
    return {t["Key"]: t["Value"] for t in listed}


def as_follow_up(event: Event, physical_id: str) -> Event:
    event["PhysicalResourceId"] = physical_id
    return event


# --------------------------------------------------------------------------- create


@pytest.mark.parametrize("name", CREATE_EVENTS)
def test_create_starts_one_job_of_the_type(
    name: str, load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    event = load_event(name)
    job_type = job_types.JOB_TYPES[event["ResourceProperties"]["JobType"]]

    result = analysis_job.on_event(event, None)

    arn = result["PhysicalResourceId"]
    assert job_types.job_type_for_arn(arn) is job_type
    assert result["Data"] == {
        "JobId": arn.rsplit("/", 1)[1],
        "JobArn": arn,
        "JobStatus": "SUBMITTED",
    }
    job = moto_jobs.describe(arn)
    request = event["ResourceProperties"]["Request"]
    assert job["InputDataConfig"] == request["InputDataConfig"]
    assert job["OutputDataConfig"] == request["OutputDataConfig"]
    assert job["DataAccessRoleArn"] == request["DataAccessRoleArn"]
    assert moto_jobs.count(job_type) == 1


def test_create_sends_every_field_with_the_api_types(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    event = load_event("create_entities_detection")

    arn = analysis_job.on_event(event, None)["PhysicalResourceId"]

    job = moto_jobs.describe(arn)
    request = event["ResourceProperties"]["Request"]
    key = tags_of(moto_jobs, arn).pop(request_builder.JOB_KEY_TAG)
    assert job["JobName"] == f"ComprehendJobsStack-EntitiesJobAnalysisJob7D1E2F3A-{key[:8]}"
    assert job["LanguageCode"] == "en"
    assert job["EntityRecognizerArn"] == request["EntityRecognizerArn"]
    assert job["VolumeKmsKeyId"] == request["VolumeKmsKeyId"]
    assert job["VpcConfig"] == request["VpcConfig"]
    assert job["InputDataConfig"]["DocumentReaderConfig"]["FeatureTypes"] == ["TABLES", "FORMS"]
    tags = moto_jobs.client.list_tags_for_resource(ResourceArn=arn)["Tags"]
    assert tags[:-1] == request["Tags"]


def test_create_coerces_number_of_topics(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    arn = analysis_job.on_event(load_event("create_topics_detection"), None)["PhysicalResourceId"]

    assert moto_jobs.describe(arn)["NumberOfTopics"] == 5


def test_invalid_create_starts_nothing(load_event: Callable[[str], Event], moto_jobs: Any) -> None:
    event = load_event("create_pii_entities_detection")
    event["ResourceProperties"]["Request"]["VpcConfig"] = {
        "SecurityGroupIds": ["sg-1"],
        "Subnets": ["subnet-1"],
    }

    with pytest.raises(RequestValidationError, match="not accepted by JobType PiiEntities"):
        analysis_job.on_event(event, None)

    assert moto_jobs.count(job_types.PII_ENTITIES_DETECTION) == 0


# --------------------------------------------------------------------------- update


@pytest.fixture
def created(load_event: Callable[[str], Event], moto_jobs: Any) -> dict[str, Any]:
    """The entities job the update and delete events refer to."""
    return analysis_job.on_event(load_event("create_entities_detection"), None)


@pytest.mark.parametrize(
    "name",
    ["update_entities_detection_request_changed", "update_entities_detection_rerun_token"],
)
def test_update_of_request_or_rerun_token_starts_a_new_job(
    name: str, created: dict[str, Any], load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    old_arn = created["PhysicalResourceId"]

    result = analysis_job.on_event(as_follow_up(load_event(name), old_arn), None)

    assert result["PhysicalResourceId"] != old_arn
    assert result["Data"]["JobArn"] == result["PhysicalResourceId"]
    assert moto_jobs.count(job_types.ENTITIES_DETECTION) == 2
    assert moto_jobs.describe(old_arn)["JobStatus"] == "SUBMITTED"  # CFN deletes it next


def test_update_with_a_new_request_sends_it(
    created: dict[str, Any], load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    event = load_event("update_entities_detection_request_changed")

    result = analysis_job.on_event(as_follow_up(event, created["PhysicalResourceId"]), None)

    job = moto_jobs.describe(result["PhysicalResourceId"])
    assert job["InputDataConfig"]["S3Uri"].endswith("/entities-v2/")
    # Derived from the new request: another name than the first job's.
    assert job["JobName"] != moto_jobs.describe(created["PhysicalResourceId"])["JobName"]


def test_update_of_flags_only_keeps_the_job(
    created: dict[str, Any], load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    event = load_event("update_entities_detection_flags_only")

    result = analysis_job.on_event(as_follow_up(event, created["PhysicalResourceId"]), None)

    assert result == created
    assert moto_jobs.count(job_types.ENTITIES_DETECTION) == 1


def test_update_with_invalid_flags_fails_and_starts_nothing(
    created: dict[str, Any], load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    event = load_event("update_entities_detection_flags_only")
    event["ResourceProperties"]["StopOnDelete"] = "sometimes"

    with pytest.raises(RequestValidationError, match="StopOnDelete='sometimes'"):
        analysis_job.on_event(as_follow_up(event, created["PhysicalResourceId"]), None)

    assert moto_jobs.count(job_types.ENTITIES_DETECTION) == 1


# --------------------------------------------------------------------------- delete


def test_delete_stops_a_running_job(
    created: dict[str, Any], load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    arn = created["PhysicalResourceId"]

    result = analysis_job.on_event(as_follow_up(load_event("delete_entities_detection"), arn))

    assert result == {"PhysicalResourceId": arn}
    assert moto_jobs.describe(arn)["JobStatus"] in {"STOP_REQUESTED", "STOPPED"}


def test_delete_leaves_the_job_when_stop_on_delete_is_false(
    created: dict[str, Any], load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    arn = created["PhysicalResourceId"]
    event = as_follow_up(load_event("delete_entities_detection"), arn)
    event["ResourceProperties"]["StopOnDelete"] = "false"

    analysis_job.on_event(event, None)

    assert moto_jobs.describe(arn)["JobStatus"] == "SUBMITTED"


def test_delete_of_a_type_without_stop_succeeds(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    arn = analysis_job.on_event(load_event("create_document_classification"), None)[
        "PhysicalResourceId"
    ]
    event = as_follow_up(load_event("delete_document_classification"), arn)

    result = analysis_job.on_event(event, None)

    assert result == {"PhysicalResourceId": arn}
    assert moto_jobs.describe(arn)["JobStatus"] == "SUBMITTED"


def test_delete_of_a_failed_create_succeeds(load_event: Callable[[str], Event], aws: str) -> None:
    event = load_event("delete_failed_create")

    result = analysis_job.on_event(event, None)

    assert result == {"PhysicalResourceId": event["PhysicalResourceId"]}


def test_delete_of_a_job_that_is_gone_succeeds(
    load_event: Callable[[str], Event], aws: str
) -> None:
    event = load_event("delete_entities_detection")  # its ARN names no job in moto

    result = analysis_job.on_event(event, None)

    assert result == {"PhysicalResourceId": PLACEHOLDER_ARN}


def test_delete_of_a_finished_job_succeeds(
    created: dict[str, Any], load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    arn = created["PhysicalResourceId"]
    moto_jobs.client.stop_entities_detection_job(JobId=arn.rsplit("/", 1)[1])

    result = analysis_job.on_event(as_follow_up(load_event("delete_entities_detection"), arn))

    assert result == {"PhysicalResourceId": arn}


def test_delete_logs_json_lines_without_the_response_url(
    created: dict[str, Any],
    load_event: Callable[[str], Event],
    capsys: pytest.CaptureFixture[str],
) -> None:
    capsys.readouterr()
    event = as_follow_up(load_event("delete_entities_detection"), created["PhysicalResourceId"])

    analysis_job.on_event(event, None)

    lines = capsys.readouterr().out.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["message"] for r in records] == ["event received", "delete: job stopped"]
    assert "X-Amz-Signature" not in "".join(lines)


# --------------------------------------------------------------------------- is_complete


def test_is_complete_waits_while_the_job_is_submitted(
    created: dict[str, Any], load_event: Callable[[str], Event]
) -> None:
    event = load_event("is_complete_entities_detection")
    event.update(PhysicalResourceId=created["PhysicalResourceId"], Data=created["Data"])

    assert analysis_job.is_complete(event, None) == {"IsComplete": False}


def test_is_complete_at_once_without_waiting(
    created: dict[str, Any], load_event: Callable[[str], Event]
) -> None:
    event = load_event("is_complete_entities_detection")
    event.update(PhysicalResourceId=created["PhysicalResourceId"], Data=created["Data"])
    event["ResourceProperties"]["WaitForCompletion"] = "false"

    assert analysis_job.is_complete(event, None) == {"IsComplete": True}


def test_is_complete_at_once_for_delete(load_event: Callable[[str], Event], aws: str) -> None:
    event = load_event("is_complete_entities_detection")
    event["RequestType"] = "Delete"

    assert analysis_job.is_complete(event, None) == {"IsComplete": True}
