"""The example app: both seed-flow stacks from cdk.json context, clear context errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from app import ContextError, build_app, read_config

ROOT = Path(__file__).resolve().parent.parent
CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]


def _app(**overrides: Any) -> cdk.App:
    return cdk.App(context={**CONTEXT, **overrides})


def test_app_makes_both_seed_flow_stacks(app_templates: dict[str, dict[str, Any]]) -> None:
    # app_templates synthesizes with the four nag packs: any finding fails the fixture.
    assert sorted(app_templates) == ["ComprehendClassification", "ComprehendEntityRecognition"]
    entities = app_templates["ComprehendEntityRecognition"]
    (job,) = [
        r for r in entities["Resources"].values() if r["Type"] == "Custom::ComprehendAnalysisJob"
    ]
    assert job["Properties"]["JobType"] == "EntitiesDetection"
    assert job["Properties"]["Request"]["EntityRecognizerArn"] == CONTEXT["recognizer_arn"]
    assert job["Properties"]["Request"]["InputDataConfig"]["InputFormat"] == "ONE_DOC_PER_LINE"
    assert sorted(entities["Outputs"]) == ["InputS3Uri", "JobArn", "OutputS3Uri"]
    classification = app_templates["ComprehendClassification"]
    (job,) = [
        r
        for r in classification["Resources"].values()
        if r["Type"] == "Custom::ComprehendAnalysisJob"
    ]
    assert job["Properties"]["Request"]["DocumentClassifierArn"] == CONTEXT["classifier_arn"]


def test_context_switches_reach_the_stacks(tmp_path: Path) -> None:
    app = cdk.App(
        context={
            **CONTEXT,
            "vpc": "false",
            "encryption": False,
            "classification_job_name": "routing-2026",
        },
        outdir=str(tmp_path),
    )
    template = build_app(app).synth().get_stack_by_name("ComprehendClassification").template
    (job,) = [
        r for r in template["Resources"].values() if r["Type"] == "Custom::ComprehendAnalysisJob"
    ]
    request = job["Properties"]["Request"]
    assert request["JobName"] == "routing-2026"
    assert "VpcConfig" not in request and "VolumeKmsKeyId" not in request
    assert not [r for r in template["Resources"].values() if r["Type"] == "AWS::EC2::VPC"]


@pytest.mark.parametrize(
    ("overrides", "needles"),
    [
        (
            {"recognizer_arn": None},
            ["'recognizer_arn' is missing", "entity-recognizer/NAME", "-c recognizer_arn="],
        ),
        ({"input_format": "PDF"}, ["'input_format'='PDF'", "ONE_DOC_PER_LINE or ONE_DOC_PER_FILE"]),
        ({"vpc": "maybe"}, ["'vpc'='maybe'", "true or false"]),
        ({"classifier_arn": ""}, ["'classifier_arn'=''", "document-classifier/NAME"]),
    ],
)
def test_bad_context_names_the_key_and_its_form(
    overrides: dict[str, Any], needles: list[str]
) -> None:
    context = {k: v for k, v in {**CONTEXT, **overrides}.items() if v is not None}
    with pytest.raises(ContextError) as raised:
        read_config(cdk.App(context=context).node)
    for needle in needles:
        assert needle in str(raised.value)


def test_malformed_model_arn_names_the_stack_and_prop() -> None:
    app = _app(recognizer_arn="arn:aws:comprehend:us-east-1:111122223333:recognizer/x")
    with pytest.raises(ContextError) as raised:
        build_app(app)
    message = str(raised.value)
    assert message.startswith("ComprehendEntityRecognition: ComprehendAnalysis")
    assert "entity_recognizer_arn='arn:aws:comprehend:us-east-1:111122223333:recognizer/x'" in (
        message
    )
