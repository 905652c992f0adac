"""The benchmark's floor (``bench/floor.py``) keeps building what ``app.py`` builds.

The app-vs-floor figure in the README is only meaningful while the floor holds the same
resources as the app's stacks. When the app gains or loses a resource, this fails until
the floor follows.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from floor import floor_app

ROOT = Path(__file__).resolve().parent.parent
#: The app's stack for each floor stack.
APP_STACK = {
    "FloorEntities": "ComprehendEntityRecognition",
    "FloorClassification": "ComprehendClassification",
}


def _types(template: dict[str, Any]) -> Counter[str]:
    return Counter(resource["Type"] for resource in template["Resources"].values())


@pytest.fixture(scope="module")
def floor_templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """The floor's stacks in an App with cdk.json's context, as the benchmark runs them."""
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    app = cdk.App(context=context, outdir=str(tmp_path_factory.mktemp("floor")))
    floor_app(app)
    return {stack.stack_name: dict(stack.template) for stack in app.synth().stacks}


def test_floor_has_one_stack_per_app_stack(
    app_templates: dict[str, dict[str, Any]], floor_templates: dict[str, dict[str, Any]]
) -> None:
    assert sorted(floor_templates) == sorted(APP_STACK)
    assert sorted(app_templates) == sorted(APP_STACK.values())


@pytest.mark.parametrize("floor_stack", sorted(APP_STACK))
def test_floor_resources_match_the_app(
    floor_stack: str,
    app_templates: dict[str, dict[str, Any]],
    floor_templates: dict[str, dict[str, Any]],
) -> None:
    app_types = _types(app_templates[APP_STACK[floor_stack]])
    floor_types = _types(floor_templates[floor_stack])
    differences = {
        kind: {"app": app_types[kind], "floor": floor_types[kind]}
        for kind in sorted(app_types.keys() | floor_types.keys())
        if app_types[kind] != floor_types[kind]
    }
    assert not differences, f"bench/floor.py no longer builds what app.py builds: {differences}"


@pytest.mark.parametrize("floor_stack", sorted(APP_STACK))
def test_floor_has_the_app_outputs_and_rules(
    floor_stack: str,
    app_templates: dict[str, dict[str, Any]],
    floor_templates: dict[str, dict[str, Any]],
) -> None:
    app_template = app_templates[APP_STACK[floor_stack]]
    floor_template = floor_templates[floor_stack]
    for section in ("Outputs", "Rules"):
        assert sorted(floor_template.get(section, {})) == sorted(app_template.get(section, {}))
