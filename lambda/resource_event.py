"""A typed view of a CloudFormation custom resource event, as the Provider framework
passes it to ``on_event`` and ``is_complete`` (the latter also carries the on_event
result: PhysicalResourceId and Data).

A thin wrapper over the raw dict, in the spirit of Powertools'
``CloudFormationCustomResourceEvent``: the handler reads named properties instead of
digging through dicts, and never logs the raw event (its ResponseURL is a presigned URL).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, cast

RequestType = Literal["Create", "Update", "Delete"]
_REQUEST_TYPES = ("Create", "Update", "Delete")


@dataclass(frozen=True)
class CustomResourceEvent:
    """One custom resource event; ``raw`` is the event exactly as received."""

    raw: Mapping[str, Any]

    @property
    def request_type(self) -> RequestType:
        """Create, Update or Delete."""
        value = self.raw.get("RequestType")
        if value not in _REQUEST_TYPES:
            raise ValueError(f"RequestType={value!r} is not one of {', '.join(_REQUEST_TYPES)}")
        return cast(RequestType, value)

    @property
    def request_id(self) -> str:
        """CloudFormation's id of this request (the same on every retry of the event)."""
        return str(self.raw.get("RequestId", ""))

    @property
    def stack_id(self) -> str:
        """The stack ARN."""
        return str(self.raw.get("StackId", ""))

    @property
    def logical_resource_id(self) -> str:
        """The resource's logical id in the template."""
        return str(self.raw.get("LogicalResourceId", ""))

    @property
    def resource_type(self) -> str:
        """The template's resource type, e.g. ``Custom::ComprehendAnalysisJob``."""
        return str(self.raw.get("ResourceType", ""))

    @property
    def physical_resource_id(self) -> str | None:
        """The physical id: absent on Create, the job ARN (normally) on Update/Delete."""
        value = self.raw.get("PhysicalResourceId")
        return str(value) if value else None

    @property
    def resource_properties(self) -> Mapping[str, Any]:
        """The properties in the template now."""
        return cast(Mapping[str, Any], self.raw.get("ResourceProperties") or {})

    @property
    def old_resource_properties(self) -> Mapping[str, Any]:
        """The properties before an update (empty otherwise)."""
        return cast(Mapping[str, Any], self.raw.get("OldResourceProperties") or {})

    @property
    def data(self) -> Mapping[str, Any]:
        """The Data on_event returned (only in is_complete events)."""
        return cast(Mapping[str, Any], self.raw.get("Data") or {})

    def log_fields(self) -> dict[str, Any]:
        """What is safe and useful to log about this event (no URL, no properties)."""
        return {
            "requestType": self.raw.get("RequestType"),
            "requestId": self.request_id,
            "stackId": self.stack_id,
            "logicalResourceId": self.logical_resource_id,
            "physicalResourceId": self.physical_resource_id,
        }
