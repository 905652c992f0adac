"""The job-type table, re-exported from the handler's own copy.

The table lives beside the custom-resource handler (it ships in the Lambda asset, where
only the standard library is importable) and the wheel installs that folder as
``comprehend_jobs._lambda``. Type checkers see the handler folder on their path
(``mypy_path``) and read the flat module; at run time the installed package is used.
"""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from job_types import (
        ALL_LANGUAGES,
        DOCUMENT_CLASSIFICATION,
        DOMINANT_LANGUAGE_DETECTION,
        ENTITIES_DETECTION,
        EVENTS_DETECTION,
        JOB_TYPES,
        KEY_PHRASES_DETECTION,
        PII_ENTITIES_DETECTION,
        SENTIMENT_DETECTION,
        TARGETED_SENTIMENT_DETECTION,
        TOPICS_DETECTION,
        JobType,
        job_type_for_arn,
    )
else:
    from comprehend_jobs._lambda.job_types import (
        ALL_LANGUAGES,
        DOCUMENT_CLASSIFICATION,
        DOMINANT_LANGUAGE_DETECTION,
        ENTITIES_DETECTION,
        EVENTS_DETECTION,
        JOB_TYPES,
        KEY_PHRASES_DETECTION,
        PII_ENTITIES_DETECTION,
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
    "JOB_TYPES",
    "KEY_PHRASES_DETECTION",
    "PII_ENTITIES_DETECTION",
    "SENTIMENT_DETECTION",
    "TARGETED_SENTIMENT_DETECTION",
    "TOPICS_DETECTION",
    "JobType",
    "job_type_for_arn",
]
