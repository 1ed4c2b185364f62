"""Issue 19.6: processes end with their parent.  Index workers (and
multiprocessing's resource tracker) die with a killed ``tui-reader
index``; SIGHUP (the terminal closed) quits the reader like SIGTERM and
saves the session; scratch segments and temporary indexes whose owner is
gone are removed at the next start."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.robustness import hostile as H
from tests.robustness.terminal import BIN, Terminal, available
from tests.robustness.waiting import alive as _alive
from tui_reader.core.fsutil import FileLock
from tui_reader.core.index import store as index_store

REPO = Path(__file__).resolve().parents[2]


def _env(isolated_dirs) -> dict[str, str]:
    return {f"XDG_{k.upper()}_HOME": str(v) for k, v in isolated_dirs.items()}


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(p) for p in out]


@pytest.fixture(scope="module")
def big_library(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO))
    from benchmarks.generate import generate_library

    folder = tmp_path_factory.mktemp("big")
    generate_library(folder, papers=6000, days=8, seed=11)
    return folder


def _index_dir(isolated_dirs) -> Path:
    [directory] = (isolated_dirs["cache"] / "tui-reader" / "index").iterdir()
    return directory


def _size(directory: Path) -> int:
    return sum(p.stat().st_size for p in directory.rglob("*") if p.is_file())


@pytest.mark.slow
def test_index_workers_die_with_a_killed_parent_and_leave_nothing(big_library, isolated_dirs):
    env = {**os.environ, **_env(isolated_dirs)}
    for attempt in range(3):
        proc = subprocess.Popen([str(BIN), "index", str(big_library)], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)
        workers: list[int] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            workers = _children(proc.pid)
            if len(workers) >= 2:  # the resource tracker and at least one worker
                break
            time.sleep(0.05)
        assert proc.poll() is None and len(workers) >= 2, "the build ended before it used worker processes"
        time.sleep(0.5)
        proc.kill()
        proc.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in workers):
            time.sleep(0.1)
        assert not any(_alive(p) for p in workers), f"workers outlived their parent (attempt {attempt})"
    done = subprocess.run([str(BIN), "index", str(big_library)], env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    directory = _index_dir(isolated_dirs)
    killed_size = _size(directory)
    assert not list(directory.glob(".build-*"))
    subprocess.run([str(BIN), "index", "--rebuild", str(big_library)], env=env, capture_output=True, timeout=600)
    clean_size = _size(directory)
    assert killed_size <= clean_size * 1.25, (killed_size, clean_size)  # no scratch segments left over


@pytest.mark.slow
@pytest.mark.skipif(not available(), reason="needs tmux and the installed tui-reader")
def test_sighup_quits_the_reader_like_sigterm_and_saves_the_session(tmp_path, isolated_dirs):
    folder = tmp_path / "lib"
    H.write_markdown(folder)
    term = Terminal([str(folder)], _env(isolated_dirs), 100, 30)
    try:
        term.wait_for("Hostile", timeout=20)
        term.send("j")
        time.sleep(0.5)
        shell = term._tmux("display", "-p", "-t", term.session, "#{pane_pid}").strip()
        [reader] = _children(int(shell))
        os.kill(reader, signal.SIGHUP)
        end = term.wait_for("EXIT=", timeout=15)
    finally:
        term.close()
    assert "Traceback" not in end, end
    assert "EXIT=129" in end, end
    from tui_reader.core.state import StateStore

    with StateStore.open() as store:
        assert store.load_session().get("paper") == H.LONG_ID


def test_stale_temporary_indexes_are_removed_at_start(tmp_path, monkeypatch):
    monkeypatch.setattr(index_store.tempfile, "gettempdir", lambda: str(tmp_path))
    gone = tmp_path / (index_store.TEMPORARY_PREFIX + "dead")
    gone.mkdir()
    (gone / index_store.OWNER_LOCK).touch()  # its owner was killed: nobody holds the lock
    (gone / "_MAIN_1.toc").write_bytes(b"x" * 1000)
    alive = tmp_path / (index_store.TEMPORARY_PREFIX + "alive")
    alive.mkdir()
    held = FileLock(alive / index_store.OWNER_LOCK)
    assert held.acquire(blocking=False)
    other = tmp_path / "not-ours"
    other.mkdir()
    try:
        blocked = tmp_path / "cache-is-a-file"
        blocked.write_text("x")
        with index_store.SearchIndex.open("k", blocked / "cache") as ix:  # falls back to a temporary index
            assert ix.temporary and ix.directory.parent == tmp_path
            assert not gone.exists() and alive.exists() and other.exists()
            assert ix.directory.exists()
        assert not ix.directory.exists()
    finally:
        held.release()


def test_a_temporary_index_is_removed_when_the_process_exits_without_closing(tmp_path):
    script = textwrap.dedent(f"""
        import tempfile
        tempfile.tempdir = {str(tmp_path)!r}
        from tui_reader.core.index.store import SearchIndex
        ix = SearchIndex._temporary([])
        print(ix.directory, flush=True)
        # no close(): the app exits this way when a worker still holds the index
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert not Path(out.stdout.strip()).exists()
