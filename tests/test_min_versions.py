"""The minimum-versions environment (``make test-min``) pins exactly the declared floor."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import min_versions
import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = {
    "project": {
        "dependencies": ["aws-cdk-lib>=2.269.0,<3", "constructs>=10.5.1,<11", "boto3>=1.40.0,<2"],
        "optional-dependencies": {
            "dev": ["pytest>=8,<10", "aws-cdk.integ-tests-alpha==2.275.0a0", "moto[server]>=5"]
        },
    }
}


def test_each_dependency_is_pinned_to_its_lower_bound() -> None:
    assert min_versions.floor_pins(PYPROJECT) == [
        "aws-cdk-lib==2.269.0",
        "constructs==10.5.1",
        "boto3==1.40.0",
        "botocore==1.40.0",
        "aws-cdk.integ-tests-alpha==2.269.0a0",
    ]


def test_the_dev_tools_come_as_declared_without_the_newest_alpha() -> None:
    assert min_versions.dev_tools(PYPROJECT) == ["pytest>=8,<10", "moto[server]>=5"]


def test_a_dependency_without_a_lower_bound_is_refused() -> None:
    bad = {"project": {"dependencies": ["constructs<11"]}}
    with pytest.raises(ValueError, match=r"'constructs<11' declares no lower bound"):
        min_versions.floor_pins(bad)


def test_the_declared_floor_is_where_cdk_nag_3_works() -> None:
    # aws-cdk-lib before 2.269.0 refuses acknowledgment ids holding '::' twice (IAM5 on an
    # S3 ARN), and cdk-nag 3.0.2 itself needs constructs 10.5.1.
    pins = min_versions.floor_pins(tomllib.loads((ROOT / "pyproject.toml").read_text()))
    versions = dict(p.split("==") for p in pins)
    as_tuple = {k: tuple(int(x) for x in re.findall(r"\d+", v)[:3]) for k, v in versions.items()}
    assert as_tuple["aws-cdk-lib"] >= (2, 269, 0)
    assert as_tuple["constructs"] >= (10, 5, 1)
    assert as_tuple["cdk-nag"] >= (3, 0, 2)


def test_make_test_runs_the_minimum_versions_too() -> None:
    # CI runs only `make test`.
    makefile = (ROOT / "Makefile").read_text()
    prerequisites = re.search(r"^test:(.*)$", makefile, re.MULTILINE)
    assert prerequisites is not None
    assert "test-min" in prerequisites.group(1).split()
