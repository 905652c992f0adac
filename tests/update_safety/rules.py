"""The update-safety rules: each a named check of one ``StackDiff``, in one table (``RULES``).

1. ``service-token``: no custom resource's ServiceToken changes (CloudFormation refuses).
2. ``data-retention``: no bucket, key or log group that the deployed stack keeps
   (``DeletionPolicy: Retain``) is deleted by the update: removed or replaced without
   retention. One the deployed stack already declares disposable (``Delete``) is classified
   ``deleted`` and not reported: the update does what a teardown would.
3. ``key-lifetime``: no KMS key is deleted by the update, or left to be deleted with the
   stack (its policy flipped from Retain), while data survives under it: a bucket or log
   group that stays in the stack or is retained and referred to the key in the deployed
   template (objects and log events stay under the key they were written with). And an
   input bucket whose key changes while its upload does not (the uploaded documents stay
   under the old key, which the new job's role can no longer use).
4. ``job-restart``: a job's custom resource starts a new job only when a field that defines
   the job changed (``JOB_DEFINING_PROPERTIES``); a job removed and another added whose
   definitions differ only in the resources they name is a rename, which restarts the job
   on re-created resources.
5. ``running-job-permissions``: no permission a running job needs is taken away before the
   job stops. See ``permissions`` for what "needs" and "before it stops" mean.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from comprehend_jobs.job_types import RESOURCE_TYPE as JOB_TYPE
from update_safety.diff import RETAINING, StackDiff, Violation, reference_target, references
from update_safety.permissions import running_job_violations

#: The resources that hold data (their removal loses it).
DATA_TYPES = frozenset({"AWS::S3::Bucket", "AWS::KMS::Key", "AWS::Logs::LogGroup"})
KEY_TYPE = "AWS::KMS::Key"
UPLOAD_TYPE = "Custom::CDKBucketDeployment"

#: The job's properties that define it, each with the fields below it that do not: the
#: handler re-tags a running job when only ``Request.Tags`` change. The single table of what
#: the check calls "defining"; the classification itself asks the handler's own rule
#: (``requires_new_job``), and a test holds the two together, so when the handler's rule
#: changes, this table must follow.
JOB_DEFINING_PROPERTIES: dict[str, frozenset[str]] = {
    "JobType": frozenset(),
    "Request": frozenset({"Tags"}),
    "RerunToken": frozenset(),
}


@dataclass(frozen=True)
class Rule:
    """A named rule and its check."""

    name: str
    summary: str
    check: Callable[[StackDiff], list[Violation]]


def _service_token(diff: StackDiff) -> list[Violation]:
    found = []
    before, after = diff.resources("before"), diff.resources("after")
    for logical_id in sorted(set(before) & set(after)):
        old_props = before[logical_id].get("Properties", {})
        if "ServiceToken" not in old_props:
            continue
        old = diff.normalize(old_props.get("ServiceToken"), "before")
        new = diff.normalize(after[logical_id].get("Properties", {}).get("ServiceToken"), "after")
        if old != new:
            found.append(
                Violation(
                    "service-token",
                    logical_id,
                    "ServiceToken changes: CloudFormation refuses the update",
                )
            )
    return found


def _data_retention(diff: StackDiff) -> list[Violation]:
    found = []
    before = diff.resources("before")
    for change in diff.changes.values():
        if change.type not in DATA_TYPES or change.action not in ("remove", "replace"):
            continue
        if change.fate == "deleted" and before[change.logical_id].get("DeletionPolicy") in (
            RETAINING
        ):
            found.append(
                Violation(
                    "data-retention",
                    change.logical_id,
                    f"{change.type} is {'replaced' if change.action == 'replace' else 'removed'}"
                    " and deleted, though the deployed stack retains it",
                )
            )
    return found


def _survives(diff: StackDiff, logical_id: str) -> bool:
    """Whether the resource's data outlives this update (kept in the stack, or retained)."""
    change = diff.changes.get(logical_id)
    return change is None or change.action == "update" or change.fate == "retained"


def _kept_beyond_teardown(diff: StackDiff, logical_id: str) -> bool:
    """Whether the resource outlives the stack too (retained now, or Retain in the stack)."""
    change = diff.changes.get(logical_id)
    if change is not None and change.action in ("remove", "replace"):
        return change.fate == "retained"
    return diff.resources("after")[logical_id].get("DeletionPolicy") in RETAINING


def _key_lifetime(diff: StackDiff) -> list[Violation]:
    found = []
    before, after = diff.resources("before"), diff.resources("after")
    keys = {k for k, v in before.items() if v["Type"] == KEY_TYPE}
    for holder in sorted(k for k, v in before.items() if v["Type"] in DATA_TYPES - {KEY_TYPE}):
        if not _survives(diff, holder):
            continue
        for key in sorted(references(before[holder].get("Properties", {})) & keys):
            change = diff.changes.get(key)
            if change is not None and change.action in ("remove", "replace"):
                if change.fate == "deleted":
                    found.append(
                        Violation(
                            "key-lifetime",
                            key,
                            f"deleted while {holder} keeps data encrypted with it",
                        )
                    )
                continue
            flipped = before[key].get("DeletionPolicy") in RETAINING and after[key].get(
                "DeletionPolicy"
            ) not in (RETAINING)
            if flipped and _kept_beyond_teardown(diff, holder):
                found.append(
                    Violation(
                        "key-lifetime",
                        key,
                        f"now deleted with the stack (DeletionPolicy Retain -> "
                        f"{after[key].get('DeletionPolicy', 'Delete')}), while {holder} "
                        "keeps data encrypted with it beyond the stack",
                    )
                )
    found.extend(_stale_uploads(diff))
    return sorted(set(found))


def _bucket_of(upload: Mapping[str, Any]) -> str | None:
    target = upload.get("Properties", {}).get("DestinationBucketName")
    refs = references(target)
    return next(iter(refs)) if len(refs) == 1 else None


def rekeyed_buckets(diff: StackDiff) -> dict[str, list[tuple[str, bool]]]:
    """Each bucket in both templates whose encryption changes in place, with the uploads
    into it (logical ID, whether the update runs it again)."""
    before, after = diff.resources("before"), diff.resources("after")
    found: dict[str, list[tuple[str, bool]]] = {
        change.logical_id: []
        for change in diff.changes.values()
        if change.type == "AWS::S3::Bucket"
        and change.action == "update"
        and any(p.startswith("BucketEncryption") for p in change.paths)
    }
    for logical_id, upload in sorted(before.items()):
        if upload["Type"] != UPLOAD_TYPE or logical_id not in after:
            continue
        bucket = _bucket_of(upload)
        if bucket in found:
            found[bucket].append((logical_id, bool(diff.action(logical_id))))
    return found


def _stale_uploads(diff: StackDiff) -> list[Violation]:
    """An input bucket whose encryption changes in place while its upload does not."""
    return [
        Violation(
            "key-lifetime",
            bucket,
            f"its key changes but its upload {upload} does not run again: the "
            "uploaded documents stay encrypted with the old key",
        )
        for bucket, uploads in sorted(rekeyed_buckets(diff).items())
        for upload, runs in uploads
        if not runs
    ]


def _defining_values(props: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, exempt in JOB_DEFINING_PROPERTIES.items():
        value = props.get(name)
        if isinstance(value, Mapping) and exempt:
            value = {k: v for k, v in value.items() if k not in exempt}
        values[name] = value
    return values


def _masked(value: Any) -> Any:
    """``value`` with every reference to a resource made alike (what a rename changes)."""
    if reference_target(value) is not None or (isinstance(value, dict) and "<new>" in value):
        return "<resource>"
    if isinstance(value, dict):
        return {k: _masked(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_masked(v) for v in value]
    return value


def _renamed_jobs(diff: StackDiff) -> list[Violation]:
    """A job removed and one added whose definitions differ only in the resources they
    name: a rename, which starts a new job on re-created resources."""
    found = []
    before, after = diff.resources("before"), diff.resources("after")
    added = [
        c.logical_id for c in diff.changes.values() if c.type == JOB_TYPE and c.action == "add"
    ]
    for change in diff.changes.values():
        if change.type != JOB_TYPE or change.action != "remove":
            continue
        old = _masked(_defining_values(before[change.logical_id].get("Properties", {})))
        for logical_id in added:
            if _masked(_defining_values(after[logical_id].get("Properties", {}))) == old:
                found.append(
                    Violation(
                        "job-restart",
                        change.logical_id,
                        f"renamed to {logical_id}: a new job starts on re-created resources "
                        "though nothing that defines the job changed",
                    )
                )
    return found


def _job_restart(diff: StackDiff) -> list[Violation]:
    found = _renamed_jobs(diff)
    before, after = diff.resources("before"), diff.resources("after")
    for change in diff.changes.values():
        if change.type != JOB_TYPE or change.action != "replace":
            continue
        if before[change.logical_id]["Type"] != JOB_TYPE:
            continue
        old = diff.normalize(before[change.logical_id].get("Properties", {}), "before")
        new = diff.normalize(after[change.logical_id].get("Properties", {}), "after")
        if _defining_values(old) == _defining_values(new):
            found.append(
                Violation(
                    "job-restart",
                    change.logical_id,
                    "a new job starts though no field that defines the job changed "
                    f"(changed: {', '.join(change.paths)})",
                )
            )
    return found


#: Every rule, in the order the README lists them.
RULES: tuple[Rule, ...] = (
    Rule("service-token", "no custom resource's ServiceToken changes", _service_token),
    Rule(
        "data-retention",
        "no retained bucket, key or log group is removed or replaced without retention",
        _data_retention,
    ),
    Rule(
        "key-lifetime",
        "no key is deleted (now or with the stack) while kept data or uploaded documents need it",
        _key_lifetime,
    ),
    Rule(
        "job-restart",
        "a new job starts only when a field that defines the job changed",
        _job_restart,
    ),
    Rule(
        "running-job-permissions",
        "no permission a running job needs is removed before it stops",
        running_job_violations,
    ),
)


def check(diff: StackDiff, rules: tuple[Rule, ...] = RULES) -> list[Violation]:
    """Every violation of ``rules`` in ``diff``, sorted."""
    return sorted({v for rule in rules for v in rule.check(diff)})
