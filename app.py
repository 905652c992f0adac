#!/usr/bin/env python3
"""The example app: the console's two custom flows, every console field a context key.

``comprehend_jobs.console`` reads and checks the keys (``-c recognizer_arn=...``; the README
lists them all) and makes a stack per flow with a model: ``ComprehendEntityRecognition``,
``ComprehendClassification``. With no model, both flows run on placeholder models that
cannot be deployed, when asked (``-c example_models=true``) or outside the CDK CLI (tests,
benchmarks). The four cdk-nag packs run at synth: a finding fails it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import aws_cdk as cdk

from comprehend_jobs.compliance.packs import add_compliance_checks
from comprehend_jobs.console import ContextError, build_flows, project_app, read_config

#: The project's directory: cdk.json, and the folders input_documents names.
ROOT = Path(__file__).resolve().parent


def default_app() -> cdk.App:
    """An App with this project's context (the CLI's, or cdk.json's under plain Python)."""
    return project_app(ROOT)


def build_app(app: cdk.App | None = None, *, compliance_checks: bool = True) -> cdk.App:
    """The flows' stacks in ``app`` (this project's App by default), with the compliance
    checks unless ``compliance_checks=False`` (the benchmark's way to tell their cost
    apart)."""
    app = app or default_app()
    build_flows(app, read_config(app.node), project_dir=ROOT)
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
