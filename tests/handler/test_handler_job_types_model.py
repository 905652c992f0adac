"""Every row of the job-type table agrees with botocore's own Comprehend service model."""

from __future__ import annotations

import ast
from pathlib import Path

import botocore.session
import pytest

from comprehend_jobs._lambda import job_types
from comprehend_jobs._lambda.job_types import JobType

MODEL = botocore.session.get_session().get_service_model("comprehend")
ROWS = sorted(job_types.JOB_TYPES.values(), key=lambda t: t.stem)
ALWAYS_REQUIRED = {"InputDataConfig", "OutputDataConfig", "DataAccessRoleArn"}


def test_table_has_exactly_the_async_job_start_operations() -> None:
    start_ops = {
        op for op in MODEL.operation_names if op.startswith("Start") and op.endswith("Job")
    }
    assert {t.start_operation for t in ROWS} == start_ops
    assert len(ROWS) == 9


@pytest.mark.parametrize("job_type", ROWS, ids=lambda t: t.stem)
def test_accepted_fields_are_the_start_input_members(job_type: JobType) -> None:
    members = set(MODEL.operation_model(job_type.start_operation).input_shape.members)
    assert set(job_type.accepted_fields) == members


@pytest.mark.parametrize("job_type", ROWS, ids=lambda t: t.stem)
def test_required_fields_match_the_model(job_type: JobType) -> None:
    required = set(MODEL.operation_model(job_type.start_operation).input_shape.required_members)
    assert ALWAYS_REQUIRED | set(job_type.required_fields) == required


@pytest.mark.parametrize("job_type", ROWS, ids=lambda t: t.stem)
def test_stop_operation_exists_exactly_when_the_table_says(job_type: JobType) -> None:
    assert (f"Stop{job_type.stem}Job" in MODEL.operation_names) is job_type.has_stop
    if job_type.stop_operation:
        stop = MODEL.operation_model(job_type.stop_operation)
        assert set(stop.input_shape.required_members) == {"JobId"}


@pytest.mark.parametrize("job_type", ROWS, ids=lambda t: t.stem)
def test_describe_returns_the_properties_key(job_type: JobType) -> None:
    describe = MODEL.operation_model(job_type.describe_operation)
    assert job_type.properties_key in describe.output_shape.members
    properties = describe.output_shape.members[job_type.properties_key]
    # is_complete reads these from the Describe response.
    assert {"JobId", "JobArn", "JobStatus", "Message", "OutputDataConfig"} <= set(
        properties.members
    )
    assert "S3Uri" in properties.members["OutputDataConfig"].members


@pytest.mark.parametrize("job_type", ROWS, ids=lambda t: t.stem)
def test_languages_are_within_the_language_code_enum(job_type: JobType) -> None:
    members = MODEL.operation_model(job_type.start_operation).input_shape.members
    assert job_type.takes_language is ("LanguageCode" in members)
    if job_type.takes_language:
        enum = members["LanguageCode"].enum
        assert set(job_type.languages) <= set(enum)
        assert set(job_types.ALL_LANGUAGES) == set(enum)


@pytest.mark.parametrize("job_type", ROWS, ids=lambda t: t.stem)
def test_model_fields_are_optional_start_members(job_type: JobType) -> None:
    shape = MODEL.operation_model(job_type.start_operation).input_shape
    for name in job_type.model_fields:
        assert name in shape.members
        assert name not in shape.required_members


@pytest.mark.parametrize("job_type", ROWS, ids=lambda t: t.stem)
def test_job_arn_resource_round_trips(job_type: JobType) -> None:
    arn = f"arn:aws:comprehend:us-east-1:123456789012:{job_type.arn_resource}/abc123"
    assert job_types.job_type_for_arn(arn) is job_type


def test_the_names_both_sides_share_are_written_once() -> None:
    # The resource type and the not-found codes: the constructs, the handler and the
    # command import them from the handler's table instead of writing them again.
    root = Path(__file__).resolve().parents[2]
    package = root / "constructs" / "comprehend_jobs"
    sources = {p.resolve() for p in [*root.glob("lambda/*.py"), *package.rglob("*.py")]}
    shared = {job_types.RESOURCE_TYPE, *job_types.JOB_NOT_FOUND_CODES}
    written = [
        str(path.relative_to(root))
        for path in sorted(sources)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in shared
    ]
    assert written == ["lambda/job_types.py"] * len(shared)
