"""Limits of the Start*Job request fields, read from botocore's own Comprehend model.

The API model is the source of truth for patterns, lengths and enums; copying them by
hand would drift. botocore ships with boto3, a dependency of this library.

The model file is read directly rather than through ``botocore.session``: importing the
session machinery costs about 0.3 s, paid on every ``cdk synth``, for a lookup of a few
shapes. The file is the one botocore itself ships (``data/comprehend/<version>/``); a
test checks every shape this library reads against botocore's own loader.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import re
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

#: The keys of a shape that botocore's ``Shape.metadata`` reports (its METADATA_ATTRS).
_METADATA_KEYS = (
    "required", "min", "max", "pattern", "sensitive", "enum", "idempotencyToken", "error",
    "exception", "endpointdiscoveryid", "retryable", "document", "union", "contextParam",
    "clientContextParams", "requiresLength",
)  # fmt: skip

#: JobName allows letters, separators and numbers of any script (``\p{L}\p{Z}\p{N}``),
#: which Python's ``re`` cannot express; these are the other characters its pattern allows.
_JOB_NAME_PUNCTUATION = set("_.:/=+-%@")


def model_path() -> Path:
    """botocore's Comprehend service model (the newest API version it ships)."""
    spec = importlib.util.find_spec("botocore")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("botocore is not installed: pip install boto3")
    service = Path(next(iter(spec.submodule_search_locations))) / "data" / "comprehend"
    newest = sorted(p for p in service.iterdir() if p.is_dir())[-1]
    # botocore ships its models gzipped since 1.32; older releases ship plain JSON.
    return next(
        path for path in (newest / "service-2.json.gz", newest / "service-2.json") if path.exists()
    )


@cache
def _shapes() -> dict[str, Any]:
    path = model_path()
    raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    shapes: dict[str, Any] = json.loads(raw)["shapes"]
    return shapes


@cache
def shape_metadata(shape_name: str) -> dict[str, Any]:
    """The constraints (min, max, pattern, enum) of a named shape in the Comprehend model."""
    shape = _shapes()[shape_name]
    return {key: shape[key] for key in _METADATA_KEYS if key in shape}


def member_shape(structure: str, member: str) -> str:
    """The shape name of one member of a structure shape (``VpcConfig``, ``Subnets``)."""
    return str(_shapes()[structure]["members"][member]["shape"])


def list_member_shape(list_shape: str) -> str:
    """The shape name of a list shape's items."""
    return str(_shapes()[list_shape]["member"]["shape"])


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
