"""comprehend-jobs: AWS CDK constructs that provision and start Amazon Comprehend
asynchronous analysis jobs (custom entity recognition, custom classification and the
other asynchronous job types)."""

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
from comprehend_jobs.validation import PropValidationError

__all__ = [
    "JOB_TYPES",
    "AnalysisJob",
    "DocumentClassificationJob",
    "DocumentFeatureType",
    "DocumentReadAction",
    "DocumentReadMode",
    "DocumentReader",
    "DominantLanguageDetectionJob",
    "EntityRecognitionJob",
    "EventsDetectionJob",
    "InputFormat",
    "JobType",
    "KeyPhrasesDetectionJob",
    "PiiEntitiesDetectionJob",
    "PiiMode",
    "PiiRedaction",
    "PropValidationError",
    "SentimentDetectionJob",
    "TargetedSentimentDetectionJob",
    "TopicsDetectionJob",
]
