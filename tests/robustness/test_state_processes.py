"""The store across real processes: two writers at once keep every change,
and a SIGKILL in the middle of a transaction leaves the previous state."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tui_reader.core.state import Snapshot, StateStore

pytestmark = pytest.mark.skipif(os.name != "posix", reason="uses POSIX signals")

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui_reader.core.state import Snapshot, StateStore

    path, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = StateStore.open(path)
    assert not store.read_only, store.notices
    print("ready", flush=True)
    sys.stdin.readline()  # both start together
    for i in range(count):
        if i == count // 2:
            # Halfway: wait until the other writer is halfway too, so each
            # one's later writes land on top of the other's earlier ones.
            print("half", flush=True)
            sys.stdin.readline()
        paper = Snapshot.minimal(f"{name}.{i:05d}")
        store.toggle_bookmark(paper)                  # one transaction each
        store.set_tags(paper.id, [name, "shared"])
        store.mark_read([f"{name}.{i:05d}", f"shared.{i:05d}"])
        store.set_note("0000.00000", f"{name} {i}")  # the same row from both sides
    store.close()
    print("done", flush=True)
    """
)

KILLED = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tui_reader.core.state import Bookmark, StateStore

    store = StateStore.open(Path(sys.argv[1]))

    def items():
        for i in range(2000):
            yield Bookmark(f"9999.{i:05d}", "", ["half-done"], "")
            if i == 1500:
                # Inside merge_bookmarks' transaction, with 1500 rows written.
                print("inside", flush=True)
                sys.stdin.readline()  # wait here to be killed

    store.merge_bookmarks(items())
    print("committed", flush=True)
    """
)


def _spawn(script: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_processes_writing_at_once_keep_every_change(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        store.add_bookmark(Snapshot.minimal("0000.00000"))
    count = 60
    writers = [_spawn(WRITER, str(path), name, str(count)) for name in ("1111", "2222")]
    try:
        for writer in writers:
            assert writer.stdout.readline().strip() == "ready", writer.stderr.read()
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            assert writer.stdout.readline().strip() == "half", writer.stderr.read()
        for writer in writers:
            writer.stdin.write("on\n")
            writer.stdin.flush()
        for writer in writers:
            out, err = writer.communicate(timeout=120)
            assert writer.returncode == 0, err
            assert out.strip() == "done"
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()

    with StateStore.open(path) as store:
        expected = {f"{n}.{i:05d}" for n in ("1111", "2222") for i in range(count)} | {"0000.00000"}
        assert store.bookmarked_ids() == expected
        assert store.tags() == {"1111": count, "2222": count, "shared": 2 * count}
        assert store.read_ids() == {f"{n}.{i:05d}" for n in ("1111", "2222", "shared") for i in range(count)}
        assert store.bookmark("0000.00000").note in (f"1111 {count - 1}", f"2222 {count - 1}")


def test_sigkill_in_the_middle_of_a_transaction_keeps_the_previous_state(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        store.set_tags(Snapshot.minimal("2601.00001"), "kept")
        store.set_note("2601.00001", "before the crash")
        store.mark_read(["2601.00001", "2601.00002"])
        before = store.bookmarks()

    child = _spawn(KILLED, str(path))
    try:
        assert child.stdout.readline().strip() == "inside", child.stderr.read()
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL

    with StateStore.open(path) as store:
        assert store.notices == [] and not store.read_only
        assert store.bookmarks() == before
        assert store.read_ids() == {"2601.00001", "2601.00002"}
        assert "half-done" not in store.tags()
        store.add_bookmark(Snapshot.minimal("2601.00003"))  # the write lock was released
        assert store.bookmark_count() == 2
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
