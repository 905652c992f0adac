"""The rules for a ``DataAccessRole``'s own props: the name of the role it makes, its
description, and the ARN of a role brought with ``DataAccessRole.from_role_arn``.

Patterns are matched whole (``fullmatch``): ``$`` alone matches before a final newline,
and a pasted one would go verbatim into the IAM policy.
"""

from __future__ import annotations

import re

from aws_cdk import Token

from comprehend_jobs._private.validation import Problems

#: An IAM role ARN (role paths allowed).
ROLE_ARN = re.compile(r"arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]{1,512}")
#: An IAM role name.
ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}")


def check_role_props(problems: Problems, role_name: object, description: object) -> None:
    """A role name of 1-64 of IAM's characters and a string description (or None)."""
    problems.check_type(
        "description", description, str, "a string, or None", "pass description='...'"
    )
    if role_name is not None and (
        not isinstance(role_name, str)
        or (not Token.is_unresolved(role_name) and not ROLE_NAME.fullmatch(role_name))
    ):
        problems.add(
            "role_name",
            role_name,
            "1-64 characters from letters, digits and +=,.@_-",
            "shorten or clean the name, or omit it",
        )


def check_role_arn(problems: Problems, role_arn: object) -> None:
    """An IAM role ARN, without pasted whitespace (tokens are not checked)."""
    if isinstance(role_arn, str) and (
        Token.is_unresolved(role_arn) or ROLE_ARN.fullmatch(role_arn)
    ):
        return
    stripped = str(role_arn).strip()
    problems.add(
        "role_arn",
        role_arn,
        "an IAM role ARN 'arn:<partition>:iam::<12-digit account>:role/<path/name>', "
        "without surrounding spaces or line breaks",
        f"use role_arn={stripped!r}"
        if ROLE_ARN.fullmatch(stripped)
        else "copy the role ARN from the IAM console",
    )
