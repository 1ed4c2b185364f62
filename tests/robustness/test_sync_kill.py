"""Issue 30.4: a sync killed with SIGKILL at any point (after fetching, after
writing its segment, after committing, after pushing, in the middle of
merging) loses nothing: a later sync completes the work and both homes end
equal.  Real processes (``tui-reader sync``), a local bare git remote."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.sync_homes import bare_remote, canonical
from tui_reader.core.model import Paper
from tui_reader.core.state import StateStore
from tui_reader.core.sync.remote import STOP_AT

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(os.name != "posix" or shutil.which("git") is None, reason="needs POSIX signals and git"),
]

POINTS = ["started", "written", "committed", "pushed", "merging"]


def environment(home: Path, stop: str = "") -> dict[str, str]:
    env = dict(os.environ, XDG_DATA_HOME=str(home / "data"), XDG_CONFIG_HOME=str(home / "config"),
               XDG_CACHE_HOME=str(home / "cache"))
    env.pop(STOP_AT, None)
    if stop:
        env[STOP_AT] = stop
    return env


def store_path(home: Path) -> Path:
    return home / "data" / "tui-reader" / "state.sqlite3"


def run_sync(home: Path, remote: str) -> None:
    done = subprocess.run([sys.executable, "-m", "tui_reader.cli", "sync", remote], env=environment(home),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def killed_at(home: Path, remote: str, point: str) -> None:
    process = subprocess.Popen([sys.executable, "-m", "tui_reader.cli", "sync", remote], env=environment(home, point),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline()  # the process stops there, waiting to be killed
    assert line.strip() == f"checkpoint {point}", (line, process.stderr.read() if process.poll() is not None else "")
    process.send_signal(signal.SIGKILL)
    process.wait()


def change(home: Path, tag: str, number: int) -> None:
    with StateStore.open(store_path(home)) as store:
        pid = f"2601.{number:05d}"
        store.add_bookmark(Paper(id=pid, title=f"Paper {number}", abs_url=f"https://arxiv.org/abs/{pid}"))
        store.set_tags(pid, [tag])
        store.mark_read([f"2602.{number:05d}"])
        store.set_note("2601.00000", f"{tag} {number}")  # one bookmark both edit


def state(home: Path) -> dict:
    with StateStore.open(store_path(home)) as store:
        return canonical(store)


def test_a_sync_killed_at_any_point_loses_nothing(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    laptop, desktop = tmp_path / "laptop", tmp_path / "desktop"
    for home in (laptop, desktop):
        store_path(home).parent.mkdir(parents=True)
    change(laptop, "laptop", 0)
    run_sync(laptop, remote)
    run_sync(desktop, remote)
    for number, point in enumerate(POINTS, 1):
        change(laptop, "laptop", number * 10)
        change(desktop, "desktop", number * 10 + 1)
        run_sync(desktop, remote)  # so the laptop has something to merge
        killed_at(laptop, remote, point)
        change(laptop, "laptop", number * 10 + 2)  # the reader goes on after the crash
        run_sync(laptop, remote)
        run_sync(desktop, remote)
        ours, theirs = state(laptop), state(desktop)
        assert ours == theirs, point
        for wanted in (number * 10, number * 10 + 1, number * 10 + 2):
            assert f"2601.{wanted:05d}" in ours["bookmarks"], (point, wanted)
            assert f"2602.{wanted:05d}" in ours["read"], (point, wanted)
