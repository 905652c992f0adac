"""Polling: the interval, backoff while throttled, the heartbeat, and the time formats shown."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from cli.moto_jobs import REGION, T0, Emulator, FakeClock, TtyStream, invoke, runtime
from comprehend_jobs.cli.discovery import JobRef
from comprehend_jobs.cli.progress import (
    HEARTBEAT_INTERVAL,
    LineDisplay,
    format_elapsed,
    make_display,
)
from comprehend_jobs.cli.status import JobState, Throttled, follow
from comprehend_jobs.job_types import ENTITIES_DETECTION

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


def test_pipe_output_has_a_heartbeat_while_nothing_changes(clock: FakeClock) -> None:
    # GIVEN a job that stays IN_PROGRESS for 20 minutes, polled every 10 minutes, in a pipe
    out = io.StringIO()
    display = LineDisplay(out, clock.now)
    describe = scripted("IN_PROGRESS", "COMPLETED")

    # WHEN
    follow([state("IN_PROGRESS")], describe, display, interval=600, sleep=clock.sleep)

    # THEN a line every 5 minutes without a change says how many jobs run and for how long
    assert clock.sleeps == [HEARTBEAT_INTERVAL] * 4
    assert out.getvalue().splitlines() == [
        "2026-11-23T09:00:00Z  entities-detection  invoices  IN_PROGRESS  elapsed 0s",
        "2026-11-23T09:05:00Z  still waiting: 1 of 1 job(s) running, waited 5m00s",
        "2026-11-23T09:10:00Z  still waiting: 1 of 1 job(s) running, waited 10m00s",
        "2026-11-23T09:15:00Z  still waiting: 1 of 1 job(s) running, waited 15m00s",
        "2026-11-23T09:20:00Z  entities-detection  invoices  IN_PROGRESS -> COMPLETED"
        "  elapsed 20m00s",
    ]


def test_cli_heartbeat_in_a_pipe_counts_the_jobs_still_running(
    emulator: Emulator, clock: FakeClock
) -> None:
    # GIVEN two jobs: one ends after 1 minute, the other after 12, polled every minute
    quick = emulator.start_job(ENTITIES_DETECTION, "quick")
    slow = emulator.start_job(ENTITIES_DETECTION, "slow")
    for arn in (quick, slow):
        emulator.set_job(arn, "IN_PROGRESS", submitted=T0)
    emulator.deploy_stack("Jobs", {"A": quick, "B": slow})
    clock.then(
        lambda: emulator.set_job(quick, "COMPLETED", ended=clock.now()),
        *[lambda: None] * 10,
        lambda: emulator.set_job(slow, "COMPLETED", ended=clock.now()),
    )

    # WHEN
    run = invoke(["status", "Jobs", "--wait", "--interval", "60"], runtime(clock))

    # THEN a heartbeat 5 minutes after the last line, and again 5 minutes later
    assert run.code == 0, run.stderr
    assert clock.sleeps == [60] * 12
    heartbeats = [line for line in run.stdout.splitlines() if "still waiting" in line]
    assert heartbeats == [
        "2026-11-23T09:06:00Z  still waiting: 1 of 2 job(s) running, waited 6m00s",
        "2026-11-23T09:11:00Z  still waiting: 1 of 2 job(s) running, waited 11m00s",
    ]
    assert run.stdout.splitlines()[-1] == "all 2 job(s) COMPLETED"


def test_no_heartbeat_while_lines_keep_coming(clock: FakeClock) -> None:
    # Throttling notes are lines too: the log is not silent, so no heartbeat is added.
    out = io.StringIO()
    describe = scripted(*["throttle"] * 4, "COMPLETED")

    follow(
        [state("IN_PROGRESS")],
        describe,
        LineDisplay(out, clock.now),
        interval=100,
        sleep=clock.sleep,
    )

    assert "still waiting" not in out.getvalue()


def test_terminal_display_has_no_heartbeat(clock: FakeClock) -> None:
    # The table redrawn in place already shows time passing.
    out = TtyStream()
    display = make_display(out, clock.now)
    describe = scripted("IN_PROGRESS", "COMPLETED")

    follow([state("IN_PROGRESS")], describe, display, interval=600, sleep=clock.sleep)

    assert "still waiting" not in out.getvalue()
