"""The S3-route warning's fix is the one the user can apply where they are (issue 23).

Jobs in subnets whose routes cannot be seen at synth get the warning
``comprehend-jobs:s3-route``. From the example app (``-c subnet_ids=...``) its fix is the
context key ``-c subnets_reach_s3=true``, as the app's errors name the key typed; from
Python it is ``JobNetwork``'s ``s3_gateway_endpoint`` prop, with what each way of giving
the subnets allows.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import Environment, Stack
from aws_cdk.assertions import Annotations, Match
from nag_support import new_app

from app import build_app
from comprehend_jobs import JobNetwork
from comprehend_jobs.network import S3_ROUTE_WARNING

ROOT = Path(__file__).resolve().parent.parent
CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/claims"
SUBNETS = ["subnet-0a1b2c3d4e5f67890", "subnet-0f9e8d7c6b5a43210"]
GROUP = "sg-0123456789abcdef0"


def _s3_route_warnings(stack: Stack) -> list[str]:
    found = Annotations.from_stack(stack).find_warning(
        "*", Match.string_like_regexp(S3_ROUTE_WARNING)
    )
    return [str(w.entry.data) for w in found]


def test_the_apps_warning_names_the_context_key(tmp_path: Path) -> None:
    context = {
        "recognizer_arn": RECOGNIZER,
        "input_s3_uri": "s3://my-corp-data/claims/",
        "subnet_ids": ",".join(SUBNETS),
        "security_group_ids": GROUP,
    }
    app = build_app(
        cdk.App(context={**CONTEXT, **context}, outdir=str(tmp_path)), compliance_checks=False
    )
    stack = app.node.find_child("ComprehendEntityRecognition")
    assert isinstance(stack, Stack)
    (warning,) = _s3_route_warnings(stack)
    assert ", ".join(SUBNETS) in warning
    assert "Fix: make sure their route tables have an S3 gateway endpoint" in warning
    assert "-c subnets_reach_s3=true" in warning
    # What the key asserts, in the terms of the key the user typed.
    assert "it asserts that the route tables of subnet_ids reach S3" in warning
    # Nothing a command-line user cannot set.
    assert "s3_gateway_endpoint" not in warning and "JobNetwork" not in warning


def test_the_constructs_warning_names_the_prop() -> None:
    stack = Stack(new_app(), "Net", env=Environment(account="111122223333", region="us-east-1"))
    JobNetwork.from_ids(stack, "Network", subnet_ids=SUBNETS, security_group_ids=[GROUP])
    # A template needs one resource; the network by IDs makes none.
    cdk.CfnResource(stack, "Placeholder", type="AWS::CloudFormation::WaitConditionHandle")
    (warning,) = _s3_route_warnings(stack)
    assert ", ".join(SUBNETS) in warning
    assert "pass s3_gateway_endpoint=False to JobNetwork.from_ids" in warning
    # from_ids has no VPC to add an endpoint to: True is not offered (it is refused).
    assert "s3_gateway_endpoint=True" not in warning
    assert "-c " not in warning and "subnets_reach_s3" not in warning
