"""The Region: the AWS CLI's precedence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from comprehend_jobs import cli_errors as errors
from comprehend_jobs.job_types import ENTITIES_DETECTION
from tests.cli.moto_jobs import Emulator, FakeClock, invoke, runtime

CONFIG = """\
[default]
region = eu-central-1
[profile dev]
region = ap-south-1
aws_access_key_id = testing
aws_secret_access_key = testing
"""


def region_used(run: Any) -> str:
    """The Region a run asked CloudFormation in: the missing-stack message names it."""
    assert run.code == errors.EXIT_STACK_NOT_FOUND, run.stderr
    prefix = "comprehend-jobs: error: stack Missing not found in "
    assert run.stderr.startswith(prefix), run.stderr
    return str(run.stderr[len(prefix) :].split(";", 1)[0])


@pytest.mark.parametrize(
    ("flags", "aws_region", "aws_default_region", "expected"),
    [
        (["--region", "sa-east-1"], "eu-west-1", "eu-west-2", "sa-east-1"),
        ([], "eu-west-1", "eu-west-2", "eu-west-1"),
        ([], "eu-west-1", None, "eu-west-1"),
        ([], None, "eu-west-2", "eu-west-2"),
        ([], "", "eu-west-2", "eu-west-2"),
        ([], None, None, "eu-central-1"),
        (["--profile", "dev"], None, None, "ap-south-1"),
        (["--profile", "dev"], "eu-west-1", None, "eu-west-1"),
        (["--profile", "dev"], None, "eu-west-2", "eu-west-2"),
    ],
    ids=[
        "flag-first",
        "AWS_REGION-over-AWS_DEFAULT_REGION",
        "AWS_REGION-alone",
        "AWS_DEFAULT_REGION",
        "empty-AWS_REGION-is-unset",
        "default-profile",
        "named-profile",
        "AWS_REGION-over-profile",
        "AWS_DEFAULT_REGION-over-profile",
    ],
)
def test_region_precedence_is_the_aws_clis(
    aws: str,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    flags: list[str],
    aws_region: str | None,
    aws_default_region: str | None,
    expected: str,
) -> None:
    # GIVEN a config file with a Region per profile, and the variables as given
    config = tmp_path / "config"
    config.write_text(CONFIG)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for name, value in (("AWS_REGION", aws_region), ("AWS_DEFAULT_REGION", aws_default_region)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)

    # WHEN
    run = invoke(["status", "Missing", *flags], runtime(clock))

    # THEN the first of --region, AWS_REGION, AWS_DEFAULT_REGION, profile was asked
    assert region_used(run) == expected


def test_aws_region_finds_a_stack_in_that_region(
    emulator: Emulator, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GIVEN a stack in us-east-1 and AWS_DEFAULT_REGION pointing elsewhere
    emulator.deploy_stack("Jobs", {"A": emulator.start_job(ENTITIES_DETECTION, "invoices")})
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-2")
    monkeypatch.setenv("AWS_REGION", "us-east-1")

    run = invoke(["status", "Jobs"], runtime(clock))

    assert run.code == 0, run.stderr
    assert "invoices" in run.stdout
