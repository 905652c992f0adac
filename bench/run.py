"""Benchmarks behind the README's figures (run with ``make bench``).

Timings are taken in fresh processes, as a user's ``cdk synth`` pays them, and paired:
the two commands being compared alternate, and the median of the per-pair ratios is
reported, so drift in machine load affects both sides alike.
"""

from __future__ import annotations

import json
import os
import platform
import resource as rusage
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


def _timed(command: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds of one run of ``command``, and the CPU seconds (user and system) it
    and its children (Node, and the processes Node starts) spent."""
    # Bytecode is cached, as for a user's repeated `cdk synth`: with PYTHONDONTWRITEBYTECODE
    # set, every run would compile this repository's modules again (the installed
    # packages' bytecode is written at install); the warm-up round writes the caches.
    env = dict(os.environ if env is None else env)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    before = rusage.getrusage(rusage.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = rusage.getrusage(rusage.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def paired(
    a: Sequence[str], b: Sequence[str], pairs: int, env: dict[str, str] | None = None
) -> dict[str, float]:
    """Median seconds of ``a`` and ``b`` and the median of the per-pair ratios b/a."""
    times = rounds({"a": a, "b": b}, pairs, env)
    return compare(times["a"], times["b"])


def rounds(
    commands: dict[str, Sequence[str]],
    count: int,
    env: dict[str, str] | None = None,
    *,
    cpu: dict[str, list[float]] | None = None,
) -> dict[str, list[float]]:
    """Seconds of each command over ``count`` rounds, the commands taking turns in each;
    each run's CPU seconds go into ``cpu`` (by command) when it is given."""
    for command in commands.values():
        _timed(command, env)  # warm the file cache
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(count):
        for name, command in commands.items():
            wall, spent = _timed(command, env)
            times[name].append(wall)
            if cpu is not None:
                cpu.setdefault(name, []).append(spent)
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

    from comprehend_jobs._private.caller_permissions import deployed_chars, template_attribute_chars

    app = cdk.App(outdir=tempfile.mkdtemp(prefix="bench-"))
    stack = jobs_stack(app, count, distinct_models=distinct_models)
    template = app.synth().get_stack_by_name(stack.stack_name).template
    role_policy_chars: dict[str, int] = {"": 0}
    managed_policy_chars = [0]
    # The most a managed policy can reach once CloudFormation has resolved its tokens.
    managed_policy_deployed_chars = [0]
    attribute_chars = template_attribute_chars(template["Resources"])
    for resource in template["Resources"].values():
        kind = resource["Type"]
        if kind not in ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy"):
            continue
        # IAM counts policy size without white space.
        document = resource["Properties"]["PolicyDocument"]
        size = len(json.dumps(document, separators=(",", ":")))
        if kind == "AWS::IAM::ManagedPolicy":
            managed_policy_chars.append(size)
            managed_policy_deployed_chars.append(deployed_chars(document, attribute_chars))
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
        "managed_policy_deployed_chars": max(managed_policy_deployed_chars),
        "managed_policies": len(managed_policy_chars) - 1,
    }


def scale(distinct_models: bool) -> dict[str, Any]:
    """Measure at 100 and 200 jobs, extrapolate each limit linearly, name the first hit."""
    at100 = _synth(100, distinct_models=distinct_models)
    at200 = _synth(200, distinct_models=distinct_models)
    capacity = {}
    for name, limit in LIMITS.items():
        if name == "managed_policy_chars":
            continue  # packed to the limit: more policies, not larger ones
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


def _machine() -> dict[str, Any]:
    """What the figures were measured on, and how busy it was."""
    import importlib.metadata

    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "node": node,
        "aws_cdk_lib": importlib.metadata.version("aws-cdk-lib"),
        "load_1_5_15": [round(x, 2) for x in os.getloadavg()],
    }


def jobs_section(python: str, count: int) -> dict[str, Any]:
    """100 jobs against 1, with a model each and sharing one, in alternating rounds."""
    results: dict[str, Any] = {"load_before": _machine()["load_1_5_15"]}
    script = "bench/stacks.py"
    times = rounds(
        {
            "models_1": [python, script, "models", "1"],
            "models_100": [python, script, "models", "100"],
            "shared_1": [python, script, "jobs", "1"],
            "shared_100": [python, script, "jobs", "100"],
        },
        count,
    )
    results["synth_100_jobs_vs_1_model_each"] = compare(times["models_1"], times["models_100"])
    results["synth_100_jobs_vs_1_shared_model"] = compare(times["shared_1"], times["shared_100"])
    results["rounds"] = count
    results["load_after"] = _machine()["load_1_5_15"]
    return results


def app_section(python: str, count: int) -> dict[str, Any]:
    """``python app.py`` against its floor (the same resources from aws-cdk-lib alone, in an
    App with the same context), the app without its packs (the library's own cost: no
    packs on either side), the floor with the app's four cdk-nag packs
    (``bench/floor.py --packs``) and an empty stack, taking turns in every round.

    The floor runs as ``bench/floor.py``, which imports nothing of this library (through
    ``bench/stacks.py`` it would import the library and cdk-nag, which the floor does not
    use, and look slower than aws-cdk-lib alone is)."""
    env = dict(os.environ, CDK_OUTDIR=tempfile.mkdtemp(prefix="bench-app-"))
    results: dict[str, Any] = {"load_before": _machine()["load_1_5_15"]}
    # CPU seconds beside wall seconds: on a busy machine a run waits for the CPU, which
    # its wall time counts and its CPU time does not.
    cpu: dict[str, list[float]] = {}
    times = rounds(
        {
            "empty": [python, "bench/stacks.py", "empty"],
            "floor": [python, "bench/floor.py"],
            "floor_with_packs": [python, "bench/floor.py", "--packs"],
            "app": [python, "app.py"],
            # The library's own cost: the app with its packs off against the floor, which
            # runs none either.
            "app_without_packs": [python, "bench/stacks.py", "app-without-checks"],
        },
        count,
        env,
        cpu=cpu,
    )
    results["library_own_cost_app_without_packs_vs_floor"] = compare(
        times["floor"], times["app_without_packs"]
    )
    results["library_own_cost_app_without_packs_vs_floor_cpu"] = compare(
        cpu["floor"], cpu["app_without_packs"]
    )
    results["app_with_nag_vs_floor_cpu"] = compare(cpu["floor"], cpu["app"])
    results["app_with_nag_vs_floor_with_the_same_packs_cpu"] = compare(
        cpu["floor_with_packs"], cpu["app"]
    )
    results["app_with_nag_vs_its_resources_from_aws_cdk_lib_alone"] = compare(
        times["floor"], times["app"]
    )
    results["app_with_nag_vs_floor_with_the_same_packs"] = compare(
        times["floor_with_packs"], times["app"]
    )
    results["floor_with_packs_vs_floor"] = compare(times["floor"], times["floor_with_packs"])
    results["app_with_nag_vs_empty_stack"] = compare(times["empty"], times["app"])
    results["floor_vs_empty_stack"] = compare(times["empty"], times["floor"])
    results["per_round_app_over_floor"] = [
        round(a / f, 3) for f, a in zip(times["floor"], times["app"], strict=True)
    ]
    results["per_round_app_without_packs_over_floor"] = [
        round(a / f, 3) for f, a in zip(times["floor"], times["app_without_packs"], strict=True)
    ]
    results["per_round_app_without_packs_over_floor_cpu"] = [
        round(a / f, 3) for f, a in zip(cpu["floor"], cpu["app_without_packs"], strict=True)
    ]
    results["per_round_seconds"] = {
        name: [round(t, 2) for t in seconds] for name, seconds in times.items()
    }
    results["per_round_cpu_seconds"] = {
        name: [round(t, 2) for t in seconds] for name, seconds in cpu.items()
    }
    results["rounds"] = count
    results["load_after"] = _machine()["load_1_5_15"]
    return results


def main(argv: list[str]) -> None:
    """``python bench/run.py [all|jobs|app|scale] [rounds]``: every section by default."""
    python = sys.executable
    section = argv[0] if argv else "all"
    count = int(argv[1]) if len(argv) > 1 else 0
    results: dict[str, Any] = {"machine": _machine()}
    if section in ("all", "scale"):
        results["resources_added_per_extra_job"] = resources_per_job()
        results["scale_shared_model"] = scale(distinct_models=False)
        results["scale_distinct_models"] = scale(distinct_models=True)
    if section in ("all", "jobs"):
        results["jobs"] = jobs_section(python, count or 5)
    if section in ("all", "app"):
        results["app"] = app_section(python, count or 9)
    if section == "all":
        results["handler_cold_import_ms"] = handler_import_ms()
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main(sys.argv[1:])
