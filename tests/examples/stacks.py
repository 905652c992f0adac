"""Every stack the repository makes, in one App, synthesized once per test session.

The example app's two stacks (``app.build_app``, which also adds the four cdk-nag packs)
and one stack per README example. A canary stack with a bare bucket proves the packs ran
on the App: its findings are expected, everything else must be clean. ``synthesized()``
and ``findings_without_acknowledgments()`` are cached, so the compliance and inventory
tests share one synthesis each.
"""

from __future__ import annotations

import atexit
import functools
import importlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest import mock

from aws_cdk import App, Environment, Stack
from aws_cdk import aws_s3 as s3
from nag_support import Finding, new_app, synth_findings

import app as example_app
import comprehend_jobs.compliance.acknowledgments as acknowledgments_module

#: The README examples, in the README's order (module names in this package).
EXAMPLES: tuple[str, ...] = (
    "entities_one_line",
    "classification",
    "bring_your_own",
    "waiting_job",
    "all_job_types",
)
#: The stack that must be flagged (it is left out of every other check).
CANARY = "ComplianceCanary"
#: Context set on an example's stack before it is built. ``all_job_types`` starts its
#: topics and events jobs (closed to new customers) only when told the account may, and
#: the compliance suites must still cover all nine job types.
EXAMPLE_CONTEXT: dict[str, dict[str, Any]] = {"all_job_types": {"closed_job_types": True}}
#: Where an example without an ENV of its own is deployed: its models' Region, as a user
#: would (an env-agnostic stack naming a Region's model gets a synth warning instead).
DEFAULT_ENV = Environment(region="us-east-1")


def example_module(name: str) -> ModuleType:
    """The example module ``name``."""
    return importlib.import_module(f"examples.{name}")


def stack_name(example: str) -> str:
    """The stack an example is synthesized in (``all_job_types`` -> ``ExampleAllJobTypes``)."""
    return "Example" + "".join(part.title() for part in example.split("_"))


def build_every_stack(app: App) -> list[Stack]:
    """The example app's stacks and one stack per README example, in ``app``."""
    example_app.build_app(app)
    for name in EXAMPLES:
        module = example_module(name)
        stack = Stack(app, stack_name(name), env=getattr(module, "ENV", DEFAULT_ENV))
        for key, value in EXAMPLE_CONTEXT.get(name, {}).items():
            stack.node.set_context(key, value)
        module.build(stack)
    return [c for c in app.node.children if isinstance(c, Stack)]


@dataclass(frozen=True)
class Synthesized:
    """One synthesis of every stack, with the packs' verdict."""

    app: App
    outdir: Path
    #: Unacknowledged findings of every stack but the canary.
    findings: list[Finding]
    #: Findings on the canary stack (proof that the packs ran).
    canary_findings: list[Finding]
    #: Stack name -> its template file (the canary's excluded).
    templates: dict[str, Path]


def _outdir(prefix: str) -> Path:
    # Synthesis outputs (templates, staged assets) are removed when the session ends.
    outdir = Path(tempfile.mkdtemp(prefix=prefix))
    atexit.register(shutil.rmtree, outdir, ignore_errors=True)
    return outdir


@functools.cache
def synthesized() -> Synthesized:
    """Every stack plus the canary, synthesized once under the four packs."""
    outdir = _outdir("compliance-")
    app = new_app(outdir=str(outdir))
    stacks = build_every_stack(app)
    s3.Bucket(Stack(app, CANARY), "BareBucket")
    findings = synth_findings(app, outdir)
    canary_prefix = f"{CANARY}/"
    templates = {s.stack_name: outdir / s.template_file for s in stacks if s.stack_name != CANARY}
    return Synthesized(
        app=app,
        outdir=outdir,
        findings=[f for f in findings if not f.path.startswith(canary_prefix)],
        canary_findings=[f for f in findings if f.path.startswith(canary_prefix)],
        templates=templates,
    )


class _NoAcknowledgments:
    """Stands in for ``aws_cdk.Validations`` inside the acknowledgment module only."""

    @staticmethod
    def of(scope: Any) -> _NoAcknowledgments:
        return _NoAcknowledgments()

    def acknowledge(self, *acknowledgments: Any) -> None:
        return None


@functools.cache
def findings_without_acknowledgments() -> list[Finding]:
    """What the packs report on every stack when the library acknowledges nothing: the
    findings each acknowledgment stands for."""
    outdir = _outdir("compliance-bare-")
    with mock.patch.object(acknowledgments_module, "Validations", _NoAcknowledgments):
        app = new_app(outdir=str(outdir))
        build_every_stack(app)
        return synth_findings(app, outdir)
