"""The jobs on a custom model: custom entity recognition and custom classification.

The console's two custom analyses. Each takes exactly one model source (the model, or a
flywheel's active model version) and may read PDF, Word and image documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from constructs import Construct

from comprehend_jobs._private import checked_job, job_rules
from comprehend_jobs._private.checked_job import CheckedJobProps
from comprehend_jobs._private.job_docs import documents_job_props
from comprehend_jobs._private.validation import Problems, construct_label
from comprehend_jobs.input_options import DocumentReader
from comprehend_jobs.job_types import DOCUMENT_CLASSIFICATION, ENTITIES_DETECTION
from comprehend_jobs.jobs.base import AnalysisJob, JobProps

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "DocumentClassificationJob",
    "EntityRecognitionJob",
]


class _CustomModelJob(AnalysisJob):
    """A job on a custom model: exactly one of the props in ``MODEL_PROPS`` is given."""

    #: Model-source prop -> the API field it fills, in the order problems name them.
    MODEL_PROPS: ClassVar[dict[str, str]]

    def _check(
        self,
        scope: Construct,
        id: str,
        models: Mapping[str, str | None],
        *,
        language_code: str | None = None,
        document_reader: DocumentReader | None = None,
        **props: Unpack[JobProps],
    ) -> CheckedJobProps:
        """The job's props through every rule: the model source first, then the rest."""
        problems = Problems(lambda: construct_label(type(self).__name__, scope, id))
        source = job_rules.check_model_source(
            problems, {prop: (self.MODEL_PROPS[prop], arn) for prop, arn in models.items()}
        )
        return job_rules.check_job(
            problems,
            job_type=self.job_type,
            scope=scope,
            model_source=source,
            language_code=language_code,
            document_reader=document_reader,
            **props,
        )


@documents_job_props
class EntityRecognitionJob(_CustomModelJob):
    """A custom entity recognition job (the console's "Custom entity recognition" analysis).

    Give exactly one model source: ``recognizer_arn`` or ``flywheel_arn``.

    :param recognizer_arn: the entity recognizer, optionally with ``/version/V``.
        Default: None (give this or ``flywheel_arn``).
    :param flywheel_arn: a flywheel; the job uses its active model version. Default: None
        (give this or ``recognizer_arn``).
    :param language_code: the documents' language. Comprehend uses the language the
        recognizer was trained on, but the API requires one. Default: ``"en"``.
    :param document_reader: how PDF, Word and image input is read (Textract options).
        Default: None (the service's defaults).
    """

    job_type = ENTITIES_DETECTION
    MODEL_PROPS = {"recognizer_arn": "EntityRecognizerArn", "flywheel_arn": "FlywheelArn"}

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        recognizer_arn: str | None = None,
        flywheel_arn: str | None = None,
        language_code: str = "en",
        document_reader: DocumentReader | None = None,
        **props: Unpack[JobProps],
    ) -> None:
        # Check (unless a composing construct did), then build.
        checked = checked_job.take_handed_over(self.job_type) or self._check(
            scope,
            id,
            {"recognizer_arn": recognizer_arn, "flywheel_arn": flywheel_arn},
            language_code=language_code,
            document_reader=document_reader,
            **props,
        )
        with checked_job.hand_over(checked):
            super().__init__(scope, id, **props)


@documents_job_props
class DocumentClassificationJob(_CustomModelJob):
    """A custom classification job (the console's "Custom classification" analysis).

    Give exactly one model source: ``classifier_arn`` or ``flywheel_arn``. Classification
    jobs cannot be stopped (the API has no Stop operation), so ``stop_on_delete`` has no
    effect.

    :param classifier_arn: the document classifier, optionally with ``/version/V``.
        Default: None (give this or ``flywheel_arn``).
    :param flywheel_arn: a flywheel; the job uses its active model version. Default: None
        (give this or ``classifier_arn``).
    :param document_reader: how PDF, Word and image input is read (Textract options).
        Default: None (the service's defaults).
    """

    job_type = DOCUMENT_CLASSIFICATION
    MODEL_PROPS = {"classifier_arn": "DocumentClassifierArn", "flywheel_arn": "FlywheelArn"}

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        classifier_arn: str | None = None,
        flywheel_arn: str | None = None,
        document_reader: DocumentReader | None = None,
        **props: Unpack[JobProps],
    ) -> None:
        # Check (unless a composing construct did), then build.
        checked = checked_job.take_handed_over(self.job_type) or self._check(
            scope,
            id,
            {"classifier_arn": classifier_arn, "flywheel_arn": flywheel_arn},
            document_reader=document_reader,
            **props,
        )
        with checked_job.hand_over(checked):
            super().__init__(scope, id, **props)
