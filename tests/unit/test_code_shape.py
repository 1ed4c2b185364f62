"""One module, one job: no module of tui_reader over 600 lines, no
function over 80 (issue 25); the main screen routes, so it stays under 400
lines and 10 attributes of its own."""

from __future__ import annotations

import ast
from pathlib import Path

import tui_reader

ROOT = Path(tui_reader.__file__).parent
CHECKED = [ROOT]
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80


def _modules() -> list[Path]:
    found: list[Path] = []
    for place in CHECKED:
        found.extend(sorted(place.rglob("*.py")) if place.is_dir() else [place])
    return found


def test_no_module_is_over_600_lines():
    long = [f"{path.relative_to(ROOT)}: {n}" for path in _modules()
            if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES]
    assert long == []


def test_no_function_is_over_80_lines():
    long = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
                if node.end_lineno - start + 1 > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.name}")
    assert long == []


def test_the_main_screen_routes():
    """<= 400 lines and <= 10 instance attributes: state lives in the parts."""
    path = ROOT / "ui" / "screens" / "main.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400
    screen = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "MainScreen")
    attributes = {target.attr for node in ast.walk(screen) for target in _targets(node)
                  if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                  and target.value.id == "self"}
    assert len(attributes) <= 10, sorted(attributes)


def _targets(node: ast.AST) -> list[ast.expr]:
    if isinstance(node, ast.Assign):
        return [t for target in node.targets for t in (target.elts if isinstance(target, ast.Tuple) else [target])]
    if isinstance(node, ast.AnnAssign | ast.AugAssign):
        return [node.target]
    return []
