"""The core is a library on its own: nothing under tui_reader.core imports
Textual, and importing the package writes nothing to disk."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import tui_reader.core


def core_modules() -> list[str]:
    return sorted(
        m.name for m in pkgutil.walk_packages(tui_reader.core.__path__, prefix="tui_reader.core.")
    )


def test_core_has_modules_to_check():
    modules = core_modules()
    assert "tui_reader.core.loader" in modules
    assert len(modules) >= 8


def test_no_core_module_imports_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {core_modules()!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_importing_the_app_creates_no_directories(tmp_path, monkeypatch):
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "PATH": "/usr/bin:/bin",
    }
    code = "import tui_reader.cli, tui_reader.ui.factory, tui_reader.ui.app"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert list(tmp_path.iterdir()) == []


def test_every_worker_keeps_the_reader_running_when_it_fails():
    """A worker that raises must not exit the app (Textual's default): each
    @work says exit_on_error=False (ui/workers.py turns the failure into a
    notice)."""
    import ast
    from pathlib import Path

    ui = Path(tui_reader.core.__path__[0]).parent / "ui"
    workers = []
    for path in sorted(ui.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    if isinstance(decorator, ast.Call) and getattr(decorator.func, "id", "") == "work":
                        keywords = {k.arg: k.value for k in decorator.keywords}
                        ok = isinstance(keywords.get("exit_on_error"), ast.Constant) \
                            and keywords["exit_on_error"].value is False
                        workers.append((f"{path.name}:{node.name}", ok))
    assert len(workers) >= 7
    assert [name for name, ok in workers if not ok] == []


def test_a_command_line_search_imports_no_rich_nor_uniseg(tmp_path):
    """`tui-reader search --json` prints no console output on its usual path:
    Rich, uniseg and Whoosh's English morphology (~70 ms of its start
    together) stay unimported; the search still answers."""
    env = {
        "XDG_CACHE_HOME": str(tmp_path / "c"),
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_CONFIG_HOME": str(tmp_path / "cfg"),
        "PATH": "/usr/bin:/bin",
    }
    code = (
        "import sys, io, contextlib\n"
        "from tui_reader.cli import main\n"
        "samples = __import__('tui_reader').__path__[0] + '/samples'\n"
        "for _ in range(2):\n"  # the first run makes the caches; the second is the warm one
        "    for name in [m for m in sys.modules if m.split('.')[0] in ('rich', 'uniseg')]:\n"
        "        del sys.modules[name]\n"
        "    out = io.StringIO()\n"
        "    with contextlib.redirect_stdout(out):\n"
        "        code = main(['search', 'diffusion', samples, '--json'])\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('rich', 'uniseg')\n"
        "                or m == 'whoosh.lang.morph_en')\n"
        "print(code, out.getvalue().startswith('[{'), loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split(maxsplit=2)[:2] == ["0", "True"], result.stdout + result.stderr
    assert result.stdout.strip().endswith("[]"), result.stdout
