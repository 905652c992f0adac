"""Updates that replace a job, rollbacks, repeated events and tags, against moto.

CloudFormation's sequences (the Update, then the cleanup's Delete of the old physical ID;
or, when a later resource fails, the rollback's Update back to the old properties and the
rollback cleanup's Delete of the new physical ID) are played by the model of aws-cdk-lib's
Provider framework (``tests/rehearsal/framework.py``), which calls our handler in-process.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from rehearsal.framework import ProviderFramework, deploy_update

from comprehend_jobs._lambda import analysis_job, job_types, request_builder

Event = dict[str, Any]
ENTITIES = job_types.ENTITIES_DETECTION


def framework() -> ProviderFramework:
    # No waiter: moto's jobs stay SUBMITTED, and the waits are is_complete's own tests.
    return ProviderFramework(analysis_job.on_event, None)


def tags_of(moto_jobs: Any, arn: str) -> dict[str, str]:
    listed = moto_jobs.client.list_tags_for_resource(ResourceArn=arn)["Tags"]
    return {t["Key"]: t["Value"] for t in listed}


def update_from(created: str, load_event: Callable[[str], Event], name: str) -> Event:
    event = load_event(name)
    event["PhysicalResourceId"] = created
    return event


# --------------------------------------------------------------------------- rollback


def test_a_rollback_returns_to_the_original_job_and_starts_nothing(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    # GIVEN a deployed job A
    (create,) = [framework().send(load_event("create_entities_detection"))]
    original = create.physical_resource_id
    # WHEN an update starts job B and a later resource of the stack fails
    update = update_from(original, load_event, "update_entities_detection_request_changed")
    replaced, rollback, cleanup = deploy_update(framework(), update, later_resource_fails=True)
    # THEN the rollback answers A's ARN, so CloudFormation's cleanup deletes only B
    assert replaced.status == rollback.status == cleanup.status == "SUCCESS"
    assert replaced.physical_resource_id != original
    assert rollback.physical_resource_id == original
    assert rollback.data["JobArn"] == original
    assert moto_jobs.count(ENTITIES) == 2  # A and B: no third job
    assert moto_jobs.describe(original)["JobStatus"] == "SUBMITTED"  # A runs on
    assert moto_jobs.describe(replaced.physical_resource_id)["JobStatus"] in {
        "STOP_REQUESTED",
        "STOPPED",
    }


def test_a_rollback_of_a_rerun_returns_to_the_original_job(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    original = framework().send(load_event("create_entities_detection")).physical_resource_id
    update = update_from(original, load_event, "update_entities_detection_rerun_token")

    _, rollback, _ = deploy_update(framework(), update, later_resource_fails=True)

    assert rollback.physical_resource_id == original
    assert moto_jobs.count(ENTITIES) == 2


def test_a_rollback_finds_the_original_among_jobs_of_the_same_given_name(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    # A job_name of the user's is the name of every job the resource starts: the key tag,
    # not the name, tells them apart.
    create = load_event("create_entities_detection")
    create["ResourceProperties"]["Request"]["JobName"] = "claims-entities"
    original = framework().send(create).physical_resource_id
    update = update_from(original, load_event, "update_entities_detection_request_changed")
    update["OldResourceProperties"] = create["ResourceProperties"]
    update["ResourceProperties"]["Request"]["JobName"] = "claims-entities"

    replaced, rollback, _ = deploy_update(framework(), update, later_resource_fails=True)

    assert moto_jobs.describe(replaced.physical_resource_id)["JobName"] == "claims-entities"
    assert rollback.physical_resource_id == original
    assert moto_jobs.count(ENTITIES) == 2


# --------------------------------------------------------------------------- replacement


@pytest.mark.parametrize(
    ("stop_on_delete", "returns"),
    [("false", True), ("true", False)],
    ids=["not-stopped-returns", "stopped-runs-again"],
)
def test_returning_to_earlier_properties_returns_to_their_job_unless_it_was_stopped(
    stop_on_delete: str, returns: bool, load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    # A -> B succeeds (the cleanup's Delete stops A when StopOnDelete is on), then B ->
    # A's properties again: an unstopped A is the job for them; a stopped job's results
    # are partial, so the same key runs again.
    create = load_event("create_entities_detection")
    create["ResourceProperties"]["StopOnDelete"] = stop_on_delete
    original = framework().send(create).physical_resource_id
    forward = update_from(original, load_event, "update_entities_detection_request_changed")
    forward["OldResourceProperties"] = create["ResourceProperties"]
    replaced, _ = deploy_update(framework(), forward)
    back = update_from(
        replaced.physical_resource_id, load_event, "update_entities_detection_request_changed"
    )
    back["RequestId"] = "7e8f9a0b-1c2d-4e3f-8a4b-5c6d7e8f9a0b"
    back["ResourceProperties"] = forward["OldResourceProperties"]
    back["OldResourceProperties"] = forward["ResourceProperties"]

    again, _ = deploy_update(framework(), back)

    assert (again.physical_resource_id == original) is returns
    assert moto_jobs.count(ENTITIES) == (2 if returns else 3)
    assert moto_jobs.describe(again.physical_resource_id)["JobStatus"] == "SUBMITTED"


# --------------------------------------------------------------------------- repeated events


def test_the_same_create_event_twice_starts_one_job(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    event = load_event("create_entities_detection")

    first = analysis_job.on_event(event, None)
    second = analysis_job.on_event(load_event("create_entities_detection"), None)

    assert second == first
    assert moto_jobs.count(ENTITIES) == 1


def test_the_same_update_event_twice_starts_one_job(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    original = analysis_job.on_event(load_event("create_entities_detection"), None)
    arn = original["PhysicalResourceId"]
    name = "update_entities_detection_request_changed"

    first = analysis_job.on_event(update_from(arn, load_event, name), None)
    second = analysis_job.on_event(update_from(arn, load_event, name), None)

    assert second == first
    assert moto_jobs.count(ENTITIES) == 2


# --------------------------------------------------------------------------- tags


def test_a_change_of_tags_alone_retags_the_running_job(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    created = analysis_job.on_event(load_event("create_entities_detection"), None)
    arn = created["PhysicalResourceId"]
    key = tags_of(moto_jobs, arn)[request_builder.JOB_KEY_TAG]

    result = analysis_job.on_event(
        update_from(arn, load_event, "update_entities_detection_tags_only"), None
    )

    assert result == created
    assert moto_jobs.count(ENTITIES) == 1
    assert moto_jobs.describe(arn)["JobStatus"] == "SUBMITTED"
    assert tags_of(moto_jobs, arn) == {
        "project": "comprehend-jobs-v2",  # changed
        "owner": "data-team",  # added; cost-center removed
        request_builder.JOB_KEY_TAG: key,  # kept: a rollback still finds the job
    }


def test_a_rollback_of_a_tag_change_restores_the_tags(
    load_event: Callable[[str], Event], moto_jobs: Any
) -> None:
    create = load_event("create_entities_detection")
    original = framework().send(create).physical_resource_id
    before = tags_of(moto_jobs, original)
    update = update_from(original, load_event, "update_entities_detection_tags_only")

    responses = deploy_update(framework(), update, later_resource_fails=True)

    assert [r.physical_resource_id for r in responses] == [original, original]
    assert tags_of(moto_jobs, original) == before
    assert moto_jobs.count(ENTITIES) == 1


def test_retagging_leaves_tags_under_aws_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    # AWS's own tags (aws:cloudformation:*, set by CloudFormation on tagged stacks) cannot
    # be removed by a caller: UntagResource with one fails, and so would the update.
    calls: list[tuple[str, dict[str, Any]]] = []

    def call(operation: str, **params: Any) -> dict[str, Any]:
        calls.append((operation, params))
        return {}

    monkeypatch.setattr(analysis_job, "_call", call)
    arn = "arn:aws:comprehend:us-east-1:123456789012:entities-detection-job/abc"
    current = {"aws:cloudformation:stack-name": "S", "project": "v1", "owner": "me", "k": "1"}

    analysis_job._sync_tags(arn, {"project": "v2", "k": "1"}, current)

    assert calls == [
        ("UntagResource", {"ResourceArn": arn, "TagKeys": ["owner"]}),
        ("TagResource", {"ResourceArn": arn, "Tags": [{"Key": "project", "Value": "v2"}]}),
    ]
