#!/usr/bin/env python3
"""The example app: both seed flows, configured from cdk.json context.

- ``ComprehendEntityRecognition``: a custom entity recognition job.
- ``ComprehendClassification``: a custom classification job.

Override any key on the command line (``npx cdk deploy -c recognizer_arn=arn:...``) or
edit ``cdk.json``. The four cdk-nag packs run as validation plugins: an unacknowledged
finding fails the synthesis.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk

from comprehend_jobs import ComprehendAnalysis, InputFormat, PropValidationError
from comprehend_jobs.compliance import add_compliance_checks

#: Context keys the app reads, with the form each takes (shown when one is wrong).
CONTEXT_KEYS: dict[str, str] = {
    "recognizer_arn": "an entity recognizer ARN, "
    "arn:aws:comprehend:REGION:ACCOUNT:entity-recognizer/NAME[/version/V]",
    "classifier_arn": "a document classifier ARN, "
    "arn:aws:comprehend:REGION:ACCOUNT:document-classifier/NAME[/version/V]",
    "input_format": "ONE_DOC_PER_LINE or ONE_DOC_PER_FILE",
    "vpc": "true or false",
    "encryption": "true or false",
    "entities_job_name": "a job name (1-256 letters, numbers, spaces, _.:/=+-%@) or empty",
    "classification_job_name": "a job name (1-256 letters, numbers, spaces, _.:/=+-%@) or empty",
}


class ContextError(ValueError):
    """A context key is missing or has the wrong form."""


@dataclass(frozen=True)
class AppConfig:
    """The example app's settings, read from context."""

    recognizer_arn: str
    classifier_arn: str
    input_format: str
    vpc: bool
    encryption: bool
    entities_job_name: str | None
    classification_job_name: str | None


def _flag(key: str, value: Any) -> bool:
    # `-c vpc=false` arrives as the string "false"; cdk.json gives a JSON boolean.
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ContextError(f"context key {key!r}={value!r}: expected {CONTEXT_KEYS[key]}")


def read_config(node: Any) -> AppConfig:
    """Read and check every context key the app uses; one error names the key and form."""

    def get(key: str) -> Any:
        value = node.try_get_context(key)
        if value is None:
            raise ContextError(
                f"context key {key!r} is missing: expected {CONTEXT_KEYS[key]}. "
                f"Set it in cdk.json or pass -c {key}=..."
            )
        return value

    def text(key: str) -> str:
        value = get(key)
        if not isinstance(value, str) or not value.strip():
            raise ContextError(f"context key {key!r}={value!r}: expected {CONTEXT_KEYS[key]}")
        return value.strip()

    formats = [f.value for f in InputFormat]
    input_format = text("input_format")
    if input_format not in formats:
        raise ContextError(
            f"context key 'input_format'={input_format!r}: expected {CONTEXT_KEYS['input_format']}"
        )
    return AppConfig(
        recognizer_arn=text("recognizer_arn"),
        classifier_arn=text("classifier_arn"),
        input_format=input_format,
        vpc=_flag("vpc", get("vpc")),
        encryption=_flag("encryption", get("encryption")),
        entities_job_name=(node.try_get_context("entities_job_name") or None),
        classification_job_name=(node.try_get_context("classification_job_name") or None),
    )


def default_app() -> cdk.App:
    """An App with this project's context: the CLI passes it in the environment; a plain
    ``python app.py`` reads cdk.json itself, so both synthesize the same stacks."""
    if "CDK_CONTEXT_JSON" in os.environ:
        return cdk.App()
    cdk_json = Path(__file__).resolve().parent / "cdk.json"
    return cdk.App(context=json.loads(cdk_json.read_text())["context"])


def build_app(app: cdk.App | None = None, *, compliance_checks: bool = True) -> cdk.App:
    """Both seed-flow stacks in ``app`` (this project's App by default), with the
    compliance checks unless ``compliance_checks=False`` (the benchmark's way to tell
    their cost apart)."""
    app = app or default_app()
    config = read_config(app.node)
    env = cdk.Environment(
        account=os.environ.get("CDK_DEFAULT_ACCOUNT"), region=os.environ.get("CDK_DEFAULT_REGION")
    )
    # (stack, construct id, recognizer ARN, classifier ARN, job name)
    flows = (
        (
            "ComprehendEntityRecognition",
            "Entities",
            config.recognizer_arn,
            None,
            config.entities_job_name,
        ),
        (
            "ComprehendClassification",
            "Classification",
            None,
            config.classifier_arn,
            config.classification_job_name,
        ),
    )
    for stack_name, construct_id, recognizer_arn, classifier_arn, job_name in flows:
        stack = cdk.Stack(
            app,
            stack_name,
            env=env,
            description=f"comprehend-jobs example: {construct_id.lower()} job",
        )
        try:
            analysis = ComprehendAnalysis(
                stack,
                construct_id,
                vpc=config.vpc,
                encryption=config.encryption,
                input_format=config.input_format,
                job_name=job_name,
                entity_recognizer_arn=recognizer_arn,
                classifier_arn=classifier_arn,
            )
        except PropValidationError as error:
            raise ContextError(f"{stack_name}: {error}") from None
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
            description="Put the documents to analyse here",
        )
        cdk.CfnOutput(
            stack,
            "OutputS3Uri",
            value=analysis.storage.output_s3_uri,
            description="Comprehend writes the results under this prefix",
        )
    if compliance_checks:
        add_compliance_checks(app)
    return app


if __name__ == "__main__":
    try:
        build_app().synth()
    except ContextError as error:
        raise SystemExit(f"app.py: {error}") from None
