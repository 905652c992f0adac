"""``comprehend-jobs``: follow and read the Comprehend jobs a deployed stack started.

    comprehend-jobs --version
    comprehend-jobs status STACK [--wait] [--interval SECONDS]
    comprehend-jobs results STACK [--job NAME] [--format table|csv|jsonl] [--out DIR]

Every problem a person can act on ends the command with one line on stderr and its own
exit code (see ``comprehend_jobs.cli.errors``). This module must not import aws_cdk:
the command has to start fast and work without Node.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, TextIO

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ProfileNotFound

from comprehend_jobs.cli import errors as errors
from comprehend_jobs.cli.discovery import JobRef, find_jobs
from comprehend_jobs.cli.errors import (
    CliError,
    JobDidNotComplete,
    JobNotFound,
    JobStillRunning,
    NoCredentials,
    UsageError,
    aws_errors,
)
from comprehend_jobs.cli.fetch import fetch_output
from comprehend_jobs.cli.formats import EXTENSIONS, FORMATS, write_rows
from comprehend_jobs.cli.progress import format_elapsed, make_display, status_lines
from comprehend_jobs.cli.regions import check_region, explicit_region, implicit_source
from comprehend_jobs.cli.rows import ParseReport, columns_for, iter_rows
from comprehend_jobs.cli.status import DEFAULT_INTERVAL, JobState, describe_job, follow

PROG = "comprehend-jobs"
#: The distribution whose version ``--version`` prints.
DISTRIBUTION = "comprehend-jobs"
_CLIENT_CONFIG = Config(retries={"mode": "standard"}, user_agent_extra="comprehend-jobs-cli")


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    """What the command touches outside itself; tests replace any of it."""

    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], datetime] = _utc_now
    session_factory: Callable[..., Any] = boto3.Session


class Clients:
    """boto3 clients made on first use, one per service and Region."""

    def __init__(self, session: Any) -> None:
        self._session = session
        self._clients: dict[tuple[str, str | None], Any] = {}

    def get(self, service: str, region: str | None = None) -> Any:
        """The client for ``service`` in ``region`` (the session's Region when None)."""
        key = (service, region)
        if key not in self._clients:
            # Making a client is where a missing Region shows up.
            with aws_errors(f"{service} client", region or "the default Region"):
                self._clients[key] = self._session.client(
                    service, region_name=region, config=_CLIENT_CONFIG
                )
        return self._clients[key]


def installed_version() -> str:
    """The installed package's version, from its metadata."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "unknown (the package is not installed)"


class _VersionShown(Exception):
    """``--version`` was printed; the command ends with exit code 0."""


class _VersionAction(argparse.Action):
    """Print the version on the runtime's stdout (argparse's own action uses sys.stdout)."""

    def __init__(self, option_strings: Sequence[str], dest: str, stream: TextIO) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")
        self._stream = stream

    def __call__(self, *_: Any, **__: Any) -> None:
        print(f"{PROG} {installed_version()}", file=self._stream)
        raise _VersionShown


def build_parser(stdout: TextIO | None = None) -> argparse.ArgumentParser:
    """The command line: two subcommands sharing --region, --profile and --debug."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("stack", metavar="STACK", help="name or ID of the deployed stack")
    common.add_argument("--region", help="AWS Region of the stack (default: your AWS config)")
    common.add_argument("--profile", help="AWS named profile to use")
    common.add_argument(
        "--debug", action="store_true", help="show a traceback on unexpected errors"
    )
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Follow the Amazon Comprehend jobs a deployed stack started and read "
        "their results.",
        epilog="exit codes: 0 ok, 1 a job failed or stopped, 2 usage or unknown Region, "
        "3 no credentials or no Region, "
        "4 stack not found, 5 stack has no jobs, 6 job still running, 7 output missing, "
        "8 access denied, 9 job not found, 10 other AWS error",
    )
    parser.add_argument("--version", action=_VersionAction, stream=stdout or sys.stdout)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    status = commands.add_parser(
        "status", parents=[common], help="list the stack's jobs and their status"
    )
    status.add_argument("--wait", action="store_true", help="follow the jobs until each has ended")
    status.add_argument(
        "--interval",
        type=_positive_seconds,
        default=DEFAULT_INTERVAL,
        metavar="SECONDS",
        help=f"seconds between polls with --wait (default {DEFAULT_INTERVAL:g}; "
        "doubles while AWS throttles)",
    )

    results = commands.add_parser(
        "results", parents=[common], help="download a finished job's output as rows"
    )
    results.add_argument("--job", metavar="NAME", help="job name, job ID or logical ID")
    results.add_argument("--format", choices=FORMATS, default="table", help="row format")
    results.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="keep the extracted output and write rows to DIR/<job>.<format> "
        "(default: rows to stdout, output discarded)",
    )
    return parser


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not 0 < value <= 3600:
        raise argparse.ArgumentTypeError(f"{text!r} must be more than 0 and at most 3600")
    return value


def main(argv: Sequence[str] | None = None, runtime: Runtime | None = None) -> int:
    """Run the command; returns the exit code (see ``build_parser``'s epilog)."""
    rt = runtime or Runtime()
    try:
        args = build_parser(rt.stdout).parse_args(argv)
    except _VersionShown:
        return errors.EXIT_OK
    try:
        clients = Clients(_session(rt, args))
        if args.command == "status":
            return _status(args, clients, rt)
        return _results(args, clients, rt)
    except CliError as e:
        print(f"{PROG}: error: {e}", file=rt.stderr)
        return e.exit_code
    except BrokenPipeError:
        # The reader went away (`results ... | head`): what it read is what it wanted.
        _silence_stdout(rt)
        return errors.EXIT_OK
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=rt.stderr)
        return errors.EXIT_INTERRUPTED
    except BotoCoreError as e:
        if args.debug:
            raise
        print(f"{PROG}: error: {e}", file=rt.stderr)
        return errors.EXIT_AWS_ERROR
    except Exception as e:
        if args.debug:
            raise
        print(
            f"{PROG}: unexpected error: {type(e).__name__}: {e} (rerun with --debug for details)",
            file=rt.stderr,
        )
        return errors.EXIT_AWS_ERROR


def _silence_stdout(rt: Runtime) -> None:
    # Python flushes stdout again at exit; point it at /dev/null so that flush is quiet.
    if rt.stdout is sys.stdout:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _session(rt: Runtime, args: argparse.Namespace) -> Any:
    # botocore reads AWS_DEFAULT_REGION and the profile but not AWS_REGION: pass the
    # Regions that outrank those, as the AWS CLI ranks them.
    region, source = explicit_region(args.region, os.environ)
    try:
        session = rt.session_factory(profile_name=args.profile, region_name=region)
    except ProfileNotFound:
        raise NoCredentials(
            f"AWS profile {args.profile!r} not found; list profiles with "
            "`aws configure list-profiles`"
        ) from None
    if region is None:
        region = getattr(session, "region_name", None)
        source = implicit_source(args.profile, os.environ)
    # A Region botocore has never heard of would surface only as "cannot reach AWS".
    if region:
        check_region(region, source)
    return session


def _describe_all(stack: str, clients: Clients) -> list[JobState]:
    refs = find_jobs(clients.get("cloudformation"), stack)
    return [_describe(clients, ref) for ref in refs]


def _describe(clients: Clients, ref: JobRef) -> JobState:
    return describe_job(clients.get("comprehend", ref.region), ref)


def _status(args: argparse.Namespace, clients: Clients, rt: Runtime) -> int:
    states = _describe_all(args.stack, clients)
    if args.wait:
        display = make_display(rt.stdout, rt.now)
        states = follow(
            states,
            lambda ref: _describe(clients, ref),
            display,
            interval=args.interval,
            sleep=rt.sleep,
        )
        print(_summary(states, rt.now()), file=rt.stdout)
    else:
        for line in status_lines(states, rt.now()):
            print(line, file=rt.stdout)
    failed = any(s.done and not s.succeeded for s in states)
    return errors.EXIT_JOB_FAILED if failed else errors.EXIT_OK


def _summary(states: Sequence[JobState], now: datetime) -> str:
    bad = [s for s in states if not s.succeeded]
    if not bad:
        return f"all {len(states)} job(s) COMPLETED"
    listed = ", ".join(f"{s.name} {s.status} after {format_elapsed(s.elapsed(now))}" for s in bad)
    return f"{len(bad)} of {len(states)} job(s) did not complete: {listed}"


def _results(args: argparse.Namespace, clients: Clients, rt: Runtime) -> int:
    states = _select(_describe_all(args.stack, clients), args.job)
    if args.out is None and len(states) > 1:
        names = ", ".join(s.name for s in states)
        raise UsageError(
            f"stack {args.stack} has {len(states)} jobs ({names}); pick one with --job NAME "
            "or write them all with --out DIR"
        )
    # Check every job before downloading anything, so a run is all or nothing.
    for state in states:
        _check_finished(state, args.stack)
    for state in states:
        s3 = clients.get("s3", state.ref.region)
        if args.out is None:
            _write_to_stdout(args.format, state, s3, rt)
        else:
            _write_to_dir(args.format, Path(args.out), state, s3, rt)
    return errors.EXIT_OK


def _write_to_stdout(fmt: str, state: JobState, s3: Any, rt: Runtime) -> None:
    columns = columns_for(state.ref.job_type)
    if columns is None:
        raise UsageError(
            f"{state.ref.job_type.arn_resource} output has no row form; "
            "use --out DIR to download and extract its files"
        )
    report = ParseReport()
    with tempfile.TemporaryDirectory(prefix="comprehend-jobs-") as scratch:
        files = fetch_output(s3, state, Path(scratch))
        write_rows(fmt, columns, iter_rows(state.ref.job_type, files, report), rt.stdout)
    _report_skipped(report, rt)


def _write_to_dir(fmt: str, out: Path, state: JobState, s3: Any, rt: Runtime) -> None:
    base = _safe_name(state.name)
    unpacked = out / base
    files = fetch_output(s3, state, unpacked)
    extracted = f"{len(files)} file(s) extracted to {unpacked / 'output'}"
    columns = columns_for(state.ref.job_type)
    if columns is None:
        print(f"{state.name}: {extracted}", file=rt.stdout)
        return
    report = ParseReport()
    target = out / f"{base}.{EXTENSIONS[fmt]}"
    with target.open("w", encoding="utf-8", newline="") as stream:
        count = write_rows(fmt, columns, iter_rows(state.ref.job_type, files, report), stream)
    print(f"{state.name}: {count} row(s) written to {target}; {extracted}", file=rt.stdout)
    _report_skipped(report, rt)


def _safe_name(name: str) -> str:
    # Job names may hold "/" and ":"; keep file names portable.
    return re.sub(r"[^A-Za-z0-9._=+@-]", "_", name).strip(".") or "job"


def _select(states: list[JobState], wanted: str | None) -> list[JobState]:
    if wanted is None:
        return states
    chosen = [s for s in states if wanted in (s.name, s.ref.job_id, s.ref.source, s.ref.arn)]
    if not chosen:
        names = ", ".join(sorted(s.name for s in states))
        raise JobNotFound(f"no job named {wanted!r} in the stack; its jobs are: {names}")
    return chosen


def _check_finished(state: JobState, stack: str) -> None:
    if not state.done:
        raise JobStillRunning(
            f"job {state.name} is still {state.status}; wait for it with "
            f"`{PROG} status {stack} --wait`"
        )
    if not state.succeeded:
        reason = f": {state.message}" if state.message else ""
        raise JobDidNotComplete(f"job {state.name} {state.status}{reason}; it has no results")


def _report_skipped(report: ParseReport, rt: Runtime) -> None:
    for path in report.skipped_files:
        print(f"{PROG}: note: {path.name} is not JSON Lines; not turned into rows", file=rt.stderr)
    if report.bad_lines:
        print(f"{PROG}: note: skipped {report.bad_lines} line(s) that are not JSON", file=rt.stderr)


if __name__ == "__main__":
    sys.exit(main())
