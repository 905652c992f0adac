#!/usr/bin/env python3
"""The example app: the console's two custom flows, every console field a context key.

- ``ComprehendEntityRecognition``: a custom entity recognition job (``-c recognizer_arn=``,
  or ``-c flywheel_arn=`` with ``-c flywheel_model_type=ENTITY_RECOGNIZER``).
- ``ComprehendClassification``: a custom classification job (``-c classifier_arn=``, or
  ``-c flywheel_arn=`` with ``-c flywheel_model_type=DOCUMENT_CLASSIFIER``).

The app makes the stacks it has models for. Each key is documented in ``CONTEXT_KEYS``
and in the README's table; an unknown key of the app's own fails the synthesis naming
the closest known one. Without a model ARN the app synthesizes both flows on placeholder
models only when asked (``-c example_models=true``, what ``make synth`` does) or when it
runs outside the CDK CLI (tests, benchmarks): a placeholder stack also carries a
CloudFormation rule that refuses to deploy it. The four cdk-nag packs run as validation
plugins: an unacknowledged finding fails the synthesis.
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

from comprehend_jobs import (
    ComprehendAnalysis,
    DocumentFeatureType,
    DocumentReadAction,
    DocumentReader,
    DocumentReadMode,
    InputFormat,
    JobEncryption,
    JobNetwork,
    PropValidationError,
)
from comprehend_jobs.compliance.packs import add_compliance_checks

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class ContextKey:
    """One context key of the app: the form it takes and what leaving it out does."""

    form: str
    default: str


#: Every context key the app reads (the README's table shows the same).
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
        "s3://BUCKET/PREFIX/ of your documents", "a new input bucket, filled from input_documents"
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
#: What the app says in every context error, so the fix is always at hand.
_HOW = "Set it with -c KEY=VALUE (or in cdk.json); the README lists every key."


class ContextError(ValueError):
    """A context key is unknown, missing or has the wrong form."""


@dataclass(frozen=True)
class Flow:
    """One of the console's two custom flows."""

    stack_name: str
    construct_id: str
    model_key: str
    samples: str
    job_suffix: str
    #: The model type of a flywheel that runs in this flow (the API's ``ModelType``).
    flywheel_model_type: Literal["ENTITY_RECOGNIZER", "DOCUMENT_CLASSIFIER"]


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
#: The placeholder model of each flow, in the stack's own partition, Region and account.
_PLACEHOLDERS = {
    "recognizer_arn": "entity-recognizer/comprehend-jobs-example",
    "classifier_arn": "document-classifier/comprehend-jobs-example",
}


@dataclass(frozen=True)
class AppConfig:
    """The example app's settings, read from context (None: the key's default)."""

    #: A flow's model key (``recognizer_arn``, ``classifier_arn``) -> its model's ARN.
    models: dict[str, str]
    #: A flow's model key -> the flywheel that runs in that flow instead of a model.
    flywheels: dict[str, str]
    example_models: bool
    input_s3_uri: str | None
    output_s3_uri: str | None
    input_documents: str | None
    input_format: str
    document_reader: DocumentReader | None
    volume_kms_key_id: str | None
    output_kms_key_id: str | None
    encryption: bool
    subnet_ids: list[str] | None
    security_group_ids: list[str] | None
    vpc: bool
    job_name: str | None
    tags: dict[str, str] | None
    wait_for_completion: bool
    rerun_token: str | None


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
        raise _error("tags", value, " with string keys and values")
    return dict(tags)


def check_keys(context: dict[str, Any]) -> None:
    """Every context key of the app's own is a known one (typos name the closest)."""
    for key in sorted(context):
        if not _OWN_KEY.match(key) or key in CONTEXT_KEYS:
            continue
        close = difflib.get_close_matches(key, list(CONTEXT_KEYS), n=1, cutoff=0.6)
        hint = f"did you mean {close[0]!r}?" if close else "see the README's table of keys."
        raise ContextError(f"unknown context key {key!r}: {hint} {_HOW}")


def read_config(node: Any, *, under_cli: bool | None = None) -> AppConfig:
    """Read and check every context key the app uses; one error names the key and form."""
    # The node's context merged with its scopes' (nearest wins), as try_get_context reads
    # it: fetched once, not one jsii round trip per key.
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
        under_cli = "CDK_CONTEXT_JSON" in os.environ
    if not models and not flywheels and not example and under_cli:
        raise ContextError(
            "no model to run: set -c recognizer_arn=arn:aws:comprehend:REGION:ACCOUNT:"
            "entity-recognizer/NAME and/or -c classifier_arn=arn:aws:comprehend:REGION:"
            "ACCOUNT:document-classifier/NAME, or -c flywheel_arn=arn:aws:comprehend:REGION:"
            "ACCOUNT:flywheel/NAME with -c flywheel_model_type=ENTITY_RECOGNIZER or "
            "DOCUMENT_CLASSIFIER (-c example_models=true synthesizes placeholders, which "
            "cannot be deployed)."
        )
    reader = None
    action = get("document_read_action")
    if action is not None:
        mode = get("document_read_mode")
        features = get("feature_types")
        reader = DocumentReader(
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
                DocumentFeatureType(
                    _choice("feature_types", f, [t.value for t in DocumentFeatureType])
                )
                for f in _list("feature_types", features)
            ],
        )
    else:
        for key in ("document_read_mode", "feature_types"):
            if get(key) is not None:
                raise _error(key, get(key), "; it needs document_read_action too")
    subnets = get("subnet_ids")
    groups = get("security_group_ids")
    if (subnets is None) != (groups is None):
        missing = "security_group_ids" if groups is None else "subnet_ids"
        raise ContextError(
            f"context key {missing!r} is missing: a job's VpcConfig needs both. {_HOW}"
        )
    encryption = _flag("encryption", True if get("encryption") is None else get("encryption"))
    for key in ("volume_kms_key_id", "output_kms_key_id"):
        if not encryption and get(key) is not None:
            raise _error(key, get(key), "; with encryption=false no job key is sent: drop one")
    tags = get("tags")
    return AppConfig(
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
        encryption=encryption,
        subnet_ids=None if subnets is None else _list("subnet_ids", subnets),
        security_group_ids=None if groups is None else _list("security_group_ids", groups),
        vpc=_flag("vpc", True if get("vpc") is None else get("vpc")),
        job_name=optional_text("job_name"),
        tags=None if tags is None else _tags(tags),
        wait_for_completion=_flag("wait_for_completion", get("wait_for_completion") or False),
        rerun_token=None if get("rerun_token") is None else str(get("rerun_token")),
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


def default_app() -> cdk.App:
    """An App with this project's context: the CLI passes it in the environment; a plain
    ``python app.py`` reads cdk.json itself, so both synthesize the same stacks."""
    if "CDK_CONTEXT_JSON" in os.environ:
        return cdk.App()
    return cdk.App(context=json.loads((ROOT / "cdk.json").read_text())["context"])


def _refuse_deploy(stack: cdk.Stack) -> None:
    """A CloudFormation rule that fails any deployment of a placeholder stack before a
    single resource is made."""
    cdk.CfnRule(
        stack,
        "PlaceholderModelsCannotBeDeployed",
        assertions=[
            cdk.CfnRuleAssertion(
                assert_=cdk.Fn.condition_equals("placeholder model", "real model"),
                assert_description="This stack was synthesized with example_models=true: "
                "its model is a placeholder. Deploy with -c recognizer_arn=... or "
                "-c classifier_arn=... instead.",
            )
        ],
    )


def _flow_stack(app: cdk.App, config: AppConfig, flow: Flow, env: cdk.Environment) -> None:
    stack = cdk.Stack(
        app,
        flow.stack_name,
        env=env,
        description=f"comprehend-jobs example: {flow.construct_id.lower()} job",
    )
    model = config.models.get(flow.model_key)
    flywheel = config.flywheels.get(flow.model_key)
    if model is None and flywheel is None:
        model = (
            f"arn:{cdk.Aws.PARTITION}:comprehend:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:"
            f"{_PLACEHOLDERS[flow.model_key]}"
        )
        _refuse_deploy(stack)
    encryption: JobEncryption | bool = config.encryption
    if config.encryption and (config.volume_kms_key_id or config.output_kms_key_id):
        encryption = JobEncryption(
            stack,
            "Keys",
            existing_volume_key=config.volume_kms_key_id,
            existing_output_key=config.output_kms_key_id,
        )
    vpc: JobNetwork | bool = config.vpc
    if config.vpc and config.subnet_ids and config.security_group_ids:
        vpc = JobNetwork.from_ids(
            stack,
            "Network",
            subnet_ids=config.subnet_ids,
            security_group_ids=config.security_group_ids,
        )
    documents = config.input_documents
    if documents is None and config.input_s3_uri is None:
        # The app makes the input bucket: a job on an empty new bucket would find nothing.
        documents = flow.samples
    job_name = config.job_name
    if job_name and len(config.models) + len(config.flywheels) > 1:
        job_name = f"{job_name}-{flow.job_suffix}"
    analysis = ComprehendAnalysis(
        stack,
        flow.construct_id,
        network=vpc,
        encryption=encryption,
        input_s3_uri=config.input_s3_uri,
        output_s3_uri=config.output_s3_uri,
        input_documents=None if documents is None else str(ROOT / documents),
        input_format=config.input_format,
        document_reader=config.document_reader,
        job_name=job_name,
        tags=config.tags,
        wait_for_completion=config.wait_for_completion,
        rerun_token=config.rerun_token,
        recognizer_arn=model if flow.model_key == "recognizer_arn" else None,
        classifier_arn=model if flow.model_key == "classifier_arn" else None,
        flywheel_arn=flywheel,
        flywheel_model_type=None if flywheel is None else flow.flywheel_model_type,
    )
    cdk.CfnOutput(
        stack,
        "JobArn",
        value=analysis.job.job_arn,
        description="The Comprehend job this stack started",
    )
    cdk.CfnOutput(
        stack,
        "InputS3Uri",
        value=analysis.storage.input_s3_uri,
        description="The documents the job reads",
    )
    cdk.CfnOutput(
        stack,
        "OutputS3Uri",
        value=analysis.storage.output_s3_uri,
        description="Comprehend writes the results under this prefix",
    )


def build_app(app: cdk.App | None = None, *, compliance_checks: bool = True) -> cdk.App:
    """The flows' stacks in ``app`` (this project's App by default), with the compliance
    checks unless ``compliance_checks=False`` (the benchmark's way to tell their cost
    apart)."""
    app = app or default_app()
    config = read_config(app.node)
    env = cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    )
    for flow in FLOWS:
        if config.example_models or flow.model_key in {**config.models, **config.flywheels}:
            try:
                _flow_stack(app, config, flow, env)
            except PropValidationError as error:
                raise ContextError(f"{flow.stack_name}: {error}") from None
    if compliance_checks:
        add_compliance_checks(app)
    return app


if __name__ == "__main__":
    try:
        assembly = build_app().synth()
    except ContextError as error:
        raise SystemExit(f"app.py: {error}") from None
    stacks = ", ".join(s.stack_name for s in assembly.stacks)
    print(f"app.py: synthesized {stacks} into {assembly.directory}", file=sys.stderr)
