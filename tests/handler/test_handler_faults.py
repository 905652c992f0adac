"""Faults: retries on throttling and 5xx, permanent errors, failed jobs.

Why two techniques:

- botocore's Stubber answers in ``before-call``, before the request is sent, so a
  stubbed error never reaches the retry handler: it can prove "fails at once with the
  service's message", but it cannot prove a retry.
- To exercise the real retry path, a ``before-send`` hook on the handler's own client
  answers the first attempts with a real HTTP error response (status, ``__type``,
  message). botocore parses it, its standard retry handler classifies it (throttling or
  transient), backs off and sends again; the hook then lets the request through to moto
  over HTTP. The hook counts the attempts; the backoff sleeps are recorded instead of
  slept.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import boto3
import botocore.endpoint
import pytest
from botocore import xform_name
from botocore.awsrequest import AWSResponse
from botocore.config import Config
from botocore.stub import Stubber

from comprehend_jobs._lambda import analysis_job, job_types, request_builder

Event = dict[str, Any]
JOB_ID = "0123456789abcdef0123456789abcdef"
ENTITIES_ARN = f"arn:aws:comprehend:us-east-1:123456789012:entities-detection-job/{JOB_ID}"
CLASSIFICATION_ARN = (
    "arn:aws:comprehend:us-east-1:123456789012:document-classification-job/"
    "fedcba9876543210fedcba9876543210"
)
KMS_MESSAGE = (
    "The KMS customer managed key (CMK) entered cannot be validated. "
    "Verify the key and re-enter it."
)
UNAVAILABLE_MESSAGE = "The specified resource is not available: the classifier is TRAINING."
FAILED_MESSAGE = (
    "NO_READ_ACCESS_TO_INPUT: The provided data access role does not have proper access "
    "to the input data."
)


# --------------------------------------------------------------------------- retry config


def test_client_retries_throttling_and_5xx_in_standard_mode(aws: str) -> None:
    client = analysis_job._client()

    assert client.meta.config.retries["mode"] == "standard"
    assert client.meta.config.retries["total_max_attempts"] == 8
    assert client.meta.region_name == "us-east-1"
    assert client.meta.endpoint_url == aws  # AWS_ENDPOINT_URL honoured


def test_client_is_created_once_per_container(aws: str) -> None:
    assert analysis_job._client() is analysis_job._client()


# --------------------------------------------------------------------------- real retries


class _Body:
    def __init__(self, body: bytes) -> None:
        self._body = body

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._body


def _error_response(status: int, code: str, message: str) -> AWSResponse:
    body = json.dumps({"__type": code, "Message": message}).encode()
    headers = {"x-amzn-ErrorType": code, "Content-Type": "application/x-amz-json-1.1"}
    return AWSResponse("https://comprehend.us-east-1.amazonaws.com/", status, headers, _Body(body))


class FaultInjector:
    """Answers the first attempts of one operation with errors, then lets requests pass."""

    def __init__(self, errors: list[tuple[int, str, str]]) -> None:
        self.errors = list(errors)
        self.attempts = 0

    def __call__(self, request: Any, **_: Any) -> AWSResponse | None:
        self.attempts += 1
        if self.errors:
            return _error_response(*self.errors.pop(0))
        return None  # send it: moto answers over HTTP


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Backoff delays botocore asked for (recorded, not slept)."""
    recorded: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", SimpleNamespace(sleep=recorded.append))
    return recorded


def inject(operation: str, errors: list[tuple[int, str, str]]) -> FaultInjector:
    injector = FaultInjector(errors)
    analysis_job._client().meta.events.register(f"before-send.comprehend.{operation}", injector)
    return injector


def test_throttling_then_success_retries_and_starts_one_job(
    moto_jobs: Any, sleeps: list[float], load_event: Callable[[str], Event]
) -> None:
    injector = inject(
        "StartEntitiesDetectionJob",
        [
            (400, "TooManyRequestsException", "The number of requests exceeds the limit."),
            (429, "TooManyRequestsException", "The number of requests exceeds the limit."),
        ],
    )

    result = analysis_job.on_event(load_event("create_entities_detection"), None)

    assert injector.attempts == 3
    assert len(sleeps) == 2  # one backoff before each retry
    assert result["Data"]["JobStatus"] == "SUBMITTED"
    assert moto_jobs.count(job_types.ENTITIES_DETECTION) == 1


def test_server_error_then_success_retries(
    moto_jobs: Any, sleeps: list[float], load_event: Callable[[str], Event]
) -> None:
    injector = inject(
        "StartKeyPhrasesDetectionJob",
        [(500, "InternalServerException", "An internal server error occurred.")],
    )

    analysis_job.on_event(load_event("create_key_phrases_detection"), None)

    assert injector.attempts == 2
    assert moto_jobs.count(job_types.KEY_PHRASES_DETECTION) == 1


def test_throttling_that_never_ends_gives_up_after_eight_attempts(
    moto_jobs: Any, sleeps: list[float], load_event: Callable[[str], Event]
) -> None:
    throttled = (400, "TooManyRequestsException", "The number of requests exceeds the limit.")
    injector = inject("StartSentimentDetectionJob", [throttled] * 20)

    with pytest.raises(analysis_job.ComprehendCallError, match="TooManyRequestsException"):
        analysis_job.on_event(load_event("create_sentiment_detection"), None)

    assert injector.attempts == 8
    assert moto_jobs.count(job_types.SENTIMENT_DETECTION) == 0


def test_permanent_error_is_not_retried(
    moto_jobs: Any, sleeps: list[float], load_event: Callable[[str], Event]
) -> None:
    injector = inject(
        "StartEntitiesDetectionJob", [(400, "KmsKeyValidationException", KMS_MESSAGE)]
    )

    with pytest.raises(analysis_job.ComprehendCallError, match="KmsKeyValidationException"):
        analysis_job.on_event(load_event("create_entities_detection"), None)

    assert injector.attempts == 1
    assert sleeps == []


# --------------------------------------------------------------------------- Stubber


@pytest.fixture
def stubber(monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    """The handler's client, answered by a Stubber (no network at all)."""
    client = boto3.client(
        "comprehend",
        region_name="us-east-1",
        config=Config(retries=dict(analysis_job.RETRY_CONFIG)),
    )
    monkeypatch.setattr(analysis_job, "_client", lambda: client)
    with Stubber(client) as stub:
        yield stub
        stub.assert_no_pending_responses()


def no_job_with_the_name(stubber: Stubber, job_type: job_types.JobType) -> None:
    """The handler looks for a job with the request's key before it starts one."""
    stubber.add_response(xform_name(job_type.list_operation), {job_type.list_key: []})


def test_kms_key_validation_fails_at_once_with_its_message(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    no_job_with_the_name(stubber, job_types.ENTITIES_DETECTION)
    stubber.add_client_error(
        "start_entities_detection_job",
        service_error_code="KmsKeyValidationException",
        service_message=KMS_MESSAGE,
        http_status_code=400,
    )

    with pytest.raises(analysis_job.ComprehendCallError) as raised:
        analysis_job.on_event(load_event("create_entities_detection"), None)

    assert str(raised.value) == (
        f"StartEntitiesDetectionJob failed: KmsKeyValidationException: {KMS_MESSAGE}"
    )


def test_resource_unavailable_fails_at_once_with_its_message(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    no_job_with_the_name(stubber, job_types.DOCUMENT_CLASSIFICATION)
    stubber.add_client_error(
        "start_document_classification_job",
        service_error_code="ResourceUnavailableException",
        service_message=UNAVAILABLE_MESSAGE,
        http_status_code=404,
    )

    with pytest.raises(analysis_job.ComprehendCallError) as raised:
        analysis_job.on_event(load_event("create_document_classification"), None)

    assert raised.value.code == "ResourceUnavailableException"
    assert UNAVAILABLE_MESSAGE in str(raised.value)


def test_create_sends_the_built_request(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    event = load_event("create_topics_detection")
    request = dict(event["ResourceProperties"]["Request"], NumberOfTopics=5)
    key = stubber_key(event)
    expected = {
        **request,
        "JobName": f"ComprehendJobsStack-TopicsJobAnalysisJobA7B8C9D0-{key[:8]}",
        "ClientRequestToken": stubber_token(event),
        "Tags": [*request.get("Tags", []), {"Key": "comprehend-jobs:job-key", "Value": key}],
    }
    stubber.add_response(
        "list_topics_detection_jobs",
        {"TopicsDetectionJobPropertiesList": []},
        expected_params={"Filter": {"JobName": expected["JobName"]}, "MaxResults": 500},
    )
    stubber.add_response(
        "start_topics_detection_job",
        {"JobId": JOB_ID, "JobArn": ENTITIES_ARN, "JobStatus": "SUBMITTED"},
        expected_params=expected,
    )

    analysis_job.on_event(event, None)


def stubber_token(event: Event) -> str:
    properties = event["ResourceProperties"]
    return request_builder.client_request_token(
        stack_id=event["StackId"],
        logical_resource_id=event["LogicalResourceId"],
        request_id=event["RequestId"],
        job_type=properties["JobType"],
        request=properties["Request"],
        rerun_token=properties.get("RerunToken"),
    )


def stubber_key(event: Event) -> str:
    properties = event["ResourceProperties"]
    return request_builder.job_key(
        stack_id=event["StackId"],
        logical_resource_id=event["LogicalResourceId"],
        job_type=properties["JobType"],
        request=properties["Request"],
        rerun_token=properties.get("RerunToken"),
    )


def _is_complete_event(load_event: Callable[[str], Event]) -> Event:
    event = load_event("is_complete_entities_detection")
    assert event["PhysicalResourceId"] == ENTITIES_ARN
    return event


def _job(status: str, **extra: Any) -> dict[str, Any]:
    return {
        "EntitiesDetectionJobProperties": {
            "JobId": JOB_ID,
            "JobArn": ENTITIES_ARN,
            "JobStatus": status,
            "OutputDataConfig": {"S3Uri": "s3://comprehend-jobs-output-123456789012/entities/"},
            **extra,
        }
    }


def test_is_complete_returns_the_output_uri_comprehend_reports(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    output = (
        "s3://comprehend-jobs-output-123456789012/entities/"
        f"123456789012-NER-{JOB_ID}/output/output.tar.gz"
    )
    response = _job("COMPLETED")
    response["EntitiesDetectionJobProperties"]["OutputDataConfig"]["S3Uri"] = output
    stubber.add_response("describe_entities_detection_job", response, {"JobId": JOB_ID})

    result = analysis_job.is_complete(_is_complete_event(load_event), None)

    assert result == {
        "IsComplete": True,
        "Data": {
            "JobId": JOB_ID,
            "JobArn": ENTITIES_ARN,
            "JobStatus": "COMPLETED",
            "OutputS3Uri": output,
        },
    }


@pytest.mark.parametrize("status", ["SUBMITTED", "IN_PROGRESS", "STOP_REQUESTED"])
def test_is_complete_not_yet_and_without_data(
    status: str, stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    stubber.add_response("describe_entities_detection_job", _job(status), {"JobId": JOB_ID})

    assert analysis_job.is_complete(_is_complete_event(load_event), None) == {"IsComplete": False}


def test_is_complete_raises_the_service_message_for_a_failed_job(
    stubber: Stubber, load_event: Callable[[str], Event], capsys: pytest.CaptureFixture[str]
) -> None:
    stubber.add_response(
        "describe_entities_detection_job",
        _job("FAILED", Message=FAILED_MESSAGE),
        {"JobId": JOB_ID},
    )

    with pytest.raises(analysis_job.JobFailedError) as raised:
        analysis_job.is_complete(_is_complete_event(load_event), None)

    assert str(raised.value) == f"Comprehend job {ENTITIES_ARN} is FAILED: {FAILED_MESSAGE}"
    last = json.loads(capsys.readouterr().out.splitlines()[-1])
    assert last["level"] == "ERROR"
    assert last["error"] == f"JobFailedError: {raised.value}"


def test_is_complete_raises_for_a_stopped_job(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    stubber.add_response("describe_entities_detection_job", _job("STOPPED"), {"JobId": JOB_ID})

    with pytest.raises(analysis_job.JobFailedError, match="is STOPPED: no message given"):
        analysis_job.is_complete(_is_complete_event(load_event), None)


def test_delete_survives_a_job_that_finished_before_the_stop(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    stubber.add_response("describe_entities_detection_job", _job("IN_PROGRESS"), {"JobId": JOB_ID})
    stubber.add_client_error(
        "stop_entities_detection_job",
        service_error_code="InvalidRequestException",
        service_message="Job is already COMPLETED.",
        http_status_code=400,
        expected_params={"JobId": JOB_ID},
    )

    result = analysis_job.on_event(load_event("delete_entities_detection"), None)

    assert result == {"PhysicalResourceId": ENTITIES_ARN}


@pytest.mark.parametrize("code", ["JobNotFoundException", "AccessDeniedException"])
def test_delete_never_fails_the_stack(
    code: str, stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    stubber.add_client_error(
        "describe_entities_detection_job", service_error_code=code, service_message="nope"
    )

    result = analysis_job.on_event(load_event("delete_entities_detection"), None)

    assert result == {"PhysicalResourceId": ENTITIES_ARN}


def test_delete_of_a_type_without_stop_calls_nothing(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    event = load_event("delete_document_classification")
    assert event["PhysicalResourceId"] == CLASSIFICATION_ARN

    assert analysis_job.on_event(event, None) == {"PhysicalResourceId": CLASSIFICATION_ARN}


def test_update_of_flags_only_returns_the_old_jobs_data(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    stubber.add_response("describe_entities_detection_job", _job("COMPLETED"), {"JobId": JOB_ID})

    result = analysis_job.on_event(load_event("update_entities_detection_flags_only"), None)

    assert result == {
        "PhysicalResourceId": ENTITIES_ARN,
        "Data": {"JobId": JOB_ID, "JobArn": ENTITIES_ARN, "JobStatus": "COMPLETED"},
    }


def test_update_of_flags_only_keeps_a_job_comprehend_forgot(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    stubber.add_client_error(
        "describe_entities_detection_job",
        service_error_code="JobNotFoundException",
        service_message="The specified job was not found.",
        expected_params={"JobId": JOB_ID},
    )

    result = analysis_job.on_event(load_event("update_entities_detection_flags_only"), None)

    assert result == {
        "PhysicalResourceId": ENTITIES_ARN,
        "Data": {"JobId": JOB_ID, "JobArn": ENTITIES_ARN, "JobStatus": "UNKNOWN"},
    }


def test_update_of_flags_only_fails_on_other_errors(
    stubber: Stubber, load_event: Callable[[str], Event]
) -> None:
    stubber.add_client_error(
        "describe_entities_detection_job",
        service_error_code="AccessDeniedException",
        service_message="User is not authorized to perform: comprehend:Describe...",
        http_status_code=403,
    )

    with pytest.raises(analysis_job.ComprehendCallError, match="AccessDeniedException"):
        analysis_job.on_event(load_event("update_entities_detection_flags_only"), None)
