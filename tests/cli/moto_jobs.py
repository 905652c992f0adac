"""Test helpers for the CLI: stacks and job outputs in the moto server, jobs in the fake.

Stacks (CloudFormation) and outputs (S3) are moto's; Comprehend is ``fake_comprehend``,
whose jobs tests move along with ``set_job`` (moto never runs a job and has no supported
way to change one's state). Outputs are built in Comprehend's documented formats and
uploaded to moto's S3 over HTTP, so download and extraction are exercised for real.
"""

from __future__ import annotations

import io
import json
import tarfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
from botocore import xform_name

from cli.fake_comprehend import FakeComprehend
from comprehend_jobs.cli import Runtime
from comprehend_jobs.job_types import JobType

ACCOUNT = "123456789012"
REGION = "us-east-1"
INPUT_BUCKET = "docs-in"
OUTPUT_BUCKET = "docs-out"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/comprehend-data-access"
CLASSIFIER_ARN = f"arn:aws:comprehend:{REGION}:{ACCOUNT}:document-classifier/tickets/version/1"
#: Output folder infix per job type, as the real service names it (see COMPREHEND_FACTS).
INFIX = {
    "EntitiesDetection": "NER",
    "DocumentClassification": "CLN",
    "PiiEntitiesDetection": "PII",
    "EventsDetection": "EVENTS",
}
#: A fixed clock start, so captured output does not depend on when tests run.
T0 = datetime(2026, 11, 23, 9, 0, 0, tzinfo=UTC)


def _extra_start_fields(job_type: JobType) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if job_type.takes_language:
        extra["LanguageCode"] = "en"
    if "Mode" in job_type.required_fields:
        extra["Mode"] = "ONLY_OFFSETS"
    if "TargetEventTypes" in job_type.required_fields:
        extra["TargetEventTypes"] = ["BANKRUPTCY"]
    if job_type.model_required:
        extra["DocumentClassifierArn"] = CLASSIFIER_ARN
    return extra


def entity_line(file: str, line: int, entities: Iterable[tuple[str, str, int, float]]) -> str:
    """One document of entity-recognition output: (type, text, begin offset, score)."""
    return json.dumps(
        {
            "Entities": [
                {
                    "BeginOffset": begin,
                    "EndOffset": begin + len(text),
                    "Score": score,
                    "Text": text,
                    "Type": kind,
                }
                for kind, text, begin, score in entities
            ],
            "File": file,
            "Line": line,
        }
    )


def class_line(file: str, line: int, key: str, scores: dict[str, float]) -> str:
    """One document of classification output; ``key`` is "Classes" or "Labels"."""
    return json.dumps(
        {"File": file, "Line": line, key: [{"Name": n, "Score": s} for n, s in scores.items()]}
    )


@dataclass
class Emulator:
    """Handles on the emulators: start jobs, move them along, deploy stacks, put output."""

    endpoint: str
    jobs: FakeComprehend
    session: Any = field(default_factory=lambda: boto3.Session(region_name=REGION))

    def __post_init__(self) -> None:
        self.s3 = self.session.client("s3")
        self.comprehend = self.session.client("comprehend")
        self.cloudformation = self.session.client("cloudformation")
        for bucket in (INPUT_BUCKET, OUTPUT_BUCKET):
            self.s3.create_bucket(Bucket=bucket)

    def start_job(self, job_type: JobType, name: str) -> str:
        """Start a job of ``job_type`` in the fake Comprehend; returns its ARN."""
        start = getattr(self.comprehend, xform_name(job_type.start_operation))
        response = start(
            JobName=name,
            InputDataConfig={"S3Uri": f"s3://{INPUT_BUCKET}/{name}/"},
            OutputDataConfig={"S3Uri": f"s3://{OUTPUT_BUCKET}/{name}/"},
            DataAccessRoleArn=ROLE_ARN,
            **_extra_start_fields(job_type),
        )
        return str(response["JobArn"])

    def job_id(self, arn: str) -> str:
        """The job ID in ``arn``."""
        return arn.rsplit("/", 1)[1]

    def output_prefix(self, arn: str, name: str, job_type: JobType) -> str:
        """Where the real service writes the job's output (``<prefix>/<acct>-NER-<id>/output``)."""
        infix = INFIX.get(job_type.stem, "OUT")
        return f"{name}/{ACCOUNT}-{infix}-{self.job_id(arn)}/output"

    def set_job(
        self,
        arn: str,
        status: str,
        *,
        output_uri: str | None = None,
        message: str | None = None,
        submitted: datetime | None = None,
        ended: datetime | None = None,
    ) -> None:
        """Move a job to ``status``, as the service would while running it."""
        self.jobs.set_job(
            self.job_id(arn),
            status,
            output_uri=output_uri,
            message=message,
            submitted=submitted,
            ended=ended,
        )

    def deploy_stack(self, name: str, job_outputs: dict[str, str]) -> None:
        """A stack whose outputs carry job ARNs, as the library's pattern makes them.

        moto cannot run a ``Custom::`` resource without Lambda in docker, so the job
        resources themselves are tested with a stubbed CloudFormation client.
        """
        template = {
            "Resources": {"Topic": {"Type": "AWS::SNS::Topic"}},
            "Outputs": {key: {"Value": arn} for key, arn in job_outputs.items()},
        }
        self.cloudformation.create_stack(StackName=name, TemplateBody=json.dumps(template))

    def put_archive(self, key: str, members: dict[str, str]) -> str:
        """Upload an output.tar.gz holding ``members`` (name -> text); returns its URI."""
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
            for member, text in members.items():
                data = text.encode("utf-8")
                info = tarfile.TarInfo(member)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
        self.s3.put_object(Bucket=OUTPUT_BUCKET, Key=key, Body=buffer.getvalue())
        return f"s3://{OUTPUT_BUCKET}/{key}"

    def put_folder(self, prefix: str, files: dict[str, str]) -> str:
        """Upload a folder of output files (PII, events); returns the folder's URI."""
        for name, text in files.items():
            self.s3.put_object(Bucket=OUTPUT_BUCKET, Key=f"{prefix}/{name}", Body=text.encode())
        return f"s3://{OUTPUT_BUCKET}/{prefix}/"


class FakeClock:
    """``now`` and ``sleep`` for the CLI: sleeping advances time and runs scripted steps."""

    def __init__(self, start: datetime = T0) -> None:
        self.now_value = start
        self.sleeps: list[float] = []
        self._steps: list[Callable[[], None]] = []

    def now(self) -> datetime:
        """The fake current time."""
        return self.now_value

    def sleep(self, seconds: float) -> None:
        """Advance time; after each sleep, run the next scripted step if any."""
        self.sleeps.append(seconds)
        self.now_value += timedelta(seconds=seconds)
        if self._steps:
            self._steps.pop(0)()

    def then(self, *steps: Callable[[], None]) -> None:
        """Script what happens in the world after each of the next sleeps."""
        self._steps.extend(steps)


class TtyStream(io.StringIO):
    """A captured stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


@dataclass
class Run:
    """One captured run of the command."""

    code: int
    stdout: str
    stderr: str


def runtime(clock: FakeClock, stdout: io.StringIO | None = None, **kw: Any) -> Runtime:
    """A Runtime writing to captured streams, on the fake clock."""
    return Runtime(
        stdout=stdout if stdout is not None else io.StringIO(),
        stderr=io.StringIO(),
        sleep=clock.sleep,
        now=clock.now,
        **kw,
    )


def invoke(argv: list[str], rt: Runtime) -> Run:
    """Run the command in-process with ``rt``; returns its exit code and captured output."""
    from comprehend_jobs.cli import main

    code = main(argv, rt)
    assert isinstance(rt.stdout, io.StringIO) and isinstance(rt.stderr, io.StringIO)
    return Run(code, rt.stdout.getvalue(), rt.stderr.getvalue())
