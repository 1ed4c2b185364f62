"""Issue 28, point 5: ``-o`` never replaces what is not a regular file.
An export or a digest to a FIFO is written into it (the FIFO stays), a
block device or a folder is refused with a message, ``-o -`` writes to
standard output, a regular file is replaced atomically as before.  The
FIFO test failed on the code before the fix (the FIFO became a file)."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.core.fsutil import write_output
from tui_reader.core.state import Bookmark, Snapshot, StateStore

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


@pytest.fixture
def bookmarked(isolated_dirs) -> None:
    snap = Snapshot.minimal("2601.00042")
    snap.title = "Kept Through The Pipe"
    with StateStore.open() as store:
        store.merge_bookmarks([Bookmark("2601.00042", "2026-01-01T00:00:00Z", [], "", snap)])


def read_fifo(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def reader() -> None:
        with open(fifo, "rb") as handle:  # blocks until the writer opens it
            got.append(handle.read())

    thread = threading.Thread(target=reader, daemon=True)
    thread.start()
    return thread, got


def test_an_export_to_a_fifo_is_written_into_it(tmp_path: Path, bookmarked, capsys) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    thread, got = read_fifo(fifo)
    assert main(["bookmarks", "export", "-f", "bibtex", "-o", str(fifo)]) == 0
    thread.join(30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode), "the FIFO was replaced by a regular file"
    assert b"Kept Through The Pipe" in got[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]  # no temp file left beside it


def test_a_digest_to_a_fifo_is_written_into_it(tmp_path: Path, isolated_dirs, capsys) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    record = {"id": "2603.00001", "title": "Piped Digest Paper", "authors": ["A"], "categories": ["cs.LG"],
              "summary": "s", "AI": {"tldr": "t"}}
    (folder / "2026-03-02_AI_enhanced_English.jsonl").write_text(json.dumps(record) + "\n", encoding="utf-8")
    fifo = tmp_path / "digest.md"
    os.mkfifo(fifo)
    thread, got = read_fifo(fifo)
    assert main(["digest", "--all", "--library", str(folder), "-o", str(fifo)]) == 0
    thread.join(30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert b"Piped Digest Paper" in got[0]


def test_dash_is_standard_output(bookmarked, capsys) -> None:
    assert main(["bookmarks", "export", "-f", "markdown", "-o", "-"]) == 0
    assert "Kept Through The Pipe" in capsys.readouterr().out


def test_a_folder_is_refused_with_a_message(tmp_path: Path, bookmarked, capsys) -> None:
    assert main(["bookmarks", "export", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "cannot write" in err and "folder" in err
    assert tmp_path.is_dir()


def test_a_character_device_is_written_into_and_a_regular_file_replaced(tmp_path: Path) -> None:
    assert write_output("/dev/null", "into the void\n") == Path("/dev/null")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
    target = tmp_path / "out.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_output(target, "new")
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o640


def test_the_readers_own_export_writes_into_a_fifo_too(tmp_path: Path) -> None:
    """The reader's export (space D, e) goes through the same door."""
    from tui_reader.core.state.export import write_atomic

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    thread, got = read_fifo(fifo)
    assert write_atomic(fifo, "through the pipe") == fifo
    thread.join(30)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and got == [b"through the pipe"]
