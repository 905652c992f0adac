"""The Region: the AWS CLI's precedence, and a Region botocore does not know named as such."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from cli.moto_jobs import Emulator, FakeClock, invoke, runtime
from comprehend_jobs.cli import errors as errors
from comprehend_jobs.cli.regions import botocore_partitions, check_region
from comprehend_jobs.job_types import ENTITIES_DETECTION

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


@pytest.mark.parametrize(
    ("flags", "variable", "source", "hint"),
    [
        (["--region", "moon-1"], None, "--region", "Region names look like us-east-1"),
        (["--region", "us-east1"], None, "--region", "did you mean us-east-1?"),
        ([], "AWS_REGION", "AWS_REGION", "Region names look like us-east-1"),
        ([], "AWS_DEFAULT_REGION", "AWS_DEFAULT_REGION", "Region names look like us-east-1"),
    ],
)
def test_unknown_region_is_named_with_a_hint(
    aws: str,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
    flags: list[str],
    variable: str | None,
    source: str,
    hint: str,
) -> None:
    # GIVEN a Region no botocore partition has (from the flag or a variable)
    monkeypatch.delenv("AWS_REGION", raising=False)
    if variable is not None:
        monkeypatch.setenv(variable, "moon-1")
    region = flags[1] if flags else "moon-1"

    run = invoke(["status", "Jobs", *flags], runtime(clock))

    # THEN a usage error names it and where it came from, before any AWS call
    assert run.code == errors.EXIT_USAGE
    assert run.stderr.startswith(
        f"comprehend-jobs: error: unknown AWS Region '{region}' (from {source}); "
    )
    assert hint in run.stderr
    assert run.stderr.count("\n") == 1


def test_unknown_region_from_the_profile_names_the_profile(
    aws: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    config = tmp_path / "config"
    config.write_text(CONFIG.replace("ap-south-1", "moon-1"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)

    run = invoke(["status", "Jobs", "--profile", "dev"], runtime(clock))

    assert run.code == errors.EXIT_USAGE
    assert "unknown AWS Region 'moon-1' (from the region of profile 'dev'" in run.stderr


def listed_regions() -> list[str]:
    """Every Region the installed botocore lists, read straight from its data."""
    from botocore.loaders import create_loader

    data = create_loader().load_data("partitions")
    return sorted(r for p in data["partitions"] for r in p["regions"])


def test_every_region_botocore_lists_is_known() -> None:
    partitions = botocore_partitions()
    regions = listed_regions()

    assert {"us-east-1", "eu-west-1", "cn-north-1", "us-gov-west-1"} <= set(regions)
    for region in regions:
        check_region(region, "--region", partitions)


@pytest.mark.parametrize("region", ["eu-west-9", "ap-southeast-42", "us-gov-north-7"])
def test_a_region_newer_than_botocore_is_known_by_its_partitions_pattern(region: str) -> None:
    # Not listed by the installed botocore, but shaped like its partition's Regions.
    assert region not in listed_regions()
    check_region(region, "--region")


@pytest.mark.parametrize("region", ["moon-1", "us-east1", "US-EAST-1", "useast1", "local"])
def test_names_no_partition_accepts_are_unknown(region: str) -> None:
    with pytest.raises(errors.UsageError, match=rf"^unknown AWS Region '{region}' \(from X\); "):
        check_region(region, "X")
