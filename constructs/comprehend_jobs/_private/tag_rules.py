"""The rule for a job's ``tags``: the API's Tag shape (key and value limits from botocore's
model, 50 tags per resource), and the dict meant when tags come in another shape
(CloudFormation's ``[{"Key": .., "Value": ..}]``, ``"k=v"``, numbers or None as values,
keys with pasted whitespace or the reserved ``aws:`` prefix).
"""

from __future__ import annotations

from collections.abc import Mapping

from comprehend_jobs._private import job_limits
from comprehend_jobs._private.validation import Problems, is_unresolved


def _tags_meant(tags: object) -> dict[str, str] | None:
    """The ``{key: value}`` dict of strings a tags value in another shape means:
    CloudFormation's ``[{"Key": k, "Value": v}]``, ``"k=v,k2=v2"``, numbers or None as
    values, keys with pasted whitespace or the reserved ``aws:`` prefix. None when no
    dict can be read from it."""
    pairs: list[tuple[object, object]]
    if isinstance(tags, Mapping):
        pairs = list(tags.items())
    elif isinstance(tags, list | tuple) and all(
        isinstance(t, Mapping) and "Key" in t for t in tags
    ):
        pairs = [(t["Key"], t.get("Value", "")) for t in tags]
    elif isinstance(tags, str) and "=" in tags:
        pairs = [tuple(p.split("=", 1)) for p in tags.split(",") if "=" in p]  # type: ignore[misc]
    else:
        return None
    meant: dict[str, str] = {}
    for key, value in pairs:
        if not isinstance(key, str | int | float) or isinstance(key, bool):
            return None
        text = str(key).strip()
        if text.lower().startswith("aws:"):
            text = text[4:].strip()
        meant[text] = "" if value is None else str(value).strip()
    return meant if all(meant) else None


def check_tags(problems: Problems, tags: object) -> None:
    """A ``{key: value}`` dict of strings: at most MAX_TAGS (49) tags, each key and value
    within the API's limits. Another shape (CloudFormation's list of Key/Value, numbers,
    a string) is one problem whose fix is the dict meant."""
    if tags is None or is_unresolved(tags) or (isinstance(tags, Mapping) and not tags):
        return
    shaped = isinstance(tags, Mapping) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
    )
    if not shaped:
        meant = _tags_meant(tags)
        problems.add(
            "tags",
            tags,
            "a dict of string keys to string values, e.g. {'team': 'claims'}",
            f"use tags={meant!r}" if meant else "pass e.g. tags={'team': 'claims'}",
        )
        return
    assert isinstance(tags, Mapping)
    if len(tags) > job_limits.MAX_TAGS:
        problems.add(
            "tags",
            f"{len(tags)} tags",
            f"at most {job_limits.MAX_TAGS} tags per job",
            "drop some tags",
        )
    key_limits, value_limits = job_limits.tag_key_limits(), job_limits.tag_value_limits()
    for key, value in tags.items():
        if is_unresolved(key) or is_unresolved(value):
            continue
        key_min, key_max = key_limits.get("min", 0), key_limits.get("max", len(key))
        stripped = key.strip()
        if stripped != key or stripped.lower().startswith("aws:"):
            problems.add(
                "tags",
                key,
                "keys without surrounding whitespace (sent verbatim) and not starting with "
                "aws: (reserved for AWS)",
                f"rename the tag key: use tags={_tags_meant(tags)!r}",
            )
        elif not key_min <= len(key) <= key_max:
            problems.add(
                "tags",
                key,
                f"keys of {key_min}-{key_max} characters, not starting with aws:",
                "rename the tag key",
            )
        value_max = value_limits.get("max", len(value))
        if len(value) > value_max:
            problems.add(
                "tags",
                f"{key}={value[:20]}...",
                f"values of at most {value_max} characters",
                "shorten the value",
            )
