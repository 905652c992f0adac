"""Turning Comprehend's output files into rows, one line at a time.

Comprehend writes JSON Lines: one object per input document with ``File`` (and ``Line``
for ONE_DOC_PER_LINE input). Entity-like jobs become one row per entity (or mention);
document-level jobs (classification, sentiment, language) become one row per document.
Files that are not JSON Lines (PII redaction copies, topic CSVs) are skipped and reported.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from comprehend_jobs.job_types import (
    DOCUMENT_CLASSIFICATION,
    DOMINANT_LANGUAGE_DETECTION,
    ENTITIES_DETECTION,
    EVENTS_DETECTION,
    KEY_PHRASES_DETECTION,
    PII_ENTITIES_DETECTION,
    SENTIMENT_DETECTION,
    TARGETED_SENTIMENT_DETECTION,
    JobType,
)

Row = dict[str, Any]

#: Columns of a row per entity (entity recognition, PII offsets, key phrases, events).
ENTITY_COLUMNS = ("file", "line", "type", "text", "begin_offset", "end_offset", "score", "error")
#: Columns of a row per document (classification, sentiment, dominant language). ``label``
#: and ``score`` are the best-scoring class; ``labels`` lists every class with its score.
DOCUMENT_COLUMNS = ("file", "line", "label", "score", "labels", "error")
#: Columns holding numbers: None (JSON null) when the output has none, never "".
NUMERIC_COLUMNS = frozenset({"line", "begin_offset", "end_offset", "score"})

_ENTITY_TYPES = frozenset(
    {
        ENTITIES_DETECTION,
        PII_ENTITIES_DETECTION,
        EVENTS_DETECTION,
        KEY_PHRASES_DETECTION,
        TARGETED_SENTIMENT_DETECTION,
    }
)
_DOCUMENT_TYPES = frozenset(
    {DOCUMENT_CLASSIFICATION, SENTIMENT_DETECTION, DOMINANT_LANGUAGE_DETECTION}
)


def columns_for(job_type: JobType) -> tuple[str, ...] | None:
    """The row columns for ``job_type``, or None when its output has no row form."""
    if job_type in _ENTITY_TYPES:
        return ENTITY_COLUMNS
    if job_type in _DOCUMENT_TYPES:
        return DOCUMENT_COLUMNS
    return None


@dataclass
class ParseReport:
    """What parsing skipped, for a note to the user."""

    #: Files that are not JSON Lines.
    skipped_files: list[Path] = field(default_factory=list)
    #: Lines that are not JSON objects, in files that otherwise are.
    bad_lines: int = 0


def iter_rows(job_type: JobType, files: Iterable[Path], report: ParseReport) -> Iterator[Row]:
    """Rows from every JSON Lines file in ``files``; holds one line in memory at a time."""
    to_rows = _entity_rows if columns_for(job_type) == ENTITY_COLUMNS else _document_rows
    for path in files:
        with path.open(encoding="utf-8", errors="replace") as lines:
            first = True
            for raw in lines:
                if not raw.strip():
                    continue
                document = _json_object(raw)
                if document is None:
                    if first:
                        report.skipped_files.append(path)
                        break
                    report.bad_lines += 1
                    continue
                first = False
                yield from to_rows(document, path)


def _json_object(raw: str) -> dict[str, Any] | None:
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _where(document: dict[str, Any], path: Path) -> tuple[str, Any]:
    return str(document.get("File", path.name)), document.get("Line")


def _error(document: dict[str, Any]) -> str:
    code, message = document.get("ErrorCode"), document.get("ErrorMessage")
    return ": ".join(str(p) for p in (code, message) if p)


def _entity_rows(document: dict[str, Any], path: Path) -> Iterator[Row]:
    file, line = _where(document, path)
    error = _error(document)
    if error:
        blank = {c: None if c in NUMERIC_COLUMNS else "" for c in ENTITY_COLUMNS}
        yield blank | {"file": file, "line": line, "error": error}
        return
    for entity in _entities(document):
        yield {
            "file": file,
            "line": line,
            "type": entity.get("Type", ""),
            "text": entity.get("Text", ""),
            "begin_offset": entity.get("BeginOffset"),
            "end_offset": entity.get("EndOffset"),
            "score": entity.get("Score"),
            "error": "",
        }


def _entities(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    for entity in document.get("Entities", []):
        # Events and targeted sentiment group mentions of one entity.
        if "Mentions" in entity:
            yield from entity["Mentions"]
        else:
            yield entity
    for phrase in document.get("KeyPhrases", []):
        yield {"Type": "KEY_PHRASE", **phrase}


def _document_rows(document: dict[str, Any], path: Path) -> Iterator[Row]:
    file, line = _where(document, path)
    labels = sorted(_labels(document), key=lambda pair: (-pair["score"], pair["name"]))
    best = labels[0] if labels else {"name": "", "score": None}
    yield {
        "file": file,
        "line": line,
        "label": best["name"],
        "score": best["score"],
        "labels": labels,
        "error": _error(document),
    }


def _labels(document: dict[str, Any]) -> Iterator[dict[str, Any]]:
    # Multi-class classifiers write Classes, multi-label classifiers write Labels.
    for item in document.get("Classes", []) + document.get("Labels", []):
        yield {"name": str(item.get("Name", "")), "score": float(item.get("Score", 0.0))}
    for item in document.get("Languages", []):
        yield {"name": str(item.get("LanguageCode", "")), "score": float(item.get("Score", 0.0))}
    for name, score in document.get("SentimentScore", {}).items():
        yield {"name": str(name).upper(), "score": float(score)}
