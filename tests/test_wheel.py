"""The built wheel works on its own: installed into a fresh venv outside this repository,
it synthesizes an app with a job, finding its handler code inside the installed package."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import textwrap
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Slow tier: builds the wheel and the sdist, and installs one into a fresh venv.
pytestmark = pytest.mark.slow

APP = textwrap.dedent(
    """
    import aws_cdk as cdk
    from comprehend_jobs import DataAccessRole, EntityRecognitionJob, JobStorage

    app = cdk.App(outdir="out")
    stack = cdk.Stack(app, "WheelStack")
    # Documents already in S3: a job on a created, empty input bucket fails synth.
    storage = JobStorage.from_s3_uris(stack, "Storage", input_s3_uri="s3://wheel-docs/in/")
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


HANDLER_MODULES = sorted(p.name for p in (ROOT / "lambda").glob("*.py"))


def built_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel ``python -m build`` makes: an sdist first, then the wheel from the sdist,
    as a user's ``pip install`` of the sdist would. Built once per test session (the
    consumer type test uses it too) into the session's temporary folder."""
    out = tmp_path_factory.getbasetemp() / "wheel-dist"
    if not list(out.glob("comprehend_jobs-*.whl")):
        subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out)],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
    (built,) = out.glob("comprehend_jobs-*.whl")
    return built


@pytest.fixture(scope="session")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_wheel(tmp_path_factory)


def test_wheel_ships_the_package_and_its_handler_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert "comprehend_jobs/__init__.py" in names
    assert "comprehend_jobs/py.typed" in names
    assert "comprehend_jobs/job_types.py" in names
    shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("comprehend_jobs/_lambda/"))
    assert shipped == HANDLER_MODULES
    assert not [n for n in names if n.startswith(("constructs/", "lambda/", "tests/"))]
    assert not [n for n in names if "__pycache__" in n]
    assert len(names) == len(set(names))


def test_sdist_holds_the_handler_folder_not_the_symlink(wheel: Path) -> None:
    # The wheel above was built from this sdist; the handler reaches it as lambda/ (the
    # package-dir mapping), so a platform without symlinks builds the same wheel.
    (sdist,) = wheel.parent.glob("comprehend_jobs-*.tar.gz")
    with tarfile.open(sdist) as archive:
        members = {m.name.split("/", 1)[1]: m for m in archive.getmembers() if "/" in m.name}
    assert sorted(n.rsplit("/", 1)[1] for n in members if n.startswith("lambda/")) == (
        HANDLER_MODULES
    )
    assert not [n for n in members if n.startswith("constructs/comprehend_jobs/_lambda")]
    assert not [m.name for m in members.values() if m.issym() or m.islnk()]


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

    # Every handler module also imports as the installed package (no flat sibling import).
    modules = [f"comprehend_jobs._lambda.{Path(m).stem}" for m in HANDLER_MODULES]
    probe = f"import importlib\nfor name in {modules!r}:\n    importlib.import_module(name)\n"
    run = subprocess.run(
        [str(python), "-I", "-c", probe], cwd=project, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr[-3000:]
