"""Template-checker skips, kept on the resource they concern.

checkov reads ``Metadata.checkov.skip`` (``[{"id": ..., "comment": ...}]``) on a resource
and reports the check as skipped there, with the comment. That is the only way this library
skips a check: never a blanket skip on a command line, never for a whole template. Like the
cdk-nag acknowledgments (``comprehend_jobs.compliance.acknowledgments``), every skip comes from one
small table of kinds, so an inventory can list them, and each carries a one-line reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from aws_cdk import CfnResource
from constructs import IConstruct

#: The metadata key checkov reads its skips from.
CHECKOV_METADATA_KEY = "checkov"


@dataclass(frozen=True)
class CheckSkip:
    """One reason a template check does not apply, and the checks it covers."""

    #: Short stable name (the key in ``CHECK_SKIPS``).
    name: str
    #: The checkov check ids this kind skips.
    checks: tuple[str, ...]
    #: Why, in one line (written into the template next to the skip).
    reason: str


DEPLOY_TIME_FUNCTION = CheckSkip(
    "DEPLOY_TIME_FUNCTION",
    ("CKV_AWS_115", "CKV_AWS_116", "CKV_AWS_117"),
    "Custom-resource function that runs only while CloudFormation deploys: it calls only "
    "AWS APIs (no VPC needed), a failure fails the deployment (no dead-letter queue), and "
    "reserved concurrency would fail in accounts with a low concurrency quota.",
)

NO_RESOURCE_LEVEL_ACTIONS = CheckSkip(
    "NO_RESOURCE_LEVEL_ACTIONS",
    ("CKV_AWS_109", "CKV_AWS_111"),
    "Only actions AWS documents with Resource '*' and no condition key to narrow them: the "
    "EC2 network-interface actions of Comprehend jobs in a VPC, or X-Ray and log delivery "
    "of the waiter state machine.",
)

ACCESS_LOG_DESTINATION = CheckSkip(
    "ACCESS_LOG_DESTINATION",
    ("CKV_AWS_18",),
    "This bucket is the server access log destination of the job buckets; logging it into "
    "itself would log its own log deliveries without end.",
)

#: Every kind, keyed by name. Iterate it for the inventory.
CHECK_SKIPS: dict[str, CheckSkip] = {
    s.name: s for s in (DEPLOY_TIME_FUNCTION, NO_RESOURCE_LEVEL_ACTIONS, ACCESS_LOG_DESTINATION)
}


def _cfn_resource(resource: IConstruct) -> CfnResource:
    if isinstance(resource, CfnResource):
        return resource
    child = resource.node.default_child
    if isinstance(child, CfnResource):
        return child
    raise ValueError(f"{resource.node.path} is not a CloudFormation resource and has none")


def skip_checkov(resource: IConstruct, check_id: str, reason: str) -> None:
    """Skip one checkov check on ``resource`` (a CfnResource, or an L2 construct whose
    default child is one), with ``reason`` as the one-line comment checkov reports."""
    _add_skips(resource, [check_id], reason)


def _add_skips(resource: IConstruct, check_ids: Sequence[str], reason: str) -> None:
    # One metadata read and one write per resource however many checks: each is a jsii
    # round trip, and the library skips checks on a dozen resources per stack.
    if not check_ids or not all(check_ids) or not reason.strip() or "\n" in reason:
        raise ValueError("skip_checkov: a check id and a one-line reason are required")
    cfn = _cfn_resource(resource)
    metadata: dict[str, Any] = dict(cfn.get_metadata(CHECKOV_METADATA_KEY) or {})
    skips = [dict(s) for s in metadata.get("skip", [])]
    present = {s.get("id") for s in skips}
    added = [c for c in dict.fromkeys(check_ids) if c not in present]
    if not added:
        return
    skips += [{"id": c, "comment": reason} for c in added]
    metadata["skip"] = skips
    cfn.add_metadata(CHECKOV_METADATA_KEY, metadata)


def skip_checks(
    resource: IConstruct, kind: CheckSkip, *, only: Sequence[str] | None = None
) -> list[str]:
    """Skip the checks of ``kind`` (or ``only`` some of them) on one resource; returns the
    check ids skipped."""
    if CHECK_SKIPS.get(kind.name) is not kind:
        raise ValueError(f"skip_checks: kind {kind.name!r} is not in CHECK_SKIPS")
    checks = list(kind.checks if only is None else only)
    unknown = [c for c in checks if c not in kind.checks]
    if unknown:
        raise ValueError(f"skip_checks: {unknown} are not checks of kind {kind.name}")
    _add_skips(resource, checks, kind.reason)
    return checks


def skip_checks_under(scope: IConstruct, resource_type: str, kind: CheckSkip) -> int:
    """Skip ``kind`` on every resource of ``resource_type`` (``AWS::Lambda::Function``)
    in ``scope``'s subtree, for constructs that make such resources without exposing them
    (aws-cdk-lib's Provider). Returns how many resources got the skip."""
    found = [
        c
        for c in scope.node.find_all()
        if isinstance(c, CfnResource) and c.cfn_resource_type == resource_type
    ]
    for cfn in found:
        skip_checks(cfn, kind)
    return len(found)
