"""The example app: every console field a context key, clear context errors, any Region."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

import app as example_app
from app import CONTEXT_KEYS, ContextError, build_app, read_config

ROOT = Path(__file__).resolve().parent.parent
#: cdk.json's context: CDK's feature flags only (the app's keys all have defaults).
CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/claims/version/v1"
CLASSIFIER = "arn:aws:comprehend:us-east-1:111122223333:document-classifier/mail"
VOLUME_KEY = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OUTPUT_ALIAS = "alias/claims-results"
FLYWHEEL = "arn:aws:comprehend:us-east-1:111122223333:flywheel/claims"
JOB = "Custom::ComprehendAnalysisJob"


def _synth(tmp_path: Path, **context: Any) -> dict[str, dict[str, Any]]:
    app = cdk.App(context={**CONTEXT, **context}, outdir=str(tmp_path))
    assembly = build_app(app, compliance_checks=False).synth()
    return {s.stack_name: dict(s.template) for s in assembly.stacks}


def _resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def _job(template: dict[str, Any]) -> dict[str, Any]:
    (job,) = _resources(template, JOB).values()
    return job


def test_the_shipped_example_makes_both_flows_on_placeholders(
    app_templates: dict[str, dict[str, Any]],
) -> None:
    # app_templates synthesizes with the four nag packs: any finding fails the fixture.
    assert sorted(app_templates) == ["ComprehendClassification", "ComprehendEntityRecognition"]
    for name, template in app_templates.items():
        request = _job(template)["Properties"]["Request"]
        model = request.get("EntityRecognizerArn") or request["DocumentClassifierArn"]
        # The placeholder names the stack's own Region: the example synthesizes anywhere.
        assert model["Fn::Join"][1][3] == {"Ref": "AWS::Region"}, name
        # ... and a CloudFormation rule refuses to deploy it before anything is made.
        rule = template["Rules"]["PlaceholderModelsCannotBeDeployed"]
        assert "example_models=true" in rule["Assertions"][0]["AssertDescription"]
        assert sorted(template["Outputs"]) == ["InputS3Uri", "JobArn", "OutputS3Uri"]


def test_the_example_job_reads_the_sample_documents_uploaded_first(
    app_templates: dict[str, dict[str, Any]],
) -> None:
    template = app_templates["ComprehendEntityRecognition"]
    (upload,) = _resources(template, "Custom::CDKBucketDeployment")
    assert upload in _job(template)["DependsOn"]


def test_console_context_points_at_existing_data_network_and_keys(tmp_path: Path) -> None:
    stacks = _synth(
        tmp_path,
        recognizer_arn=RECOGNIZER,
        input_s3_uri="s3://my-corp-data/claims/2026/",
        output_s3_uri="s3://my-corp-results/comprehend/",
        subnet_ids="subnet-0a1b2c3d4e5f67890, subnet-0f9e8d7c6b5a43210",
        security_group_ids='["sg-0123456789abcdef0"]',
        volume_kms_key_id=VOLUME_KEY,
        output_kms_key_id=OUTPUT_ALIAS,
        job_name="claims-2026",
        tags='{"team": "claims"}',
        wait_for_completion="true",
        rerun_token="2",
    )
    # Only the flow with a model is made.
    assert list(stacks) == ["ComprehendEntityRecognition"]
    template = stacks["ComprehendEntityRecognition"]
    properties = _job(template)["Properties"]
    assert properties["Request"] == {
        "InputDataConfig": {
            "S3Uri": "s3://my-corp-data/claims/2026/",
            "InputFormat": "ONE_DOC_PER_FILE",
        },
        "OutputDataConfig": {"S3Uri": "s3://my-corp-results/comprehend/", "KmsKeyId": OUTPUT_ALIAS},
        "DataAccessRoleArn": properties["Request"]["DataAccessRoleArn"],
        "JobName": "claims-2026",
        "LanguageCode": "en",
        "EntityRecognizerArn": RECOGNIZER,
        "VolumeKmsKeyId": VOLUME_KEY,
        "VpcConfig": {
            "SecurityGroupIds": ["sg-0123456789abcdef0"],
            "Subnets": ["subnet-0a1b2c3d4e5f67890", "subnet-0f9e8d7c6b5a43210"],
        },
        "Tags": [{"Key": "team", "Value": "claims"}],
    }
    assert properties["WaitForCompletion"] is True
    assert properties["RerunToken"] == "2"
    for kind in ("AWS::S3::Bucket", "AWS::EC2::VPC", "AWS::EC2::SecurityGroup"):
        assert _resources(template, kind) == {}, kind
    # No job key: only the library's own log key remains.
    assert [k for k in _resources(template, "AWS::KMS::Key") if "LogKey" not in k] == []
    assert "PlaceholderModelsCannotBeDeployed" not in template.get("Rules", {})


@pytest.mark.parametrize("region", ["eu-west-1", "ap-southeast-2"])
def test_the_example_synthesizes_in_any_region(
    region: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The CDK CLI passes the user's Region (AWS_REGION, AWS_DEFAULT_REGION) this way.
    monkeypatch.setenv("CDK_DEFAULT_REGION", region)
    stacks = _synth(tmp_path, example_models=True)
    assert len(stacks) == 2


def test_without_a_model_the_cli_synthesis_names_the_keys() -> None:
    app = cdk.App(context=CONTEXT)
    with pytest.raises(ContextError) as raised:
        read_config(app.node, under_cli=True)
    assert "-c recognizer_arn=" in str(raised.value)
    assert "-c classifier_arn=" in str(raised.value)


def test_a_misspelt_key_names_the_closest_one() -> None:
    app = cdk.App(context={**CONTEXT, "recogniser_arn": RECOGNIZER})
    with pytest.raises(
        ContextError, match="unknown context key 'recogniser_arn': did you mean 'recognizer_arn'"
    ):
        read_config(app.node)


def test_cdk_keys_are_not_the_apps_to_check() -> None:
    app = cdk.App(context={**CONTEXT, "aws:cdk:enable-path-metadata": True, "@aws-cdk/x:y": 1})
    read_config(app.node)


@pytest.mark.parametrize(
    ("overrides", "needles"),
    [
        ({"input_format": "PDF"}, ["'input_format'='PDF'", "ONE_DOC_PER_FILE or ONE_DOC_PER_LINE"]),
        ({"vpc": "maybe"}, ["'vpc'='maybe'", "true or false"]),
        ({"wait_for_completion": "yes"}, ["'wait_for_completion'='yes'", "true or false"]),
        ({"tags": "team=claims"}, ["'tags'='team=claims'", "JSON object"]),
        ({"subnet_ids": "subnet-0a1b2c3d"}, ["'security_group_ids' is missing"]),
        (
            {"subnet_ids": "[subnet-1", "security_group_ids": "sg-1"},
            ["'subnet_ids'", "does not parse"],
        ),
        ({"feature_types": "TABLES"}, ["'feature_types'", "needs document_read_action"]),
        (
            {"document_read_action": "TEXTRACT_ANALYZE_DOCUMENT", "feature_types": "TABLES,CHARTS"},
            ["'feature_types'='CHARTS'", "TABLES and/or FORMS"],
        ),
        (
            {"encryption": "false", "volume_kms_key_id": VOLUME_KEY},
            ["'volume_kms_key_id'", "encryption=false"],
        ),
        (
            {"flywheel_arn": FLYWHEEL},
            ["'flywheel_model_type' is missing", "-c flywheel_model_type=ENTITY_RECOGNIZER"],
        ),
        (
            {"flywheel_model_type": "ENTITY_RECOGNIZER"},
            ["'flywheel_model_type'='ENTITY_RECOGNIZER'", "it needs flywheel_arn too"],
        ),
        (
            {"flywheel_arn": FLYWHEEL, "flywheel_model_type": "RECOGNIZER"},
            ["'flywheel_model_type'='RECOGNIZER'", "ENTITY_RECOGNIZER or DOCUMENT_CLASSIFIER"],
        ),
        (
            {"flywheel_arn": FLYWHEEL, "flywheel_model_type": "ENTITY_RECOGNIZER"},
            ["'recognizer_arn' and 'flywheel_arn' both name the model of", "drop one"],
        ),
    ],
)
def test_bad_context_names_the_key_and_its_form(
    overrides: dict[str, Any], needles: list[str]
) -> None:
    with pytest.raises(ContextError) as raised:
        read_config(cdk.App(context={**CONTEXT, "recognizer_arn": RECOGNIZER, **overrides}).node)
    for needle in needles:
        assert needle in str(raised.value)


def test_a_flywheel_runs_in_the_flow_of_its_model_type(tmp_path: Path) -> None:
    stacks = _synth(
        tmp_path,
        flywheel_arn=FLYWHEEL,
        flywheel_model_type="DOCUMENT_CLASSIFIER",
        input_s3_uri="s3://my-corp-data/mail/",
        vpc="false",
    )
    assert list(stacks) == ["ComprehendClassification"]
    request = _job(stacks["ComprehendClassification"])["Properties"]["Request"]
    assert request["FlywheelArn"] == FLYWHEEL
    assert "DocumentClassifierArn" not in request
    assert request["InputDataConfig"]["S3Uri"] == "s3://my-corp-data/mail/"


def test_a_malformed_model_arn_names_the_stack_and_prop(tmp_path: Path) -> None:
    with pytest.raises(ContextError) as raised:
        _synth(tmp_path, recognizer_arn="arn:aws:comprehend:us-east-1:111122223333:recognizer/x")
    message = str(raised.value)
    assert message.startswith("ComprehendEntityRecognition: ComprehendAnalysis")
    assert "recognizer/x" in message


def test_every_context_key_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### The example app's context keys", 1)[1].split("\n## ", 1)[0]
    rows = {
        cells[1].strip("` "): (cells[2].strip(), cells[3].strip())
        for cells in (line.split("|") for line in section.splitlines())
        if len(cells) == 5 and cells[1].strip().startswith("`")
    }
    # Key for key, with the form and the default the app documents.
    assert rows == {key: (spec.form, spec.default) for key, spec in CONTEXT_KEYS.items()}


def test_the_samples_exist_for_both_flows() -> None:
    for flow in example_app.FLOWS:
        assert any((ROOT / flow.samples).iterdir()), flow.samples
