"""Offline IAM policy lint for the deploy rehearsal, on top of duo-labs' parliament.

Why: cdk-nag and checkov judge how *broad* a policy is; neither checks that an action
exists, that a condition key applies to an action, or that a resource ARN can match the
action at all. Those mistakes deploy fine and then fail (or silently grant nothing) at job
time. Parliament checks exactly that, offline, against its bundled snapshot of the AWS
Service Authorization Reference (SAR), so a rehearsal can catch them without AWS.

What it does on top of parliament:

* Severity: keeps findings of MEDIUM or worse, in parliament's own order
  (MUTE < INFO < LOW < MEDIUM < HIGH < CRITICAL). Parliament ranks an unknown action or
  service prefix LOW, because its snapshot may lag AWS; for us a misspelt action is a
  broken deployment, so ``SEVERITY_OVERRIDES`` raises those to HIGH and the snapshot's lag
  is handled case by case in ``SUPPRESSIONS`` instead.
* Trust policies: they have no Resource element (the resource is the role itself), which
  parliament reports as MALFORMED. Parliament 1.6.4 has no flag for resource or trust
  policies (``analyze_policy_string`` takes none), so a trust statement without Resource is
  linted with ``"Resource": "*"`` added, which is what it means. Resource-based policies
  (key and bucket policies) carry Resource and Principal and are linted unchanged;
  parliament checks their Principal element whenever one is present.
* Precision: parliament reports RESOURCE_MISMATCH once per statement for all its actions;
  here it becomes one finding per action, tagged with its statement's Sid, so a
  suppression can name a single action in a single statement. A condition on a wildcard
  action is checked once per expanded action (s3:* is ~150); identical findings are
  reported once.
* Auditors: only parliament's core checks run. The community auditors judge breadth
  (permissions management, privilege escalation), which is cdk-nag's job here, and the
  private-auditor hook is ignored so nothing outside this file can change the verdict.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import json
import re
import sys
import types
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from rehearsal.template import DeployedTemplate

PolicyKind = Literal["identity", "resource", "trust"]

#: Parliament's severities, lowest first (as its CLI's ``--minimum_severity`` orders them).
SEVERITY_ORDER: tuple[str, ...] = ("MUTE", "INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL")

#: Findings below this are dropped: LOW and under are style (Resource "*", Sid format).
MINIMUM_SEVERITY = "MEDIUM"

#: Parliament issue -> the severity used here instead of parliament's, and why.
SEVERITY_OVERRIDES: dict[str, tuple[str, str]] = {
    "UNKNOWN_ACTION": (
        "HIGH",
        "an action AWS does not have grants nothing: the job fails with AccessDenied",
    ),
    "UNKNOWN_PREFIX": (
        "HIGH",
        "a service prefix AWS does not have grants nothing: the job fails with AccessDenied",
    ),
}


@dataclass(frozen=True)
class PolicyUnderTest:
    """One fully resolved policy document (concrete ARNs, no CloudFormation intrinsics).

    ``label`` says where it comes from ("StackName/LogicalId") so a finding can be traced
    back to the construct; ``kind`` decides how the document is fed to parliament.
    """

    label: str
    kind: PolicyKind
    document: dict[str, Any]


@dataclass(frozen=True, order=True)
class LintFinding:
    """One reported problem. Beyond the four strings a person reads, ``action`` (the
    action it concerns, when parliament names one) and ``statement`` (the statement's Sid,
    else ``#<index>``; empty for whole-document findings) let a suppression stay narrow."""

    label: str
    issue: str
    severity: str
    detail: str
    action: str = ""
    statement: str = ""

    def __str__(self) -> str:
        where = f" statement {self.statement}" if self.statement else ""
        return f"{self.severity} {self.issue} in {self.label}{where}: {self.detail}"


@dataclass(frozen=True)
class Suppression:
    """A known false positive, as narrow as it can be said.

    It matches a finding of parliament issue ``issue`` whose policy label matches the glob
    ``label``, whose statement (Sid or ``#<index>``) matches the glob ``statement``, whose
    action matches the glob ``action`` (case-insensitive; None: any, including none) and
    whose detail contains the regex ``detail`` (None: any). ``reason`` is the one line that
    justifies it; it names the parliament or snapshot gap.
    """

    issue: str
    reason: str
    action: str | None = None
    detail: str | None = None
    label: str = "*"
    statement: str = "*"

    def __post_init__(self) -> None:
        # An issue code alone would hide every finding of that kind, real ones included.
        if self.action is None and self.detail is None:
            raise ValueError(f"suppression of {self.issue} needs an action or detail matcher")
        if not self.reason.strip():
            raise ValueError(f"suppression of {self.issue} needs a reason")

    def matches(self, finding: LintFinding) -> bool:
        return (
            finding.issue == self.issue
            and fnmatch.fnmatchcase(finding.label, self.label)
            and fnmatch.fnmatchcase(finding.statement, self.statement)
            and (
                self.action is None
                or fnmatch.fnmatchcase(finding.action.lower(), self.action.lower())
            )
            and (self.detail is None or re.search(self.detail, finding.detail) is not None)
        )


#: Known false positives of parliament 1.6.4 on this library's documents. Anything not
#: matched here is reported; a suppression no document needs is stale (see
#: ``stale_suppressions``) and is to be deleted.
SUPPRESSIONS: tuple[Suppression, ...] = (
    Suppression(
        issue="MISMATCHED_TYPE",
        detail=r"s3:TlsVersion requires a value of type Numeric but given \['1\.2'\]",
        reason=(
            "parliament's Numeric pattern is ^\\d+$, so it rejects the decimal 1.2 that "
            "AWS documents for s3:TlsVersion"
        ),
    ),
    Suppression(
        issue="UNKNOWN_CONDITION_FOR_ACTION",
        action="s3:InitiateReplication",
        detail=r"\bs3:TlsVersion\b",
        reason=(
            "a Deny on s3:* expands to every S3 action; this one's row in parliament's SAR "
            "snapshot lists no s3:TlsVersion, which only means the Deny never applies to it"
        ),
    ),
    Suppression(
        issue="UNKNOWN_CONDITION_FOR_ACTION",
        action="s3:PutAccessPointPublicAccessBlock",
        detail=r"\bs3:TlsVersion\b",
        reason=(
            "a Deny on s3:* expands to every S3 action; this account-level action's row in "
            "parliament's SAR snapshot lists no s3:TlsVersion, so the Deny never applies to it"
        ),
    ),
    Suppression(
        issue="MISMATCHED_TYPE",
        statement="AllowCloudWatchLogsOfThisAccount",
        detail=r"ArnLike requires a value of type Arn but given String",
        reason=(
            "kms:EncryptionContext:aws:logs:arn is typed String in the SAR, but AWS's "
            "CloudWatch Logs encryption guide compares it with ArnLike; that works"
        ),
    ),
    Suppression(
        issue="UNKNOWN_CONDITION_FOR_ACTION",
        action="kms:DescribeKey",
        statement="AllowCloudWatchLogsOfThisAccount",
        detail=r"\bkms:EncryptionContext:aws:logs:arn\b",
        reason=(
            "not a parliament bug: DescribeKey has no encryption context, so this grant is "
            "inert; it is AWS's documented CloudWatch Logs key policy, accepted as is"
        ),
    ),
    Suppression(
        issue="RESOURCE_MISMATCH",
        action="comprehend:Start*",
        statement="Use*Models",
        detail=r"needs one like \S+-job/\*",
        reason=(
            "the model statement grants Start<Type> on the model ARN alone and another "
            "statement grants it on <type>-job/*; IAM unions them, parliament 1.6.4 wants "
            "every required resource type in one statement"
        ),
    ),
    Suppression(
        issue="UNKNOWN_CONDITION_FOR_ACTION",
        action="kms:*",
        detail=(
            r"Unknown condition kms:ResourceAliases for action "
            r"kms:(Decrypt|Encrypt|DescribeKey|GenerateDataKey\w*|ReEncrypt\w*)\b"
        ),
        reason=(
            "the SAR lists kms:ResourceAliases under the KMS key resource type, which each of "
            "these actions takes (a key given as an alias: the job's output key, a brought "
            "input bucket's key for the job and for the upload's CDK action groups); "
            "parliament 1.6.4 checks only per-action condition keys"
        ),
    ),
    Suppression(
        issue="RESOURCE_MISMATCH",
        action="s3:*",
        label="*/*InputDocumentsPolicy*",
        detail=r"matches no Resource",
        reason=(
            "aws-cdk-lib's BucketDeployment grants its read/write action groups (s3:GetObject*, "
            "s3:List*, ...) on two buckets, with no prop to narrow them; parliament expands "
            "each wildcard to account-level actions those bucket ARNs never authorize"
        ),
    ),
    Suppression(
        issue="RESOURCE_MISMATCH",
        action="s3:*",
        label="RehearsalSharedRole/CustomCDKBucketDeployment*ServiceRoleDefaultPolicy*",
        detail=r"matches no Resource",
        reason=(
            "the user's own BucketDeployment beside the library's uploads (issue 21): the same "
            "aws-cdk-lib action groups, on its own function's role, which the library must "
            "leave unchanged"
        ),
    ),
)


@dataclass(frozen=True)
class LintReport:
    """Everything one run saw: what is reported, and what each suppression hid."""

    findings: list[LintFinding]
    suppressed: list[tuple[LintFinding, Suppression]] = field(default_factory=list)

    @property
    def used_suppressions(self) -> set[Suppression]:
        return {suppression for _, suppression in self.suppressed}


def lint(policies: Iterable[PolicyUnderTest]) -> list[LintFinding]:
    """Findings of MEDIUM or worse, suppressions applied, sorted worst first."""
    return lint_report(policies).findings


def used_suppressions(policies: Iterable[PolicyUnderTest]) -> set[Suppression]:
    """The suppressions that hid at least one finding of ``policies``."""
    return lint_report(policies).used_suppressions


def stale_suppressions(
    policies: Iterable[PolicyUnderTest],
    suppressions: Iterable[Suppression] = SUPPRESSIONS,
) -> list[Suppression]:
    """Suppressions nothing in ``policies`` needs: a newer parliament (or a changed
    document) fixed the false positive, so keeping them would only hide real findings."""
    used = used_suppressions(policies)
    return [s for s in suppressions if s not in used]


def lint_report(
    policies: Iterable[PolicyUnderTest],
    suppressions: Iterable[Suppression] = SUPPRESSIONS,
) -> LintReport:
    """Run parliament on each document and sort its findings into reported and suppressed."""
    table = tuple(suppressions)
    reported: list[LintFinding] = []
    suppressed: list[tuple[LintFinding, Suppression]] = []
    floor = _rank(MINIMUM_SEVERITY)
    for policy in policies:
        for finding in _raw_findings(policy):
            if _rank(finding.severity) < floor:
                continue
            suppression = next((s for s in table if s.matches(finding)), None)
            if suppression is None:
                reported.append(finding)
            else:
                suppressed.append((finding, suppression))
    reported.sort(key=lambda f: (-_rank(f.severity), f.label, f.issue, f.action, f.detail))
    return LintReport(findings=reported, suppressed=suppressed)


def _rank(severity: str) -> int:
    # A severity parliament may add later ranks as the worst, so it is seen, not dropped.
    try:
        return SEVERITY_ORDER.index(severity.upper())
    except ValueError:
        return len(SEVERITY_ORDER)


def _raw_findings(policy: PolicyUnderTest) -> Iterator[LintFinding]:
    """Parliament's findings on one document, each once, tagged with its statement."""
    parliament = _parliament()
    analyzed = parliament.analyze_policy_string(
        json.dumps(_as_linted(policy), indent=2),
        filepath=policy.label,
        ignore_private_auditors=True,
        include_community_auditors=False,
    )
    # Policy.findings flattens the statements' findings and loses which statement said
    # what; reading them per statement keeps the Sid for narrow suppressions.
    tagged: list[tuple[str, Any]] = [("", raw) for raw in analyzed._findings]
    for index, stmt in enumerate(analyzed.statements):
        name = str(stmt.sid) if stmt.sid else f"#{index}"
        tagged += [(name, raw) for raw in stmt.findings]
    seen: set[LintFinding] = set()
    for statement, raw in tagged:
        parliament.enhance_finding(raw)
        issue = str(raw.issue)
        severity = SEVERITY_OVERRIDES.get(issue, (str(raw.severity), ""))[0]
        for finding in _split(policy.label, statement, issue, severity, raw.detail, raw.location):
            # A condition on s3:* is checked once per expanded action: say it once.
            if finding not in seen:
                seen.add(finding)
                yield finding


def _split(
    label: str, statement: str, issue: str, severity: str, detail: Any, location: Any
) -> Iterator[LintFinding]:
    """One LintFinding per action parliament names, so suppressions stay per action."""
    where = _where(location)
    if issue == "RESOURCE_MISMATCH" and isinstance(detail, list):
        for item in detail:
            action = str(item.get("action", ""))
            text = f"{action} matches no Resource; needs one like {item.get('required_format')}"
            yield LintFinding(label, issue, severity, text + where, action, statement)
        return
    text = detail if isinstance(detail, str) else json.dumps(detail, default=str)
    text = text or ""
    action = ""
    match = re.search(r"(?:for action|Unknown action|Unknown prefix) (\S+)$", text)
    if match:
        action = match.group(1)
    elif issue in {"UNKNOWN_ACTION", "UNKNOWN_PREFIX"} and isinstance(location, dict):
        action = str(location.get("string", ""))
    yield LintFinding(label, issue, severity, text + where, action, statement)


def _where(location: Any) -> str:
    # Lines refer to the document as json.dumps(document, indent=2) prints it.
    if isinstance(location, dict) and "line" in location:
        return f" (line {location['line']} of the indented document)"
    return ""


def _as_linted(policy: PolicyUnderTest) -> dict[str, Any]:
    """The document as parliament should see it (see the module docstring: trust).

    Condition values that JSON holds as numbers (aws-cdk-lib writes ``s3:TlsVersion``'s
    1.2 as a number) become strings, as IAM reads them: parliament's type checks assume
    strings and fail on a float.
    """
    document = _numbers_as_strings(policy.document)
    if policy.kind != "trust":
        return document
    statements = document.get("Statement", [])
    as_list = statements if isinstance(statements, list) else [statements]
    document["Statement"] = [
        s
        if not isinstance(s, dict) or "Resource" in s or "NotResource" in s
        else {**s, "Resource": "*"}
        for s in as_list
    ]
    return document


def _numbers_as_strings(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _numbers_as_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_numbers_as_strings(v) for v in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


@cache
def _parliament() -> Any:
    """Import parliament, bridging its one use of the removed ``pkg_resources``.

    parliament 1.6.4 (its latest release) calls ``pkg_resources.resource_filename`` at
    import to find its bundled JSON/YAML; setuptools 82 removed ``pkg_resources`` and the
    venv's setuptools is newer. Rather than pin an old (advisory-flagged) setuptools, a
    stand-in with just that function is visible only while parliament imports.
    """
    try:
        import parliament
    except ModuleNotFoundError as error:
        if error.name != "pkg_resources":
            raise
    else:
        return parliament
    spec = importlib.util.find_spec("parliament")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("parliament is not installed", name="parliament")
    root = Path(next(iter(spec.submodule_search_locations)))
    stand_in = types.ModuleType("pkg_resources")
    stand_in.resource_filename = lambda _package, name: str(root / name)  # type: ignore[attr-defined]
    for name in [m for m in sys.modules if m == "parliament" or m.startswith("parliament.")]:
        del sys.modules[name]  # a half-imported module from the failed attempt
    sys.modules["pkg_resources"] = stand_in
    try:
        import parliament
    finally:
        del sys.modules["pkg_resources"]
    return parliament


def policies_of(deployed: DeployedTemplate) -> list[PolicyUnderTest]:
    """Every policy document of a resolved template, labelled by stack and logical ID."""
    found = []
    for logical_id, resource in deployed.resources.items():
        props = resource["Properties"]
        label = f"{deployed.stack_name}/{logical_id}"
        kind = resource["Type"]
        if kind in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            found.append(PolicyUnderTest(label, "identity", props["PolicyDocument"]))
        elif kind == "AWS::IAM::Role":
            found.append(PolicyUnderTest(label, "trust", props["AssumeRolePolicyDocument"]))
            for inline in props.get("Policies", []):
                found.append(
                    PolicyUnderTest(
                        f"{label}/{inline['PolicyName']}", "identity", inline["PolicyDocument"]
                    )
                )
        elif kind == "AWS::KMS::Key":
            found.append(PolicyUnderTest(label, "resource", props["KeyPolicy"]))
        elif kind == "AWS::S3::BucketPolicy":
            found.append(PolicyUnderTest(label, "resource", props["PolicyDocument"]))
    return found
