"""The console's fields as context keys: ``-c KEY=VALUE`` in, the console's two flows out.

Each field of the console's two custom flows (*custom entity recognition*, *custom
classification*) is a context key (``-c KEY=VALUE``, or ``cdk.json``); ``CONTEXT_KEYS``
documents each. ``read_config`` checks them all before anything is built and returns a
typed ``ConsoleConfig``; every problem is a ``ContextError`` naming the key, the value and
its form (an unknown key names the closest known one). ``build_flows`` makes the stack of
each flow in ``FLOWS`` that has a model, or both on placeholder models that a
CloudFormation rule refuses to deploy::

    app = project_app(HERE)
    build_flows(app, read_config(app.node), project_dir=HERE)
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import aws_cdk as cdk
from constructs import Node

from comprehend_jobs._private.console_flow import add_flow
from comprehend_jobs._private.console_rules import (
    as_context_problems,
    bundling,
    model_region_problem,
)
from comprehend_jobs.errors import PropValidationError
from comprehend_jobs.input_options import (
    DocumentFeatureType,
    DocumentReadAction,
    DocumentReader,
    DocumentReadMode,
    InputFormat,
)

__all__ = [
    "CONTEXT_KEYS",
    "FLOWS",
    "ConsoleConfig",
    "ContextError",
    "ContextKey",
    "Flow",
    "build_flows",
    "check_keys",
    "flow_stack",
    "project_app",
    "read_config",
]


@dataclass(frozen=True)
class ContextKey:
    """One context key: the form its value takes and what leaving it out does."""

    #: The value's form, as the README's table and every error about the key show it.
    form: str
    #: What leaving the key out does.
    default: str


#: Every context key the console reads (the README's table shows the same).
CONTEXT_KEYS: dict[str, ContextKey] = {
    "recognizer_arn": ContextKey(
        "entity recognizer ARN, arn:aws:comprehend:REGION:ACCOUNT:entity-recognizer/NAME"
        "[/version/V]",
        "no entity recognition stack",
    ),
    "classifier_arn": ContextKey(
        "document classifier ARN, arn:aws:comprehend:REGION:ACCOUNT:document-classifier/NAME"
        "[/version/V]",
        "no classification stack",
    ),
    "flywheel_arn": ContextKey(
        "flywheel ARN, arn:aws:comprehend:REGION:ACCOUNT:flywheel/NAME (with "
        "flywheel_model_type): its active model version runs in the flow of its model type",
        "no flywheel",
    ),
    "flywheel_model_type": ContextKey(
        "ENTITY_RECOGNIZER or DOCUMENT_CLASSIFIER, the flywheel's ModelType (with flywheel_arn)",
        "none (required with flywheel_arn)",
    ),
    "example_models": ContextKey(
        "true or false",
        "false: without a model ARN the synthesis fails (true: both flows on placeholder "
        "models that cannot be deployed)",
    ),
    "input_s3_uri": ContextKey(
        "s3://BUCKET/PREFIX/ of your documents, or s3://BUCKET/KEY.EXT of one file",
        "a new input bucket, filled from input_documents",
    ),
    "output_s3_uri": ContextKey("s3://BUCKET/PREFIX/ for the results", "a new output bucket"),
    "input_documents": ContextKey(
        "a local folder (relative to app.py) uploaded to the input location before the job",
        "samples/entity-recognition or samples/classification when the app makes the input "
        "bucket; nothing with input_s3_uri",
    ),
    "input_format": ContextKey("ONE_DOC_PER_FILE or ONE_DOC_PER_LINE", "ONE_DOC_PER_FILE"),
    "document_read_action": ContextKey(
        "TEXTRACT_DETECT_DOCUMENT_TEXT or TEXTRACT_ANALYZE_DOCUMENT",
        "no document reader (Comprehend's defaults for PDF, Word and images)",
    ),
    "document_read_mode": ContextKey(
        "SERVICE_DEFAULT or FORCE_DOCUMENT_READ_ACTION (needs document_read_action)",
        "the service's default",
    ),
    "feature_types": ContextKey(
        "TABLES and/or FORMS, a JSON list or comma-separated (with TEXTRACT_ANALYZE_DOCUMENT)",
        "none",
    ),
    "volume_kms_key_id": ContextKey(
        "a KMS key ID (this account) or key ARN (any account)", "a new key (rotation on)"
    ),
    "output_kms_key_id": ContextKey(
        "a KMS key ID, alias/NAME, key ARN or alias ARN", "a new key (rotation on)"
    ),
    "input_kms_key_id": ContextKey(
        "the KMS key of the SSE-KMS objects at input_s3_uri: a key ID, alias/NAME, key ARN "
        "or alias ARN (with input_s3_uri)",
        "none (the input objects use no customer managed key)",
    ),
    "encryption": ContextKey("true or false", "true (false: no job keys are made or sent)"),
    "subnet_ids": ContextKey(
        "1-16 subnet IDs, a JSON list or comma-separated (with security_group_ids)",
        "a new VPC with isolated subnets and an S3 gateway endpoint",
    ),
    "security_group_ids": ContextKey(
        "1-5 security group IDs, a JSON list or comma-separated (with subnet_ids)",
        "a new security group",
    ),
    "vpc": ContextKey("true or false", "true (false: the job runs outside any VPC)"),
    "subnets_reach_s3": ContextKey(
        "true or false (with subnet_ids): true vouches that the subnets' route tables reach "
        "S3 (an S3 gateway endpoint or a NAT gateway route)",
        "false: the synthesis warns comprehend-jobs:s3-route (their routes cannot be "
        "checked at synth)",
    ),
    "job_name": ContextKey(
        "1-256 letters, numbers, spaces and _.:/=+-%@ (with both flows, -entities and "
        "-classification are appended)",
        "derived from the stack and the resource, unique per start",
    ),
    "tags": ContextKey('a JSON object, e.g. {"team": "claims"}', "no tags"),
    "wait_for_completion": ContextKey(
        "true or false", "false (true: the deploy waits up to an hour for the job)"
    ),
    "rerun_token": ContextKey("any text; change it to start the job again", "none"),
}
#: Context keys of the app's own are snake_case; CDK's carry "@", ":", "-" or "/".
_OWN_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
#: What every context error ends with, so the fix is always at hand.
_HOW = "Set it with -c KEY=VALUE (or in cdk.json); the README lists every key."
#: The CDK CLI runs the app with the context in this variable.
_CLI_CONTEXT = "CDK_CONTEXT_JSON"
#: Why a synth, diff or deploy without a model stops, and what to set.
_NO_MODEL = (
    "no model to run: set -c recognizer_arn=arn:aws:comprehend:REGION:ACCOUNT:"
    "entity-recognizer/NAME and/or -c classifier_arn=arn:aws:comprehend:REGION:"
    "ACCOUNT:document-classifier/NAME, or -c flywheel_arn=arn:aws:comprehend:REGION:"
    "ACCOUNT:flywheel/NAME with -c flywheel_model_type=ENTITY_RECOGNIZER or "
    "DOCUMENT_CLASSIFIER (-c example_models=true synthesizes placeholders, which "
    "cannot be deployed)."
)


class ContextError(ValueError):
    """A context key is unknown, missing or has the wrong form (the message says which)."""


@dataclass(frozen=True)
class Flow:
    """One of the console's two custom flows, and the stack the console makes for it."""

    #: The stack's name (and construct ID).
    stack_name: str
    #: The ID of the flow's ``ComprehendAnalysis`` in its stack.
    construct_id: str
    #: The context key of the flow's model (``recognizer_arn`` or ``classifier_arn``).
    model_key: str
    #: The documents uploaded when the flow makes its input bucket and no
    #: ``input_documents`` is given (relative to the project directory).
    samples: str
    #: Appended to ``job_name`` (``NAME-SUFFIX``) when both flows run.
    job_suffix: str
    #: The model type of a flywheel that runs in this flow (the API's ``ModelType``).
    flywheel_model_type: Literal["ENTITY_RECOGNIZER", "DOCUMENT_CLASSIFIER"]


#: The console's two custom flows, in the order their stacks are made.
FLOWS = (
    Flow(
        "ComprehendEntityRecognition",
        "Entities",
        "recognizer_arn",
        "samples/entity-recognition",
        "entities",
        "ENTITY_RECOGNIZER",
    ),
    Flow(
        "ComprehendClassification",
        "Classification",
        "classifier_arn",
        "samples/classification",
        "classification",
        "DOCUMENT_CLASSIFIER",
    ),
)


@dataclass(frozen=True)
class ConsoleConfig:
    """The console's fields, read from context and checked (``None``: the key's default,
    as ``CONTEXT_KEYS`` describes it)."""

    #: A flow's model key (``recognizer_arn``, ``classifier_arn``) -> its model's ARN.
    #: Default: no flow has a model.
    models: dict[str, str]
    #: A flow's model key -> the flywheel that runs in that flow instead of a model.
    #: Default: no flywheel.
    flywheels: dict[str, str]
    #: True when neither a model nor a flywheel is given: both flows run on placeholders.
    example_models: bool
    #: Where the job reads its documents. Default: a new input bucket.
    input_s3_uri: str | None
    #: Where the job writes its results. Default: a new output bucket.
    output_s3_uri: str | None
    #: A local folder uploaded to the input location before the job. Default: the flow's
    #: samples when the flow makes its input bucket, nothing otherwise.
    input_documents: str | None
    #: ``ONE_DOC_PER_FILE`` or ``ONE_DOC_PER_LINE``. Default: ``ONE_DOC_PER_FILE``.
    input_format: str
    #: The Textract options. Default: none (Comprehend's defaults).
    document_reader: DocumentReader | None
    #: The job's volume key. Default: a new key (with ``encryption``).
    volume_kms_key_id: str | None
    #: The job's output key. Default: a new key (with ``encryption``).
    output_kms_key_id: str | None
    #: The key of the SSE-KMS objects at ``input_s3_uri``. Default: none.
    input_kms_key_id: str | None
    #: Whether the job gets keys at all. Default: True.
    encryption: bool
    #: The job's subnets (with ``security_group_ids``). Default: a new VPC.
    subnet_ids: list[str] | None
    #: The job's security groups (with ``subnet_ids``). Default: a new security group.
    security_group_ids: list[str] | None
    #: Whether the job runs in a VPC. Default: True.
    vpc: bool
    #: The job's name. Default: derived from the stack and the resource.
    job_name: str | None
    #: The job's tags. Default: none.
    tags: dict[str, str] | None
    #: Whether the deployment waits for the job. Default: False.
    wait_for_completion: bool
    #: Change it to start the job again. Default: none.
    rerun_token: str | None
    #: Whether the user vouches that ``subnet_ids`` reach S3 (no ``s3-route`` warning).
    #: Default: False.
    subnets_reach_s3: bool = False
    #: True when the CDK CLI runs the app only for its stacks' names and environments
    #: (bootstrap, ls, destroy) and no model is set: the flows' stacks are made empty.
    #: Default: False.
    names_only: bool = False


def _error(key: str, value: Any, extra: str = "") -> ContextError:
    spec = CONTEXT_KEYS[key]
    return ContextError(
        f"context key {key!r}={value!r} is not valid: expected {spec.form}{extra}. {_HOW}"
    )


def _flag(key: str, value: Any) -> bool:
    # `-c vpc=false` arrives as the string "false"; cdk.json gives a JSON boolean.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise _error(key, value)


def _text(key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _error(key, value)
    return value.strip()


def _list(key: str, value: Any) -> list[str]:
    """A JSON list, or a comma-separated string."""
    items = value
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                items = json.loads(text)
            except json.JSONDecodeError:
                raise _error(key, value, " (that JSON list does not parse)") from None
        else:
            items = [part.strip() for part in text.split(",") if part.strip()]
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise _error(key, value)
    return [i.strip() for i in items]


def _choice(key: str, value: Any, allowed: list[str]) -> str:
    text = _text(key, value)
    if text not in allowed:
        raise _error(key, value)
    return text


def _tags(value: Any) -> dict[str, str]:
    tags = value
    if isinstance(value, str):
        try:
            tags = json.loads(value)
        except json.JSONDecodeError:
            raise _error("tags", value, " (that JSON does not parse)") from None
    if not isinstance(tags, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
    ):
        # Numbers or null as values: the fix is the same object with them as strings.
        meant = (
            {str(k): "" if v is None else str(v) for k, v in tags.items()}
            if isinstance(tags, dict) and all(not isinstance(v, dict | list) for v in tags.values())
            else None
        )
        extra = f"; use -c tags='{json.dumps(meant)}'" if meant else ""
        raise _error("tags", value, f" with string keys and values{extra}")
    return dict(tags)


def check_keys(context: dict[str, Any]) -> None:
    """Raise ``ContextError`` for the first unknown key of the app's own in ``context``,
    naming the closest known key. CDK's own keys (with ``@``, ``:``, ``-`` or ``/``) are
    not checked."""
    for key in sorted(context):
        if not _OWN_KEY.match(key) or key in CONTEXT_KEYS:
            continue
        close = difflib.get_close_matches(key, list(CONTEXT_KEYS), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "see the README's table of keys."
        raise ContextError(f"unknown context key {key!r}: {hint} {_HOW}")


def read_config(node: Node, *, under_cli: bool | None = None) -> ConsoleConfig:
    """Read and check every context key of ``node`` (its context merged with its scopes',
    nearest wins); the first problem raises one ``ContextError`` naming the key and form.

    :param node: the node whose context is read, usually ``app.node``.
    :param under_cli: whether the app runs under the CDK CLI, where a synthesis without a
        model ARN (and without ``example_models=true``) fails naming the keys to set.
        Default: whether the CLI's context variable (``CDK_CONTEXT_JSON``) is set; outside
        the CLI (tests, benchmarks) the flows run on placeholder models.
    """
    # Fetched once, not one jsii round trip per key.
    context = dict(node.get_all_context())
    check_keys(context)

    def get(key: str) -> Any:
        value = context.get(key)
        return None if value is None or value == "" else value

    def optional_text(key: str) -> str | None:
        value = get(key)
        return None if value is None else _text(key, value)

    models = {
        flow.model_key: _text(flow.model_key, get(flow.model_key))
        for flow in FLOWS
        if get(flow.model_key) is not None
    }
    flywheels = _flywheels(get("flywheel_arn"), get("flywheel_model_type"), models)
    example = _flag("example_models", get("example_models") or False)
    if under_cli is None:
        under_cli = _CLI_CONTEXT in os.environ
    names_only = not models and not flywheels and not example and under_cli
    if names_only:
        if bundling(context):
            raise ContextError(_NO_MODEL)
        # `cdk bootstrap` (and ls, destroy) run the app only for its stacks' names and
        # environments, with no model set: empty stacks answer that (no lookups, no
        # cdk.context.json), and have nothing to deploy.
        print(
            f"note: {_NO_MODEL.replace('no model to run: set', 'no model set; to deploy, set')}"
            " The stacks listed are empty: enough for cdk bootstrap, ls and destroy.",
            file=sys.stderr,
        )
    reader = _document_reader(get)
    subnets = get("subnet_ids")
    groups = get("security_group_ids")
    if (subnets is None) != (groups is None):
        missing = "security_group_ids" if groups is None else "subnet_ids"
        raise ContextError(
            f"context key {missing!r} is missing: a job's VpcConfig needs both. {_HOW}"
        )
    vpc = _flag("vpc", True if get("vpc") is None else get("vpc"))
    reach_s3 = _flag("subnets_reach_s3", get("subnets_reach_s3") or False)
    if reach_s3 and subnets is None:
        raise _error("subnets_reach_s3", get("subnets_reach_s3"), "; it needs subnet_ids too")
    for key in ("subnet_ids", "security_group_ids", "subnets_reach_s3"):
        if not vpc and get(key) is not None:
            raise _error(key, get(key), "; with vpc=false the job runs outside any VPC: drop one")
    encryption = _flag("encryption", True if get("encryption") is None else get("encryption"))
    for key in ("volume_kms_key_id", "output_kms_key_id"):
        if not encryption and get(key) is not None:
            raise _error(key, get(key), "; with encryption=false no job key is sent: drop one")
    if get("input_kms_key_id") is not None and get("input_s3_uri") is None:
        raise _error(
            "input_kms_key_id",
            get("input_kms_key_id"),
            "; it is the key of your objects at input_s3_uri (the input bucket the app "
            "makes has a key of its own): set -c input_s3_uri=s3://BUCKET/PREFIX/ or drop it",
        )
    tags = get("tags")
    return ConsoleConfig(
        models=models,
        flywheels=flywheels,
        example_models=not models and not flywheels,
        input_s3_uri=optional_text("input_s3_uri"),
        output_s3_uri=optional_text("output_s3_uri"),
        input_documents=optional_text("input_documents"),
        input_format=_choice(
            "input_format",
            get("input_format") or "ONE_DOC_PER_FILE",
            [f.value for f in InputFormat],
        ),
        document_reader=reader,
        volume_kms_key_id=optional_text("volume_kms_key_id"),
        output_kms_key_id=optional_text("output_kms_key_id"),
        input_kms_key_id=optional_text("input_kms_key_id"),
        encryption=encryption,
        subnet_ids=None if subnets is None else _list("subnet_ids", subnets),
        security_group_ids=None if groups is None else _list("security_group_ids", groups),
        vpc=vpc,
        job_name=optional_text("job_name"),
        tags=None if tags is None else _tags(tags),
        wait_for_completion=_flag("wait_for_completion", get("wait_for_completion") or False),
        rerun_token=None if get("rerun_token") is None else str(get("rerun_token")),
        subnets_reach_s3=reach_s3,
        names_only=names_only,
    )


def _document_reader(get: Any) -> DocumentReader | None:
    """The Textract options, or None without ``document_read_action`` (whose companions
    then must be left out too)."""
    action = get("document_read_action")
    if action is None:
        for key in ("document_read_mode", "feature_types"):
            if get(key) is not None:
                raise _error(key, get(key), "; it needs document_read_action too")
        return None
    mode = get("document_read_mode")
    features = get("feature_types")
    return DocumentReader(
        read_action=DocumentReadAction(
            _choice("document_read_action", action, [a.value for a in DocumentReadAction])
        ),
        read_mode=None
        if mode is None
        else DocumentReadMode(
            _choice("document_read_mode", mode, [m.value for m in DocumentReadMode])
        ),
        feature_types=None
        if features is None
        else [
            DocumentFeatureType(_choice("feature_types", f, [t.value for t in DocumentFeatureType]))
            for f in _list("feature_types", features)
        ],
    )


def _flywheels(arn: Any, model_type: Any, models: dict[str, str]) -> dict[str, str]:
    """The flow a flywheel runs in (its model key -> the flywheel's ARN): the one of its
    model type, which the ARN does not say."""
    types: dict[str, Flow] = {flow.flywheel_model_type: flow for flow in FLOWS}
    if arn is None:
        if model_type is not None:
            raise _error("flywheel_model_type", model_type, "; it needs flywheel_arn too")
        return {}
    if model_type is None:
        raise ContextError(
            "context key 'flywheel_model_type' is missing: a flywheel ARN does not say "
            "whether it trains a recognizer or a classifier; set -c flywheel_model_type="
            f"ENTITY_RECOGNIZER or DOCUMENT_CLASSIFIER (the flywheel's ModelType). {_HOW}"
        )
    flow = types[_choice("flywheel_model_type", model_type, list(types))]
    if flow.model_key in models:
        raise ContextError(
            f"context keys {flow.model_key!r} and 'flywheel_arn' both name the model of "
            f"{flow.stack_name}: one flow runs one model; drop one of them. {_HOW}"
        )
    return {flow.model_key: _text("flywheel_arn", arn)}


def project_app(project_dir: str | Path) -> cdk.App:
    """An App with the project's context: the CDK CLI passes it in the environment; a plain
    ``python app.py`` reads ``cdk.json`` itself, so both synthesize the same stacks.

    :param project_dir: the directory that holds the project's ``cdk.json``.
    """
    if _CLI_CONTEXT in os.environ:
        return cdk.App()
    return cdk.App(context=json.loads((Path(project_dir) / "cdk.json").read_text())["context"])


def flow_stack(
    app: cdk.App,
    config: ConsoleConfig,
    flow: Flow,
    *,
    project_dir: str | Path,
    env: cdk.Environment | None = None,
) -> cdk.Stack:
    """The stack of one flow (``flow.stack_name``): its ``ComprehendAnalysis``
    (``flow.construct_id``) configured by ``config``, and the outputs ``JobArn``,
    ``InputS3Uri`` and ``OutputS3Uri``. A construct's invalid props raise ``ContextError``
    naming the stack.

    :param app: the App the stack is made in.
    :param config: the console's fields, from ``read_config``.
    :param flow: the flow, one of ``FLOWS``.
    :param project_dir: the directory ``input_documents`` and the flow's samples are
        relative to.
    :param env: where the stack deploys. Default: the CDK CLI's account and Region
        (``CDK_DEFAULT_ACCOUNT``, ``CDK_DEFAULT_REGION``), or environment-agnostic.
    """
    if env is None:
        env = cdk.Environment(
            account=os.environ.get("CDK_DEFAULT_ACCOUNT"),
            region=os.environ.get("CDK_DEFAULT_REGION"),
        )
        # The CLI's Region comes from the shell or the profile: say how to change those.
        for key, arn in _flow_models(config, flow):
            problem = model_region_problem(key, arn, env.region)
            if problem:
                raise ContextError(f"{flow.stack_name}: {problem}. {_HOW}")
    stack = cdk.Stack(
        app,
        flow.stack_name,
        env=env,
        description=f"comprehend-jobs example: {flow.construct_id.lower()} job",
    )
    if config.names_only:
        return stack
    try:
        add_flow(stack, config, flow, Path(project_dir))
    except PropValidationError as error:
        problems = as_context_problems(error)
        if problems is None:
            raise ContextError(f"{flow.stack_name}: {error}") from None
        listed = problems[0] if len(problems) == 1 else "\n  - " + "\n  - ".join(problems)
        raise ContextError(f"{flow.stack_name}: {listed}. {_HOW}") from None
    return stack


def _flow_models(config: ConsoleConfig, flow: Flow) -> list[tuple[str, str]]:
    """The context key and ARN of the model or flywheel ``flow`` runs, if any."""
    if flow.model_key in config.models:
        return [(flow.model_key, config.models[flow.model_key])]
    if flow.model_key in config.flywheels:
        return [("flywheel_arn", config.flywheels[flow.model_key])]
    return []


def build_flows(
    app: cdk.App,
    config: ConsoleConfig,
    *,
    project_dir: str | Path,
    env: cdk.Environment | None = None,
) -> list[cdk.Stack]:
    """The stack of every flow in ``FLOWS`` that ``config`` has a model or flywheel for, or
    of both flows on placeholder models (``config.example_models``), in ``FLOWS`` order.

    :param app: the App the stacks are made in.
    :param config: the console's fields, from ``read_config``.
    :param project_dir: the directory ``input_documents`` and the samples are relative to.
    :param env: where the stacks deploy. Default: the CDK CLI's account and Region
        (``CDK_DEFAULT_ACCOUNT``, ``CDK_DEFAULT_REGION``), or environment-agnostic.
    """
    chosen = {**config.models, **config.flywheels}
    return [
        flow_stack(app, config, flow, project_dir=project_dir, env=env)
        for flow in FLOWS
        if config.example_models or flow.model_key in chosen
    ]
