"""Polling: the interval, backoff while throttled, and the time formats shown."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from comprehend_jobs.cli_discovery import JobRef
from comprehend_jobs.cli_progress import format_elapsed
from comprehend_jobs.cli_status import JobState, Throttled, follow
from comprehend_jobs.job_types import ENTITIES_DETECTION
from tests.cli.moto_jobs import REGION, T0, Emulator, FakeClock, invoke, runtime

REF = JobRef(
    arn="arn:aws:comprehend:us-east-1:123456789012:entities-detection-job/abc",
    job_type=ENTITIES_DETECTION,
    source="InvoicesJob",
)


def state(status: str) -> JobState:
    return JobState(REF, "invoices", status, T0, None, "", "")


class Recorder:
    """A Display that remembers what it was told."""

    tick: float | None = None

    def __init__(self) -> None:
        self.shown: list[list[str]] = []
        self.notes: list[str] = []

    def show(self, states: Sequence[JobState]) -> None:
        self.shown.append([s.status for s in states])

    def note(self, text: str) -> None:
        self.notes.append(text)


def scripted(*outcomes: str) -> Any:
    """A describe function answering each poll with the next status, or throttling."""
    queue = list(outcomes)

    def describe(_: JobRef) -> JobState:
        outcome = queue.pop(0)
        if outcome == "throttle":
            raise Throttled("TooManyRequestsException")
        return state(outcome)

    return describe


def test_backoff_doubles_while_throttled_and_resets_after(clock: FakeClock) -> None:
    display = Recorder()
    describe = scripted("throttle", "throttle", "IN_PROGRESS", "throttle", "COMPLETED")

    final = follow([state("SUBMITTED")], describe, display, interval=10, sleep=clock.sleep)

    assert [s.status for s in final] == ["COMPLETED"]
    assert clock.sleeps == [10, 20, 40, 10, 20]
    assert display.notes == [
        "Comprehend is throttling (TooManyRequestsException); next poll in 20s",
        "Comprehend is throttling (TooManyRequestsException); next poll in 40s",
        "Comprehend is throttling (TooManyRequestsException); next poll in 20s",
    ]
    assert display.shown == [["SUBMITTED"], ["IN_PROGRESS"], ["COMPLETED"]]


def test_backoff_is_capped(clock: FakeClock) -> None:
    describe = scripted(*["throttle"] * 5, "COMPLETED")

    follow(
        [state("SUBMITTED")], describe, Recorder(), interval=30, max_interval=100, sleep=clock.sleep
    )

    assert clock.sleeps == [30, 60, 100, 100, 100, 100]


def test_finished_jobs_are_not_polled(clock: FakeClock) -> None:
    final = follow([state("FAILED")], scripted(), Recorder(), interval=30, sleep=clock.sleep)

    assert [s.status for s in final] == ["FAILED"]
    assert clock.sleeps == []


def test_cli_backs_off_on_throttling_responses(emulator: Emulator, clock: FakeClock) -> None:
    # GIVEN a stack's job whose Describe is throttled twice before it answers COMPLETED
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")
    emulator.deploy_stack("Jobs", {"A": arn})
    comprehend = boto3.client("comprehend", region_name=REGION)
    stubber = Stubber(comprehend)
    job_id = arn.rsplit("/", 1)[1]
    props: dict[str, Any] = {"JobId": job_id, "JobArn": arn, "JobName": "invoices"}
    props |= {"JobStatus": "SUBMITTED", "SubmitTime": T0}
    operation = "describe_entities_detection_job"
    stubber.add_response(operation, {"EntitiesDetectionJobProperties": props})
    stubber.add_client_error(operation, "TooManyRequestsException", "Rate exceeded")
    stubber.add_client_error(operation, "ThrottlingException", "Rate exceeded")
    done = {**props, "JobStatus": "COMPLETED", "EndTime": T0 + timedelta(minutes=2)}
    stubber.add_response(operation, {"EntitiesDetectionJobProperties": done})
    real = boto3.Session(region_name=REGION)

    class Session:
        def client(self, service: str, **kwargs: Any) -> Any:
            return comprehend if service == "comprehend" else real.client(service, **kwargs)

    # WHEN
    with stubber:
        run = invoke(
            ["status", "Jobs", "--wait", "--interval", "15"],
            runtime(clock, session_factory=lambda **_: Session()),
        )

    # THEN the delay doubled while throttled, and the job's end is reported
    assert run.code == 0, run.stderr
    assert clock.sleeps == [15, 30, 60]
    assert "Comprehend is throttling (ThrottlingException); next poll in 60s" in run.stdout
    assert run.stdout.splitlines()[-1] == "all 1 job(s) COMPLETED"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (59, "59s"), (60, "1m00s"), (487, "8m07s"), (3723, "1h02m03s")],
)
def test_elapsed_format(seconds: int, text: str) -> None:
    assert format_elapsed(timedelta(seconds=seconds)) == text
