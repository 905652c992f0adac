"""Prop validation: every problem names the prop, the value, what is allowed and the fix.

Constructs collect every problem with their props before creating anything, then raise
one ``PropValidationError`` listing them all, so a user fixes everything in one pass and
a failed check never leaves half a construct tree behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from aws_cdk import Token


class PropValidationError(ValueError):
    """Raised when a construct's props are invalid; the message lists every problem."""

    def __init__(self, construct: str, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{construct}: invalid props:\n{lines}")


def describe_problem(prop: str, value: Any, allowed: str, fix: str) -> str:
    """One problem, in the one format every construct uses."""
    return f"{prop}={value!r} is not valid: {allowed}. Fix: {fix}"


def is_unresolved(value: Any) -> bool:
    """True for CDK tokens, whose value is only known at deploy time (never validated)."""
    if value is None:
        return False
    if isinstance(value, str | int | float):
        return Token.is_unresolved(value)
    if isinstance(value, list):
        return Token.is_unresolved(value)
    return False


class Problems:
    """Collects prop problems for one construct and raises them together."""

    def __init__(self, construct: str) -> None:
        self._construct = construct
        self._problems: list[str] = []

    def add(self, prop: str, value: Any, allowed: str, fix: str) -> None:
        """Record one problem with ``prop``."""
        self._problems.append(describe_problem(prop, value, allowed, fix))

    @property
    def messages(self) -> list[str]:
        """The problems recorded so far, in the order they were found."""
        return list(self._problems)

    def __bool__(self) -> bool:
        return bool(self._problems)

    def raise_if_any(self) -> None:
        """Raise one PropValidationError listing every problem recorded."""
        if self._problems:
            raise PropValidationError(self._construct, self._problems)
