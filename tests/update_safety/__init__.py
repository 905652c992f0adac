"""The update-safety check: what a change to a deployed stack makes CloudFormation do.

``matrix`` holds the changes (each synthesized before and after), ``diff`` classifies every
resource an update touches (with the createOnly properties of cfn-lint's resource
schemas, ``schemas``), ``rules`` and ``permissions`` hold the rules, and ``run_case`` puts
them together for one change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from update_safety.diff import StackDiff, Violation, diff_stack
from update_safety.matrix import Case, Synthesizer
from update_safety.rules import check


@dataclass
class CaseResult:
    """One change's outcome, per stack of the app."""

    case: Case
    #: Stacks in both configurations, by name.
    diffs: dict[str, StackDiff] = field(default_factory=dict)
    #: Stacks only the new configuration makes (created) or only the old one made (left
    #: deployed: ``cdk deploy`` does not delete a stack the app stopped making).
    created: tuple[str, ...] = ()
    left: tuple[str, ...] = ()
    violations: list[tuple[str, Violation]] = field(default_factory=list)


def run_case(case: Case, synthesizer: Synthesizer) -> CaseResult:
    """Synthesize ``case`` before and after, diff each stack and check every rule."""
    before, after = synthesizer.templates(case.before), synthesizer.templates(case.after)
    result = CaseResult(
        case,
        created=tuple(sorted(set(after) - set(before))),
        left=tuple(sorted(set(before) - set(after))),
    )
    for stack in sorted(set(before) & set(after)):
        diff = diff_stack(before[stack], after[stack])
        result.diffs[stack] = diff
        result.violations.extend((stack, v) for v in check(diff))
    return result
