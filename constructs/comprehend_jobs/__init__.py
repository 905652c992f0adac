"""comprehend-jobs: AWS CDK constructs that provision and start Amazon Comprehend
asynchronous analysis jobs (custom entity recognition, custom classification and the
other asynchronous job types)."""

from comprehend_jobs.job_types import JOB_TYPES, JobType
from comprehend_jobs.validation import PropValidationError

__all__ = [
    "JOB_TYPES",
    "JobType",
    "PropValidationError",
]
