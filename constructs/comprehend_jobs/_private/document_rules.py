"""The rules for local documents a job will read (``input_documents``): a folder with
documents in it, each within Comprehend's per-document limits for the job type and input
format, and no binary file where each line is a document.

They run once for each job and each folder, wherever the two meet, before anything is
built: ``ComprehendAnalysis`` checks its ``input_documents`` (and a brought storage's
folders) for its job; a job checks the folders its storage uploads (``storage``); and a
storage checks a folder added after its jobs were made against each of them
(``add_input_documents``). Documents given as ``aws_s3_deployment`` sources are not read.

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

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from weakref import WeakKeyDictionary

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


#: The input format the rules read documents in when a job gives none: the reading the
#: pattern has always used (the API documents no default for analysis jobs).
DEFAULT_FORMAT = "ONE_DOC_PER_FILE"


def reading_format(input_format: object) -> str | None:
    """The input format a job reads its documents in (an ``InputFormat`` member or its
    value; None: ``DEFAULT_FORMAT``), or None when it is no input format (its own rule
    reports that, and the documents cannot be judged)."""
    value = getattr(input_format, "value", input_format)
    if value is None:
        return DEFAULT_FORMAT
    return value if value in ("ONE_DOC_PER_FILE", "ONE_DOC_PER_LINE") else None


class _Finding(NamedTuple):
    """One document (or the folder) a job cannot read, phrased so either a folder prop or
    the storage holding the folder can be named."""

    #: The file, relative to the folder; None for the folder itself.
    file: str | None
    allowed: str
    #: What is wrong with it, after its subject ("this one", "its input_documents file").
    found: str
    fix: str


def _findings(folder: str, job_stem: str, input_format: str) -> Iterator[_Finding]:
    """What a ``job_stem`` job reading the documents in ``folder`` as ``input_format``
    cannot read (Comprehend's per-document limits, the table above)."""
    files = _documents(Path(folder))
    if not files:
        yield _Finding(
            None,
            "a folder with at least one document",
            "has none (a job on nothing finds nothing and ends with no results)",
            f"put the documents in {folder}, or name the folder that holds them",
        )
        return
    per_line = input_format == "ONE_DOC_PER_LINE"
    text_limit = TEXT_LIMITS.get(job_stem)
    custom = job_stem in ("EntitiesDetection", "DocumentClassification")
    for path in files:
        name = str(path.relative_to(folder))
        if per_line and _is_binary(path):
            yield _Finding(
                name,
                "plain text with ONE_DOC_PER_LINE (each line is a document)",
                "is binary (PDF, Word and images are read one document per file)",
                "set input_format=InputFormat.ONE_DOC_PER_FILE, or leave the file out",
            )
            continue
        suffix = path.suffix.lower()
        if not per_line and custom and suffix in SEMI_STRUCTURED:
            limit = SEMI_STRUCTURED[suffix]
            if path.stat().st_size > limit:
                yield _Finding(
                    name,
                    f"{suffix[1:].upper()} files of at most {_size(limit)} (Comprehend's "
                    "per-document limit)",
                    f"has {path.stat().st_size} bytes",
                    "split the document into smaller files",
                )
            continue
        if text_limit is None:
            continue
        size = _longest_line(path) if per_line else path.stat().st_size
        if size > text_limit:
            unit = "lines" if per_line else "documents"
            yield _Finding(
                name,
                f"{unit} of at most {_size(text_limit)} for a {job_stem} job (Comprehend's "
                "per-document limit)",
                f"has {size} bytes",
                "split the document into smaller files" + (" (or lines)" if per_line else ""),
            )


def check_document_files(
    problems: Problems,
    prop: str,
    folder: str,
    job_stem: str,
    input_format: str,
    *,
    reader: str | None = None,
) -> None:
    """Record the problems of the documents in ``folder`` (the value of ``prop``) for a
    ``job_stem`` job reading them as ``input_format`` (``ONE_DOC_PER_FILE`` or
    ``ONE_DOC_PER_LINE``); ``reader`` names that job when it is not the construct being
    checked (documents added to storage a job already reads)."""
    for finding in _findings(folder, job_stem, input_format):
        subject = "this file" if finding.found.startswith("is ") else "this one"
        by = f" ({reader} reads them)" if reader and finding.file is not None else ""
        problems.add(
            prop,
            folder if finding.file is None else finding.file,
            f"{finding.allowed}{by}; {subject} {finding.found}",
            finding.fix,
        )


def check_storage_documents(
    problems: Problems, storage: object, job_stem: str, input_format: str
) -> None:
    """Record, under the job's ``storage`` prop, the problems of the local folders the
    storage uploads (``JobStorage(input_documents=...)``, ``add_input_documents``) for a
    ``job_stem`` job reading them as ``input_format``. A storage that uploads no local
    folder (documents already in S3, ``aws_s3_deployment`` sources) has nothing to check."""
    uploads = documents_of(storage)
    for folder in uploads.folders if uploads is not None else []:
        for finding in _findings(folder, job_stem, input_format):
            subject = (
                f"its input_documents folder {folder!r}"
                if finding.file is None
                else f"its input_documents file {finding.file!r} (in {folder!r})"
            )
            problems.add(
                "storage", storage, f"{finding.allowed}; {subject} {finding.found}", finding.fix
            )


# -- which folders a storage uploads, and which jobs read them ----------------------------


@dataclass(frozen=True)
class Reading:
    """How one job reads its storage's documents."""

    #: The job, as errors name it (``EntityRecognitionJob at 'Stack/Job'``).
    job: str
    job_stem: str
    input_format: str


@dataclass
class StorageUploads:
    """The local folders one storage uploads, and the jobs that read them: a job checks
    the folders uploaded before it, a folder added later is checked against the jobs."""

    folders: list[str] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    #: (folder, how many readings) already checked by ``check_added_documents``: a
    #: composing construct checks before it builds, the storage's upload then runs no
    #: rule again.
    vetted: set[tuple[str, int]] = field(default_factory=set)


#: By storage object: only storages this library makes record folders, and a storage
#: outlives none of its jobs, so the record goes with the storage.
_UPLOADS: WeakKeyDictionary[object, StorageUploads] = WeakKeyDictionary()


def documents_of(storage: object, *, create: bool = False) -> StorageUploads | None:
    """The record of ``storage``'s uploads (made when ``create``), or None for a storage
    with none recorded (or one that cannot be recorded: an unhashable object of yours)."""
    try:
        uploads = _UPLOADS.get(storage)
        if uploads is None and create:
            uploads = _UPLOADS[storage] = StorageUploads()
    except TypeError:  # unhashable or not weak-referenceable: it uploads no folder of ours
        return None
    return uploads


def record_reading(storage: object, reading: Reading) -> None:
    """Remember that a job reads ``storage``'s documents, so that a folder added later is
    checked against it (``check_added_documents``)."""
    uploads = documents_of(storage, create=True)
    if uploads is not None:
        uploads.readings.append(reading)


def check_added_documents(problems: Problems, prop: str, storage: object, folder: str) -> None:
    """Record the problems of ``folder``, about to be uploaded by ``storage``, for every job
    that already reads the storage (once per job type and input format, naming the first
    job of each). A folder that passed against the same jobs before is not read again."""
    uploads = documents_of(storage)
    if uploads is None or (folder, len(uploads.readings)) in uploads.vetted:
        return
    readings: dict[tuple[str, str], Reading] = {}
    for reading in uploads.readings:
        readings.setdefault((reading.job_stem, reading.input_format), reading)
    before = len(problems.messages)
    for (job_stem, input_format), reading in sorted(readings.items()):
        check_document_files(problems, prop, folder, job_stem, input_format, reader=reading.job)
        if not _documents(Path(folder)):
            break  # an empty folder is one problem, whichever job reads it
    if len(problems.messages) == before:
        uploads.vetted.add((folder, len(uploads.readings)))
