"""Documents checked wherever a job meets them (issue 23): the building blocks too.

``ComprehendAnalysis(input_documents=...)`` has always checked its documents against
Comprehend's per-document limits for the job type and input format. A job of
``comprehend_jobs.jobs`` on a ``JobStorage(input_documents=...)`` runs the same rules, once,
naming its ``storage`` prop; a folder added to a storage after its jobs were made is
checked against each of them. Every refusal is one ``PropValidationError`` raised before
anything is built.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from aws_cdk import Environment, Stack
from nag_support import new_app

from comprehend_jobs import (
    ComprehendAnalysis,
    DataAccessRole,
    EntityRecognitionJob,
    InputFormat,
    JobStorage,
    KeyPhrasesDetectionJob,
    PropValidationError,
    SentimentDetectionJob,
)
from comprehend_jobs._private import document_rules

ENV = Environment(account="111122223333", region="us-east-1")
RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/tickets"
MIB, KIB = 1024 * 1024, 1024
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 20
SAMPLES = str(Path(__file__).resolve().parent.parent / "samples" / "entity-recognition")


def _folder(tmp_path: Path, files: dict[str, bytes]) -> str:
    folder = tmp_path / "documents"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    return str(folder)


def _stack() -> Stack:
    return Stack(new_app(), "Documents", env=ENV)


def _entities(**props: Any) -> Callable[..., Any]:
    return lambda stack, storage, role: EntityRecognitionJob(
        stack, "Job", storage=storage, role=role, recognizer_arn=RECOGNIZER, **props
    )


def _builtin(job_class: type, **props: Any) -> Callable[..., Any]:
    return lambda stack, storage, role: job_class(
        stack, "Job", storage=storage, role=role, language_code="en", **props
    )


def _refused_job(
    tmp_path: Path, files: dict[str, bytes], make_job: Callable[..., Any]
) -> PropValidationError:
    """The error a job on storage uploading ``files`` raises; nothing of the job is built."""
    stack = _stack()
    storage = JobStorage(stack, "Storage", input_documents=_folder(tmp_path, files))
    role = DataAccessRole(stack, "Role", storage=storage)
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        make_job(stack, storage, role)
    assert len(stack.node.find_all()) == before
    return raised.value


@pytest.mark.parametrize(
    ("files", "make_job", "needles"),
    [
        pytest.param(
            {"big.txt": b"a" * (MIB + 1)},
            _entities(),
            ["at most 1 MB for a EntitiesDetection job", "'big.txt'", f"has {MIB + 1} bytes"],
            id="entity recognition, text over 1 MB",
        ),
        pytest.param(
            {"review.txt": b"a" * (5 * KIB + 1)},
            _builtin(SentimentDetectionJob),
            ["at most 5 KB for a SentimentDetection job", "'review.txt'"],
            id="sentiment, a document over 5 KB",
        ),
        pytest.param(
            {"lines.txt": b"short\n" + b"a" * (MIB + 1) + b"\n"},
            _builtin(KeyPhrasesDetectionJob, input_format=InputFormat.ONE_DOC_PER_LINE),
            ["lines of at most 1 MB for a KeyPhrasesDetection job", "'lines.txt'"],
            id="key phrases, a line over 1 MB with ONE_DOC_PER_LINE",
        ),
    ],
)
def test_an_oversized_document_is_refused_for_the_job_type_and_format(
    tmp_path: Path, files: dict[str, bytes], make_job: Callable[..., Any], needles: list[str]
) -> None:
    error = _refused_job(tmp_path, files, make_job)
    (problem,) = error.problems
    assert problem.startswith("storage=<a JobStorage at 'Documents/Storage'> is not valid: ")
    for needle in needles:
        assert needle in problem, problem
    assert "Fix: split the document into smaller files" in problem


def test_the_same_document_passes_where_the_format_reads_it_by_line(tmp_path: Path) -> None:
    # 2 MB of short lines: too big as one document, fine as documents one per line.
    folder = _folder(tmp_path, {"many.txt": b"a short ticket\n" * (2 * MIB // 15)})
    stack = _stack()
    storage = JobStorage(stack, "Storage", input_documents=folder)
    role = DataAccessRole(stack, "Role", storage=storage)
    _entities(input_format=InputFormat.ONE_DOC_PER_LINE)(stack, storage, role)


def test_a_binary_document_with_one_doc_per_line_is_refused(tmp_path: Path) -> None:
    error = _refused_job(
        tmp_path, {"scan.png": PNG}, _entities(input_format=InputFormat.ONE_DOC_PER_LINE)
    )
    (problem,) = error.problems
    assert problem.startswith("storage=<a JobStorage at 'Documents/Storage'> is not valid: ")
    assert "plain text with ONE_DOC_PER_LINE" in problem
    assert "'scan.png'" in problem and "is binary" in problem
    assert "Fix: set input_format=InputFormat.ONE_DOC_PER_FILE" in problem


def test_an_empty_folder_is_refused(tmp_path: Path) -> None:
    error = _refused_job(tmp_path, {}, _entities())
    (problem,) = error.problems
    folder = str(tmp_path / "documents")
    assert problem.startswith("storage=<a JobStorage at 'Documents/Storage'> is not valid: ")
    assert f"a folder with at least one document; its input_documents folder {folder!r}" in (
        problem
    )
    assert f"Fix: put the documents in {folder}" in problem


def test_a_folder_added_after_the_job_is_checked_against_it(tmp_path: Path) -> None:
    stack = _stack()
    storage = JobStorage(stack, "Storage", input_documents=SAMPLES)
    role = DataAccessRole(stack, "Role", storage=storage)
    _builtin(SentimentDetectionJob)(stack, storage, role)
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        storage.add_input_documents(_folder(tmp_path, {"review.txt": b"a" * (5 * KIB + 1)}))
    (problem,) = raised.value.problems
    assert str(raised.value).startswith("JobStorage at 'Documents/Storage': invalid props: ")
    assert problem.startswith("documents='review.txt' is not valid: ")
    assert "at most 5 KB for a SentimentDetection job" in problem
    assert "SentimentDetectionJob at 'Documents/Job'" in problem
    assert len(stack.node.find_all()) == before


def test_a_brought_storage_is_checked_for_the_patterns_job(tmp_path: Path) -> None:
    stack = _stack()
    storage = JobStorage(
        stack, "Storage", input_documents=_folder(tmp_path, {"big.txt": b"a" * (MIB + 1)})
    )
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(
            stack, "Analysis", recognizer_arn=RECOGNIZER, storage=storage, network=False
        )
    (problem,) = raised.value.problems
    assert problem.startswith("storage=<a JobStorage at 'Documents/Storage'> is not valid: ")
    assert "'big.txt'" in problem
    assert len(stack.node.find_all()) == before


def test_the_patterns_documents_are_checked_for_the_other_jobs_on_its_storage(
    tmp_path: Path,
) -> None:
    # A storage shared with a sentiment job: the pattern's own documents must suit it too,
    # and the pattern finds out before it makes any part.
    stack = _stack()
    storage = JobStorage(stack, "Storage", input_documents=SAMPLES)
    role = DataAccessRole(stack, "Role", storage=storage)
    _builtin(SentimentDetectionJob)(stack, storage, role)
    folder = _folder(tmp_path, {"contract.txt": b"a" * (5 * KIB + 1)})
    before = len(stack.node.find_all())
    with pytest.raises(PropValidationError) as raised:
        ComprehendAnalysis(
            stack,
            "Analysis",
            recognizer_arn=RECOGNIZER,
            storage=storage,
            input_documents=folder,
            network=False,
        )
    (problem,) = raised.value.problems
    assert problem.startswith("input_documents='contract.txt' is not valid: ")
    assert "SentimentDetectionJob at 'Documents/Job'" in problem
    assert len(stack.node.find_all()) == before


# -- the rules run once --------------------------------------------------------------------


@contextlib.contextmanager
def _folder_reads() -> Iterator[mock.MagicMock]:
    """Counts the times a folder's documents are judged (``document_rules._findings``)."""
    with mock.patch.object(document_rules, "_findings", wraps=document_rules._findings) as findings:
        yield findings


def test_a_job_reads_its_storages_folder_once() -> None:
    stack = _stack()
    with _folder_reads() as reads:
        storage = JobStorage(stack, "Storage", input_documents=SAMPLES)
        role = DataAccessRole(stack, "Role", storage=storage)
        _entities()(stack, storage, role)
    assert [c.args[0] for c in reads.call_args_list] == [SAMPLES]


def test_the_pattern_reads_its_documents_once() -> None:
    # The pattern checks them, then the storage uploads them and the job is built from the
    # checked props: neither judges them again.
    stack = _stack()
    with _folder_reads() as reads:
        ComprehendAnalysis(
            stack, "Analysis", recognizer_arn=RECOGNIZER, input_documents=SAMPLES, network=False
        )
    assert [c.args[0] for c in reads.call_args_list] == [SAMPLES]


def test_a_shared_storages_new_folder_is_read_once_per_job(tmp_path: Path) -> None:
    # The pattern reads its folder for its own job and for the job already on the storage
    # before it builds; the storage's upload then reads it for neither again.
    stack = _stack()
    storage = JobStorage(stack, "Storage", input_documents=SAMPLES)
    role = DataAccessRole(stack, "Role", storage=storage)
    _builtin(SentimentDetectionJob)(stack, storage, role)
    folder = _folder(tmp_path, {"contract.txt": b"a short contract"})
    with _folder_reads() as reads:
        ComprehendAnalysis(
            stack,
            "Analysis",
            recognizer_arn=RECOGNIZER,
            storage=storage,
            input_documents=folder,
            network=False,
        )
    judged = sorted((c.args[0], c.args[1]) for c in reads.call_args_list)
    assert judged == sorted(
        [
            (folder, "EntitiesDetection"),  # the pattern's job
            (folder, "SentimentDetection"),  # the job already on the storage
            (SAMPLES, "EntitiesDetection"),  # the storage's own folder, for the pattern's job
        ]
    )
