"""No module imports another module's private (underscore) names.

A name with a leading underscore is its module's own: another module that needs it gets it
from a module of shared rules under ``_private/``, where it has a public name. Checked on
the library, the example app and the benchmarks (the tests may reach into a module).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "constructs" / "comprehend_jobs"
#: The package's own modules are ours; the handler (``_lambda``, the Lambda asset) is
#: checked where it lives, as a flat folder of its own.
CHECKED = [PACKAGE, ROOT / "app.py", ROOT / "bench"]
SKIPPED = {"_lambda", "__pycache__"}


def _files() -> Iterator[Path]:
    for target in CHECKED:
        paths = [target] if target.is_file() else sorted(target.rglob("*.py"))
        for path in paths:
            if not SKIPPED.intersection(path.relative_to(ROOT).parts):
                yield path


def _module_name(path: Path) -> str | None:
    """``comprehend_jobs.x.y`` for a file of the package; None for any other file."""
    if PACKAGE not in path.parents:
        return None
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(dotted: str) -> bool:
    """True when ``dotted`` (``comprehend_jobs.a.b``) names a module or package of ours:
    importing a private module such as ``_private`` is how the package reaches them."""
    relative = Path(*dotted.split(".")[1:]) if "." in dotted else Path()
    base = PACKAGE / relative
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def _absolute(node: ast.ImportFrom, importer: str | None, is_package: bool) -> str:
    """The absolute module an ``ImportFrom`` names, relative imports resolved."""
    if node.level == 0 or importer is None:
        return node.module or ""
    parts = importer.split(".")
    if not is_package:
        parts = parts[:-1]
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, *([node.module] if node.module else [])])


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_imports(path: Path, source: str | None = None) -> list[str]:
    """Every place ``path`` takes a private name from another module of the package: a
    ``from comprehend_jobs.x import _name``, or ``module._name`` on a module it imported."""
    tree = ast.parse(source if source is not None else path.read_text(encoding="utf-8"))
    importer = _module_name(path)
    is_package = path.name == "__init__.py"
    where = path.relative_to(ROOT) if ROOT in path.parents else path
    found: list[tuple[int, str]] = []
    # Local names bound to one of our modules (``import comprehend_jobs.x as x``,
    # ``from comprehend_jobs import x``): ``x._name`` is a private import too.
    modules: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = _absolute(node, importer, is_package)
            if module.split(".")[0] != "comprehend_jobs" or module == importer:
                continue
            for alias in node.names:
                full = f"{module}.{alias.name}"
                if _is_module(full):
                    modules[alias.asname or alias.name] = full
                elif _private(alias.name):
                    found.append((node.lineno, f"from {module} import {alias.name}"))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "comprehend_jobs" and alias.asname:
                    modules[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in modules
            and modules[node.value.id] != importer
            and _private(node.attr)
            and not _is_module(f"{modules[node.value.id]}.{node.attr}")
        ):
            found.append((node.lineno, f"{modules[node.value.id]}.{node.attr}"))
    return [f"{where}:{line}: {what}" for line, what in sorted(found)]


def test_no_module_imports_another_modules_private_names() -> None:
    offenders = [line for path in _files() for line in private_imports(path)]
    assert offenders == [], (
        "private names imported across modules (give the helper a public name in a "
        "_private/ rules module and import it from there):\n  " + "\n  ".join(offenders)
    )


def test_the_checker_finds_both_forms_and_allows_private_modules() -> None:
    path = PACKAGE / "example.py"
    source = (
        "from comprehend_jobs.storage import JobStorage, _prefix_problem\n"
        "from comprehend_jobs._private import api_model\n"
        "from comprehend_jobs._private.validation import Problems\n"
        "from comprehend_jobs import encryption\n"
        "from . import network as net\n"
        "encryption._resolve(1)\n"
        "api_model._cache\n"
        "net._S3Routes\n"
        "api_model.member_shape\n"
    )
    assert private_imports(path, source) == [
        "constructs/comprehend_jobs/example.py:1: from comprehend_jobs.storage import "
        "_prefix_problem",
        "constructs/comprehend_jobs/example.py:6: comprehend_jobs.encryption._resolve",
        "constructs/comprehend_jobs/example.py:7: comprehend_jobs._private.api_model._cache",
        "constructs/comprehend_jobs/example.py:8: comprehend_jobs.network._S3Routes",
    ]


def test_a_module_may_use_its_own_private_names() -> None:
    path = PACKAGE / "storage.py"
    source = (
        "from comprehend_jobs.storage import _helper\nimport comprehend_jobs.storage as s\ns._x\n"
    )
    assert private_imports(path, source) == []
