"""The example app (``app.py``) as an app: its stacks, any Region, its context errors, its
size, and the README showing it. The keys' parsing is ``tests/test_console.py``'s."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from app import build_app
from comprehend_jobs.console import FLOWS

ROOT = Path(__file__).resolve().parent.parent
#: cdk.json's context: CDK's feature flags only (the app's keys all have defaults).
CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/claims/version/v1"
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


def test_under_the_cli_without_a_model_the_app_exits_naming_the_keys() -> None:
    # What `npx cdk deploy` without a model does: the CLI passes the context this way.
    env = {**os.environ, "CDK_CONTEXT_JSON": json.dumps(CONTEXT)}
    result = subprocess.run(
        [sys.executable, "app.py"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 1
    assert result.stderr.startswith("app.py: no model to run: set -c recognizer_arn=")


def test_the_samples_exist_for_both_flows() -> None:
    for flow in FLOWS:
        assert any((ROOT / flow.samples).iterdir()), flow.samples


def test_the_app_is_a_short_example() -> None:
    assert len((ROOT / "app.py").read_text().splitlines()) < 100


def test_the_readme_shows_the_app_in_full_first() -> None:
    # The first Python in the README is app.py, character for character. (Its block is
    # fenced ```py: the snippet checker of test_docs.py reads ```python blocks, and would
    # count app.py's __file__ as a name the snippet leaves unbound.)
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"^```py(?:thon)?\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    assert blocks[0] == (ROOT / "app.py").read_text(), "README is out of date with app.py"
