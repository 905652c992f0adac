"""comprehend-jobs: AWS CDK constructs that provision and start Amazon Comprehend
asynchronous analysis jobs (custom entity recognition, custom classification and the
other asynchronous job types).

Exports load lazily: ``import comprehend_jobs.cli`` (the ``comprehend-jobs`` command) must not
import aws_cdk, which starts a Node.js process. ``_EXPORTS`` is the one runtime list of the
package's names, by the public module that defines each; type checkers read the same names
from the imports below (``tests/test_layout.py`` keeps the two equal).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from comprehend_jobs.data_access_role import DataAccessRole as DataAccessRole
    from comprehend_jobs.encryption import JobEncryption as JobEncryption
    from comprehend_jobs.encryption import KeyReference as KeyReference
    from comprehend_jobs.errors import PropValidationError as PropValidationError
    from comprehend_jobs.input_options import DocumentFeatureType as DocumentFeatureType
    from comprehend_jobs.input_options import DocumentReadAction as DocumentReadAction
    from comprehend_jobs.input_options import DocumentReader as DocumentReader
    from comprehend_jobs.input_options import DocumentReadMode as DocumentReadMode
    from comprehend_jobs.input_options import InputFormat as InputFormat
    from comprehend_jobs.interfaces import IDataAccessRole as IDataAccessRole
    from comprehend_jobs.interfaces import IJobEncryption as IJobEncryption
    from comprehend_jobs.interfaces import IJobNetwork as IJobNetwork
    from comprehend_jobs.interfaces import IJobStorage as IJobStorage
    from comprehend_jobs.job_handler import JobHandler as JobHandler
    from comprehend_jobs.job_types import JOB_TYPES as JOB_TYPES
    from comprehend_jobs.job_types import JobType as JobType
    from comprehend_jobs.jobs import AnalysisJob as AnalysisJob
    from comprehend_jobs.jobs import DocumentClassificationJob as DocumentClassificationJob
    from comprehend_jobs.jobs import DominantLanguageDetectionJob as DominantLanguageDetectionJob
    from comprehend_jobs.jobs import EntityRecognitionJob as EntityRecognitionJob
    from comprehend_jobs.jobs import EventsDetectionJob as EventsDetectionJob
    from comprehend_jobs.jobs import JobProps as JobProps
    from comprehend_jobs.jobs import KeyPhrasesDetectionJob as KeyPhrasesDetectionJob
    from comprehend_jobs.jobs import PiiEntitiesDetectionJob as PiiEntitiesDetectionJob
    from comprehend_jobs.jobs import PiiMode as PiiMode
    from comprehend_jobs.jobs import PiiRedaction as PiiRedaction
    from comprehend_jobs.jobs import SentimentDetectionJob as SentimentDetectionJob
    from comprehend_jobs.jobs import (
        TargetedSentimentDetectionJob as TargetedSentimentDetectionJob,
    )
    from comprehend_jobs.jobs import TopicsDetectionJob as TopicsDetectionJob
    from comprehend_jobs.network import JobNetwork as JobNetwork
    from comprehend_jobs.pattern import ComprehendAnalysis as ComprehendAnalysis
    from comprehend_jobs.storage import JobStorage as JobStorage

#: The public module -> the names the package exports from it.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "comprehend_jobs.data_access_role": ("DataAccessRole",),
    "comprehend_jobs.encryption": ("JobEncryption", "KeyReference"),
    "comprehend_jobs.errors": ("PropValidationError",),
    "comprehend_jobs.input_options": (
        "DocumentFeatureType",
        "DocumentReadAction",
        "DocumentReader",
        "DocumentReadMode",
        "InputFormat",
    ),
    "comprehend_jobs.interfaces": (
        "IDataAccessRole",
        "IJobEncryption",
        "IJobNetwork",
        "IJobStorage",
    ),
    "comprehend_jobs.job_handler": ("JobHandler",),
    "comprehend_jobs.job_types": ("JOB_TYPES", "JobType"),
    "comprehend_jobs.jobs": (
        "AnalysisJob",
        "DocumentClassificationJob",
        "DominantLanguageDetectionJob",
        "EntityRecognitionJob",
        "EventsDetectionJob",
        "JobProps",
        "KeyPhrasesDetectionJob",
        "PiiEntitiesDetectionJob",
        "PiiMode",
        "PiiRedaction",
        "SentimentDetectionJob",
        "TargetedSentimentDetectionJob",
        "TopicsDetectionJob",
    ),
    "comprehend_jobs.network": ("JobNetwork",),
    "comprehend_jobs.pattern": ("ComprehendAnalysis",),
    "comprehend_jobs.storage": ("JobStorage",),
}
#: Public name -> the module that defines it.
_MODULE_OF: dict[str, str] = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = sorted(_MODULE_OF)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'comprehend_jobs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_MODULE_OF))
