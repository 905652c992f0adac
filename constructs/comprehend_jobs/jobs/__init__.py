"""Analysis jobs: one construct per Comprehend job type, started by a custom resource.

- ``base``: ``AnalysisJob``, the one base every job construct reaches through
  ``super().__init__`` (the request, the caller's IAM, the custom resource), and
  ``JobProps``, the props every job takes.
- ``custom_model``: the jobs on a custom model, ``EntityRecognitionJob`` and
  ``DocumentClassificationJob`` (the console's two custom analyses).
- ``builtin``: the seven jobs on Comprehend's built-in models, with ``PiiMode`` and
  ``PiiRedaction``.

Which fields a type accepts, whether it has VPC and volume-key support and whether it can
be stopped all come from the job-type table (``comprehend_jobs.job_types``), which the
handler reads too. The props' rules are in ``comprehend_jobs._private.job_rules``.
"""

from comprehend_jobs.jobs.base import (
    CLOSED_JOB_TYPE_WARNING,
    MODEL_REGION_WARNING,
    AnalysisJob,
    JobProps,
)
from comprehend_jobs.jobs.builtin import (
    DominantLanguageDetectionJob,
    EventsDetectionJob,
    KeyPhrasesDetectionJob,
    PiiEntitiesDetectionJob,
    PiiMode,
    PiiRedaction,
    SentimentDetectionJob,
    TargetedSentimentDetectionJob,
    TopicsDetectionJob,
)
from comprehend_jobs.jobs.custom_model import DocumentClassificationJob, EntityRecognitionJob

__all__ = [
    "CLOSED_JOB_TYPE_WARNING",
    "MODEL_REGION_WARNING",
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
]
