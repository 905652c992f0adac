"""One composition's outcome: refused, or synthesized and rehearsed. Nothing else.

``run(composition)`` builds the composition in a fresh App (``builder``) and returns an
``Outcome``:

- ``refused``: a library call raised ``PropValidationError``. Each problem must name a
  prop, its value, what is allowed and a fix (the library's one format), and the call must
  have built nothing: the composition is built again, and the construct tree is compared
  just before and just after the refused call. A synth-time validation of the library
  (``node.add_validation``: checks that need the finished tree) is a refusal too when
  every message it gives names the construct and a problem in that format.
- ``synthesized``: the app synthesized under the four cdk-nag packs with no finding on
  what the library made (the platform's own resources, ``Platform/``, are the user's),
  every synth warning is one the composition may give (``expected_warnings``), and the deploy
  rehearsal of every stack finds 0 denied, 0 unroutable and parliament 0 findings.

Anything else is a ``failure``: an exception of another type (a crash), a refusal that
built something or names no prop, a finding, an unexpected warning, a rehearsal problem.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import traceback
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aws_cdk import App, Stack
from nag_support import Finding, app_context, synth_findings
from rehearsal.lint import lint, policies_of
from rehearsal.rehearse import Outcome as Verdict
from rehearsal.rehearse import problems, rehearse
from rehearsal.stacks import from_cloud_assembly
from rehearsal.template import DeployedTemplate

from compositions import builder
from compositions.builder import Refused
from comprehend_jobs.compliance.packs import add_compliance_checks

REFUSED = "refused"
SYNTHESIZED = "synthesized"
FAILURE = "failure"

#: The one format of a problem (``_private.validation.describe_problem``).
_PROBLEM = re.compile(r"^(?P<prop>[A-Za-z_][\w.\[\]]*)=.+ is not valid: .+\. Fix: \S.*", re.S)
#: A synth-time validation message: ``[path] <construct>: <problem in that format>``.
_VALIDATION = re.compile(r"\s(?P<prop>[A-Za-z_]\w*)=.+ is not valid: .+\. Fix: \S")
#: The construct scope of what the user brings (its findings are the user's to settle).
_PLATFORM = "/Platform/"

#: Synth warning -> when a composition gives it on purpose (the library's own
#: warnings, each telling the user what the stack cannot check or do itself).
EXPECTED_WARNINGS: dict[str, str] = {
    "comprehend-jobs:model-region": "an env-agnostic stack names a Region's model",
    "comprehend-jobs:closed-job-type": "topics and events jobs (closed to new customers)",
    "comprehend-jobs:s3-route": "job subnets whose route to S3 synth cannot see",
    "comprehend-jobs:log-key-policy": "an imported log key: its owner adds the statement",
    "comprehend-jobs:imported-role": "an imported DataAccessRole: its owner adds the grants",
}


def expected_warnings(composition: Mapping[str, str]) -> set[str]:
    """The synth warnings ``composition`` may give on purpose (``EXPECTED_WARNINGS``)."""
    c = composition
    expected = set()
    if c["partition"] == "agnostic" and c["model"] in (
        "recognizer",
        "classifier",
        "flywheel_entities",
        "flywheel_classifier",
    ):
        expected.add("comprehend-jobs:model-region")
    if c["model"] in ("topics", "events"):
        expected.add("comprehend-jobs:closed-job-type")
    if c["network"] in ("from_ids", "lookup"):
        expected.add("comprehend-jobs:s3-route")
    if c["log_key"] in ("imported", "alias", "foreign") or c["flow_log_key"] in (
        "imported",
        "foreign",
    ):
        expected.add("comprehend-jobs:log-key-policy")
    if c["role"] == "imported":
        expected.add("comprehend-jobs:imported-role")
    return expected


@dataclass
class Outcome:
    """What became of one composition."""

    kind: str
    #: Why, readably (the refusal's props, the failure's first problem).
    detail: str = ""
    #: Refused: the props the refusal names.
    props: tuple[str, ...] = ()
    #: Failure: every problem found.
    problems: list[str] = field(default_factory=list)
    #: Synthesized: the rehearsal's verdicts by (family, verdict), and stacks rehearsed.
    verdicts: Counter[tuple[str, str]] = field(default_factory=Counter)
    stacks: int = 0
    policies: int = 0

    @property
    def ok(self) -> bool:
        """Refused as the library means to, or synthesized and rehearsed clean."""
        return self.kind in (REFUSED, SYNTHESIZED)

    def __str__(self) -> str:
        lines = [f"{self.kind}: {self.detail}", *(f"  {p}" for p in self.problems[:30])]
        return "\n".join(lines)


def new_app(composition: Mapping[str, str], outdir: Path) -> App:
    """An App with the project's feature flags and the composition's lookups."""
    return App(context={**app_context(), **builder.lookup_context(composition)}, outdir=str(outdir))


def _refusal(composition: Mapping[str, str], refused: Refused) -> Outcome:
    problems_found = []
    props = []
    for problem in refused.error.problems:
        match = _PROBLEM.match(problem)
        if match is None:
            problems_found.append(f"a problem in another format: {problem}")
        else:
            props.append(match.group("prop"))
    # Again, watching the refused call: it must leave the construct tree as it was.
    outdir = Path(tempfile.mkdtemp(prefix="composition-"))
    try:
        try:
            builder.build(composition, new_app(composition, outdir), watch=refused.step)
            problems_found.append("refused once, built the second time")
        except Refused as again:
            added = sorted(again.after - again.before)
            if again.step != refused.step:
                problems_found.append(f"refused at step {again.step}, then {refused.step}")
            elif added:
                problems_found.append(f"{refused.label} was refused but built {added[:5]}")
    finally:
        shutil.rmtree(outdir, ignore_errors=True)
    detail = f"{refused.label}: {', '.join(sorted(set(props)))}"
    if problems_found:
        return Outcome(FAILURE, detail, problems=problems_found)
    return Outcome(REFUSED, detail, props=tuple(sorted(set(props))))


def _synth_refusal(error: Exception) -> Outcome | None:
    """A synth-time validation of the library, as a refusal (None: not one)."""
    text = str(error)
    if "Validation failed" not in text:
        return None
    messages = [line.strip() for line in text.splitlines() if line.strip().startswith("[")]
    # Each names the construct ([path]) and a problem in the library's one format.
    found = [_VALIDATION.search(m) for m in messages]
    if not messages or not all(found):
        return None
    props = tuple(sorted({m.group("prop") for m in found if m}))
    return Outcome(REFUSED, "synth validation: " + messages[0][:200], props=props)


def _key_arn(deployed: DeployedTemplate, key: Any) -> str:
    """A brought bucket's key as the rehearsal names it: a string as given, an IKey by
    its ARN as CloudFormation resolves it (a key of the app is in the template)."""
    if isinstance(key, str):
        return key
    return str(deployed.resolve(Stack.of(key).resolve(key.key_arn)))


def _warnings(findings: list[Finding]) -> tuple[list[Finding], set[str]]:
    """(findings that are not warnings, the warning IDs)."""
    found, warnings = [], set()
    for finding in findings:
        if finding.rule_id.startswith("Annotation::"):
            warnings.add(finding.rule_id.removeprefix("Annotation::"))
        else:
            found.append(finding)
    return found, warnings


def run(composition: Mapping[str, str]) -> Outcome:
    """Build, synthesize under the packs and rehearse one composition."""
    outdir = Path(tempfile.mkdtemp(prefix="composition-"))
    try:
        return _run(composition, outdir)
    except Exception:
        return Outcome(FAILURE, "crash", problems=traceback.format_exc().splitlines()[-12:])
    finally:
        shutil.rmtree(outdir, ignore_errors=True)


def _run(composition: Mapping[str, str], outdir: Path) -> Outcome:
    app = new_app(composition, outdir)
    try:
        built = builder.build(composition, app)
    except Refused as refused:
        return _refusal(composition, refused)
    add_compliance_checks(app)
    try:
        findings = synth_findings(app, outdir)
    except RuntimeError as error:
        refusal = _synth_refusal(error)
        if refusal is None:
            raise
        return refusal
    found, warnings = _warnings(findings)
    failures = [str(f) for f in found if _PLATFORM not in "/" + f.path]
    unexpected = warnings - expected_warnings(composition)
    failures += [f"an unexpected synth warning: {w}" for w in sorted(unexpected)]
    verdicts: Counter[tuple[str, str]] = Counter()
    stacks = from_cloud_assembly(outdir)
    policies = 0
    for stack in stacks.values():
        bucket_keys = {
            name: _key_arn(stack.deployed, key) for name, key in built.bucket_keys.items()
        }
        outcomes: list[Verdict] = rehearse(stack.deployed, stack.warnings, (), bucket_keys)
        verdicts.update((o.family, o.verdict) for o in outcomes)
        failures += [str(o) for o in problems(outcomes)]
        documents = policies_of(stack.deployed)
        policies += len(documents)
        failures += [str(f) for f in lint(documents)]
    if failures:
        return Outcome(FAILURE, failures[0][:300], problems=failures)
    return Outcome(
        SYNTHESIZED,
        f"{len(stacks)} stacks, {sum(verdicts.values())} verdicts",
        verdicts=verdicts,
        stacks=len(stacks),
        policies=policies,
    )
