"""comprehend-jobs: AWS CDK constructs that provision and start Amazon Comprehend
asynchronous analysis jobs (custom entity recognition, custom classification and the
other asynchronous job types).

Exports load lazily: ``import comprehend_jobs.cli`` (the ``comprehend-jobs`` command) must not
import aws_cdk, which starts a Node.js process.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from comprehend_jobs._private.provider import JobHandler
    from comprehend_jobs.data_access_role import DataAccessRole
    from comprehend_jobs.encryption import JobEncryption, KeyReference
    from comprehend_jobs.errors import PropValidationError
    from comprehend_jobs.input_options import (
        DocumentFeatureType,
        DocumentReadAction,
        DocumentReader,
        DocumentReadMode,
        InputFormat,
    )
    from comprehend_jobs.interfaces import (
        IDataAccessRole,
        IJobEncryption,
        IJobNetwork,
        IJobStorage,
    )
    from comprehend_jobs.job_types import JOB_TYPES, JobType
    from comprehend_jobs.jobs import (
        AnalysisJob,
        DocumentClassificationJob,
        DominantLanguageDetectionJob,
        EntityRecognitionJob,
        EventsDetectionJob,
        JobProps,
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

#: Public name -> the module that defines it.
_EXPORTS: dict[str, str] = {
    "AnalysisJob": "comprehend_jobs.jobs",
    "ComprehendAnalysis": "comprehend_jobs.pattern",
    "DataAccessRole": "comprehend_jobs.data_access_role",
    "DocumentClassificationJob": "comprehend_jobs.jobs",
    "DocumentFeatureType": "comprehend_jobs.input_options",
    "DocumentReadAction": "comprehend_jobs.input_options",
    "DocumentReadMode": "comprehend_jobs.input_options",
    "DocumentReader": "comprehend_jobs.input_options",
    "DominantLanguageDetectionJob": "comprehend_jobs.jobs",
    "EntityRecognitionJob": "comprehend_jobs.jobs",
    "EventsDetectionJob": "comprehend_jobs.jobs",
    "IDataAccessRole": "comprehend_jobs.interfaces",
    "IJobEncryption": "comprehend_jobs.interfaces",
    "IJobNetwork": "comprehend_jobs.interfaces",
    "IJobStorage": "comprehend_jobs.interfaces",
    "InputFormat": "comprehend_jobs.input_options",
    "JOB_TYPES": "comprehend_jobs.job_types",
    "JobEncryption": "comprehend_jobs.encryption",
    "JobHandler": "comprehend_jobs._private.provider",
    "JobNetwork": "comprehend_jobs.network",
    "JobStorage": "comprehend_jobs.storage",
    "JobProps": "comprehend_jobs.jobs",
    "JobType": "comprehend_jobs.job_types",
    "KeyPhrasesDetectionJob": "comprehend_jobs.jobs",
    "KeyReference": "comprehend_jobs.encryption",
    "PiiEntitiesDetectionJob": "comprehend_jobs.jobs",
    "PiiMode": "comprehend_jobs.jobs",
    "PiiRedaction": "comprehend_jobs.jobs",
    "PropValidationError": "comprehend_jobs.errors",
    "SentimentDetectionJob": "comprehend_jobs.jobs",
    "TargetedSentimentDetectionJob": "comprehend_jobs.jobs",
    "TopicsDetectionJob": "comprehend_jobs.jobs",
}

__all__ = [
    "JOB_TYPES",
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
    "IDataAccessRole",
    "IJobEncryption",
    "IJobNetwork",
    "IJobStorage",
    "InputFormat",
    "JobEncryption",
    "JobHandler",
    "JobNetwork",
    "JobProps",
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
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'comprehend_jobs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))
