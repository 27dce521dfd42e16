"""Every package the code imports is declared in pyproject.toml and pinned in constraints.txt:
the packages' own imports among the dependencies, the tests' among the dependencies or the
test extras. A package that arrives only as another's requirement (starlette with FastAPI,
httpx with Prefect) can leave with it, so an import of it must be named too."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("alerts", "compare", "flows", "sources", "store", "web")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_names(requirements: list[str]) -> set[str]:
    return {_norm(re.split(r"[\s<>=!~;\[]", r, maxsplit=1)[0]) for r in requirements}


def _imports(files: list[Path]) -> dict[str, Path]:
    """Top-level module names imported anywhere in the files (absolute imports only)."""
    found: dict[str, Path] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], path)
    return found


def _undeclared(files: list[Path], declared: set[str], local: set[str]) -> list[str]:
    dists = packages_distributions()
    missing = []
    for module, path in sorted(_imports(files).items()):
        if module in sys.stdlib_module_names or module in local or module == "__future__":
            continue
        names = {_norm(d) for d in dists.get(module, [module])}
        if not names & declared:
            missing.append(f"{module} ({path.relative_to(ROOT)}): {sorted(names)}")
    return missing


def _project() -> tuple[set[str], set[str], set[str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = _requirement_names(project["dependencies"])
    test = _requirement_names(project["optional-dependencies"]["test"])
    pinned = {_norm(line.split("==")[0]) for line in
              (ROOT / "constraints.txt").read_text().splitlines() if "==" in line}
    return runtime, test, pinned


def test_the_packages_import_only_declared_dependencies() -> None:
    runtime, _, _ = _project()
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    assert len(files) > 50
    assert _undeclared(files, runtime, set(PACKAGES)) == []


def test_the_tests_import_only_declared_dependencies() -> None:
    runtime, test, _ = _project()
    files = sorted((ROOT / "tests").rglob("*.py"))
    local = set(PACKAGES) | {"tests"} | {p.stem for p in files}
    assert _undeclared(files, runtime | test, local) == []


def test_every_declared_dependency_is_pinned() -> None:
    runtime, test, pinned = _project()
    assert sorted((runtime | test) - pinned) == []


def test_an_undeclared_import_is_reported() -> None:
    # The check can fail: with nothing declared, conftest.py's pytest import is named.
    stray = _undeclared([ROOT / "tests" / "conftest.py"], set(), set(PACKAGES) | {"tests"})
    assert any(m.startswith("pytest (tests/conftest.py)") for m in stray), stray
