"""The built wheel works on its own: installed into a fresh venv outside this repository,
it synthesizes an app with a job, finding its handler code inside the installed package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

APP = textwrap.dedent(
    """
    import aws_cdk as cdk
    from comprehend_jobs import DataAccessRole, EntityRecognitionJob, JobStorage

    app = cdk.App(outdir="out")
    stack = cdk.Stack(app, "WheelStack")
    storage = JobStorage(stack, "Storage")
    role = DataAccessRole(stack, "Role", storage=storage)
    EntityRecognitionJob(
        stack,
        "Job",
        recognizer_arn="arn:aws:comprehend:us-east-1:111122223333:entity-recognizer/r",
        storage=storage,
        role=role,
    )
    app.synth()
    """
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("comprehend_jobs-*.whl")
    return built


def test_wheel_ships_the_package_and_its_handler_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "comprehend_jobs/__init__.py" in names
    assert "comprehend_jobs/py.typed" in names
    assert "comprehend_jobs/_lambda/analysis_job.py" in names
    assert "comprehend_jobs/_lambda/job_types.py" in names
    assert not [n for n in names if n.startswith(("constructs/", "lambda/", "tests/"))]
    assert not [n for n in names if "__pycache__" in n]


@pytest.mark.slow
def test_installed_wheel_synthesizes_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(wheel)],
        check=True,
        capture_output=True,
    )
    project = tmp_path / "project"
    project.mkdir()
    (project / "app.py").write_text(APP)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"] = "20"
    run = subprocess.run(
        [str(python), "app.py"], cwd=project, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
    assert "end-of-life" not in run.stderr

    template = json.loads((project / "out" / "WheelStack.template.json").read_text())
    types = [r["Type"] for r in template["Resources"].values()]
    assert types.count("Custom::ComprehendAnalysisJob") == 1
    handler_assets = [
        p for p in (project / "out").glob("asset.*") if (p / "analysis_job.py").is_file()
    ]
    assert len(handler_assets) == 1
    assert (handler_assets[0] / "job_types.py").is_file()
