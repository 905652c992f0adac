"""The console's "Input data" options: input format and the document reader (Textract).

Values are the API's own enum strings; the enums exist so an IDE can offer them, and every
prop also accepts the plain string.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum, StrEnum
from typing import Any

from comprehend_jobs._private.validation import Problems

__all__ = [
    "DocumentFeatureType",
    "DocumentReadAction",
    "DocumentReadMode",
    "DocumentReader",
    "InputFormat",
]


class InputFormat(StrEnum):
    """How Comprehend splits input files into documents (``InputDataConfig.InputFormat``)."""

    #: Each file is one document. Required for PDF, Word and image input.
    ONE_DOC_PER_FILE = "ONE_DOC_PER_FILE"
    #: Each line of each file is one document (plain text only).
    ONE_DOC_PER_LINE = "ONE_DOC_PER_LINE"


class DocumentReadAction(StrEnum):
    """Which Textract API reads image and scanned-PDF input."""

    TEXTRACT_DETECT_DOCUMENT_TEXT = "TEXTRACT_DETECT_DOCUMENT_TEXT"
    #: Needs ``feature_types`` (TABLES and/or FORMS).
    TEXTRACT_ANALYZE_DOCUMENT = "TEXTRACT_ANALYZE_DOCUMENT"


class DocumentReadMode(StrEnum):
    """Whether the read action applies to every document or only where Comprehend needs it."""

    #: Comprehend's own parser for digital PDF and Word; Textract for images and scans.
    SERVICE_DEFAULT = "SERVICE_DEFAULT"
    #: Use the read action for every document, digital PDFs included.
    FORCE_DOCUMENT_READ_ACTION = "FORCE_DOCUMENT_READ_ACTION"


class DocumentFeatureType(StrEnum):
    """What ``TEXTRACT_ANALYZE_DOCUMENT`` extracts besides text."""

    TABLES = "TABLES"
    FORMS = "FORMS"


def _enum_value(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


class DocumentReader:
    """The console's "Document read mode" (``InputDataConfig.DocumentReaderConfig``).

    Applies to semi-structured input (PDF, Word, images) of custom classification and custom
    entity recognition jobs. Invalid combinations are rejected when the job is defined.

    :param read_action: the Textract API used to read documents.
    :param read_mode: when the read action applies. Default: the service's default
        (``SERVICE_DEFAULT``).
    :param feature_types: with ``TEXTRACT_ANALYZE_DOCUMENT`` only, and then required: one or
        both of ``TABLES``, ``FORMS``.
    """

    def __init__(
        self,
        *,
        read_action: DocumentReadAction | str,
        read_mode: DocumentReadMode | str | None = None,
        feature_types: Sequence[DocumentFeatureType | str] | None = None,
    ) -> None:
        self.read_action = _enum_value(read_action)
        self.read_mode = _enum_value(read_mode)
        # A string is a list given wrongly (iterated, it would be one error per letter):
        # kept as given, for check() to name it once with the list meant.
        listed = isinstance(feature_types, list | tuple | set | frozenset)
        self._wrong_features = None if feature_types is None or listed else feature_types
        self.feature_types: list[str] | None = None
        if isinstance(feature_types, str):
            self.feature_types = [f.strip() for f in feature_types.split(",")]
        elif listed:
            self.feature_types = [_enum_value(f) for f in feature_types]  # type: ignore[union-attr]

    def check(self, problems: Problems, prop: str = "document_reader") -> None:
        """Record every problem with this configuration under ``prop``."""
        actions = [a.value for a in DocumentReadAction]
        if self.read_action not in actions:
            problems.add(
                f"{prop}.read_action",
                self.read_action,
                f"one of {', '.join(actions)}",
                "pass a DocumentReadAction member",
            )
        modes = [m.value for m in DocumentReadMode]
        if self.read_mode is not None and self.read_mode not in modes:
            problems.add(
                f"{prop}.read_mode",
                self.read_mode,
                f"one of {', '.join(modes)}, or None for the service default",
                "pass a DocumentReadMode member",
            )
        features = [f.value for f in DocumentFeatureType]
        analyze = DocumentReadAction.TEXTRACT_ANALYZE_DOCUMENT.value
        if self._wrong_features is not None:
            string = isinstance(self._wrong_features, str)
            problems.add(
                f"{prop}.feature_types",
                self._wrong_features,
                f"a list of {', '.join(features)}" + (", not a string" if string else ""),
                f"use feature_types={self.feature_types!r}"
                if string
                else "pass feature_types=[DocumentFeatureType.TABLES] (and/or FORMS)",
            )
            return
        if self.read_action == analyze:
            given = self.feature_types or []
            if not 1 <= len(given) <= 2 or len(set(given)) != len(given):
                problems.add(
                    f"{prop}.feature_types",
                    self.feature_types,
                    f"{analyze} needs one or two distinct feature types of {', '.join(features)}",
                    "pass feature_types=[DocumentFeatureType.TABLES] (and/or FORMS)",
                )
            for feature in given:
                if feature not in features:
                    problems.add(
                        f"{prop}.feature_types",
                        feature,
                        f"one of {', '.join(features)}",
                        "pass DocumentFeatureType members",
                    )
        elif self.feature_types is not None:
            problems.add(
                f"{prop}.feature_types",
                self.feature_types,
                f"feature types apply only to read_action={analyze}",
                "remove feature_types, or use TEXTRACT_ANALYZE_DOCUMENT",
            )

    def to_request(self) -> dict[str, Any]:
        """The ``DocumentReaderConfig`` structure of the Start*Job request."""
        config: dict[str, Any] = {"DocumentReadAction": self.read_action}
        if self.read_mode is not None:
            config["DocumentReadMode"] = self.read_mode
        if self.feature_types is not None:
            # Sorted so the template does not depend on the order the caller listed them.
            config["FeatureTypes"] = sorted(self.feature_types, key=str)
        return config
