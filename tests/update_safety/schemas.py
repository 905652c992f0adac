"""What CloudFormation replaces: the ``createOnlyProperties`` of each resource type, read
offline from the resource provider schemas cfn-lint ships (``us-east-1``'s)."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any

#: The Region whose provider schemas are read (the stacks' models are in us-east-1).
REGION = "us-east-1"


def _schemas_dir() -> Any:
    return resources.files("cfnlint").joinpath("data", "schemas")


@functools.cache
def _provider_index() -> dict[str, str]:
    """Resource type -> the file name of its schema (cfn-lint deduplicates schemas by hash)."""
    index = json.loads(_schemas_dir().joinpath("providers", f"{REGION}.json").read_text())
    return dict(index)


@functools.cache
def schema(resource_type: str) -> dict[str, Any] | None:
    """The provider schema of ``resource_type``, or None (custom resources have none)."""
    name = _provider_index().get(resource_type)
    if name is None:
        return None
    text = _schemas_dir().joinpath("resources", f"{name}.json").read_text()
    return dict(json.loads(text))


def create_only_pointers(resource_type: str) -> tuple[tuple[str, ...], ...]:
    """The type's createOnly properties as paths below ``Properties`` (a JSON pointer
    ``/properties/A/B`` becomes ``("A", "B")``; ``*`` stands for every item of a list)."""
    found = schema(resource_type)
    if found is None:
        return ()
    paths = []
    for pointer in found.get("createOnlyProperties", []):
        parts = pointer.split("/")
        if parts[:2] != ["", "properties"]:
            continue
        paths.append(tuple(parts[2:]))
    return tuple(paths)


def values_at(value: Any, path: tuple[str, ...]) -> list[Any]:
    """Every value at ``path`` below ``value`` (``*`` fans out over a list); [] if absent."""
    if not path:
        return [value]
    head, rest = path[0], path[1:]
    if head == "*":
        if not isinstance(value, list):
            return []
        return [found for item in value for found in values_at(item, rest)]
    if isinstance(value, dict) and head in value:
        return values_at(value[head], rest)
    return []
