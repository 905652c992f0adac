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
    times = rounds({"a": a, "b": b}, pairs, env)
    return compare(times["a"], times["b"])


def rounds(
    commands: dict[str, Sequence[str]], count: int, env: dict[str, str] | None = None
) -> dict[str, list[float]]:
    """Seconds of each command over ``count`` rounds, the commands taking turns in each."""
    for command in commands.values():
        _timed(command, env)  # warm the file cache
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(count):
        for name, command in commands.items():
            times[name].append(_timed(command, env))
    return times


def compare(base: list[float], other: list[float]) -> dict[str, float]:
    """Medians of both, and the median of the per-round ratios other/base."""
    return {
        "a_s": round(statistics.median(base), 2),
        "b_s": round(statistics.median(other), 2),
        "ratio": round(statistics.median(o / b for b, o in zip(base, other, strict=True)), 3),
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
    # The app and what it is compared with take turns in every round: two baselines (a
    # bare App with an empty stack; an empty stack in an App set up as app.py's is, with
    # its cdk.json context and nag packs), and two steps towards the app that tell where
    # its time goes (its resources from aws-cdk-lib alone; the app without nag packs).
    app_rounds = rounds(
        {
            "empty": [python, "bench/stacks.py", "empty"],
            "empty_app_setup": [python, "bench/stacks.py", "empty-app-setup"],
            "floor": [python, "bench/stacks.py", "floor"],
            "app_without_checks": [python, "bench/stacks.py", "app-without-checks"],
            "app": [python, "app.py"],
        },
        9,
        env,
    )
    empty = app_rounds["empty"]
    results["app_with_nag_vs_empty_stack"] = compare(empty, app_rounds["app"])
    results["app_with_nag_vs_empty_stack_in_app_setup"] = compare(
        app_rounds["empty_app_setup"], app_rounds["app"]
    )
    results["app_resources_from_aws_cdk_lib_alone_vs_empty_stack"] = compare(
        empty, app_rounds["floor"]
    )
    results["app_without_nag_vs_empty_stack"] = compare(empty, app_rounds["app_without_checks"])
    results["app_with_nag_vs_its_resources_from_aws_cdk_lib_alone"] = compare(
        app_rounds["floor"], app_rounds["app"]
    )
    results["handler_cold_import_ms"] = handler_import_ms()
    results["scale_shared_model"] = scale(distinct_models=False)
    results["scale_distinct_models"] = scale(distinct_models=True)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
