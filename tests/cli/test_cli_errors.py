"""Errors a person can act on: one line on stderr, a distinct exit code, no traceback."""

from __future__ import annotations

import ast
import io
import os
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber

from cli.moto_jobs import REGION, Emulator, FakeClock, invoke, runtime
from comprehend_jobs.cli import errors as errors
from comprehend_jobs.job_types import ENTITIES_DETECTION

PACKAGE = Path(__file__).parents[2] / "constructs" / "comprehend_jobs"
CLI_MODULES = sorted((PACKAGE / "cli").glob("*.py"))


class FakeSession:
    """A boto3 session whose clients for some services are scripted with a Stubber."""

    def __init__(self, **overrides: Any) -> None:
        self._real = boto3.Session(region_name=REGION)
        self._overrides = overrides

    def client(self, service: str, **kwargs: Any) -> Any:
        return self._overrides.get(service) or self._real.client(service, **kwargs)


def stubbed_client(service: str) -> tuple[Any, Stubber]:
    client = boto3.client(service, region_name=REGION)
    stubber = Stubber(client)
    stubber.activate()
    return client, stubber


def test_every_error_kind_has_its_own_exit_code() -> None:
    codes = [
        errors.EXIT_JOB_FAILED,
        errors.EXIT_USAGE,
        errors.EXIT_NO_CREDENTIALS,
        errors.EXIT_STACK_NOT_FOUND,
        errors.EXIT_NO_JOBS,
        errors.EXIT_JOB_RUNNING,
        errors.EXIT_OUTPUT_MISSING,
        errors.EXIT_ACCESS_DENIED,
        errors.EXIT_JOB_NOT_FOUND,
        errors.EXIT_AWS_ERROR,
    ]
    assert len(set(codes)) == len(codes)
    assert errors.EXIT_OK not in codes


def test_no_credentials(
    aws: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # GIVEN no credentials anywhere boto3 looks
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    run = invoke(["status", "Jobs"], runtime(clock))

    assert run.code == errors.EXIT_NO_CREDENTIALS
    assert run.stderr.startswith("comprehend-jobs: error: no AWS credentials found")
    assert run.stderr.count("\n") == 1


def test_unknown_profile(aws: str, clock: FakeClock) -> None:
    run = invoke(["status", "Jobs", "--profile", "nope"], runtime(clock))

    assert run.code == errors.EXIT_NO_CREDENTIALS
    assert run.stderr == (
        "comprehend-jobs: error: AWS profile 'nope' not found; list profiles with "
        "`aws configure list-profiles`\n"
    )


def test_expired_credentials(aws: str, clock: FakeClock) -> None:
    cloudformation, stubber = stubbed_client("cloudformation")
    stubber.add_client_error(
        "describe_stacks", "ExpiredToken", "The security token included in the request is expired"
    )

    run = invoke(
        ["status", "Jobs"],
        runtime(clock, session_factory=lambda **_: FakeSession(cloudformation=cloudformation)),
    )

    assert run.code == errors.EXIT_NO_CREDENTIALS
    assert "AWS rejected the credentials (ExpiredToken)" in run.stderr


def test_access_denied_names_the_missing_permission(aws: str, clock: FakeClock) -> None:
    cloudformation, stubber = stubbed_client("cloudformation")
    stubber.add_client_error(
        "describe_stacks",
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/dev is not authorized to perform: "
        "cloudformation:DescribeStacks",
        http_status_code=403,
    )

    run = invoke(
        ["status", "Jobs"],
        runtime(clock, session_factory=lambda **_: FakeSession(cloudformation=cloudformation)),
    )

    assert run.code == errors.EXIT_ACCESS_DENIED
    assert run.stderr == (
        "comprehend-jobs: error: access denied: missing permission "
        "cloudformation:DescribeStacks on stack Jobs (User: arn:aws:iam::123456789012:user/dev "
        "is not authorized to perform: cloudformation:DescribeStacks)\n"
    )


def test_access_denied_on_describe_job(emulator: Emulator, clock: FakeClock) -> None:
    arn = emulator.start_job(ENTITIES_DETECTION, "invoices")
    emulator.deploy_stack("Jobs", {"A": arn})
    comprehend, stubber = stubbed_client("comprehend")
    stubber.add_client_error(
        "describe_entities_detection_job", "AccessDeniedException", "", http_status_code=400
    )

    run = invoke(
        ["status", "Jobs"],
        runtime(clock, session_factory=lambda **_: FakeSession(comprehend=comprehend)),
    )

    assert run.code == errors.EXIT_ACCESS_DENIED
    assert run.stderr == (
        "comprehend-jobs: error: access denied: missing permission "
        f"comprehend:DescribeEntitiesDetectionJob on {arn}\n"
    )


def test_job_unknown_to_the_service(emulator: Emulator, clock: FakeClock) -> None:
    # GIVEN an output naming a job this account's Comprehend never had
    gone = emulator.start_job(ENTITIES_DETECTION, "x").rsplit("/", 1)[0] + "/deadbeef"
    emulator.deploy_stack("Jobs", {"Gone": gone})

    run = invoke(["status", "Jobs"], runtime(clock))

    assert run.code == errors.EXIT_JOB_NOT_FOUND
    assert run.stderr.startswith(f"comprehend-jobs: error: Comprehend has no job {gone}")


def test_unexpected_errors_are_one_line_unless_debugging(aws: str, clock: FakeClock) -> None:
    def broken_session(**_: Any) -> Any:
        raise RuntimeError("disk on fire")

    rt = runtime(clock, session_factory=broken_session)
    run = invoke(["status", "Jobs"], rt)

    assert run.code == errors.EXIT_AWS_ERROR
    assert run.stderr == (
        "comprehend-jobs: unexpected error: RuntimeError: disk on fire "
        "(rerun with --debug for details)\n"
    )
    with pytest.raises(RuntimeError):
        invoke(["status", "Jobs", "--debug"], runtime(clock, session_factory=broken_session))


def test_console_script_prints_one_line_and_no_traceback(aws: str) -> None:
    # GIVEN the installed console script, pointed at the emulator
    script = Path(sys.executable).with_name("comprehend-jobs")
    env = {**os.environ, "AWS_ENDPOINT_URL": aws}

    # WHEN the stack does not exist
    done = subprocess.run(
        [str(script), "status", "Missing"], capture_output=True, text=True, env=env, timeout=120
    )

    # THEN
    assert done.returncode == errors.EXIT_STACK_NOT_FOUND
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "comprehend-jobs: error: stack Missing not found in us-east-1; check the name and the "
        "Region (--region, AWS_REGION) or the account"
    ]


def imported_modules(module: Path) -> set[str]:
    """Every module name ``module`` imports."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("module", CLI_MODULES, ids=lambda p: p.name)
def test_cli_modules_do_not_import_aws_cdk(module: Path) -> None:
    # aws_cdk starts a Node kernel: seconds of start-up, and Node must be installed.
    imported = imported_modules(module)
    roots = {name.split(".")[0] for name in imported}
    assert roots.isdisjoint({"aws_cdk", "constructs", "cdk_nag", "jsii"})
    own = {name for name in imported if name.startswith("comprehend_jobs.")}
    # The job-type table and the handler's modules (names shared with the custom resource)
    # import only the standard library.
    allowed = ("comprehend_jobs.job_types", "comprehend_jobs._lambda.", "comprehend_jobs.cli")
    assert all(n == allowed[0] or n.startswith(allowed[1:]) for n in own), own


@pytest.mark.parametrize("module", CLI_MODULES, ids=lambda p: p.name)
def test_cli_modules_ship_in_the_wheel(module: Path) -> None:
    # setuptools lists the wheel's packages by name: a CLI module in a subpackage not listed
    # there would be missing from an installed library.
    pyproject = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text())
    packages = set(pyproject["tool"]["setuptools"]["packages"])
    assert module.parent == PACKAGE / "cli" and "comprehend_jobs.cli" in packages
    for name in imported_modules(module):
        if name.startswith("comprehend_jobs."):
            assert name.rsplit(".", 1)[0] in packages, name


def test_importing_the_cli_does_not_start_node() -> None:
    code = "import sys, comprehend_jobs.cli; sys.exit('aws_cdk' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert done.returncode == 0


def test_no_region(
    aws: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))

    run = invoke(["status", "Jobs"], runtime(clock))

    assert run.code == errors.EXIT_NO_CREDENTIALS
    assert run.stderr == (
        "comprehend-jobs: error: no AWS Region configured; pass --region or set AWS_REGION / "
        "AWS_DEFAULT_REGION\n"
    )


def test_closed_pipe_ends_quietly(emulator: Emulator, clock: FakeClock) -> None:
    # GIVEN a reader that goes away after the first line (`comprehend-jobs status S | head -1`)
    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

    emulator.deploy_stack("Jobs", {"A": emulator.start_job(ENTITIES_DETECTION, "invoices")})
    rt = runtime(clock, stdout=ClosedPipe())

    run = invoke(["status", "Jobs"], rt)

    assert (run.code, run.stderr) == (0, "")
