"""Issue 28, point 1: ``--read-only`` (what ``serve --read-only`` runs per
browser tab): nothing is saved, no file is written, no ``[[commands]]``
run.  Failed on the code before the fix (no such flag or mode)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import FIXTURE, wait_ready
from tui_reader.cli import main
from tui_reader.core import fsutil
from tui_reader.core.state import StateStore
from tui_reader.core.user_commands import UserCommand, run_command
from tui_reader.ui.factory import make_app

CONFIG = """[[commands]]
name = "Touch"
key = "Z"
argv = ["touch", "{marker}"]
"""


@pytest.fixture
def read_only_process(monkeypatch):
    monkeypatch.setattr(fsutil, "_read_only", False)
    fsutil.set_read_only()
    return fsutil


def test_the_flag_reaches_the_reader(monkeypatch, tmp_path: Path) -> None:
    seen = {}
    monkeypatch.setattr("tui_reader.commands.open.run", lambda args: seen.update(vars(args)) or 0)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "--odd-name").mkdir()  # a PATH that is not there is refused before the reader
    assert main(["--read-only", "--", "--odd-name", str(tmp_path)]) == 0
    assert seen == {"paths": ["--odd-name", str(tmp_path)], "read_only": True}


def test_a_read_only_process_writes_no_file_and_runs_no_command(read_only_process, tmp_path: Path) -> None:
    target = tmp_path / "export.bib"
    with pytest.raises(PermissionError, match="read-only"):
        fsutil.write_output(target, "x")
    marker = tmp_path / "ran"
    outcome = run_command(UserCommand("Touch", "Z", ("touch", str(marker))), b"{}", 1)
    assert not outcome.ok and "read-only" in outcome.summary
    assert sorted(tmp_path.iterdir()) == []


async def test_a_read_only_reader_saves_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state.sqlite3"
    with StateStore.open(state) as store:
        store.set_pref("theme", "kept")
    before = state.read_bytes()
    marker = tmp_path / "ran"
    config = tmp_path / "config.toml"
    config.write_text(CONFIG.format(marker=marker), encoding="utf-8")
    files = sorted(tmp_path.iterdir())
    app = make_app([str(FIXTURE)], config_path=config, state_path=state, read_only=True, mark_read_after=60)
    assert app.context.read_only and app.context.store.read_only
    assert app.context.config.settings.commands == []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("b", "m", "Z")
        await pilot.pause(0.1)
    assert app.context.store.get_pref("theme") == "kept"  # what was saved is read
    assert state.read_bytes() == before and not marker.exists()
    assert sorted(tmp_path.iterdir()) == files  # no -wal, no -shm
