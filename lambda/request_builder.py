"""Turn the custom resource's properties into one validated Start*Job request.

Pure: no AWS call, no client, nothing read from the environment. Everything here is
unit-tested from JSON event fixtures.

CloudFormation delivers every scalar inside ResourceProperties as a string ("true", "5"),
and botocore checks neither regex patterns nor maximum lengths before sending. So the
request is walked against botocore's own service model for the Start operation: strings
are coerced to the model's types, and every enum, pattern, length and range the model
declares is enforced here (strings and lengths by ``shape_rules``, which the constructs
use too). Types, limits and patterns are never copied by hand; the table
in ``job_types`` adds only what the model cannot say (which languages a type documents,
which model source a type needs).

All problems are collected and raised together as one ``RequestValidationError`` naming
each field, the value given and what is allowed, so nothing is started on a bad request.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

# Imported as the package comprehend_jobs._lambda (the installed library, the tests) the
# siblings are relative; the Lambda runtime imports the asset's modules top-level.
if TYPE_CHECKING or __package__:
    from . import job_types, shape_rules
    from .job_types import RESOURCE_TYPE, JobType
else:
    import job_types
    import shape_rules
    from job_types import RESOURCE_TYPE, JobType

if TYPE_CHECKING:
    from botocore.model import ServiceModel, Shape

#: Every ResourceProperties key the resource accepts (ServiceToken is the Provider's).
PROPERTY_KEYS: frozenset[str] = frozenset(
    {"ServiceToken", "JobType", "Request", "StopOnDelete", "WaitForCompletion", "RerunToken"}
)

#: The tag the handler adds to every job it starts, valued with the job's key
#: (``job_key``): a later event of the same resource finds the job by it. Comprehend
#: allows 50 tags per job, so a request may carry 49 of its own.
JOB_KEY_TAG = "comprehend-jobs:job-key"
MAX_REQUEST_TAGS = 49

#: Defaults of the optional boolean properties.
DEFAULT_STOP_ON_DELETE = True
DEFAULT_WAIT_FOR_COMPLETION = False

_SERVICE = "comprehend"
_TRUE, _FALSE = "true", "false"


class RequestValidationError(ValueError):
    """The resource properties are invalid; the message lists every problem found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{RESOURCE_TYPE}: invalid properties, nothing was started:\n{lines}")


@dataclass(frozen=True)
class JobProperties:
    """The resource properties, parsed (the Request itself is validated separately)."""

    job_type: JobType
    request: Mapping[str, Any]
    stop_on_delete: bool
    wait_for_completion: bool
    rerun_token: str | None


@dataclass(frozen=True)
class StartRequest:
    """One ready Start*Job call: the operation and its validated, coerced parameters."""

    job_type: JobType
    operation: str
    params: dict[str, Any]
    #: The job's key (``job_key``); ``params["Tags"]`` carries it as ``JOB_KEY_TAG``.
    job_key: str


# --------------------------------------------------------------------------- service model


@functools.cache
def service_model() -> ServiceModel:
    """botocore's Comprehend model, loaded once per process (only when first needed)."""
    from botocore.loaders import create_loader
    from botocore.model import ServiceModel

    loader = create_loader()
    return ServiceModel(loader.load_service_model(_SERVICE, "service-2"), _SERVICE)


# --------------------------------------------------------------------------- coercion


class _Invalid:
    """Marks a value that failed validation (its problem is already recorded)."""


_INVALID = _Invalid()
_INTEGER = re.compile(r"[+-]?[0-9]+")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:100]}...({len(text)} chars)"


class _Walker:
    """Walks one value against a botocore shape, coercing strings and collecting problems."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems

    def problem(self, path: str, value: Any, allowed: str) -> _Invalid:
        self.problems.append(f"{path}={_show(value)} is not valid: {allowed}")
        return _INVALID

    def walk(self, shape: Shape, value: Any, path: str) -> Any:
        handler: Callable[[Shape, Any, str], Any] | None = getattr(
            self, f"_{shape.type_name}", None
        )
        if handler is None:
            return self.problem(path, value, f"the field type {shape.type_name} is unsupported")
        return handler(shape, value, path)

    def _structure(self, shape: Shape, value: Any, path: str) -> Any:
        if not isinstance(value, Mapping):
            return self.problem(path, value, f"expected an object with fields {_names(shape)}")
        result: dict[str, Any] = {}
        for key, item in value.items():
            member = shape.members.get(key)
            if member is None:
                self.problem(f"{path}.{key}", item, f"unknown field; allowed: {_names(shape)}")
                continue
            coerced = self.walk(member, item, f"{path}.{key}")
            if coerced is not _INVALID:
                result[key] = coerced
        for key in shape.required_members:
            if key not in value:
                self.problems.append(f"{path}.{key} is required but missing")
        return result

    def _list(self, shape: Shape, value: Any, path: str) -> Any:
        if not isinstance(value, list):
            return self.problem(path, value, "expected a list")
        too_many_or_few = shape_rules.length_problem(shape.metadata, len(value), "items")
        if too_many_or_few:
            self.problem(path, value, too_many_or_few)
        items = [self.walk(shape.member, item, f"{path}[{i}]") for i, item in enumerate(value)]
        return [item for item in items if item is not _INVALID]

    def _map(self, shape: Shape, value: Any, path: str) -> Any:
        if not isinstance(value, Mapping):
            return self.problem(path, value, "expected an object")
        return {
            self.walk(shape.key, key, f"{path} key"): self.walk(shape.value, item, f"{path}.{key}")
            for key, item in value.items()
        }

    def _string(self, shape: Shape, value: Any, path: str) -> Any:
        if not isinstance(value, str):
            return self.problem(path, value, "expected a string")
        problem = shape_rules.string_problem(shape.metadata, value)
        return value if problem is None else self.problem(path, value, problem)

    def _integer(self, shape: Shape, value: Any, path: str) -> Any:
        if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
            number = int(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            number = value
        else:
            return self.problem(path, value, "expected a whole number")
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if (low is not None and number < low) or (high is not None and number > high):
            return self.problem(path, value, f"must be between {low} and {high}")
        return number

    _long = _integer

    def _boolean(self, shape: Shape, value: Any, path: str) -> Any:
        parsed = parse_bool(value)
        if parsed is None:
            return self.problem(path, value, "expected 'true' or 'false'")
        return parsed

    def _float(self, shape: Shape, value: Any, path: str) -> Any:
        try:
            return float(value)
        except (TypeError, ValueError):
            return self.problem(path, value, "expected a number")

    _double = _float


def _names(shape: Shape) -> str:
    return ", ".join(sorted(shape.members))


# --------------------------------------------------------------------------- properties


def parse_bool(value: Any) -> bool | None:
    """'true'/'false' (any case) or a bool, as CloudFormation may deliver it; else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in (_TRUE, _FALSE):
        return value.strip().lower() == _TRUE
    return None


def _parse(properties: Mapping[str, Any], problems: list[str]) -> JobProperties | None:
    for key in sorted(set(properties) - PROPERTY_KEYS):
        problems.append(
            f"{key}={_show(properties[key])} is not valid: unknown property; "
            f"allowed: {', '.join(sorted(PROPERTY_KEYS))}"
        )
    stem = properties.get("JobType")
    job_type = job_types.JOB_TYPES.get(stem) if isinstance(stem, str) else None
    if job_type is None:
        problems.append(
            f"JobType={_show(stem)} is not valid: allowed: {', '.join(sorted(job_types.JOB_TYPES))}"
        )
    request = properties.get("Request")
    if not isinstance(request, Mapping):
        problems.append(f"Request={_show(request)} is not valid: expected an object")
    flags: dict[str, bool] = {}
    for key, default in (
        ("StopOnDelete", DEFAULT_STOP_ON_DELETE),
        ("WaitForCompletion", DEFAULT_WAIT_FOR_COMPLETION),
    ):
        raw = properties.get(key)
        parsed = default if raw is None else parse_bool(raw)
        if parsed is None:
            problems.append(f"{key}={_show(raw)} is not valid: expected 'true' or 'false'")
        flags[key] = bool(parsed)
    rerun = properties.get("RerunToken")
    if rerun is not None and not isinstance(rerun, str | int):
        problems.append(f"RerunToken={_show(rerun)} is not valid: expected a string")
    if job_type is None or not isinstance(request, Mapping):
        return None
    return JobProperties(
        job_type=job_type,
        request=request,
        stop_on_delete=flags["StopOnDelete"],
        wait_for_completion=flags["WaitForCompletion"],
        rerun_token=None if rerun is None else str(rerun),
    )


def parse_properties(properties: Mapping[str, Any]) -> JobProperties:
    """Parse ResourceProperties (JobType, flags); raise RequestValidationError if invalid."""
    problems: list[str] = []
    parsed = _parse(properties, problems)
    if problems or parsed is None:
        raise RequestValidationError(problems)
    return parsed


def _without_tags(request: Any) -> Any:
    if not isinstance(request, Mapping):
        return request
    return {key: value for key, value in request.items() if key != "Tags"}


def requires_new_job(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether an update must start a new job: the job itself (type, request) or the
    RerunToken changed. Request.Tags are metadata the handler applies to the running job;
    StopOnDelete and WaitForCompletion only steer the handler."""
    return any(old.get(key) != new.get(key) for key in ("JobType", "RerunToken")) or (
        _without_tags(old.get("Request")) != _without_tags(new.get("Request"))
    )


def tags_changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """Whether Request.Tags differ between two sets of properties (their order aside)."""
    return request_tags(old.get("Request")) != request_tags(new.get("Request"))


def request_tags(request: Any) -> dict[str, str]:
    """Request.Tags as a dict (entries that are not ``{Key, Value}`` are left out: the
    request's validation reports them)."""
    tags = request.get("Tags") if isinstance(request, Mapping) else None
    if not isinstance(tags, list):
        return {}
    return {
        str(tag["Key"]): str(tag.get("Value", ""))
        for tag in tags
        if isinstance(tag, Mapping) and "Key" in tag
    }


def job_key(
    *,
    stack_id: str,
    logical_resource_id: str,
    job_type: str,
    request: Mapping[str, Any],
    rerun_token: str | None,
) -> str:
    """What identifies one job of one resource: a hash (64 hex characters) of the stack,
    the logical ID, JobType, RerunToken and the Request without its Tags. Not the
    RequestId: a rollback (an Update back to the properties of the resource's previous
    job) or a repeated event computes the key of the job already started and returns to
    it instead of starting another. Not the Tags: they are applied to the job in place."""
    import hashlib  # Only starts need it; kept off the cold-import path.

    material = json.dumps(
        {
            "StackId": stack_id,
            "LogicalResourceId": logical_resource_id,
            "JobType": job_type,
            "Request": _without_tags(request),
            "RerunToken": rerun_token,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(material.encode()).hexdigest()


# --------------------------------------------------------------------------- the request


def _type_rules(job_type: JobType, request: Mapping[str, Any], problems: list[str]) -> None:
    """What the model cannot say: per-type languages, model sources, field combinations."""
    language = request.get("LanguageCode")
    if job_type.languages and isinstance(language, str) and language not in job_type.languages:
        problems.append(
            f"Request.LanguageCode={language!r} is not valid: {job_type.stem} supports "
            f"{', '.join(job_type.languages)}"
        )
    given = [name for name in job_type.model_fields if name in request]
    if len(given) > 1:
        problems.append(
            f"Request: {' and '.join(given)} are both given; {job_type.stem} takes exactly "
            "one model source"
        )
    elif job_type.model_required and not given:
        problems.append(f"Request: {job_type.stem} needs one of {', '.join(job_type.model_fields)}")
    if request.get("Mode") == "ONLY_REDACTION" and "RedactionConfig" not in request:
        problems.append("Request.RedactionConfig is required when Mode is ONLY_REDACTION")
    input_config = request.get("InputDataConfig")
    reader = input_config.get("DocumentReaderConfig") if isinstance(input_config, Mapping) else None
    if (
        isinstance(reader, Mapping)
        and reader.get("DocumentReadAction") == "TEXTRACT_ANALYZE_DOCUMENT"
        and not reader.get("FeatureTypes")
    ):
        problems.append(
            "Request.InputDataConfig.DocumentReaderConfig.FeatureTypes is required when "
            "DocumentReadAction is TEXTRACT_ANALYZE_DOCUMENT (TABLES, FORMS or both)"
        )


def stack_name(stack_id: str) -> str:
    """The stack name inside a CloudFormation stack ARN (``...:stack/NAME/uuid``)."""
    parts = stack_id.split("/")
    return parts[1] if len(parts) >= 3 else stack_id


def client_request_token(
    *,
    stack_id: str,
    logical_resource_id: str,
    request_id: str,
    job_type: str,
    request: Mapping[str, Any],
    rerun_token: str | None,
) -> str:
    """A deterministic idempotency token: 64 hex characters (the API allows 1-64 of
    [A-Za-z0-9-]). The same CloudFormation event always yields the same token, so two
    invocations of one event racing each other cannot start two jobs where Comprehend
    honours the token (the handler also looks for the job by its key before starting
    one). The RequestId keeps a restart distinct: a job started again because the one
    with the same key was stopped must not be answered with the stopped job."""
    import hashlib  # Only creates need it; kept off the cold-import path.

    material = json.dumps(
        {
            "StackId": stack_id,
            "LogicalResourceId": logical_resource_id,
            "RequestId": request_id,
            "JobType": job_type,
            "Request": request,
            "RerunToken": rerun_token,
        },
        sort_keys=True,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(material.encode()).hexdigest()


_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_.:/=+\-%@]")


def derive_job_name(*, stack_id: str, logical_resource_id: str, key: str, max_length: int) -> str:
    """``<stack>-<logical id>-<8 chars of the job key>``: readable, within the API's
    pattern and ``max_length`` (the JobName shape's max), different for each request or
    RerunToken of the resource, and the same for a rollback to it (so it can be found)."""
    suffix = _NAME_UNSAFE.sub("", key)[:8] or "job"
    base = _NAME_UNSAFE.sub("-", f"{stack_name(stack_id)}-{logical_resource_id}")
    return f"{base[: max_length - len(suffix) - 1]}-{suffix}"


def build_start_request(
    properties: Mapping[str, Any],
    *,
    stack_id: str,
    logical_resource_id: str,
    request_id: str,
    model: ServiceModel | None = None,
) -> StartRequest:
    """Validate the resource properties and build the Start*Job call.

    JobName and ClientRequestToken are taken from Request when given, derived otherwise.
    Raises RequestValidationError listing every problem.
    """
    problems: list[str] = []
    parsed = _parse(properties, problems)
    if parsed is None:
        raise RequestValidationError(problems)
    job_type, request = parsed.job_type, dict(parsed.request)
    operation = (model or service_model()).operation_model(job_type.start_operation)
    members = operation.input_shape.members

    any_type_fields = frozenset().union(*(t.accepted_fields for t in job_types.JOB_TYPES.values()))
    for key in sorted(request):
        if key in job_type.accepted_fields and key in members:
            continue
        allowed = ", ".join(sorted(job_type.accepted_fields))
        reason = (
            f"not accepted by JobType {job_type.stem}"
            if key in any_type_fields
            else "unknown field"
        )
        problems.append(
            f"Request.{key}={_show(request.pop(key))} is not valid: {reason}; "
            f"{job_type.start_operation} accepts: {allowed}"
        )
    _type_rules(job_type, request, problems)
    key = job_key(
        stack_id=stack_id,
        logical_resource_id=logical_resource_id,
        job_type=job_type.stem,
        request=parsed.request,
        rerun_token=parsed.rerun_token,
    )
    _add_key_tag(request, key, problems)

    request.setdefault(
        "JobName",
        derive_job_name(
            stack_id=stack_id,
            logical_resource_id=logical_resource_id,
            key=key,
            max_length=members["JobName"].metadata["max"],
        ),
    )
    request.setdefault(
        "ClientRequestToken",
        client_request_token(
            stack_id=stack_id,
            logical_resource_id=logical_resource_id,
            request_id=request_id,
            job_type=job_type.stem,
            request=parsed.request,
            rerun_token=parsed.rerun_token,
        ),
    )
    params = _Walker(problems).walk(operation.input_shape, request, "Request")
    if problems:
        raise RequestValidationError(problems)
    return StartRequest(
        job_type=job_type, operation=job_type.start_operation, params=params, job_key=key
    )


def _add_key_tag(request: dict[str, Any], key: str, problems: list[str]) -> None:
    """Append ``JOB_KEY_TAG`` to the request's Tags (a copy), refusing a request that
    sets it or leaves it no room under Comprehend's 50 tags."""
    tags = request.get("Tags", [])
    if not isinstance(tags, list):
        return  # The walker reports it.
    if JOB_KEY_TAG in request_tags(request):
        problems.append(
            f"Request.Tags: the key {JOB_KEY_TAG!r} is reserved: the handler sets it to find "
            "the job again; remove it"
        )
    if len(tags) > MAX_REQUEST_TAGS:
        problems.append(
            f"Request.Tags has {len(tags)} tags: at most {MAX_REQUEST_TAGS} (Comprehend allows "
            f"50 per job and the handler adds {JOB_KEY_TAG!r})"
        )
    request["Tags"] = [*tags, {"Key": JOB_KEY_TAG, "Value": key}]
