"""The job-type table, re-exported from the handler's own copy.

The table lives beside the custom-resource handler (it ships in the Lambda asset, where
only the standard library is importable), and the wheel installs that folder as
``comprehend_jobs._lambda``; this module is its public name. The import is an ordinary
one, so a type checker sees the real table and ``JobType``.
"""

from comprehend_jobs._lambda.job_types import (
    ALL_LANGUAGES,
    DOCUMENT_CLASSIFICATION,
    DOMINANT_LANGUAGE_DETECTION,
    ENTITIES_DETECTION,
    EVENTS_DETECTION,
    JOB_NOT_FOUND_CODES,
    JOB_TYPES,
    KEY_PHRASES_DETECTION,
    PII_ENTITIES_DETECTION,
    RESOURCE_TYPE,
    SENTIMENT_DETECTION,
    TARGETED_SENTIMENT_DETECTION,
    TOPICS_DETECTION,
    JobType,
    job_type_for_arn,
)

__all__ = [
    "ALL_LANGUAGES",
    "DOCUMENT_CLASSIFICATION",
    "DOMINANT_LANGUAGE_DETECTION",
    "ENTITIES_DETECTION",
    "EVENTS_DETECTION",
    "JOB_NOT_FOUND_CODES",
    "JOB_TYPES",
    "KEY_PHRASES_DETECTION",
    "PII_ENTITIES_DETECTION",
    "RESOURCE_TYPE",
    "SENTIMENT_DETECTION",
    "TARGETED_SENTIMENT_DETECTION",
    "TOPICS_DETECTION",
    "JobType",
    "job_type_for_arn",
]
