"""``keep_logical_ids``: a renamed or moved construct keeps what it deployed."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from constructs import Construct
from nag_support import TEST_ENV

from comprehend_jobs import ComprehendAnalysis, PropValidationError
from comprehend_jobs.renames import keep_logical_ids, logical_id

RECOGNIZER = "arn:aws:comprehend:us-east-1:111111111111:entity-recognizer/claims/version/v1"
Template = dict[str, Any]


def _synth(build: Any) -> Template:
    app = cdk.App(
        context={"aws:cdk:disable-asset-staging": True, "aws:cdk:enable-path-metadata": True}
    )
    stack = cdk.Stack(app, "Analysis", env=TEST_ENV)
    build(stack)
    return dict(app.synth().get_stack_by_name("Analysis").template)


def _analysis(scope: Construct, construct_id: str) -> ComprehendAnalysis:
    return ComprehendAnalysis(
        scope,
        construct_id,
        recognizer_arn=RECOGNIZER,
        input_s3_uri="s3://claims-in/docs/",
        output_s3_uri="s3://claims-out/results/",
    )


def _without_paths(template: Template) -> dict[str, Any]:
    out = {}
    for logical, resource in template["Resources"].items():
        resource = dict(resource)
        metadata = {k: v for k, v in resource.get("Metadata", {}).items() if k != "aws:cdk:path"}
        resource["Metadata"] = metadata
        # CloudFormation reads DependsOn as a set; aws-cdk-lib sorts it by logical ID.
        if isinstance(resource.get("DependsOn"), list):
            resource["DependsOn"] = sorted(resource["DependsOn"])
        out[logical] = resource
    return out


@pytest.fixture(scope="module")
def deployed() -> Template:
    return _synth(lambda stack: _analysis(stack, "Entities"))


def test_logical_ids_are_the_ones_aws_cdk_lib_allocates(deployed: Template) -> None:
    checked = 0
    for logical, resource in deployed["Resources"].items():
        path = resource.get("Metadata", {}).get("aws:cdk:path")
        if path:
            assert logical_id(path.split("/")[1:]) == logical, path
            checked += 1
    assert checked > 40
    # The rules for hidden and repeated components, and a single top-level one.
    assert logical_id(["Bucket", "Resource"]) == "Bucket" + logical_id(["Bucket", "Resource"])[-8:]
    assert logical_id(["Top-Level"]) == "TopLevel"
    assert logical_id(["A", "Default"]) == "A"


@pytest.mark.parametrize("parent", [None, "Team"], ids=["renamed", "moved and renamed"])
def test_a_renamed_analysis_keeps_every_logical_id(deployed: Template, parent: str | None) -> None:
    def build(stack: cdk.Stack) -> None:
        scope: Construct = stack if parent is None else Construct(stack, parent)
        keep_logical_ids(_analysis(scope, "Claims"), previous_path="Entities")

    renamed = _synth(build)
    assert set(renamed["Resources"]) == set(deployed["Resources"])
    before, after = _without_paths(deployed), _without_paths(renamed)
    # Only the tags naming construct paths differ (the VPC's and subnets' Name).
    differing = {k for k in before if before[k] != after[k]}
    assert {before[k]["Type"] for k in differing} <= {
        "AWS::EC2::VPC",
        "AWS::EC2::Subnet",
        "AWS::EC2::RouteTable",
        "AWS::EC2::VPCEndpoint",
    }


def test_without_it_a_rename_changes_every_logical_id_below(deployed: Template) -> None:
    renamed = _synth(lambda stack: _analysis(stack, "Claims"))
    moved = {k for k in deployed["Resources"] if k.startswith("Entities")}
    assert moved and not moved & set(renamed["Resources"])


@pytest.mark.parametrize(
    "previous_path", ["", "Entities Old", "a//b", 7, "${Token[TOKEN.1]}"], ids=repr
)
def test_a_bad_previous_path_is_refused_naming_it(previous_path: Any) -> None:
    stack = cdk.Stack(cdk.App(), "S", env=TEST_ENV)
    scope = Construct(stack, "Claims")
    if previous_path == "${Token[TOKEN.1]}":
        previous_path = cdk.Aws.STACK_NAME
    with pytest.raises(PropValidationError, match="previous_path="):
        keep_logical_ids(scope, previous_path=previous_path)


def test_a_stack_is_refused() -> None:
    stack = cdk.Stack(cdk.App(), "S", env=TEST_ENV)
    with pytest.raises(PropValidationError, match="scope="):
        keep_logical_ids(stack, previous_path="Entities")
