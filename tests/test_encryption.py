"""JobEncryption: created keys, existing keys in every accepted form, and every bad prop."""

from __future__ import annotations

from typing import Any

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_kms as kms
from aws_cdk.assertions import Template
from nag_support import TEST_ENV, new_stack

from comprehend_jobs import JobEncryption, PropValidationError

KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
MRK_ID = "mrk-1234abcd12ab34cd56ef1234567890ab"
FOREIGN_KEY_ARN = f"arn:aws:kms:us-east-1:222222222222:key/{KEY_ID}"
OWN_KEY_ARN = f"arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}"
FOREIGN_ALIAS_ARN = "arn:aws:kms:us-east-1:222222222222:alias/results"

ROOT_ONLY_KEY_POLICY = {
    "Statement": [
        {
            "Action": "kms:*",
            "Effect": "Allow",
            "Principal": {
                "AWS": {
                    "Fn::Join": [
                        "",
                        [
                            "arn:",
                            {"Ref": "AWS::Partition"},
                            ":iam::",
                            {"Ref": "AWS::AccountId"},
                            ":root",
                        ],
                    ]
                }
            },
            "Resource": "*",
        }
    ],
    "Version": "2012-10-17",
}


def resolve(stack: Stack, value: Any) -> Any:
    return stack.resolve(value)


# -- defaults ------------------------------------------------------------------------


def test_default_creates_two_symmetric_rotating_keys_with_root_only_policy() -> None:
    stack = new_stack()
    JobEncryption(stack, "Enc")
    template = Template.from_stack(stack)
    keys = template.find_resources("AWS::KMS::Key")
    assert len(keys) == 2
    for key in keys.values():
        props = key["Properties"]
        assert props["EnableKeyRotation"] is True
        assert props.get("KeySpec", "SYMMETRIC_DEFAULT") == "SYMMETRIC_DEFAULT"
        assert props.get("KeyUsage", "ENCRYPT_DECRYPT") == "ENCRYPT_DECRYPT"
        assert props["KeyPolicy"] == ROOT_ONLY_KEY_POLICY
        assert key["DeletionPolicy"] == "Retain"


def test_default_ids_are_the_created_key_arns() -> None:
    stack = new_stack()
    enc = JobEncryption(stack, "Enc")
    assert enc.volume_key is not None and enc.output_key is not None
    assert resolve(stack, enc.volume_key_id) == {"Fn::GetAtt": ["EncVolumeKey24BC14B9", "Arn"]}
    assert resolve(stack, enc.output_key_id) == {"Fn::GetAtt": ["EncOutputKey05186E65", "Arn"]}
    assert enc.volume_key_arn == enc.volume_key_id
    assert enc.output_key_arn == enc.output_key_id
    assert not enc.cross_account
    assert enc.cross_account_key_policy_statements("arn:aws:iam::111111111111:role/r") == {}


def test_single_key_creates_one_key_for_both_uses() -> None:
    stack = new_stack()
    enc = JobEncryption(stack, "Enc", single_key=True)
    Template.from_stack(stack).resource_count_is("AWS::KMS::Key", 1)
    assert enc.volume_key is enc.output_key
    assert enc.volume_key_id == enc.output_key_id


def test_volume_encryption_off_sends_no_volume_key() -> None:
    stack = new_stack()
    enc = JobEncryption(stack, "Enc", volume_encryption=False)
    Template.from_stack(stack).resource_count_is("AWS::KMS::Key", 1)
    assert enc.volume_key is None and enc.volume_key_id is None and enc.volume_key_arn is None
    assert enc.output_key is not None


def test_output_encryption_off_sends_no_output_key() -> None:
    stack = new_stack()
    enc = JobEncryption(stack, "Enc", output_encryption=False)
    Template.from_stack(stack).resource_count_is("AWS::KMS::Key", 1)
    assert enc.output_key is None and enc.output_key_id is None
    assert enc.volume_key is not None


def test_removal_policy_destroy_applies_to_created_keys() -> None:
    stack = new_stack()
    JobEncryption(stack, "Enc", removal_policy=RemovalPolicy.DESTROY)
    for key in Template.from_stack(stack).find_resources("AWS::KMS::Key").values():
        assert key["DeletionPolicy"] == "Delete"


# -- bring your own ------------------------------------------------------------------


def test_existing_ikeys_create_nothing() -> None:
    stack = new_stack()
    volume = kms.Key(stack, "MyVolume", enable_key_rotation=True)
    output = kms.Key(stack, "MyOutput", enable_key_rotation=True)
    enc = JobEncryption(stack, "Enc", existing_volume_key=volume, existing_output_key=output)
    Template.from_stack(stack).resource_count_is("AWS::KMS::Key", 2)
    assert enc.volume_key is volume and enc.output_key is output
    assert enc.volume_key_id == volume.key_arn
    assert enc.output_key_arn == output.key_arn
    assert not enc.cross_account


def test_key_id_string_of_this_account_builds_the_arn_from_the_stack() -> None:
    stack = new_stack(env=TEST_ENV)
    enc = JobEncryption(stack, "Enc", existing_volume_key=KEY_ID, existing_output_key=MRK_ID)
    assert enc.volume_key is None and enc.output_key is None
    assert enc.volume_key_id == KEY_ID
    assert enc.output_key_id == MRK_ID
    assert enc.volume_key_arn == OWN_KEY_ARN
    assert enc.output_key_arn == f"arn:aws:kms:us-east-1:111111111111:key/{MRK_ID}"
    assert not enc.cross_account
    assert not [c for c in enc.node.find_all() if isinstance(c, kms.CfnKey)]


def test_key_id_string_in_env_agnostic_stack_uses_pseudo_parameters() -> None:
    stack = new_stack()
    enc = JobEncryption(stack, "Enc", existing_volume_key=KEY_ID, output_encryption=False)
    assert resolve(stack, enc.volume_key_arn) == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":kms:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                f":key/{KEY_ID}",
            ],
        ]
    }


def test_foreign_key_arns_are_cross_account_with_key_policy_statements() -> None:
    stack = new_stack(env=TEST_ENV)
    enc = JobEncryption(
        stack,
        "Enc",
        existing_volume_key=FOREIGN_KEY_ARN,
        existing_output_key=FOREIGN_ALIAS_ARN,
    )
    assert enc.volume_key_id == FOREIGN_KEY_ARN
    assert enc.output_key_id == FOREIGN_ALIAS_ARN
    assert enc.output_key_arn is None  # an alias names no key at synth time
    assert enc.output_ref is not None and enc.output_ref.alias_name == "alias/results"
    assert enc.cross_account
    role = "arn:aws:iam::111111111111:role/data"
    assert enc.cross_account_key_policy_statements(role) == {
        FOREIGN_KEY_ARN: [
            {
                "Sid": "AllowComprehendDataAccessRole",
                "Effect": "Allow",
                "Principal": {"AWS": role},
                "Action": ["kms:CreateGrant"],
                "Resource": "*",
            }
        ],
        FOREIGN_ALIAS_ARN: [
            {
                "Sid": "AllowComprehendDataAccessRole",
                "Effect": "Allow",
                "Principal": {"AWS": role},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
            }
        ],
    }


def test_caller_role_gets_its_own_statement_on_a_foreign_volume_key_only() -> None:
    stack = new_stack(env=TEST_ENV)
    enc = JobEncryption(
        stack,
        "Enc",
        existing_volume_key=FOREIGN_KEY_ARN,
        existing_output_key=FOREIGN_ALIAS_ARN,
    )
    role = "arn:aws:iam::111111111111:role/data"
    caller = "arn:aws:iam::111111111111:role/handler"
    statements = enc.cross_account_key_policy_statements(role, caller_role_arn=caller)
    assert statements == {
        FOREIGN_KEY_ARN: [
            {
                "Sid": "AllowComprehendDataAccessRole",
                "Effect": "Allow",
                "Principal": {"AWS": role},
                "Action": ["kms:CreateGrant"],
                "Resource": "*",
            },
            {
                "Sid": "AllowComprehendJobHandler",
                "Effect": "Allow",
                "Principal": {"AWS": caller},
                "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
            },
        ],
        FOREIGN_ALIAS_ARN: [
            {
                "Sid": "AllowComprehendDataAccessRole",
                "Effect": "Allow",
                "Principal": {"AWS": role},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
            }
        ],
    }


def test_caller_role_is_not_named_for_a_volume_key_of_this_account() -> None:
    stack = new_stack(env=TEST_ENV)
    enc = JobEncryption(stack, "Enc", existing_output_key=FOREIGN_ALIAS_ARN)
    statements = enc.cross_account_key_policy_statements("r", caller_role_arn="c")
    assert [[s["Sid"] for s in v] for v in statements.values()] == [
        ["AllowComprehendDataAccessRole"]
    ]


def test_same_foreign_key_for_both_uses_gives_one_merged_statement() -> None:
    stack = new_stack(env=TEST_ENV)
    enc = JobEncryption(
        stack, "Enc", existing_volume_key=FOREIGN_KEY_ARN, existing_output_key=FOREIGN_KEY_ARN
    )
    assert enc.cross_account_key_policy_statements("arn:aws:iam::111111111111:role/r") == {
        FOREIGN_KEY_ARN: [
            {
                "Sid": "AllowComprehendDataAccessRole",
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::111111111111:role/r"},
                "Action": ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
            }
        ]
    }
    (both,) = enc.cross_account_key_policy_statements("r", caller_role_arn="c").values()
    assert [s["Sid"] for s in both] == [
        "AllowComprehendDataAccessRole",
        "AllowComprehendJobHandler",
    ]


def test_own_key_arn_is_not_cross_account() -> None:
    stack = new_stack(env=TEST_ENV)
    enc = JobEncryption(stack, "Enc", existing_volume_key=OWN_KEY_ARN, output_encryption=False)
    assert not enc.cross_account
    assert enc.volume_key_arn == OWN_KEY_ARN


def test_alias_name_for_output_grants_key_star_narrowed_by_alias() -> None:
    stack = new_stack(env=TEST_ENV)
    enc = JobEncryption(stack, "Enc", existing_output_key="alias/results", volume_encryption=False)
    ref = enc.output_ref
    assert ref is not None
    assert enc.output_key_id == "alias/results"
    assert ref.grant_resource == "arn:aws:kms:us-east-1:111111111111:key/*"
    assert ref.alias_condition == {
        "ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/results"]}
    }


def test_imported_key_object_from_another_account_is_cross_account() -> None:
    stack = new_stack(env=TEST_ENV)
    key = kms.Key.from_key_arn(stack, "Foreign", FOREIGN_KEY_ARN)
    enc = JobEncryption(stack, "Enc", existing_volume_key=key, output_encryption=False)
    assert enc.volume_key is key
    assert enc.cross_account


# -- invalid props: one error naming prop, value, allowed forms and the fix ---------------


BAD_PROPS: list[tuple[dict[str, Any], str, str]] = [
    ({"existing_volume_key": "alias/results"}, "existing_volume_key", "'alias/results'"),
    (
        {"existing_volume_key": "arn:aws:kms:us-east-1:222222222222:alias/results"},
        "existing_volume_key",
        "alias/results",
    ),
    ({"existing_volume_key": "not-a-key"}, "existing_volume_key", "'not-a-key'"),
    ({"existing_output_key": "alias/aws/s3"}, "existing_output_key", "'alias/aws/s3'"),
    ({"existing_output_key": "arn:aws:s3:::bucket"}, "existing_output_key", "arn:aws:s3"),
    ({"existing_output_key": 42}, "existing_output_key", "42"),
    (
        {"existing_volume_key": KEY_ID, "volume_encryption": False},
        "existing_volume_key",
        KEY_ID,
    ),
    (
        {"existing_output_key": KEY_ID, "output_encryption": False},
        "existing_output_key",
        KEY_ID,
    ),
    (
        {"existing_volume_key": f"arn:aws:kms:eu-west-1:111111111111:key/{KEY_ID}"},
        "existing_volume_key",
        "this one is in eu-west-1",
    ),
    (
        {"existing_output_key": "arn:aws:kms:eu-west-1:222222222222:alias/results"},
        "existing_output_key",
        "a key in the stack's Region us-east-1",
    ),
    ({"single_key": "false"}, "single_key", "True or False"),
    ({"volume_encryption": "false"}, "volume_encryption", "pass volume_encryption=False"),
    ({"output_encryption": "no"}, "output_encryption", "pass output_encryption=False"),
    ({"single_key": True, "existing_output_key": KEY_ID}, "single_key", "True"),
    ({"single_key": True, "volume_encryption": False}, "single_key", "True"),
    (
        {
            "existing_volume_key": KEY_ID,
            "existing_output_key": KEY_ID,
            "removal_policy": RemovalPolicy.DESTROY,
        },
        "removal_policy",
        "DESTROY",
    ),
]


@pytest.mark.parametrize(("props", "prop", "value_text"), BAD_PROPS)
def test_invalid_props_raise_before_creating_anything(
    props: dict[str, Any], prop: str, value_text: str
) -> None:
    stack = new_stack(env=TEST_ENV)
    before = len(stack.node.children)
    with pytest.raises(PropValidationError) as raised:
        JobEncryption(stack, "Enc", **props)
    message = str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert f"{prop}=" in message
    assert value_text in message
    assert "Fix:" in message
    assert "is not valid:" in message
    assert len(stack.node.children) == before


def test_alias_object_is_rejected_for_the_volume_key() -> None:
    stack = new_stack(env=TEST_ENV)
    alias = kms.Alias.from_alias_name(stack, "A", "alias/results")
    before = len(stack.node.children)
    with pytest.raises(PropValidationError, match="existing_volume_key"):
        JobEncryption(stack, "Enc", existing_volume_key=alias)
    assert len(stack.node.children) == before


def test_alias_object_is_accepted_for_the_output_key() -> None:
    stack = new_stack(env=TEST_ENV)
    alias = kms.Alias.from_alias_name(stack, "A", "alias/results")
    enc = JobEncryption(stack, "Enc", existing_output_key=alias, volume_encryption=False)
    assert enc.output_key_id == "alias/results"
    assert enc.output_key_arn is None


def test_all_problems_are_reported_together() -> None:
    stack = new_stack()
    with pytest.raises(PropValidationError) as raised:
        JobEncryption(stack, "Enc", existing_volume_key="alias/x", existing_output_key="bad")
    assert len(raised.value.problems) == 2


def test_a_key_object_from_another_region_is_rejected() -> None:
    stack = new_stack(env=TEST_ENV)
    key = kms.Key.from_key_arn(stack, "K", f"arn:aws:kms:eu-west-1:111111111111:key/{KEY_ID}")
    with pytest.raises(PropValidationError) as raised:
        JobEncryption(stack, "Enc", existing_output_key=key)
    message = str(raised.value)
    assert message.startswith(
        "JobEncryption at 'TestStack/Enc': invalid props: existing_output_key="
    )
    assert "<an imported kms.IKey at 'TestStack/K'>" in message
    assert "InterfaceDynamicProxy" not in message


def test_a_string_parameter_for_a_key_is_a_warning_naming_the_form() -> None:
    from aws_cdk import CfnParameter

    stack = new_stack(env=TEST_ENV)
    loose = CfnParameter(stack, "VolumeKey", type="String")
    strict = CfnParameter(stack, "OutputKey", type="String", allowed_pattern=r"^arn:.*$")
    enc = JobEncryption(
        stack,
        "Enc",
        existing_volume_key=loose.value_as_string,
        existing_output_key=strict.value_as_string,
    )
    texts = [str(m.data) for m in enc.node.metadata if m.type == "aws:cdk:warning"]
    assert len(texts) == 1, texts
    assert "existing_volume_key is the CfnParameter TestStack/VolumeKey of type String" in texts[0]
    assert "must be a key ARN" in texts[0]
    assert "allowed_pattern=" in texts[0]
    assert "comprehend-jobs:key-token" in texts[0]
