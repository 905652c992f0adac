"""The building blocks under cdk-nag: AwsSolutions, HIPAA Security, NIST 800-53 R5 and
PCI DSS 3.2.1 report nothing unacknowledged, and every acknowledgment is narrow, names
the exact finding and carries the reason from the library's one table."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from aws_cdk import Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3
from nag_support import TEST_ENV, acknowledgments_in, format_findings, nag_findings, new_stack

from comprehend_jobs import DataAccessRole, JobEncryption, JobNetwork, JobStorage
from comprehend_jobs.compliance import ACKNOWLEDGMENT_KINDS, acknowledge
from comprehend_jobs.compliance.acknowledgments import MAX_KINDS, PACKS, flatten_reference
from comprehend_jobs.job_types import DOCUMENT_CLASSIFICATION, ENTITIES_DETECTION

KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def _composed(stack: Stack) -> None:
    encryption = JobEncryption(stack, "Enc")
    storage = JobStorage(stack, "Storage", encryption=encryption)
    network = JobNetwork(stack, "Net")
    DataAccessRole(
        stack,
        "Data",
        storage=storage,
        encryption=encryption,
        network=network,
        job_types=[ENTITIES_DETECTION, DOCUMENT_CLASSIFICATION],
    )


def _bring_your_own(stack: Stack) -> None:
    vpc = ec2.Vpc.from_vpc_attributes(
        stack,
        "Vpc",
        vpc_id="vpc-0123456789abcdef0",
        availability_zones=["us-east-1a"],
        isolated_subnet_ids=["subnet-0123456789abcdef0"],
        isolated_subnet_route_table_ids=["rtb-0123456789abcdef0"],
    )
    encryption = JobEncryption(
        stack,
        "Enc",
        existing_volume_key=KEY_ID,
        existing_output_key="arn:aws:kms:us-east-1:222222222222:alias/results",
    )
    storage = JobStorage(
        stack,
        "Storage",
        existing_input_bucket=s3.Bucket.from_bucket_name(stack, "In", "in-bucket"),
        existing_output_bucket=s3.Bucket.from_bucket_name(stack, "Out", "out-bucket"),
        input_prefix="",
    )
    # The imported route tables are taken as reaching S3 (the brought-VPC warning is the
    # network tests' subject).
    network = JobNetwork(stack, "Net", existing_vpc=vpc, s3_gateway_endpoint=False)
    DataAccessRole(
        stack,
        "Data",
        storage=storage,
        encryption=encryption,
        network=network,
        job_types=[ENTITIES_DETECTION],
    )


BUILDS: dict[str, Callable[[Stack], Any]] = {
    "encryption": lambda s: JobEncryption(s, "Enc"),
    "encryption-single-key": lambda s: JobEncryption(s, "Enc", single_key=True),
    "storage": lambda s: JobStorage(s, "Storage"),
    "storage-with-encryption": lambda s: JobStorage(
        s, "Storage", encryption=JobEncryption(s, "Enc")
    ),
    "network": lambda s: JobNetwork(s, "Net"),
    "network-prefix-list": lambda s: JobNetwork(s, "Net", s3_prefix_list_id="pl-63a5400a"),
    "two-networks": lambda s: (JobNetwork(s, "A"), JobNetwork(s, "B")),
    "role": lambda s: DataAccessRole(s, "Data", job_types=[ENTITIES_DETECTION]),
    "role-vpc-only": lambda s: DataAccessRole(
        s, "Data", network=JobNetwork(s, "Net"), job_types=[ENTITIES_DETECTION]
    ),
    "role-textract": lambda s: DataAccessRole(
        s, "Data", job_types=[DOCUMENT_CLASSIFICATION]
    ).grant_textract(),
    "composed": _composed,
    "bring-your-own": _bring_your_own,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BUILDS))
@pytest.mark.parametrize("env", [None, TEST_ENV], ids=["env-agnostic", "env"])
def test_no_unacknowledged_findings(name: str, env: Any) -> None:
    findings = nag_findings(BUILDS[name], env=env)
    assert findings == [], "\n" + format_findings(findings)


@pytest.mark.slow
def test_the_checks_do_run_and_acknowledgments_are_not_stack_wide() -> None:
    def build(stack: Stack) -> None:
        _composed(stack)
        s3.Bucket(stack, "PlainBucket")  # beside the blocks: must still be flagged

    rules = {f.rule_id for f in nag_findings(build) if "PlainBucket" in f.path}
    assert {
        "AwsSolutions-S1",
        "AwsSolutions-S10",
        "HIPAA.Security-S3BucketReplicationEnabled",
        "NIST.800.53.R5-S3DefaultEncryptionKMS",
        "PCI.DSS.321-S3BucketLoggingEnabled",
    } <= rules


def _finding_fits(finding_id: str, template: str) -> bool:
    if "{}" not in template:
        return finding_id == template
    head, tail = template.split("{}", 1)
    return finding_id.startswith(head) and finding_id.endswith(tail)


@pytest.mark.parametrize("name", ["composed", "bring-your-own"])
def test_every_acknowledgment_is_from_the_table_on_a_resource_with_its_reason(
    name: str,
) -> None:
    stack = new_stack(env=TEST_ENV)
    BUILDS[name](stack)
    acks = [a for a in acknowledgments_in(stack) if a[1].startswith(PACKS)]
    assert acks
    for path, finding_id, reason in acks:
        kinds = [
            k
            for k in ACKNOWLEDGMENT_KINDS.values()
            if any(_finding_fits(finding_id, f) for f in k.findings) and k.reason == reason
        ]
        assert kinds, (path, finding_id)
        assert path != stack.node.path, f"stack-wide acknowledgment {finding_id}"
        assert "[Resource::*]" not in finding_id or path.endswith("/Data/Policy")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["composed", "bring-your-own", "storage"])
def test_every_acknowledgment_matches_a_real_finding(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the acknowledgments, each acknowledged id is reported on that resource."""
    stack = new_stack(env=TEST_ENV)
    BUILDS[name](stack)
    acknowledged = {(path, fid) for path, fid, _ in acknowledgments_in(stack)}
    acknowledged = {a for a in acknowledged if a[1].startswith(PACKS)}

    import comprehend_jobs.data_access_role as role_module
    import comprehend_jobs.storage as storage_module

    for module in (role_module, storage_module):
        monkeypatch.setattr(module, "acknowledge", lambda *a, **k: [])
    findings = nag_findings(BUILDS[name], env=TEST_ENV)
    reported = {(f"TestStack{f.path.removeprefix('NagStack')}", f.rule_id) for f in findings}
    resource_paths = {
        (path if path.endswith("/Resource") else f"{path}/Resource", fid)
        for path, fid in acknowledged
    }
    assert resource_paths <= reported, resource_paths - reported


def test_iam_wildcards_are_acknowledged_by_exact_resource() -> None:
    stack = new_stack(env=TEST_ENV)
    _bring_your_own(stack)
    ids = {a[1] for a in acknowledgments_in(stack) if a[0].endswith("/Data/Policy")}
    assert ids == {
        "AwsSolutions-IAM5[Resource::*]",
        "AwsSolutions-IAM5[Resource::arn:aws:s3:::in-bucket/*]",
        "AwsSolutions-IAM5[Resource::arn:aws:s3:::out-bucket/output/*]",
        "AwsSolutions-IAM5[Resource::arn:aws:kms:us-east-1:222222222222:key/*]",
    }


def test_the_table_is_small_complete_and_iterable() -> None:
    kinds = list(ACKNOWLEDGMENT_KINDS.values())
    assert 0 < len(kinds) <= MAX_KINDS
    assert list(ACKNOWLEDGMENT_KINDS.values()) == kinds
    for kind in kinds:
        assert kind.findings and kind.reason and len(kind.reason) > 40
        assert all(rule.startswith(PACKS) for rule in kind.rule_ids)
        assert len(set(kind.findings)) == len(kind.findings)


def test_acknowledge_refuses_broad_or_malformed_use() -> None:
    stack = new_stack()
    bucket = s3.Bucket(stack, "B")
    with pytest.raises(ValueError, match="needs applies_to"):
        acknowledge(bucket, "S3_JOB_DATA_PREFIX")
    with pytest.raises(ValueError, match="too broad"):
        acknowledge(bucket, "S3_JOB_DATA_PREFIX", applies_to=["*"])
    with pytest.raises(ValueError, match="takes no applies_to"):
        acknowledge(bucket, "S3_REPLICATION", applies_to=["x"])
    with pytest.raises(ValueError, match="not rules of kind"):
        acknowledge(bucket, "S3_REPLICATION", only=["AwsSolutions-S1"])
    with pytest.raises(KeyError):
        acknowledge(bucket, "NOT_A_KIND")


def test_acknowledge_returns_the_exact_ids() -> None:
    stack = new_stack()
    bucket = s3.Bucket(stack, "B")
    assert acknowledge(bucket, "S3_JOB_DATA_PREFIX", applies_to=["arn:aws:s3:::b/p/*"]) == [
        "AwsSolutions-IAM5[Resource::arn:aws:s3:::b/p/*]"
    ]
    assert acknowledge(
        bucket, "ACCESS_LOG_BUCKET", only=["HIPAA.Security-S3DefaultEncryptionKMS"]
    ) == ["HIPAA.Security-S3DefaultEncryptionKMS"]


def test_flatten_reference_matches_cdk_nag() -> None:
    assert flatten_reference({"Fn::GetAtt": ["B1", "Arn"]}) == "<B1.Arn>"
    assert (
        flatten_reference({"Fn::Join": ["", [{"Fn::GetAtt": ["B1", "Arn"]}, "/in/*"]]})
        == "<B1.Arn>/in/*"
    )
    assert flatten_reference({"Ref": "AWS::Partition"}) == "<AWS::Partition>"
    assert flatten_reference({"Fn::Sub": "arn:${AWS::Partition}:x"}) == "arn:<AWS::Partition>:x"
