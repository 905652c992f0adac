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
