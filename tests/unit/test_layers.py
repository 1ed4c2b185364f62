"""The layers declared in pyproject.toml ([tool.importlinter]) hold: each
contract is checked by import-linter's own ``lint-imports``, and a broken
one fails with its report (which import, from where, at which line)."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"]


def _lint_imports() -> str:
    beside = Path(sys.executable).parent / "lint-imports"
    found = str(beside) if beside.is_file() else shutil.which("lint-imports")
    if found is None:
        pytest.fail("lint-imports not found: pip install -e '.[test]' (import-linter is a test dependency)")
    return found


def test_the_contracts_are_declared():
    assert {c["id"] for c in CONTRACTS} >= {"core-is-a-library", "layers", "parts-import-no-screen",
                                            "actions-take-panes", "ui-layers"}


@pytest.mark.parametrize("contract", [pytest.param(c, id=c["id"]) for c in CONTRACTS])
def test_contract_is_kept(contract):
    # --no-cache: nothing written beside the sources.
    result = subprocess.run([_lint_imports(), "--no-cache", "--contract", contract["id"]],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = result.stdout + result.stderr
    assert result.returncode == 0, f"contract {contract['name']!r} is broken:\n{report}"
    assert "KEPT" in report


def _imports_of(tree: ast.AST, modules: set[str]) -> set[str]:
    """The tui_reader modules an import names (``from pkg import sub`` is
    the submodule, as the import system resolves it), lazy ones included."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            subs = {f"{node.module}.{alias.name}" for alias in node.names} & modules
            found |= subs
            if len(subs) < len(node.names) and node.module in modules:
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names} & modules
    return found


def test_no_import_cycle_anywhere():
    """No module reaches itself through its imports, a function's lazy
    import or a TYPE_CHECKING one included (a cycle is a design knot)."""
    files = {}
    for path in (ROOT / "tui_reader").rglob("*.py"):
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        files[name.removesuffix(".__init__")] = path
    modules = set(files)
    graph = {name: _imports_of(ast.parse(path.read_text(encoding="utf-8")), modules) - {name}
             for name, path in files.items()}
    cycles = []
    state: dict[str, int] = {}  # 1: on the path, 2: done

    def visit(name: str, path: list[str]) -> None:
        state[name] = 1
        for other in sorted(graph[name]):
            if state.get(other) == 1:
                cycles.append(path[path.index(other):] + [other])
            elif other not in state:
                visit(other, [*path, other])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)
