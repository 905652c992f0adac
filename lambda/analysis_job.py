"""Custom resource ``Custom::ComprehendAnalysisJob``: starts an Amazon Comprehend
asynchronous analysis job at deploy time.

Served by ``aws_cdk.custom_resources.Provider``:

- ``on_event`` returns ``{"PhysicalResourceId": <job ARN>, "Data": {JobId, JobArn,
  JobStatus}}``.

  * Create: the properties are validated against botocore's model (``request_builder``).
    Each job has a key: a hash of the stack, the logical id, JobType, RerunToken and the
    Request without its Tags (not the RequestId); every job started is tagged with it
    (``comprehend-jobs:job-key``). Before starting, the handler lists the jobs of the
    type with the request's JobName and returns the newest one with this key that was
    not stopped: a repeated event, or a rollback to the resource's previous properties,
    returns the job already started. Otherwise one Start<JobType>Job call is made, with
    a ClientRequestToken hashed from the event (RequestId included). JobName is
    Request.JobName as given (also reused by a replacing update), else
    ``<stack>-<logical id>-<8 chars of the key>``.
  * Update: a changed JobType, RerunToken or Request (Tags aside) starts a new job, or
    returns to the job with its key as above (a new physical id, so CloudFormation then
    deletes the old one; a rollback's Update returns the original job's ARN, so the
    rollback's cleanup deletes only the job of the failed update). A change of
    Request.Tags alone re-tags the running job (TagResource/UntagResource). Any other
    change (StopOnDelete, WaitForCompletion) starts nothing: the old physical id and
    the old job's data are returned.
  * Delete: with StopOnDelete (default true) a SUBMITTED or IN_PROGRESS job of a type
    that has a Stop operation is stopped. A running job that is not stopped (a type
    without Stop, or StopOnDelete false) is waited for when the Delete is the cleanup of
    a successful update (the stack reads UPDATE_COMPLETE_CLEANUP_IN_PROGRESS): the
    update replaced or removed it, and cleanup deletes what it still runs with (its
    role's replaced policy, its subnets) after this Delete; ``is_complete`` then polls
    until the job has ended, for at most ``REPLACED_JOB_WAIT_SECONDS``. Delete never
    fails the stack: a finished job, a job not found, a physical id that is not a job
    ARN (a failed create) or a stack that cannot be read all succeed, and the reason is
    logged.

- ``is_complete`` (only with a waiting Provider) returns ``{"IsComplete": bool,
  "Data"?}``. It completes at once when WaitForCompletion is false, and for a Delete
  unless the Delete waits for a replaced job (its Data carries ``WaitForJobUntil``).
  Otherwise it describes the job: COMPLETED adds OutputS3Uri (the exact
  ``OutputDataConfig.S3Uri`` Comprehend reports, the output.tar.gz or output folder)
  to the Data; FAILED and STOPPED raise with the service's Message; anything else
  is not complete yet.

  The wait is bounded by the Provider's ``total_timeout`` (at most one hour; this
  library sets one hour, polling every minute). A job still running then fails the
  deployment with "Operation timed out", and the rollback's Delete stops the job (with
  StopOnDelete). Jobs on large inputs take longer: leave WaitForCompletion off for those
  and watch the job by its ARN instead.

Retries: the client uses botocore's "standard" retry mode with up to 8 attempts, which
backs off exponentially with jitter on throttling (TooManyRequestsException, 429) and
on 5xx/InternalServerException. Every other error is permanent and fails at once with
the service's code and message.

Cold start: only the standard library and the sibling modules are imported here; boto3
is imported and the client created on first use, once per container, with the Region
from the environment (boto3 also honours AWS_ENDPOINT_URL).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

# Imported as the package comprehend_jobs._lambda (the installed library, the tests) the
# siblings are relative; the Lambda runtime imports this module top-level (handler
# ``analysis_job.on_event``), so there they are top-level modules of the asset too.
if TYPE_CHECKING or __package__:
    from . import job_types, request_builder
    from .resource_event import CustomResourceEvent
else:
    import job_types
    import request_builder
    from resource_event import CustomResourceEvent

if TYPE_CHECKING:
    from botocore.client import BaseClient

#: botocore retry settings: standard mode retries throttling and 5xx with backoff;
#: 8 attempts in all (the first and up to 7 retries).
RETRY_CONFIG: dict[str, Any] = {"mode": "standard", "total_max_attempts": 8}

#: Job states in which Stop applies; anything else has finished or is stopping.
RUNNING_STATES = frozenset({"SUBMITTED", "IN_PROGRESS"})
#: A job in these states was stopped (by a Delete or by hand): never returned to, since
#: its results are partial; the same key starts a new job.
STOPPED_STATES = frozenset({"STOP_REQUESTED", "STOPPED"})
FAILED_STATES = frozenset({"FAILED", "STOPPED"})
#: The stack status while CloudFormation cleans up after a successful update (not after a
#: rollback: the job deleted then is the failed update's, which nothing waits for).
UPDATE_CLEANUP = "UPDATE_COMPLETE_CLEANUP_IN_PROGRESS"
#: How long a cleanup Delete waits for a replaced job that runs on: inside the Provider's
#: total timeout (one hour), so the wait ends, and the Delete succeeds, before the
#: framework would fail it.
REPLACED_JOB_WAIT_SECONDS = 50 * 60


class _JsonLines(logging.Formatter):
    """One JSON object per line: level, message and the record's structured fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
            "level": record.levelname,
            "message": record.getMessage(),
        }
        entry.update(getattr(record, "fields", {}))
        if record.exc_info and record.exc_info[1] is not None:
            entry["error"] = f"{type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
        return json.dumps(entry, default=str)


class _StdoutHandler(logging.Handler):
    """Writes to whatever sys.stdout is at the time (Lambda ships stdout to CloudWatch)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
            sys.stdout.flush()
        except Exception:
            self.handleError(record)


logger = logging.getLogger("comprehend_jobs.analysis_job")
if not logger.handlers:
    _handler = _StdoutHandler()
    _handler.setFormatter(_JsonLines())
    logger.addHandler(_handler)
    # Lambda's root handler would prefix each line; ours is the JSON line as it is.
    logger.propagate = False
_level = os.environ.get("LOG_LEVEL", "INFO").upper()
# An unknown LOG_LEVEL must not break the container at import.
logger.setLevel(_level if isinstance(logging.getLevelName(_level), int) else logging.INFO)


def _log(level: int, message: str, **fields: Any) -> None:
    logger.log(level, message, extra={"fields": fields})


class ComprehendCallError(RuntimeError):
    """A Comprehend call failed for good (after any retries); carries the service's code."""

    def __init__(self, operation: str, code: str, message: str) -> None:
        self.operation = operation
        self.code = code
        self.service_message = message
        super().__init__(f"{operation} failed: {code}: {message}")


class JobFailedError(RuntimeError):
    """The job ended FAILED or STOPPED while the stack was waiting for it."""


def _new_client(service: str) -> BaseClient:
    """A boto3 client with the handler's retries and timeouts, in the function's Region."""
    import boto3
    from botocore.config import Config

    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION")
    config = Config(
        retries=dict(RETRY_CONFIG),
        connect_timeout=10,
        read_timeout=60,
        user_agent_extra="comprehend-jobs",
    )
    return boto3.client(service, region_name=region, config=config)


@functools.cache
def _client() -> BaseClient:
    """The Comprehend client, created once per container."""
    return _new_client("comprehend")


@functools.cache
def _cloudformation() -> BaseClient:
    """The CloudFormation client (to read the stack's status), created once per container."""
    return _new_client("cloudformation")


def _in_update_cleanup(stack_id: str) -> bool:
    """Whether the stack is cleaning up after a successful update (False when unknown)."""
    try:
        stacks = _cloudformation().describe_stacks(StackName=stack_id)["Stacks"]
    except Exception as error:  # the stack's status only decides whether to wait
        _log(logging.WARNING, "delete: stack status unknown", reason=str(error))
        return False
    return bool(stacks) and stacks[0].get("StackStatus") == UPDATE_CLEANUP


def _call(operation: str, **params: Any) -> dict[str, Any]:
    """Call one Comprehend operation by its API name; errors carry the service message."""
    from botocore import xform_name
    from botocore.exceptions import ClientError

    method = getattr(_client(), xform_name(operation))
    try:
        response: dict[str, Any] = method(**params)
    except ClientError as error:
        details = error.response.get("Error", {})
        raise ComprehendCallError(
            operation, str(details.get("Code", "Unknown")), str(details.get("Message", error))
        ) from error
    return response


def _job_id(job_arn: str) -> str:
    return job_arn.rsplit("/", 1)[-1]


def _describe(job_type: job_types.JobType, job_arn: str) -> dict[str, Any]:
    response = _call(job_type.describe_operation, JobId=_job_id(job_arn))
    properties: dict[str, Any] = response[job_type.properties_key]
    return properties


def _job_data(job: dict[str, Any]) -> dict[str, Any]:
    return {"JobId": job["JobId"], "JobArn": job["JobArn"], "JobStatus": job["JobStatus"]}


# --------------------------------------------------------------------------- on_event


def on_event(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Provider framework on_event: Create, Update or Delete the analysis job."""
    cr = CustomResourceEvent(event)
    _log(logging.INFO, "event received", **cr.log_fields())
    try:
        if cr.request_type == "Create":
            return _start(cr)
        if cr.request_type == "Update":
            return _update(cr)
        return _delete(cr)
    except Exception as error:
        # The Provider reports the message to CloudFormation; this keeps it in the logs.
        _log(logging.ERROR, "on_event failed", error=f"{type(error).__name__}: {error}")
        raise


def _start(cr: CustomResourceEvent) -> dict[str, Any]:
    start = request_builder.build_start_request(
        cr.resource_properties,
        stack_id=cr.stack_id,
        logical_resource_id=cr.logical_resource_id,
        request_id=cr.request_id,
        model=_client().meta.service_model,
    )
    found = _find_job(start)
    if found is not None:
        return found
    _log(
        logging.INFO,
        "starting job",
        operation=start.operation,
        jobName=start.params["JobName"],
        clientRequestToken=start.params["ClientRequestToken"],
    )
    response = _call(start.operation, **start.params)
    data = _job_data(response)
    _log(logging.INFO, "job started", **data)
    return {"PhysicalResourceId": data["JobArn"], "Data": data}


def _update(cr: CustomResourceEvent) -> dict[str, Any]:
    request_builder.parse_properties(cr.resource_properties)
    old_arn = cr.physical_resource_id or ""
    job_type = job_types.job_type_for_arn(old_arn)
    if job_type is None:
        _log(logging.WARNING, "physical id is not a job ARN; starting a job", physicalId=old_arn)
        return _start(cr)
    if request_builder.requires_new_job(cr.old_resource_properties, cr.resource_properties):
        _log(logging.INFO, "job type, request or rerun token changed; a job with the new key")
        return _start(cr)
    _log(logging.INFO, "no change to the job; keeping it", jobArn=old_arn)
    try:
        data = _job_data(_describe(job_type, old_arn))
    except ComprehendCallError as error:
        if error.code not in job_types.JOB_NOT_FOUND_CODES:
            raise
        # Comprehend no longer knows the job: keep it anyway rather than fail every
        # later update of the stack (change RerunToken to start a new one).
        _log(logging.WARNING, "kept job not found; its status is unknown", jobArn=old_arn)
        data = {"JobId": _job_id(old_arn), "JobArn": old_arn, "JobStatus": "UNKNOWN"}
        return {"PhysicalResourceId": old_arn, "Data": data}
    if request_builder.tags_changed(cr.old_resource_properties, cr.resource_properties):
        # Built (not started) to check the new Tags as a start would, key tag included.
        start = request_builder.build_start_request(
            cr.resource_properties,
            stack_id=cr.stack_id,
            logical_resource_id=cr.logical_resource_id,
            request_id=cr.request_id,
            model=_client().meta.service_model,
        )
        _sync_tags(old_arn, _wanted_tags(start), _tags(old_arn))
    return {"PhysicalResourceId": old_arn, "Data": data}


def _find_job(start: request_builder.StartRequest) -> dict[str, Any] | None:
    """The on_event result for the newest job of the type named ``JobName`` that carries
    this start's key and was not stopped (its tags made as the request's), or None."""
    job_type, name = start.job_type, start.params["JobName"]
    for job in sorted(_list_jobs(job_type, name), key=_submitted, reverse=True):
        if job.get("JobStatus") in STOPPED_STATES:
            continue
        tags = _tags(job["JobArn"])
        if tags.get(request_builder.JOB_KEY_TAG) != start.job_key:
            continue
        _sync_tags(job["JobArn"], _wanted_tags(start), tags)
        data = _job_data(job)
        _log(logging.INFO, "returning to the job this resource started with this key", **data)
        return {"PhysicalResourceId": data["JobArn"], "Data": data}
    return None


def _wanted_tags(start: request_builder.StartRequest) -> dict[str, str]:
    return {str(t["Key"]): str(t.get("Value", "")) for t in start.params["Tags"]}


def _submitted(job: Mapping[str, Any]) -> float:
    # botocore parses SubmitTime into a datetime; a job without one sorts last.
    submitted = job.get("SubmitTime")
    return float(submitted.timestamp()) if submitted is not None else 0.0


def _list_jobs(job_type: job_types.JobType, name: str) -> list[dict[str, Any]]:
    """Every job of the type named ``name`` (all pages)."""
    jobs: list[dict[str, Any]] = []
    params: dict[str, Any] = {"Filter": {"JobName": name}, "MaxResults": 500}
    while True:
        response = _call(job_type.list_operation, **params)
        jobs += response.get(job_type.list_key, [])
        if not response.get("NextToken"):
            return jobs
        params["NextToken"] = response["NextToken"]


def _tags(job_arn: str) -> dict[str, str]:
    response = _call("ListTagsForResource", ResourceArn=job_arn)
    return {str(t["Key"]): str(t.get("Value", "")) for t in response.get("Tags", [])}


def _sync_tags(job_arn: str, wanted: Mapping[str, str], current: Mapping[str, str]) -> None:
    """Make the job's tags ``wanted``: tags are metadata, applied in place (a new job is
    never started for them). Keys under ``aws:`` are AWS's own and left alone."""
    stale = sorted(k for k in current if k not in wanted and not k.startswith("aws:"))
    changed = {k: v for k, v in wanted.items() if current.get(k) != v}
    if stale:
        _call("UntagResource", ResourceArn=job_arn, TagKeys=stale)
    if changed:
        tags = [{"Key": k, "Value": changed[k]} for k in sorted(changed)]
        _call("TagResource", ResourceArn=job_arn, Tags=tags)
    if stale or changed:
        _log(logging.INFO, "job re-tagged", jobArn=job_arn, removed=stale, set=sorted(changed))


def _delete(cr: CustomResourceEvent) -> dict[str, Any]:
    physical_id = cr.physical_resource_id or ""
    response: dict[str, Any] = {"PhysicalResourceId": physical_id}
    try:
        left_running = _stop_if_running(physical_id, cr.resource_properties)
        if left_running and _in_update_cleanup(cr.stack_id):
            until = int(time.time()) + REPLACED_JOB_WAIT_SECONDS
            _log(
                logging.INFO,
                "delete: waiting for the replaced job to end before cleanup goes on",
                jobArn=physical_id,
                waitForJobUntil=until,
            )
            response["Data"] = {"WaitForJobUntil": until}
    except Exception as error:  # Delete never fails the stack; the reason is logged.
        _log(logging.WARNING, "delete: job left as it is", jobArn=physical_id, reason=str(error))
    return response


def _stop_if_running(job_arn: str, properties: Mapping[str, Any]) -> bool:
    """Stop the job if it runs and may be stopped; True when it runs on (not stopped)."""
    stop_on_delete = request_builder.parse_bool(properties.get("StopOnDelete"))
    if stop_on_delete is None:
        stop_on_delete = request_builder.DEFAULT_STOP_ON_DELETE
    job_type = job_types.job_type_for_arn(job_arn)
    if job_type is None:
        _log(
            logging.INFO, "delete: physical id is not a job ARN; nothing to do", physicalId=job_arn
        )
        return False
    stoppable = stop_on_delete and job_type.stop_operation is not None
    try:
        status = _describe(job_type, job_arn)["JobStatus"]
        if status not in RUNNING_STATES:
            _log(logging.INFO, "delete: job not running", jobArn=job_arn, jobStatus=status)
            return False
        if not stoppable:
            reason = "StopOnDelete is false" if not stop_on_delete else "the type has no Stop"
            _log(logging.INFO, f"delete: job not stopped, {reason}", jobArn=job_arn)
            return True
        assert job_type.stop_operation is not None
        response = _call(job_type.stop_operation, JobId=_job_id(job_arn))
    except ComprehendCallError as error:
        if error.code not in job_types.JOB_NOT_FOUND_CODES:
            raise
        _log(logging.INFO, "delete: job not found", jobArn=job_arn)
        return False
    _log(logging.INFO, "delete: job stopped", jobArn=job_arn, jobStatus=response.get("JobStatus"))
    return False


def _replaced_job_ended(job_arn: str, until: float) -> bool:
    """Whether a cleanup Delete may complete: the job it waits for has ended (or cannot be
    read), or the wait is over."""
    if time.time() >= until:
        _log(logging.WARNING, "delete: stopped waiting; the job still runs", jobArn=job_arn)
        return True
    job_type = job_types.job_type_for_arn(job_arn)
    if job_type is None:
        return True
    try:
        status = _describe(job_type, job_arn)["JobStatus"]
    except Exception as error:  # Delete never fails the stack; the reason is logged.
        _log(logging.WARNING, "delete: job status unknown", jobArn=job_arn, reason=str(error))
        return True
    _log(logging.INFO, "delete: replaced job status", jobArn=job_arn, jobStatus=status)
    return status not in RUNNING_STATES


# --------------------------------------------------------------------------- is_complete


def is_complete(event: dict[str, Any], context: Any = None) -> dict[str, Any]:
    """Provider framework is_complete: is the job finished (when the stack waits)?"""
    cr = CustomResourceEvent(event)
    try:
        return _is_complete(cr)
    except Exception as error:
        _log(logging.ERROR, "is_complete failed", error=f"{type(error).__name__}: {error}")
        raise


def _is_complete(cr: CustomResourceEvent) -> dict[str, Any]:
    if cr.request_type == "Delete":
        until = cr.data.get("WaitForJobUntil")
        if until is None:
            return {"IsComplete": True}
        return {"IsComplete": _replaced_job_ended(cr.physical_resource_id or "", float(until))}
    properties = request_builder.parse_properties(cr.resource_properties)
    if not properties.wait_for_completion:
        return {"IsComplete": True}
    job_arn = cr.physical_resource_id or ""
    job_type = job_types.job_type_for_arn(job_arn)
    if job_type is None:
        raise ValueError(f"PhysicalResourceId={job_arn!r} is not a Comprehend job ARN")
    job = _describe(job_type, job_arn)
    status = job["JobStatus"]
    _log(logging.INFO, "job status", jobArn=job_arn, jobStatus=status)
    if status == "COMPLETED":
        data = _job_data(job)
        data["OutputS3Uri"] = job["OutputDataConfig"]["S3Uri"]
        return {"IsComplete": True, "Data": data}
    if status in FAILED_STATES:
        raise JobFailedError(
            f"Comprehend job {job_arn} is {status}: {job.get('Message') or 'no message given'}"
        )
    # The Provider rejects Data alongside IsComplete false.
    return {"IsComplete": False}
