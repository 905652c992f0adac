"""Rule 5, ``running-job-permissions``: no permission a running job needs is removed before
the job stops.

What a job of the deployed template needs (an approximation from the template alone; a
job may not use every statement, and a statement only some of its tasks use counts too):

- its DataAccessRole's trust statements (Comprehend assumes the role while the job runs,
  and the trust's ``aws:SourceArn`` names the job's ARN type) and every Allow statement of
  the policies attached to that role (read the input, write the output, the keys, the EC2
  network-interface actions in a VPC);
- the handler's caller statements for ``Describe`` and ``Stop`` of the job's type: a job's
  Delete describes and stops it in the cleanup phase, with the updated caller policy.

How long it needs them (the job's fate in the update):

- a job that waited for completion (``WaitForCompletion``) finished at its own deploy;
- a job replaced by a new one, or removed, is stopped by its Delete at cleanup, before the
  policies it depends on are deleted (its custom resource depends on its role's policy):
  it needs its permissions through the update phase (Stop is asynchronous; the short
  wind-down after it is not modelled). One that is not stopped (a type without Stop,
  such as classification, or ``StopOnDelete: false``) is waited for by that Delete, up
  to the handler's ``REPLACED_JOB_WAIT_SECONDS``, so it too needs them until cleanup
  (a job that runs on for longer is not modelled);
- a job that stays (same job) runs on: it needs them through the update phase and in the
  updated stack, after cleanup.

The permissions in force: **during the update phase**, each policy or role updated in place
has its new document while removed and replaced ones keep their old (deleted at cleanup);
**after cleanup**, the updated template alone, with nothing left on a replaced role's old
physical role. A permission is still there when a statement in force allows the same
action (or a wildcard of it) on the same resource for the same role, with conditions no
stricter (each condition value list a superset).
"""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from comprehend_jobs.job_types import JOB_TYPES
from comprehend_jobs.job_types import RESOURCE_TYPE as JOB_TYPE
from update_safety.diff import StackDiff, Violation, dumps, reference_target

ROLE = "AWS::IAM::Role"
POLICIES = ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy")
RULE = "running-job-permissions"
_WHEN = {"during": "in the update phase", "after": "after cleanup"}


@dataclass(frozen=True)
class Grant:
    """One allowed action on one resource for one role (a statement, expanded)."""

    role: str
    #: ``trust`` (the role's trust policy) or ``policy``.
    kind: str
    action: str
    resource: str
    principal: str
    condition: str


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _role_key(value: Any) -> str:
    """The role a (normalized) reference names: its logical ID, ``<new>ID`` when replaced."""
    target = reference_target(value)
    if target is not None:
        return target[0]
    if isinstance(value, dict) and "<new>" in value:
        return f"<new>{value['<new>']}"
    return dumps(value)


def _grants(role: str, kind: str, document: Any) -> Iterator[Grant]:
    if not isinstance(document, Mapping):
        return
    for statement in _listed(document.get("Statement", [])):
        if not isinstance(statement, Mapping) or statement.get("Effect") != "Allow":
            continue
        actions = _listed(statement.get("Action", statement.get("NotAction", "")))
        resources = _listed(statement.get("Resource", statement.get("NotResource", "")))
        for action in actions:
            for resource in resources:
                yield Grant(
                    role,
                    kind,
                    str(action).lower(),
                    dumps(resource),
                    dumps(statement.get("Principal")),
                    dumps(statement.get("Condition", {})),
                )


def _resource_grants(diff: StackDiff, logical_id: str, side: str) -> Iterator[Grant]:
    resource = diff.resources(side)[logical_id]
    props = diff.normalize(resource.get("Properties", {}), side)
    if resource["Type"] == ROLE:
        key = (
            f"<new>{logical_id}" if side == "after" and logical_id in diff.replaced else logical_id
        )
        yield from _grants(key, "trust", props.get("AssumeRolePolicyDocument"))
        for inline in props.get("Policies", []) or []:
            yield from _grants(key, "policy", inline.get("PolicyDocument"))
    elif resource["Type"] in POLICIES:
        for role in props.get("Roles", []) or []:
            yield from _grants(_role_key(role), "policy", props.get("PolicyDocument"))


def _iam(diff: StackDiff, side: str) -> list[str]:
    return [
        k for k, v in diff.resources(side).items() if v["Type"] == ROLE or v["Type"] in POLICIES
    ]


def in_force(diff: StackDiff, phase: str) -> set[Grant]:
    """The grants in force ``during`` the update phase or ``after`` cleanup."""
    found: set[Grant] = set()
    for logical_id in _iam(diff, "after"):
        found.update(_resource_grants(diff, logical_id, "after"))
    if phase == "during":
        for logical_id in _iam(diff, "before"):
            if diff.action(logical_id) in ("remove", "replace"):
                found.update(_resource_grants(diff, logical_id, "before"))
    return found


def _conditions_cover(available: str, needed: str) -> bool:
    have, need = json.loads(available), json.loads(needed)
    for operator, keys in have.items():
        for key, values in keys.items():
            asked = need.get(operator, {}).get(key)
            if asked is None:
                return False
            if not {dumps(v) for v in _listed(asked)} <= {dumps(v) for v in _listed(values)}:
                return False
    return True


def _covers(available: Grant, needed: Grant) -> bool:
    if (available.role, available.kind, available.principal) != (
        needed.role,
        needed.kind,
        needed.principal,
    ):
        return False
    if not fnmatch.fnmatchcase(needed.action, available.action):
        return False
    if available.resource != needed.resource:
        have, want = json.loads(available.resource), json.loads(needed.resource)
        if not (isinstance(have, str) and isinstance(want, str)):
            return False
        if not fnmatch.fnmatchcase(want, have):
            return False
    return _conditions_cover(available.condition, needed.condition)


def _truthy(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _own_source_arns(grant: Grant, arn_resource: str) -> Grant:
    """A trust grant with its ``aws:SourceArn`` values narrowed to the job's own ARN type
    (a role shared by several job types trusts each; a job needs only its own)."""
    condition = json.loads(grant.condition)
    for keys in condition.values():
        values = keys.get("aws:SourceArn") if isinstance(keys, dict) else None
        if values is None:
            continue
        own = [v for v in _listed(values) if f":{arn_resource}/" in dumps(v)]
        if own:
            keys["aws:SourceArn"] = own
    return Grant(
        grant.role, grant.kind, grant.action, grant.resource, grant.principal, dumps(condition)
    )


def _job_needs(diff: StackDiff, job_id: str) -> tuple[set[Grant], set[Grant]]:
    """(role grants, caller grants) the deployed job ``job_id`` needs."""
    props = diff.resources("before")[job_id].get("Properties", {})
    target = reference_target(props.get("Request", {}).get("DataAccessRoleArn"))
    grants: set[Grant] = set()
    for logical_id in _iam(diff, "before"):
        grants.update(_resource_grants(diff, logical_id, "before"))
    role = target[0] if target else None
    job_type = JOB_TYPES.get(str(props.get("JobType")))
    verbs = {job_type.iam_action(v).lower() for v in ("Describe", "Stop")} if job_type else set()
    mine = {g for g in grants if g.role == role}
    if job_type is not None:
        mine = {
            _own_source_arns(g, job_type.arn_resource) if g.kind == "trust" else g for g in mine
        }
    caller = {g for g in grants if g.role != role and g.kind == "policy" and g.action in verbs}
    return mine, caller


def _phases(diff: StackDiff, job_id: str) -> tuple[str, ...]:
    """When the deployed job runs: ``during`` the update phase, and ``after`` cleanup. A
    replaced or removed job ends before cleanup goes on: stopped by its Delete, or, if it
    is not stopped, waited for by it."""
    if diff.action(job_id) in ("replace", "remove"):
        return ("during",)
    return ("during", "after")


def _describe(grants: set[Grant]) -> str:
    trust = sorted({g.condition for g in grants if g.kind == "trust"})
    actions = sorted({g.action for g in grants if g.kind == "policy"})
    parts = []
    if trust:
        parts.append(f"trust of {sorted({g.role for g in grants})[0]} ({'; '.join(trust)})")
    if actions:
        parts.append(", ".join(actions))
    return "; ".join(parts)


def running_job_violations(diff: StackDiff) -> list[Violation]:
    """Rule 5 over every job of the deployed template that may still run."""
    found = []
    state = {phase: in_force(diff, phase) for phase in ("during", "after")}
    for job_id, resource in sorted(diff.resources("before").items()):
        if resource["Type"] != JOB_TYPE:
            continue
        if _truthy(resource.get("Properties", {}).get("WaitForCompletion")):
            continue
        mine, caller = _job_needs(diff, job_id)
        checks = [(phase, mine) for phase in _phases(diff, job_id)] + [("after", caller)]
        lost: dict[str, set[str]] = {}
        for phase, needed in checks:
            missing = {n for n in needed if not any(_covers(a, n) for a in state[phase])}
            if missing:
                lost.setdefault(_describe(missing), set()).add(phase)
        for what, phases in sorted(lost.items()):
            when = " and ".join(_WHEN[p] for p in ("during", "after") if p in phases)
            found.append(Violation(RULE, job_id, f"loses {what} {when}, while it runs"))
    return found
