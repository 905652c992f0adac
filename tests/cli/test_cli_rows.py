"""Output files to rows, and rows to text: every documented output shape, streamed."""

from __future__ import annotations

import io
import json
import tracemalloc
from pathlib import Path

import pytest

from cli.moto_jobs import entity_line
from comprehend_jobs.cli.formats import TABLE_MAX_WIDTH, write_rows
from comprehend_jobs.cli.rows import (
    DOCUMENT_COLUMNS,
    ENTITY_COLUMNS,
    ParseReport,
    columns_for,
    iter_rows,
)
from comprehend_jobs.job_types import (
    DOCUMENT_CLASSIFICATION,
    DOMINANT_LANGUAGE_DETECTION,
    ENTITIES_DETECTION,
    EVENTS_DETECTION,
    KEY_PHRASES_DETECTION,
    PII_ENTITIES_DETECTION,
    SENTIMENT_DETECTION,
    TOPICS_DETECTION,
)


def write_lines(path: Path, *documents: object) -> Path:
    path.write_text("\n".join(json.dumps(d) for d in documents) + "\n")
    return path


def test_events_mentions_become_entity_rows(tmp_path: Path) -> None:
    mention = {"BeginOffset": 0, "EndOffset": 4, "Score": 0.9, "Text": "Acme", "Type": "ORG"}
    document = {
        "Entities": [{"Mentions": [mention, {**mention, "BeginOffset": 20, "EndOffset": 24}]}],
        "Events": [{"Type": "BANKRUPTCY"}],
        "File": "news.txt",
        "Line": 3,
    }
    files = [write_lines(tmp_path / "a.out", document)]

    rows = list(iter_rows(EVENTS_DETECTION, files, ParseReport()))

    assert [(r["text"], r["begin_offset"], r["line"]) for r in rows] == [
        ("Acme", 0, 3),
        ("Acme", 20, 3),
    ]


def test_key_phrases_are_entity_rows_of_type_key_phrase(tmp_path: Path) -> None:
    phrase = {"BeginOffset": 4, "EndOffset": 10, "Score": 0.99, "Text": "quiet"}
    files = [write_lines(tmp_path / "output", {"KeyPhrases": [phrase], "File": "f", "Line": 0})]

    (row,) = iter_rows(KEY_PHRASES_DETECTION, files, ParseReport())

    assert (row["type"], row["text"]) == ("KEY_PHRASE", "quiet")


def test_sentiment_and_language_are_document_rows(tmp_path: Path) -> None:
    sentiment = {
        "File": "r.txt",
        "Line": 0,
        "Sentiment": "POSITIVE",
        "SentimentScore": {"Positive": 0.9, "Negative": 0.01, "Neutral": 0.08, "Mixed": 0.01},
    }
    languages = {"File": "r.txt", "Languages": [{"LanguageCode": "fr", "Score": 0.97}]}

    (by_sentiment,) = iter_rows(
        SENTIMENT_DETECTION, [write_lines(tmp_path / "s", sentiment)], ParseReport()
    )
    (by_language,) = iter_rows(
        DOMINANT_LANGUAGE_DETECTION, [write_lines(tmp_path / "l", languages)], ParseReport()
    )

    assert (by_sentiment["label"], by_sentiment["score"]) == ("POSITIVE", 0.9)
    assert [label["name"] for label in by_sentiment["labels"]] == [
        "POSITIVE",
        "NEUTRAL",
        "MIXED",
        "NEGATIVE",
    ]
    assert (by_language["label"], by_language["line"]) == ("fr", None)


def test_documents_the_service_could_not_read_keep_their_error(tmp_path: Path) -> None:
    failed = {"File": "scan.pdf", "ErrorCode": "UNSUPPORTED_DOC_TYPE", "ErrorMessage": "bad"}
    files = [write_lines(tmp_path / "output", failed)]

    (row,) = iter_rows(ENTITIES_DETECTION, files, ParseReport())

    assert (row["file"], row["type"], row["error"]) == ("scan.pdf", "", "UNSUPPORTED_DOC_TYPE: bad")


def error_rows(tmp_path: Path) -> list[tuple[tuple[str, ...], dict[str, object]]]:
    """An entity row and a classification row for documents the service could not read."""
    failed = {"File": "scan.pdf", "ErrorCode": "UNSUPPORTED_DOC_TYPE", "ErrorMessage": "bad"}
    files = [write_lines(tmp_path / "output", failed)]
    (entity,) = iter_rows(ENTITIES_DETECTION, files, ParseReport())
    (document,) = iter_rows(DOCUMENT_CLASSIFICATION, files, ParseReport())
    return [(ENTITY_COLUMNS, entity), (DOCUMENT_COLUMNS, document)]


def test_error_rows_in_jsonl_have_null_numbers(tmp_path: Path) -> None:
    out = io.StringIO()
    for columns, row in error_rows(tmp_path):
        write_rows("jsonl", columns, [row], out)

    entity, document = (json.loads(line) for line in out.getvalue().splitlines())

    # Numbers are null (a reader typing the column as a number must not meet ""), text is "".
    assert entity == {
        "file": "scan.pdf",
        "line": None,
        "type": "",
        "text": "",
        "begin_offset": None,
        "end_offset": None,
        "score": None,
        "error": "UNSUPPORTED_DOC_TYPE: bad",
    }
    assert document == {
        "file": "scan.pdf",
        "line": None,
        "label": "",
        "score": None,
        "labels": [],
        "error": "UNSUPPORTED_DOC_TYPE: bad",
    }


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_error_rows_in_text_formats_have_empty_cells(tmp_path: Path, fmt: str) -> None:
    out = io.StringIO()
    for columns, row in error_rows(tmp_path):
        write_rows(fmt, columns, [row], out)

    assert "None" not in out.getvalue()
    assert "scan.pdf" in out.getvalue()


def test_files_that_are_not_json_lines_are_skipped_and_reported(tmp_path: Path) -> None:
    # GIVEN a PII redaction copy (plain text) beside JSON Lines with one broken line
    redacted = tmp_path / "a.txt.out"
    redacted.write_text("My name is **********.\n")
    mixed = tmp_path / "b.txt.out"
    mixed.write_text(entity_line("b.txt", 0, [("NAME", "Ann", 0, 0.9)]) + "\n{broken\n")
    report = ParseReport()

    rows = list(iter_rows(PII_ENTITIES_DETECTION, [redacted, mixed], report))

    assert [r["text"] for r in rows] == ["Ann"]
    assert report.skipped_files == [redacted]
    assert report.bad_lines == 1


def test_every_type_with_json_lines_output_has_columns() -> None:
    assert columns_for(ENTITIES_DETECTION) == ENTITY_COLUMNS
    assert columns_for(SENTIMENT_DETECTION) == DOCUMENT_COLUMNS
    # Topic modeling writes CSV files (topic-terms.csv, doc-topics.csv), not JSON Lines.
    assert columns_for(TOPICS_DETECTION) is None


def test_table_truncates_long_cells() -> None:
    row = dict.fromkeys(ENTITY_COLUMNS, "") | {"text": "x" * 100}
    out = io.StringIO()

    write_rows("table", ENTITY_COLUMNS, [row], out)

    cells = out.getvalue().splitlines()[1].split()
    assert cells == ["x" * (TABLE_MAX_WIDTH - 3) + "..."]


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="format='xml'"):
        write_rows("xml", ENTITY_COLUMNS, [], io.StringIO())


@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl"])
def test_large_output_streams_in_bounded_memory(tmp_path: Path, fmt: str) -> None:
    # GIVEN an output file of about 3 MB (10,000 documents, 3 entities each)
    path = tmp_path / "output"
    entities = [("VENDOR", "Acme Corp " * 20, 0, 0.99)] * 3
    with path.open("w") as out:
        for line in range(10_000):
            out.write(entity_line("big.txt", line, entities) + "\n")
    assert path.stat().st_size > 3_000_000

    # WHEN every row is written to a sink that keeps nothing
    sink = _CountingSink()
    tracemalloc.start()
    try:
        count = write_rows(
            fmt, ENTITY_COLUMNS, iter_rows(ENTITIES_DETECTION, [path], ParseReport()), sink
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    # THEN all rows came through, and memory stayed far below the file's size
    assert count == 30_000
    assert sink.lines == 30_000 + (0 if fmt == "jsonl" else 1)
    assert peak < 1_000_000


class _CountingSink(io.StringIO):
    def __init__(self) -> None:
        super().__init__()
        self.lines = 0

    def write(self, text: str) -> int:
        self.lines += text.count("\n")
        return len(text)


def test_table_keeps_one_line_per_row() -> None:
    row = dict.fromkeys(ENTITY_COLUMNS, "") | {"text": "Acme\nCorp"}
    out = io.StringIO()

    write_rows("table", ENTITY_COLUMNS, [row], out)

    assert out.getvalue().splitlines()[1].split() == ["Acme", "Corp"]
