"""Limits of the Start*Job request fields, read from botocore's own Comprehend model.

The API model is the source of truth for patterns, lengths and enums; copying them by
hand would drift. botocore ships with boto3, a dependency of this library.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from typing import Any

import botocore.session

#: JobName allows letters, separators and numbers of any script (``\p{L}\p{Z}\p{N}``),
#: which Python's ``re`` cannot express; these are the other characters its pattern allows.
_JOB_NAME_PUNCTUATION = set("_.:/=+-%@")


@cache
def _service_model() -> Any:
    return botocore.session.get_session().get_service_model("comprehend")


@cache
def shape_metadata(shape_name: str) -> dict[str, Any]:
    """The constraints (min, max, pattern, enum) of a named shape in the Comprehend model."""
    return dict(_service_model().shape_for(shape_name).metadata)


def enum_values(shape_name: str) -> list[str]:
    """The values a string enum shape allows."""
    return list(shape_metadata(shape_name).get("enum", []))


def matches_shape(shape_name: str, value: str) -> bool:
    """Whether ``value`` meets the length and pattern limits of a string shape.

    Only for shapes whose pattern Python's ``re`` understands (the ARN shapes); JobName has
    its own check, ``is_valid_job_name``.
    """
    meta = shape_metadata(shape_name)
    if not meta.get("min", 0) <= len(value) <= meta.get("max", len(value)):
        return False
    pattern = meta.get("pattern")
    return pattern is None or re.fullmatch(pattern, value) is not None


def is_valid_job_name(name: str) -> bool:
    """The API's JobName rule: 1-256 characters of letters, separators, numbers, ``_.:/=+-%@``."""
    meta = shape_metadata("JobName")
    if not meta["min"] <= len(name) <= meta["max"]:
        return False
    return all(
        ch in _JOB_NAME_PUNCTUATION or unicodedata.category(ch)[0] in ("L", "Z", "N") for ch in name
    )
