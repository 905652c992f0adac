"""The CLI tests' fake Comprehend answers as the service does, through botocore's client."""

from __future__ import annotations

import ast
from datetime import timedelta
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError

from cli.moto_jobs import T0, Emulator
from comprehend_jobs.job_types import (
    DOCUMENT_CLASSIFICATION,
    ENTITIES_DETECTION,
    JOB_TYPES,
    JobType,
)

TESTS = Path(__file__).resolve().parents[1]


def _call(client: Any, operation: str, **params: Any) -> dict[str, Any]:
    return dict(getattr(client, xform_name(operation))(**params))


@pytest.mark.parametrize("job_type", JOB_TYPES.values(), ids=lambda t: t.stem)
def test_a_started_job_is_described_as_it_started(emulator: Emulator, job_type: JobType) -> None:
    arn = emulator.start_job(job_type, "invoices")

    found = _call(emulator.comprehend, job_type.describe_operation, JobId=emulator.job_id(arn))

    props = found[job_type.properties_key]
    assert (props["JobArn"], props["JobName"], props["JobStatus"]) == (
        arn,
        "invoices",
        "SUBMITTED",
    )
    assert arn.startswith(f"arn:aws:comprehend:us-east-1:123456789012:{job_type.arn_resource}/")
    assert props["OutputDataConfig"] == {"S3Uri": "s3://docs-out/invoices/"}


def test_set_job_moves_a_job_as_the_service_would(emulator: Emulator) -> None:
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")

    emulator.set_job(
        arn,
        "FAILED",
        message="NO_READ_ACCESS_TO_INPUT: denied",
        submitted=T0,
        ended=T0 + timedelta(seconds=14),
        output_uri="s3://docs-out/invoices/x/output/output.tar.gz",
    )

    props = emulator.comprehend.describe_entities_detection_job(JobId=emulator.job_id(arn))[
        "EntitiesDetectionJobProperties"
    ]
    assert props["JobStatus"] == "FAILED"
    assert props["Message"] == "NO_READ_ACCESS_TO_INPUT: denied"
    assert props["SubmitTime"] == T0
    assert props["EndTime"] - props["SubmitTime"] == timedelta(seconds=14)
    assert props["OutputDataConfig"]["S3Uri"] == "s3://docs-out/invoices/x/output/output.tar.gz"


@pytest.mark.parametrize("where", ["unknown id", "other type", "other region"])
def test_a_job_it_does_not_hold_is_not_found(emulator: Emulator, where: str) -> None:
    job_id = emulator.job_id(emulator.start_job(ENTITIES_DETECTION, "invoices"))
    client = emulator.comprehend
    operation = "DescribeEntitiesDetectionJob"
    if where == "unknown id":
        job_id = "deadbeef"
    elif where == "other type":
        operation = DOCUMENT_CLASSIFICATION.describe_operation
    else:
        client = boto3.Session(region_name="eu-west-1").client("comprehend")

    with pytest.raises(ClientError) as raised:
        _call(client, operation, JobId=job_id)

    assert raised.value.response["Error"]["Code"] == "JobNotFoundException"
    assert raised.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_list_filters_by_status_and_stop_requests_a_stop(emulator: Emulator) -> None:
    running = emulator.start_job(ENTITIES_DETECTION, "running")
    done = emulator.start_job(ENTITIES_DETECTION, "done")
    emulator.set_job(done, "COMPLETED")

    stopped = emulator.comprehend.stop_entities_detection_job(JobId=emulator.job_id(running))
    listed = emulator.comprehend.list_entities_detection_jobs(
        Filter={"JobStatus": "STOP_REQUESTED"}
    )["EntitiesDetectionJobPropertiesList"]

    assert stopped["JobStatus"] == "STOP_REQUESTED"
    assert [p["JobArn"] for p in listed] == [running]


def test_no_cli_test_reaches_into_moto_internals() -> None:
    # moto's models change in patch releases (5.2.6 broke them); only its server is used.
    imported = []
    for path in sorted((TESTS / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.append((path.name, node.module))
            elif isinstance(node, ast.Import):
                imported.extend((path.name, alias.name) for alias in node.names)
    internal = [(f, m) for f, m in imported if m.split(".")[0] == "moto" and m != "moto.server"]
    assert internal == []
