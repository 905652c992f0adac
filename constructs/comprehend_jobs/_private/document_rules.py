"""The rules for local documents a job will read (``input_documents``): a folder with
documents in it, each within Comprehend's per-document limits for the job type and input
format, and no binary file where each line is a document.

The limits are the Developer Guide's ("Guidelines and quotas", guidelines-and-limits.html;
the 2023 snapshot in awsdocs/amazon-comprehend-developer-guide, checked against the live
page); botocore's model has none of them. The Guide writes "MB" and "KB" without saying
which: the larger reading (MiB, KiB) is used, so only documents over both are refused.

| job | plain text, per document | semi-structured (one doc per file) |
|---|---|---|
| custom entity recognition | 1 MB | PDF 50 MB, Word 5 MB, image 10 MB |
| custom classification | 10 MB (ONE_DOC_PER_FILE) | PDF 50 MB, Word 5 MB, image 10 MB |
| built-in entities, key phrases, PII, language | 1 MB | - |
| sentiment | 5 KB | - |
| targeted sentiment, events | 10 KB | - |
| topics | 100 MB (ONE_DOC_PER_FILE) | - |

ONE_DOC_PER_LINE reads each line as a plain-text document: "ONE_DOC_PER_LINE is not
allowed for images or PDF/Word" (same page).
"""

from __future__ import annotations

from pathlib import Path

from comprehend_jobs._private.validation import Problems

KIB, MIB = 1024, 1024 * 1024
#: Per-document limit of plain text, by job type stem (the table above).
TEXT_LIMITS = {
    "EntitiesDetection": MIB,
    "DocumentClassification": 10 * MIB,
    "KeyPhrasesDetection": MIB,
    "PiiEntitiesDetection": MIB,
    "DominantLanguageDetection": MIB,
    "SentimentDetection": 5 * KIB,
    "TargetedSentimentDetection": 10 * KIB,
    "EventsDetection": 10 * KIB,
    "TopicsDetection": 100 * MIB,
}
#: Semi-structured files (custom jobs only): their extensions and per-file limits.
SEMI_STRUCTURED = {
    ".pdf": 50 * MIB,
    ".docx": 5 * MIB,
    ".doc": 5 * MIB,
    ".png": 10 * MIB,
    ".jpg": 10 * MIB,
    ".jpeg": 10 * MIB,
    ".tif": 10 * MIB,
    ".tiff": 10 * MIB,
}
#: How much of a file is read to tell text from binary (a NUL byte means binary).
_SNIFF = 8 * KIB


def _size(limit: int) -> str:
    return f"{limit // MIB} MB" if limit >= MIB else f"{limit // KIB} KB"


def _documents(folder: Path) -> list[Path]:
    """The files a job would read: every regular file, hidden ones (``.DS_Store``) not
    counted as documents."""
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)
    )


def _is_binary(path: Path) -> bool:
    if path.suffix.lower() in SEMI_STRUCTURED:
        return True
    with path.open("rb") as handle:
        return b"\0" in handle.read(_SNIFF)


def _longest_line(path: Path) -> int:
    longest = 0
    with path.open("rb") as handle:
        for line in handle:
            longest = max(longest, len(line.rstrip(b"\r\n")))
    return longest


def check_document_files(
    problems: Problems, prop: str, folder: str, job_stem: str, input_format: str
) -> None:
    """Record the problems of the documents in ``folder`` for a ``job_stem`` job reading
    them as ``input_format`` (``ONE_DOC_PER_FILE`` or ``ONE_DOC_PER_LINE``)."""
    files = _documents(Path(folder))
    if not files:
        problems.add(
            prop,
            folder,
            "a folder with at least one document; this one has none (a job on nothing "
            "finds nothing and ends with no results)",
            f"put the documents in {folder}, or name the folder that holds them",
        )
        return
    per_line = input_format == "ONE_DOC_PER_LINE"
    text_limit = TEXT_LIMITS.get(job_stem)
    custom = job_stem in ("EntitiesDetection", "DocumentClassification")
    for path in files:
        name = str(path.relative_to(folder))
        if per_line and _is_binary(path):
            problems.add(
                prop,
                name,
                "plain text with ONE_DOC_PER_LINE (each line is a document); this file is "
                "binary (PDF, Word and images are read one document per file)",
                "set input_format=InputFormat.ONE_DOC_PER_FILE, or leave the file out",
            )
            continue
        suffix = path.suffix.lower()
        if not per_line and custom and suffix in SEMI_STRUCTURED:
            limit = SEMI_STRUCTURED[suffix]
            if path.stat().st_size > limit:
                problems.add(
                    prop,
                    name,
                    f"{suffix[1:].upper()} files of at most {_size(limit)} (Comprehend's "
                    f"per-document limit); this one has {path.stat().st_size} bytes",
                    "split the document into smaller files",
                )
            continue
        if text_limit is None:
            continue
        size = _longest_line(path) if per_line else path.stat().st_size
        if size > text_limit:
            unit = "lines" if per_line else "documents"
            problems.add(
                prop,
                name,
                f"{unit} of at most {_size(text_limit)} for a {job_stem} job (Comprehend's "
                f"per-document limit); this one has {size} bytes",
                "split the document into smaller files" + (" (or lines)" if per_line else ""),
            )
