"""The entity-recognition one-liner on the sample tickets: the job COMPLETES and writes
its output; the deletion path leaves no running job, and stops one that still runs.

Run by ``make integ`` (needs ``COMPREHEND_JOBS_RECOGNIZER_ARN``); ``make test`` checks the
committed snapshot only.
"""

from __future__ import annotations

import support
from aws_cdk import App, Stack
from aws_cdk.integ_tests_alpha import IntegTest

from comprehend_jobs import ComprehendAnalysis, EntityRecognitionJob

app = App()
stack = Stack(app, "IntegEntitiesOneLine")
support.env_agnostic(stack)
recognizer_arn = support.model_arn(support.RECOGNIZER_VARIABLE, support.RECOGNIZER_PLACEHOLDER)

# The README's one line, with the samples uploaded before the job starts.
analysis = ComprehendAnalysis(
    stack,
    "Tickets",
    recognizer_arn=recognizer_arn,
    input_documents=support.ENTITY_SAMPLES,
)
# A second job on the same documents, deleted (through the handler, as CloudFormation
# would) while it is still queued or running: Delete must stop it.
running = EntityRecognitionJob(
    stack,
    "StoppedOnDelete",
    recognizer_arn=recognizer_arn,
    storage=analysis.storage,
    role=analysis.role,
    encryption=analysis.encryption,
    network=analysis.network,
)
running.node.add_dependency(analysis)

integ = IntegTest(
    app,
    "EntitiesOneLine",
    test_cases=[stack],
    # The committed snapshot holds placeholder models: deploying it first cannot work.
    stack_update_workflow=False,
)
support.delete_through_handler(integ, running).next(support.assert_not_running(integ, running))
support.assert_job_lifecycle(integ, analysis.job)

app.synth()
