"""The error every construct raises for invalid props.

Constructs collect every problem with their props before creating anything, then raise
one ``PropValidationError`` listing them all, so a user fixes everything in one pass and
a failed check never leaves half a construct tree behind.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["PropValidationError"]


class PropValidationError(ValueError):
    """Raised when a construct's props are invalid; the message lists every problem.

    The first line names the construct and the problem; ``problems`` holds each problem.
    """

    def __init__(self, construct: str, problems: Iterable[str]) -> None:
        self.construct = construct
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = f"{construct}: invalid props: {self.problems[0]}"
        else:
            props = ", ".join(dict.fromkeys(p.split("=", 1)[0] for p in self.problems))
            lines = "\n".join(f"  - {p}" for p in self.problems)
            message = (
                f"{construct}: invalid props: {len(self.problems)} problems ({props}):\n{lines}"
            )
        super().__init__(message)
