"""The jobs on Comprehend's built-in models: language, key phrases, sentiment, targeted
sentiment, PII, topics and events. Each adds only its type's own props to ``JobProps``.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum, StrEnum
from typing import TYPE_CHECKING, Any

from constructs import Construct

from comprehend_jobs._private import api_model, checked_job, job_limits, job_rules
from comprehend_jobs._private.job_docs import documents_job_props
from comprehend_jobs._private.validation import Problems, construct_label
from comprehend_jobs.job_types import (
    DOMINANT_LANGUAGE_DETECTION,
    EVENTS_DETECTION,
    KEY_PHRASES_DETECTION,
    PII_ENTITIES_DETECTION,
    SENTIMENT_DETECTION,
    TARGETED_SENTIMENT_DETECTION,
    TOPICS_DETECTION,
)
from comprehend_jobs.jobs.base import AnalysisJob, JobProps

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "DominantLanguageDetectionJob",
    "EventsDetectionJob",
    "KeyPhrasesDetectionJob",
    "PiiEntitiesDetectionJob",
    "PiiMode",
    "PiiRedaction",
    "SentimentDetectionJob",
    "TargetedSentimentDetectionJob",
    "TopicsDetectionJob",
]


@documents_job_props
class DominantLanguageDetectionJob(AnalysisJob):
    """Detects the dominant language of each document (no language to give)."""

    job_type = DOMINANT_LANGUAGE_DETECTION


class _LanguageJob(AnalysisJob):
    """A built-in analysis that takes only a language code beyond the common props."""

    def __init__(
        self, scope: Construct, id: str, *, language_code: str = "en", **props: Unpack[JobProps]
    ) -> None:
        # Check (unless a composing construct did), then build.
        checked = checked_job.take_handed_over(self.job_type) or job_rules.check_job(
            Problems(lambda: construct_label(type(self).__name__, scope, id)),
            job_type=self.job_type,
            scope=scope,
            language_code=language_code,
            **props,
        )
        with checked_job.hand_over(checked):
            super().__init__(scope, id, **props)


@documents_job_props
class KeyPhrasesDetectionJob(_LanguageJob):
    """Extracts key phrases from each document.

    :param language_code: the documents' language, one key phrase detection supports.
        Default: ``"en"``.
    """

    job_type = KEY_PHRASES_DETECTION


@documents_job_props
class SentimentDetectionJob(_LanguageJob):
    """Detects the overall sentiment of each document.

    :param language_code: the documents' language, one sentiment detection supports.
        Default: ``"en"``.
    """

    job_type = SENTIMENT_DETECTION


@documents_job_props
class TargetedSentimentDetectionJob(_LanguageJob):
    """Detects the sentiment towards each entity in each document.

    :param language_code: the documents' language (targeted sentiment supports English
        only). Default: ``"en"``.
    """

    job_type = TARGETED_SENTIMENT_DETECTION


class PiiMode(StrEnum):
    """What a PII job produces."""

    #: A JSON file of PII entity offsets per document.
    ONLY_OFFSETS = "ONLY_OFFSETS"
    #: A copy of each document with the PII redacted; needs ``redaction``.
    ONLY_REDACTION = "ONLY_REDACTION"


#: The collections ``entity_types`` may be (a str is one, but a wrong one).
_LISTS = (list, tuple, set, frozenset)


class PiiRedaction:
    """How a PII job redacts (``RedactionConfig``).

    :param entity_types: the PII entity types to redact (e.g. ``["NAME", "SSN"]``, or
        ``["ALL"]``). Default: None (all types).
    :param mask_mode: ``MASK`` (replace each character with ``mask_character``) or
        ``REPLACE_WITH_PII_ENTITY_TYPE``. Default: None (the service's ``MASK``).
    :param mask_character: one of ``!@#$%&*``. Default: None (the service's ``*``).
    """

    def __init__(
        self,
        *,
        entity_types: Sequence[str] | None = None,
        mask_mode: str | None = None,
        mask_character: str | None = None,
    ) -> None:
        self.entity_types = entity_types
        self.mask_mode = mask_mode
        self.mask_character = mask_character

    def check(self, problems: Problems) -> None:
        """Record every problem with this configuration."""
        allowed_types = api_model.enum_values("PiiEntityType")
        if isinstance(self.entity_types, str):
            # A string would be checked letter by letter: one problem, with the list meant.
            meant = [t.strip() for t in self.entity_types.split(",") if t.strip()]
            problems.add(
                "redaction.entity_types",
                self.entity_types,
                "a list of PII entity types, not a string",
                f"use entity_types={meant!r}",
            )
        elif self.entity_types is not None and not isinstance(self.entity_types, _LISTS):
            problems.add(
                "redaction.entity_types",
                self.entity_types,
                "a list of PII entity types, or None (all of them)",
                "pass e.g. entity_types=['SSN']",
            )
        listed = self.entity_types if isinstance(self.entity_types, _LISTS) else []
        for entity_type in listed:
            if entity_type not in allowed_types:
                problems.add(
                    "redaction.entity_types",
                    entity_type,
                    f"one of {', '.join(allowed_types)}",
                    "use the API's PII entity type names",
                )
        modes = api_model.enum_values("PiiEntitiesDetectionMaskMode")
        if self.mask_mode is not None and self.mask_mode not in modes:
            problems.add(
                "redaction.mask_mode",
                self.mask_mode,
                f"one of {', '.join(modes)}",
                "pick one of the allowed modes",
            )
        mask = self.mask_character
        shape = job_limits.mask_character_shape()
        if mask is not None and not (
            isinstance(mask, str) and api_model.matches_shape(shape, mask)
        ):
            problems.add(
                "redaction.mask_character",
                mask,
                f"exactly one of the characters {job_limits.class_characters(shape)}",
                "pick one of those characters",
            )

    def to_request(self) -> dict[str, Any]:
        """The ``RedactionConfig`` structure."""
        config: dict[str, Any] = {}
        if isinstance(self.entity_types, _LISTS):
            config["PiiEntityTypes"] = sorted(set(self.entity_types), key=str)
        if self.mask_mode is not None:
            config["MaskMode"] = self.mask_mode
        if self.mask_character is not None:
            config["MaskCharacter"] = self.mask_character
        return config


@documents_job_props
class PiiEntitiesDetectionJob(AnalysisJob):
    """Finds (or redacts) personally identifiable information. English or Spanish.

    PII jobs accept neither a VPC nor a volume key (the API has neither field): ``network``
    is an error, and the volume key of ``encryption`` is not used.

    :param mode: ``ONLY_OFFSETS`` or ``ONLY_REDACTION``. Default: ``PiiMode.ONLY_OFFSETS``.
    :param redaction: how to redact: required with ``ONLY_REDACTION``, not allowed
        otherwise. Default: None.
    :param language_code: ``"en"`` or ``"es"``. Default: ``"en"``.
    """

    job_type = PII_ENTITIES_DETECTION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        mode: PiiMode | str = PiiMode.ONLY_OFFSETS,
        redaction: PiiRedaction | None = None,
        language_code: str = "en",
        **props: Unpack[JobProps],
    ) -> None:
        # Check (unless a composing construct did), then build.
        checked = checked_job.take_handed_over(self.job_type)
        if checked is None:
            problems = Problems(lambda: construct_label(type(self).__name__, scope, id))
            mode_value = mode.value if isinstance(mode, Enum) else mode
            job_rules.check_pii_mode(
                problems,
                mode_value,
                [m.value for m in PiiMode],
                has_redaction=redaction is not None,
            )
            fields: dict[str, Any] = {"Mode": mode_value}
            if redaction is not None and not isinstance(redaction, PiiRedaction):
                problems.add(
                    "redaction",
                    redaction,
                    "a PiiRedaction",
                    "pass redaction=PiiRedaction(entity_types=[...])",
                )
            elif redaction is not None:
                redaction.check(problems)
                fields["RedactionConfig"] = redaction.to_request()
            checked = job_rules.check_job(
                problems,
                job_type=self.job_type,
                scope=scope,
                language_code=language_code,
                type_fields=fields,
                **props,
            )
        with checked_job.hand_over(checked):
            super().__init__(scope, id, **props)


@documents_job_props
class TopicsDetectionJob(AnalysisJob):
    """Topic modeling over the documents.

    Closed to new customers since 30 April 2026: only accounts that used topic modeling in
    the previous 12 months can start these jobs (a synth warning
    ``comprehend-jobs:closed-job-type`` says so). Topics jobs cannot be stopped.

    :param number_of_topics: how many topics to find, 1-100 (the API's
        ``NumberOfTopics``). Default: None (the service's 10).
    """

    job_type = TOPICS_DETECTION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        number_of_topics: int | None = None,
        **props: Unpack[JobProps],
    ) -> None:
        # Check (unless a composing construct did), then build.
        checked = checked_job.take_handed_over(self.job_type)
        if checked is None:
            problems = Problems(lambda: construct_label(type(self).__name__, scope, id))
            job_rules.check_number_of_topics(problems, number_of_topics)
            checked = job_rules.check_job(
                problems,
                job_type=self.job_type,
                scope=scope,
                type_fields={}
                if number_of_topics is None
                else {"NumberOfTopics": number_of_topics},
                **props,
            )
        with checked_job.hand_over(checked):
            super().__init__(scope, id, **props)


@documents_job_props
class EventsDetectionJob(AnalysisJob):
    """Detects events of the given types (English).

    Closed to new customers since 30 April 2026: only accounts that used event detection in
    the previous 12 months can start these jobs (a synth warning
    ``comprehend-jobs:closed-job-type`` says so). Events jobs accept neither a VPC nor a
    volume key.

    :param target_event_types: the event types to detect, e.g.
        ``["BANKRUPTCY", "EMPLOYMENT"]`` (the API's ``[A-Z_]*`` names, 1-40 characters).
        Required.
    :param language_code: the documents' language. Default: ``"en"``.
    """

    job_type = EVENTS_DETECTION

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        target_event_types: Sequence[str],
        language_code: str = "en",
        **props: Unpack[JobProps],
    ) -> None:
        # Check (unless a composing construct did), then build.
        checked = checked_job.take_handed_over(self.job_type)
        if checked is None:
            problems = Problems(lambda: construct_label(type(self).__name__, scope, id))
            job_rules.check_target_event_types(problems, target_event_types)
            checked = job_rules.check_job(
                problems,
                job_type=self.job_type,
                scope=scope,
                language_code=language_code,
                # Only a list is sent (anything else is a problem already recorded).
                type_fields={
                    "TargetEventTypes": sorted(set(target_event_types), key=str)
                    if isinstance(target_event_types, _LISTS)
                    else []
                },
                **props,
            )
        with checked_job.hand_over(checked):
            super().__init__(scope, id, **props)
