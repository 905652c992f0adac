"""Rename or move a construct in code and keep what it deployed.

CloudFormation knows a resource by its logical ID, and aws-cdk-lib makes each logical ID
from the construct path (the readable part and a hash of the whole path). Renaming a
``ComprehendAnalysis`` from ``Entities`` to ``Claims`` changes every logical ID below it,
so the next deploy creates new buckets, keys, role, VPC and job, deletes what the old
stack would delete and leaves the retained buckets, keys and log groups beside the new
ones. ``keep_logical_ids(claims, previous_path="Entities")`` gives every resource below
``claims`` the logical ID it had at its previous path: the template is the deployed one,
and the deploy changes nothing (no job starts). The same works for building blocks moved
under another parent, and for a pattern replaced by building blocks built at its paths
(README, "Changing a deployed stack").
"""

from __future__ import annotations

import hashlib
import re

import jsii
from aws_cdk import Aspects, CfnElement, IAspect, Stack, Token
from constructs import Construct, IConstruct

from comprehend_jobs._private.validation import construct_label, describe_problem
from comprehend_jobs.errors import PropValidationError

__all__ = ["keep_logical_ids", "logical_id"]

# aws-cdk-lib's logical IDs (core, private/uniqueid): ``Default`` components are left
# out, ``Resource`` only from the readable part; the readable part drops a component the
# one before it ends with, keeps letters and digits, at most 240 characters; an 8-digit
# hash of the path follows, except for a single short component (used as it is).
_HIDDEN, _HIDDEN_FROM_HUMAN = "Default", "Resource"
_MAX_HUMAN, _MAX_ID = 240, 255
_NOT_ALPHANUMERIC = re.compile(r"[^A-Za-z0-9]")
_COMPONENT = re.compile(r"[^/\s]+")


def logical_id(components: list[str]) -> str:
    """The logical ID aws-cdk-lib allocates for a path below a stack (its components)."""
    components = [c for c in components if c != _HIDDEN]
    if not components:
        raise ValueError("no path components")
    if len(components) == 1:
        single = _NOT_ALPHANUMERIC.sub("", components[0])
        if len(single) <= _MAX_ID:
            return single
    digest = hashlib.md5("/".join(components).encode(), usedforsecurity=False)
    kept: list[str] = []
    for component in components:
        if not kept or not kept[-1].endswith(component):
            kept.append(component)
    human = "".join(_NOT_ALPHANUMERIC.sub("", c) for c in kept if c != _HIDDEN_FROM_HUMAN)
    return human[:_MAX_HUMAN] + digest.hexdigest()[:8].upper()


def _components(node: IConstruct, stack: Stack) -> list[str]:
    return node.node.path[len(stack.node.path) :].strip("/").split("/")


@jsii.implements(IAspect)
class _KeepLogicalIds:
    """Gives each CloudFormation element below the scope its logical ID at the old path."""

    def __init__(self, scope: Construct, previous: list[str]) -> None:
        self._scope = scope
        self._stack = Stack.of(scope)
        self._current = _components(scope, self._stack)
        self._previous = previous
        self._unique_ids: list[tuple[str, str]] | None = None

    def _old(self, components: list[str]) -> list[str]:
        return self._previous + components[len(self._current) :]

    def _renamed_unique_ids(self) -> list[tuple[str, str]]:
        """(unique ID now, unique ID before) of each construct below the scope, longest
        first. Some construct IDs embed another construct's unique ID (a security group's
        rule names its peer: ``from<unique ID>ALLPORTS``), so they move too."""
        if self._unique_ids is None:
            stack_path = self._stack.node.path.split("/")
            pairs = {}
            for construct in self._scope.node.find_all():
                below = _components(construct, self._stack)
                pairs[logical_id(stack_path + below)] = logical_id(stack_path + self._old(below))
            self._unique_ids = sorted(pairs.items(), key=lambda p: -len(p[0]))
        return self._unique_ids

    def visit(self, node: IConstruct) -> None:
        if not CfnElement.is_cfn_element(node):
            return
        assert isinstance(node, CfnElement)
        # An element of a nested stack below the scope keeps its own (the nested
        # stack's logical ID in this stack is what moves).
        if Stack.of(node) is not self._stack:
            return
        old = self._old(_components(node, self._stack))
        for index in range(len(self._previous), len(old)):
            for now, before in self._renamed_unique_ids():
                old[index] = old[index].replace(now, before)
        node.override_logical_id(logical_id(old))


def keep_logical_ids(scope: Construct, *, previous_path: str) -> None:
    """Keep the resources ``scope`` deployed when it stood at ``previous_path``.

    Every CloudFormation resource below ``scope`` (made now or later, up to synth) gets
    the logical ID it had when ``scope``'s path in its stack was ``previous_path``. Use it
    when renaming a construct (``ComprehendAnalysis(self, "Claims", ...)`` deployed as
    ``Entities``) or moving it under another parent in the same stack; keep the call for
    as long as the stack lives (removing it is the rename). What the update then does is
    exactly what the code changes beside the rename do.

    :param scope: the renamed or moved construct (not a stack).
    :param previous_path: its path in the same stack before, the stack's own ID left out,
        components separated by ``/`` (``"Entities"``, ``"Claims/Entities"``); the
        ``aws:cdk:path`` metadata of the deployed template shows it after the stack's ID.
    """
    label = construct_label("keep_logical_ids", scope, "")
    if not isinstance(scope, Construct) or Stack.is_stack(scope):
        raise PropValidationError(
            label,
            [
                describe_problem(
                    "scope",
                    scope,
                    "a construct inside a stack (the one renamed or moved)",
                    "pass the construct itself, e.g. the ComprehendAnalysis",
                )
            ],
        )
    previous = previous_path.strip("/").split("/") if isinstance(previous_path, str) else []
    if (
        not isinstance(previous_path, str)
        or Token.is_unresolved(previous_path)
        or not all(_COMPONENT.fullmatch(c) for c in previous)
    ):
        raise PropValidationError(
            label,
            [
                describe_problem(
                    "previous_path",
                    previous_path,
                    "the construct's former path below its stack: IDs separated by '/', "
                    "no spaces, the stack's own ID left out",
                    "copy it from the deployed template's aws:cdk:path metadata, after "
                    "the stack's ID and before the resource's own IDs (e.g. 'Entities')",
                )
            ],
        )
    Aspects.of(scope).add(_KeepLogicalIds(scope, previous))
