"""The console's forms as props: S3 URIs, subnet and security group IDs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from aws_cdk import Environment, Stack
from aws_cdk.assertions import Annotations, Match, Template
from nag_support import new_app

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    EntityRecognitionJob,
    JobNetwork,
    JobStorage,
    PropValidationError,
)

RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/claims"
SUBNETS = ["subnet-0a1b2c3d4e5f67890", "subnet-0f9e8d7c6b5a43210"]
GROUPS = ["sg-0123456789abcdef0"]
#: A Region-bound stack: the model's Region is checked, not warned about.
ENV = Environment(account="111122223333", region="us-east-1")


def _request(stack: Stack) -> dict[str, Any]:
    template = Template.from_stack(stack).to_json()
    (job,) = [
        r for r in template["Resources"].values() if r["Type"] == "Custom::ComprehendAnalysisJob"
    ]
    request: dict[str, Any] = stack.resolve(job["Properties"]["Request"])
    return request


def _count(template: Mapping[str, Any], kind: str) -> int:
    return sum(1 for r in template["Resources"].values() if r["Type"] == kind)


def test_s3_uris_and_ids_reach_the_request_exactly() -> None:
    stack = Stack(new_app(), "Console")
    storage = JobStorage.from_s3_uris(
        stack,
        "Storage",
        input_s3_uri="s3://my-corp-data/claims/2026/",
        output_s3_uri="s3://my-corp-results/comprehend/",
    )
    network = JobNetwork.from_ids(stack, "Network", subnet_ids=SUBNETS, security_group_ids=GROUPS)
    role = DataAccessRole(stack, "Role", storage=storage, network=network)
    EntityRecognitionJob(
        stack, "Claims", recognizer_arn=RECOGNIZER, storage=storage, role=role, network=network
    )
    request = _request(stack)
    assert request["InputDataConfig"] == {"S3Uri": "s3://my-corp-data/claims/2026/"}
    assert request["OutputDataConfig"] == {"S3Uri": "s3://my-corp-results/comprehend/"}
    assert request["VpcConfig"] == {"SecurityGroupIds": GROUPS, "Subnets": SUBNETS}
    template = Template.from_stack(stack).to_json()
    for kind in ("AWS::S3::Bucket", "AWS::EC2::VPC", "AWS::EC2::SecurityGroup"):
        assert _count(template, kind) == 0, kind


def test_the_pattern_takes_the_console_forms_in_a_few_lines() -> None:
    # What the console shows, as the pattern's props: no bucket, VPC or group is made.
    stack = Stack(new_app(), "ConsolePattern", env=ENV)
    ComprehendAnalysis(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER,
        input_s3_uri="s3://my-corp-data/claims/2026/",
        output_s3_uri="s3://my-corp-results/comprehend/",
        network=JobNetwork.from_ids(
            stack,
            "Network",
            subnet_ids=SUBNETS,
            security_group_ids=GROUPS,
            s3_gateway_endpoint=False,
        ),
    )
    request = _request(stack)
    assert request["InputDataConfig"] == {"S3Uri": "s3://my-corp-data/claims/2026/"}
    assert request["OutputDataConfig"]["S3Uri"] == "s3://my-corp-results/comprehend/"
    assert request["VpcConfig"] == {"SecurityGroupIds": GROUPS, "Subnets": SUBNETS}
    template = Template.from_stack(stack).to_json()
    for kind in ("AWS::S3::Bucket", "AWS::EC2::VPC", "AWS::EC2::SecurityGroup"):
        assert _count(template, kind) == 0, kind


def test_an_input_uri_alone_keeps_a_created_output_bucket() -> None:
    stack = Stack(new_app(), "InputOnly")
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri="s3://my-corp-data/x/")
    assert stack.resolve(storage.input_s3_uri) == "s3://my-corp-data/x/"
    assert storage.created_buckets == [storage.output_bucket]


def _job_in(stack: Stack, network: JobNetwork) -> None:
    storage = JobStorage.from_s3_uris(
        stack, "Storage", input_s3_uri="s3://in-bucket/x/", output_s3_uri="s3://out-bucket/y/"
    )
    role = DataAccessRole(stack, "Role", storage=storage, network=network)
    EntityRecognitionJob(
        stack, "Job", recognizer_arn=RECOGNIZER, storage=storage, role=role, network=network
    )


def test_subnets_by_id_are_warned_about_unless_vouched_for() -> None:
    stack = Stack(new_app(), "Warned", env=ENV)
    _job_in(
        stack, JobNetwork.from_ids(stack, "Network", subnet_ids=SUBNETS, security_group_ids=GROUPS)
    )
    warnings = [str(w) for w in Annotations.from_stack(stack).find_warning("*", Match.any_value())]
    # Ours only: the route to S3 of exactly these subnets (aws-cdk-lib's own route-table
    # warning on imported subnets is acknowledged).
    assert len(warnings) == 1 and all(s in warnings[0] for s in SUBNETS), warnings
    quiet = Stack(new_app(), "Vouched", env=ENV)
    _job_in(
        quiet,
        JobNetwork.from_ids(
            quiet,
            "Network",
            subnet_ids=SUBNETS,
            security_group_ids=GROUPS,
            s3_gateway_endpoint=False,
        ),
    )
    assert Annotations.from_stack(quiet).find_warning("*", Match.any_value()) == []


@pytest.mark.parametrize(
    ("props", "needles"),
    [
        ({"input_s3_uri": "S3://Bucket/x/"}, ["input_s3_uri='S3://Bucket/x/'", "'s3://bucket/x/'"]),
        (
            {"output_s3_uri": "my-bucket/out/"},
            ["output_s3_uri='my-bucket/out/'", "'s3://my-bucket/out/'"],
        ),
        ({"input_s3_uri": "https://b.example/x"}, ["input_s3_uri=", "Copy S3 URI"]),
        (
            {"input_s3_uri": "s3://my-bucket/x/", "input_prefix": "y/"},
            ["input_prefix='y/'", "drop input_prefix"],
        ),
    ],
)
def test_a_bad_s3_uri_names_the_prop_and_makes_nothing(
    props: dict[str, Any], needles: list[str]
) -> None:
    stack = Stack(new_app(), "Bad")
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        JobStorage.from_s3_uris(stack, "Storage", **props)
    for needle in needles:
        assert needle in str(raised.value)
    assert len(stack.node.find_all()) == before


def test_storage_props_failing_after_the_uris_leave_nothing_behind() -> None:
    stack = Stack(new_app(), "Late")
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError):
        JobStorage.from_s3_uris(
            stack,
            "Storage",
            input_s3_uri="s3://same-bucket/data/",
            output_s3_uri="s3://same-bucket/data/out/",
        )
    assert len(stack.node.find_all()) == before


@pytest.mark.parametrize(
    ("props", "needle"),
    [
        (
            {"subnet_ids": "subnet-0a1b2c3d", "security_group_ids": GROUPS},
            "subnet_ids='subnet-0a1b2c3d'",
        ),
        ({"subnet_ids": [], "security_group_ids": GROUPS}, "subnet_ids=[]"),
        (
            {"subnet_ids": SUBNETS, "security_group_ids": ["sg_bad!"]},
            "security_group_ids='sg_bad!'",
        ),
        ({"subnet_ids": SUBNETS, "security_group_ids": GROUPS * 6}, "1-5 IDs"),
        ({"subnet_ids": ["subnet-1"] * 17, "security_group_ids": GROUPS}, "1-16 IDs"),
        (
            {"subnet_ids": SUBNETS, "security_group_ids": GROUPS, "s3_gateway_endpoint": True},
            "s3_gateway_endpoint=True",
        ),
    ],
)
def test_bad_ids_name_the_prop_and_make_nothing(props: dict[str, Any], needle: str) -> None:
    stack = Stack(new_app(), "BadIds")
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        JobNetwork.from_ids(stack, "Network", **props)
    assert needle in str(raised.value)
    assert len(stack.node.find_all()) == before
