"""A job's status as Comprehend reports it, and following jobs until they end.

The describe call comes from the job-type table (``JobType.describe_operation`` and
``properties_key``), so every asynchronous job type is covered the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol

from botocore import xform_name
from botocore.exceptions import ClientError

from comprehend_jobs.cli.discovery import JobRef
from comprehend_jobs.cli.errors import JobNotFound, aws_errors, error_code, is_throttling
from comprehend_jobs.job_types import JOB_NOT_FOUND_CODES

#: Statuses after which a job never changes again.
FINAL_STATUSES = frozenset({"COMPLETED", "FAILED", "STOPPED"})
#: The only final status that leaves complete output behind.
SUCCESS_STATUS = "COMPLETED"
#: Default seconds between polls; jobs take minutes, and Describe has a low TPS quota.
DEFAULT_INTERVAL = 30.0
#: Upper bound of the backoff while the service throttles us.
MAX_INTERVAL = 300.0


class Throttled(Exception):
    """Comprehend asked us to slow down; the caller backs off and tries again."""


@dataclass(frozen=True)
class JobState:
    """What Describe*Job says about one job."""

    ref: JobRef
    name: str
    status: str
    submit_time: datetime | None
    end_time: datetime | None
    #: The service's reason, set when the job FAILED.
    message: str
    #: ``OutputDataConfig.S3Uri``: output.tar.gz, or a folder for PII and events jobs.
    output_uri: str

    @property
    def done(self) -> bool:
        """Whether the job has ended (for good or ill)."""
        return self.status in FINAL_STATUSES

    @property
    def succeeded(self) -> bool:
        """Whether the job ended COMPLETED."""
        return self.status == SUCCESS_STATUS

    def elapsed(self, now: datetime) -> timedelta | None:
        """Time from submission to the end (or to ``now`` while it runs)."""
        if self.submit_time is None:
            return None
        end = self.end_time if self.done and self.end_time is not None else now
        return max(end - self.submit_time, timedelta(0))


def describe_job(comprehend: Any, ref: JobRef) -> JobState:
    """Call the type's Describe*Job for ``ref``.

    Raises ``Throttled`` when the service throttles, ``JobNotFound`` when it has no such
    job, and the ``aws_errors`` translations otherwise.
    """
    operation = ref.job_type.describe_operation
    with aws_errors(f"comprehend:{operation}", ref.arn):
        try:
            response = getattr(comprehend, xform_name(operation))(JobId=ref.job_id)
        except ClientError as e:
            if is_throttling(e):
                raise Throttled(error_code(e)) from e
            if error_code(e) in JOB_NOT_FOUND_CODES:
                raise JobNotFound(
                    f"Comprehend has no job {ref.arn} (from {ref.source}); it may have been "
                    "deleted, or the stack is in another account"
                ) from None
            raise
    props = response[ref.job_type.properties_key]
    return JobState(
        ref=ref,
        name=str(props.get("JobName") or ref.job_id),
        status=str(props.get("JobStatus", "UNKNOWN")),
        submit_time=props.get("SubmitTime"),
        end_time=props.get("EndTime"),
        message=str(props.get("Message") or ""),
        output_uri=str(props.get("OutputDataConfig", {}).get("S3Uri", "")),
    )


class Display(Protocol):
    """What ``follow`` tells about progress (see ``cli_progress``)."""

    #: Seconds between redraws while waiting, or None to draw only after polls.
    tick: float | None

    def show(self, states: Sequence[JobState]) -> None:
        """Show the jobs' current states (called after every poll and every tick)."""

    def note(self, text: str) -> None:
        """Show a passing remark, e.g. that the service throttled us."""


def follow(
    states: Sequence[JobState],
    describe: Callable[[JobRef], JobState],
    display: Display,
    *,
    interval: float = DEFAULT_INTERVAL,
    max_interval: float = MAX_INTERVAL,
    sleep: Callable[[float], None],
) -> list[JobState]:
    """Poll the unfinished jobs every ``interval`` seconds until all have ended.

    While Comprehend throttles, the delay doubles (up to ``max_interval``); the first
    successful poll resets it. Returns the final states, in the order given.
    """
    current = list(states)
    display.show(current)
    delay = interval
    while not all(s.done for s in current):
        _wait(delay, display, current, sleep)
        try:
            current = [s if s.done else describe(s.ref) for s in current]
        except Throttled as e:
            delay = min(delay * 2, max_interval)
            display.note(f"Comprehend is throttling ({e}); next poll in {delay:g}s")
            continue
        delay = interval
        display.show(current)
    return current


def _wait(
    seconds: float, display: Display, states: Sequence[JobState], sleep: Callable[[float], None]
) -> None:
    if display.tick is None:
        sleep(seconds)
        return
    remaining = seconds
    while remaining > 0:
        step = min(display.tick, remaining)
        sleep(step)
        remaining -= step
        if remaining > 0:
            display.show(states)
