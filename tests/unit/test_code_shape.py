"""One module, one job: no module of the core or the commands over 600
lines, no function over 80 (issue 25).  ``tui_reader/ui/`` is held to the
same once its split lands."""

from __future__ import annotations

import ast
from pathlib import Path

import tui_reader

ROOT = Path(tui_reader.__file__).parent
CHECKED = [ROOT / "core", ROOT / "commands", ROOT / "cli.py"]
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
