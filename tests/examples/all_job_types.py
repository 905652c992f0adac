"""All nine job types in one stack, sharing keys, buckets, the VPC and one role.

Each extra job adds one resource to the template; the stack's one handler serves them
all, and its policy grants each job type only its own Start, Describe and Stop actions.
Topic modeling and event detection are closed to new customers since 30 April 2026, so
their two jobs are started only when the context says the account may still use them
(``cdk synth -c closed_job_types=true``, or ``"closed_job_types": true`` in cdk.json).
"""

from __future__ import annotations

from pathlib import Path

from aws_cdk import Annotations, Stack

from comprehend_jobs import (
    DataAccessRole,
    DocumentClassificationJob,
    DominantLanguageDetectionJob,
    EntityRecognitionJob,
    EventsDetectionJob,
    JobEncryption,
    JobNetwork,
    JobProps,
    JobStorage,
    KeyPhrasesDetectionJob,
    PiiEntitiesDetectionJob,
    PiiMode,
    PiiRedaction,
    SentimentDetectionJob,
    TargetedSentimentDetectionJob,
    TopicsDetectionJob,
)

ACCOUNT_MODELS = "arn:aws:comprehend:us-east-1:111122223333"
#: The documents every job reads: uploaded to the new input bucket before the jobs start.
DOCUMENTS = str(Path(__file__).resolve().parent / "documents")


def build(stack: Stack) -> None:
    """Nine jobs over the same documents (seven unless the account may still start topics
    and events jobs); PII and events jobs run outside the VPC (their APIs take no VPC
    settings)."""
    encryption = JobEncryption(stack, "Keys")
    # The documents are uploaded into the new input bucket before the jobs start.
    storage = JobStorage(stack, "Storage", encryption=encryption, input_documents=DOCUMENTS)
    network = JobNetwork(stack, "Network")
    role = DataAccessRole(
        stack, "DataAccessRole", storage=storage, encryption=encryption, network=network
    )
    shared: JobProps = {"storage": storage, "role": role, "encryption": encryption}
    in_vpc: JobProps = {**shared, "network": network}

    EntityRecognitionJob(
        stack,
        "Entities",
        recognizer_arn=f"{ACCOUNT_MODELS}:entity-recognizer/products/version/v1",
        **in_vpc,
    )
    DocumentClassificationJob(
        stack,
        "Classification",
        classifier_arn=f"{ACCOUNT_MODELS}:document-classifier/topics/version/v1",
        **in_vpc,
    )
    DominantLanguageDetectionJob(stack, "Language", **in_vpc)
    KeyPhrasesDetectionJob(stack, "KeyPhrases", **in_vpc)
    SentimentDetectionJob(stack, "Sentiment", language_code="es", **in_vpc)
    TargetedSentimentDetectionJob(stack, "TargetedSentiment", **in_vpc)
    PiiEntitiesDetectionJob(
        stack,
        "Pii",
        mode=PiiMode.ONLY_REDACTION,
        redaction=PiiRedaction(
            entity_types=["NAME", "SSN"], mask_mode="REPLACE_WITH_PII_ENTITY_TYPE"
        ),
        **shared,
    )
    # Closed to new customers since 30 April 2026: only accounts that used them in the
    # previous 12 months can start these two (-c closed_job_types=true says this one can).
    if stack.node.try_get_context("closed_job_types") in (True, "true"):
        Annotations.of(stack).acknowledge_warning(
            "comprehend-jobs:closed-job-type", "closed_job_types: this account may start them"
        )
        TopicsDetectionJob(stack, "Topics", number_of_topics=20, **in_vpc)
        EventsDetectionJob(
            stack, "Events", target_event_types=["BANKRUPTCY", "EMPLOYMENT"], **shared
        )
