"""Synthesize, check, update and deploy the integration tests (``integ_*.py``).

    python tests/integ/harness.py check    # make test (offline): snapshots still match
    python tests/integ/harness.py update   # make integ-update: rewrite the snapshots
    python tests/integ/harness.py deploy   # make integ: deploy, assert, destroy

The tests are ``IntegTest`` apps in ``@aws-cdk/integ-runner``'s layout (one
``integ_<name>.py.snapshot/`` folder each, synthesized with the runner's dummy
environment and its recommended feature flags). The runner itself cannot run them yet:
the newest ``@aws-cdk/integ-runner`` (2.197.10) reads cloud assembly schema 53 at most,
and aws-cdk-lib 2.275 writes 55 (``AssemblyVersionMismatch``). So this module does the
runner's two jobs with the project's pinned CDK CLI:

- ``check`` synthesizes each test as the runner would, masks asset hashes, and compares
  every template and the test manifest with the snapshot. Nothing reaches AWS:
  lookups are off and the stacks are env-agnostic.
- ``deploy`` checks for credentials, a Region and the model variables first (one line
  and exit 2 when any is missing), then for each test: ``cdk deploy --all`` (the
  assertion stack runs the assertions), reads the assertion results from the stack
  outputs as the runner does, and ``cdk destroy --all``, whatever happened.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
RUNNER_FLAGS = ROOT / "node_modules/@aws-cdk/integ-runner/lib/recommended-feature-flags.json"
#: What integ-runner sets when it synthesizes a snapshot (support.py reads the account).
SNAPSHOT_ENV = {
    "CDK_INTEG_ACCOUNT": "12345678",
    "CDK_INTEG_REGION": "test-region",
}
#: Variables a snapshot synthesis must not see: a caller's models or account.
CALLER_VARIABLES = (
    "COMPREHEND_JOBS_RECOGNIZER_ARN",
    "COMPREHEND_JOBS_CLASSIFIER_ARN",
    "CDK_DEFAULT_ACCOUNT",
    "CDK_DEFAULT_REGION",
)
#: The files of a snapshot folder that are committed and compared.
SNAPSHOT_FILES = ("*.template.json", "integ.json", "manifest.json")
COMPARED_FILES = ("*.template.json", "integ.json")
ASSET_HASH = re.compile(r"[0-9a-f]{64}")
#: The assertion resources' ``salt`` (the synthesis time, so that they run on every
#: deploy).
SALT = re.compile(r'"salt": "\d+"')
UPDATE_COMMAND = "make integ-update"


def tests() -> list[Path]:
    """Every integration test app, by name."""
    return sorted(HERE.glob("integ_*.py"))


def snapshot_dir(test: Path) -> Path:
    return test.with_name(test.name + ".snapshot")


def runner_context() -> dict[str, object]:
    """The context integ-runner synthesizes with: its recommended feature flags, no
    version, path or asset metadata."""
    flags = json.loads(RUNNER_FLAGS.read_text(encoding="utf-8"))
    return {
        **flags,
        "aws:cdk:version-reporting": False,
        "aws:cdk:enable-path-metadata": False,
        "aws:cdk:enable-asset-metadata": False,
    }


def synth(
    test: Path, outdir: Path, *, snapshot: bool = True, prelude: str = ""
) -> subprocess.CompletedProcess[str]:
    """Synthesize ``test`` into ``outdir``. ``snapshot`` synthesizes as integ-runner does
    for a snapshot (its dummy environment, placeholders for the models); ``prelude`` is
    Python run before the app (the tests use it to change a construct)."""
    env = {k: v for k, v in os.environ.items() if not (snapshot and k in CALLER_VARIABLES)}
    if snapshot:
        env.update(SNAPSHOT_ENV)
    else:
        for key in SNAPSHOT_ENV:
            env.pop(key, None)
    env["CDK_OUTDIR"] = str(outdir)
    env["CDK_CONTEXT_JSON"] = json.dumps(runner_context())
    env.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    code = f"{prelude}\nimport runpy, sys\nsys.argv = [{str(test)!r}]\n"
    code += f"runpy.run_path({str(test)!r}, run_name='__main__')\n"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=HERE,
        env={
            **env,
            "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), env.get("PYTHONPATH")])),
        },
        capture_output=True,
        text=True,
        check=False,
    )


def _files(folder: Path, patterns: Iterable[str]) -> dict[str, Path]:
    return {p.name: p for pattern in patterns for p in sorted(folder.glob(pattern))}


def normalized(path: Path) -> str:
    """A snapshot file as compared: sorted keys, asset hashes and assertion salts masked,
    the manifest's schema version dropped."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if path.name == "integ.json":
        data.pop("version", None)
    text = json.dumps(data, indent=1, sort_keys=True)
    text = SALT.sub('"salt": "<synthesis time>"', text)
    return ASSET_HASH.sub("<asset hash>", text) + "\n"


@dataclass(frozen=True)
class Mismatch:
    """One test whose synthesized templates differ from its snapshot."""

    test: str
    diff: str


def compare(test: Path, actual_dir: Path, expected_dir: Path | None = None) -> Mismatch | None:
    """The differences between a fresh synthesis and the committed snapshot, or None."""
    expected_dir = expected_dir or snapshot_dir(test)
    expected = _files(expected_dir, COMPARED_FILES) if expected_dir.is_dir() else {}
    actual = _files(actual_dir, COMPARED_FILES)
    chunks: list[str] = []
    if not expected:
        chunks.append(f"no snapshot at {expected_dir.relative_to(ROOT)}\n")
    for name in sorted(set(expected) | set(actual)):
        old = normalized(expected[name]).splitlines(keepends=True) if name in expected else []
        new = normalized(actual[name]).splitlines(keepends=True) if name in actual else []
        if old != new:
            chunks.extend(
                difflib.unified_diff(old, new, f"snapshot/{name}", f"synthesized/{name}", n=3)
            )
    return Mismatch(test.name, "".join(chunks)) if chunks else None


def _synth_or_die(test: Path, outdir: Path, **kwargs: object) -> None:
    result = synth(test, outdir, **kwargs)  # type: ignore[arg-type]
    if result.returncode != 0:
        raise SystemExit(f"{test.name}: synthesis failed\n{result.stderr[-4000:]}")


def synthesize_all(workdir: Path, selected: list[Path] | None = None) -> dict[Path, Path]:
    """Each test synthesized for its snapshot, two at a time (the machine has 2 cores)."""
    selected = selected or tests()
    outdirs = {t: workdir / t.name for t in selected}
    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(lambda t: _synth_or_die(t, outdirs[t]), selected))
    return outdirs


def check(selected: list[Path] | None = None) -> list[Mismatch]:
    with tempfile.TemporaryDirectory(prefix="integ-check-") as tmp:
        outdirs = synthesize_all(Path(tmp), selected)
        return [m for t, d in outdirs.items() if (m := compare(t, d)) is not None]


def report(mismatches: list[Mismatch]) -> str:
    """What ``make test`` prints when snapshots are out of date."""
    lines = [
        f"integ snapshots: {len(mismatches)} test(s) synthesize differently from their "
        "committed snapshot:"
    ]
    for mismatch in mismatches:
        lines += ["", f"--- {mismatch.test}", mismatch.diff.rstrip()]
    lines += [
        "",
        "If the change is intended, update the snapshots and commit them with the change:",
        f"  {UPDATE_COMMAND}   (offline; then review and commit tests/integ/*.snapshot)",
        "and run `make integ` against an account before release: a changed snapshot is "
        "a template no deployment has proven yet.",
    ]
    return "\n".join(lines)


def update() -> list[str]:
    """Rewrite every snapshot folder from a fresh synthesis; the names that changed."""
    changed = []
    with tempfile.TemporaryDirectory(prefix="integ-update-") as tmp:
        for test, outdir in synthesize_all(Path(tmp)).items():
            if compare(test, outdir) is None:
                continue
            target = snapshot_dir(test)
            shutil.rmtree(target, ignore_errors=True)
            target.mkdir()
            for name, path in _files(outdir, SNAPSHOT_FILES).items():
                shutil.copyfile(path, target / name)
            changed.append(test.name)
    return changed


# --------------------------------------------------------------------------- deploy


class PreflightError(Exception):
    """Something ``make integ`` needs is missing; the message is the one line shown."""


MODEL_VARIABLES = {
    "integ_classification_reader.py": "COMPREHEND_JOBS_CLASSIFIER_ARN",
}
DEFAULT_MODEL_VARIABLE = "COMPREHEND_JOBS_RECOGNIZER_ARN"
ARN = re.compile(
    r"^arn:aws[a-z-]*:comprehend:([a-z0-9-]+):\d{12}:(entity-recognizer|document-classifier)/"
)


def preflight(selected: list[Path], environ: Mapping[str, str] | None = None) -> str:
    """The Region to deploy to, once credentials, Region and models are known to be
    there. Reads botocore's credential chain; makes no AWS call."""
    environ = os.environ if environ is None else environ
    import botocore.session  # the caller's chain: env, profile, SSO, container, IMDS

    session = botocore.session.Session()
    if session.get_credentials() is None:
        raise PreflightError(
            "no AWS credentials found: set AWS_PROFILE (or run `aws sso login`, or export "
            "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); nothing was deployed"
        )
    region = environ.get("AWS_REGION") or session.get_config_variable("region")
    if not region:
        raise PreflightError(
            "no AWS Region: export AWS_REGION (the Region of your trained models); "
            "nothing was deployed"
        )
    for variable in sorted({MODEL_VARIABLES.get(t.name, DEFAULT_MODEL_VARIABLE) for t in selected}):
        value = environ.get(variable, "")
        match = ARN.match(value)
        if not match:
            raise PreflightError(
                f"{variable} is {'not set' if not value else repr(value)}: export the ARN of "
                "a trained model (see README, Integration tests); nothing was deployed"
            )
        if match.group(1) != region:
            raise PreflightError(
                f"{variable} names a model in {match.group(1)}, but the Region is {region}: "
                f"export AWS_REGION={match.group(1)}; nothing was deployed"
            )
    return region


def _cdk(*args: str, log: Path, env: Mapping[str, str]) -> int:
    command = ["npx", "--no-install", "cdk", *args, "--no-notices", "--require-approval=never"]
    with log.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        return subprocess.run(
            command, cwd=ROOT, env=env, stdout=out, stderr=out, check=False
        ).returncode


def assertion_failures(outputs_file: Path) -> list[str]:
    """Failed assertions in a deployment's outputs (``AssertionResults*``), as the runner
    reads them; a missing file is a failure."""
    if not outputs_file.is_file():
        return ["no outputs were written (the deployment failed)"]
    failures = []
    for stack, outputs in json.loads(outputs_file.read_text(encoding="utf-8")).items():
        for key, value in outputs.items():
            if key.startswith("AssertionResults"):
                result = json.loads(value.replace("\n", "\\n"))
                if result.get("status") == "fail":
                    failures.append(f"{stack}.{key}: {result.get('message')}")
    return failures


def run_one(test: Path, region: str, workdir: Path) -> tuple[str, list[str]]:
    """Deploy one test, read its assertions, destroy it."""
    outdir = workdir / test.name
    log = workdir / f"{test.stem}.log"
    env = {**os.environ, "AWS_REGION": region, "CDK_DEFAULT_REGION": region}
    result = synth(test, outdir, snapshot=False)
    if result.returncode != 0:
        log.write_text(result.stderr, encoding="utf-8")
        return test.name, [f"synthesis failed (log: {log})"]
    outputs = outdir / "outputs.json"
    print(f"{test.name}: deploying (log: {log})", flush=True)
    try:
        code = _cdk(
            "deploy",
            "--app",
            str(outdir),
            "--all",
            "--outputs-file",
            str(outputs),
            log=log,
            env=env,
        )
        failures = assertion_failures(outputs)
        if code != 0:
            failures.insert(
                0,
                f"cdk deploy exited {code} (a wait_for_assertions timeout fails the "
                f"deployment; log: {log})",
            )
    finally:
        print(f"{test.name}: destroying", flush=True)
        if _cdk("destroy", "--app", str(outdir), "--all", "--force", log=log, env=env) != 0:
            failures = [*failures, f"cdk destroy failed: delete the stacks by hand (log: {log})"]
    return test.name, failures


def deploy(selected: list[Path]) -> int:
    try:
        region = preflight(selected)
    except PreflightError as error:
        print(f"make integ: {error}", file=sys.stderr)
        return 2
    workdir = ROOT / "cdk.out" / "integ"
    shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True)
    print(f"make integ: {len(selected)} test(s) in {region}, in parallel", flush=True)
    with ThreadPoolExecutor(max_workers=len(selected)) as pool:
        results = list(pool.map(lambda t: run_one(t, region, workdir), selected))
    failed = 0
    for name, failures in results:
        print(f"{'PASS' if not failures else 'FAIL'}  {name}")
        for failure in failures:
            print(f"      {failure}")
        failed += bool(failures)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("check", "update", "deploy"):
        print(__doc__, file=sys.stderr)
        return 2
    selected = [HERE / name for name in argv[1:]] or tests()
    if argv[0] == "check":
        mismatches = check(selected)
        if mismatches:
            print(report(mismatches), file=sys.stderr)
            return 1
        print(f"integ snapshots: {len(selected)} test(s) match their committed snapshots")
        return 0
    if argv[0] == "update":
        changed = update()
        print(f"integ snapshots: updated {', '.join(changed) or 'nothing (all match)'}")
        return 0
    return deploy(selected)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
