"""Day 2: switching ``wait_for_completion`` on a deployed job is an ordinary update.

CloudFormation refuses to change a custom resource's ``ServiceToken`` ("Modifying service
token is not allowed"), so a job must keep its provider, and its logical ID, whatever it
waits for. These tests synthesize the same stack before and after the switch and compare.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template
from nag_support import new_app

from comprehend_jobs import (
    DataAccessRole,
    DocumentClassificationJob,
    EntityRecognitionJob,
    JobStorage,
)

RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets"
CLASSIFIER = "arn:aws:comprehend:us-east-1:111122223333:document-classifier/mail"
JOB = "Custom::ComprehendAnalysisJob"
#: Documents already in S3: a job on a created, empty input bucket would fail synth.
DOCUMENTS = "s3://example-documents/input/"


def _template(*, entities_wait: bool, classification_wait: bool) -> Mapping[str, Any]:
    stack = Stack(new_app(), "Jobs")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    EntityRecognitionJob(
        stack,
        "Entities",
        recognizer_arn=RECOGNIZER,
        storage=storage,
        role=role,
        wait_for_completion=entities_wait,
    )
    DocumentClassificationJob(
        stack,
        "Mail",
        classifier_arn=CLASSIFIER,
        storage=storage,
        role=role,
        wait_for_completion=classification_wait,
    )
    return Template.from_stack(stack).to_json()


@pytest.fixture(scope="module")
def before() -> Mapping[str, Any]:
    return _template(entities_wait=False, classification_wait=True)


@pytest.fixture(scope="module")
def after() -> Mapping[str, Any]:
    return _template(entities_wait=True, classification_wait=False)


def _jobs(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == JOB}


def test_toggling_wait_keeps_every_service_token_and_logical_id(
    before: dict[str, Any], after: dict[str, Any]
) -> None:
    assert set(_jobs(before)) == set(_jobs(after))
    assert len(_jobs(before)) == 2
    for logical_id, job in _jobs(before).items():
        assert (
            job["Properties"]["ServiceToken"]
            == (_jobs(after)[logical_id]["Properties"]["ServiceToken"])
        )


def test_toggling_wait_changes_only_the_flag(before: dict[str, Any], after: dict[str, Any]) -> None:
    # Every resource keeps its logical ID and everything but WaitForCompletion, so the
    # update touches the two job resources and starts nothing (the handler ignores flags).
    assert set(before["Resources"]) == set(after["Resources"])
    changed = {
        logical_id
        for logical_id, resource in before["Resources"].items()
        if resource != after["Resources"][logical_id]
    }
    assert changed == set(_jobs(before))
    for logical_id, job in _jobs(before).items():
        flipped = dict(after["Resources"][logical_id]["Properties"])
        assert flipped.pop("WaitForCompletion") is not job["Properties"]["WaitForCompletion"]
        assert flipped == {k: v for k, v in job["Properties"].items() if k != "WaitForCompletion"}


def test_one_provider_serves_waiting_and_non_waiting_jobs(before: dict[str, Any]) -> None:
    tokens = {str(job["Properties"]["ServiceToken"]) for job in _jobs(before).values()}
    assert len(tokens) == 1
    machines = [
        r for r in before["Resources"].values() if r["Type"] == "AWS::StepFunctions::StateMachine"
    ]
    assert len(machines) == 1
