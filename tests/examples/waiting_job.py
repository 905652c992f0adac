"""Upload documents and run a job the deployment waits for: the stack is complete when
the results are."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import CfnOutput, Stack

from comprehend_jobs import ComprehendAnalysis

RECOGNIZER_ARN = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/contracts"
#: A local folder whose files are copied to the input prefix before the job starts.
DOCUMENTS = str(Path(__file__).resolve().parent / "documents")


def build(stack: Stack) -> None:
    """``input_documents`` uploads the folder first; ``wait_for_completion`` polls the job
    (up to an hour) and fails the deployment when the job fails; the results' exact
    location becomes an output."""
    analysis = ComprehendAnalysis(
        stack,
        "Contracts",
        recognizer_arn=RECOGNIZER_ARN,
        input_documents=DOCUMENTS,
        wait_for_completion=True,
    )
    # Only a waiting job knows where its results are (Describe*Job, once it has ended).
    CfnOutput(stack, "ResultsS3Uri", value=analysis.job.output_s3_uri)
