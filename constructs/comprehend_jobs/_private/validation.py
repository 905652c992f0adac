"""Prop validation: every problem names the prop, the value, what is allowed and the fix.

Constructs collect every problem with their props before creating anything, then raise
one ``PropValidationError`` listing them all, so a user fixes everything in one pass and
a failed check never leaves half a construct tree behind.

The message comes first and stands alone: its first line names the construct (class and
construct path) and the problem (or, with several, the props at fault), because in an app
it is often read at the bottom of a long traceback.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import Enum
from typing import Any, Protocol

from aws_cdk import RemovalPolicy, Token
from constructs import Construct

from comprehend_jobs.errors import PropValidationError

#: String values that read as a boolean (context and environment variables give strings).
_TRUE_STRINGS = frozenset({"true", "yes", "y", "on", "1"})
_FALSE_STRINGS = frozenset({"false", "no", "n", "off", "0", ""})
#: The interfaces an imported CDK object may implement, by an attribute only they have.
_INTERFACES = (
    ("key_arn", "kms.IKey"),
    ("bucket_arn", "s3.IBucket"),
    ("vpc_id", "ec2.IVpc"),
    ("security_group_id", "ec2.ISecurityGroup"),
    ("subnet_id", "ec2.ISubnet"),
    ("role_arn", "iam.IRole"),
)


def construct_label(class_name: str, scope: Construct | None, construct_id: str) -> str:
    """How errors name a construct that is about to be made: ``Class at 'Stack/Id'``."""
    try:
        parent = scope.node.path if scope is not None else ""
    except Exception:  # not a construct: the error about it is reported elsewhere
        parent = ""
    path = f"{parent}/{construct_id}" if parent else str(construct_id)
    return f"{class_name} at {path!r}"


def describe_value(value: Any) -> str:
    """A readable rendering of a prop value: ``repr`` for plain values, the class and the
    construct path for CDK objects (never ``<jsii._reference_map.InterfaceDynamicProxy>``),
    ``Class.MEMBER`` for enum members, a short note for tokens."""
    if isinstance(value, bool | int | float) or value is None:
        return repr(value)
    if isinstance(value, str):
        if Token.is_unresolved(value):
            return f"{value!r} (a token, resolved at deploy time)"
        return repr(value)
    if isinstance(value, Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, list | tuple):
        inner = ", ".join(describe_value(v) for v in value)
        return f"[{inner}]" if isinstance(value, list) else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: {describe_value(v)}" for k, v in value.items()) + "}"
    name = type(value).__name__
    if name.endswith("Proxy") or type(value).__module__.startswith("jsii"):
        name = next((i for attr, i in _INTERFACES if _safe_has(value, attr)), "a CDK object")
        if not name.startswith("a "):
            name = f"an imported {name}"
    else:
        name = f"a {name}"
    path = _construct_path(value)
    return f"<{name} at {path!r}>" if path else f"<{name}>"


def _safe_has(value: object, attribute: str) -> bool:
    try:
        return hasattr(value, attribute)
    except Exception:
        return True


def _construct_path(value: object) -> str | None:
    try:
        node = value.node  # type: ignore[attr-defined]
        return str(node.path)
    except Exception:
        return None


def describe_problem(prop: str, value: Any, allowed: str, fix: str) -> str:
    """One problem, in the one format every construct uses."""
    return f"{prop}={describe_value(value)} is not valid: {allowed}. Fix: {fix}"


def is_unresolved(value: Any) -> bool:
    """True for CDK tokens, whose value is only known at deploy time (never validated)."""
    if value is None:
        return False
    if isinstance(value, str) and not may_be_token(value):
        return False
    if isinstance(value, str | int | float):
        return Token.is_unresolved(value)
    if isinstance(value, list):
        return Token.is_unresolved(value)
    return False


def may_be_token(value: str) -> bool:
    """False for a string that holds no token, told without a round trip into jsii.

    A token encoded in a string always holds its marker (``${Token[...]}``, ``#{Token[``
    for a list's): a string without ``Token[`` is one ``Token.is_unresolved`` would call
    resolved. Only the strings that may hold one are asked about."""
    return "Token[" in value


def bool_fix(prop: str, value: Any) -> str:
    """The fix for a non-bool given where a bool is expected."""
    if isinstance(value, str) and value.strip().lower() in _TRUE_STRINGS | _FALSE_STRINGS:
        meant = value.strip().lower() in _TRUE_STRINGS
        return (
            f"pass {prop}={meant} (a bool: any non-empty string, 'false' too, is truthy); "
            f'for a context or environment string use {prop}=(value in (True, "true"))'
        )
    return f"pass {prop}=True or {prop}=False"


class Problems:
    """Collects prop problems for one construct and raises them together."""

    def __init__(self, construct: str | Callable[[], str]) -> None:
        # A callable (``lambda: construct_label(...)``) is called only to raise: naming a
        # construct reads its scope's path, a jsii round trip most constructs never need.
        self._construct = construct
        self._problems: list[str] = []

    def add(self, prop: str, value: Any, allowed: str, fix: str) -> None:
        """Record one problem with ``prop``."""
        self._problems.append(describe_problem(prop, value, allowed, fix))

    def check_bool(self, prop: str, value: Any, *, also: str = "") -> bool:
        """Record a problem unless ``value`` is a bool; True when it is one.

        :param also: what else the prop accepts, e.g. ``"or a JobNetwork"``.
        """
        if isinstance(value, bool):
            return True
        allowed = f"True or False{' ' + also if also else ''}"
        if isinstance(value, str):
            allowed += " (a string such as 'false' is truthy and would do the opposite)"
        self.add(prop, value, allowed, bool_fix(prop, value))
        return False

    def check_interface(self, prop: str, value: Any, interface: type, fix: str) -> bool:
        """Record a problem unless ``value`` has every member of the Protocol
        ``interface`` (e.g. ``IJobStorage``); True when it has. Nothing of ``value`` is
        called: checking creates nothing in the construct tree."""
        missing = _missing_members(value, interface)
        if not missing:
            return True
        # An object with some members is probably a near miss: name what it lacks.
        some = len(missing) < len(_missing_members(object(), interface))
        lacks = f" (this object lacks {', '.join(missing)})" if some else ""
        self.add(prop, value, f"an {interface.__name__}{lacks}", fix)
        return False

    def check_type(
        self, prop: str, value: Any, types: type | tuple[type, ...], allowed: str, fix: str
    ) -> bool:
        """Record a problem unless ``value`` is None (the default) or of ``types``; True
        when it is. Checked before the value reaches aws-cdk-lib, whose own type check
        raises a bare ``TypeError`` naming its parameter, not the prop."""
        if value is None or isinstance(value, types):
            return True
        self.add(prop, value, allowed, fix)
        return False

    def check_removal_policy(self, value: Any, prop: str = "removal_policy") -> bool:
        """Record a problem unless ``value`` is None or a ``RemovalPolicy``."""
        return self.check_type(
            prop,
            value,
            RemovalPolicy,
            "a RemovalPolicy member, or None (RETAIN)",
            f"pass {prop}=RemovalPolicy.RETAIN or {prop}=RemovalPolicy.DESTROY",
        )

    def check_key_object(self, prop: str, value: Any) -> bool:
        """Record a problem unless ``value`` is None or a ``kms.IKey``."""
        if value is None or (
            hasattr(value, "key_arn") and hasattr(value, "add_to_resource_policy")
        ):
            return True
        self.add(
            prop, value, "a kms.IKey", f"pass {prop}=kms.Key(...) or kms.Key.from_key_arn(...)"
        )
        return False

    @property
    def messages(self) -> list[str]:
        """The problems recorded so far, in the order they were found."""
        return list(self._problems)

    def __bool__(self) -> bool:
        return bool(self._problems)

    def raise_if_any(self) -> None:
        """Raise one PropValidationError listing every problem recorded."""
        if self._problems:
            label = self._construct if isinstance(self._construct, str) else self._construct()
            raise PropValidationError(label, self._problems)


def _missing_members(value: object, interface: type) -> list[str]:
    """The members of the Protocol ``interface`` that ``value`` lacks, sorted. Looked up
    with ``inspect.getattr_static``, so no property of ``value`` is evaluated."""
    names = {
        name
        for klass in interface.__mro__
        if klass not in (object, Protocol) and getattr(klass, "_is_protocol", False)
        for name in vars(klass)
        if not name.startswith("_")
    }
    missing = []
    for name in sorted(names):
        try:
            inspect.getattr_static(value, name)
        except AttributeError:
            missing.append(name)
    return missing
