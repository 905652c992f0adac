"""What the composition generator found (issue 21), each held by a focused test.

1. ``JobNetwork(flow_log_key=key)`` synthesized, and CloudFormation then failed to create
   the flow-log group: nothing let CloudWatch Logs use a brought key. A key of the same
   app now gets the statement; an imported key is a synth warning naming what to add.
2. A brought bucket imported with an alias as its ``encryption_key`` synthesized, and
   the job then failed to read (or write) its SSE-KMS objects: the role's grant named the
   alias ARN, which IAM never matches. It is now refused, naming the bucket and the fix.
"""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Annotations, Match, Template
from nag_support import TEST_ENV, new_stack

from comprehend_jobs import JobHandler, JobNetwork, JobStorage, PropValidationError

IMPORTED_KEY = "arn:aws:kms:us-east-1:111111111111:key/7e7e7e7e-1111-2222-3333-444455556666"


def test_a_brought_flow_log_key_of_the_app_lets_cloudwatch_logs_use_it() -> None:
    # GIVEN a key of the same app, given as the network's flow-log key
    stack = new_stack(TEST_ENV)
    key = kms.Key(stack, "PlatformKey", enable_key_rotation=True)
    # WHEN the network makes its VPC and flow-log group
    JobNetwork(stack, "Network", flow_log_key=key)
    # THEN the key's policy lets CloudWatch Logs of this account and Region use it: the
    # statement JobHandler gives a brought log key, exactly
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::KMS::Key", 1)
    (key_resource,) = template.find_resources("AWS::KMS::Key").values()
    expected = stack.resolve(JobHandler.log_key_statement(stack).to_statement_json())
    (found,) = [
        s
        for s in key_resource["Properties"]["KeyPolicy"]["Statement"]
        if s.get("Sid") == expected["Sid"]
    ]
    assert {**found, "Action": sorted(found["Action"])} == {
        **expected,
        "Action": sorted(expected["Action"]),
    }


def test_an_imported_flow_log_key_is_a_warning_naming_the_statement() -> None:
    stack = new_stack(TEST_ENV)
    key = kms.Key.from_key_arn(stack, "PlatformKey", IMPORTED_KEY)
    JobNetwork(stack, "Network", flow_log_key=key)
    warnings = Annotations.from_stack(stack).find_warning(
        "/TestStack/Network", Match.string_like_regexp("comprehend-jobs:log-key-policy")
    )
    assert len(warnings) == 1
    assert "JobHandler.log_key_statement(stack)" in str(warnings[0].entry.data)


@pytest.mark.parametrize("which", ["existing_input_bucket", "existing_output_bucket"])
def test_a_bucket_imported_with_an_alias_as_its_key_is_refused(which: str) -> None:
    # GIVEN a bucket imported with an alias as its encryption key
    stack = new_stack(TEST_ENV)
    alias = kms.Alias.from_alias_name(stack, "LakeKey", "alias/claims-lake")
    bucket = s3.Bucket.from_bucket_attributes(
        stack, "Lake", bucket_name="claims-lake", encryption_key=alias
    )
    children = {c.node.id for c in stack.node.children}
    props: dict[str, Any] = {which: bucket}
    # WHEN it is brought to the storage, THEN it is refused, naming the prop and a fix
    with pytest.raises(PropValidationError, match=rf"{which}=.*alias.*Fix: import the bucket"):
        JobStorage(stack, "Storage", **props, input_documents="samples/classification")
    # AND nothing was built
    assert {c.node.id for c in stack.node.children} == children


def test_a_bucket_imported_with_the_keys_arn_is_still_brought() -> None:
    stack = new_stack(TEST_ENV)
    key = kms.Key.from_key_arn(stack, "LakeKey", IMPORTED_KEY)
    bucket = s3.Bucket.from_bucket_attributes(
        stack, "Lake", bucket_name="claims-lake", encryption_key=key
    )
    storage = JobStorage(stack, "Storage", existing_input_bucket=bucket)
    assert storage.input_bucket_key_ref is not None
    assert storage.input_bucket_key_ref.key_arn == IMPORTED_KEY
