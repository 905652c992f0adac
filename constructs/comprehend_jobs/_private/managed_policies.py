"""Keep a role's permissions in a customer managed policy, never an inline one.

HIPAA Security, NIST 800-53 R5 and PCI DSS 3.2.1 reject inline policies. Some aws-cdk-lib
constructs (the Provider's waiter, BucketDeployment) grant into their role's inline
default policy with no prop to change that; this moves it after the fact.
"""

from __future__ import annotations

from aws_cdk import aws_iam as iam
from constructs import Construct


def move_inline_policy_to_managed(scope: Construct, id: str, role: iam.Role) -> iam.ManagedPolicy:
    """Replace ``role``'s inline default policy with a managed policy under ``scope``.

    The managed policy shares the inline policy's document, so whatever is granted to the
    role later lands in it too; the inline policy leaves the tree. Dependents of the role
    that must wait for its permissions should depend on the returned policy.
    """
    node = role.node  # each ``.node`` is a round trip into jsii
    inline = node.try_find_child("DefaultPolicy")
    if not isinstance(inline, iam.Policy):
        raise ValueError(f"{node.path} has no inline default policy to move")
    managed = iam.ManagedPolicy(scope, id, document=inline.document, roles=[role])
    node.try_remove_child("DefaultPolicy")
    return managed
