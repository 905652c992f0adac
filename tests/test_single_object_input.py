"""One input object as the input location (issue 23): ``InputDataConfig.S3Uri`` "can point
to a single input file" (botocore's model; the normal form with ONE_DOC_PER_LINE), so the
console accepts ``s3://bucket/claims/2026.txt``. The library sends it as given and grants
the role exactly that object; a key without an extension stays a mistyped prefix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import App, Environment, Stack
from aws_cdk import aws_s3 as s3
from nag_support import new_app

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    JobStorage,
    PropValidationError,
)
from comprehend_jobs._lambda.request_builder import build_start_request

ACCOUNT = "111111111111"
ENV = Environment(account=ACCOUNT, region="us-east-1")
RECOGNIZER = f"arn:aws:comprehend:us-east-1:{ACCOUNT}:entity-recognizer/claims/version/v1"
OBJECT_URI = "s3://my-corp-data/claims/2026-lines.txt"
OBJECT_ARN = "arn:aws:s3:::my-corp-data/claims/2026-lines.txt"


def _analysis(app: App, **props: Any) -> Stack:
    stack = Stack(app, "OneObject", env=ENV)
    ComprehendAnalysis(
        stack,
        "Entities",
        recognizer_arn=RECOGNIZER,
        input_s3_uri=OBJECT_URI,
        input_format="ONE_DOC_PER_LINE",
        network=False,
        **props,
    )
    return stack


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Stack]:
    outdir = tmp_path_factory.mktemp("one-object")
    app = new_app(outdir=str(outdir))
    stack = _analysis(app)
    app.synth()
    return outdir, stack


@pytest.fixture(scope="module")
def template(synthesized: tuple[Path, Stack]) -> dict[str, Any]:
    outdir, stack = synthesized
    return dict(json.loads((outdir / stack.template_file).read_text()))


def _statements(template: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        statement
        for resource in template["Resources"].values()
        if resource["Type"] in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]
    ]


def _resolved(resource: Any) -> str:
    """An ``Fn::Join`` of literals and ``AWS::Partition`` as a plain ARN string."""
    if isinstance(resource, str):
        return resource
    parts = resource["Fn::Join"][1]
    return "".join("aws" if part == {"Ref": "AWS::Partition"} else part for part in parts)


def test_the_job_reads_the_one_object_as_given(template: dict[str, Any]) -> None:
    (job,) = [
        r for r in template["Resources"].values() if r["Type"] == "Custom::ComprehendAnalysisJob"
    ]
    assert job["Properties"]["Request"]["InputDataConfig"]["S3Uri"] == OBJECT_URI


def test_the_role_may_read_exactly_that_object(template: dict[str, Any]) -> None:
    reads = [s for s in _statements(template) if s["Action"] == "s3:GetObject"]
    resources = {_resolved(r) for s in reads for r in _as_list(s["Resource"])}
    assert OBJECT_ARN in resources
    # No wildcard on the input: not the object's neighbours, not "2026-lines.txt.bak".
    assert not any(r.startswith(OBJECT_ARN) and r != OBJECT_ARN for r in resources)
    (listing,) = [
        s
        for s in _statements(template)
        if s["Action"] == "s3:ListBucket" and "arn:aws:s3:::my-corp-data" in str(s["Resource"])
    ]
    assert listing["Condition"] == {"StringEquals": {"s3:prefix": "claims/2026-lines.txt"}}


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_the_handler_sends_the_one_object(template: dict[str, Any]) -> None:
    (job,) = [
        r for r in template["Resources"].values() if r["Type"] == "Custom::ComprehendAnalysisJob"
    ]
    # The request as CloudFormation hands it over: the tokens resolved to plain strings.
    request = {
        "InputDataConfig": job["Properties"]["Request"]["InputDataConfig"],
        "OutputDataConfig": {"S3Uri": "s3://results/out/"},
        "DataAccessRoleArn": f"arn:aws:iam::{ACCOUNT}:role/comprehend-data",
        "EntityRecognizerArn": RECOGNIZER,
        "LanguageCode": "en",
    }
    start = build_start_request(
        {"JobType": job["Properties"]["JobType"], "Request": request},
        stack_id=f"arn:aws:cloudformation:us-east-1:{ACCOUNT}:stack/OneObject/1",
        logical_resource_id="EntitiesJob",
        request_id="2f1c7d0e-0000-4000-8000-000000000001",
    )
    assert start.params["InputDataConfig"]["S3Uri"] == OBJECT_URI


@pytest.mark.slow
def test_the_rehearsal_lets_the_job_read_the_object(synthesized: tuple[Path, Stack]) -> None:
    from rehearsal.rehearse import problems, rehearse
    from rehearsal.stacks import from_assembly

    outdir, stack = synthesized
    (deployed,) = from_assembly(outdir, [stack]).values()
    outcomes = rehearse(deployed.deployed, deployed.warnings)
    reads = [o for o in outcomes if "s3:GetObject" in o.subject and o.family == "comprehend"]
    assert reads and all(OBJECT_ARN in o.subject for o in reads), reads
    assert problems(outcomes) == []


def test_storage_and_role_take_one_object_too() -> None:
    app = App()
    stack = Stack(app, "Blocks", env=ENV)
    storage = JobStorage.from_s3_uris(
        stack, "Storage", input_s3_uri=OBJECT_URI, output_s3_uri="s3://results/out/"
    )
    assert storage.input_s3_uri == OBJECT_URI
    role = DataAccessRole(stack, "Role")
    role.grant_read_input(s3.Bucket.from_bucket_name(stack, "B", "my-corp-data"), "one/doc.json")


def _refusal(**uris: Any) -> str:
    app = App()
    stack = Stack(app, "Refused", env=ENV)
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(stack, "Entities", recognizer_arn=RECOGNIZER, network=False, **uris)
    assert stack.node.children == []
    return str(raised.value)


def test_a_location_that_is_no_object_is_still_refused() -> None:
    # No extension: a prefix missing its '/', which a grant on the exact key would break;
    # the error says what else the input may be.
    message = _refusal(input_s3_uri="s3://my-corp-data/claims/2026")
    assert "input_s3_uri=" in message
    assert "the key of one input object" in message
    assert "Fix: use input_s3_uri='s3://my-corp-data/claims/2026/'" in message
    # The output is always a prefix: Comprehend writes a folder under it.
    message = _refusal(
        input_s3_uri="s3://my-corp-data/claims/", output_s3_uri="s3://my-corp-results/out.txt"
    )
    assert "Fix: use output_s3_uri='s3://my-corp-results/out.txt/'" in message
    assert "the key of one input object" not in message
