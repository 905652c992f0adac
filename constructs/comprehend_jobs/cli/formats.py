"""Writing rows as a table, CSV or JSON Lines, one row at a time.

CSV and JSON Lines stream with no state. The table sizes its columns from the first rows
only (then truncates wider cells), so it streams too, with bounded memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any, TextIO

from comprehend_jobs.cli.rows import Row

FORMATS = ("table", "csv", "jsonl")
#: File name extension per format, for ``--out``.
EXTENSIONS = {"table": "txt", "csv": "csv", "jsonl": "jsonl"}
#: Rows the table reads before it fixes its column widths.
TABLE_SAMPLE = 500
#: The widest a table column gets; longer cells end in "...".
TABLE_MAX_WIDTH = 60


def cell(value: Any) -> str:
    """One value as text: scores to 4 places, label lists as ``NAME=score; ...``, None empty."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, list):
        return "; ".join(f"{item['name']}={item['score']:.4f}" for item in value)
    return str(value)


def write_rows(fmt: str, columns: Sequence[str], rows: Iterable[Row], out: TextIO) -> int:
    """Write ``rows`` to ``out`` in ``fmt``; returns how many were written."""
    if fmt == "jsonl":
        return _write_jsonl(rows, out)
    if fmt == "csv":
        return _write_csv(columns, rows, out)
    if fmt == "table":
        return _write_table(columns, rows, out)
    raise ValueError(f"format={fmt!r} is not one of {', '.join(FORMATS)}")


def _write_jsonl(rows: Iterable[Row], out: TextIO) -> int:
    count = 0
    for row in rows:
        out.write(json.dumps(row, ensure_ascii=False) + "\n")
        count += 1
    return count


def _write_csv(columns: Sequence[str], rows: Iterable[Row], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow([cell(row[c]) for c in columns])
        count += 1
    return count


def _write_table(columns: Sequence[str], rows: Iterable[Row], out: TextIO) -> int:
    stream = iter(rows)
    sample = [[cell(row[c]) for c in columns] for row in islice(stream, TABLE_SAMPLE)]
    headers = [c.upper() for c in columns]
    widths = [
        min(TABLE_MAX_WIDTH, max(len(r[i]) for r in [headers, *sample]))
        for i in range(len(columns))
    ]
    out.write(_table_line(headers, widths))
    for cells in sample:
        out.write(_table_line(cells, widths))
    count = len(sample)
    for row in stream:
        out.write(_table_line([cell(row[c]) for c in columns], widths))
        count += 1
    return count


def align(cells: Sequence[str], widths: Sequence[int]) -> str:
    """Cells padded to ``widths``, two spaces apart, no trailing blanks."""
    return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()


def _table_line(cells: Sequence[str], widths: Sequence[int]) -> str:
    # A line break inside a cell (entity text can span lines) would break the table.
    flat = [c.replace("\r", " ").replace("\n", " ") for c in cells]
    fitted = [c if len(c) <= w else c[: w - 3] + "..." for c, w in zip(flat, widths, strict=True)]
    return align(fitted, widths) + "\n"
