"""Cold start: importing the handler must stay cheap (boto3 loads on first use only)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

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
