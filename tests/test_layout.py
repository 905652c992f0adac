"""The repository layout rules that keep the package importable and the CDK working."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "constructs" / "comprehend_jobs"
#: The longest module the package may hold: past it, a module holds more than one idea.
MAX_MODULE_LINES = 600


def _python_files() -> list[Path]:
    # Only what git tracks or would: never a virtual environment (.venv, .venv-min, ...).
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "*.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def test_constructs_folder_has_no_init_file() -> None:
    # An __init__.py would make constructs/ a package that shadows the CDK's `constructs`.
    assert not (ROOT / "constructs" / "__init__.py").exists()


def test_constructs_import_is_the_cdk_library() -> None:
    constructs = importlib.import_module("constructs")
    assert hasattr(constructs, "Construct")
    assert Path(constructs.__file__ or "").parent != ROOT / "constructs"


def test_nothing_imports_the_package_through_the_constructs_folder() -> None:
    # `constructs.comprehend_jobs` would load a second copy of every class.
    offenders = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            offenders += [
                f"{path.relative_to(ROOT)}:{node.lineno}"
                for name in names
                if name.startswith("constructs.comprehend_jobs")
            ]
    assert offenders == []


def test_package_is_imported_from_the_constructs_folder() -> None:
    import comprehend_jobs

    assert Path(comprehend_jobs.__file__ or "").parent == ROOT / "constructs" / "comprehend_jobs"


def test_handler_asset_is_the_lambda_folder() -> None:
    from comprehend_jobs._private.handler_asset import handler_asset_path

    assert Path(handler_asset_path()).resolve() == ROOT / "lambda"
    # Type checkers and editors see the handler under its installed name through a symlink.
    link = ROOT / "constructs" / "comprehend_jobs" / "_lambda"
    assert link.is_symlink() and link.resolve() == ROOT / "lambda"


def test_package_top_level_shows_its_parts() -> None:
    # Constructs and their props at the top; the command, the compliance tables and the
    # machinery each in a subpackage of its own, so no cli_*.py sits beside the constructs.
    package = ROOT / "constructs" / "comprehend_jobs"
    modules = sorted(p.name for p in package.iterdir() if p.suffix == ".py" or p.is_dir())
    assert [m for m in modules if m != "__pycache__"] == [
        "__init__.py",
        "_lambda",
        "_private",
        "cli",
        "compliance",
        "console.py",
        "data_access_role.py",
        "encryption.py",
        "errors.py",
        "input_options.py",
        "interfaces.py",
        "job_handler.py",
        "job_types.py",
        "jobs",
        "network.py",
        "pattern.py",
        "renames.py",
        "storage.py",
    ]


PUBLIC_MODULES = [
    "console",
    "data_access_role",
    "encryption",
    "errors",
    "input_options",
    "interfaces",
    "job_handler",
    "job_types",
    "jobs",
    "jobs.base",
    "jobs.builtin",
    "jobs.custom_model",
    "network",
    "pattern",
    "renames",
    "storage",
]


def test_public_modules_declare_their_surface() -> None:
    # Each public module says what it offers (__all__); every other top-level class,
    # function or constant it defines is underscore-private.
    undeclared = []
    for name in PUBLIC_MODULES:
        path = PACKAGE / f"{name.replace('.', '/')}.py"
        if not path.exists():
            path = PACKAGE / name.replace(".", "/") / "__init__.py"
        module = importlib.import_module(f"comprehend_jobs.{name}")
        declared = set(module.__all__)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            defined: list[str] = []
            if isinstance(node, ast.FunctionDef | ast.ClassDef):
                defined = [node.name]
            elif isinstance(node, ast.Assign):
                defined = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                defined = [node.target.id]
            undeclared += [
                f"{name}.{d}"
                for d in defined
                if not d.startswith("_") and d not in declared and d != "__all__"
            ]
        assert all(hasattr(module, d) for d in declared), name
    assert undeclared == []


def test_package_exports_only_constructs_props_enums_and_errors() -> None:
    import comprehend_jobs

    public = set()
    for name in PUBLIC_MODULES:
        public |= set(importlib.import_module(f"comprehend_jobs.{name}").__all__)
    exported = set(comprehend_jobs.__all__)
    assert exported - public == set()
    for name in exported:
        value = getattr(comprehend_jobs, name)
        assert isinstance(value, type) or name == "JOB_TYPES", name


def test_cdk_nag_is_loaded_only_by_the_packs() -> None:
    # Loading cdk-nag's jsii assembly costs about a quarter of a second; an app that runs
    # no pack (the constructs only acknowledge, through aws-cdk-lib) must not pay it.
    code = (
        "import sys, comprehend_jobs, comprehend_jobs.compliance\n"
        "from comprehend_jobs import *\n"
        "from comprehend_jobs.compliance import acknowledge\n"
        "assert 'cdk_nag' not in sys.modules, 'imported cdk_nag'\n"
        "from comprehend_jobs.compliance import add_compliance_checks\n"
        "import aws_cdk\n"
        "assert 'cdk_nag' not in sys.modules, 'importing add_compliance_checks loaded cdk_nag'\n"
        "add_compliance_checks(aws_cdk.App())\n"
        "assert 'cdk_nag' in sys.modules, 'running the packs did not load cdk_nag'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_an_app_that_uploads_no_documents_never_loads_aws_s3_deployment(tmp_path: Path) -> None:
    # Only an upload of documents needs aws_s3_deployment: the example app with its packs
    # off and its documents already in S3 builds and synthesizes without importing it.
    code = (
        "import json, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "import aws_cdk\n"
        "from app import ROOT, build_app\n"
        "context = json.loads((ROOT / 'cdk.json').read_text())['context']\n"
        "context['input_s3_uri'] = 's3://example-documents/input/'\n"
        f"app = aws_cdk.App(context=context, outdir={str(tmp_path)!r})\n"
        "stacks = build_app(app, compliance_checks=False).synth().stacks\n"
        "assert len(stacks) == 2, stacks\n"
        "assert 'aws_cdk.aws_s3_deployment' not in sys.modules, 'loaded aws_s3_deployment'\n"
        "assert 'cdk_nag' not in sys.modules, 'loaded cdk_nag'\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]


def test_no_module_of_the_package_is_over_the_limit() -> None:
    # The handler's folder counts once, as lambda/ (the package sees it again as _lambda).
    package = [p for p in PACKAGE.rglob("*.py") if "_lambda" not in p.relative_to(PACKAGE).parts]
    lines = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in [*package, *(ROOT / "lambda").glob("*.py")]
    }
    assert len(lines) > 40, "the walk found too few modules: the layout moved"
    assert {path: n for path, n in lines.items() if n > MAX_MODULE_LINES} == {}


def test_type_checkers_see_exactly_the_names_the_package_exports() -> None:
    # The package lists its names once for the runtime (_EXPORTS, lazily loaded) and once
    # for type checkers (imports under TYPE_CHECKING): the two lists must agree.
    import comprehend_jobs

    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    imported = {
        (node.module, alias.name)
        for node in ast.walk(guarded)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        # "X as X" is the explicit re-export a strict type checker needs.
        if alias.asname == alias.name
    }
    exported = {
        (module, name) for module, names in comprehend_jobs._EXPORTS.items() for name in names
    }
    assert imported == exported
    assert comprehend_jobs.__all__ == sorted(name for _, name in exported)
