"""The inventory of every acknowledgment and every template-check skip in the library.

Each cdk-nag acknowledgment (id, scope, reason) recorded on any stack the repository makes
must come from the one table (``comprehend_jobs.compliance.acknowledgments``) with that
kind's reason, and sit on exactly the resource that has the finding: checked against a
synthesis in which the library acknowledges nothing. The same holds for the checkov skips in
the templates (``comprehend_jobs.compliance.checkov``). ``docs/compliance.md`` shows both
tables (and so does README.md wherever it holds the same markers); they are compared with
the tables here, so they cannot drift. To rewrite the generated parts after changing a
table, run ``python tests/test_acknowledgment_inventory.py``.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "compliance.md"
README = ROOT / "README.md"
LIBRARY = ROOT / "constructs" / "comprehend_jobs"
BEGIN = "<!-- BEGIN INVENTORY (generated: python tests/test_acknowledgment_inventory.py) -->"
END = "<!-- END INVENTORY -->"
#: The issue's goal for the whole library.
MOST_KINDS = 10

# Slow tier: every stack synthesized under the four packs, twice.
pytestmark = pytest.mark.slow


def _tables() -> tuple[list[Any], list[Any]]:
    from comprehend_jobs.compliance.acknowledgments import ACKNOWLEDGMENT_KINDS
    from comprehend_jobs.compliance.checkov import CHECK_SKIPS

    return list(ACKNOWLEDGMENT_KINDS.values()), list(CHECK_SKIPS.values())


def render_inventory() -> str:
    """The generated part of ``docs/compliance.md``, from the two tables."""
    kinds, skips = _tables()
    lines = [
        BEGIN,
        "",
        f"### cdk-nag: {len(kinds)} kinds of acknowledgment",
        "",
    ]
    for number, kind in enumerate(kinds, 1):
        findings = ", ".join(f"`{f}`" for f in kind.findings)
        lines += [f"{number}. **{kind.name}** ({findings}): {kind.reason}", ""]
    lines += [f"### checkov: {len(skips)} kinds of skip", ""]
    for number, skip in enumerate(skips, 1):
        checks = ", ".join(f"`{c}`" for c in skip.checks)
        lines += [f"{number}. **{skip.name}** ({checks}): {skip.reason}", ""]
    lines.append(END)
    return "\n".join(lines)


def _generated_part(text: str) -> str:
    start, end = text.find(BEGIN), text.find(END)
    assert 0 <= start < end, "the generated inventory must sit between the two markers"
    return text[start : end + len(END)]


def _documents() -> list[Path]:
    """docs/compliance.md, and README.md when it shows the inventory too."""
    readme = README.read_text(encoding="utf-8") if README.is_file() else ""
    return [DOCS] + ([README] if BEGIN in readme else [])


# -- the tables and the document --------------------------------------------------------


def test_the_library_has_at_most_ten_kinds_of_acknowledgment() -> None:
    kinds, _ = _tables()
    assert 0 < len(kinds) <= MOST_KINDS


@pytest.mark.parametrize("document", _documents(), ids=lambda p: p.name)
def test_docs_show_the_inventory_as_the_tables_have_it(document: Path) -> None:
    expected = render_inventory()
    actual = _generated_part(document.read_text(encoding="utf-8"))
    assert actual == expected, (
        f"{document.relative_to(ROOT)} is out of date: run "
        "`python tests/test_acknowledgment_inventory.py`"
    )


def test_docs_state_how_many_kinds_there_are() -> None:
    # The prose above the generated part names the count too; keep it honest.
    kinds, skips = _tables()
    prose = " ".join(DOCS.read_text(encoding="utf-8").split(BEGIN, 1)[0].split())
    assert f"{len(kinds)} kinds of cdk-nag acknowledgment" in prose
    assert f"{len(skips)} kinds of checkov skip" in prose


def test_every_reason_is_there_and_every_skip_reason_is_one_line() -> None:
    kinds, skips = _tables()
    for kind in kinds:
        assert len(kind.reason) > 40, kind.name
    for skip in skips:
        assert len(skip.reason) > 40 and "\n" not in skip.reason, skip.name
        assert all(re.fullmatch(r"CKV_AWS_\d+", c) for c in skip.checks), skip.name


# -- only the two modules acknowledge or skip -------------------------------------------


def _names_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    names |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    strings = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)}
    return names | {s for s in strings if isinstance(s, str)}


def _attributes_used(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


def test_only_the_table_modules_call_cdk_nag_or_write_checkov_metadata() -> None:
    # Anything else would bypass the tables (and so the inventory and the docs).
    offenders = []
    for path in sorted(LIBRARY.rglob("*.py")):
        used = _names_used(path)
        # Registering the packs (compliance.py) is fine; acknowledging directly is not.
        direct = "Acknowledgment" in used or "acknowledge" in _attributes_used(path)
        if path.name != "acknowledgments.py" and direct:
            offenders.append(f"{path.name}: acknowledges without acknowledgments.acknowledge")
        if path.name != "checkov.py" and used & {"checkov", "add_metadata"}:
            offenders.append(f"{path.name}: writes template metadata without compliance.checkov")
    assert offenders == []


# -- every acknowledgment and skip on every stack the repository makes ------------------


@pytest.fixture(scope="module")
def inventory() -> list[tuple[str, str, str]]:
    """(scope path, acknowledged id, reason) of every pack acknowledgment on every stack."""
    from examples.stacks import synthesized
    from nag_support import acknowledgments_in

    from comprehend_jobs.compliance.acknowledgments import PACKS

    acks = [a for a in acknowledgments_in(synthesized().app) if a[1].startswith(PACKS)]
    assert acks, "the stacks should carry the library's acknowledgments"
    return acks


def _fits(finding_id: str, template: str) -> bool:
    if "{}" not in template:
        return finding_id == template
    head, tail = template.split("{}", 1)
    return finding_id.startswith(head) and finding_id.endswith(tail)


def _table(rows: list[tuple[str, str, str]]) -> str:
    return "\n".join(f"{fid} at {path}: {reason[:60]!r}" for path, fid, reason in rows)


def test_every_acknowledgment_is_a_kind_of_the_table_with_its_reason(
    inventory: list[tuple[str, str, str]],
) -> None:
    kinds, _ = _tables()
    unknown = [
        (path, fid, reason)
        for path, fid, reason in inventory
        if not reason.strip()
        or not any(k.reason == reason and any(_fits(fid, f) for f in k.findings) for k in kinds)
    ]
    assert unknown == [], "\n" + _table(unknown)


def test_every_acknowledgment_sits_on_the_resource_that_has_the_finding(
    inventory: list[tuple[str, str, str]],
) -> None:
    # Without acknowledgments the packs report each acknowledged id on that very resource
    # (the scope is the CloudFormation resource, or the construct whose default child it
    # is): never a stack, a whole pattern or a finding that does not exist.
    from examples.stacks import findings_without_acknowledgments

    reported = {(f.rule_id, f.path) for f in findings_without_acknowledgments()}
    too_wide = [
        (path, fid, reason)
        for path, fid, reason in inventory
        if (fid, path) not in reported and (fid, f"{path}/Resource") not in reported
    ]
    assert too_wide == [], "\n" + _table(too_wide)


def test_every_finding_the_library_would_have_is_acknowledged_on_its_resource(
    inventory: list[tuple[str, str, str]],
) -> None:
    # The converse: each finding has its own acknowledgment, none rides on a wider one.
    from examples.stacks import findings_without_acknowledgments

    acknowledged = {(fid, path) for path, fid, _ in inventory}
    uncovered = [
        str(f)
        for f in findings_without_acknowledgments()
        if (f.rule_id, f.path) not in acknowledged
        and (f.rule_id, f.path.removesuffix("/Resource")) not in acknowledged
    ]
    assert uncovered == [], "\n" + "\n".join(uncovered)


def test_every_kind_is_used_by_a_stack_the_repository_makes(
    inventory: list[tuple[str, str, str]],
) -> None:
    # A kind no stack uses is either dead or untested by the compliance gate.
    kinds, skips = _tables()
    used_reasons = {reason for _, _, reason in inventory}
    assert [k.name for k in kinds if k.reason not in used_reasons] == []
    skip_reasons = {reason for _, _, _, reason in _checkov_skips()}
    assert [s.name for s in skips if s.reason not in skip_reasons] == []


def _checkov_skips() -> list[tuple[str, str, str, str]]:
    """(template, logical id, check id, comment) of every checkov skip in the templates."""
    from examples.stacks import synthesized

    found = []
    for name, path in synthesized().templates.items():
        resources = json.loads(path.read_text())["Resources"]
        for logical_id, resource in resources.items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                found.append((name, logical_id, skip.get("id", ""), skip.get("comment", "")))
    return found


def test_every_checkov_skip_in_the_templates_is_a_kind_of_the_table() -> None:
    _, skips = _tables()
    allowed = {(check, s.reason) for s in skips for check in s.checks}
    skipped = _checkov_skips()
    assert skipped
    unknown = [s for s in skipped if (s[2], s[3]) not in allowed]
    assert unknown == []


if __name__ == "__main__":
    # Rewrite the generated parts of the documents from the tables.
    sys.path[:0] = [str(ROOT / "constructs")]
    for document in _documents():
        text = document.read_text(encoding="utf-8")
        document.write_text(
            text.replace(_generated_part(text), render_inventory()), encoding="utf-8"
        )
        print(f"updated {document.relative_to(ROOT)}")
