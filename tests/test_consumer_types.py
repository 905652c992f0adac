"""The types hold for a user: an app outside this repository, type-checked with
``mypy --strict`` against the installed wheel, sees the library's real types.

The wheel is the one ``tests/test_wheel.py`` builds (once per session). It is installed
without dependencies into a fresh virtual environment whose path also holds this
environment's site-packages (aws-cdk-lib and the rest, nothing downloaded), and mypy checks
the app with that interpreter, as a user's editor or CI would. mypy's cache persists in
pytest's cache folder: the first run analyses aws-cdk-lib (a minute or two), later runs
only the library.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import textwrap
from pathlib import Path

import pytest
from test_wheel import built_wheel

pytestmark = pytest.mark.slow

APP = textwrap.dedent(
    """
    import aws_cdk as cdk

    from comprehend_jobs import (
        ComprehendAnalysis,
        DataAccessRole,
        EntityRecognitionJob,
        IDataAccessRole,
        IJobStorage,
        JobProps,
        JobStorage,
        PropValidationError,
    )
    from comprehend_jobs.job_types import ENTITIES_DETECTION, JOB_TYPES, JobType

    RECOGNIZER = "arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/r"


    def start_operation(job_type: JobType) -> str:
        return job_type.start_operation


    app = cdk.App()
    stack = cdk.Stack(app, "Consumer")
    storage = JobStorage(stack, "Storage")
    role = DataAccessRole(stack, "Role", storage=storage)
    imported = DataAccessRole.from_role_arn(stack, "Imported", "arn:aws:iam::111122223333:role/r")
    as_storage: IJobStorage = storage
    as_role: IDataAccessRole = role
    props: JobProps = {"storage": as_storage, "role": imported}
    job = EntityRecognitionJob(stack, "Job", recognizer_arn=RECOGNIZER, **props)
    analysis = ComprehendAnalysis(stack, "Analysis", recognizer_arn=RECOGNIZER)
    try:
        EntityRecognitionJob(stack, "Bad", recognizer_arn="r", storage=storage, role=as_role)
    except PropValidationError as error:
        reveal_type(error)

    reveal_type(JOB_TYPES)
    reveal_type(ENTITIES_DETECTION)
    reveal_type(ENTITIES_DETECTION.stem)
    reveal_type(start_operation(JOB_TYPES["EntitiesDetection"]))
    reveal_type(storage)
    reveal_type(role)
    reveal_type(imported)
    reveal_type(props["storage"])
    reveal_type(job)
    reveal_type(job.job_arn)
    reveal_type(analysis)
    reveal_type(analysis.job)
    """
)

#: Revealed types checked exactly; every other one must name the class or builtin shown.
EXACT = {
    "error": "comprehend_jobs.errors.PropValidationError",
    "JOB_TYPES": "dict[str, comprehend_jobs._lambda.job_types.JobType]",
    "ENTITIES_DETECTION": "comprehend_jobs._lambda.job_types.JobType",
    "ENTITIES_DETECTION.stem": "str",
    'start_operation(JOB_TYPES["EntitiesDetection"])': "str",
    "imported": "comprehend_jobs.interfaces.IDataAccessRole",
    'props["storage"]': "comprehend_jobs.interfaces.IJobStorage",
    "job.job_arn": "str",
}
ENDS_WITH = {
    "storage": ".JobStorage",
    "role": ".DataAccessRole",
    "job": ".EntityRecognitionJob",
    "analysis": ".ComprehendAnalysis",
    "analysis.job": ".AnalysisJob",
}
#: A user's strictest settings: --strict, and no expression of type Any anywhere in the app;
#: no configuration file is read.
MYPY_OPTIONS = ("--strict", "--disallow-any-expr", "--config-file=")
REVEALED = re.compile(r'^app\.py:(\d+): note: Revealed type is "(.*)"$')


@pytest.fixture(scope="module")
def consumer_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the wheel installed and this environment's
    site-packages behind it for the dependencies."""
    venv = tmp_path_factory.mktemp("consumer") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    wheel = built_wheel(tmp_path_factory)
    pip = [sys.executable, "-m", "pip", "--python", str(python), "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "install", "--quiet", "--no-deps", "--no-index", str(wheel)],
        check=True,
        capture_output=True,
    )
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()[key] for key in ("purelib", "platlib")}
    (Path(site) / "_dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    return python


def test_the_app_sees_the_installed_wheel(consumer_python: Path, tmp_path: Path) -> None:
    probe = "import comprehend_jobs, comprehend_jobs.job_types as t; print(t.__file__)"
    found = subprocess.run(
        [str(consumer_python), "-I", "-c", probe],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    assert Path(found).is_relative_to(consumer_python.parents[1])


def test_strict_mypy_sees_no_any_in_the_public_api(
    consumer_python: Path, tmp_path: Path, pytestconfig: pytest.Config
) -> None:
    # GIVEN an app of a user's, in a folder of its own
    (tmp_path / "app.py").write_text(APP)
    cache = (
        pytestconfig.cache.mkdir("consumer-types-mypy")
        if pytestconfig.cache is not None
        else tmp_path / "mypy-cache"
    )
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "MYPYPATH")
    }
    checked_with = ["--python-executable", str(consumer_python), "--cache-dir", str(cache)]
    # WHEN mypy --strict (and no expression of type Any at all) checks it against the wheel
    run = subprocess.run(
        [sys.executable, "-m", "mypy", *MYPY_OPTIONS, *checked_with, "app.py"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )

    # THEN it passes, and every revealed type is the library's real one
    assert run.returncode == 0, run.stdout + run.stderr
    lines = APP.splitlines()
    revealed = {}
    for line in run.stdout.splitlines():
        match = REVEALED.match(line)
        if match:
            source = lines[int(match[1]) - 1].strip()
            revealed[source.removeprefix("reveal_type(").removesuffix(")")] = match[2]
    assert set(revealed) == set(EXACT) | set(ENDS_WITH), run.stdout
    assert [t for t in revealed.values() if "Any" in t] == []
    assert {k: revealed[k] for k in EXACT} == EXACT
    assert all(revealed[k].endswith(v) for k, v in ENDS_WITH.items()), revealed
