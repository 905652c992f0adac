"""Two templates of one stack, before and after an update, diffed by logical ID and
classified as CloudFormation would act on them.

A resource in both templates is **replaced** when its type changed, when a createOnly
property of its type (``schemas``) changed, or, for a job, when the handler's rule says the
update starts a new job (a new physical ID, the old one deleted at cleanup). Otherwise a
difference in its properties or policies is an **update in place**. Values are compared
after normalizing references: a ``Ref``/``Fn::GetAtt``/``Fn::Sub`` of a resource replaced in
this update resolves to a new value, and ``Fn::GetAtt`` of a custom resource's attribute
named after one of its properties (``SourceObjectKeys`` of an upload) is that property, so a
replacement ripples through everything that refers to it (to a fixpoint).

A removed or replaced resource is **retained** when the applying policy (``DeletionPolicy``
of the removed resource, ``UpdateReplacePolicy`` of the replacing one) keeps it, else
**deleted**.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from comprehend_jobs._lambda import request_builder
from comprehend_jobs.job_types import RESOURCE_TYPE as JOB_TYPE
from update_safety.schemas import create_only_pointers, values_at

Template = Mapping[str, Any]
#: Whether an update of a job's properties (old, new) starts a new job.
NewJobRule = Callable[[Mapping[str, Any], Mapping[str, Any]], bool]

#: Policies that keep the physical resource.
RETAINING = frozenset({"Retain", "RetainExceptOnCreate", "Snapshot"})
#: The job's classes, as the README's table shows them.
NEW_JOB = "new job"
SAME_JOB = "same job"
RETAGGED = "same job, re-tagged"
_SUB_NAME = re.compile(r"\$\{([^!}][^}]*)\}")


def handler_rule(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    """The handler's own rule (``requires_new_job``), applied to template properties."""
    return bool(request_builder.requires_new_job(old, new))


@dataclass(frozen=True, order=True)
class Violation:
    """One broken rule: the rule, the resource and why."""

    rule: str
    logical_id: str
    message: str


@dataclass(frozen=True)
class Change:
    """What CloudFormation does with one resource."""

    logical_id: str
    type: str
    #: ``add``, ``remove``, ``update`` (in place) or ``replace``.
    action: str
    #: For ``remove`` and ``replace``: ``retained`` or ``deleted``; else "".
    fate: str = ""
    #: The properties (dotted paths, two levels deep) or attributes that differ.
    paths: tuple[str, ...] = ()
    #: For a job in both templates: ``new job``, ``same job`` or ``same job, re-tagged``.
    job: str = ""


@dataclass
class StackDiff:
    """One stack's update: both templates and every resource CloudFormation touches."""

    before: Template
    after: Template
    changes: dict[str, Change] = field(default_factory=dict)
    #: Logical IDs in both templates that get a new physical resource.
    replaced: frozenset[str] = frozenset()

    def resources(self, side: str) -> dict[str, Any]:
        """The ``Resources`` of ``before`` or ``after``."""
        template = self.before if side == "before" else self.after
        return dict(template.get("Resources", {}))

    def normalize(self, value: Any, side: str) -> Any:
        """``value`` of ``side`` with its references resolved as far as an update sees them."""
        return normalize(value, self.resources(side), self.replaced if side == "after" else ())

    def action(self, logical_id: str) -> str:
        """The action on ``logical_id`` ("" when untouched)."""
        change = self.changes.get(logical_id)
        return change.action if change else ""


def reference_target(value: Any) -> tuple[str, str] | None:
    """(logical ID, attribute) of a ``Ref`` or ``Fn::GetAtt``; the attribute of a Ref is ""."""
    if not isinstance(value, dict) or len(value) != 1:
        return None
    if "Ref" in value and isinstance(value["Ref"], str):
        return value["Ref"], ""
    got = value.get("Fn::GetAtt")
    if isinstance(got, list) and len(got) == 2 and all(isinstance(p, str) for p in got):
        return got[0], got[1]
    if isinstance(got, str) and "." in got:
        name, attribute = got.split(".", 1)
        return name, attribute
    return None


def references(value: Any) -> set[str]:
    """Every logical ID ``value`` refers to (Ref, GetAtt, Sub), pseudo parameters left out."""
    found: set[str] = set()
    target = reference_target(value)
    if target is not None:
        if not target[0].startswith("AWS::"):
            found.add(target[0])
        return found
    if isinstance(value, dict):
        sub = value.get("Fn::Sub")
        if sub is not None:
            text = sub if isinstance(sub, str) else sub[0]
            found |= {n.split(".")[0] for n in _SUB_NAME.findall(text) if "AWS::" not in n}
        for item in value.values():
            found |= references(item)
    elif isinstance(value, list):
        for item in value:
            found |= references(item)
    return found


def normalize(
    value: Any, resources: Mapping[str, Any], replaced: frozenset[str] | tuple[str, ...] = ()
) -> Any:
    """``value`` with references to ``replaced`` resources marked new, and ``GetAtt`` of a
    custom resource's property-named attribute resolved to that property."""
    target = reference_target(value)
    if target is not None:
        name, attribute = target
        if name in replaced:
            return {"<new>": name, "attribute": attribute}
        resource = resources.get(name, {})
        props = resource.get("Properties", {})
        if attribute and resource.get("Type", "").startswith("Custom::") and attribute in props:
            return normalize(props[attribute], resources, replaced)
        return value
    if isinstance(value, dict):
        out = {k: normalize(v, resources, replaced) for k, v in value.items()}
        sub = value.get("Fn::Sub")
        if sub is not None:
            text = sub if isinstance(sub, str) else sub[0]
            new = sorted({n.split(".")[0] for n in _SUB_NAME.findall(text)} & set(replaced))
            if new:
                out["<new>"] = new
        return out
    if isinstance(value, list):
        return [normalize(v, resources, replaced) for v in value]
    return value


def _differing_paths(old: Any, new: Any, prefix: str = "", depth: int = 2) -> list[str]:
    if old == new:
        return []
    if depth and isinstance(old, dict) and isinstance(new, dict):
        keys = sorted(set(old) | set(new))
        return [
            p
            for k in keys
            for p in _differing_paths(old.get(k), new.get(k), f"{prefix}{k}.", depth - 1)
        ]
    return [prefix.rstrip(".")]


def _replaces(
    resource_type: str,
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    new_job: NewJobRule,
) -> bool:
    if resource_type == JOB_TYPE:
        return new_job(old, new)
    return any(
        values_at(dict(old), path) != values_at(dict(new), path)
        for path in create_only_pointers(resource_type)
    )


def _fate(policy: Any) -> str:
    return "retained" if policy in RETAINING else "deleted"


def diff_stack(before: Template, after: Template, new_job: NewJobRule = handler_rule) -> StackDiff:
    """Every resource an update from ``before`` to ``after`` touches, classified."""
    diff = StackDiff(before, after)
    old, new = diff.resources("before"), diff.resources("after")
    common = sorted(set(old) & set(new))
    replaced: set[str] = {k for k in common if old[k]["Type"] != new[k]["Type"]}
    grew = True
    while grew:
        grew = False
        frozen = frozenset(replaced)
        for logical_id in common:
            if logical_id in replaced:
                continue
            before_props = normalize(old[logical_id].get("Properties", {}), old)
            after_props = normalize(new[logical_id].get("Properties", {}), new, frozen)
            if _replaces(new[logical_id]["Type"], before_props, after_props, new_job):
                replaced.add(logical_id)
                grew = True
    diff.replaced = frozenset(replaced)
    for logical_id in sorted(set(old) - set(new)):
        policy = old[logical_id].get("DeletionPolicy")
        diff.changes[logical_id] = Change(
            logical_id, old[logical_id]["Type"], "remove", _fate(policy)
        )
    for logical_id in sorted(set(new) - set(old)):
        diff.changes[logical_id] = Change(logical_id, new[logical_id]["Type"], "add")
    for logical_id in common:
        before_props = normalize(old[logical_id].get("Properties", {}), old)
        after_props = normalize(new[logical_id].get("Properties", {}), new, diff.replaced)
        paths = _differing_paths(before_props, after_props)
        for attribute in ("DeletionPolicy", "UpdateReplacePolicy", "Type"):
            if old[logical_id].get(attribute) != new[logical_id].get(attribute):
                paths.append(attribute)
        resource_type = new[logical_id]["Type"]
        job = ""
        if resource_type == JOB_TYPE and old[logical_id]["Type"] == JOB_TYPE:
            tags_differ = before_props.get("Request", {}).get("Tags") != after_props.get(
                "Request", {}
            ).get("Tags")
            job = NEW_JOB if logical_id in replaced else RETAGGED if tags_differ else SAME_JOB
        if logical_id in replaced:
            policy = new[logical_id].get("UpdateReplacePolicy")
            diff.changes[logical_id] = Change(
                logical_id, resource_type, "replace", _fate(policy), tuple(paths), job
            )
        elif paths:
            diff.changes[logical_id] = Change(
                logical_id, resource_type, "update", "", tuple(paths), job
            )
    return diff


def dumps(value: Any) -> str:
    """A canonical text of ``value`` (for sets of JSON values)."""
    return json.dumps(value, sort_keys=True, default=str)
