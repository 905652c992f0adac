"""Fixtures for the custom-resource handler tests: JSON events and a fresh client."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import xform_name

from comprehend_jobs._lambda import analysis_job, job_types

EVENTS_DIR = Path(__file__).resolve().parent.parent / "events"


def _load(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS_DIR / f"{name}.json").read_text())
    return event


@pytest.fixture
def load_event() -> Callable[[str], dict[str, Any]]:
    """Load ``tests/events/<name>.json`` (a fresh copy each time)."""
    return lambda name: copy.deepcopy(_load(name))


@pytest.fixture(autouse=True)
def fresh_handler_client() -> Iterator[None]:
    """The handler caches its clients per container; each test starts a new container."""
    analysis_job._client.cache_clear()
    analysis_job._cloudformation.cache_clear()
    yield
    analysis_job._client.cache_clear()
    analysis_job._cloudformation.cache_clear()


class MotoJobs:
    """The test's own view of the jobs in moto (a separate client, same server)."""

    def __init__(self) -> None:
        self.client = boto3.client("comprehend", region_name="us-east-1")

    def describe(self, job_arn: str) -> dict[str, Any]:
        """The Describe*Job properties of the job an ARN names."""
        job_type = job_types.job_type_for_arn(job_arn)
        assert job_type is not None, job_arn
        describe = getattr(self.client, xform_name(job_type.describe_operation))
        properties: dict[str, Any] = describe(JobId=job_arn.rsplit("/", 1)[1])[
            job_type.properties_key
        ]
        return properties

    def count(self, job_type: job_types.JobType) -> int:
        """How many jobs of a type moto holds."""
        listed = getattr(self.client, f"list_{xform_name(job_type.stem)}_jobs")()
        return len(listed[f"{job_type.stem}JobPropertiesList"])


@pytest.fixture
def moto_jobs(aws: str) -> MotoJobs:
    """Jobs in a clean moto server (boto3 reads AWS_ENDPOINT_URL, set by ``aws``)."""
    return MotoJobs()
