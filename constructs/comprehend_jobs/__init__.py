"""comprehend-jobs: AWS CDK constructs that provision and start Amazon Comprehend
asynchronous analysis jobs (custom entity recognition, custom classification and the
other asynchronous job types)."""

from comprehend_jobs.acknowledgments import ACKNOWLEDGMENT_KINDS, AcknowledgmentKind, acknowledge
from comprehend_jobs.data_access_role import DataAccessRole, ImportedDataAccessRole
from comprehend_jobs.encryption import JobEncryption, KeyReference
from comprehend_jobs.input_options import (
    DocumentFeatureType,
    DocumentReadAction,
    DocumentReader,
    DocumentReadMode,
    InputFormat,
)
from comprehend_jobs.job_types import JOB_TYPES, JobType
from comprehend_jobs.jobs import (
    AnalysisJob,
    DocumentClassificationJob,
    DominantLanguageDetectionJob,
    EntityRecognitionJob,
    EventsDetectionJob,
    KeyPhrasesDetectionJob,
    PiiEntitiesDetectionJob,
    PiiMode,
    PiiRedaction,
    SentimentDetectionJob,
    TargetedSentimentDetectionJob,
    TopicsDetectionJob,
)
from comprehend_jobs.network import JobNetwork
from comprehend_jobs.pattern import ComprehendAnalysis
from comprehend_jobs.storage import JobStorage
from comprehend_jobs.validation import PropValidationError

__all__ = [
    "ACKNOWLEDGMENT_KINDS",
    "JOB_TYPES",
    "AcknowledgmentKind",
    "AnalysisJob",
    "ComprehendAnalysis",
    "DataAccessRole",
    "DocumentClassificationJob",
    "DocumentFeatureType",
    "DocumentReadAction",
    "DocumentReadMode",
    "DocumentReader",
    "DominantLanguageDetectionJob",
    "EntityRecognitionJob",
    "EventsDetectionJob",
    "ImportedDataAccessRole",
    "InputFormat",
    "JobEncryption",
    "JobNetwork",
    "JobStorage",
    "JobType",
    "KeyPhrasesDetectionJob",
    "KeyReference",
    "PiiEntitiesDetectionJob",
    "PiiMode",
    "PiiRedaction",
    "PropValidationError",
    "SentimentDetectionJob",
    "TargetedSentimentDetectionJob",
    "TopicsDetectionJob",
    "acknowledge",
]
