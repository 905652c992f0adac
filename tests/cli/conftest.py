"""Fixtures for the CLI tests: the emulator handles and a fake clock."""

from __future__ import annotations

import pytest

from cli.moto_jobs import Emulator, FakeClock


@pytest.fixture
def emulator(aws: str) -> Emulator:
    """Buckets in a clean moto server, and helpers to make stacks, jobs and outputs."""
    return Emulator(aws)


@pytest.fixture
def clock() -> FakeClock:
    """A clock that never really sleeps."""
    return FakeClock()
