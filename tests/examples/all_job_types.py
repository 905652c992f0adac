"""All nine job types in one stack, sharing keys, buckets, the VPC and one role.

Each extra job adds one resource to the template; the stack's one handler serves them
all, and its policy grants each job type only its own Start, Describe and Stop actions.
"""

from __future__ import annotations

from aws_cdk import Stack

from comprehend_jobs import (
    DataAccessRole,
    DocumentClassificationJob,
    DominantLanguageDetectionJob,
    EntityRecognitionJob,
    EventsDetectionJob,
    JobEncryption,
    JobNetwork,
    JobStorage,
    KeyPhrasesDetectionJob,
    PiiEntitiesDetectionJob,
    PiiMode,
    PiiRedaction,
    SentimentDetectionJob,
    TargetedSentimentDetectionJob,
    TopicsDetectionJob,
)
from comprehend_jobs.jobs import JobProps

ACCOUNT_MODELS = "arn:aws:comprehend:us-east-1:111122223333"


def build(stack: Stack) -> None:
    """Nine jobs over the same documents; PII and events jobs run outside the VPC (their
    APIs take no VPC settings)."""
    encryption = JobEncryption(stack, "Keys")
    storage = JobStorage(stack, "Storage", encryption=encryption)
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
    TopicsDetectionJob(stack, "Topics", number_of_topics=20, **in_vpc)
    PiiEntitiesDetectionJob(
        stack,
        "Pii",
        mode=PiiMode.ONLY_REDACTION,
        redaction=PiiRedaction(
            entity_types=["NAME", "SSN"], mask_mode="REPLACE_WITH_PII_ENTITY_TYPE"
        ),
        **shared,
    )
    EventsDetectionJob(stack, "Events", target_event_types=["BANKRUPTCY", "EMPLOYMENT"], **shared)
