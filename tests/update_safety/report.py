"""The README's table of changes ("Changing a deployed stack"), from the matrix's results:
one row per change, what CloudFormation does, what happens to the running job and the data,
and the open findings."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from comprehend_jobs.job_types import JOB_TYPES
from comprehend_jobs.job_types import RESOURCE_TYPE as JOB_TYPE
from update_safety import CaseResult
from update_safety.diff import NEW_JOB, RETAGGED, StackDiff
from update_safety.rules import DATA_TYPES, rekeyed_buckets

HEADER = (
    "| change | CloudFormation | the running job | the data | open findings |\n"
    "|---|---|---|---|---|"
)
_VERBS = (("update", "updated"), ("replace", "replaced"), ("add", "added"), ("remove", "removed"))
_HASH = re.compile(r"[0-9A-F]{8}$")


def short(logical_id: str) -> str:
    """A logical ID without CDK's hash suffix."""
    return _HASH.sub("", logical_id)


def _counts(diff: StackDiff) -> str:
    counted = Counter(c.action for c in diff.changes.values())
    parts = [f"{counted[action]} {word}" for action, word in _VERBS if counted[action]]
    return ", ".join(parts) or "nothing"


def _stoppable(diff: StackDiff, logical_id: str) -> bool:
    props = diff.resources("before")[logical_id].get("Properties", {})
    job_type = JOB_TYPES.get(str(props.get("JobType")))
    stop = props.get("StopOnDelete", True)
    return job_type is not None and job_type.has_stop and str(stop).lower() == "true"


def _jobs(diff: StackDiff) -> list[str]:
    said = []
    for logical_id, resource in sorted(diff.resources("before").items()):
        if resource["Type"] != JOB_TYPE:
            continue
        change = diff.changes.get(logical_id)
        ends = (
            "stopped at cleanup"
            if _stoppable(diff, logical_id)
            else "waited for at cleanup (not stopped)"
        )
        if str(resource.get("Properties", {}).get("WaitForCompletion")).lower() == "true":
            ends = "already done (its deploy waited for it)"
        if change is None or change.action == "update":
            said.append(RETAGGED if change is not None and change.job == RETAGGED else "same job")
        elif change.action == "replace":
            said.append(f"{NEW_JOB}; the old one is {ends}")
        else:
            said.append(f"{short(logical_id)} removed: {ends}")
    for change in diff.changes.values():
        if change.type == JOB_TYPE and change.action == "add":
            said.append(f"{short(change.logical_id)} added: a new job")
    return said


def _data(diff: StackDiff) -> list[str]:
    said = []
    before, after = diff.resources("before"), diff.resources("after")
    for change in sorted(diff.changes.values(), key=lambda c: c.logical_id):
        if change.type not in DATA_TYPES:
            continue
        name = short(change.logical_id)
        if change.action in ("remove", "replace"):
            said.append(f"{name} {change.fate}")
        elif change.action == "update" and "DeletionPolicy" in change.paths:
            policy = after[change.logical_id].get("DeletionPolicy", "Delete")
            old = before[change.logical_id].get("DeletionPolicy", "Delete")
            said.append(f"{name} {old} -> {policy}")
    # A bucket re-keyed in place: new objects go under the new key, what it held stays
    # under the old one, unless its upload puts the documents again.
    for bucket, uploads in sorted(rekeyed_buckets(diff).items()):
        if uploads and all(runs for _, runs in uploads):
            said.append(f"{short(bucket)} re-keyed, documents uploaded again")
        else:
            said.append(f"{short(bucket)} re-keyed, earlier objects stay under the old key")
    return said


def row(result: CaseResult, findings: Sequence[str]) -> str:
    """The README row of one change."""
    cfn, job, data = [], [], []
    for stack, diff in sorted(result.diffs.items()):
        prefix = f"{stack}: " if len(result.diffs) + len(result.created) > 1 else ""
        cfn.append(prefix + _counts(diff))
        job.extend(_jobs(diff))
        data.extend(_data(diff))
    for stack in result.created:
        cfn.append(f"{stack}: a new stack")
        job.append(f"{stack} starts its job")
    for stack in result.left:
        cfn.append(f"{stack}: left deployed as it is")
    cells = [
        result.case.name,
        "; ".join(cfn),
        "; ".join(dict.fromkeys(job)) or "none",
        "; ".join(data) or "kept",
        "; ".join(sorted(set(findings))) or "none",
    ]
    return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"


def table(results: Sequence[CaseResult], findings: Mapping[str, Sequence[str]]) -> str:
    """The README's table: one row per change, in the matrix's order."""
    rows = [row(r, findings.get(r.case.name, ())) for r in results]
    return "\n".join([HEADER, *rows])
