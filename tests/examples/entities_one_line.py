"""A custom entity recognition job and everything it needs, in one line."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import CfnOutput, Stack

from comprehend_jobs import ComprehendAnalysis

RECOGNIZER_ARN = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets/version/v1"
#: The documents to analyse: uploaded to the new input bucket before the job starts.
DOCUMENTS = str(Path(__file__).resolve().parents[2] / "samples" / "entity-recognition")


def build(stack: Stack) -> None:
    """Keys, buckets, a VPC with no NAT gateway, the DataAccessRole and the job."""
    analysis = ComprehendAnalysis(
        stack, "Tickets", recognizer_arn=RECOGNIZER_ARN, input_documents=DOCUMENTS
    )
    CfnOutput(stack, "JobArn", value=analysis.job.job_arn)
    CfnOutput(stack, "InputS3Uri", value=analysis.storage.input_s3_uri)
