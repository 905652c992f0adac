"""The synth-time API model: botocore's own Comprehend model, read without botocore.session."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import botocore.session
import pytest

from comprehend_jobs._private import api_model


@pytest.fixture(scope="module")
def botocore_model():
    return botocore.session.get_session().get_service_model("comprehend")


def test_every_shape_matches_botocores_loader(botocore_model) -> None:
    # The direct read must agree with botocore's loader on every shape, not only the few
    # the constructs use today.
    differing = [
        name
        for name in botocore_model.shape_names
        if dict(botocore_model.shape_for(name).metadata) != api_model.shape_metadata(name)
    ]
    assert differing == []
    assert len(botocore_model.shape_names) > 100


def test_reads_the_api_version_botocore_uses(botocore_model) -> None:
    assert api_model.model_path().parent.name == botocore_model.api_version


def test_limits_the_constructs_rely_on() -> None:
    assert api_model.shape_metadata("JobName")["max"] == 256
    assert "ADDRESS" in api_model.enum_values("PiiEntityType")
    assert api_model.matches_shape(
        "EntityRecognizerArn", "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/x"
    )
    assert not api_model.matches_shape("EntityRecognizerArn", "arn:aws:s3:::bucket")


def test_importing_the_library_does_not_load_botocore_session() -> None:
    # botocore.session costs ~0.3 s of every synthesis; the constructs must not need it.
    code = (
        "import sys\n"
        "from comprehend_jobs import jobs\n"
        "from comprehend_jobs._private import api_model\n"
        "api_model.shape_metadata('JobName')\n"
        "print('botocore.session' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip().splitlines()[-1] == "False"


def test_importing_the_library_reads_no_model() -> None:
    # Reading botocore's model costs about 25 ms: a rule reads it when it needs a limit,
    # never an import (an app whose jobs run outside a VPC may need none).
    code = (
        "import comprehend_jobs, comprehend_jobs.console\n"
        "from comprehend_jobs import *\n"
        "from comprehend_jobs._private import api_model\n"
        "print(api_model._shapes.cache_info().currsize)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout
    assert out.strip().splitlines()[-1] == "0"


# -- one validator: the constructs check values with the handler's own rules --------------

_REQUEST: dict[str, Any] = {
    "InputDataConfig": {"S3Uri": "s3://input-bucket/in/", "InputFormat": "ONE_DOC_PER_LINE"},
    "OutputDataConfig": {"S3Uri": "s3://output-bucket/out/"},
    "DataAccessRoleArn": "arn:aws:iam::123456789012:role/DataAccess",
}


def _handler_accepts(field: str, value: str, *, into: str | None = None) -> bool:
    from comprehend_jobs._lambda import request_builder

    request = {**_REQUEST, **({field: value} if into is None else {})}
    if into is not None:
        request[into] = {**request[into], field: value}
    try:
        request_builder.build_start_request(
            {"JobType": "DominantLanguageDetection", "Request": request},
            stack_id="arn:aws:cloudformation:us-east-1:123456789012:stack/S/u",
            logical_resource_id="Job",
            request_id="r",
        )
    except request_builder.RequestValidationError as error:
        assert all(field in problem for problem in error.problems), error.problems
        return False
    return True


@pytest.mark.parametrize(
    "name",
    [
        "quarterly events: 2026/Q3 run",
        "Jöb\u3000名前-\u0663_.:/=+-%@",
        "a" * 256,
        "a" * 257,
        "",
        "bad#name",
        "emoji\U0001f600",
        "tab\tname",
    ],
)
def test_constructs_and_handler_agree_on_job_names(name: str) -> None:
    # JobName's pattern uses \p{L}\p{Z}\p{N}: the translation Python's re needs is the
    # handler's, and the constructs use it rather than a second implementation.
    assert api_model.is_valid_job_name(name) == _handler_accepts("JobName", name)


@pytest.mark.parametrize(
    "uri",
    ["s3://bucket/in/", "s3://bucket", "https://bucket/in/", "s3://" + "b" * 1030, "s3://b/é"],
)
def test_constructs_and_handler_agree_on_s3_uris(uri: str) -> None:
    handler = _handler_accepts("S3Uri", uri, into="InputDataConfig")
    assert api_model.matches_shape("S3Uri", uri) == handler


# -- every limit the constructs use is the model's ------------------------------------------


def _member(model, structure: str, member: str) -> dict[str, object]:
    return dict(model.shape_for(structure).members[member].metadata)


def _input_member(model, operation: str, member: str) -> dict[str, object]:
    return dict(model.operation_model(operation).input_shape.members[member].metadata)


def test_every_limit_the_constructs_use_is_botocores(botocore_model) -> None:
    from comprehend_jobs._private import job_limits, network_rules

    model = botocore_model
    used = {
        "network_rules.max_subnets": network_rules.max_subnets(),
        "network_rules.max_security_groups": network_rules.max_security_groups(),
        "job_limits.job_name_max": job_limits.job_name_max(),
        "job_limits.tag_key_limits": job_limits.tag_key_limits(),
        "job_limits.tag_value_limits": job_limits.tag_value_limits(),
        "job_limits.topics_limits": job_limits.topics_limits(),
        "job_limits.event_types_limits": job_limits.event_types_limits(),
        "job_limits.event_type_shape": dict(
            model.shape_for(job_limits.event_type_shape()).metadata
        ),
        "job_limits.mask_character_shape": dict(
            model.shape_for(job_limits.mask_character_shape()).metadata
        ),
    }
    botocore_says = {
        "network_rules.max_subnets": _member(model, "VpcConfig", "Subnets")["max"],
        "network_rules.max_security_groups": _member(model, "VpcConfig", "SecurityGroupIds")["max"],
        "job_limits.job_name_max": model.shape_for("JobName").metadata["max"],
        "job_limits.tag_key_limits": _member(model, "Tag", "Key"),
        "job_limits.tag_value_limits": _member(model, "Tag", "Value"),
        "job_limits.topics_limits": _input_member(
            model, "StartTopicsDetectionJob", "NumberOfTopics"
        ),
        "job_limits.event_types_limits": _input_member(
            model, "StartEventsDetectionJob", "TargetEventTypes"
        ),
        "job_limits.event_type_shape": dict(
            model.operation_model("StartEventsDetectionJob")
            .input_shape.members["TargetEventTypes"]
            .member.metadata
        ),
        "job_limits.mask_character_shape": _member(model, "RedactionConfig", "MaskCharacter"),
    }
    assert used == botocore_says


def test_no_limit_is_written_as_a_number() -> None:
    # A module-level MAX_*/*_MAX/MIN_* written as a number would be a copy of the model
    # that can drift; the ones listed are not in the model (a service quota, our own UI).
    not_in_the_model = {
        "job_limits.py:MAX_TAGS",  # Comprehend's 50 tags per resource: a quota, not in the model.
        "acknowledgments.py:MAX_KINDS",
        "status.py:MAX_INTERVAL",
        "formats.py:TABLE_MAX_WIDTH",
    }
    package = Path(__file__).resolve().parent.parent / "constructs" / "comprehend_jobs"
    written = set()
    for path in package.rglob("*.py"):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            target: ast.expr | None = node.target if isinstance(node, ast.AnnAssign) else None
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
            value = getattr(node, "value", None)
            if (
                isinstance(target, ast.Name)
                and re.search(r"(^|_)(MAX|MIN)(_|$)", target.id)
                and isinstance(value, ast.Constant)
                and isinstance(value.value, int | float)
            ):
                written.add(f"{path.name}:{target.id}")
    assert written == not_in_the_model
