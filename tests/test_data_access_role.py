"""DataAccessRole: exact trust and role policy documents, grants, importing, bad props."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Template
from constructs import Construct, DependencyGroup, IDependable
from nag_support import TEST_ENV, new_stack

from comprehend_jobs import (
    DataAccessRole,
    IDataAccessRole,
    JobEncryption,
    JobNetwork,
    JobStorage,
    PropValidationError,
)
from comprehend_jobs.data_access_role import _TEXTRACT_ACTIONS, _VPC_ACTIONS
from comprehend_jobs.job_types import (
    DOCUMENT_CLASSIFICATION,
    ENTITIES_DETECTION,
    JOB_TYPES,
    PII_ENTITIES_DETECTION,
)

ARN = "arn:aws:comprehend:us-east-1:111111111111"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
FOREIGN_KEY_ARN = f"arn:aws:kms:us-east-1:222222222222:key/{KEY_ID}"


def trust(job_arns: list[str] | str) -> dict[str, Any]:
    return {
        "Statement": [
            {
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "111111111111"},
                    "ArnLike": {"aws:SourceArn": job_arns},
                },
                "Effect": "Allow",
                "Principal": {"Service": "comprehend.amazonaws.com"},
            }
        ],
        "Version": "2012-10-17",
    }


def role_props(stack: Stack) -> dict[str, Any]:
    roles = Template.from_stack(stack).find_resources("AWS::IAM::Role")
    (role,) = [r for r in roles.values() if "comprehend" in json.dumps(r)]
    return dict(role["Properties"])


def policy_document(stack: Stack) -> dict[str, Any]:
    policies = Template.from_stack(stack).find_resources("AWS::IAM::ManagedPolicy")
    (policy,) = [p for p in policies.values() if "Data" in json.dumps(p["Properties"]["Roles"])]
    return dict(policy["Properties"]["PolicyDocument"])


def get_att(logical_id: str) -> dict[str, Any]:
    return {"Fn::GetAtt": [logical_id, "Arn"]}


def objects(bucket_logical_id: str, prefix: str) -> dict[str, Any]:
    return {"Fn::Join": ["", [get_att(bucket_logical_id), f"/{prefix}*"]]}


# -- trust -----------------------------------------------------------------------------


#: Every asynchronous job type's ARN pattern, in the order the trust lists them.
ALL_TYPES = [
    f"{ARN}:{resource}/*"
    for resource in (
        "document-classification-job",
        "dominant-language-detection-job",
        "entities-detection-job",
        "events-detection-job",
        "key-phrases-detection-job",
        "pii-entities-detection-job",
        "sentiment-detection-job",
        "targeted-sentiment-detection-job",
        "topics-detection-job",
    )
]


def test_trust_policy_is_exact_for_one_job_type() -> None:
    stack = new_stack(env=TEST_ENV)
    DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
    props = role_props(stack)
    assert props["AssumeRolePolicyDocument"] == trust(ALL_TYPES)
    assert "Policies" not in props and "ManagedPolicyArns" not in props


def test_the_trust_is_the_same_whatever_job_types_use_the_role() -> None:
    """A job outlives the template that started it (a replaced job runs until cleanup;
    classification cannot be stopped): a trust that followed the types in use would
    narrow under a running job. The types are still recorded, sorted."""
    first, second = new_stack(env=TEST_ENV), new_stack(env=TEST_ENV)
    a = DataAccessRole(first, "Data")
    a.allow_job_type(PII_ENTITIES_DETECTION)
    a.allow_job_type(DOCUMENT_CLASSIFICATION)
    a.allow_job_type(PII_ENTITIES_DETECTION)
    b = DataAccessRole(second, "Data", job_types=[ENTITIES_DETECTION])
    assert role_props(first)["AssumeRolePolicyDocument"] == trust(ALL_TYPES)
    assert role_props(second)["AssumeRolePolicyDocument"] == trust(ALL_TYPES)
    assert a.job_types == [DOCUMENT_CLASSIFICATION, PII_ENTITIES_DETECTION]
    assert b.job_types == [ENTITIES_DETECTION]
    assert len(ALL_TYPES) == len(JOB_TYPES)


def test_the_policy_is_replaced_when_its_permissions_change() -> None:
    """Description is create-only: a new digest replaces the managed policy, so the old
    permissions stay attached until cleanup (after a replaced job's Delete)."""

    def description(prefix: str) -> str:
        stack = new_stack(env=TEST_ENV)
        role = DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
        role.grant_read_input(s3.Bucket.from_bucket_name(stack, "In", "claims-in"), prefix)
        template = Template.from_stack(stack).find_resources("AWS::IAM::ManagedPolicy")
        (policy,) = template.values()
        return str(policy["Properties"]["Description"])

    same, again, other = description("docs/"), description("docs/"), description("other/")
    assert same == again
    assert same != other
    assert re.fullmatch(
        r"Amazon Comprehend job data access \(comprehend-jobs\); permissions [0-9a-f]{16}", same
    )


def test_trust_in_env_agnostic_stack_uses_pseudo_parameters() -> None:
    stack = new_stack()
    DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
    condition = role_props(stack)["AssumeRolePolicyDocument"]["Statement"][0]["Condition"]
    assert condition["StringEquals"] == {"aws:SourceAccount": {"Ref": "AWS::AccountId"}}
    assert condition["ArnLike"]["aws:SourceArn"][2] == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":comprehend:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":entities-detection-job/*",
            ],
        ]
    }
    assert len(condition["ArnLike"]["aws:SourceArn"]) == len(JOB_TYPES)


def test_a_role_no_job_type_uses_fails_synth_with_a_clear_message() -> None:
    stack = new_stack(env=TEST_ENV)
    DataAccessRole(stack, "Data")
    with pytest.raises(RuntimeError, match="no job type uses this role"):
        Template.from_stack(stack)


def test_allow_job_type_rejects_what_is_not_a_job_type() -> None:
    stack = new_stack(env=TEST_ENV)
    role = DataAccessRole(stack, "Data")
    with pytest.raises(PropValidationError, match="job_type='EntitiesDetection'"):
        role.allow_job_type("EntitiesDetection")  # type: ignore[arg-type]


# -- the role policy -------------------------------------------------------------------


def full_stack() -> tuple[Stack, DataAccessRole]:
    stack = new_stack(env=TEST_ENV)
    network = JobNetwork(stack, "Net")
    encryption = JobEncryption(stack, "Enc")
    storage = JobStorage(stack, "Storage", encryption=encryption)
    role = DataAccessRole(
        stack,
        "Data",
        storage=storage,
        encryption=encryption,
        network=network,
        job_types=[ENTITIES_DETECTION],
    )
    return stack, role


def test_role_policy_with_storage_encryption_and_network_is_exact() -> None:
    stack, _ = full_stack()
    assert policy_document(stack) == {
        "Statement": [
            {
                "Action": "s3:GetObject",
                "Effect": "Allow",
                "Resource": objects("StorageInputBucket0767FBBB", "input/"),
            },
            {
                "Action": "s3:ListBucket",
                "Condition": {"StringLike": {"s3:prefix": ["input/", "input/*"]}},
                "Effect": "Allow",
                "Resource": get_att("StorageInputBucket0767FBBB"),
            },
            {
                # the input bucket's key is the output key: Decrypt merged with output use
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Effect": "Allow",
                "Resource": get_att("EncOutputKey05186E65"),
            },
            {
                "Action": "s3:PutObject",
                "Effect": "Allow",
                "Resource": objects("StorageOutputBucketCD2EEB3A", "output/"),
            },
            {
                "Action": "kms:CreateGrant",
                "Effect": "Allow",
                "Resource": get_att("EncVolumeKey24BC14B9"),
            },
            {"Action": list(_VPC_ACTIONS), "Effect": "Allow", "Resource": "*"},
        ],
        "Version": "2012-10-17",
    }


def test_no_inline_policy_and_no_wildcard_actions_anywhere() -> None:
    stack, _ = full_stack()
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::IAM::Policy", 0)
    for statement in policy_document(stack)["Statement"]:
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        assert not [a for a in actions if "*" in a]
        if statement["Resource"] == "*":
            assert actions in (list(_VPC_ACTIONS), list(_TEXTRACT_ACTIONS))


def test_vpc_actions_are_the_nine_documented_ones() -> None:
    assert sorted(_VPC_ACTIONS) == [
        "ec2:CreateNetworkInterface",
        "ec2:CreateNetworkInterfacePermission",
        "ec2:DeleteNetworkInterface",
        "ec2:DeleteNetworkInterfacePermission",
        "ec2:DescribeDhcpOptions",
        "ec2:DescribeNetworkInterfaces",
        "ec2:DescribeSecurityGroups",
        "ec2:DescribeSubnets",
        "ec2:DescribeVpcs",
    ]


def test_no_network_means_no_ec2_permission() -> None:
    stack = new_stack(env=TEST_ENV)
    storage = JobStorage(stack, "Storage")
    DataAccessRole(stack, "Data", storage=storage, job_types=[ENTITIES_DETECTION])
    assert "ec2:" not in json.dumps(policy_document(stack))


def test_own_storage_key_is_granted_decrypt_and_generate_data_key() -> None:
    stack = new_stack(env=TEST_ENV)
    storage = JobStorage(stack, "Storage")
    DataAccessRole(stack, "Data", storage=storage, job_types=[ENTITIES_DETECTION])
    statements = policy_document(stack)["Statement"]
    kms_statements = [s for s in statements if "kms:" in json.dumps(s["Action"])]
    assert kms_statements == [
        {
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Effect": "Allow",
            "Resource": get_att("StorageDataKeyE15BA43B"),
        }
    ]


def test_the_policy_stays_small_when_many_jobs_share_the_role() -> None:
    stack, role = full_stack()
    before = policy_document(stack)
    storage = stack.node.find_child("Storage")
    encryption = stack.node.find_child("Enc")
    assert isinstance(storage, JobStorage) and isinstance(encryption, JobEncryption)
    for _ in range(100):
        role.grant_read_input(storage.input_bucket, storage.input_prefix)
        role.grant_write_output(storage.output_bucket, storage.output_prefix)
        role.grant_keys(encryption)
        role.grant_vpc_access()
        role.allow_job_type(ENTITIES_DETECTION)
    assert policy_document(stack) == before
    assert len(json.dumps(before)) < 2000


# -- grants ----------------------------------------------------------------------------


def test_grants_return_iam_grants_with_the_statement() -> None:
    stack = new_stack(env=TEST_ENV)
    role = DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
    bucket = s3.Bucket.from_bucket_name(stack, "B", "my-bucket")
    grant = role.grant_read_input(bucket, "docs/")
    assert isinstance(grant, iam.Grant)
    assert grant.success
    assert grant.principal_statements
    vpc_grant = role.grant_vpc_access()
    assert isinstance(vpc_grant, iam.Grant) and vpc_grant.success


def test_grant_textract_adds_the_two_actions_to_the_managed_policy() -> None:
    stack = new_stack(env=TEST_ENV)
    role = DataAccessRole(stack, "Data", job_types=[DOCUMENT_CLASSIFICATION])
    grant = role.grant_textract()
    assert grant.success
    assert policy_document(stack)["Statement"] == [
        {
            "Action": ["textract:AnalyzeDocument", "textract:DetectDocumentText"],
            "Effect": "Allow",
            "Resource": "*",
        }
    ]
    Template.from_stack(stack).resource_count_is("AWS::IAM::Policy", 0)


def test_grant_on_existing_buckets_with_exact_prefixes() -> None:
    stack = new_stack(env=TEST_ENV)
    role = DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
    role.grant_read_input(s3.Bucket.from_bucket_name(stack, "In", "in-bucket"), "docs/")
    role.grant_write_output(s3.Bucket.from_bucket_name(stack, "Out", "out-bucket"), "")
    assert policy_document(stack)["Statement"] == [
        {"Action": "s3:GetObject", "Effect": "Allow", "Resource": "arn:aws:s3:::in-bucket/docs/*"},
        {
            "Action": "s3:ListBucket",
            "Condition": {"StringLike": {"s3:prefix": ["docs/", "docs/*"]}},
            "Effect": "Allow",
            "Resource": "arn:aws:s3:::in-bucket",
        },
        {"Action": "s3:PutObject", "Effect": "Allow", "Resource": "arn:aws:s3:::out-bucket/*"},
    ]


def test_grant_read_input_of_a_brought_kms_bucket_grants_decrypt_through_s3_only() -> None:
    stack = new_stack(env=TEST_ENV)
    role = DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
    key = kms.Key.from_key_arn(stack, "K", f"arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}")
    bucket = s3.Bucket.from_bucket_attributes(
        stack, "In", bucket_name="in-bucket", encryption_key=key
    )
    role.grant_read_input(bucket, "docs/")
    statements = policy_document(stack)["Statement"]
    decrypt = [s for s in statements if s["Action"] == "kms:Decrypt"]
    assert len(decrypt) == 1, decrypt
    assert decrypt[0]["Resource"] == f"arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}"
    via = decrypt[0]["Condition"]["StringEquals"]["kms:ViaService"]
    assert stack.resolve(via) in (
        "s3.us-east-1.amazonaws.com",
        {"Fn::Join": ["", ["s3.us-east-1.", {"Ref": "AWS::URLSuffix"}]]},
    )


def test_grant_read_input_rejects_a_prefix_without_a_slash_with_a_valid_fix() -> None:
    stack = new_stack(env=TEST_ENV)
    role = DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
    bucket = s3.Bucket.from_bucket_name(stack, "In", "in-bucket")
    with pytest.raises(PropValidationError) as raised:
        role.grant_read_input(bucket, "claims/2026")
    message = str(raised.value)
    assert message.startswith("DataAccessRole at 'TestStack/Data': invalid props: prefix=")
    assert "Fix: use prefix='claims/2026/'" in message


def test_grant_keys_with_alias_output_key_uses_resource_aliases_condition() -> None:
    stack = new_stack(env=TEST_ENV)
    encryption = JobEncryption(
        stack, "Enc", existing_volume_key=KEY_ID, existing_output_key="alias/results"
    )
    DataAccessRole(stack, "Data", encryption=encryption, job_types=[ENTITIES_DETECTION])
    assert policy_document(stack)["Statement"] == [
        {
            "Action": "kms:CreateGrant",
            "Effect": "Allow",
            "Resource": f"arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}",
        },
        {
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Condition": {"ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/results"]}},
            "Effect": "Allow",
            "Resource": "arn:aws:kms:us-east-1:111111111111:key/*",
        },
    ]


def test_grant_keys_with_explicit_ikeys() -> None:
    stack = new_stack(env=TEST_ENV)
    role = DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
    volume = kms.Key(stack, "V", enable_key_rotation=True)
    grant = role.grant_keys(volume_key=volume)
    assert grant.success
    assert policy_document(stack)["Statement"] == [
        {"Action": "kms:CreateGrant", "Effect": "Allow", "Resource": get_att("V293ADB39")}
    ]


def _rendered(value: Any) -> str:
    """An output value (``Fn::Join`` of strings and ``Fn::GetAtt``s) as text, each
    attribute written ``<LogicalId.Attribute>``."""
    if isinstance(value, str):
        return value
    if "Fn::Join" in value:
        separator, parts = value["Fn::Join"]
        return str(separator).join(_rendered(part) for part in parts)
    logical_id, attribute = value["Fn::GetAtt"]
    return f"<{logical_id}.{attribute}>"


def key_policy_output(stack: Stack) -> Any:
    """The ``CrossAccountKeyPolicy`` output, parsed."""
    outputs = Template.from_stack(stack).find_outputs("*")
    (output,) = [o for k, o in outputs.items() if "CrossAccountKeyPolicy" in k]
    return json.loads(_rendered(output["Value"]))


def _handler_role_logical_id(stack: Stack) -> str:
    from comprehend_jobs.job_handler import JobHandler

    role = JobHandler.of(stack).role.node.default_child
    assert isinstance(role, iam.CfnRole)
    return stack.get_logical_id(role)


def test_cross_account_keys_emit_the_key_policy_statements_as_an_output() -> None:
    stack = new_stack(env=TEST_ENV)
    encryption = JobEncryption(
        stack, "Enc", existing_volume_key=FOREIGN_KEY_ARN, existing_output_key=FOREIGN_KEY_ARN
    )
    DataAccessRole(stack, "Data", encryption=encryption, job_types=[ENTITIES_DETECTION])
    handler_role = _handler_role_logical_id(stack)
    assert key_policy_output(stack) == {
        FOREIGN_KEY_ARN: [
            {
                "Sid": "AllowComprehendDataAccessRole",
                "Effect": "Allow",
                "Principal": {"AWS": "<DataRole51DCB2AB.Arn>"},
                "Action": ["kms:CreateGrant", "kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
            },
            {
                "Sid": "AllowComprehendJobHandler",
                "Effect": "Allow",
                "Principal": {"AWS": f"<{handler_role}.Arn>"},
                "Action": ["kms:CreateGrant", "kms:DescribeKey"],
                "Resource": "*",
            },
        ]
    }


def test_foreign_volume_key_policy_names_the_handler_that_starts_the_job() -> None:
    from comprehend_jobs import KeyPhrasesDetectionJob

    stack = new_stack(env=TEST_ENV)
    encryption = JobEncryption(
        stack, "Enc", existing_volume_key=FOREIGN_KEY_ARN, output_encryption=False
    )
    storage = JobStorage.from_s3_uris(
        stack, "Storage", input_s3_uri="s3://example-documents/input/"
    )
    role = DataAccessRole(stack, "Data", encryption=encryption, storage=storage)
    job = KeyPhrasesDetectionJob(stack, "Job", storage=storage, role=role, encryption=encryption)
    statements = key_policy_output(stack)[FOREIGN_KEY_ARN]
    assert [s["Sid"] for s in statements] == [
        "AllowComprehendDataAccessRole",
        "AllowComprehendJobHandler",
    ]
    assert statements[0]["Action"] == ["kms:CreateGrant"]
    # The principal is the role of the functions that call StartKeyPhrasesDetectionJob.
    assert stack.resolve(job.request)["VolumeKmsKeyId"] == FOREIGN_KEY_ARN
    assert statements[1]["Principal"] == {"AWS": f"<{_handler_role_logical_id(stack)}.Arn>"}
    # The DataAccessRole, the handler and the Provider's three framework roles.
    Template.from_stack(stack).resource_count_is("AWS::IAM::Role", 5)


def test_foreign_output_key_alone_names_only_the_data_access_role() -> None:
    stack = new_stack(env=TEST_ENV)
    encryption = JobEncryption(
        stack,
        "Enc",
        volume_encryption=False,
        existing_output_key="arn:aws:kms:us-east-1:222222222222:alias/results",
    )
    DataAccessRole(stack, "Data", encryption=encryption, job_types=[ENTITIES_DETECTION])
    assert key_policy_output(stack) == {
        "arn:aws:kms:us-east-1:222222222222:alias/results": [
            {
                "Sid": "AllowComprehendDataAccessRole",
                "Effect": "Allow",
                "Principal": {"AWS": "<DataRole51DCB2AB.Arn>"},
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": "*",
            }
        ]
    }
    # No job and no foreign volume key: the stack gets no job handler from the role.
    Template.from_stack(stack).resource_count_is("AWS::Lambda::Function", 0)


def test_same_account_keys_emit_no_output() -> None:
    stack, _ = full_stack()
    assert Template.from_stack(stack).find_outputs("*") == {}


def test_bucket_grant_through_grant_principal_lands_in_the_managed_policy() -> None:
    stack = new_stack(env=TEST_ENV)
    role = DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
    bucket = s3.Bucket.from_bucket_name(stack, "B", "my-bucket")
    bucket.grant_read(role.grant_principal, "x/*")
    Template.from_stack(stack).resource_count_is("AWS::IAM::Policy", 0)
    assert "arn:aws:s3:::my-bucket/x/*" in json.dumps(policy_document(stack))


def test_job_depending_on_the_construct_waits_for_the_policy() -> None:
    _, role = full_stack()
    assert role.policy_dependable is role
    assert role.policy.node.scope is role


# -- from_role_arn ---------------------------------------------------------------------


def test_from_role_arn_wraps_an_existing_role_and_drops_grants() -> None:
    stack = new_stack(env=TEST_ENV)
    arn = "arn:aws:iam::111111111111:role/service-role/MyComprehendRole"
    role = DataAccessRole.from_role_arn(stack, "Data", arn)
    assert role.role_arn == arn
    role.allow_job_type(ENTITIES_DETECTION)
    assert role.job_types == []
    grant = role.grant_read_input(s3.Bucket.from_bucket_name(stack, "B", "my-bucket"), "x/")
    assert isinstance(grant, iam.Grant)
    assert not grant.principal_statements
    assert role.grant_vpc_access().principal_statements == []
    assert role.grant_textract().principal_statements == []
    assert role.grant_keys().principal_statements == []
    assert not [c for c in stack.node.find_all() if isinstance(c, iam.CfnManagedPolicy)]
    assert not [c for c in stack.node.find_all() if isinstance(c, iam.CfnPolicy)]


def test_from_role_arn_is_an_idata_access_role_sharing_the_checks_and_the_output() -> None:
    stack = new_stack(env=TEST_ENV)
    role: IDataAccessRole = DataAccessRole.from_role_arn(
        stack, "Data", "arn:aws:iam::111111111111:role/MyComprehendRole"
    )
    assert not isinstance(role, DataAccessRole)
    storage = JobStorage.from_s3_uris(
        stack, "Storage", input_s3_uri="s3://my-data/claims/", output_s3_uri="s3://my-out/x/"
    )
    assert role.grant_storage(storage).principal_statements == []
    # The same prefix check as DataAccessRole's: one implementation of every grant.
    with pytest.raises(PropValidationError, match="prefix='claims'"):
        role.grant_read_input(storage.input_bucket, "claims")
    with pytest.raises(PropValidationError, match="job_type='EntitiesDetection'"):
        role.allow_job_type("EntitiesDetection")  # type: ignore[arg-type]
    # A foreign key's owner must allow the brought role too: the statements are emitted.
    encryption = JobEncryption(
        stack, "Enc", existing_volume_key=FOREIGN_KEY_ARN, output_encryption=False
    )
    assert role.grant_keys(encryption).principal_statements == []
    assert key_policy_output(stack)[FOREIGN_KEY_ARN][0] == {
        "Sid": "AllowComprehendDataAccessRole",
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111111111111:role/MyComprehendRole"},
        "Action": ["kms:CreateGrant"],
        "Resource": "*",
    }


def test_a_storage_of_your_own_is_granted_like_a_job_storage() -> None:
    stack = new_stack(env=TEST_ENV)
    lake = s3.Bucket.from_bucket_name(stack, "Lake", "my-lake")

    class LakeStorage(Construct):
        """Not a JobStorage: only the members of IJobStorage."""

        input_bucket = output_bucket = lake
        input_prefix, output_prefix = "docs/", "results/"
        input_s3_uri, output_s3_uri = "s3://my-lake/docs/", "s3://my-lake/results/"
        input_bucket_key_ref = None
        creates_input_bucket = False
        input_documents_fingerprint = None

        @property
        def input_documents_uploaded(self) -> IDependable:
            return DependencyGroup()

        def add_input_documents(self, documents: Any) -> Any:
            raise NotImplementedError

    DataAccessRole(
        stack, "Data", storage=LakeStorage(stack, "Lake2"), job_types=[ENTITIES_DETECTION]
    )
    resources = [s["Resource"] for s in policy_document(stack)["Statement"]]
    assert "arn:aws:s3:::my-lake/docs/*" in json.dumps(resources)
    assert "arn:aws:s3:::my-lake/results/*" in json.dumps(resources)


def test_an_object_missing_members_of_the_interface_is_named() -> None:
    stack = new_stack(env=TEST_ENV)

    class HalfStorage:
        input_s3_uri = "s3://my-lake/docs/"
        output_s3_uri = "s3://my-lake/results/"

    with pytest.raises(PropValidationError) as raised:
        DataAccessRole(stack, "Data", storage=HalfStorage())  # type: ignore[arg-type]
    (problem,) = raised.value.problems
    assert problem.startswith(
        "storage=<a HalfStorage> is not valid: an IJobStorage (this object lacks "
        "add_input_documents, creates_input_bucket, input_bucket, input_bucket_key_ref, "
        "input_documents_fingerprint, input_documents_uploaded, input_prefix, node, "
        "output_bucket, output_prefix). Fix: "
    )


@pytest.mark.parametrize(
    "arn",
    [
        "MyComprehendRole",
        "arn:aws:iam::111111111111:user/someone",
        "arn:aws:iam::1111:role/r",
        "arn:aws:s3:::bucket",
    ],
)
def test_from_role_arn_rejects_what_is_not_a_role_arn(arn: str) -> None:
    stack = new_stack(env=TEST_ENV)
    before = len(stack.node.children)
    with pytest.raises(PropValidationError) as raised:
        DataAccessRole.from_role_arn(stack, "Data", arn)
    assert f"role_arn={arn!r}" in str(raised.value)
    assert "Fix:" in str(raised.value)
    assert len(stack.node.children) == before


# -- invalid props ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "prop"),
    [
        ({"storage": "bucket"}, "storage"),
        ({"encryption": "alias/x"}, "encryption"),
        ({"network": "vpc-1"}, "network"),
        ({"job_types": ["EntitiesDetection"]}, "job_types"),
        ({"role_name": "has space"}, "role_name"),
    ],
)
def test_invalid_props_raise_before_creating_anything(props: dict[str, Any], prop: str) -> None:
    stack = new_stack(env=TEST_ENV)
    before = len(stack.node.children)
    with pytest.raises(PropValidationError) as raised:
        DataAccessRole(stack, "Data", **props)
    assert f"{prop}=" in str(raised.value)
    assert len(stack.node.children) == before


def test_invalid_grant_prefix_raises() -> None:
    stack = new_stack(env=TEST_ENV)
    role = DataAccessRole(stack, "Data", job_types=[ENTITIES_DETECTION])
    with pytest.raises(PropValidationError, match="prefix='/abs'"):
        role.grant_read_input(s3.Bucket.from_bucket_name(stack, "B", "my-bucket"), "/abs")
