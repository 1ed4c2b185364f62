"""Issue 19.5: the state store tells damage from age.  A store with our id
and version but a missing table, a store from a newer version, a damaged
store SQLite can still partly read, a read-only open: each keeps what can
be read and never leaves files that block later writes."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tui_reader.core.discovery.rules import INTEREST, parse_rule
from tui_reader.core.model import Paper
from tui_reader.core.state import StateStore
from tui_reader.core.state import migrations as migrations_module
from tui_reader.core.state import store as store_module


def _paper(i: int) -> Paper:
    return Paper(id=f"2601.{i:05d}", title=f"Paper {i}", abs_url=f"https://arxiv.org/abs/2601.{i:05d}")


def _filled(path: Path, bookmarks: int = 3, reads: int = 0) -> None:
    with StateStore.open(path) as store:
        for i in range(bookmarks):
            store.add_bookmark(_paper(i))
        if reads:
            store.mark_read([f"2602.{i:05d}" for i in range(reads)])


def test_a_missing_table_is_damage_not_a_crash_and_the_rest_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _filled(path, bookmarks=3, reads=2)
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE prefs")
    conn.commit()
    conn.close()
    with StateStore.open(path) as store:  # crashed at every start before
        assert not store.read_only
        assert "damaged" in store.notices[0] and "prefs" in store.notices[0]
        assert store.bookmark_count() == 3 and store.read_ids() == {"2602.00000", "2602.00001"}
        assert store.set_pref("theme", "nord") and store.get_pref("theme") == "nord"
    assert [p for p in tmp_path.iterdir() if ".corrupt-" in p.name]  # the original kept whole
    with StateStore.open(path) as store:
        assert store.notices == [] and store.bookmark_count() == 3


def test_a_store_from_a_newer_version_is_read_only_but_shows_its_bookmarks(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _filled(path, bookmarks=2)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE future_things (x)")
    conn.execute(f"PRAGMA user_version = {migrations_module.SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()  # checkpointed into the file, as a newer tui-reader leaves it
    before = path.read_bytes()
    with StateStore.open(path) as store:
        assert store.read_only and "newer tui-reader" in store.notices[0]
        assert store.bookmark_count() == 2 and [b.id for b in store.bookmarks()] != []
    assert path.read_bytes() == before


def test_a_damaged_store_is_salvaged_row_by_row(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    _filled(path, bookmarks=5, reads=3000)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with sqlite3.connect(path) as conn:  # a leaf page in the middle of the read marks (the change log has pages too)
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        leaves = [n for (n,) in conn.execute(
            "SELECT pageno FROM dbstat WHERE name = 'read_marks' AND pagetype = 'leaf' ORDER BY pageno")]
    page = leaves[len(leaves) // 2]
    data = bytearray(path.read_bytes())
    data[(page - 1) * size:page * size] = b"\xff" * size  # one page of read marks becomes garbage
    path.write_bytes(bytes(data))
    with StateStore.open(path) as store:
        assert not store.read_only
        assert "recovered" in store.notices[0], store.notices
        assert store.bookmark_count() == 5  # on other pages: all kept
        assert 1000 < len(store.read_ids()) < 3000  # most read marks kept
    [moved] = [p for p in tmp_path.iterdir() if p.name.startswith("state.sqlite3.corrupt-")]
    assert moved.read_bytes() == bytes(data)  # and the damaged file kept whole


def test_a_read_only_open_leaves_no_wal_or_shm(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "state.sqlite3"
    _filled(path, bookmarks=1)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("state.sqlite3-")) == []
    monkeypatch.setattr(store_module, "_dir_writable", lambda _directory: False)
    with StateStore.open(path) as store:
        assert store.read_only and store.bookmark_count() == 1
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("state.sqlite3-")) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("state.sqlite3-")) == []


def test_a_read_only_open_still_sees_changes_in_the_wal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "state.sqlite3"
    writer = StateStore.open(path)  # keeps the -wal (not checkpointed while open)
    writer.add_bookmark(_paper(7))
    try:
        monkeypatch.setattr(store_module, "_dir_writable", lambda _directory: False)
        with StateStore.open(path) as store:
            assert store.read_only and store.is_bookmarked("2601.00007")
    finally:
        writer.close()


def test_rules_keep_the_order_they_were_added_in(tmp_path: Path) -> None:
    with StateStore.open(tmp_path / "state.sqlite3") as store:
        for word in ("zeta", "alpha", "mid", "beta"):  # all within one second
            store.add_rule(parse_rule(INTEREST, word))
        assert [r.value for r in store.rules(INTEREST)] == ["zeta", "alpha", "mid", "beta"]
        store.remove_rule(store.rules(INTEREST)[1])
        assert store.undo()
        assert [r.value for r in store.rules(INTEREST)] == ["zeta", "alpha", "mid", "beta"]


def _garble_root(path: Path, table: str) -> None:
    """Overwrite the root page of ``table`` with garbage: SQL reaches none of its rows."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        [root] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    data[(root - 1) * page_size:root * page_size] = b"\xff" * page_size
    path.write_bytes(bytes(data))


def test_salvage_keeps_every_tagged_bookmark_and_counts_what_it_kept(tmp_path: Path) -> None:
    """Issue 28.6: with the bookmarks table's root page damaged, the new
    store had 0 of 20 bookmarks and 40 tag rows pointing at nothing, and
    said "recovered 340 saved items"."""
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        for i in range(20):
            paper = _paper(i)
            store.add_bookmark(paper)
            store.set_tags(paper.id, [f"t{i % 3}", "all"])
        store.mark_read([f"2602.{i:05d}" for i in range(300)])
    _garble_root(path, "bookmarks")
    with StateStore.open(path) as store:
        assert store.bookmark_count() == 20
        assert store.tags() == {"all": 20, "t0": 7, "t1": 7, "t2": 6}
        orphans = store._conn.execute(
            "SELECT COUNT(*) FROM bookmark_tags WHERE id NOT IN (SELECT id FROM bookmarks)").fetchone()[0]
        assert orphans == 0
        notice = store.notices[0]
        assert "recovered 20 bookmarks" in notice, notice  # from their pages, else rebuilt from their tags
        assert "40 tags, 300 read marks" in notice, notice


def test_bookmarks_below_a_garbled_root_are_read_from_their_pages(tmp_path: Path) -> None:
    """Issue 28.6: the rows SQL cannot reach under a damaged root page are
    whole on their own pages: they come back with their notes and titles."""
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        for i in range(20):
            paper = Paper(id=f"2601.{i:05d}", title=f"Paper {i} " + "words " * 60,
                          abs_url=f"https://arxiv.org/abs/2601.{i:05d}", abstract="long " * 400)
            store.add_bookmark(paper)
            store.set_note(paper.id, f"note {i}")
            store.set_tags(paper.id, ["kept"])
        store.add_bookmark(_paper(99))
        store.remove_bookmark("2601.00099")  # removed on purpose: must not come back
    _garble_root(path, "bookmarks")
    with StateStore.open(path) as store:
        kept = {b.id: b for b in store.bookmarks()}
        assert sorted(kept) == [f"2601.{i:05d}" for i in range(20)], store.notices
        # The rows on the garbled page itself are gone: their tags bring their bookmarks back.
        whole = [b for b in kept.values() if b.note == f"note {int(b.id[-2:])}" and b.snapshot.title]
        assert len(whole) >= 15, store.notices
        rebuilt = 20 - len(whole)
        assert f"recovered 20 bookmarks ({rebuilt} rebuilt from their tags" in store.notices[0], store.notices
