"""Fixtures for the custom-resource handler tests: JSON events and a fresh client."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import analysis_job
import pytest

EVENTS_DIR = Path(__file__).resolve().parent.parent / "events"


def _load(name: str) -> dict[str, Any]:
    event: dict[str, Any] = json.loads((EVENTS_DIR / f"{name}.json").read_text())
    return event


@pytest.fixture
def load_event() -> Callable[[str], dict[str, Any]]:
    """Load ``tests/events/<name>.json`` (a fresh copy each time)."""
    return lambda name: copy.deepcopy(_load(name))


@pytest.fixture(autouse=True)
def fresh_handler_client() -> Iterator[None]:
    """The handler caches its client per container; each test starts a new container."""
    analysis_job._client.cache_clear()
    yield
    analysis_job._client.cache_clear()
