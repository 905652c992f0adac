"""What every integration test shares: the model ARNs, the sample folders, and the
assertions each test makes through the deployed APIs.

The tests are apps run by ``@aws-cdk/integ-runner --language python`` (``make integ``
deploys them; ``make test`` only compares their synthesized templates with the committed
``*.snapshot`` folders). A real run reads the trained models from the environment:

- ``COMPREHEND_JOBS_RECOGNIZER_ARN``: a trained custom entity recognizer (or a version).
- ``COMPREHEND_JOBS_CLASSIFIER_ARN``: a trained custom document classifier.

integ-runner synthesizes snapshots with a dummy environment of its own
(``CDK_INTEG_ACCOUNT``); those syntheses always use the placeholders below, so neither a
snapshot check with the variables set nor a real run writes a caller's ARNs into the
committed snapshots.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

from aws_cdk import Annotations, CfnElement, Duration, Stack
from aws_cdk.integ_tests_alpha import ExpectedResult, IApiCall, IntegTest, Match

from comprehend_jobs import JobHandler
from comprehend_jobs.jobs import AnalysisJob

RECOGNIZER_VARIABLE = "COMPREHEND_JOBS_RECOGNIZER_ARN"
CLASSIFIER_VARIABLE = "COMPREHEND_JOBS_CLASSIFIER_ARN"
#: In the committed snapshots instead of a caller's models (never deployable).
RECOGNIZER_PLACEHOLDER = (
    "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/integ-placeholder"
)
CLASSIFIER_PLACEHOLDER = (
    "arn:aws:comprehend:us-east-1:111122223333:document-classifier/integ-placeholder"
)
#: The variable integ-runner sets only when it synthesizes a snapshot.
SNAPSHOT_SYNTH_VARIABLE = "CDK_INTEG_ACCOUNT"

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
ENTITY_SAMPLES = str(SAMPLES / "entity-recognition")
CLASSIFICATION_SAMPLES = str(SAMPLES / "classification")

#: A custom job on a few small documents takes 5-15 minutes, most of it provisioning;
#: the assertion custom resource must answer CloudFormation within its one hour.
JOB_TIMEOUT = Duration.minutes(45)
POLL_INTERVAL = Duration.minutes(1)
#: Statuses of a job that runs no more (Stop moves a running job to STOP_REQUESTED).
NOT_RUNNING = r"^(COMPLETED|FAILED|STOP_REQUESTED|STOPPED)$"


def model_arn(variable: str, placeholder: str) -> str:
    """The model ARN of ``variable``, or ``placeholder`` in a snapshot synthesis or when
    the variable is unset (``make integ`` refuses to deploy then)."""
    if SNAPSHOT_SYNTH_VARIABLE in os.environ:
        return placeholder
    return os.environ.get(variable) or placeholder


def env_agnostic(stack: Stack) -> None:
    """The test stacks deploy to the caller's Region, which the model's Region must be
    (``make integ`` checks it before deploying): the synth warning is expected here."""
    Annotations.of(stack).acknowledge_warning(
        "comprehend-jobs:model-region",
        "integ tests deploy to the caller's Region; make integ checks the models are there",
    )


def describe(integ: IntegTest, job: AnalysisJob) -> IApiCall:
    """A ``Describe<Type>Job`` call for ``job``."""
    operation = job.job_type.describe_operation
    return integ.assertions.aws_api_call(
        "Comprehend", operation[0].lower() + operation[1:], {"JobId": job.job_id}
    )


def assert_completed(
    integ: IntegTest, job: AnalysisJob, *, extra: dict[str, object] | None = None
) -> IApiCall:
    """Poll Describe until the job is COMPLETED (a FAILED job fails the test at timeout)."""
    call = describe(integ, job)
    call.expect(
        ExpectedResult.object_like(
            {job.job_type.properties_key: {"JobStatus": "COMPLETED", **(extra or {})}}
        )
    )
    call.wait_for_assertions(total_timeout=JOB_TIMEOUT, interval=POLL_INTERVAL)
    return call


def assert_output_written(integ: IntegTest, job: AnalysisJob) -> IApiCall:
    """ListObjectsV2 under the job's output prefix finds its ``output.tar.gz``."""
    storage = job.storage
    call = integ.assertions.aws_api_call(
        "S3",
        "listObjectsV2",
        {"Bucket": storage.output_bucket.bucket_name, "Prefix": storage.output_prefix},
    )
    # The SDK call is s3:ListObjectsV2, the IAM action s3:ListBucket.
    call.provider.add_to_role_policy(
        {"Effect": "Allow", "Action": ["s3:ListBucket"], "Resource": ["*"]}
    )
    call.expect(
        ExpectedResult.object_like(
            {
                "Contents": Match.array_with(
                    [
                        Match.object_like(
                            {"Key": Match.string_like_regexp(r"/output/output\.tar\.gz$")}
                        )
                    ]
                )
            }
        )
    )
    return call


def delete_through_handler(integ: IntegTest, job: AnalysisJob) -> IApiCall:
    """Send the library's handler the Delete event CloudFormation sends when the stack
    (or the job resource) is deleted: the deletion path, run while the stack still
    exists so that its effect can be asserted."""
    stack = Stack.of(job)
    event = {
        "RequestType": "Delete",
        "RequestId": "integ-delete",
        "StackId": stack.stack_id,
        "LogicalResourceId": stack.get_logical_id(
            cast(CfnElement, job.resource.node.default_child)
        ),
        "ResourceType": "Custom::ComprehendAnalysisJob",
        "PhysicalResourceId": job.job_arn,
        "ResourceProperties": {"JobType": job.job_type.stem, "StopOnDelete": "true"},
    }
    return integ.assertions.invoke_function(
        function_name=JobHandler.of(stack).on_event_function.function_name,
        payload=stack.to_json_string(event),
    )


def assert_not_running(integ: IntegTest, job: AnalysisJob) -> IApiCall:
    """After the deletion path, Describe shows a job that runs no more."""
    call = describe(integ, job)
    call.expect(
        ExpectedResult.object_like(
            {job.job_type.properties_key: {"JobStatus": Match.string_like_regexp(NOT_RUNNING)}}
        )
    )
    call.wait_for_assertions(total_timeout=Duration.minutes(10), interval=POLL_INTERVAL)
    return call


def assert_job_lifecycle(
    integ: IntegTest, job: AnalysisJob, *, extra: dict[str, object] | None = None
) -> IApiCall:
    """COMPLETED, its output object written, and the deletion path leaves it not running,
    in that order."""
    completed = assert_completed(integ, job, extra=extra)
    completed.next(assert_output_written(integ, job)).next(delete_through_handler(integ, job)).next(
        assert_not_running(integ, job)
    )
    return completed
