"""A composition that brings its own VPC, buckets and keys: another stack of the same app
makes them (as a platform team's stack would) and the job stack is handed them. The job
COMPLETES in that VPC on those buckets and keys, writes its output under the brought
prefix, and the deletion path leaves no running job.

Run by ``make integ`` (needs ``COMPREHEND_JOBS_RECOGNIZER_ARN``); ``make test`` checks the
committed snapshot only.
"""

from __future__ import annotations

import support
from aws_cdk import App, RemovalPolicy, Stack
from aws_cdk import aws_ec2 as ec2
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk.integ_tests_alpha import IntegTest

from comprehend_jobs import (
    DataAccessRole,
    EntityRecognitionJob,
    JobEncryption,
    JobNetwork,
    JobStorage,
)

INPUT_PREFIX = "tickets/"
OUTPUT_PREFIX = "comprehend/tickets/"

app = App()

# The platform's stack: a VPC with isolated subnets (no S3 route: the library adds one),
# two keys and two buckets, removed with the test.
platform = Stack(app, "IntegBringYourOwnPlatform")
vpc = ec2.Vpc(
    platform,
    "Vpc",
    max_azs=2,
    nat_gateways=0,
    subnet_configuration=[
        ec2.SubnetConfiguration(name="jobs", subnet_type=ec2.SubnetType.PRIVATE_ISOLATED)
    ],
)
volume_key = kms.Key(
    platform, "VolumeKey", enable_key_rotation=True, removal_policy=RemovalPolicy.DESTROY
)
data_key = kms.Key(
    platform, "DataKey", enable_key_rotation=True, removal_policy=RemovalPolicy.DESTROY
)


def bucket(name: str) -> s3.Bucket:
    return s3.Bucket(
        platform,
        name,
        encryption=s3.BucketEncryption.KMS,
        encryption_key=data_key,
        enforce_ssl=True,
        block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        removal_policy=RemovalPolicy.DESTROY,
        auto_delete_objects=True,
    )


lake = bucket("Lake")
results = bucket("Results")
s3deploy.BucketDeployment(
    platform,
    "Documents",
    sources=[s3deploy.Source.asset(support.ENTITY_SAMPLES)],
    destination_bucket=lake,
    destination_key_prefix=INPUT_PREFIX,
)

# The job's stack, composed from the building blocks around what it is handed.
stack = Stack(app, "IntegBringYourOwn")
support.env_agnostic(stack)
network = JobNetwork(stack, "Network", existing_vpc=vpc)
encryption = JobEncryption(
    stack, "Keys", existing_volume_key=volume_key, existing_output_key=data_key
)
storage = JobStorage(
    stack,
    "Storage",
    existing_input_bucket=lake,
    existing_output_bucket=results,
    input_prefix=INPUT_PREFIX,
    output_prefix=OUTPUT_PREFIX,
)
role = DataAccessRole(
    stack, "DataAccessRole", storage=storage, encryption=encryption, network=network
)
job = EntityRecognitionJob(
    stack,
    "Tickets",
    recognizer_arn=support.model_arn(support.RECOGNIZER_VARIABLE, support.RECOGNIZER_PLACEHOLDER),
    storage=storage,
    role=role,
    encryption=encryption,
    network=network,
)

integ = IntegTest(app, "BringYourOwn", test_cases=[platform, stack], stack_update_workflow=False)
support.assert_job_lifecycle(integ, job)

app.synth()
