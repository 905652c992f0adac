"""Showing job states: the status table, and progress while following jobs.

On a terminal the table is redrawn in place (elapsed time ticks); anywhere else (logs, CI)
one line is printed per status change, so the log reads top to bottom, with a heartbeat
line after five minutes without one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TextIO

from comprehend_jobs.cli.formats import align
from comprehend_jobs.cli.status import JobState

Clock = Callable[[], datetime]

#: Seconds of silence after which ``LineDisplay`` prints a heartbeat (CI kills silent jobs).
HEARTBEAT_INTERVAL = 300.0

_HEADERS = ("TYPE", "NAME", "STATUS", "SUBMITTED", "ELAPSED", "OUTPUT")


def format_elapsed(elapsed: timedelta | None) -> str:
    """``1h02m03s``, ``4m05s`` or ``12s``; ``-`` when unknown."""
    if elapsed is None:
        return "-"
    total = int(elapsed.total_seconds())
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes:02d}m{seconds:02d}s"
    if minutes:
        return f"{minutes}m{seconds:02d}s"
    return f"{seconds}s"


def format_time(moment: datetime | None) -> str:
    """A timestamp in UTC, ISO 8601 to the second; ``-`` when unknown."""
    if moment is None:
        return "-"
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def type_label(state: JobState) -> str:
    """The job type as its ARN names it, without the ``-job`` suffix."""
    return state.ref.job_type.arn_resource.removesuffix("-job")


def status_lines(states: Sequence[JobState], now: datetime) -> list[str]:
    """The status table: one row per job, plus the service's message under failed jobs."""
    rows = [
        (
            type_label(s),
            s.name,
            s.status,
            format_time(s.submit_time),
            format_elapsed(s.elapsed(now)),
            s.output_uri or "-",
        )
        for s in states
    ]
    widths = [max(len(r[i]) for r in [_HEADERS, *rows]) for i in range(len(_HEADERS))]
    lines = [align(_HEADERS, widths)]
    for state, row in zip(states, rows, strict=True):
        lines.append(align(row, widths))
        if state.message:
            lines.append(f"  message: {state.message}")
    return lines


class LineDisplay:
    """One line per job when first seen and per status change; for logs and CI.

    CI systems kill a job whose log stays silent too long, so after ``heartbeat`` seconds
    without a line a heartbeat says how many jobs still run and how long we have waited.
    ``tick`` makes ``follow`` look in that often even when it polls less often.
    """

    def __init__(self, stream: TextIO, now: Clock, heartbeat: float = HEARTBEAT_INTERVAL) -> None:
        self._stream = stream
        self._now = now
        self._seen: dict[str, str] = {}
        self.tick: float | None = heartbeat
        self._heartbeat = timedelta(seconds=heartbeat)
        self._started: datetime | None = None
        self._last_line: datetime | None = None

    def show(self, states: Sequence[JobState]) -> None:
        """Print the jobs whose status changed since the last call, or a heartbeat when due."""
        now = self._now()
        if self._started is None:
            self._started = now
        for state in states:
            before = self._seen.get(state.ref.arn)
            if before == state.status:
                continue
            self._seen[state.ref.arn] = state.status
            change = state.status if before is None else f"{before} -> {state.status}"
            line = (
                f"{format_time(now)}  {type_label(state)}  {state.name}  {change}"
                f"  elapsed {format_elapsed(state.elapsed(now))}"
            )
            if state.succeeded and state.output_uri:
                line += f"  output {state.output_uri}"
            if state.message:
                line += f"  message: {state.message}"
            self._print(line, now)
        running = sum(not s.done for s in states)
        last = self._last_line or self._started
        if running and now - last >= self._heartbeat:
            self._print(
                f"{format_time(now)}  still waiting: {running} of {len(states)} job(s) running, "
                f"waited {format_elapsed(now - self._started)}",
                now,
            )

    def note(self, text: str) -> None:
        """Print a remark on a line of its own."""
        now = self._now()
        self._print(f"{format_time(now)}  {text}", now)

    def _print(self, line: str, now: datetime) -> None:
        print(line, file=self._stream, flush=True)
        self._last_line = now


class LiveDisplay:
    """The status table, redrawn in place every second; for terminals."""

    tick: float | None = 1.0

    def __init__(self, stream: TextIO, now: Clock) -> None:
        self._stream = stream
        self._now = now
        self._drawn = 0
        self._note = ""

    def show(self, states: Sequence[JobState]) -> None:
        """Replace the table drawn last time with the current one."""
        lines = status_lines(states, self._now())
        if self._note:
            lines.append(self._note)
        # Cursor up to the first line drawn last time, then clear to the end of the screen.
        prefix = f"\x1b[{self._drawn}F\x1b[J" if self._drawn else ""
        self._stream.write(prefix + "\n".join(lines) + "\n")
        self._stream.flush()
        self._drawn = len(lines)

    def note(self, text: str) -> None:
        """Keep ``text`` under the table until the next note."""
        self._note = text


def make_display(stream: TextIO, now: Clock) -> LineDisplay | LiveDisplay:
    """Redraw on a terminal, a line per change anywhere else."""
    isatty = getattr(stream, "isatty", None)
    return LiveDisplay(stream, now) if isatty is not None and isatty() else LineDisplay(stream, now)
