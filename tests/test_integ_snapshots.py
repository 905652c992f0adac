"""The integration tests' snapshots, checked offline on every ``make test``.

Each ``tests/integ/integ_*.py`` app is synthesized as integ-runner synthesizes a snapshot
(its dummy environment, placeholder models, no lookups) and compared with its committed
``*.snapshot`` folder, asset hashes masked. Nothing here reaches AWS. ``make integ``
deploys the same apps; without credentials it must stop at once with one line.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INTEG = ROOT / "tests" / "integ"
sys.path.insert(0, str(INTEG))

import harness  # noqa: E402

pytestmark = pytest.mark.slow

#: Run before the app: the construct change a contributor might make without updating
#: the snapshots (jobs no longer stopped on delete by default).
CONSTRUCT_CHANGE = """
import functools
from comprehend_jobs import ComprehendAnalysis
_init = ComprehendAnalysis.__init__
ComprehendAnalysis.__init__ = functools.partialmethod(_init, stop_on_delete=False)
"""


def test_every_integ_test_has_a_snapshot() -> None:
    names = [t.name for t in harness.tests()]
    assert len(names) >= 4
    assert all(harness.snapshot_dir(t).is_dir() for t in harness.tests()), names


def test_snapshots_match_the_synthesized_templates() -> None:
    mismatches = harness.check()
    assert not mismatches, harness.report(mismatches)


def test_a_construct_change_fails_the_check_with_a_diff_and_the_update_command(
    tmp_path: Path,
) -> None:
    test = INTEG / "integ_waiting_job.py"
    result = harness.synth(test, tmp_path, prelude=CONSTRUCT_CHANGE)
    assert result.returncode == 0, result.stderr
    mismatch = harness.compare(test, tmp_path)
    assert mismatch is not None
    changed = [
        "".join(line.split()) for line in mismatch.diff.splitlines() if "StopOnDelete" in line
    ]
    assert changed == ['-"StopOnDelete":true,', '+"StopOnDelete":false,'], mismatch.diff
    report = harness.report([mismatch])
    assert "--- integ_waiting_job.py" in report
    assert "make integ-update" in report


def test_snapshots_hold_placeholders_even_when_the_model_variables_are_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = "arn:aws:comprehend:eu-west-1:999988887777:entity-recognizer/real-model"
    monkeypatch.setenv("COMPREHEND_JOBS_RECOGNIZER_ARN", real)
    test = INTEG / "integ_entities_one_line.py"
    result = harness.synth(test, tmp_path)
    assert result.returncode == 0, result.stderr
    templates = "".join(p.read_text() for p in tmp_path.glob("*.template.json"))
    assert "integ-placeholder" in templates
    assert "999988887777" not in templates


def _no_credentials_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    return {
        **env,
        "AWS_CONFIG_FILE": "/nonexistent/config",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent/credentials",
        # Never ask an instance metadata service from a test.
        "AWS_EC2_METADATA_DISABLED": "true",
    }


def test_make_integ_without_credentials_fails_at_once_with_one_line() -> None:
    result = subprocess.run(
        [sys.executable, str(INTEG / "harness.py"), "deploy"],
        env=_no_credentials_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("make integ: no AWS credentials found")
    assert "nothing was deployed" in lines[0]


def test_preflight_names_a_missing_model_and_a_region_mismatch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key, value in _no_credentials_env().items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-real-secret")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    tests = harness.tests()
    with pytest.raises(harness.PreflightError, match="COMPREHEND_JOBS_CLASSIFIER_ARN is not set"):
        harness.preflight(tests, {"AWS_REGION": "us-east-1"})
    environ = {
        "AWS_REGION": "us-east-1",
        "COMPREHEND_JOBS_CLASSIFIER_ARN": "arn:aws:comprehend:us-east-1:111122223333:"
        "document-classifier/tickets",
        "COMPREHEND_JOBS_RECOGNIZER_ARN": "arn:aws:comprehend:eu-west-1:111122223333:"
        "entity-recognizer/tickets",
    }
    with pytest.raises(harness.PreflightError, match="in eu-west-1, but the Region is us-east-1"):
        harness.preflight(tests, environ)
    environ["COMPREHEND_JOBS_RECOGNIZER_ARN"] = environ["COMPREHEND_JOBS_RECOGNIZER_ARN"].replace(
        "eu-west-1", "us-east-1"
    )
    assert harness.preflight(tests, environ) == "us-east-1"
