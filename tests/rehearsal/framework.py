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

An Update that answers a new physical ID is a replacement. If the stack update succeeds,
its cleanup sends a Delete of the old physical ID with the old properties. If a later
resource fails, the rollback sends an Update back to the old properties (its physical ID
the new one) and, when that answers yet another physical ID, the rollback's cleanup
deletes the new one with the properties it was made with. ``deploy_update`` plays
either sequence.
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


def deploy_update(
    framework: ProviderFramework, update: dict[str, Any], *, later_resource_fails: bool = False
) -> list[Response]:
    """A stack update of this resource: the Update, then CloudFormation's cleanup (or, when
    ``later_resource_fails``, its rollback and the rollback's cleanup). Each event gets a
    RequestId of its own, as CloudFormation's do."""
    old_id, new_props = update["PhysicalResourceId"], update["ResourceProperties"]
    old_props = update["OldResourceProperties"]
    responses = [framework.send(update)]
    new_id = responses[0].physical_resource_id
    if responses[0].status == "FAILED" or later_resource_fails:
        rollback = {
            **update,
            "RequestId": f"{update['RequestId']}-rollback",
            "PhysicalResourceId": new_id,
            "ResourceProperties": old_props,
            "OldResourceProperties": new_props,
        }
        responses.append(framework.send(rollback))
        restored = responses[-1].physical_resource_id
        if responses[-1].status == "SUCCESS" and restored != new_id:
            responses.append(framework.send(_delete(update, new_id, new_props, "rollback")))
    elif new_id != old_id:
        responses.append(framework.send(_delete(update, old_id, old_props, "cleanup")))
    return responses


def _delete(update: dict[str, Any], physical_id: str, props: Any, phase: str) -> dict[str, Any]:
    delete = {
        key: value
        for key, value in update.items()
        if key not in ("OldResourceProperties", "ResourceProperties")
    }
    return {
        **delete,
        "RequestType": "Delete",
        "RequestId": f"{update['RequestId']}-{phase}-delete",
        "PhysicalResourceId": physical_id,
        "ResourceProperties": props,
    }
