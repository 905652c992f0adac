"""aws-cdk-lib's custom resource Provider runtime, modelled in Python to drive our handler.

What ``custom-resources/lib/provider-framework/runtime/framework.js`` and
``cfn-response.js`` (aws-cdk-lib 2.275) do with one CloudFormation event, step for step,
with the user functions called in-process:

- ``safeHandler``: a Delete whose physical ID is the create-failed marker is answered
  SUCCESS *without invoking the user's onEvent*; any error answers FAILED with the event's
  physical ID, or the marker when a Create failed (it has none yet).
- ``onEvent``: invoke the user's onEvent; without an isComplete handler answer SUCCESS;
  with one, start the waiter state machine (``states:StartExecution``) -- the step that a
  missing grant fails after the job has started.
- the waiter: call isComplete until it is complete (SUCCESS) or raises (FAILED, with the
  job's physical ID), and after the total timeout ``onTimeout`` answers FAILED with it.

CloudFormation then rolls a failed Create back with a Delete of the physical ID it was
given. ``deploy_create`` plays that sequence and returns every response.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

#: cfn-response.js: the physical ID of a Create that failed before it had one.
CREATE_FAILED_MARKER = "AWSCDK::CustomResourceProviderFramework::CREATE_FAILED"

Handler = Callable[[dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Response:
    """What the framework answers CloudFormation."""

    status: str
    physical_resource_id: str
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class ProviderFramework:
    """One Provider: the user's handlers and whether its onEvent role may start the waiter."""

    on_event: Handler
    is_complete: Handler | None
    #: The IAM verdict on the onEvent role's states:StartExecution of the waiter.
    may_start_waiter: bool = True
    #: isComplete polls before the total timeout (the waiter's MaxAttempts, scaled down).
    polls: int = 3

    def send(self, event: dict[str, Any]) -> Response:
        """CloudFormation sends ``event`` to the ServiceToken; the framework's answer."""
        if (
            event["RequestType"] == "Delete"
            and event.get("PhysicalResourceId") == CREATE_FAILED_MARKER
        ):
            return Response("SUCCESS", CREATE_FAILED_MARKER, "ignored: delete of a failed create")
        try:
            result = self.on_event(dict(event)) or {}
            physical = result.get("PhysicalResourceId") or event.get(
                "PhysicalResourceId", event["RequestId"]
            )
            resource_event = {**event, **result, "PhysicalResourceId": physical}
            if self.is_complete is None:
                return Response("SUCCESS", physical, data=dict(result.get("Data", {})))
            if not self.may_start_waiter:
                raise PermissionError(
                    "AccessDeniedException: the framework's onEvent role is not authorized "
                    "to perform states:StartExecution on the waiter state machine"
                )
        except Exception as error:
            failed = event.get("PhysicalResourceId") or (
                CREATE_FAILED_MARKER if event["RequestType"] == "Create" else event["RequestId"]
            )
            return Response("FAILED", failed, str(error))
        return self._wait(resource_event)

    def _wait(self, resource_event: dict[str, Any]) -> Response:
        assert self.is_complete is not None
        physical = str(resource_event["PhysicalResourceId"])
        for _ in range(self.polls):
            try:
                result = self.is_complete(dict(resource_event))
            except Exception as error:
                return Response("FAILED", physical, str(error))
            if result.get("IsComplete"):
                data = {**resource_event.get("Data", {}), **result.get("Data", {})}
                return Response("SUCCESS", physical, data=data)
        return Response("FAILED", physical, "Operation timed out")


def deploy_create(framework: ProviderFramework, create: dict[str, Any]) -> list[Response]:
    """A stack create with this resource: the Create and, when it fails, the rollback's
    Delete of the physical ID CloudFormation was told."""
    responses = [framework.send(create)]
    if responses[0].status == "FAILED":
        delete = {
            **create,
            "RequestType": "Delete",
            "RequestId": create["RequestId"][::-1],
            "PhysicalResourceId": responses[0].physical_resource_id,
        }
        responses.append(framework.send(delete))
    return responses
