"""Shared test set-up: quiet jsii, a local AWS emulator, fake credentials."""

from __future__ import annotations

import os

# Node 20 is past its end of life; jsii prints a banner on every kernel start without this.
os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
# Nothing in the tests may reach real AWS: fake credentials, a fixed Region.
os.environ["AWS_ACCESS_KEY_ID"] = "testing"
os.environ["AWS_SECRET_ACCESS_KEY"] = "testing"
os.environ["AWS_SESSION_TOKEN"] = "testing"
os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
os.environ.pop("AWS_PROFILE", None)

from collections.abc import Iterator

import pytest
import requests


@pytest.fixture(scope="session")
def moto_server() -> Iterator[str]:
    """A moto server on 127.0.0.1 (a free port), for tests that call AWS APIs over HTTP.

    Yields the endpoint URL. Started once per session; ``aws`` resets its state per test.
    """
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def aws(moto_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A clean emulator for one test: every boto3 client goes to the local moto server."""
    requests.post(f"{moto_server}/moto-api/reset", timeout=10)
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    yield moto_server


@pytest.fixture(scope="session")
def app_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, object]]:
    """The example app's stacks with cdk.json's context and the four nag packs, synthesized
    once per session (synthesis raises on any unacknowledged finding). By stack name."""
    import json
    from pathlib import Path

    import aws_cdk as cdk

    from app import build_app

    context = json.loads((Path(__file__).resolve().parent.parent / "cdk.json").read_text())
    app = cdk.App(context=context["context"], outdir=str(tmp_path_factory.mktemp("app")))
    assembly = build_app(app).synth()
    return {stack.stack_name: dict(stack.template) for stack in assembly.stacks}
