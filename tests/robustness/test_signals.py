"""Issue 7.4 (signals): SIGTERM to the reader, to ``tui-reader index`` in
the middle of a build, and to a process in the middle of state writes.
Each ends without a traceback, and the next start finds a consistent
index and every change that was reported saved."""

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

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parents[2]
# Enough for the loader to parse in worker processes (12 MB) and for an
# index build long enough to interrupt.
PAPERS = 1500


def _env(isolated_dirs) -> dict[str, str]:
    return {f"XDG_{k.upper()}_HOME": str(v) for k, v in isolated_dirs.items()}


@pytest.mark.skipif(not available(), reason="needs tmux and the installed tui-reader")
def test_sigterm_quits_the_reader_cleanly_and_keeps_the_session(tmp_path, isolated_dirs):
    folder = tmp_path / "lib"
    H.write_markdown(folder)
    term = Terminal([str(folder)], _env(isolated_dirs), 100, 30)
    try:
        term.wait_for("Hostile", timeout=20)
        term.send("b")
        term.wait_for("Bookmarked", timeout=5)
        term.send("j")
        time.sleep(0.3)
        shell = term._tmux("display", "-p", "-t", term.session, "#{pane_pid}").strip()
        children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
        assert len(children) == 1, children
        os.kill(int(children[0]), signal.SIGTERM)
        end = term.wait_for("EXIT=", timeout=15)
        modes = term._tmux("display", "-p", "-t", term.session, "#{alternate_on} #{mouse_any_flag}").split()
    finally:
        term.close()
    assert "Traceback" not in end, end
    assert modes == ["0", "0"], "the terminal was left in the alternate screen or mouse mode"
    assert "SIGTERM" in end and "EXIT=143" in end, end
    from tui_reader.core.state import StateStore

    store = StateStore.open()
    try:
        assert store.is_bookmarked(H.HOSTILE_ID)
        session = store.load_session()
        assert session.get("paper") == H.LONG_ID, session
    finally:
        store.close()


def _group_ends(pgid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture(scope="module")
def big_library(tmp_path_factory) -> Path:
    sys.path.insert(0, str(REPO))
    from benchmarks.generate import generate_library

    folder = tmp_path_factory.mktemp("big")
    generate_library(folder, papers=PAPERS, days=8, seed=7)
    return folder


def test_sigterm_during_indexing_leaves_an_index_the_next_start_completes(big_library, isolated_dirs):
    from tui_reader.core.index import SearchIndex
    from tui_reader.core.loader import load_library

    env = {**os.environ, **_env(isolated_dirs)}
    killed_at = []
    for delay in (0.6, 1.2, 2.0):
        proc = subprocess.Popen([str(BIN), "index", str(big_library)], env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, start_new_session=True)
        try:
            time.sleep(delay)
            proc.send_signal(signal.SIGTERM)
            out, err = proc.communicate(timeout=30)
            assert "Traceback" not in out + err, err
            if proc.returncode != 0:
                assert "stopped" in err, err
            assert _group_ends(proc.pid, 3.0), "a worker process outlived the command"
        finally:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait()
        killed_at.append(proc.returncode)
    assert any(code != 0 for code in killed_at), "the build ended before any SIGTERM: use a bigger library"
    # Next start: the update completes and the index holds exactly the library.
    done = subprocess.run([str(BIN), "index", str(big_library)], env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    library = load_library([str(big_library)], isolated_dirs["cache"] / "tui-reader")
    with SearchIndex.open(library.key, isolated_dirs["cache"] / "tui-reader") as index:
        assert index.doc_count == len(library.papers)
        some = next(iter(library.papers.values()))
        result = index.search(f'id:{some.id}')
        assert result.error is None and result.ids == [some.id]


STATE_WRITER = textwrap.dedent("""
    import sys
    from tui_reader.core.model import Paper
    from tui_reader.core.state import StateStore
    store = StateStore.open()
    i = 0
    while True:
        pid = f"2601.{i:05d}"
        store.add_bookmark(Paper(pid, title=f"Paper {i}"))
        store.mark_read([pid], True, False)
        print(pid, flush=True)
        i += 1
""")


def test_sigterm_during_state_writes_keeps_every_reported_change(isolated_dirs):
    env = {**os.environ, **_env(isolated_dirs)}
    proc = subprocess.Popen([sys.executable, "-c", STATE_WRITER], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    saved: list[str] = []
    deadline = time.monotonic() + 20
    while len(saved) < 30 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        saved.append(line.strip())
    proc.send_signal(signal.SIGTERM)
    rest, err = proc.communicate(timeout=30)
    saved += rest.split()
    assert "Traceback" not in err, err
    assert len(saved) >= 30, err
    from tui_reader.core.state import StateStore

    store = StateStore.open()
    try:
        assert not store.read_only and not store.notices, store.notices
        assert set(saved) <= set(store.bookmarked_ids())
        assert set(saved) <= set(store.read_ids())
        store.add_bookmark(__import__("tui_reader.core.model", fromlist=["Paper"]).Paper("2601.99999", title="x"))
        assert store.is_bookmarked("2601.99999")
    finally:
        store.close()


def _after_indexing(term: Terminal, seconds: float = 180) -> str:
    """The screen once indexing has started and ended (or failed)."""
    try:
        term.wait_for("indexing", timeout=30)
    except AssertionError:
        pass
    deadline = time.monotonic() + seconds
    screen = term.screen()
    while "indexing" in screen and time.monotonic() < deadline:
        time.sleep(0.2)
        screen = term.screen()
    return screen


def _reader_pid(term: Terminal) -> int:
    shell = term._tmux("display", "-p", "-t", term.session, "#{pane_pid}").strip()
    children = subprocess.run(["pgrep", "-P", shell], capture_output=True, text=True).stdout.split()
    assert len(children) == 1, children
    return int(children[0])


@pytest.mark.skipif(not available(), reason="needs tmux and the installed tui-reader")
def test_reader_on_a_big_library_survives_sigterm_while_indexing_and_restarts_whole(big_library, isolated_dirs):
    """A library big enough to parse in worker processes (this crashed the
    reader: 'bad value(s) in fds_to_keep'), SIGTERM while it indexes, then
    the next start finishes the index."""
    env = _env(isolated_dirs)
    term = Terminal([str(big_library)], env, 120, 30)
    try:
        term.wait_for("indexing", timeout=60)
        os.kill(_reader_pid(term), signal.SIGTERM)
        end = term.wait_for("EXIT=", timeout=60)
    finally:
        term.close()
    assert "Traceback" not in end and "Error" not in end, end
    assert "EXIT=143" in end, end
    term = Terminal([str(big_library)], env, 120, 30)
    try:
        term.wait_for(f"{PAPERS} papers", timeout=60)
        screen = _after_indexing(term)
        term.send("q")
        end = term.wait_for("EXIT=", timeout=30)
    finally:
        term.close()
    assert "search unavailable" not in screen and "failed" not in screen, screen
    assert "Traceback" not in end and "EXIT=0" in end, end
    from tui_reader.core.index import SearchIndex
    from tui_reader.core.loader import load_library

    cache = isolated_dirs["cache"] / "tui-reader"
    library = load_library([str(big_library)], cache)
    with SearchIndex.open(library.key, cache) as index:
        assert index.doc_count == len(library.papers) == PAPERS


@pytest.mark.skipif(not available(), reason="needs tmux and the installed tui-reader")
def test_reader_builds_the_index_of_a_big_library_whose_parse_cache_is_warm(big_library, isolated_dirs):
    """No parse pool starts multiprocessing's resource tracker here, so the
    index build's own workers meet Textual's stderr without a descriptor."""
    from tui_reader.core.loader import load_library

    load_library([str(big_library)], isolated_dirs["cache"] / "tui-reader", parallel=False)
    term = Terminal([str(big_library)], _env(isolated_dirs), 140, 30)
    try:
        term.wait_for(f"{PAPERS} papers", timeout=60)
        screen = _after_indexing(term)
        term.send("q")
        end = term.wait_for("EXIT=", timeout=30)
    finally:
        term.close()
    assert "Traceback" not in end
    assert "failed" not in screen and "unavailable" not in screen, screen


@pytest.mark.skipif(not available(), reason="needs tmux and the installed tui-reader")
def test_q_while_indexing_quits_promptly(big_library, isolated_dirs):
    term = Terminal([str(big_library)], _env(isolated_dirs), 120, 30)
    try:
        term.wait_for("indexing", timeout=60)
        started = time.monotonic()
        term.send("q")
        end = term.wait_for("EXIT=", timeout=180)
        took = time.monotonic() - started
    finally:
        term.close()
    assert "Traceback" not in end and "EXIT=0" in end, end
    # Compared in the same run, not against a fixed time: quitting must not
    # wait for the build, so it takes well under what the whole build takes.
    from tui_reader.core.index import SearchIndex
    from tui_reader.core.loader import load_library

    library = load_library([str(big_library)], None, parallel=False)
    build_started = time.monotonic()
    with SearchIndex.open(library.key, isolated_dirs["cache"] / "fresh") as index:
        index.update(library)
    full_build = time.monotonic() - build_started
    assert took < full_build / 2, f"q took {took:.1f} s; a whole build takes {full_build:.1f} s"
