"""A custom entity recognition job and everything it needs, in one line."""

from __future__ import annotations

from aws_cdk import CfnOutput, Stack

from comprehend_jobs import ComprehendAnalysis

RECOGNIZER_ARN = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets/version/v1"


def build(stack: Stack) -> None:
    """Keys, buckets, a VPC with no NAT gateway, the DataAccessRole and the job."""
    analysis = ComprehendAnalysis(stack, "Tickets", entity_recognizer_arn=RECOGNIZER_ARN)
    CfnOutput(stack, "JobArn", value=analysis.job.job_arn)
    CfnOutput(stack, "InputS3Uri", value=analysis.storage.input_s3_uri)
