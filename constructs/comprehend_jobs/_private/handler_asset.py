"""Where the custom-resource handler's code is, wherever the library is installed."""

from __future__ import annotations

import importlib.resources
from pathlib import Path

#: Files in the handler folder that are not code the Lambda needs; excluding them keeps
#: the asset hash the same on every machine (bytecode caches differ per interpreter).
ASSET_EXCLUDES: list[str] = ["__pycache__", "*.pyc", ".mypy_cache", ".pytest_cache"]


def handler_asset_path() -> str:
    """The folder holding ``analysis_job.py`` and ``job_types.py``.

    Resolved through the package (``comprehend_jobs._lambda``) rather than relative to
    this repository, so a library installed from a wheel into another project finds its
    own handler code.
    """
    folder = importlib.resources.files("comprehend_jobs._lambda")
    path = Path(str(folder))
    if not (path / "analysis_job.py").is_file():
        raise FileNotFoundError(
            f"comprehend_jobs: the custom-resource handler is missing from {path}; "
            "reinstall the comprehend-jobs package."
        )
    return str(path)
