"""Issue 7.4: faults around the reader.  Unwritable cache, data and config
dirs (simulated: tests run as root, so XDG_* point below a regular file and
mkdir fails), a full disk, the digest folder or the index deleted while the
app is open, a digest changing while it is read.  Each ends in a clear
message, never a traceback, and the next start is consistent."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.robustness import hostile as H
from tests.robustness.waiting import select, until
from tests.support import wait_ready
from tui_reader.core.loader import load_library
from tui_reader.ui.factory import make_app

# The caches themselves are what fails here: each test starts from an empty one.
pytestmark = pytest.mark.cold_cache


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "lib"
    H.write_markdown(folder)
    return folder


def _blocked(tmp_path: Path, name: str) -> Path:
    """A path no directory can be made at: its parent is a regular file."""
    blocker = tmp_path / f"{name}-is-a-file"
    blocker.write_text("not a directory")
    return blocker / name


def _messages(app) -> list[str]:
    return [message for message in app.notices_shown]


def _block(which: str, tmp_path: Path, monkeypatch) -> None:
    for name in (("cache", "data", "config") if which == "all" else (which,)):
        monkeypatch.setenv(f"XDG_{name.upper()}_HOME", str(_blocked(tmp_path, name)))


def _ids(screen) -> list[str]:
    return [p.id for p in screen.paper_list.papers]


async def _search(pilot, screen, text: str, want: list[str]) -> list[str]:
    await pilot.press("slash", *text)
    await until(pilot, lambda: _ids(screen) == want, 5)
    await pilot.press("enter")
    await pilot.pause(0.05)
    return _ids(screen)


@pytest.mark.parametrize("which", ["cache", "data", "config", "all"])
async def test_unwritable_dirs_give_a_reader_and_a_message(which, library, tmp_path, monkeypatch):
    _block(which, tmp_path, monkeypatch)
    app = make_app([str(library)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=which in ("data", "config"))
        assert len(screen.paper_list.papers) == 2
        if which in ("data", "config"):
            assert await _search(pilot, screen, "hostile", [H.HOSTILE_ID]) == [H.HOSTILE_ID]
        await pilot.press("b", "m")
        await until(pilot, lambda: len(_messages(app)) >= 2, 3)
        messages = " | ".join(_messages(app))
        if which in ("cache", "all"):
            assert "cache" in messages and "not writable" in messages, messages
        if which in ("data", "all"):
            assert "read-only" in messages, messages
        assert "Traceback" not in messages
        await pilot.press("q")
    assert app.return_code in (0, None)


async def test_unwritable_cache_still_searches_from_a_temporary_index(library, tmp_path, monkeypatch):
    _block("cache", tmp_path, monkeypatch)
    app = make_app([str(library)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        await until(pilot, lambda: screen.panes.lib.index_ready, 10)
        assert await _search(pilot, screen, "hostile", [H.HOSTILE_ID]) == [H.HOSTILE_ID]
        messages = " | ".join(_messages(app))
        assert "temporary index" in messages and "TypeError" not in messages, messages


def test_cli_with_unwritable_dirs_says_so_and_still_answers(library, tmp_path, monkeypatch, capsys):
    from tui_reader.cli import main

    _block("all", tmp_path, monkeypatch)
    for argv, want in ((["check", str(library)], "2"), (["search", "hostile", str(library)], H.HOSTILE_ID),
                       (["index", str(library)], "papers"), (["bookmarks", "list"], "bookmarks"),
                       (["config"], "config")):
        code = main(argv)
        out, err = capsys.readouterr()
        assert code in (0, 1), (argv, code, err)
        assert "Traceback" not in out + err
        assert want in out + err, (argv, out, err)


async def test_full_disk_when_saving_state_is_a_message_not_a_crash(library, monkeypatch):
    app = make_app([str(library)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        store = screen.panes.store
        real_execute = store._conn.execute if hasattr(store, "_conn") else None
        if real_execute is None:
            pytest.skip("the store keeps no _conn")

        class FullDisk:
            def __init__(self, conn):
                self._conn = conn

            def __getattr__(self, name):
                return getattr(self._conn, name)

            def execute(self, sql, *args):
                if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "REPLACE")):
                    raise sqlite3.OperationalError("database or disk is full")
                return self._conn.execute(sql, *args)

            def executemany(self, sql, *args):
                raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(store, "_conn", FullDisk(store._conn))
        await pilot.press("b", "m")
        await until(pilot, lambda: any("Not saved" in m for m in _messages(app)), 5)
        messages = " | ".join(_messages(app))
        assert "Not saved" in messages, messages
        monkeypatch.undo()
        await pilot.press("b")
        assert await until(pilot, lambda: store.is_bookmarked(screen.paper_list.current.id), 5)


def test_full_disk_for_the_parse_cache_only_costs_speed(library, tmp_path, monkeypatch):
    cache = tmp_path / "cache"

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    first = load_library([str(library)], cache, parallel=False)
    monkeypatch.undo()
    assert set(first.papers) == {H.HOSTILE_ID, H.LONG_ID}
    again = load_library([str(library)], cache, parallel=False)
    assert set(again.papers) == set(first.papers)


async def test_digest_folder_deleted_while_open_keeps_the_reader_and_the_bookmarks(library):
    app = make_app([str(library)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await select(pilot, screen, H.HOSTILE_ID)
        await pilot.press("b")
        assert await until(pilot, lambda: screen.panes.store.is_bookmarked(H.HOSTILE_ID), 5)
        shutil.rmtree(library)
        for keys in (("j",), ("k",), ("a",), ("slash", *"hostile"), ("enter",), ("escape",), ("p",), ("escape",),
                     ("right_square_bracket",), ("r",), ("b",), ("b",)):
            await pilot.press(*keys)
            await pilot.pause(0.02)
        assert app.is_running
        await pilot.press("q")
    # Next start: the folder is gone; the reader says so and keeps the bookmark.
    app = make_app([str(library)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot)
        assert screen.panes.lib.library.problems, "a missing folder must be reported"
        assert any(str(library) in p.file or "not found" in p.message or "no such" in p.message.lower()
                   for p in screen.panes.lib.library.problems)
        assert screen.panes.store.is_bookmarked(H.HOSTILE_ID)
        screen.tree.select_key("bookmarks")
        screen.panes.show_node("bookmarks")
        await pilot.pause(0.05)
        assert [p.id for p in screen.paper_list.papers] == [H.HOSTILE_ID]
        assert "Hostile Title" in screen.detail.text or screen.paper_list.current.id == H.HOSTILE_ID


@pytest.mark.slow  # 8 s: two starts around a deleted index
async def test_index_deleted_while_open_then_rebuilt_on_next_start(library, isolated_dirs):
    app = make_app([str(library)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        shutil.rmtree(isolated_dirs["cache"] / "tui-reader" / "index")
        await pilot.press("slash", *"hostile")
        bar = screen.search_bar.query_one("#search-message")
        await until(pilot, lambda: _ids(screen) == [H.HOSTILE_ID] or "error" in str(bar.render()), 5)
        await pilot.press("enter")
        assert app.is_running
        # Either the open searcher still answers, or the bar says why not.
        ids = _ids(screen)
        message = str(bar.render())
        assert ids == [H.HOSTILE_ID] or message, "neither results nor a word about the index"
        assert "Traceback" not in message
        await pilot.press("q")
    app = make_app([str(library)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        result = screen.panes.lib.index.search("hostile")
        assert result.error is None and result.ids == [H.HOSTILE_ID]
        assert screen.panes.lib.index.doc_count == 2


def test_digest_changing_while_read_never_raises_and_never_leaves_a_stale_cache(tmp_path):
    folder = tmp_path / "lib"
    path = H.write_jsonl(folder)
    full = path.read_bytes()
    lines = full.splitlines(keepends=True)
    versions = [full, lines[0], full[: len(full) // 2], b"", full + lines[0].replace(b"66601", b"66603")]
    cache = tmp_path / "cache"
    stop = threading.Event()

    def rewrite():
        i = 0
        while not stop.is_set():
            data = versions[i % len(versions)]
            if i % 2:
                with open(path, "r+b") as f:  # in place: readers may see it half-written
                    f.truncate(0)
                    f.write(data)
            else:
                tmp = path.with_suffix(".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, path)
            i += 1

    writer = threading.Thread(target=rewrite)
    writer.start()
    try:
        for _ in range(60):
            library = load_library([str(folder)], cache, parallel=False)
            assert set(library.papers) <= {H.HOSTILE_ID, H.LONG_ID, "2603.66603"}
    finally:
        stop.set()
        writer.join()
    path.with_suffix(".tmp").unlink(missing_ok=True)
    path.write_bytes(full)
    os.utime(path, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    library = load_library([str(folder)], cache, parallel=False)
    assert set(library.papers) == {H.HOSTILE_ID, H.LONG_ID}, "a stale cache entry outlived the change"
    assert not library.problems


async def test_enter_right_after_typing_still_searches(library):
    app = make_app([str(library)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await pilot.press("slash", *"hostile", "enter")
        assert await until(pilot, lambda: _ids(screen) == [H.HOSTILE_ID], 5), _ids(screen)
