"""A cleanup Delete waits for a replaced job that runs on (issue 22.6).

An update that replaces (or removes) a job whose type has no Stop, or that has
StopOnDelete false, leaves it running; cleanup then deletes its role's replaced policy
and its subnets after the job's Delete. So that Delete waits, through ``is_complete``,
until the job has ended (for at most ``REPLACED_JOB_WAIT_SECONDS``), and only in the
cleanup of a successful update: the stack's status says which (DescribeStacks, stubbed
here with botocore's Stubber; Comprehend is moto).
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from rehearsal.framework import ProviderFramework, deploy_update

from comprehend_jobs._lambda import analysis_job

Event = dict[str, Any]
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/Analysis/0a1b2c3d"


def stack_status(monkeypatch: pytest.MonkeyPatch, *statuses: str | Exception) -> Stubber:
    """The handler's CloudFormation client answers DescribeStacks with ``statuses``."""
    client = boto3.client(
        "cloudformation",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    stubber = Stubber(client)
    for status in statuses:
        if isinstance(status, Exception):
            stubber.add_client_error("describe_stacks", "ValidationError", str(status))
            continue
        stack = {
            "StackName": "Analysis",
            "StackId": STACK_ID,
            "CreationTime": datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
            "StackStatus": status,
        }
        stubber.add_response("describe_stacks", {"Stacks": [stack]}, {"StackName": STACK_ID})
    stubber.activate()
    monkeypatch.setattr(analysis_job, "_cloudformation", lambda: client)
    return stubber


def _running_job(load_event: Callable[[str], Event], kind: str) -> tuple[str, Event]:
    """A job running on, and the Delete event of it: a classification job (no Stop) or
    an entities job with StopOnDelete false."""
    if kind == "no Stop":
        create, delete = "create_document_classification", "delete_document_classification"
    else:
        create, delete = "create_entities_detection", "delete_entities_detection"
    arn = analysis_job.on_event(load_event(create), None)["PhysicalResourceId"]
    event = load_event(delete)
    event["PhysicalResourceId"] = arn
    event["StackId"] = STACK_ID
    if kind != "no Stop":
        event["ResourceProperties"]["StopOnDelete"] = "false"
    return arn, event


@pytest.mark.parametrize("kind", ["no Stop", "StopOnDelete false"])
def test_a_cleanup_delete_waits_until_the_job_ends(
    kind: str,
    load_event: Callable[[str], Event],
    moto_jobs: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    arn, event = _running_job(load_event, kind)
    stubber = stack_status(monkeypatch, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")

    before = time.time()
    result = analysis_job.on_event(event, None)

    stubber.assert_no_pending_responses()
    until = result["Data"]["WaitForJobUntil"]
    assert int(before) + analysis_job.REPLACED_JOB_WAIT_SECONDS <= until <= time.time() + 3000
    assert moto_jobs.describe(arn)["JobStatus"] == "SUBMITTED"
    poll = {**event, **result}
    assert analysis_job.is_complete(poll, None) == {"IsComplete": False}
    if kind == "StopOnDelete false":
        # The job ends (stopped by hand here): the Delete completes.
        moto_jobs.client.stop_entities_detection_job(JobId=arn.rsplit("/", 1)[1])
        assert analysis_job.is_complete(poll, None) == {"IsComplete": True}


def test_the_wait_ends_at_its_deadline(load_event: Callable[[str], Event], moto_jobs: Any) -> None:
    arn, event = _running_job(load_event, "no Stop")
    poll = {**event, "Data": {"WaitForJobUntil": int(time.time()) - 1}}

    assert analysis_job.is_complete(poll, None) == {"IsComplete": True}
    assert moto_jobs.describe(arn)["JobStatus"] == "SUBMITTED"


@pytest.mark.parametrize(
    "status",
    [
        "DELETE_IN_PROGRESS",
        "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS",
        RuntimeError("Stack with id Analysis does not exist"),
    ],
    ids=["stack deleted", "rollback cleanup", "stack unreadable"],
)
def test_other_deletes_do_not_wait(
    status: str | Exception,
    load_event: Callable[[str], Event],
    moto_jobs: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A stack deletion, or the rollback's cleanup of a failed update's job, waits for
    nothing; nor does a Delete that cannot read its stack (Delete never fails)."""
    arn, event = _running_job(load_event, "no Stop")
    stack_status(monkeypatch, status)

    result = analysis_job.on_event(event, None)

    assert result == {"PhysicalResourceId": arn}
    assert analysis_job.is_complete({**event, **result}, None) == {"IsComplete": True}


def test_a_stopped_or_finished_job_is_not_waited_for(
    load_event: Callable[[str], Event], moto_jobs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    arn, event = _running_job(load_event, "StopOnDelete false")
    moto_jobs.client.stop_entities_detection_job(JobId=arn.rsplit("/", 1)[1])
    stubber = stack_status(monkeypatch)  # not asked: the job does not run

    assert analysis_job.on_event(event, None) == {"PhysicalResourceId": arn}
    stubber.assert_no_pending_responses()


def test_an_update_cleanup_through_the_framework_waits_then_succeeds(
    load_event: Callable[[str], Event], moto_jobs: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Provider framework model: the replacing Update starts a new job, cleanup's
    Delete of the old one (StopOnDelete false) polls until it has ended."""
    arn, _ = _running_job(load_event, "StopOnDelete false")
    stack_status(monkeypatch, "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS")
    update = load_event("update_entities_detection_rerun_token")
    update["PhysicalResourceId"] = arn
    update["StackId"] = STACK_ID
    for props in (update["ResourceProperties"], update["OldResourceProperties"]):
        props.update(StopOnDelete="false", WaitForCompletion="false")
    polls: list[bool] = []

    def is_complete(event: Event) -> dict[str, Any]:
        answer = analysis_job.is_complete(event, None)
        if event["RequestType"] == "Delete":
            polls.append(answer["IsComplete"])
            if not answer["IsComplete"]:  # the old job ends while cleanup waits
                moto_jobs.client.stop_entities_detection_job(JobId=arn.rsplit("/", 1)[1])
        return answer

    responses = deploy_update(ProviderFramework(analysis_job.on_event, is_complete), update)

    assert [r.status for r in responses] == ["SUCCESS", "SUCCESS"], responses
    assert responses[0].physical_resource_id != arn
    assert responses[1].physical_resource_id == arn
    assert polls == [False, True]
