"""Run the four cdk-nag packs on a stack and return what is left unacknowledged.

cdk-nag v3 packs are CDK validation plugins: ``app.synth()`` runs them, writes
``validation-report.json`` into the cloud assembly folder and raises when any pack reports
a violation (``RuntimeError: ValidationFailed``). This helper catches that, reads the
report and returns one ``Finding`` per (rule, construct path), so a test can
``assert findings == []`` and print them otherwise.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from aws_cdk import App, Environment, Stack, Validations

from comprehend_jobs.compliance.packs import add_compliance_checks

CDK_JSON = Path(__file__).resolve().parent.parent / "cdk.json"


def app_context() -> dict[str, Any]:
    """The feature-flag context of the project's cdk.json (what the app sees)."""
    return dict(json.loads(CDK_JSON.read_text())["context"])


def new_app(**kwargs: Any) -> App:
    """An App with the project's feature flags."""
    return App(context=app_context(), **kwargs)


class Finding(NamedTuple):
    """One unacknowledged finding."""

    rule_id: str
    path: str
    description: str

    def __str__(self) -> str:
        return f"{self.rule_id} at {self.path}: {self.description}"


def nag_findings(
    build: Callable[[Stack], object],
    *,
    env: Environment | None = None,
) -> list[Finding]:
    """Build a stack with ``build(stack)`` under the four packs; return unacknowledged findings."""
    outdir = tempfile.mkdtemp(prefix="nag-")
    app = new_app(outdir=outdir)
    stack = Stack(app, "NagStack", env=env)
    build(stack)
    add_compliance_checks(app)
    return synth_findings(app, Path(outdir))


def synth_findings(app: App, outdir: Path) -> list[Finding]:
    """Synthesize ``app`` (written to ``outdir``) and return its unacknowledged findings."""
    report = outdir / "validation-report.json"
    try:
        app.synth()
    except RuntimeError:
        # The packs failed synthesis; the report lists every plugin's violations (the
        # four packs, and CDK's own template validation, which then shows up too).
        if not report.is_file():
            raise
    if not report.is_file():
        return []
    return findings_from_report(json.loads(report.read_text()))


def findings_from_report(report: dict[str, Any]) -> list[Finding]:
    """The findings in a ``validation-report.json``, sorted."""
    found: set[Finding] = set()
    for plugin in report.get("pluginReports", []):
        for violation in plugin.get("violations", []):
            for construct in violation.get("violatingConstructs", []):
                found.add(
                    Finding(
                        violation["ruleName"],
                        construct.get("constructPath", "?"),
                        violation.get("description", ""),
                    )
                )
    return sorted(found)


def format_findings(findings: list[Finding]) -> str:
    """A readable list for an assertion message."""
    return "\n".join(str(f) for f in findings)


#: A concrete environment for tests that want literal ARNs in the template.
TEST_ENV = Environment(account="111111111111", region="us-east-1")


def new_stack(env: Environment | None = None, stack_id: str = "TestStack") -> Stack:
    """A Stack inside an App with the project's feature flags."""
    return Stack(new_app(), stack_id, env=env)


def acknowledgments_in(scope: Any) -> list[tuple[str, str, str]]:
    """Every (construct path, acknowledged id, reason) recorded under ``scope``."""
    key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY
    found: list[tuple[str, str, str]] = []
    for construct in scope.node.find_all():
        for entry in construct.node.metadata:
            if entry.type == key and entry.data:
                for qualified, reason in dict(entry.data).items():
                    found.append((construct.node.path, qualified.split("::", 1)[-1], reason))
    return sorted(found)
