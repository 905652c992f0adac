"""The console's fields as context keys (``comprehend_jobs.console``): every key read and
checked, every problem one error naming the key and its form, the flows built from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest

from comprehend_jobs import DocumentFeatureType, DocumentReadAction, DocumentReadMode
from comprehend_jobs.console import (
    CONTEXT_KEYS,
    FLOWS,
    ConsoleConfig,
    ContextError,
    build_flows,
    check_keys,
    flow_stack,
    project_app,
    read_config,
)

ROOT = Path(__file__).resolve().parent.parent
#: cdk.json's context: CDK's feature flags only (the console's keys all have defaults).
CONTEXT: dict[str, Any] = json.loads((ROOT / "cdk.json").read_text())["context"]
RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/claims/version/v1"
CLASSIFIER = "arn:aws:comprehend:us-east-1:111122223333:document-classifier/mail"
VOLUME_KEY = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
FLYWHEEL = "arn:aws:comprehend:us-east-1:111122223333:flywheel/claims"
#: Where the stacks deploy in these tests (the model's Region).
ENV = cdk.Environment(region="us-east-1")


def _read(under_cli: bool | None = None, **context: Any) -> ConsoleConfig:
    return read_config(cdk.App(context={**CONTEXT, **context}).node, under_cli=under_cli)


def test_leaving_every_key_out_gives_the_documented_defaults() -> None:
    assert _read(under_cli=False) == ConsoleConfig(
        models={},
        flywheels={},
        example_models=True,
        input_s3_uri=None,
        output_s3_uri=None,
        input_documents=None,
        input_format="ONE_DOC_PER_FILE",
        document_reader=None,
        volume_kms_key_id=None,
        output_kms_key_id=None,
        input_kms_key_id=None,
        encryption=True,
        subnet_ids=None,
        security_group_ids=None,
        vpc=True,
        job_name=None,
        tags=None,
        wait_for_completion=False,
        rerun_token=None,
    )


def test_every_console_field_is_read_in_its_forms() -> None:
    config = _read(
        recognizer_arn=RECOGNIZER,
        classifier_arn=CLASSIFIER,
        input_s3_uri=" s3://my-corp-data/claims/2026/ ",
        subnet_ids="subnet-0a1b2c3d4e5f67890, subnet-0f9e8d7c6b5a43210",
        security_group_ids='["sg-0123456789abcdef0"]',
        document_read_action="TEXTRACT_ANALYZE_DOCUMENT",
        document_read_mode="FORCE_DOCUMENT_READ_ACTION",
        feature_types="TABLES,FORMS",
        encryption=True,
        vpc="TRUE",
        tags={"team": "claims"},
        wait_for_completion="true",
        rerun_token=2,
    )
    assert config.models == {"recognizer_arn": RECOGNIZER, "classifier_arn": CLASSIFIER}
    assert not config.example_models
    assert config.input_s3_uri == "s3://my-corp-data/claims/2026/"
    assert config.subnet_ids == ["subnet-0a1b2c3d4e5f67890", "subnet-0f9e8d7c6b5a43210"]
    assert config.security_group_ids == ["sg-0123456789abcdef0"]
    reader = config.document_reader
    assert reader is not None
    assert reader.read_action == DocumentReadAction.TEXTRACT_ANALYZE_DOCUMENT
    assert reader.read_mode == DocumentReadMode.FORCE_DOCUMENT_READ_ACTION
    assert reader.feature_types == [DocumentFeatureType.TABLES, DocumentFeatureType.FORMS]
    # `-c vpc=TRUE` is a string, cdk.json's `true` a JSON boolean: both are flags.
    # (vpc=false with subnet_ids is refused: tests/test_console_deploy.py.)
    assert config.encryption is True and config.vpc is True
    assert config.tags == {"team": "claims"}
    assert config.wait_for_completion is True
    assert config.rerun_token == "2"


def test_a_flywheel_runs_in_the_flow_of_its_model_type() -> None:
    config = _read(flywheel_arn=FLYWHEEL, flywheel_model_type="DOCUMENT_CLASSIFIER")
    assert config.flywheels == {"classifier_arn": FLYWHEEL}
    assert config.models == {} and not config.example_models


def test_without_a_model_the_cli_synthesis_names_the_keys() -> None:
    with pytest.raises(ContextError) as raised:
        _read(under_cli=True)
    assert "-c recognizer_arn=" in str(raised.value)
    assert "-c classifier_arn=" in str(raised.value)
    # ... unless placeholders are asked for.
    assert _read(under_cli=True, example_models="true").example_models


def test_the_cli_is_told_by_its_context_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CDK_CONTEXT_JSON", "{}")
    with pytest.raises(ContextError, match="no model to run"):
        _read()


def test_a_misspelt_key_names_the_closest_one() -> None:
    with pytest.raises(
        ContextError, match="unknown context key 'recogniser_arn': did you mean 'recognizer_arn'"
    ):
        check_keys({"recogniser_arn": RECOGNIZER})
    with pytest.raises(ContextError, match="unknown context key 'zzz': see the README"):
        check_keys({"zzz": "1"})


def test_cdk_keys_are_not_the_consoles_to_check() -> None:
    check_keys({"aws:cdk:enable-path-metadata": True, "@aws-cdk/x:y": 1, "acknowledge-x": 1})


@pytest.mark.parametrize(
    ("overrides", "needles"),
    [
        ({"input_format": "PDF"}, ["'input_format'='PDF'", "ONE_DOC_PER_FILE or ONE_DOC_PER_LINE"]),
        ({"vpc": "maybe"}, ["'vpc'='maybe'", "true or false"]),
        ({"job_name": "  "}, ["'job_name'='  '", "1-256 letters"]),
        ({"tags": "team=claims"}, ["'tags'='team=claims'", "JSON object", "does not parse"]),
        ({"tags": '{"team": 1}'}, ["'tags'", "with string keys and values"]),
        ({"subnet_ids": "subnet-0a1b2c3d"}, ["'security_group_ids' is missing"]),
        ({"security_group_ids": "sg-1"}, ["'subnet_ids' is missing"]),
        (
            {"subnet_ids": "[subnet-1", "security_group_ids": "sg-1"},
            ["'subnet_ids'", "does not parse"],
        ),
        ({"subnet_ids": "[]", "security_group_ids": "sg-1"}, ["'subnet_ids'='[]'", "1-16"]),
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
        _read(recognizer_arn=RECOGNIZER, **overrides)
    message = str(raised.value)
    for needle in needles:
        assert needle in message
    # Every context error says how to set a key.
    assert message.endswith(
        "Set it with -c KEY=VALUE (or in cdk.json); the README lists every key."
    )


def test_build_flows_makes_the_flows_with_a_model_in_order() -> None:
    app = cdk.App(context=CONTEXT)
    config = _read(classifier_arn=CLASSIFIER, vpc="false", encryption="false")
    stacks = build_flows(app, config, project_dir=ROOT, env=ENV)
    assert [s.stack_name for s in stacks] == ["ComprehendClassification"]
    (stack,) = stacks
    assert stack.region == "us-east-1"
    assert stack.node.try_find_child("Classification") is not None
    assert {c.node.id for c in stack.node.children} >= {"JobArn", "InputS3Uri", "OutputS3Uri"}


def test_a_malformed_model_arn_names_the_stack_and_prop() -> None:
    config = _read(recognizer_arn="arn:aws:comprehend:us-east-1:111122223333:recognizer/x")
    (flow, _) = FLOWS
    with pytest.raises(ContextError) as raised:
        flow_stack(cdk.App(context=CONTEXT), config, flow, project_dir=ROOT, env=ENV)
    message = str(raised.value)
    # The context key the user typed, not the construct's prop or path.
    assert message.startswith("ComprehendEntityRecognition: context key 'recognizer_arn'=")
    assert "recognizer/x" in message


def test_outside_the_cli_the_project_app_reads_cdk_json(tmp_path: Path) -> None:
    (tmp_path / "cdk.json").write_text(json.dumps({"app": "x", "context": {"vpc": "false"}}))
    assert project_app(tmp_path).node.try_get_context("vpc") == "false"


def test_every_context_key_is_in_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text()
    section = readme.split("### The example app's context keys", 1)[1].split("\n## ", 1)[0]
    rows = {
        cells[1].strip("` "): (cells[2].strip(), cells[3].strip())
        for cells in (line.split("|") for line in section.splitlines())
        if len(cells) == 5 and cells[1].strip().startswith("`")
    }
    # Key for key, with the form and the default the console documents.
    assert rows == {key: (spec.form, spec.default) for key, spec in CONTEXT_KEYS.items()}
