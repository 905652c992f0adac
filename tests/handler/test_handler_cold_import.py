"""Importing the handler: flat in the Lambda asset, cheap at cold start.

The Lambda runtime puts the asset folder on ``sys.path`` and imports ``analysis_job``
top-level (handler ``analysis_job.on_event``); the library and these tests import the
same files as the package ``comprehend_jobs._lambda``. Both must work.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from comprehend_jobs._private.handler_asset import ASSET_EXCLUDES, handler_asset_path

LAMBDA_DIR = Path(__file__).resolve().parents[2] / "lambda"


def test_import_loads_neither_boto3_nor_the_service_model() -> None:
    probe = (
        "import sys, analysis_job; "
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore')); "
        "print(','.join(heavy))"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=LAMBDA_DIR,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout.strip() == ""


def test_the_asset_imports_flat_with_only_itself_on_the_path(tmp_path: Path) -> None:
    # GIVEN the asset as the CDK stages it, in a folder of its own
    asset = tmp_path / "asset"
    shutil.copytree(handler_asset_path(), asset, ignore=shutil.ignore_patterns(*ASSET_EXCLUDES))
    # WHEN an interpreter without site-packages (-S) or the working directory (-I) on its
    # path imports the handler top-level, as the Lambda runtime does
    probe = (
        "import sys\n"
        f"sys.path.insert(0, {str(asset)!r})\n"
        "import analysis_job\n"
        "assert callable(analysis_job.on_event) and callable(analysis_job.is_complete)\n"
        "print(analysis_job.request_builder.__name__, analysis_job.job_types.__name__)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'comprehend_jobs'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", probe], capture_output=True, text=True, cwd=tmp_path
    )

    # THEN its siblings are the asset's own top-level modules, not the installed package
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["request_builder job_types", "[]"]


def test_every_handler_module_imports_as_the_package() -> None:
    # The library's name for the asset: no module may need the asset folder on sys.path.
    modules = sorted(p.stem for p in LAMBDA_DIR.glob("*.py") if p.stem != "__init__")
    probe = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module('comprehend_jobs._lambda.' + name)\n"
        f"print(sorted(set({modules!r}) & set(sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", probe], capture_output=True, text=True, cwd=LAMBDA_DIR
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
