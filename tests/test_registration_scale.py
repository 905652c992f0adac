"""Registering jobs stays linear in their number, and the caller policies stay packed.

Timing is no regression test on a shared machine: these tests count what registration
does instead. Each distinct ARN is estimated (one ``is_token`` call, a jsii round trip in a
stack) once, when it registers; a registration never walks the ARNs registered before it,
so its jsii calls do not grow with the number of jobs before it.
"""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator, Mapping
from typing import Any

import jsii._runtime
import pytest
from aws_cdk import Stack
from aws_cdk.assertions import Template
from nag_support import new_app

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    EntityRecognitionJob,
    JobStorage,
)
from comprehend_jobs._private.caller_permissions import (
    MANAGED_POLICY_CHARS,
    CallerPermissions,
    deployed_chars,
    template_attribute_chars,
)
from comprehend_jobs.job_handler import JobHandler
from comprehend_jobs.job_types import ENTITIES_DETECTION, JobType

MODEL = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/scale"
ROLE = "arn:aws:iam::111122223333:role/DataAccess"
#: What the jsii process provider sends to Node: each one a round trip.
_ROUND_TRIPS = ("create", "get", "sget", "set", "sset", "invoke", "sinvoke", "begin", "complete")
#: Documents already in S3: a job on a created, empty input bucket would fail synth.
DOCUMENTS = "s3://example-documents/input/"


def _pattern(job_type: JobType) -> str:
    return f"arn:aws:comprehend:us-east-1:111122223333:{job_type.arn_resource}/*"


# -- The registry alone --------------------------------------------------------------


def _registry_counts(jobs: int) -> list[int]:
    """``is_token`` calls made by each of ``jobs`` registrations (a model each, one role)."""
    calls = [0]

    def is_token(value: Any) -> bool:
        calls[0] += 1
        return False

    permissions = CallerPermissions(job_arn_pattern=_pattern, is_token=is_token)
    per_job = []
    for i in range(jobs):
        before = calls[0]
        permissions.add_job(
            job_type=ENTITIES_DETECTION, data_access_role_arn=ROLE, model_arns=[f"{MODEL}-{i}"]
        )
        permissions.shards_needed()
        per_job.append(calls[0] - before)
    assert permissions.estimates == sum(per_job)
    return per_job


def test_each_arn_is_estimated_once_however_many_jobs_came_before() -> None:
    for jobs in (1, 50, 200):
        per_job = _registry_counts(jobs)
        # The first job brings a model and the role; every later one only its model.
        assert per_job == [2] + [1] * (jobs - 1)


# -- In a stack: is_token and every jsii call ----------------------------------------


@pytest.fixture
def kernel_calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """A counter of jsii kernel calls (every Python-to-Node round trip)."""
    count = [0]
    provider = type(jsii._runtime.kernel.provider)
    for name in _ROUND_TRIPS:
        original = getattr(provider, name)

        def counted(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            count[0] += 1
            return _original(*args, **kwargs)

        monkeypatch.setattr(provider, name, counted)
    yield count


def _register_jobs(jobs: int, kernel_calls: list[int]) -> dict[str, list[int]]:
    """Per registration: ``is_token`` calls and jsii calls inside ``JobHandler.register``."""
    stack = Stack(new_app(), f"Scale{jobs}")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    handler = JobHandler.of(stack)
    is_token_calls = [0]
    original_is_token = handler.permissions._is_token

    def is_token(value: Any) -> bool:
        is_token_calls[0] += 1
        return original_is_token(value)

    handler.permissions._is_token = is_token
    counts: dict[str, list[int]] = {"is_token": [], "jsii": []}
    original_register = handler.register

    def register(**kwargs: Any) -> None:
        tokens, calls = is_token_calls[0], kernel_calls[0]
        original_register(**kwargs)
        counts["is_token"].append(is_token_calls[0] - tokens)
        counts["jsii"].append(kernel_calls[0] - calls)

    handler.register = register  # type: ignore[method-assign]
    for i in range(jobs):
        EntityRecognitionJob(
            stack, f"Job{i}", recognizer_arn=f"{MODEL}-{i}", storage=storage, role=role
        )
    assert handler.permissions.estimates == jobs + 1
    return counts


def test_registration_cost_does_not_grow_with_the_jobs_before_it(
    kernel_calls: list[int],
) -> None:
    by_jobs = {jobs: _register_jobs(jobs, kernel_calls) for jobs in (1, 50, 200)}
    for jobs, counts in by_jobs.items():
        # One is_token call per new ARN: the model, and the role with the first job.
        assert counts["is_token"] == [2] + [1] * (jobs - 1)
    # The jsii calls of a registration are a constant: the typical one costs the same at
    # 200 jobs as at 50, and 200 jobs cost about 4 times 50 (a quadratic registry: 16x).
    typical_50 = statistics.median(by_jobs[50]["jsii"])
    typical_200 = statistics.median(by_jobs[200]["jsii"])
    # Typically one: the new model's is_token. The first registration also measures the
    # fixed statements once; a registration that opens a caller policy creates it.
    assert typical_50 == typical_200 == 1
    assert sum(by_jobs[200]["jsii"]) <= 4.5 * sum(by_jobs[50]["jsii"])


def test_building_one_analysis_stays_within_its_jsii_round_trips(
    kernel_calls: list[int], tmp_path: Any
) -> None:
    # Each round trip costs about 0.3 ms of synth time; building one ComprehendAnalysis
    # with its defaults took 502 before the per-stack ARN pattern, the singleton look-up
    # by id, single reads, one-resolve acknowledgments and lazy labels, and 429 after.
    # The bound is about 10% above that: a change that adds round trips per resource
    # should show here.
    (tmp_path / "ticket-1.txt").write_text("My router in Berlin stopped working.\n")
    stack = Stack(new_app(), "OneAnalysis")
    before = kernel_calls[0]
    ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=f"{MODEL}-one", input_documents=str(tmp_path)
    )
    calls = kernel_calls[0] - before
    assert calls <= 470, calls


# -- The acceptance figures ----------------------------------------------------------


def _synth(jobs: int) -> Mapping[str, Any]:
    stack = Stack(new_app(), f"Models{jobs}")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri=DOCUMENTS)
    role = DataAccessRole(stack, "Role", storage=storage)
    for i in range(jobs):
        EntityRecognitionJob(
            stack, f"Job{i}", recognizer_arn=f"{MODEL}-{i:03d}", storage=storage, role=role
        )
    return Template.from_stack(stack).to_json()


def _managed_policy_chars(template: Mapping[str, Any]) -> list[tuple[int, int]]:
    """(template size, deployed upper bound) of every managed policy, without whitespace."""
    resources = template["Resources"]
    attribute_chars = template_attribute_chars(resources)
    out = []
    for resource in resources.values():
        if resource["Type"] == "AWS::IAM::ManagedPolicy":
            document = resource["Properties"]["PolicyDocument"]
            out.append(
                (
                    len(json.dumps(document, separators=(",", ":"))),
                    deployed_chars(document, attribute_chars),
                )
            )
    return out


@pytest.mark.slow
def test_a_hundred_and_four_hundred_jobs_with_a_model_each_stay_packed() -> None:
    one = _synth(1)
    hundred = _synth(100)
    # Each extra job adds its custom resource; its model adds a caller policy at most
    # when the ones made are full: 101 resources for 99 more jobs at most.
    assert len(hundred["Resources"]) - len(one["Resources"]) <= 101
    four_hundred = _synth(400)
    for template in (hundred, four_hundred):
        sizes = _managed_policy_chars(template)
        assert max(template_size for template_size, _ in sizes) < MANAGED_POLICY_CHARS
        assert max(bound for _, bound in sizes) < MANAGED_POLICY_CHARS
    # Packed, not padded: 100 ARNs of about 70 characters and the fixed statements take 3
    # caller policies, 400 take 6 (the first document holds the fixed statements whole).
    callers = [
        [lid for lid in template["Resources"] if lid.startswith("ComprehendJobsHandlerCaller")]
        for template in (one, hundred, four_hundred)
    ]
    assert [len(c) for c in callers] == [1, 3, 6]
