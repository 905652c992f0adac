"""The document reader options: valid combinations render, invalid ones are named."""

from __future__ import annotations

import pytest

from comprehend_jobs._private.validation import Problems
from comprehend_jobs.input_options import (
    DocumentFeatureType,
    DocumentReadAction,
    DocumentReader,
    DocumentReadMode,
)


def _problems(reader: DocumentReader) -> list[str]:
    problems = Problems("Test")
    reader.check(problems)
    return problems.messages


def test_analyze_document_renders_sorted_features() -> None:
    reader = DocumentReader(
        read_action=DocumentReadAction.TEXTRACT_ANALYZE_DOCUMENT,
        read_mode=DocumentReadMode.FORCE_DOCUMENT_READ_ACTION,
        feature_types=[DocumentFeatureType.TABLES, DocumentFeatureType.FORMS],
    )
    assert _problems(reader) == []
    assert reader.to_request() == {
        "DocumentReadAction": "TEXTRACT_ANALYZE_DOCUMENT",
        "DocumentReadMode": "FORCE_DOCUMENT_READ_ACTION",
        "FeatureTypes": ["FORMS", "TABLES"],
    }


def test_detect_text_needs_no_features() -> None:
    reader = DocumentReader(read_action="TEXTRACT_DETECT_DOCUMENT_TEXT")
    assert _problems(reader) == []
    assert reader.to_request() == {"DocumentReadAction": "TEXTRACT_DETECT_DOCUMENT_TEXT"}


@pytest.mark.parametrize(
    ("reader", "prop", "needle"),
    [
        (
            DocumentReader(read_action="TEXTRACT_ANALYZE_DOCUMENT"),
            "document_reader.feature_types",
            "needs one or two distinct feature types",
        ),
        (
            DocumentReader(
                read_action="TEXTRACT_ANALYZE_DOCUMENT", feature_types=["TABLES", "TABLES"]
            ),
            "document_reader.feature_types",
            "distinct",
        ),
        (
            DocumentReader(read_action="TEXTRACT_ANALYZE_DOCUMENT", feature_types=["CHARTS"]),
            "document_reader.feature_types='CHARTS'",
            "one of TABLES, FORMS",
        ),
        (
            DocumentReader(read_action="TEXTRACT_DETECT_DOCUMENT_TEXT", feature_types=["TABLES"]),
            "document_reader.feature_types",
            "apply only to read_action=TEXTRACT_ANALYZE_DOCUMENT",
        ),
        (
            DocumentReader(read_action="OCR"),
            "document_reader.read_action='OCR'",
            "one of TEXTRACT_DETECT_DOCUMENT_TEXT, TEXTRACT_ANALYZE_DOCUMENT",
        ),
        (
            DocumentReader(read_action="TEXTRACT_DETECT_DOCUMENT_TEXT", read_mode="ALWAYS"),
            "document_reader.read_mode='ALWAYS'",
            "SERVICE_DEFAULT",
        ),
    ],
)
def test_invalid_combinations_are_named(reader: DocumentReader, prop: str, needle: str) -> None:
    (problem,) = _problems(reader)
    assert problem.startswith(prop)
    assert needle in problem
    assert "Fix:" in problem
