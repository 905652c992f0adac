"""Finding a stack's jobs: custom resources and outputs, each job once."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import boto3
import pytest
from botocore.stub import Stubber

from cli.moto_jobs import Emulator
from comprehend_jobs.cli.discovery import JOB_RESOURCE_TYPE, find_jobs
from comprehend_jobs.cli.errors import NoJobs, StackNotFound
from comprehend_jobs.job_types import DOCUMENT_CLASSIFICATION, ENTITIES_DETECTION

STACK_ARN = "arn:aws:cloudformation:us-east-1:123456789012:stack/Jobs/1"
ENTITIES_ARN = (
    "arn:aws:comprehend:us-east-1:123456789012:entities-detection-job/0123456789abcdef0123"
)
CLASSIFICATION_ARN = (
    "arn:aws:comprehend:us-east-1:123456789012:document-classification-job/fedcba9876543210"
)


def _summary(logical_id: str, resource_type: str, physical_id: str) -> dict[str, object]:
    return {
        "LogicalResourceId": logical_id,
        "PhysicalResourceId": physical_id,
        "ResourceType": resource_type,
        "LastUpdatedTimestamp": datetime(2026, 11, 23, tzinfo=UTC),
        "ResourceStatus": "CREATE_COMPLETE",
    }


@pytest.fixture
def stubbed() -> Iterator[tuple[object, Stubber]]:
    """A CloudFormation client whose answers the test scripts (moto cannot run Custom::)."""
    client = boto3.client("cloudformation", region_name="us-east-1")
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def test_custom_resources_across_pages_and_outputs_merge_without_duplicates(
    stubbed: tuple[object, Stubber],
) -> None:
    # GIVEN a stack whose job resources span two pages, one also exported as an output
    client, stubber = stubbed
    stubber.add_response(
        "describe_stacks",
        {
            "Stacks": [
                {
                    "StackName": "Jobs",
                    "StackId": STACK_ARN,
                    "CreationTime": datetime(2026, 11, 23, tzinfo=UTC),
                    "StackStatus": "CREATE_COMPLETE",
                    "Outputs": [
                        {"OutputKey": "EntitiesJobArn", "OutputValue": ENTITIES_ARN},
                        {"OutputKey": "BucketName", "OutputValue": "docs-out"},
                    ],
                }
            ]
        },
        {"StackName": "Jobs"},
    )
    stubber.add_response(
        "list_stack_resources",
        {
            "StackResourceSummaries": [
                _summary("Topic", "AWS::SNS::Topic", "arn:aws:sns:us-east-1:123456789012:t"),
                _summary("InvoicesJob", JOB_RESOURCE_TYPE, ENTITIES_ARN),
            ],
            "NextToken": "page-2",
        },
        {"StackName": "Jobs"},
    )
    stubber.add_response(
        "list_stack_resources",
        {
            "StackResourceSummaries": [
                _summary("TicketsJob", JOB_RESOURCE_TYPE, CLASSIFICATION_ARN),
                # A job resource whose create failed never got a job ARN.
                _summary("BrokenJob", JOB_RESOURCE_TYPE, "2026/11/23/[$LATEST]abc"),
            ]
        },
        {"StackName": "Jobs", "NextToken": "page-2"},
    )

    # WHEN
    jobs = find_jobs(client, "Jobs")

    # THEN each job once, found first as a resource, with its type from the ARN
    assert [(j.source, j.job_type, j.arn) for j in jobs] == [
        ("InvoicesJob", ENTITIES_DETECTION, ENTITIES_ARN),
        ("TicketsJob", DOCUMENT_CLASSIFICATION, CLASSIFICATION_ARN),
    ]
    assert jobs[0].job_id == "0123456789abcdef0123"
    assert jobs[0].region == "us-east-1"


def test_outputs_holding_job_arns_are_found(emulator: Emulator) -> None:
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")
    emulator.deploy_stack("Jobs", {"EntitiesJobArn": arn, "Other": "not-an-arn"})

    jobs = find_jobs(emulator.cloudformation, "Jobs")

    assert [(j.source, j.arn) for j in jobs] == [("EntitiesJobArn", arn)]


def test_missing_stack_names_stack_and_region(emulator: Emulator) -> None:
    with pytest.raises(StackNotFound, match=r"^stack Nope not found in us-east-1; check"):
        find_jobs(emulator.cloudformation, "Nope")


def test_stack_without_jobs(emulator: Emulator) -> None:
    emulator.deploy_stack("Empty", {})

    with pytest.raises(NoJobs, match=r"^stack Empty has no Comprehend jobs"):
        find_jobs(emulator.cloudformation, "Empty")


def test_resource_type_is_the_one_the_handler_serves() -> None:
    # The command finds jobs by the type the handler serves: one definition, in the
    # handler's job-type table, which the command imports without aws_cdk.
    from comprehend_jobs._lambda.job_types import RESOURCE_TYPE

    assert JOB_RESOURCE_TYPE is RESOURCE_TYPE
