"""The rules a job's props must pass, each a named function.

Every job construct and every construct that composes one (``ComprehendAnalysis``) checks
with these rules before it creates anything: each rule records its problems in a
``Problems`` and the caller raises them all at once. Passing them yields a frozen
``CheckedJobProps`` (``checked_job``), the one value a job builds from; handing it over
means no rule runs twice for one construction. The API's limits come from botocore's model
(``job_limits``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any

from aws_cdk import Stack, Token
from constructs import Construct

from comprehend_jobs._private import api_model, document_rules, job_limits
from comprehend_jobs._private.checked_job import CheckedJobProps, ModelSource
from comprehend_jobs._private.tag_rules import check_tags
from comprehend_jobs._private.validation import Problems, is_unresolved
from comprehend_jobs.input_options import DocumentReader, InputFormat
from comprehend_jobs.interfaces import (
    IDataAccessRole,
    IJobEncryption,
    IJobNetwork,
    IJobStorage,
)
from comprehend_jobs.job_types import JobType

#: The model-source field -> the botocore shape that constrains it.
MODEL_SHAPES = {
    "EntityRecognizerArn": "EntityRecognizerArn",
    "DocumentClassifierArn": "DocumentClassifierArn",
    "FlywheelArn": "ComprehendFlywheelArn",
}
_ARN_REGION = re.compile(r"^arn:[^:]+:comprehend:([^:]*):")
#: A Comprehend model ARN's resource type, whatever the rest of it looks like.
_ARN_KIND = re.compile(r"^arn:[^:]*:comprehend:[^:]*:[^:]*:([a-z-]+)/")
#: Model resource type -> the API field that takes it, and how people call it.
_MODEL_KINDS = {
    "entity-recognizer": ("EntityRecognizerArn", "an entity-recognizer ARN"),
    "document-classifier": ("DocumentClassifierArn", "a document-classifier ARN"),
    "flywheel": ("FlywheelArn", "a flywheel ARN"),
}
#: API field -> the prop (and construct) to pass that kind of model to.
_MODEL_HOMES = {
    "EntityRecognizerArn": "EntityRecognitionJob(recognizer_arn=...) or "
    "ComprehendAnalysis(recognizer_arn=...)",
    "DocumentClassifierArn": "DocumentClassificationJob(classifier_arn=...) or "
    "ComprehendAnalysis(classifier_arn=...)",
    "FlywheelArn": "EntityRecognitionJob(flywheel_arn=...) or "
    "DocumentClassificationJob(flywheel_arn=...)",
}
#: What each model field looks like, for messages.
_ARN_EXAMPLES = {
    "EntityRecognizerArn": "an entity-recognizer ARN "
    "'arn:aws:comprehend:<region>:<account>:entity-recognizer/<name>[/version/<version>]'",
    "DocumentClassifierArn": "a document-classifier ARN "
    "'arn:aws:comprehend:<region>:<account>:document-classifier/<name>[/version/<version>]'",
    "FlywheelArn": "a flywheel ARN 'arn:aws:comprehend:<region>:<account>:flywheel/<name>'",
}


# -- the rules -----------------------------------------------------------------------------


def check_parts(
    problems: Problems,
    *,
    storage: object,
    role: object,
    encryption: object,
    network: object,
) -> None:
    """Record a problem for a missing storage or role, and for any part without its
    interface. (storage and role are keyword arguments with a default, so that leaving one
    out is a prop problem reported with the others, not Python's TypeError.)"""
    for prop, value, interface, fix in (
        (
            "storage",
            storage,
            IJobStorage,
            "pass storage=JobStorage(...) (buckets it makes, with input_documents=) or "
            "storage=JobStorage.from_s3_uris(...) (where your documents are)",
        ),
        (
            "role",
            role,
            IDataAccessRole,
            "pass role=DataAccessRole(...) or role=DataAccessRole.from_role_arn(...)",
        ),
        ("encryption", encryption, IJobEncryption, "pass a JobEncryption, or omit it"),
        ("network", network, IJobNetwork, "pass a JobNetwork, or omit it"),
    ):
        if value is None:
            if prop in ("storage", "role"):
                problems.add(prop, None, f"an {interface.__name__} (required)", fix)
        else:
            problems.check_interface(prop, value, interface, fix)


def check_model_source(
    problems: Problems, candidates: Mapping[str, tuple[str, str | None]]
) -> ModelSource | None:
    """The one model given among ``candidates`` (prop -> (API field, ARN)), with its ARN
    checked against the API's pattern; records a problem otherwise."""
    given = {prop: pair for prop, pair in candidates.items() if pair[1] is not None}
    names = " or ".join(candidates)
    if len(given) != 1:
        problems.add(
            names,
            {prop: pair[1] for prop, pair in given.items()} or None,
            f"exactly one model source: {names}",
            f"pass one of {names}" + (" and remove the others" if given else ""),
        )
        return None
    prop, (api_field, arn) = next(iter(given.items()))
    assert arn is not None
    if is_unresolved(arn):
        return ModelSource(api_field, arn, prop)
    if not isinstance(arn, str):
        problems.add(prop, arn, f"a {api_field} string", f"pass the model's ARN as {prop}=")
        return None
    if arn != arn.strip() and api_model.matches_shape(MODEL_SHAPES[api_field], arn.strip()):
        # Pasted whitespace would go verbatim into the request and the caller's policy.
        problems.add(
            prop,
            arn,
            f"{_ARN_EXAMPLES[api_field]} without surrounding spaces or line breaks",
            f"use {prop}={arn.strip()!r}",
        )
        return None
    if not api_model.matches_shape(MODEL_SHAPES[api_field], arn):
        problems.add(prop, arn, *model_arn_problem(prop, api_field, arn, candidates))
    return ModelSource(api_field, arn, prop)


def model_arn_problem(
    prop: str, api_field: str, arn: str, candidates: Mapping[str, tuple[str, str | None]]
) -> tuple[str, str]:
    """(allowed, fix) for a model ARN that does not match ``api_field``'s shape: the wrong
    kind of model names the right prop; anything else says what a model ARN looks like."""
    want = _ARN_EXAMPLES[api_field]
    kind = _ARN_KIND.match(arn)
    if kind and kind.group(1) in _MODEL_KINDS and _MODEL_KINDS[kind.group(1)][0] != api_field:
        other_field, what = _MODEL_KINDS[kind.group(1)]
        right = [p for p, (f, _) in candidates.items() if f == other_field]
        fix = f"use {right[0]}=" if right else f"use {_MODEL_HOMES[other_field]}"
        return (f"this is {what}, and {prop} takes {want}", fix)
    most = api_model.shape_metadata(MODEL_SHAPES[api_field]).get("max", len(arn))
    length = f" ({len(arn)} characters, at most {most})" if len(arn) > most else ""
    return (
        f"{want}{length}",
        "copy the ARN from the Comprehend console, or from aws comprehend "
        "list-entity-recognizers / list-document-classifiers / list-flywheels",
    )


def job_name_problem(name: str) -> tuple[str, str] | None:
    """(allowed, fix) when ``name`` is not a valid JobName, pointing at the bad
    characters or the length; None when it is valid."""
    punctuation, most = job_limits.job_name_punctuation(), job_limits.job_name_max()
    bad = sorted(
        {ch for ch in name if ch not in punctuation and unicodedata.category(ch)[0] not in "LZN"}
    )
    allowed = f"1-{most} characters: letters, numbers, spaces and {punctuation}"
    if bad:
        # Pasted line breaks and tabs around the name are dropped, not turned into '-'.
        cleaned = "".join("-" if ch in bad else ch for ch in name.strip())[:most] or "job"
        shown = " ".join(repr(ch) for ch in bad)
        return (
            f"{allowed}; these characters are not allowed: {shown}",
            f"use e.g. job_name={cleaned!r}",
        )
    if not name:
        return (f"{allowed}; it is empty", "omit job_name for a generated name")
    if len(name) > most:
        return (
            f"{allowed}; it has {len(name)} characters, {len(name) - most} too many",
            f"shorten it to {most}, e.g. job_name={name[:most]!r}",
        )
    return None


def check_network_allowed(problems: Problems, job_type: JobType, in_vpc: bool) -> None:
    """A network only for the types whose API has VpcConfig."""
    if in_vpc and not job_type.supports_vpc:
        problems.add(
            "network",
            "JobNetwork(...)",
            f"{job_type.stem} jobs cannot run in a VPC (the API has no VpcConfig)",
            "remove network=",
        )


def check_job_name(problems: Problems, job_name: str | None) -> None:
    """The API's JobName rule (tokens are not checked)."""
    if job_name is None or is_unresolved(job_name):
        return
    if not isinstance(job_name, str):
        problems.add("job_name", job_name, "a string", "pass job_name as a str")
    elif not api_model.is_valid_job_name(job_name):
        allowed, fix = job_name_problem(job_name) or (
            f"1-{job_limits.job_name_max()} characters",
            "fix it",
        )
        problems.add("job_name", job_name, allowed, fix)


def check_input_format(problems: Problems, input_format: str | None) -> None:
    """An ``InputFormat`` value, or None."""
    formats = [f.value for f in InputFormat]
    if input_format is not None and input_format not in formats:
        problems.add(
            "input_format",
            input_format,
            f"one of {', '.join(formats)}",
            "pass an InputFormat member",
        )


def check_document_reader(
    problems: Problems,
    job_type: JobType,
    document_reader: DocumentReader | None,
    input_format: str | None,
) -> None:
    """A document reader only for model-backed jobs, only with ONE_DOC_PER_FILE, and
    with options that go together."""
    if document_reader is None:
        return
    if not isinstance(document_reader, DocumentReader):
        problems.add(
            "document_reader",
            document_reader,
            "a DocumentReader",
            "pass document_reader=DocumentReader(read_action=DocumentReadAction."
            "TEXTRACT_DETECT_DOCUMENT_TEXT)",
        )
        return
    if not job_type.model_fields:
        problems.add(
            "document_reader",
            "DocumentReader(...)",
            "only custom classification and custom entity recognition jobs read "
            "PDF, Word and image documents",
            "remove document_reader=",
        )
    if input_format == InputFormat.ONE_DOC_PER_LINE.value:
        problems.add(
            "input_format",
            input_format,
            "ONE_DOC_PER_LINE is for plain text only; a document reader needs ONE_DOC_PER_FILE",
            "set input_format=InputFormat.ONE_DOC_PER_FILE",
        )
    elif input_format is None and job_type.model_fields:
        problems.add(
            "input_format",
            None,
            "a document reader needs input_format=ONE_DOC_PER_FILE: without it the "
            "service reads one document per line, which the reader rejects",
            "pass input_format=InputFormat.ONE_DOC_PER_FILE",
        )
    document_reader.check(problems)


def check_language(problems: Problems, job_type: JobType, language_code: str | None) -> None:
    """A language the job type supports, for the types that take one."""
    if (
        job_type.takes_language
        and language_code not in job_type.languages
        and not is_unresolved(language_code)
    ):
        problems.add(
            "language_code",
            language_code,
            f"{job_type.stem} jobs support {', '.join(job_type.languages)}",
            "pass one of those codes",
        )


def _arn_region(arn: object) -> str | None:
    """The Region a model ARN names, or None (a token, or no Region in it)."""
    if not isinstance(arn, str) or is_unresolved(arn):
        return None
    match = _ARN_REGION.match(arn)
    return match.group(1) if match and match.group(1) else None


def check_same_region(problems: Problems, model_source: ModelSource, scope: Construct) -> None:
    """A model of the stack's Region (Comprehend runs a job only with a model of its own
    Region); unknown until deploy in an env-agnostic stack, which gets a warning instead."""
    model_region = _arn_region(model_source.arn)
    region = Stack.of(scope).region
    if model_region and not Token.is_unresolved(region) and model_region != region:
        problems.add(
            model_source.prop,
            model_source.arn,
            f"a model in the stack's Region ({region}); this one is in {model_region} "
            "(Comprehend runs a job only with a model of its own Region)",
            f"use a model trained in {region}, or deploy the stack to {model_region} "
            f"(env=Environment(region={model_region!r}))",
        )


#: The account of an IAM role ARN.
_ROLE_ACCOUNT = re.compile(r"^arn:[^:]+:iam::(\d{12}):role/")


def check_role_account(problems: Problems, role: object, scope: Construct) -> None:
    """A role of the stack's account: the job handler passes the role to Comprehend, and
    iam:PassRole passes only roles of the caller's own account."""
    try:
        arn = role.role_arn  # type: ignore[attr-defined]
    except Exception:  # not a role: check_parts reports it
        return
    account = Stack.of(scope).account
    match = _ROLE_ACCOUNT.match(arn) if isinstance(arn, str) else None
    if match is None or Token.is_unresolved(account) or match.group(1) == account:
        return
    problems.add(
        "role",
        arn,
        f"a role of account {account}, the stack's; this one is of account "
        f"{match.group(1)} (iam:PassRole passes only roles of the caller's own account)",
        f"use a role of account {account} (DataAccessRole(...) makes one), or deploy the "
        f"stack to account {match.group(1)}",
    )


#: The account of a Comprehend ARN.
_ARN_ACCOUNT = re.compile(r"^arn:[^:]+:comprehend:[^:]*:(\d{12}):")


def check_same_account(problems: Problems, model_source: ModelSource, scope: Construct) -> None:
    """A model of the stack's account: Start*Job runs only a model of the caller's account;
    another account's model is shared by importing it (ImportModel makes a copy here).
    Unknown until deploy in an account-agnostic stack, which is not checked."""
    arn = model_source.arn
    account = Stack.of(scope).account
    match = _ARN_ACCOUNT.match(arn) if isinstance(arn, str) else None
    if match is None or Token.is_unresolved(account) or match.group(1) == account:
        return
    kind = arn.split(":", 5)[5].split("/", 1)[0]
    problems.add(
        model_source.prop,
        arn,
        f"a model of the stack's account ({account}); this one is of account "
        f"{match.group(1)} (a job runs only a model of its own account)",
        f"import it into {account} first (aws comprehend import-model --source-model-arn "
        f"{arn}, after its owner allows that in the model's resource policy), then use the "
        f"imported model's ARN, arn:aws:comprehend:REGION:{account}:{kind}/NAME",
    )


def model_region_warning(model_source: ModelSource | None, scope: Construct) -> str | None:
    """The synth warning for an env-agnostic stack's job on a model of one Region (the
    stack works only when deployed there), or None."""
    model_region = None if model_source is None else _arn_region(model_source.arn)
    if model_source is None or model_region is None:
        return None
    if not Token.is_unresolved(Stack.of(scope).region):
        return None
    return (
        f"{model_source.prop} names a model in {model_region}, and this stack is env-agnostic: "
        f"it must be deployed to {model_region} (Comprehend runs a job only with a model of "
        f"its own Region), or the job fails to start. Fix: give the stack "
        f"env=Environment(region={model_region!r}) so synth checks it, or acknowledge this "
        "warning."
    )


def closed_job_type_warning(job_type: JobType) -> str | None:
    """The synth warning for a job type closed to new customers (the job-type table's
    ``closed_to_new_customers``), or None."""
    if not job_type.closed_to_new_customers:
        return None
    return (
        f"{job_type.start_operation} is closed to new customers since 30 April 2026: "
        "only accounts that used it in the previous 12 months can start it, so in "
        "any other account this job fails to start and the deployment fails. "
        "Acknowledge this warning if the account still has access."
    )


def check_job_props(
    problems: Problems,
    *,
    job_type: JobType,
    scope: Construct,
    in_vpc: bool,
    job_name: str | None = None,
    tags: Mapping[str, str] | None = None,
    input_format: InputFormat | str | None = None,
    document_reader: DocumentReader | None = None,
    language_code: str | None = None,
    model_source: ModelSource | None = None,
    stop_on_delete: bool = True,
    wait_for_completion: bool = False,
    rerun_token: str | None = None,
    type_fields: Mapping[str, Any] | None = None,
) -> CheckedJobProps:
    """Record every problem with the props all job types share, and return them as the job
    builds them (valid once ``problems`` raised nothing). Used by the job constructs and by
    composing constructs, which must check before creating anything. ``stop_on_delete``
    and ``wait_for_completion`` are not checked here: a job checks them with
    ``check_flags``, a composing construct with its own props."""
    if isinstance(input_format, Enum):
        input_format = input_format.value
    check_network_allowed(problems, job_type, in_vpc)
    check_job_name(problems, job_name)
    check_tags(problems, tags)
    check_input_format(problems, input_format)
    check_document_reader(problems, job_type, document_reader, input_format)
    check_language(problems, job_type, language_code)
    if model_source is not None:
        check_same_region(problems, model_source, scope)
        check_same_account(problems, model_source, scope)
    return CheckedJobProps(
        job_type=job_type,
        in_vpc=in_vpc,
        job_name=job_name,
        tags=tags,
        input_format=input_format,
        document_reader=document_reader,
        language_code=language_code,
        model_source=model_source,
        stop_on_delete=stop_on_delete,
        wait_for_completion=wait_for_completion,
        rerun_token=rerun_token,
        type_fields=dict(type_fields or {}),
        model_region_warning=model_region_warning(model_source, scope),
        closed_job_type_warning=closed_job_type_warning(job_type),
    )


def check_flags(problems: Problems, *, stop_on_delete: object, wait_for_completion: object) -> None:
    """``stop_on_delete`` and ``wait_for_completion`` are bools (a string such as
    ``"no"`` is truthy)."""
    problems.check_bool("stop_on_delete", stop_on_delete)
    problems.check_bool("wait_for_completion", wait_for_completion)


def check_job(
    problems: Problems,
    *,
    job_type: JobType,
    scope: Construct,
    storage: IJobStorage | None = None,
    role: IDataAccessRole | None = None,
    encryption: IJobEncryption | None = None,
    network: IJobNetwork | None = None,
    job_name: str | None = None,
    tags: Mapping[str, str] | None = None,
    stop_on_delete: bool = True,
    wait_for_completion: bool = False,
    rerun_token: str | None = None,
    input_format: InputFormat | str | None = None,
    document_reader: DocumentReader | None = None,
    language_code: str | None = None,
    model_source: ModelSource | None = None,
    type_fields: Mapping[str, Any] | None = None,
) -> CheckedJobProps:
    """Every rule of one job construct (its parts, the shared props, its flags), after
    any the job type checked into ``problems`` first; raises them all together.

    The defaults are the job constructs' (``JobProps``)."""
    check_parts(problems, storage=storage, role=role, encryption=encryption, network=network)
    check_role_account(problems, role, scope)
    checked = check_job_props(
        problems,
        job_type=job_type,
        scope=scope,
        in_vpc=network is not None,
        job_name=job_name,
        tags=tags,
        input_format=input_format,
        document_reader=document_reader,
        language_code=language_code,
        model_source=model_source,
        stop_on_delete=stop_on_delete,
        wait_for_completion=wait_for_completion,
        rerun_token=rerun_token,
        type_fields=type_fields,
    )
    check_flags(problems, stop_on_delete=stop_on_delete, wait_for_completion=wait_for_completion)
    reading = document_rules.reading_format(input_format)
    if storage is not None and reading is not None:
        # The local folders the storage uploads, against this job type's limits (the
        # pattern checks its own documents the same way; a folder added after the job is
        # checked by the storage against the jobs that read it).
        document_rules.check_storage_documents(problems, storage, job_type.stem, reading)
    problems.raise_if_any()
    return checked


# -- the built-in types' own props -------------------------------------------------------


def check_number_of_topics(problems: Problems, number_of_topics: int | None) -> None:
    """A whole number within the API's NumberOfTopics range, or None."""
    if number_of_topics is None:
        return
    limits = job_limits.topics_limits()
    low, high = limits.get("min", 1), limits.get("max")
    if (
        isinstance(number_of_topics, bool)
        or not isinstance(number_of_topics, int)
        or number_of_topics < low
        or (high is not None and number_of_topics > high)
    ):
        problems.add(
            "number_of_topics",
            number_of_topics,
            f"a whole number from {low} to {high} (the API's NumberOfTopics)",
            "pass e.g. number_of_topics=10, or omit it for the service's 10",
        )


def check_target_event_types(problems: Problems, target_event_types: Sequence[str] | None) -> None:
    """At least one event type, each an EventTypeString (tokens are not checked)."""
    if isinstance(target_event_types, str) and not is_unresolved(target_event_types):
        # A string would be checked letter by letter: one problem, with the list meant.
        meant = [t.strip() for t in target_event_types.split(",") if t.strip()]
        problems.add(
            "target_event_types",
            target_event_types,
            "a list of event types, not a string",
            f"use target_event_types={meant!r}",
        )
        return
    if target_event_types is not None and not isinstance(
        target_event_types, list | tuple | set | frozenset
    ):
        problems.add(
            "target_event_types",
            target_event_types,
            "a list of event types",
            'pass e.g. target_event_types=["BANKRUPTCY"]',
        )
        return
    if not target_event_types or len(target_event_types) < job_limits.event_types_limits().get(
        "min", 1
    ):
        problems.add(
            "target_event_types",
            target_event_types,
            "at least one event type",
            'pass e.g. target_event_types=["BANKRUPTCY"]',
        )
    shape = job_limits.event_type_shape()
    for event_type in target_event_types or []:
        if is_unresolved(event_type):
            continue
        if not isinstance(event_type, str) or not api_model.matches_shape(shape, event_type):
            limits = api_model.shape_metadata(shape)
            problems.add(
                "target_event_types",
                event_type,
                f"names of {limits.get('min', 1)}-{limits.get('max')} characters matching "
                f"{limits.get('pattern')} (the API's EventTypeString)",
                'use the API\'s event type names, e.g. "BANKRUPTCY"',
            )


def check_pii_mode(
    problems: Problems, mode: str, modes: Sequence[str], *, has_redaction: bool
) -> None:
    """One of ``modes`` (``PiiMode``'s values); a redaction exactly with ONLY_REDACTION."""
    if mode not in modes:
        problems.add("mode", mode, f"one of {', '.join(modes)}", "pass a PiiMode member")
    if mode == "ONLY_REDACTION" and not has_redaction:
        problems.add(
            "redaction",
            None,
            "required when mode is ONLY_REDACTION",
            "pass redaction=PiiRedaction(...)",
        )
    if mode == "ONLY_OFFSETS" and has_redaction:
        problems.add(
            "redaction",
            "PiiRedaction(...)",
            "only allowed with mode ONLY_REDACTION",
            "remove redaction= or set mode=PiiMode.ONLY_REDACTION",
        )
