"""`comprehend-jobs status`: the job table, following jobs, exit codes."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cli.moto_jobs import T0, Emulator, FakeClock, TtyStream, invoke, runtime
from comprehend_jobs.job_types import DOCUMENT_CLASSIFICATION, ENTITIES_DETECTION, JOB_TYPES


def test_lists_every_job_the_stack_started(emulator: Emulator, clock: FakeClock) -> None:
    # GIVEN a stack whose outputs carry one job of every type
    arns = {stem: emulator.start_job(t, f"job-{t.arn_resource}") for stem, t in JOB_TYPES.items()}
    emulator.deploy_stack("Jobs", {f"{stem}JobArn": arn for stem, arn in arns.items()})

    # WHEN
    run = invoke(["status", "Jobs"], runtime(clock))

    # THEN one row per job, with type, name and status, and nothing on stderr
    assert run.code == 0, run.stderr
    assert run.stderr == ""
    lines = run.stdout.splitlines()
    assert lines[0].split() == ["TYPE", "NAME", "STATUS", "SUBMITTED", "ELAPSED", "OUTPUT"]
    assert len(lines) == 1 + len(JOB_TYPES)
    for job_type in JOB_TYPES.values():
        label = job_type.arn_resource.removesuffix("-job")
        row = next(line for line in lines if line.startswith(label + " "))
        assert row.split()[1:3] == [f"job-{job_type.arn_resource}", "SUBMITTED"]


def test_shows_submit_time_elapsed_and_output_location(
    emulator: Emulator, clock: FakeClock
) -> None:
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")
    emulator.set_job(
        arn,
        "COMPLETED",
        submitted=T0,
        ended=T0 + timedelta(minutes=8, seconds=7),
        output_uri="s3://docs-out/invoices/123456789012-NER-x/output/output.tar.gz",
    )
    emulator.deploy_stack("Jobs", {"EntitiesJobArn": arn})

    run = invoke(["status", "Jobs"], runtime(clock))

    assert run.code == 0
    assert run.stdout.splitlines()[1].split() == [
        "entities-detection",
        "invoices",
        "COMPLETED",
        "2026-11-23T09:00:00Z",
        "8m07s",
        "s3://docs-out/invoices/123456789012-NER-x/output/output.tar.gz",
    ]


def test_failed_job_shows_the_service_message_and_exits_1(
    emulator: Emulator, clock: FakeClock
) -> None:
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")
    message = (
        "NO_READ_ACCESS_TO_INPUT: The provided data access role does not have proper access "
        "to the input data."
    )
    emulator.set_job(arn, "FAILED", message=message, submitted=T0, ended=T0 + timedelta(seconds=14))
    emulator.deploy_stack("Jobs", {"EntitiesJobArn": arn})

    run = invoke(["status", "Jobs"], runtime(clock))

    assert run.code == 1
    assert f"  message: {message}" in run.stdout.splitlines()


def test_wait_prints_one_line_per_status_change_when_not_a_terminal(
    emulator: Emulator, clock: FakeClock
) -> None:
    # GIVEN a job that moves SUBMITTED -> IN_PROGRESS -> IN_PROGRESS -> COMPLETED
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")
    emulator.set_job(arn, "SUBMITTED", submitted=T0)
    emulator.deploy_stack("Jobs", {"EntitiesJobArn": arn})
    output = "s3://docs-out/invoices/out/output.tar.gz"
    clock.then(
        lambda: emulator.set_job(arn, "IN_PROGRESS"),
        lambda: None,
        lambda: emulator.set_job(arn, "COMPLETED", ended=clock.now(), output_uri=output),
    )

    # WHEN
    run = invoke(["status", "Jobs", "--wait", "--interval", "20"], runtime(clock))

    # THEN a line per change, polls every 20 s, and a summary; exit 0
    assert run.code == 0, run.stderr
    assert clock.sleeps == [20, 20, 20]
    assert run.stdout.splitlines() == [
        "2026-11-23T09:00:00Z  entities-detection  invoices  SUBMITTED  elapsed 0s",
        "2026-11-23T09:00:20Z  entities-detection  invoices  SUBMITTED -> IN_PROGRESS  elapsed 20s",
        "2026-11-23T09:01:00Z  entities-detection  invoices  IN_PROGRESS -> COMPLETED"
        f"  elapsed 1m00s  output {output}",
        "all 1 job(s) COMPLETED",
    ]


def test_wait_exits_1_when_a_job_fails(emulator: Emulator, clock: FakeClock) -> None:
    good = emulator.start_job(ENTITIES_DETECTION, "invoices")
    bad = emulator.start_job(DOCUMENT_CLASSIFICATION, "tickets")
    emulator.deploy_stack("Jobs", {"A": good, "B": bad})

    def both_end() -> None:
        emulator.set_job(good, "COMPLETED", ended=clock.now())
        emulator.set_job(bad, "FAILED", ended=clock.now(), message="INTERNAL_ERROR: oops")

    clock.then(both_end)

    run = invoke(["status", "Jobs", "--wait", "--interval", "5"], runtime(clock))

    assert run.code == 1
    assert "message: INTERNAL_ERROR: oops" in run.stdout
    assert run.stdout.splitlines()[-1].startswith("1 of 2 job(s) did not complete: tickets FAILED")


def test_wait_redraws_in_place_on_a_terminal(emulator: Emulator, clock: FakeClock) -> None:
    # GIVEN a terminal, and a job that completes after the first poll
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")
    emulator.set_job(arn, "IN_PROGRESS", submitted=T0)
    emulator.deploy_stack("Jobs", {"EntitiesJobArn": arn})
    stream = TtyStream()
    clock.then(*[lambda: None] * 2, lambda: emulator.set_job(arn, "COMPLETED", ended=clock.now()))

    # WHEN
    run = invoke(["status", "Jobs", "--wait", "--interval", "3"], runtime(clock, stdout=stream))

    # THEN the elapsed time ticks every second, each table replacing the one before
    assert run.code == 0
    assert clock.sleeps == [1, 1, 1]
    frames = run.stdout.split("\x1b[2F\x1b[J")
    assert len(frames) == 4
    assert [f.splitlines()[1].split()[2:5:2] for f in frames] == [
        ["IN_PROGRESS", "0s"],
        ["IN_PROGRESS", "1s"],
        ["IN_PROGRESS", "2s"],
        ["COMPLETED", "3s"],
    ]
    assert frames[-1].splitlines()[-1] == "all 1 job(s) COMPLETED"


@pytest.mark.parametrize("interval", ["0", "-5", "soon", "7200"])
def test_interval_must_be_a_sensible_number(
    interval: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from comprehend_jobs.cli import main

    with pytest.raises(SystemExit) as exit_info:
        main(["status", "Jobs", "--wait", "--interval", interval])

    assert exit_info.value.code == 2
    assert "--interval" in capsys.readouterr().err
