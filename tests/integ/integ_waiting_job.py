"""A waiting job: the deployment itself waits until the job ends, so the assertions find
it COMPLETED at once, with the output location the stack reports (``OutputS3Uri``)
being the one Comprehend reports.

Run by ``make integ`` (needs ``COMPREHEND_JOBS_RECOGNIZER_ARN``); ``make test`` checks the
committed snapshot only.
"""

from __future__ import annotations

import support
from aws_cdk import App, CfnOutput, Stack
from aws_cdk.integ_tests_alpha import IntegTest

from comprehend_jobs import ComprehendAnalysis

app = App()
stack = Stack(app, "IntegWaitingJob")
support.env_agnostic(stack)

analysis = ComprehendAnalysis(
    stack,
    "Contracts",
    recognizer_arn=support.model_arn(support.RECOGNIZER_VARIABLE, support.RECOGNIZER_PLACEHOLDER),
    input_documents=support.ENTITY_SAMPLES,
    wait_for_completion=True,
)
assert analysis.job.output_s3_uri is not None
CfnOutput(stack, "ResultsS3Uri", value=analysis.job.output_s3_uri)

integ = IntegTest(app, "WaitingJob", test_cases=[stack], stack_update_workflow=False)
support.assert_job_lifecycle(
    integ,
    analysis.job,
    extra={"OutputDataConfig": {"S3Uri": analysis.job.output_s3_uri}},
)

app.synth()
