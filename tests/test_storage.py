"""JobStorage: secure default buckets, bring-your-own buckets, prefixes and bad props."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from aws_cdk import RemovalPolicy, Stack
from aws_cdk import aws_s3 as s3
from aws_cdk.assertions import Match, Template
from nag_support import TEST_ENV, format_findings, nag_findings, new_stack

from comprehend_jobs import JobEncryption, JobStorage, PropValidationError


def buckets_by_id(template: Template) -> Mapping[str, Mapping[str, Any]]:
    return template.find_resources("AWS::S3::Bucket")


def one(resources: Mapping[str, Any], fragment: str) -> tuple[str, Any]:
    matches = [(k, v) for k, v in resources.items() if fragment in k]
    assert len(matches) == 1, (fragment, list(resources))
    return matches[0]


# -- defaults ------------------------------------------------------------------------


def test_default_creates_input_output_and_access_log_buckets_and_one_key() -> None:
    stack = new_stack()
    JobStorage(stack, "Storage")
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::S3::Bucket", 3)
    template.resource_count_is("AWS::KMS::Key", 1)
    template.has_resource_properties("AWS::KMS::Key", {"EnableKeyRotation": True})


@pytest.mark.parametrize("name", ["InputBucket", "OutputBucket"])
def test_data_buckets_are_sse_kms_versioned_private_logged_and_owner_enforced(name: str) -> None:
    stack = new_stack()
    JobStorage(stack, "Storage")
    template = Template.from_stack(stack)
    buckets = buckets_by_id(template)
    _, bucket = one(buckets, name)
    log_id, _ = one(buckets, "AccessLogBucket")
    key_id = next(iter(template.find_resources("AWS::KMS::Key")))
    props = bucket["Properties"]
    assert props["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [
            {
                "BucketKeyEnabled": True,
                "ServerSideEncryptionByDefault": {
                    "KMSMasterKeyID": {"Fn::GetAtt": [key_id, "Arn"]},
                    "SSEAlgorithm": "aws:kms",
                },
            }
        ]
    }
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    prefix = "input-bucket/" if name == "InputBucket" else "output-bucket/"
    assert props["LoggingConfiguration"] == {
        "DestinationBucketName": {"Ref": log_id},
        "LogFilePrefix": prefix,
    }
    assert bucket["DeletionPolicy"] == "Retain"


def test_access_log_bucket_is_sse_s3_versioned_private_owner_enforced() -> None:
    stack = new_stack()
    JobStorage(stack, "Storage")
    _, log = one(buckets_by_id(Template.from_stack(stack)), "AccessLogBucket")
    props = log["Properties"]
    assert props["BucketEncryption"] == {
        "ServerSideEncryptionConfiguration": [
            {"ServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"}}
        ]
    }
    assert props["VersioningConfiguration"] == {"Status": "Enabled"}
    assert props["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}
    assert props["PublicAccessBlockConfiguration"]["RestrictPublicBuckets"] is True
    assert "LoggingConfiguration" not in props


def test_every_bucket_policy_denies_insecure_transport_and_old_tls() -> None:
    stack = new_stack()
    JobStorage(stack, "Storage")
    template = Template.from_stack(stack)
    policies = template.find_resources("AWS::S3::BucketPolicy")
    assert len(policies) == 3
    for policy in policies.values():
        statements = policy["Properties"]["PolicyDocument"]["Statement"]
        assert any(
            s["Effect"] == "Deny"
            and s["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
            and s["Action"] == "s3:*"
            and s["Principal"] == {"AWS": "*"}
            for s in statements
        )
        assert any(
            s["Effect"] == "Deny" and s["Condition"] == {"NumericLessThan": {"s3:TlsVersion": 1.2}}
            for s in statements
        )


def test_access_logs_are_delivered_by_bucket_policy_not_acl() -> None:
    stack = new_stack()
    storage = JobStorage(stack, "Storage")
    assert storage.access_log_bucket is not None
    template = Template.from_stack(stack)
    template.has_resource_properties(
        "AWS::S3::BucketPolicy",
        {
            "PolicyDocument": {
                "Statement": Match.array_with(
                    [
                        Match.object_like(
                            {
                                "Action": "s3:PutObject",
                                "Principal": {"Service": "logging.s3.amazonaws.com"},
                            }
                        )
                    ]
                )
            }
        },
    )


def test_default_prefixes_and_uris() -> None:
    stack = new_stack()
    storage = JobStorage(stack, "Storage")
    assert storage.input_prefix == "input/"
    assert storage.output_prefix == "output/"
    assert stack.resolve(storage.input_s3_uri) == {
        "Fn::Join": ["", ["s3://", {"Ref": "StorageInputBucket0767FBBB"}, "/input/"]]
    }
    assert stack.resolve(storage.output_s3_uri) == {
        "Fn::Join": ["", ["s3://", {"Ref": "StorageOutputBucketCD2EEB3A"}, "/output/"]]
    }


def test_encryption_output_key_encrypts_created_buckets() -> None:
    stack = new_stack()
    enc = JobEncryption(stack, "Enc")
    storage = JobStorage(stack, "Storage", encryption=enc)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::KMS::Key", 2)  # the job keys only, no storage key
    assert storage.data_key is enc.output_key
    assert storage.input_bucket.encryption_key is enc.output_key


def test_encryption_with_string_output_key_falls_back_to_own_key() -> None:
    stack = new_stack(env=TEST_ENV)
    enc = JobEncryption(stack, "Enc", existing_output_key="alias/x", volume_encryption=False)
    storage = JobStorage(stack, "Storage", encryption=enc)
    assert storage.data_key is not None and storage.data_key is not enc.output_key
    Template.from_stack(stack).resource_count_is("AWS::KMS::Key", 1)


def test_destroy_with_auto_delete_is_opt_in() -> None:
    stack = new_stack()
    JobStorage(stack, "Storage", removal_policy=RemovalPolicy.DESTROY, auto_delete_objects=True)
    template = Template.from_stack(stack)
    for bucket in template.find_resources("AWS::S3::Bucket").values():
        assert bucket["DeletionPolicy"] == "Delete"
    template.resource_count_is("Custom::S3AutoDeleteObjects", 3)


# -- bring your own ------------------------------------------------------------------


def test_existing_buckets_create_nothing_and_keep_prefixes() -> None:
    stack = new_stack(env=TEST_ENV)
    existing_in = s3.Bucket.from_bucket_name(stack, "In", "my-input")
    existing_out = s3.Bucket.from_bucket_name(stack, "Out", "my-output")
    storage = JobStorage(
        stack,
        "Storage",
        existing_input_bucket=existing_in,
        existing_output_bucket=existing_out,
        input_prefix="docs/2026/",
        output_prefix="results/",
    )
    assert storage.input_bucket is existing_in
    assert storage.output_bucket is existing_out
    assert storage.access_log_bucket is None
    assert storage.data_key is None
    assert storage.input_s3_uri == "s3://my-input/docs/2026/"
    assert storage.output_s3_uri == "s3://my-output/results/"
    assert storage.node.children == []


def test_existing_input_bucket_only_creates_output_and_log_buckets() -> None:
    stack = new_stack(env=TEST_ENV)
    existing_in = s3.Bucket.from_bucket_name(stack, "In", "my-input")
    storage = JobStorage(stack, "Storage", existing_input_bucket=existing_in)
    template = Template.from_stack(stack)
    template.resource_count_is("AWS::S3::Bucket", 2)
    assert storage.input_bucket is existing_in
    assert storage.access_log_bucket is not None


def test_existing_access_log_bucket_is_used() -> None:
    stack = new_stack(env=TEST_ENV)
    logs = s3.Bucket.from_bucket_name(stack, "Logs", "my-logs")
    storage = JobStorage(stack, "Storage", existing_access_log_bucket=logs)
    Template.from_stack(stack).resource_count_is("AWS::S3::Bucket", 2)
    assert storage.access_log_bucket is logs


def test_same_bucket_with_separate_prefixes_is_allowed() -> None:
    stack = new_stack(env=TEST_ENV)
    bucket = s3.Bucket.from_bucket_name(stack, "B", "shared")
    storage = JobStorage(
        stack, "Storage", existing_input_bucket=bucket, existing_output_bucket=bucket
    )
    assert storage.input_s3_uri == "s3://shared/input/"
    assert storage.output_s3_uri == "s3://shared/output/"


def test_empty_prefix_means_the_whole_bucket() -> None:
    stack = new_stack(env=TEST_ENV)
    bucket = s3.Bucket.from_bucket_name(stack, "B", "in-bucket")
    storage = JobStorage(stack, "Storage", existing_input_bucket=bucket, input_prefix="")
    assert storage.input_s3_uri == "s3://in-bucket/"


# -- invalid props ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        ("input_prefix", "/input/"),
        ("input_prefix", "a//b/"),
        ("input_prefix", "a/../b/"),
        ("input_prefix", "./a"),
        ("output_prefix", "out*"),
        ("output_prefix", "out?"),
        ("output_prefix", "${aws:username}/"),
        ("output_prefix", "bad\x00char"),
        ("output_prefix", "x" * 1025),
        ("input_prefix", "claims/2026"),
        ("input_prefix", "claims/*/"),
        ("output_prefix", "results"),
    ],
)
def test_invalid_prefixes_raise_before_creating_anything(prop: str, value: str) -> None:
    stack = new_stack()
    before = len(stack.node.children)
    with pytest.raises(PropValidationError) as raised:
        JobStorage(stack, "Storage", **{prop: value})  # type: ignore[arg-type]
    message = str(raised.value)
    assert f"{prop}={value!r}" in message
    assert "S3 key prefix" in message
    assert f"Fix: use {prop}=" in message
    assert len(stack.node.children) == before


BAD_PREFIXES = [
    "/input/",
    "a//b/",
    "a/../b/",
    "./a",
    "out*",
    "out?",
    "${aws:username}/",
    "bad\x00char",
    "x" * 1025,
    "é" * 600,
    "claims/2026",
    "claims/*/",
    "*",
    "/",
    "//",
    "..",
    "s3://bucket/x/",
    "S3://bucket/x",
    "s3://bucket",
    "a/./b",
    "tab\there/",
    "$",
    "a\\b/",
    "del\x7f/",
]


@pytest.mark.parametrize("value", BAD_PREFIXES)
def test_every_suggested_prefix_is_itself_valid(value: str) -> None:
    from comprehend_jobs._private.prefix_rules import prefix_problem, suggest_prefix

    assert prefix_problem(value) is not None, value
    suggestion = suggest_prefix(value)
    assert prefix_problem(suggestion) is None, (value, suggestion)
    assert suggestion.endswith("/")


def test_a_prefix_without_a_trailing_slash_is_an_error_with_the_fixed_prefix() -> None:
    stack = new_stack()
    with pytest.raises(PropValidationError) as raised:
        JobStorage(stack, "Storage", input_prefix="claims/2026")
    message = str(raised.value)
    assert message.startswith("JobStorage at 'TestStack/Storage': invalid props: input_prefix=")
    assert "'claims/2026-archive/'" in message
    assert "Fix: use input_prefix='claims/2026/'" in message


def test_an_s3_uri_as_prefix_says_to_pass_the_bucket_separately() -> None:
    stack = new_stack()
    with pytest.raises(PropValidationError) as raised:
        JobStorage(stack, "Storage", input_prefix="s3://bucket/x/")
    message = str(raised.value)
    assert "is an S3 URI, not a key prefix" in message
    assert "pass the bucket separately" in message
    assert "existing_input_bucket=s3.Bucket.from_bucket_name(scope, id, 'bucket')" in message
    assert "input_prefix='x/'" in message
    assert "s3:/bucket" not in message


def test_auto_delete_objects_as_a_string_is_an_error() -> None:
    stack = new_stack()
    with pytest.raises(PropValidationError) as raised:
        JobStorage(stack, "Storage", auto_delete_objects="false")  # type: ignore[arg-type]
    assert "auto_delete_objects='false'" in str(raised.value)
    assert "pass auto_delete_objects=False" in str(raised.value)


# -- a brought SSE-KMS input bucket ------------------------------------------------------

INPUT_KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def _decrypt_statements(stack: Any) -> list[dict[str, Any]]:
    template = Template.from_stack(stack)
    policies = template.find_resources("AWS::IAM::ManagedPolicy")
    found = []
    for policy in policies.values():
        for statement in policy["Properties"]["PolicyDocument"]["Statement"]:
            if statement["Action"] == "kms:Decrypt":
                found.append(statement)
    return found


@pytest.mark.parametrize("how", ["input_bucket_key", "from_bucket_attributes"])
def test_a_brought_input_bucket_key_is_granted_through_s3_only(how: str) -> None:
    from aws_cdk import aws_kms as kms

    from comprehend_jobs import DataAccessRole, EntityRecognitionJob

    stack = new_stack(env=TEST_ENV)
    key = kms.Key.from_key_arn(stack, "LakeKey", INPUT_KEY_ARN)
    if how == "input_bucket_key":
        bucket = s3.Bucket.from_bucket_name(stack, "Lake", "example-data-lake")
        extra: dict[str, Any] = {"input_bucket_key": INPUT_KEY_ARN}
    else:
        bucket = s3.Bucket.from_bucket_attributes(
            stack, "Lake", bucket_name="example-data-lake", encryption_key=key
        )
        extra = {}
    storage = JobStorage(stack, "Storage", existing_input_bucket=bucket, **extra)
    role = DataAccessRole(stack, "Role", storage=storage)
    EntityRecognitionJob(
        stack,
        "Job",
        recognizer_arn="arn:aws:comprehend:us-east-1:111111111111:entity-recognizer/x",
        storage=storage,
        role=role,
    )
    statements = [s for s in _decrypt_statements(stack) if s["Resource"] == INPUT_KEY_ARN]
    assert len(statements) == 1, statements
    assert statements[0]["Condition"] == {
        "StringEquals": {
            "kms:ViaService": {"Fn::Join": ["", ["s3.us-east-1.", {"Ref": "AWS::URLSuffix"}]]}
        }
    } or statements[0]["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}
    }


def test_input_bucket_key_needs_a_brought_input_bucket() -> None:
    stack = new_stack(env=TEST_ENV)
    with pytest.raises(PropValidationError) as raised:
        JobStorage(stack, "Storage", input_bucket_key=INPUT_KEY_ARN)
    assert "input_bucket_key=" in str(raised.value)
    assert "pass existing_input_bucket too" in str(raised.value)


def test_input_bucket_key_from_another_region_is_an_error() -> None:
    stack = new_stack(env=TEST_ENV)
    bucket = s3.Bucket.from_bucket_name(stack, "Lake", "example-data-lake")
    with pytest.raises(PropValidationError) as raised:
        JobStorage(
            stack,
            "Storage",
            existing_input_bucket=bucket,
            input_bucket_key=INPUT_KEY_ARN.replace("us-east-1", "eu-west-1"),
        )
    assert "input_bucket_key=" in str(raised.value)
    assert "this one is in eu-west-1" in str(raised.value)


def test_bucket_in_another_region_is_an_error() -> None:
    stack = new_stack(env=TEST_ENV)
    far = s3.Bucket.from_bucket_attributes(stack, "Far", bucket_name="far-away", region="eu-west-1")
    before = len(stack.node.children)
    with pytest.raises(PropValidationError) as raised:
        JobStorage(stack, "Storage", existing_input_bucket=far)
    message = str(raised.value)
    assert "existing_input_bucket='far-away in eu-west-1'" in message
    assert "us-east-1" in message
    assert len(stack.node.children) == before


def test_bucket_in_the_stack_region_is_fine() -> None:
    stack = new_stack(env=TEST_ENV)
    near = s3.Bucket.from_bucket_attributes(stack, "Near", bucket_name="near", region="us-east-1")
    JobStorage(stack, "Storage", existing_output_bucket=near)


@pytest.mark.parametrize(
    ("props", "prop"),
    [
        ({"auto_delete_objects": True}, "auto_delete_objects"),
        (
            {"auto_delete_objects": True, "removal_policy": RemovalPolicy.RETAIN},
            "auto_delete_objects",
        ),
        ({"existing_input_bucket": "my-bucket"}, "existing_input_bucket"),
        ({"encryption": "alias/my-key"}, "encryption"),
    ],
)
def test_invalid_combinations_raise(props: dict[str, Any], prop: str) -> None:
    stack = new_stack()
    before = len(stack.node.children)
    with pytest.raises(PropValidationError, match=f"{prop}="):
        JobStorage(stack, "Storage", **props)
    assert len(stack.node.children) == before


@pytest.mark.parametrize(
    ("prop", "value"),
    [
        ("removal_policy", RemovalPolicy.DESTROY),
        ("existing_access_log_bucket", "logs"),
        ("auto_delete_objects", True),
    ],
)
def test_create_only_props_with_both_existing_buckets_raise(prop: str, value: Any) -> None:
    stack = new_stack(env=TEST_ENV)
    existing_in = s3.Bucket.from_bucket_name(stack, "In", "in-bucket")
    existing_out = s3.Bucket.from_bucket_name(stack, "Out", "out-bucket")
    if prop == "existing_access_log_bucket":
        value = s3.Bucket.from_bucket_name(stack, "Logs", "log-bucket")
    before = len(stack.node.children)
    with pytest.raises(PropValidationError) as raised:
        JobStorage(
            stack,
            "Storage",
            existing_input_bucket=existing_in,
            existing_output_bucket=existing_out,
            **{prop: value},
        )
    assert f"{prop}=" in str(raised.value)
    assert "creates none" in str(raised.value)
    assert len(stack.node.children) == before


def test_overlapping_prefixes_in_one_bucket_raise() -> None:
    stack = new_stack(env=TEST_ENV)
    bucket = s3.Bucket.from_bucket_name(stack, "B", "shared")
    with pytest.raises(PropValidationError, match="output_prefix='data/out/'"):
        JobStorage(
            stack,
            "Storage",
            existing_input_bucket=bucket,
            existing_output_bucket=bucket,
            input_prefix="data/",
            output_prefix="data/out/",
        )


def test_access_logs_use_a_bucket_policy_even_without_the_feature_flag() -> None:
    # A user's app may lack cdk.json's recommended flags; the log bucket must still keep
    # ACLs disabled (BucketOwnerEnforced) and receive logs through its bucket policy.
    from aws_cdk import App, Stack
    from aws_cdk.assertions import Template

    app = App()
    stack = Stack(app, "NoFlags")
    JobStorage(stack, "Storage")
    template = Template.from_stack(stack).to_json()
    buckets = [r for r in template["Resources"].values() if r["Type"] == "AWS::S3::Bucket"]
    assert len(buckets) == 3
    for bucket in buckets:
        assert "AccessControl" not in bucket["Properties"]
        assert bucket["Properties"]["OwnershipControls"] == {
            "Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]
        }
    policies = json.dumps(
        [r for r in template["Resources"].values() if r["Type"] == "AWS::S3::BucketPolicy"]
    )
    assert "logging.s3.amazonaws.com" in policies


# -- input documents -----------------------------------------------------------------

SAMPLES = str(Path(__file__).resolve().parent.parent / "samples")


def _upload(template: Mapping[str, Any]) -> Any:
    (upload,) = [
        r for r in template["Resources"].values() if r["Type"] == "Custom::CDKBucketDeployment"
    ]
    return upload


def test_input_documents_are_uploaded_into_the_created_input_prefix() -> None:
    stack = new_stack(env=TEST_ENV)
    storage = JobStorage(
        stack, "Storage", input_prefix="tickets/", input_documents=f"{SAMPLES}/classification"
    )
    assert storage.creates_input_bucket
    assert storage.input_upload is not None
    assert storage.input_upload.node.path == "TestStack/Storage/InputDocuments"
    template = Template.from_stack(stack).to_json()
    properties = _upload(template)["Properties"]
    assert properties["DestinationBucketName"] == {
        "Ref": stack.get_logical_id(storage.input_bucket.node.default_child)  # type: ignore[arg-type]
    }
    assert properties["DestinationBucketKeyPrefix"] == "tickets/"
    assert properties["Prune"] is False
    assert properties["RetainOnDelete"] is True
    assert len(properties["SourceObjectKeys"]) == 1


def test_more_documents_join_the_one_upload() -> None:
    stack = new_stack(env=TEST_ENV)
    storage = JobStorage(stack, "Storage", input_documents=f"{SAMPLES}/classification")
    first = storage.input_upload
    again = storage.add_input_documents(f"{SAMPLES}/entity-recognition")
    assert again is first
    template = Template.from_stack(stack).to_json()
    assert len(_upload(template)["Properties"]["SourceObjectKeys"]) == 2


def test_documents_go_into_a_brought_location_too() -> None:
    stack = new_stack(env=TEST_ENV)
    storage = JobStorage.from_s3_uris(
        stack,
        "Storage",
        input_s3_uri="s3://my-corp-data/claims/2026/",
        input_documents=f"{SAMPLES}/entity-recognition",
    )
    assert not storage.creates_input_bucket
    properties = _upload(Template.from_stack(stack).to_json())["Properties"]
    assert properties["DestinationBucketName"] == "my-corp-data"
    assert properties["DestinationBucketKeyPrefix"] == "claims/2026/"


def test_the_upload_names_the_created_input_buckets_key() -> None:
    # Issue 22.1: a new bucket key (the output key swapped, encryption switched) changes
    # the upload's properties too, so the upload runs again and puts the documents under
    # the new key; left to the bucket's default, they would stay under the old one.
    stack = new_stack(env=TEST_ENV)
    storage = JobStorage(stack, "Storage", input_documents=f"{SAMPLES}/classification")
    assert storage.data_key is not None
    key = stack.get_logical_id(storage.data_key.node.default_child)  # type: ignore[arg-type]
    assert _upload(Template.from_stack(stack).to_json())["Properties"]["SystemMetadata"] == {
        "sse": "aws:kms",
        "sse-kms-key-id": {"Fn::GetAtt": [key, "Arn"]},
    }


def test_the_upload_names_a_brought_buckets_key_by_its_arn() -> None:
    # An alias resolves in the caller's account, and an unknown key is the bucket
    # owner's: both are left to the bucket's default encryption.
    expected = {
        INPUT_KEY_ARN: {"sse": "aws:kms", "sse-kms-key-id": INPUT_KEY_ARN},
        "alias/data-lake": None,
        None: None,
    }
    for key, metadata in expected.items():
        stack = new_stack(env=TEST_ENV)
        JobStorage(
            stack,
            "Storage",
            existing_input_bucket=s3.Bucket.from_bucket_name(stack, "Lake", "example-data-lake"),
            input_bucket_key=key,
            input_documents=str(Path(SAMPLES) / "entity-recognition"),
        )
        properties = _upload(Template.from_stack(stack).to_json())["Properties"]
        assert properties.get("SystemMetadata") == metadata, key


def test_without_documents_there_is_no_upload_and_no_fingerprint() -> None:
    stack = new_stack(env=TEST_ENV)
    storage = JobStorage(stack, "Storage")
    assert storage.input_upload is None
    assert storage.input_documents_fingerprint is None
    assert storage.creates_input_bucket


@pytest.mark.parametrize(
    ("documents", "fix"),
    [
        ("no/such/folder", "create the folder, or pass the path of the documents' folder"),
        ([], "pass input_documents='path/to/folder' or input_documents=[s3deploy.Source"),
        (["a.txt"], "pass input_documents='path/to/folder' or input_documents=[s3deploy.Source"),
    ],
)
def test_documents_that_are_no_folder_or_sources_raise_before_anything_is_made(
    documents: Any, fix: str
) -> None:
    stack = new_stack(env=TEST_ENV)
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        JobStorage(stack, "Storage", input_documents=documents)
    (problem,) = raised.value.problems
    assert (
        problem.startswith("input_documents=")
        and "a folder that exists, or a list of aws_s3_deployment sources" in problem
    )
    assert fix in problem
    assert len(stack.node.find_all()) == before


UPLOAD_KEY_FORMS = {
    "key ARN": (INPUT_KEY_ARN, INPUT_KEY_ARN, None),
    "alias": (
        "alias/data-lake",
        "arn:aws:kms:us-east-1:111111111111:key/*",
        {"ForAnyValue:StringEquals": {"kms:ResourceAliases": ["alias/data-lake"]}},
    ),
}


def _upload_into_a_keyed_lake(stack: Stack, key: str) -> None:
    JobStorage(
        stack,
        "Storage",
        existing_input_bucket=s3.Bucket.from_bucket_name(stack, "Lake", "example-data-lake"),
        input_bucket_key=key,
        input_documents=str(Path(SAMPLES) / "entity-recognition"),
    )


@pytest.mark.parametrize("form", sorted(UPLOAD_KEY_FORMS))
def test_the_upload_may_write_with_a_brought_input_bucket_key(form: str) -> None:
    # BucketDeployment grants only the bucket object's own key; a key given beside an
    # imported bucket must reach the upload's role too, or its SSE-KMS writes are denied.
    key, resource, alias_condition = UPLOAD_KEY_FORMS[form]
    stack = new_stack(env=TEST_ENV)
    _upload_into_a_keyed_lake(stack, key)
    policies = Template.from_stack(stack).find_resources("AWS::IAM::ManagedPolicy")
    upload = [v for k, v in policies.items() if "InputDocumentsPolicy" in k]
    assert len(upload) == 1
    kms_statements = [
        s
        for s in upload[0]["Properties"]["PolicyDocument"]["Statement"]
        if any(str(a).startswith("kms:") for a in _as_list(s["Action"]))
    ]
    via_s3 = {"kms:ViaService": {"Fn::Join": ["", ["s3.us-east-1.", {"Ref": "AWS::URLSuffix"}]]}}
    assert kms_statements == [
        {
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Condition": {"StringEquals": via_s3, **(alias_condition or {})},
            "Effect": "Allow",
            "Resource": resource,
        }
    ]


def test_the_upload_into_an_aliased_lake_is_nag_clean() -> None:
    findings = nag_findings(
        lambda stack: _upload_into_a_keyed_lake(stack, "alias/data-lake"), env=TEST_ENV
    )
    assert findings == [], format_findings(findings)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
