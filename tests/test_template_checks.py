"""checkov skips written into template metadata: merged, never repeated, one line each."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3

from comprehend_jobs.compliance.checkov import (
    ACCESS_LOG_DESTINATION,
    CHECKOV_METADATA_KEY,
    NO_RESOURCE_LEVEL_ACTIONS,
    skip_checkov,
    skip_checks,
)


@pytest.fixture
def bucket() -> s3.Bucket:
    return s3.Bucket(cdk.Stack(cdk.App(), "Checks"), "Bucket")


def _skips(construct: s3.Bucket) -> list[dict[str, str]]:
    cfn = construct.node.default_child
    assert isinstance(cfn, cdk.CfnResource)
    return list(cfn.get_metadata(CHECKOV_METADATA_KEY)["skip"])


def test_a_kind_writes_each_of_its_checks_once_with_its_reason(bucket: s3.Bucket) -> None:
    assert skip_checks(bucket, ACCESS_LOG_DESTINATION) == list(ACCESS_LOG_DESTINATION.checks)
    skip_checks(bucket, ACCESS_LOG_DESTINATION)  # again: nothing repeated
    assert _skips(bucket) == [
        {"id": check, "comment": ACCESS_LOG_DESTINATION.reason}
        for check in ACCESS_LOG_DESTINATION.checks
    ]


def test_skips_of_several_kinds_accumulate_in_order(bucket: s3.Bucket) -> None:
    skip_checkov(bucket, "CKV_AWS_1", "First reason")
    skip_checks(bucket, NO_RESOURCE_LEVEL_ACTIONS, only=["CKV_AWS_111"])
    skip_checkov(bucket, "CKV_AWS_1", "A second reason is ignored: already skipped")
    assert _skips(bucket) == [
        {"id": "CKV_AWS_1", "comment": "First reason"},
        {"id": "CKV_AWS_111", "comment": NO_RESOURCE_LEVEL_ACTIONS.reason},
    ]


@pytest.mark.parametrize(
    ("check_id", "reason"), [("", "why"), ("CKV_AWS_1", " "), ("CKV_AWS_1", "a\nb")]
)
def test_a_skip_needs_an_id_and_a_one_line_reason(
    bucket: s3.Bucket, check_id: str, reason: str
) -> None:
    with pytest.raises(ValueError, match="a check id and a one-line reason are required"):
        skip_checkov(bucket, check_id, reason)


def test_only_checks_of_the_kind_may_be_picked(bucket: s3.Bucket) -> None:
    with pytest.raises(ValueError, match="are not checks of kind"):
        skip_checks(bucket, NO_RESOURCE_LEVEL_ACTIONS, only=["CKV_AWS_18"])
