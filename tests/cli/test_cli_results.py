"""`comprehend-jobs results`: download, extract and turn output into rows."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from botocore.exceptions import ClientError

from cli.moto_jobs import (
    ACCOUNT,
    Emulator,
    FakeClock,
    class_line,
    entity_line,
    invoke,
    runtime,
)
from comprehend_jobs.cli.discovery import JobRef
from comprehend_jobs.cli.errors import AccessDenied
from comprehend_jobs.cli.fetch import fetch_output
from comprehend_jobs.cli.status import JobState
from comprehend_jobs.job_types import (
    DOCUMENT_CLASSIFICATION,
    ENTITIES_DETECTION,
    PII_ENTITIES_DETECTION,
    JobType,
)

ENTITY_OUTPUT = "\n".join(
    [
        entity_line("invoices.txt", 0, [("VENDOR", "Acme Corp", 12, 0.9981)]),
        entity_line("invoices.txt", 1, []),
        entity_line(
            "invoices.txt", 2, [("VENDOR", "Initech", 0, 0.97), ("AMOUNT", "$1,200", 31, 0.912)]
        ),
    ]
)
CLASS_OUTPUT = "\n".join(
    [
        class_line("tickets.txt", 0, "Classes", {"BILLING": 0.91, "SHIPPING": 0.08}),
        class_line("tickets.txt", 1, "Classes", {"BILLING": 0.2, "SHIPPING": 0.79}),
    ]
)


def completed_job(emulator: Emulator, job_type: JobType, name: str, members: dict[str, str]) -> str:
    """A COMPLETED job whose output.tar.gz holds ``members``, in stack "Jobs"."""
    arn = emulator.start_job(job_type, name)
    uri = emulator.put_archive(
        f"{emulator.output_prefix(arn, name, job_type)}/output.tar.gz", members
    )
    emulator.set_job(arn, "COMPLETED", output_uri=uri)
    return arn


def test_entities_become_one_csv_row_per_entity(emulator: Emulator, clock: FakeClock) -> None:
    # GIVEN a completed entity-recognition job whose archive holds the "output" file
    arn = completed_job(emulator, ENTITIES_DETECTION, "invoices", {"output": ENTITY_OUTPUT})
    emulator.deploy_stack("Jobs", {"EntitiesJobArn": arn})

    # WHEN
    run = invoke(["results", "Jobs", "--format", "csv"], runtime(clock))

    # THEN
    assert run.code == 0, run.stderr
    assert list(csv.reader(io.StringIO(run.stdout))) == [
        ["file", "line", "type", "text", "begin_offset", "end_offset", "score", "error"],
        ["invoices.txt", "0", "VENDOR", "Acme Corp", "12", "21", "0.9981", ""],
        ["invoices.txt", "2", "VENDOR", "Initech", "0", "7", "0.9700", ""],
        ["invoices.txt", "2", "AMOUNT", "$1,200", "31", "37", "0.9120", ""],
    ]


def test_entities_as_jsonl_keep_numbers(emulator: Emulator, clock: FakeClock) -> None:
    arn = completed_job(emulator, ENTITIES_DETECTION, "invoices", {"output": ENTITY_OUTPUT})
    emulator.deploy_stack("Jobs", {"EntitiesJobArn": arn})

    run = invoke(["results", "Jobs", "--format", "jsonl"], runtime(clock))

    assert run.code == 0
    rows = [json.loads(line) for line in run.stdout.splitlines()]
    assert rows[0] == {
        "file": "invoices.txt",
        "line": 0,
        "type": "VENDOR",
        "text": "Acme Corp",
        "begin_offset": 12,
        "end_offset": 21,
        "score": 0.9981,
        "error": "",
    }
    assert len(rows) == 3


def test_classification_becomes_one_row_per_document(emulator: Emulator, clock: FakeClock) -> None:
    arn = completed_job(
        emulator, DOCUMENT_CLASSIFICATION, "tickets", {"predictions.jsonl": CLASS_OUTPUT}
    )
    emulator.deploy_stack("Jobs", {"ClassificationJobArn": arn})

    run = invoke(["results", "Jobs"], runtime(clock))

    assert run.code == 0, run.stderr
    assert run.stdout.splitlines() == [
        "FILE         LINE  LABEL     SCORE   LABELS                           ERROR",
        "tickets.txt  0     BILLING   0.9100  BILLING=0.9100; SHIPPING=0.0800",
        "tickets.txt  1     SHIPPING  0.7900  SHIPPING=0.7900; BILLING=0.2000",
    ]


def test_multi_label_classification_lists_every_label(emulator: Emulator, clock: FakeClock) -> None:
    output = class_line("a.txt", 0, "Labels", {"urgent": 0.6, "billing": 0.95})
    arn = completed_job(emulator, DOCUMENT_CLASSIFICATION, "tickets", {"predictions.jsonl": output})
    emulator.deploy_stack("Jobs", {"ClassificationJobArn": arn})

    run = invoke(["results", "Jobs", "--format", "jsonl"], runtime(clock))

    assert json.loads(run.stdout) == {
        "file": "a.txt",
        "line": 0,
        "label": "billing",
        "score": 0.95,
        "labels": [{"name": "billing", "score": 0.95}, {"name": "urgent", "score": 0.6}],
        "error": "",
    }


def test_out_keeps_extracted_files_and_writes_rows_per_job(
    emulator: Emulator, clock: FakeClock, tmp_path: Path
) -> None:
    # GIVEN two completed jobs
    entities = completed_job(emulator, ENTITIES_DETECTION, "invoices", {"output": ENTITY_OUTPUT})
    classes = completed_job(
        emulator, DOCUMENT_CLASSIFICATION, "tickets", {"predictions.jsonl": CLASS_OUTPUT}
    )
    emulator.deploy_stack("Jobs", {"A": entities, "B": classes})

    # WHEN
    run = invoke(["results", "Jobs", "--format", "csv", "--out", str(tmp_path)], runtime(clock))

    # THEN each job's files are extracted and its rows written beside them
    assert run.code == 0, run.stderr
    assert (tmp_path / "invoices" / "output" / "output").read_text() == ENTITY_OUTPUT
    assert (tmp_path / "tickets" / "output" / "predictions.jsonl").read_text() == CLASS_OUTPUT
    assert len((tmp_path / "invoices.csv").read_text().splitlines()) == 4
    assert len((tmp_path / "tickets.csv").read_text().splitlines()) == 3
    assert run.stdout.splitlines() == [
        f"invoices: 3 row(s) written to {tmp_path / 'invoices.csv'}; "
        f"1 file(s) extracted to {tmp_path / 'invoices' / 'output'}",
        f"tickets: 2 row(s) written to {tmp_path / 'tickets.csv'}; "
        f"1 file(s) extracted to {tmp_path / 'tickets' / 'output'}",
    ]


def test_pii_output_folder_is_downloaded_file_by_file(emulator: Emulator, clock: FakeClock) -> None:
    # GIVEN a PII job (ONLY_OFFSETS) whose output is a folder of <input>.out files
    arn = emulator.start_job(PII_ENTITIES_DETECTION, "pii")
    prefix = emulator.output_prefix(arn, "pii", PII_ENTITIES_DETECTION)
    offsets = {"BeginOffset": 8, "EndOffset": 18, "Score": 0.99, "Type": "NAME"}
    uri = emulator.put_folder(
        prefix,
        {
            "a.txt.out": json.dumps({"Entities": [offsets], "File": "a.txt", "Line": 0}),
            "b.txt.out": json.dumps({"Entities": [], "File": "b.txt", "Line": 0}),
        },
    )
    emulator.set_job(arn, "COMPLETED", output_uri=uri)
    emulator.deploy_stack("Jobs", {"PiiJobArn": arn})

    run = invoke(["results", "Jobs", "--format", "csv"], runtime(clock))

    assert run.code == 0, run.stderr
    assert run.stdout.splitlines()[1:] == ["a.txt,0,NAME,,8,18,0.9900,"]


def test_job_option_picks_one_job_by_name(emulator: Emulator, clock: FakeClock) -> None:
    entities = completed_job(emulator, ENTITIES_DETECTION, "invoices", {"output": ENTITY_OUTPUT})
    classes = completed_job(
        emulator, DOCUMENT_CLASSIFICATION, "tickets", {"predictions.jsonl": CLASS_OUTPUT}
    )
    emulator.deploy_stack("Jobs", {"A": entities, "B": classes})

    run = invoke(["results", "Jobs", "--job", "tickets", "--format", "csv"], runtime(clock))

    assert run.code == 0
    assert run.stdout.splitlines()[0] == "file,line,label,score,labels,error"


def test_several_jobs_to_stdout_ask_for_a_choice(emulator: Emulator, clock: FakeClock) -> None:
    entities = completed_job(emulator, ENTITIES_DETECTION, "invoices", {"output": ENTITY_OUTPUT})
    classes = completed_job(
        emulator, DOCUMENT_CLASSIFICATION, "tickets", {"predictions.jsonl": CLASS_OUTPUT}
    )
    emulator.deploy_stack("Jobs", {"A": entities, "B": classes})

    run = invoke(["results", "Jobs"], runtime(clock))

    assert run.code == 2
    assert run.stderr == (
        "comprehend-jobs: error: stack Jobs has 2 jobs (invoices, tickets); pick one with "
        "--job NAME or write them all with --out DIR\n"
    )


def test_unknown_job_name_lists_the_names(emulator: Emulator, clock: FakeClock) -> None:
    arn = completed_job(emulator, ENTITIES_DETECTION, "invoices", {"output": ENTITY_OUTPUT})
    emulator.deploy_stack("Jobs", {"A": arn})

    run = invoke(["results", "Jobs", "--job", "nope"], runtime(clock))

    assert run.code == 9
    assert run.stderr == (
        "comprehend-jobs: error: no job named 'nope' in the stack; its jobs are: invoices\n"
    )


def test_running_job_has_no_results_yet(emulator: Emulator, clock: FakeClock) -> None:
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")
    emulator.set_job(arn, "IN_PROGRESS")
    emulator.deploy_stack("Jobs", {"A": arn})

    run = invoke(["results", "Jobs"], runtime(clock))

    assert run.code == 6
    assert run.stderr == (
        "comprehend-jobs: error: job invoices is still IN_PROGRESS; wait for it with "
        "`comprehend-jobs status Jobs --wait`\n"
    )


def test_failed_job_has_no_results(emulator: Emulator, clock: FakeClock) -> None:
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")
    emulator.set_job(arn, "FAILED", message="NO_WRITE_ACCESS_TO_OUTPUT: no write access")
    emulator.deploy_stack("Jobs", {"A": arn})

    run = invoke(["results", "Jobs"], runtime(clock))

    assert run.code == 1
    assert run.stderr == (
        "comprehend-jobs: error: job invoices FAILED: NO_WRITE_ACCESS_TO_OUTPUT: no write "
        "access; it has no results\n"
    )


@pytest.mark.parametrize("job_type", [ENTITIES_DETECTION, PII_ENTITIES_DETECTION])
def test_missing_output_is_reported(
    emulator: Emulator, clock: FakeClock, job_type: JobType
) -> None:
    # GIVEN a COMPLETED job whose output was never written (or was deleted)
    arn = emulator.start_job(job_type, "gone")
    prefix = emulator.output_prefix(arn, "gone", job_type)
    is_folder = job_type is PII_ENTITIES_DETECTION
    uri = f"s3://docs-out/{prefix}/" if is_folder else f"s3://docs-out/{prefix}/output.tar.gz"
    emulator.set_job(arn, "COMPLETED", output_uri=uri)
    emulator.deploy_stack("Jobs", {"A": arn})

    run = invoke(["results", "Jobs"], runtime(clock))

    assert run.code == 7
    assert run.stderr.startswith("comprehend-jobs: error: job gone is COMPLETED but ")
    assert run.stderr.count("\n") == 1
    assert f"{ACCOUNT}-" in run.stderr


def test_access_denied_on_the_output_names_s3_and_kms(tmp_path: Path) -> None:
    # GIVEN an S3 client that is refused the object (moto does not enforce IAM)
    class Refused:
        def download_file(self, bucket: str, key: str, target: str) -> None:
            raise ClientError({"Error": {"Code": "403", "Message": "Forbidden"}}, "HeadObject")

    ref = JobRef(
        "arn:aws:comprehend:us-east-1:123456789012:entities-detection-job/abc",
        ENTITIES_DETECTION,
        "Job",
    )
    state = JobState(ref, "invoices", "COMPLETED", None, None, "", "s3://out/a/output.tar.gz")

    with pytest.raises(AccessDenied) as denied:
        fetch_output(Refused(), state, tmp_path)

    assert str(denied.value) == (
        "access denied: missing permission s3:GetObject (and kms:Decrypt on the output key if "
        "SSE-KMS) on s3://out/a/output.tar.gz (Forbidden)"
    )


def test_archive_members_outside_the_folder_are_not_extracted(
    emulator: Emulator, clock: FakeClock, tmp_path: Path
) -> None:
    # GIVEN an archive that also holds a path escaping the output folder
    members = {"output": ENTITY_OUTPUT, "../escaped": "x", "/abs": "x"}
    arn = completed_job(emulator, ENTITIES_DETECTION, "invoices", members)
    emulator.deploy_stack("Jobs", {"A": arn})

    run = invoke(["results", "Jobs", "--out", str(tmp_path / "r")], runtime(clock))

    assert run.code == 0, run.stderr
    assert sorted(p.name for p in (tmp_path / "r").rglob("*") if p.is_file()) == [
        "invoices.txt",
        "output",
        "output.tar.gz",
    ]
