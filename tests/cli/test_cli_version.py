"""`comprehend-jobs --version`: the installed package's version, exit 0."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from cli.moto_jobs import FakeClock, invoke, runtime


def test_version_prints_the_installed_version(clock: FakeClock) -> None:
    run = invoke(["--version"], runtime(clock))

    assert (run.code, run.stdout, run.stderr) == (
        0,
        f"comprehend-jobs {version('comprehend-jobs')}\n",
        "",
    )


def test_version_needs_no_command_or_aws(clock: FakeClock) -> None:
    # Nothing is asked of AWS: a session would fail this run.
    def no_session(**_: object) -> object:
        raise AssertionError("--version must not make an AWS session")

    run = invoke(["--version"], runtime(clock, session_factory=no_session))

    assert run.code == 0


def test_console_script_version_exits_0() -> None:
    script = Path(sys.executable).with_name("comprehend-jobs")

    done = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=120)

    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == f"comprehend-jobs {version('comprehend-jobs')}\n"
