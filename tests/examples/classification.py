"""A custom classification job over PDFs and scans, read with Textract."""

from __future__ import annotations

from pathlib import Path

from aws_cdk import CfnOutput, Stack

from comprehend_jobs import (
    ComprehendAnalysis,
    DocumentFeatureType,
    DocumentReadAction,
    DocumentReader,
    InputFormat,
)

CLASSIFIER_ARN = "arn:aws:comprehend:us-east-1:111122223333:document-classifier/invoices/version/v2"
#: The documents to classify: uploaded to the new input bucket before the job starts.
DOCUMENTS = str(Path(__file__).resolve().parents[2] / "samples" / "classification")


def build(stack: Stack) -> None:
    """One document per file; Textract reads tables and forms (the role may call it)."""
    analysis = ComprehendAnalysis(
        stack,
        "Invoices",
        classifier_arn=CLASSIFIER_ARN,
        input_documents=DOCUMENTS,
        input_format=InputFormat.ONE_DOC_PER_FILE,
        document_reader=DocumentReader(
            read_action=DocumentReadAction.TEXTRACT_ANALYZE_DOCUMENT,
            feature_types=[DocumentFeatureType.TABLES, DocumentFeatureType.FORMS],
        ),
        job_name="invoices-monthly",
        tags={"team": "finance"},
    )
    CfnOutput(stack, "JobArn", value=analysis.job.job_arn)
    CfnOutput(stack, "OutputS3Uri", value=analysis.storage.output_s3_uri)
