"""The synth-time API model: botocore's own Comprehend model, read without botocore.session."""

from __future__ import annotations

import subprocess
import sys

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


# -- one validator: the constructs check values with the handler's own rules --------------

_REQUEST = {
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
