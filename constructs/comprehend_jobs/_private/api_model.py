"""Limits of the Start*Job request fields, read from botocore's own Comprehend model.

The API model is the source of truth for patterns, lengths and enums; copying them by
hand would drift. botocore ships with boto3, a dependency of this library.

The model file is read directly rather than through ``botocore.session``: importing the
session machinery costs about 0.3 s, paid on every ``cdk synth``, for a lookup of a few
shapes. The file is the one botocore itself ships (``data/comprehend/<version>/``); a
test checks every shape this library reads against botocore's own loader.

Values are checked against a shape by the handler's own rules (``shape_rules``, which
ships in the Lambda asset): a prop the constructs accept is a request the handler accepts.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from functools import cache
from pathlib import Path
from typing import Any

from comprehend_jobs._lambda import shape_rules

#: The keys of a shape that botocore's ``Shape.metadata`` reports (its METADATA_ATTRS).
_METADATA_KEYS = (
    "required", "min", "max", "pattern", "sensitive", "enum", "idempotencyToken", "error",
    "exception", "endpointdiscoveryid", "retryable", "document", "union", "contextParam",
    "clientContextParams", "requiresLength",
)  # fmt: skip


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
    """Whether the API accepts ``value`` for a string shape: its allowed values, length
    and pattern, checked by the handler's own rules."""
    return shape_rules.string_problem(shape_metadata(shape_name), value) is None


def is_valid_job_name(name: str) -> bool:
    """The API's JobName rule (the JobName shape's length and its pattern: letters,
    separators and numbers of any script and ``_.:/=+-%@``)."""
    return matches_shape("JobName", name)
