"""Fixtures for the CLI tests: the emulator handles and a fake clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli.fake_comprehend import FakeComprehend, serve
from cli.moto_jobs import ACCOUNT, Emulator, FakeClock


@pytest.fixture(scope="session")
def comprehend_server() -> Iterator[tuple[str, FakeComprehend]]:
    """The fake Comprehend on 127.0.0.1, started once per session."""
    with serve(ACCOUNT) as served:
        yield served


@pytest.fixture
def emulator(
    aws: str,
    comprehend_server: tuple[str, FakeComprehend],
    monkeypatch: pytest.MonkeyPatch,
) -> Emulator:
    """Buckets in a clean moto server, no jobs in the fake Comprehend (every boto3 client
    made in the test reaches it: botocore's per-service endpoint variable), and helpers to
    make stacks, jobs and outputs."""
    endpoint, fake = comprehend_server
    fake.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL_COMPREHEND", endpoint)
    return Emulator(aws, fake)


@pytest.fixture
def clock() -> FakeClock:
    """A clock that never really sleeps."""
    return FakeClock()
