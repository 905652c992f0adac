"""A fake of Amazon Comprehend's asynchronous-job API, served over HTTP, for the CLI tests.

moto starts Comprehend jobs but never runs them, and offers no supported way to move one
along: its state manager (``/moto-api/state-manager``) registers no Comprehend model, so
tests used to edit moto's internal job objects, which broke on a moto patch release.
The CLI calls only ``Describe*Job``; this fake serves that, plus ``Start*Job``,
``List*Jobs`` and ``Stop*Job`` for the tests, and its own ``set_job`` is the seam that
moves a job. S3 and CloudFormation stay on moto.

It speaks the JSON 1.1 protocol botocore uses for Comprehend and shapes its answers from
botocore's own service model (the properties a Describe returns are the members of the
type's ``<stem>JobProperties`` shape), so the CLI's real client serializes and parses
every call. Jobs live per Region (the Region signed into the request) in one account.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import botocore.session

from comprehend_jobs.job_types import JOB_TYPES, JobType

#: The target prefix of Comprehend's JSON protocol (``X-Amz-Target: <prefix>.<operation>``).
TARGET_PREFIX = "Comprehend_20171127."
_OPERATION = re.compile(r"^(Start|Describe|Stop|List)(\w+?)Jobs?$")
_REGION_IN_AUTH = re.compile(r"Credential=[^/]+/\d{8}/([^/]+)/comprehend/")
_SERVICE_MODEL = botocore.session.get_session().get_service_model("comprehend")


class FakeError(Exception):
    """An error answer: the service's error code and message, HTTP 400."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass
class FakeJob:
    """One job as the fake holds it: its type, Region, status and the fields it started with."""

    job_type: JobType
    region: str
    job_id: str
    arn: str
    status: str
    submit_time: datetime
    fields: dict[str, Any]
    end_time: datetime | None = None
    message: str | None = None

    def properties(self) -> dict[str, Any]:
        """The Describe/List answer's properties: the shape's members that this job has."""
        members = _SERVICE_MODEL.shape_for(f"{self.job_type.stem}JobProperties").members
        found: dict[str, Any] = {
            "JobId": self.job_id,
            "JobArn": self.arn,
            "JobStatus": self.status,
            "SubmitTime": self.submit_time.timestamp(),
        }
        if self.end_time is not None:
            found["EndTime"] = self.end_time.timestamp()
        if self.message is not None:
            found["Message"] = self.message
        found.update(self.fields)
        return {key: value for key, value in found.items() if key in members}


@dataclass
class FakeComprehend:
    """The fake's state: jobs by ID, in one account. Thread-safe (the server is threaded)."""

    account: str
    jobs: dict[str, FakeJob] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def reset(self) -> None:
        """Forget every job."""
        with self.lock:
            self.jobs.clear()

    def set_job(
        self,
        job_id: str,
        status: str,
        *,
        output_uri: str | None = None,
        message: str | None = None,
        submitted: datetime | None = None,
        ended: datetime | None = None,
    ) -> None:
        """Move job ``job_id`` to ``status``; the other arguments replace what they name."""
        with self.lock:
            job = self.jobs[job_id]
            job.status = status
            if submitted is not None:
                job.submit_time = submitted
            if ended is not None:
                job.end_time = ended
            if output_uri is not None:
                job.fields["OutputDataConfig"] = {
                    **job.fields.get("OutputDataConfig", {}),
                    "S3Uri": output_uri,
                }
            if message is not None:
                job.message = message

    def call(self, operation: str, region: str, params: dict[str, Any]) -> dict[str, Any]:
        """Answer one API call; raises ``FakeError`` for the service's error answers."""
        match = _OPERATION.match(operation)
        job_type = JOB_TYPES.get(match.group(2)) if match else None
        if match is None or job_type is None:
            raise FakeError(
                "UnknownOperationException", f"the fake Comprehend does not serve {operation}"
            )
        verb = match.group(1)
        with self.lock:
            if verb == "Start":
                return self._start(job_type, region, params)
            if verb == "List":
                return self._list(job_type, region, params)
            job = self._find(job_type, region, str(params.get("JobId", "")))
            if verb == "Describe":
                return {job_type.properties_key: job.properties()}
            if not job_type.has_stop:
                raise FakeError("UnknownOperationException", f"{operation} does not exist")
            if job.status in ("SUBMITTED", "IN_PROGRESS"):
                job.status = "STOP_REQUESTED"
            return {"JobId": job.job_id, "JobStatus": job.status}

    def _start(self, job_type: JobType, region: str, params: dict[str, Any]) -> dict[str, Any]:
        job_id = uuid.uuid4().hex
        arn = f"arn:aws:comprehend:{region}:{self.account}:{job_type.arn_resource}/{job_id}"
        fields = {k: v for k, v in params.items() if k not in ("ClientRequestToken", "Tags")}
        self.jobs[job_id] = FakeJob(
            job_type, region, job_id, arn, "SUBMITTED", datetime.now(UTC), fields
        )
        return {"JobId": job_id, "JobArn": arn, "JobStatus": "SUBMITTED"}

    def _list(self, job_type: JobType, region: str, params: dict[str, Any]) -> dict[str, Any]:
        wanted = params.get("Filter") or {}
        listed = [
            job.properties()
            for job in self.jobs.values()
            if job.job_type is job_type
            and job.region == region
            and wanted.get("JobStatus") in (None, job.status)
            and wanted.get("JobName") in (None, job.fields.get("JobName"))
        ]
        return {f"{job_type.stem}JobPropertiesList": listed}

    def _find(self, job_type: JobType, region: str, job_id: str) -> FakeJob:
        job = self.jobs.get(job_id)
        if job is None or job.job_type is not job_type or job.region != region:
            raise FakeError("JobNotFoundException", f"Could not find job with id {job_id}")
        return job


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        target = self.headers.get("X-Amz-Target", "")
        region_found = _REGION_IN_AUTH.search(self.headers.get("Authorization", ""))
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        try:
            if not target.startswith(TARGET_PREFIX) or region_found is None:
                raise FakeError(
                    "InvalidRequestException",
                    f"not a signed Comprehend JSON 1.1 call (X-Amz-Target {target!r})",
                )
            params = json.loads(body or b"{}")
            answer = self.server.fake.call(
                target.removeprefix(TARGET_PREFIX), region_found.group(1), params
            )
            self._send(200, answer)
        except FakeError as e:
            self._send(400, {"__type": e.code, "Message": e.message})

    def _send(self, status: int, answer: dict[str, Any]) -> None:
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("x-amzn-RequestId", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the test output is the CLI's."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, fake: FakeComprehend) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


@contextmanager
def serve(account: str) -> Iterator[tuple[str, FakeComprehend]]:
    """Run the fake on a free port of 127.0.0.1; yields its endpoint URL and its state."""
    fake = FakeComprehend(account)
    server = _Server(fake)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host!s}:{port}", fake
    finally:
        server.shutdown()
        server.server_close()
