"""The README shows the code the tests synthesize, and the picture shows the stack."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()
EXAMPLES = sorted((ROOT / "tests" / "examples").glob("*.py"))


def _build_function(path: Path) -> str:
    source = path.read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef) and node.name == "build":
            return "\n".join(source.splitlines()[node.lineno - 1 : node.end_lineno])
    raise AssertionError(f"{path.name} has no build(stack)")


@pytest.mark.parametrize(
    "example",
    [p for p in EXAMPLES if p.name not in ("__init__.py", "stacks.py")],
    ids=lambda p: p.stem,
)
def test_readme_shows_each_example_exactly(example: Path) -> None:
    assert _build_function(example) in README, f"README is out of date with {example.name}"


def test_readme_gives_the_two_commands_first() -> None:
    first_section = README.split("\n## ", 2)[1]
    assert first_section.startswith("The two commands")
    assert "make synth" in first_section and "make test" in first_section


def test_architecture_picture_is_current(app_templates: dict[str, dict[str, object]]) -> None:
    sys.path.insert(0, str(ROOT / "docs"))
    import architecture

    expected = architecture.render(app_templates[architecture.STACK])
    assert (ROOT / "docs" / "architecture.svg").read_text() == expected, (
        "run: python docs/architecture.py"
    )
