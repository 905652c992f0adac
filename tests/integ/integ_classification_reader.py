"""The classification flow with a document reader on the sample tickets (one document
per file): the job COMPLETES, writes its output, and the deletion path leaves nothing
running (classification jobs have no Stop: a finished job is the only safe one to delete).

Run by ``make integ`` (needs ``COMPREHEND_JOBS_CLASSIFIER_ARN``); ``make test`` checks the
committed snapshot only.
"""

from __future__ import annotations

import support
from aws_cdk import App, Stack
from aws_cdk.integ_tests_alpha import IntegTest

from comprehend_jobs import (
    ComprehendAnalysis,
    DocumentReadAction,
    DocumentReader,
    DocumentReadMode,
    InputFormat,
)

app = App()
stack = Stack(app, "IntegClassificationReader")
support.env_agnostic(stack)

analysis = ComprehendAnalysis(
    stack,
    "Tickets",
    classifier_arn=support.model_arn(support.CLASSIFIER_VARIABLE, support.CLASSIFIER_PLACEHOLDER),
    input_format=InputFormat.ONE_DOC_PER_FILE,
    document_reader=DocumentReader(
        read_action=DocumentReadAction.TEXTRACT_DETECT_DOCUMENT_TEXT,
        read_mode=DocumentReadMode.SERVICE_DEFAULT,
    ),
    input_documents=support.CLASSIFICATION_SAMPLES,
    tags={"purpose": "integ-test"},
)

integ = IntegTest(app, "ClassificationReader", test_cases=[stack], stack_update_workflow=False)
support.assert_job_lifecycle(integ, analysis.job)

app.synth()
