"""Compose the building blocks around a VPC, buckets and keys that already exist.

The VPC and its subnets come from the network team, the buckets from the data lake, and
both keys live in a separate security account. The library makes the job's security
group, the DataAccessRole (scoped to exactly these prefixes and keys) and the job, and
prints the key-policy statement the key owner must add.
"""

from __future__ import annotations

from aws_cdk import Environment, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_s3 as s3

from comprehend_jobs import (
    DataAccessRole,
    EntityRecognitionJob,
    JobEncryption,
    JobNetwork,
    JobStorage,
)

#: The account and Region the stack deploys to (cross-account needs a known account).
ENV = Environment(account="111122223333", region="us-east-1")
SECURITY_ACCOUNT_KEY = "arn:aws:kms:us-east-1:444455556666:key/1234abcd-12ab-34cd-56ef-1234567890ab"
SECURITY_ACCOUNT_ALIAS = "arn:aws:kms:us-east-1:444455556666:alias/comprehend-results"
RECOGNIZER_ARN = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/claims/version/v3"


def build(stack: Stack) -> None:
    """An entity recognition job in an existing VPC, on existing buckets and keys."""
    vpc = ec2.Vpc.from_vpc_attributes(
        stack,
        "SharedVpc",
        vpc_id="vpc-0a1b2c3d4e5f67890",
        availability_zones=["us-east-1a", "us-east-1b"],
        private_subnet_ids=["subnet-0a1b2c3d4e5f67890", "subnet-0f9e8d7c6b5a43210"],
        private_subnet_route_table_ids=["rtb-0a1b2c3d4e5f67890", "rtb-0f9e8d7c6b5a43210"],
    )
    network = JobNetwork(
        stack,
        "Network",
        existing_vpc=vpc,
        # The Region's S3 prefix list: the job's HTTPS egress names exactly S3.
        s3_prefix_list_id="pl-63a5400a",
        # The network team's route tables already reach S3 (an S3 gateway endpoint);
        # without this, an imported VPC's unknowable routes are a synth warning.
        s3_gateway_endpoint=False,
    )
    encryption = JobEncryption(
        stack,
        "Keys",
        existing_volume_key=SECURITY_ACCOUNT_KEY,
        existing_output_key=SECURITY_ACCOUNT_ALIAS,
    )
    storage = JobStorage(
        stack,
        "Storage",
        existing_input_bucket=s3.Bucket.from_bucket_name(stack, "Lake", "example-data-lake"),
        existing_output_bucket=s3.Bucket.from_bucket_name(stack, "Results", "example-results"),
        input_prefix="claims/2026/",
        output_prefix="comprehend/claims/",
    )
    role = DataAccessRole(
        stack, "DataAccessRole", storage=storage, encryption=encryption, network=network
    )
    EntityRecognitionJob(
        stack,
        "Claims",
        recognizer_arn=RECOGNIZER_ARN,
        storage=storage,
        role=role,
        encryption=encryption,
        network=network,
    )
