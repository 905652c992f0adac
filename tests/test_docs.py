"""The README shows the code the tests synthesize, every snippet runs as written (its
imports shown, every name it uses bound), the API it names exists, and the picture shows
the stack."""

from __future__ import annotations

import ast
import builtins
import importlib
import re
import symtable
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


def _snippets() -> dict[str, str]:
    """Every ```python block of the README, by the heading it sits under (``+`` added
    for a heading's second block)."""
    snippets: dict[str, str] = {}
    heading = "(before any heading)"
    for part in re.split(r"^(```python\n.*?^```)", README, flags=re.MULTILINE | re.DOTALL):
        if part.startswith("```python\n"):
            label = heading
            while label in snippets:
                label += "+"
            snippets[label] = part.removeprefix("```python\n").removesuffix("```")
        else:
            headings = re.findall(r"^#+ (.+)$", part, flags=re.MULTILINE)
            heading = headings[-1] if headings else heading
    return snippets


SNIPPETS = _snippets()


def free_names(source: str) -> set[str]:
    """The names ``source`` uses that nothing in it binds (imports, assignments, defs,
    parameters) and that are not builtins: what a reader would have to guess."""
    free: set[str] = set()

    def visit(table: symtable.SymbolTable, enclosing: set[str]) -> None:
        symbols = table.get_symbols()
        bound = {s.get_name() for s in symbols if s.is_assigned() or s.is_imported()}
        bound |= {s.get_name() for s in symbols if s.is_parameter()}
        free.update(
            s.get_name()
            for s in symbols
            if s.is_referenced() and s.get_name() not in bound | enclosing
        )
        # A class body's names are not visible in its methods.
        visible = enclosing if table.get_type() == "class" else enclosing | bound
        for child in table.get_children():
            visit(child, visible)

    visit(symtable.symtable(source, "<snippet>", "exec"), set())
    return free - set(dir(builtins))


def _imports_only(source: str) -> str:
    tree = ast.parse(source)
    tree.body = [n for n in tree.body if isinstance(n, ast.Import | ast.ImportFrom)]
    return ast.unparse(tree)


def test_the_readme_has_the_examples_snippets() -> None:
    assert len(SNIPPETS) >= 5, list(SNIPPETS)


@pytest.mark.parametrize("heading", list(SNIPPETS))
def test_every_snippet_imports_or_defines_every_name_it_uses(heading: str) -> None:
    snippet = SNIPPETS[heading]
    compile(snippet, f"<README: {heading}>", "exec")
    missing = free_names(snippet)
    assert missing == set(), f"{heading!r}: import (or define) {sorted(missing)} in the snippet"


@pytest.mark.parametrize("heading", list(SNIPPETS))
def test_every_snippet_imports_what_exists(heading: str) -> None:
    # Only the imports run: a name the package does not export fails here.
    exec(compile(_imports_only(SNIPPETS[heading]), f"<README: {heading}>", "exec"), {})


def test_a_missing_import_is_a_free_name() -> None:
    snippet = (
        "from aws_cdk import Stack\n\n\n"
        "def build(stack: Stack) -> None:\n"
        "    CfnOutput(stack, 'X', value=ARN)\n"
    )
    assert free_names(snippet) == {"CfnOutput", "ARN"}
    # Bound anywhere in its scope or an enclosing one (a comprehension's own too): not free.
    assert free_names("import os\n\n\ndef f(a):\n    return [os.sep + a for _ in 'ab']\n") == set()


@pytest.mark.parametrize("dotted", sorted(set(re.findall(r"`(comprehend_jobs(?:\.\w+)+)", README))))
def test_every_api_name_the_readme_mentions_exists(dotted: str) -> None:
    # ``comprehend_jobs.x.y`` names a module or a module's attribute, public ones only
    # (the layout moved the command, the compliance helpers and the machinery).
    parts = dotted.split(".")
    assert not [p for p in parts if p.startswith("_")], f"{dotted} is not public API"
    for split in range(len(parts), 0, -1):
        try:
            value: object = importlib.import_module(".".join(parts[:split]))
        except ModuleNotFoundError:
            continue
        for attribute in parts[split:]:
            assert hasattr(value, attribute), f"{dotted} does not exist"
            value = getattr(value, attribute)
        return
    raise AssertionError(f"{dotted} does not exist")


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
