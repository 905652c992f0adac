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
from floor import PackRun, floor_app, run_packs

ROOT = Path(__file__).resolve().parent.parent
#: The app's stack for each floor stack.
APP_STACK = {
    "FloorEntities": "ComprehendEntityRecognition",
    "FloorClassification": "ComprehendClassification",
}

# Slow tier: synthesizes the benchmark's floor and runs the four packs over it.
pytestmark = pytest.mark.slow


def _types(template: dict[str, Any]) -> Counter[str]:
    return Counter(resource["Type"] for resource in template["Resources"].values())


@pytest.fixture(scope="module")
def floor_synth(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[dict[str, dict[str, Any]], list[PackRun]]:
    """The floor's stacks in an App with cdk.json's context, synthesized with the four
    packs as ``bench/floor.py --packs`` runs them (plugins leave templates unchanged)."""
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    app = cdk.App(context=context, outdir=str(tmp_path_factory.mktemp("floor")))
    floor_app(app)
    runs = run_packs(app)
    templates = {stack.stack_name: dict(stack.template) for stack in app.synth().stacks}
    return templates, runs


@pytest.fixture(scope="module")
def floor_templates(
    floor_synth: tuple[dict[str, dict[str, Any]], list[PackRun]],
) -> dict[str, dict[str, Any]]:
    """The floor's templates, by stack name."""
    return floor_synth[0]


def test_floor_packs_are_the_apps_and_each_ran(
    floor_synth: tuple[dict[str, dict[str, Any]], list[PackRun]],
) -> None:
    # A pack that is not wired (or not run) would make the floor with packs look cheap.
    runs = floor_synth[1]
    assert sorted(run.name for run in runs) == sorted(
        ["AwsSolutions", "HIPAA.Security", "NIST.800.53.R5", "PCI.DSS.321"]
    )
    assert [run.runs for run in runs] == [1, 1, 1, 1]


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


#: The settings of a Lambda function the floor must share with the app's.
_FUNCTION_SETTINGS = (
    "Runtime",
    "Handler",
    "MemorySize",
    "EphemeralStorage",
    "Architectures",
    "Timeout",
)


def _functions(template: dict[str, Any]) -> Counter[str]:
    """Each Lambda function's settings that shape its cost and its role in the stack."""
    settings = Counter[str]()
    for resource in template["Resources"].values():
        if resource["Type"] == "AWS::Lambda::Function":
            properties = resource["Properties"]
            shown = {key: properties.get(key) for key in _FUNCTION_SETTINGS}
            shown["environment key"] = "KmsKeyArn" in properties
            shown["layers"] = len(properties.get("Layers", []))
            settings[json.dumps(shown, sort_keys=True)] += 1
    return settings


@pytest.mark.parametrize("floor_stack", sorted(APP_STACK))
def test_floor_functions_are_the_apps(
    floor_stack: str,
    app_templates: dict[str, dict[str, Any]],
    floor_templates: dict[str, dict[str, Any]],
) -> None:
    # The same functions, not only as many: the library runs its uploads on a
    # BucketDeployment function of its own (1024 MiB, 512 MiB ephemeral storage, its
    # environment under the handler's key); a floor on BucketDeployment's default one
    # would build, bundle and time another function.
    app_functions = _functions(app_templates[APP_STACK[floor_stack]])
    floor_functions = _functions(floor_templates[floor_stack])
    assert floor_functions == app_functions


@pytest.mark.parametrize("floor_stack", sorted(APP_STACK))
def test_floor_uploads_as_the_app_does(
    floor_stack: str,
    app_templates: dict[str, dict[str, Any]],
    floor_templates: dict[str, dict[str, Any]],
) -> None:
    # The upload's custom resource takes the same properties (encryption stated, ...).
    def uploads(template: dict[str, Any]) -> list[list[str]]:
        return sorted(
            sorted(resource["Properties"])
            for resource in template["Resources"].values()
            if resource["Type"] == "Custom::CDKBucketDeployment"
        )

    assert uploads(floor_templates[floor_stack]) == uploads(app_templates[APP_STACK[floor_stack]])
