"""The rules for S3 key prefixes given as props: what a valid prefix is, why one is not,
and the fix to suggest (a valid prefix close to the one given).

Shared by ``JobStorage`` (its two prefixes), ``DataAccessRole`` (the prefixes it grants
on) and ``ComprehendAnalysis`` (the prefixes of its S3 URIs).
"""

from __future__ import annotations

import re

from comprehend_jobs._private.validation import Problems, is_unresolved

#: Default prefixes: a trailing "/" so "input/" never matches "input2/...".
DEFAULT_INPUT_PREFIX = "input/"
DEFAULT_OUTPUT_PREFIX = "output/"

PREFIX_ALLOWED = (
    "an S3 key prefix ending in '/', of at most 1024 bytes (UTF-8), with no leading '/', "
    "no '//', no '.' or '..' path segment, no control characters and none of '*', '?', "
    "'$', '\\\\' (they would act as IAM wildcards or policy variables); '' means the whole "
    "bucket"
)


def prefix_problem(value: object) -> str | None:
    """Why ``value`` is not a valid prefix, or None when it is (tokens are not checked)."""
    if not isinstance(value, str):
        return "not a string"
    if is_unresolved(value):
        return None
    if value.lower().startswith("s3://"):
        return "is an S3 URI, not a key prefix"
    if len(value.encode("utf-8")) > 1024:
        return "longer than 1024 bytes"
    if value.startswith("/"):
        return "starts with '/'"
    if "//" in value:
        return "contains '//'"
    if any(seg in (".", "..") for seg in value.split("/")):
        return "has a '.' or '..' segment"
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return "contains a control character"
    bad = sorted({c for c in value if c in "*?$\\"})
    if bad:
        return f"contains {''.join(bad)!r}"
    if value and not value.endswith("/"):
        return (
            f"does not end with '/': the grant on '{value}*' would also cover "
            f"'{value}-archive/' and every other key that starts with '{value}'"
        )
    return None


#: The last path segment of a file: a name, a '.', an extension ('claims/doc-1.txt').
_FILE_NAME = re.compile(r"(?:^|/)[^/]*[^/.]\.[A-Za-z0-9]{1,16}$")
#: What an input location may also be (the API's S3Uri "can point to a single input file").
OBJECT_KEY_ALLOWED = (
    "or the key of one input object, its file name with an extension ('claims/doc-1.txt')"
)


def is_object_key(value: object) -> bool:
    """True for the key of one object, as an input location may be (InputDataConfig's
    S3Uri names a prefix or a single file): a file name with an extension that would be
    a valid prefix with a '/' after it. A key without an extension stays a (mistyped)
    prefix: Comprehend reads every object that starts with it, and a grant on exactly that
    key would refuse the job all of them."""
    return (
        isinstance(value, str)
        and not is_unresolved(value)
        and _FILE_NAME.search(value) is not None
        and prefix_problem(value + "/") is None
    )


def check_prefix(problems: Problems, prop: str, value: object, default: str) -> None:
    """Record a problem with ``prop`` unless ``value`` is a valid prefix; the fix names a
    valid one (``default`` when nothing of ``value`` is usable)."""
    why = prefix_problem(value)
    if why:
        problems.add(
            prop,
            value,
            f"{PREFIX_ALLOWED} (this one {why})",
            prefix_fix(value, default, prop),
        )


def suggest_prefix(value: object, default: str = DEFAULT_INPUT_PREFIX) -> str:
    """A valid prefix close to ``value`` (its path segments, cleaned, ending in '/');
    ``default`` when nothing usable is left. Always passes ``prefix_problem``."""
    if not isinstance(value, str):
        return default
    if value.lower().startswith("s3://"):
        value = value[5:].partition("/")[2]
    # A glob ("docs/*.txt") names files in a folder: the folder is the prefix meant.
    glob = min((i for i in (value.find("*"), value.find("?")) if i >= 0), default=-1)
    if glob >= 0:
        value = value[: value.rfind("/", 0, glob) + 1]
    cleaned = "".join(c for c in value if c not in "*?$\\" and 0x20 <= ord(c) != 0x7F)
    segments = [seg for seg in cleaned.split("/") if seg not in ("", ".", "..")]
    suggestion = "".join(f"{seg}/" for seg in segments)
    while len(suggestion.encode("utf-8")) > 1024:
        segments[-1] = segments[-1][:-1]
        segments = [seg for seg in segments if seg not in ("", ".", "..")]
        suggestion = "".join(f"{seg}/" for seg in segments)
    return suggestion or default


def prefix_fix(value: object, default: str = DEFAULT_INPUT_PREFIX, prop: str = "prefix") -> str:
    """The fix for an invalid prefix: a valid one, or for an S3 URI, where its parts go."""
    if isinstance(value, str) and value.lower().startswith("s3://"):
        bucket = value[5:].partition("/")[0]
        role = "output" if prop.startswith("output") else "input"
        return (
            f"pass the bucket separately (existing_{role}_bucket=s3.Bucket.from_bucket_name("
            f"scope, id, {bucket!r})) and {prop}={suggest_prefix(value, default)!r}"
        )
    return f"use {prop}={suggest_prefix(value, default)!r}"
