"""Benchmarks behind the README's figures (run with ``make bench``).

Timings are taken in fresh processes, as a user's ``cdk synth`` pays them, and paired:
the two commands being compared alternate, and the median of the per-pair ratios is
reported, so drift in machine load affects both sides alike.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")

#: CloudFormation and IAM limits a stack of jobs must stay under.
LIMITS = {
    "resources": 500,
    "outputs": 200,
    "template_bytes": 1_000_000,
    "role_inline_policy_chars": 10_240,
    "managed_policy_chars": 6_144,
}


def _timed(command: Sequence[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def paired(
    a: Sequence[str], b: Sequence[str], pairs: int, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Median seconds of ``a`` and ``b`` and the median of the per-pair ratios b/a."""
    _timed(a, env), _timed(b, env)  # warm the file cache
    times_a, times_b = [], []
    for _ in range(pairs):
        times_a.append(_timed(a, env))
        times_b.append(_timed(b, env))
    return {
        "a_s": round(statistics.median(times_a), 2),
        "b_s": round(statistics.median(times_b), 2),
        "ratio": round(
            statistics.median(tb / ta for ta, tb in zip(times_a, times_b, strict=True)), 3
        ),
    }


def _synth(count: int, *, distinct_models: bool) -> dict[str, Any]:
    import aws_cdk as cdk
    from stacks import jobs_stack

    app = cdk.App(outdir=tempfile.mkdtemp(prefix="bench-"))
    stack = jobs_stack(app, count, distinct_models=distinct_models)
    template = app.synth().get_stack_by_name(stack.stack_name).template
    role_policy_chars: dict[str, int] = {"": 0}
    managed_policy_chars = [0]
    for resource in template["Resources"].values():
        kind = resource["Type"]
        if kind not in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            continue
        # IAM counts policy size without white space.
        size = len(json.dumps(resource["Properties"]["PolicyDocument"], separators=(",", ":")))
        if kind == "AWS::IAM::ManagedPolicy":
            managed_policy_chars.append(size)
            continue
        for role in resource["Properties"].get("Roles", []):
            key = json.dumps(role)
            role_policy_chars[key] = role_policy_chars.get(key, 0) + size
    return {
        "resources": len(template["Resources"]),
        "outputs": len(template.get("Outputs", {})),
        "template_bytes": len(json.dumps(template, separators=(",", ":"))),
        "role_inline_policy_chars": max(role_policy_chars.values()),
        "managed_policy_chars": max(managed_policy_chars),
    }


def scale(distinct_models: bool) -> dict[str, Any]:
    """Measure at 100 and 200 jobs, extrapolate each limit linearly, name the first hit."""
    at100 = _synth(100, distinct_models=distinct_models)
    at200 = _synth(200, distinct_models=distinct_models)
    capacity = {}
    for name, limit in LIMITS.items():
        per_job = (at200[name] - at100[name]) / 100
        capacity[name] = 10**9 if per_job <= 0 else int(100 + (limit - at100[name]) / per_job)
    first = min(capacity, key=lambda k: capacity[k])
    return {"at_100_jobs": at100, "max_jobs": capacity[first], "limit_hit_first": first}


def resources_per_job() -> float:
    one = _synth(1, distinct_models=False)["resources"]
    eleven = _synth(11, distinct_models=False)["resources"]
    return (eleven - one) / 10


def handler_import_ms(runs: int = 7) -> float:
    """Median cold import time of the handler module in a fresh interpreter."""
    code = (
        "import time; t = time.perf_counter(); import analysis_job; print(time.perf_counter() - t)"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "lambda"))
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
        ).stdout
        samples.append(float(out.strip().splitlines()[-1]) * 1000)
    return round(statistics.median(samples), 1)


def main() -> None:
    python = sys.executable
    results: dict[str, Any] = {}
    results["resources_added_per_extra_job"] = resources_per_job()
    results["synth_50_jobs_vs_1_job"] = paired(
        [python, "bench/stacks.py", "jobs", "1"], [python, "bench/stacks.py", "jobs", "50"], 5
    )
    env = dict(os.environ, CDK_OUTDIR=tempfile.mkdtemp(prefix="bench-app-"))
    results["app_with_nag_vs_empty_stack"] = paired(
        [python, "bench/stacks.py", "empty"], [python, "app.py"], 5, env
    )
    results["handler_cold_import_ms"] = handler_import_ms()
    results["scale_shared_model"] = scale(distinct_models=False)
    results["scale_distinct_models"] = scale(distinct_models=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
