"""The state store in one process: bookmarks, tags, notes, read marks, undo,
preferences, session, schema and migrations, corrupt and unwritable stores."""

from __future__ import annotations

import ast
import json
import sqlite3
from pathlib import Path

import pytest

from tui_reader.core import paths as app_paths
from tui_reader.core.model import Paper, Summary
from tui_reader.core.state import (
    SCHEMA_VERSION,
    Bookmark,
    ReadOnlyError,
    Snapshot,
    StateStore,
    default_path,
    parse_tags,
)
from tui_reader.core.state import bookmarks as bookmarks_module
from tui_reader.core.state import migrations as migrations_module
from tui_reader.core.state import store as store_module


def make_paper(paper_id: str = "2601.12345", title: str = "Attention Is All You Need Again", **extra) -> Paper:
    paper = Paper(
        id=paper_id,
        version="v2",
        title=title,
        authors=["Ada Lovelace", "Alan Turing"],
        categories=["cs.LG", "stat.ML"],
        abstract="We study things.",
        abs_url=f"https://arxiv.org/abs/{paper_id}",
        pdf_url=f"https://arxiv.org/pdf/{paper_id}",
        dates=["2026-01-05"],
        summaries={"English": Summary(tldr="Short."), "Chinese": Summary(tldr="短。")},
    )
    for name, value in extra.items():
        setattr(paper, name, value)
    return paper


@pytest.fixture
def store(tmp_path: Path):
    with StateStore.open(tmp_path / "state.sqlite3") as opened:
        yield opened


# --- opening ------------------------------------------------------------------------------


def test_default_path_is_in_the_platformdirs_data_dir(isolated_dirs) -> None:
    assert default_path() == app_paths.data_dir() / "state.sqlite3"
    assert str(default_path()).startswith(str(isolated_dirs["data"]))
    with StateStore.open() as opened:
        assert not opened.read_only and opened.notices == []
    assert default_path().is_file()


def test_new_store_uses_wal_and_records_its_schema(tmp_path: Path, store: StateStore) -> None:
    conn = sqlite3.connect(tmp_path / "state.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA application_id").fetchone()[0] == store_module.APPLICATION_ID
    conn.close()


def test_state_package_does_not_import_textual() -> None:
    package = Path(store_module.__file__).parent
    for source in package.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            assert not any(n == "textual" or n.startswith("textual.") for n in names), source


# --- bookmarks -----------------------------------------------------------------------------


def test_toggle_bookmark_and_the_snapshot_it_keeps(store: StateStore) -> None:
    paper = make_paper()
    assert store.toggle_bookmark(paper) is True
    assert store.is_bookmarked("2601.12345")
    assert store.is_bookmarked("2601.12345v3")  # keyed without version
    assert store.bookmarked_ids() == {"2601.12345"}
    assert store.bookmark_count() == 1
    [bookmark] = store.bookmarks()
    assert bookmark.id == "2601.12345" and bookmark.added_at.endswith("Z")
    snap = bookmark.snapshot
    assert snap.title == paper.title and snap.authors == paper.authors
    assert snap.categories == ["cs.LG", "stat.ML"] and snap.dates == ["2026-01-05"]
    assert snap.abs_link == "https://arxiv.org/abs/2601.12345" and snap.version == "v2"
    assert snap.tldr == {"English": "Short.", "Chinese": "短。"}
    shown = snap.to_paper()
    assert shown.title == paper.title and shown.summaries["English"].tldr == "Short."
    assert store.toggle_bookmark(paper) is False
    assert not store.is_bookmarked(paper.id) and store.bookmark_count() == 0


def test_snapshots_never_hold_control_characters(store: StateStore) -> None:
    store.add_bookmark(make_paper(title="Evil\x1b]52;c;aGk=\x07 title", authors=["A\x00B"]))
    snap = store.bookmark("2601.12345").snapshot
    assert snap.title == "Evil title" and snap.authors == ["AB"]


def test_bookmark_survives_without_the_library(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as first:
        first.add_bookmark(make_paper())
    with StateStore.open(path) as second:  # a later run, no Paper objects around
        assert second.bookmark("2601.12345").snapshot.title == "Attention Is All You Need Again"


def test_add_and_remove_report_whether_anything_changed(store: StateStore) -> None:
    assert store.add_bookmark(make_paper()) is True
    assert store.add_bookmark(make_paper()) is False
    assert store.remove_bookmark("2601.12345v1") is True
    assert store.remove_bookmark("2601.12345") is False
    assert store.add_bookmark(Snapshot.minimal("2601.99999")) is True
    assert store.bookmark("2601.99999").snapshot.is_minimal


def test_tags_and_notes(store: StateStore) -> None:
    a, b = make_paper("2601.00001"), make_paper("2601.00002")
    store.add_bookmark(a)
    assert store.set_tags(a, ["ML", " reading list ", "ml"]) == ["ml", "reading-list"]
    assert store.set_tags(b, "ml, theory") == ["ml", "theory"]  # tagging bookmarks it
    assert store.is_bookmarked(b.id) and store.bookmark(b.id).snapshot.title == b.title
    assert store.tags() == {"ml": 2, "reading-list": 1, "theory": 1}
    assert store.tagged_ids("ML") == {"2601.00001", "2601.00002"}
    assert store.tagged_ids("theory") == {"2601.00002"}
    assert [x.id for x in store.bookmarks(tag="reading-list")] == ["2601.00001"]
    store.set_note(a, "line one\nline two\x1b[31m red\x07")
    assert store.bookmark(a.id).note == "line one\nline two red"
    store.set_note("2601.00003", "by id only")
    assert store.bookmark("2601.00003").snapshot.is_minimal
    store.remove_bookmark(b.id)
    assert store.tags() == {"ml": 1, "reading-list": 1}


def test_parse_tags() -> None:
    assert parse_tags("ml To-Read ml") == ["ml", "to-read"]
    assert parse_tags("ml, reading list,") == ["ml", "reading-list"]
    assert parse_tags("  ") == []
    assert parse_tags("a[b]c, x\x07y") == ["abc", "xy"]


def test_refresh_snapshots_merges_what_the_library_now_says(store: StateStore) -> None:
    store.add_bookmark(make_paper())
    newer = make_paper(dates=["2026-02-01"], summaries={"French": Summary(tldr="Court.")})
    assert store.refresh_snapshots([newer, make_paper("2601.55555")]) == 1
    snap = store.bookmark("2601.12345").snapshot
    assert snap.dates == ["2026-01-05", "2026-02-01"]
    assert snap.tldr == {"English": "Short.", "Chinese": "短。", "French": "Court."}
    assert store.refresh_snapshots([newer]) == 0
    # Refreshing is not an undo step: undo reaches the bookmarking itself.
    assert store.undo() == "bookmark removed from 2601.12345"
    assert not store.can_undo()


def test_merge_bookmarks_never_duplicates(store: StateStore) -> None:
    store.add_bookmark(make_paper("2601.00001"))
    store.set_tags("2601.00001", ["own"])
    items = [
        Bookmark("2601.00001", "2020-01-01T00:00:00Z", ["imported"], "imported note"),
        Bookmark("2601.00002v2", "2020-01-01T00:00:00Z", ["x"], "n", Snapshot.minimal("2601.00002")),
        Bookmark("2601.00001", "", [], ""),
    ]
    outcomes = [o for _, o in store.merge_bookmarks(items)]
    assert outcomes == ["merged", "added", "already bookmarked"]
    one = store.bookmark("2601.00001")
    assert one.tags == ["imported", "own"] and one.note == "imported note"
    assert one.added_at != "2020-01-01T00:00:00Z"  # kept its own
    two = store.bookmark("2601.00002")
    assert two.added_at == "2020-01-01T00:00:00Z" and two.tags == ["x"]
    assert store.undo() == "import undone: 1 bookmarks removed, 1 restored"
    assert store.bookmarked_ids() == {"2601.00001"}
    assert store.bookmark("2601.00001").tags == ["own"] and store.bookmark("2601.00001").note == ""


# --- reading state ---------------------------------------------------------------------------


def test_read_marks(store: StateStore) -> None:
    assert store.toggle_read("2601.00001v2") is True
    assert store.is_read("2601.00001") and store.read_ids() == {"2601.00001"}
    assert store.mark_read(["2601.00001", "2601.00002", "2601.00002"]) == 1
    assert store.read_ids() == {"2601.00001", "2601.00002"}
    assert store.mark_read(["2601.00001"], read=False) == 1
    assert store.toggle_read("2601.00002") is False
    assert store.read_ids() == frozenset()
    assert store.mark_read([]) == 0


def test_bulk_mark_read_of_25000_is_one_step(store: StateStore) -> None:
    ids = [f"2601.{i:05d}" for i in range(25_000)]
    store.toggle_read(ids[0])
    assert store.mark_read(ids) == 24_999
    assert len(store.read_ids()) == 25_000
    assert store.undo() == "24999 papers marked unread again"
    assert store.read_ids() == {ids[0]}
    assert store.mark_read(ids, read=False) == 1


# --- undo -------------------------------------------------------------------------------------


def test_undo_several_levels(store: StateStore) -> None:
    paper = make_paper()
    assert store.undo() is None
    store.toggle_bookmark(paper)
    store.set_tags(paper, "a b")
    store.set_note(paper, "first")
    store.set_note(paper, "second")
    store.mark_read(["x1", "x2"])
    store.toggle_read("x1")
    store.remove_bookmark(paper.id)

    assert store.undo() == "bookmark restored on 2601.12345"
    restored = store.bookmark(paper.id)
    assert restored.tags == ["a", "b"] and restored.note == "second" and restored.snapshot.title == paper.title
    assert store.undo() == "x1 marked read again"
    assert store.undo() == "2 papers marked unread again"
    assert store.read_ids() == frozenset()
    assert store.undo() == "note of 2601.12345 restored"
    assert store.bookmark(paper.id).note == "first"
    assert store.undo() == "note of 2601.12345 restored"
    assert store.undo() == "tags of 2601.12345 set back to none"
    assert store.undo() == "bookmark removed from 2601.12345"
    assert store.undo() is None
    assert store.bookmark_count() == 0


def test_undo_of_tagging_an_unbookmarked_paper_removes_the_bookmark(store: StateStore) -> None:
    store.set_tags(make_paper(), "x")
    assert store.undo() == "bookmark and tags removed from 2601.12345"
    assert store.bookmark_count() == 0 and store.tags() == {}


def test_undo_is_per_session(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as first:
        first.add_bookmark(make_paper())
    with StateStore.open(path) as second:
        assert second.undo() is None
        assert second.bookmark_count() == 1


def test_a_failed_change_leaves_no_undo_step(store: StateStore, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*_args) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(bookmarks_module, "_write_tags", boom)
    with pytest.raises(store_module.StateError, match="could not save"):
        store.set_tags(make_paper(), "x")
    assert store.bookmark_count() == 0  # rolled back with the tags
    assert store.undo() is None


# --- another connection's changes are seen ---------------------------------------------------


def test_caches_follow_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as one, StateStore.open(path) as two:
        assert one.bookmarked_ids() == frozenset() and one.read_ids() == frozenset()
        two.add_bookmark(make_paper())
        two.set_tags("2601.12345", "x")
        two.mark_read(["a", "b"])
        assert one.bookmarked_ids() == {"2601.12345"}
        assert one.tags() == {"x": 1}
        assert one.read_ids() == {"a", "b"}
        one.toggle_bookmark(make_paper())  # sees the other's bookmark: removes it
        assert two.bookmark_count() == 0


def test_read_cache_kept_across_own_marks_but_not_past_another_writer(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as one, StateStore.open(path) as two:
        assert one.read_ids() == frozenset()
        one.toggle_read("a")
        assert one.read_ids() == {"a"}
        two.mark_read(["b"])  # commits between one's cache and one's next write
        one.mark_read(["c"])
        assert one.read_ids() == {"a", "b", "c"}
        one.mark_read(["a"], read=False)
        assert one.read_ids() == {"b", "c"} == two.read_ids()


# --- preferences and session -------------------------------------------------------------------


def test_prefs_and_session_persist(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    session = {"library": ["/data"], "node": "cat:cs.LG", "paper": "2601.12345", "search": "is:unread",
               "language": "English"}
    with StateStore.open(path) as first:
        assert first.get_pref("theme", "default") == "default"
        assert first.load_session() == {}
        assert first.set_pref("theme", "gruvbox") is True
        assert first.set_pref("widths", {"tree": 30, "list": [1, 2]}) is True
        assert first.save_session(session) is True
        assert first.undo() is None  # not undo steps
    with StateStore.open(path) as second:
        assert second.get_pref("theme") == "gruvbox"
        assert second.get_pref("widths") == {"tree": 30, "list": [1, 2]}
        assert second.load_session() == session


# --- schema and migrations -------------------------------------------------------------------


def test_migrations_run_once_in_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        store.add_bookmark(make_paper())
    calls = []

    def to_2(conn: sqlite3.Connection) -> None:
        if conn.execute("PRAGMA database_list").fetchone()[2]:  # the file, not the schema check's copy in memory
            calls.append(2)
        conn.execute("ALTER TABLE bookmarks ADD COLUMN colour TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(migrations_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(store_module.MIGRATIONS, SCHEMA_VERSION + 1, to_2)
    with StateStore.open(path) as store:
        assert store.bookmark_count() == 1 and not store.read_only
    with StateStore.open(path) as store:
        assert store.bookmark_count() == 1
    assert calls == [2]  # ran once
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
    assert conn.execute("SELECT colour FROM bookmarks").fetchall() == [("",)]
    conn.close()


def test_a_failing_migration_leaves_the_store_as_it_was(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        store.add_bookmark(make_paper())

    def broken(conn: sqlite3.Connection) -> None:  # fails on real data only
        if conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0]:
            conn.execute("DELETE FROM bookmarks")
            raise sqlite3.OperationalError("migration bug")

    monkeypatch.setattr(migrations_module, "SCHEMA_VERSION", SCHEMA_VERSION + 1)
    monkeypatch.setitem(store_module.MIGRATIONS, SCHEMA_VERSION + 1, broken)
    with StateStore.open(path) as store:
        assert store.read_only and store.notices
    monkeypatch.setattr(migrations_module, "SCHEMA_VERSION", SCHEMA_VERSION)
    with StateStore.open(path) as store:
        assert store.bookmark_count() == 1 and not store.read_only
    assert [p.name for p in tmp_path.iterdir() if "corrupt" in p.name] == []


def test_a_store_from_a_newer_version_opens_read_only(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        store.add_bookmark(make_paper())
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with StateStore.open(path) as store:
        assert store.read_only
        assert "newer" in store.notices[0]
        with pytest.raises(ReadOnlyError):
            store.add_bookmark(make_paper("2601.00002"))
    assert path.is_file() and len(list(tmp_path.glob("state.sqlite3.*-2*"))) == 0


# --- corrupt or foreign files ----------------------------------------------------------------


def _aside(tmp_path: Path, label: str) -> list[Path]:
    return sorted(p for p in tmp_path.iterdir() if p.name.startswith(f"state.sqlite3.{label}-"))


def test_garbage_file_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    garbage = b"this is not a database\n" * 500
    path.write_bytes(garbage)
    with StateStore.open(path) as store:
        assert not store.read_only
        [moved] = _aside(tmp_path, "corrupt")
        assert moved.read_bytes() == garbage  # kept, byte for byte
        assert store.notices == [f"state store was corrupt: moved aside to {moved}; starting a new one"]
        store.add_bookmark(make_paper())
    with StateStore.open(path) as store:
        assert store.bookmark_count() == 1 and store.notices == []


def test_a_foreign_sqlite_database_is_moved_aside_not_used(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE mine (x)")
    conn.execute("INSERT INTO mine VALUES (42)")
    conn.commit()
    conn.close()
    with StateStore.open(path) as store:
        [moved] = _aside(tmp_path, "foreign")
        assert "not a tui-reader state store" in store.notices[0] and str(moved) in store.notices[0]
    conn = sqlite3.connect(moved)
    assert conn.execute("SELECT x FROM mine").fetchall() == [(42,)]
    conn.close()


def test_a_damaged_store_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        store.mark_read([f"2601.{i:05d}" for i in range(3000)])
    # Overwrite the middle of the file: pages become garbage.
    data = bytearray(path.read_bytes())
    assert len(data) > 3 * 4096
    data[2 * 4096:3 * 4096] = b"\xff" * 4096
    path.write_bytes(bytes(data))
    with StateStore.open(path) as store:
        [moved] = _aside(tmp_path, "corrupt")
        assert moved.read_bytes() == bytes(data)
        # what can still be read is salvaged into the new store (see tests/robustness)
        salvaged = store.read_ids()
        assert salvaged <= {f"2601.{i:05d}" for i in range(3000)} and not store.read_only
        store.mark_read(["x"])
    with StateStore.open(path) as store:
        assert store.read_ids() == salvaged | {"x"} and store.notices == []


def test_moving_aside_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "state.sqlite3"
    first = store_module._move_aside(_write(path, b"one"), "corrupt")
    second = store_module._move_aside(_write(path, b"two"), "corrupt")
    assert first != second
    assert first.read_bytes() == b"one" and second.read_bytes() == b"two"


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


# --- read-only -------------------------------------------------------------------------------


def test_unwritable_data_dir_runs_read_only(isolated_dirs) -> None:
    # The data dir's parent is a file, so the dir cannot be created (works as root too).
    isolated_dirs["data"].parent.mkdir(parents=True, exist_ok=True)
    isolated_dirs["data"].write_text("a file where the data dir should be")
    store = StateStore.open()
    assert store.read_only
    assert "not writable: running read-only" in store.notices[0]
    assert store.bookmarks() == [] and store.read_ids() == frozenset() and store.load_session() == {}
    with pytest.raises(ReadOnlyError):
        store.toggle_bookmark(make_paper())
    with pytest.raises(ReadOnlyError):
        store.mark_read(["x"])
    assert store.set_pref("theme", "nord") is False and store.get_pref("theme") == "nord"  # this process only
    assert store.save_session({"paper": "x"}) is False and store.load_session() == {"paper": "x"}
    assert store.undo() is None
    store.close()


def test_existing_store_in_unwritable_dir_is_readable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        store.add_bookmark(make_paper())
        store.mark_read(["2601.12345"])
    monkeypatch.setattr(store_module, "_dir_writable", lambda _directory: False)
    with StateStore.open(path) as store:
        assert store.read_only and store.bookmark_count() == 1 and store.is_read("2601.12345")
        with pytest.raises(ReadOnlyError, match="read-only"):
            store.remove_bookmark("2601.12345")


# --- StateFilter ---------------------------------------------------------------------------------


def test_store_offers_what_search_filters_need(store: StateStore) -> None:
    store.set_tags(make_paper(), "ml")
    store.mark_read(["2601.00009"])
    assert "2601.12345" in store.bookmarked_ids()
    assert store.tagged_ids("ml") == {"2601.12345"}
    assert store.read_ids() == {"2601.00009"}
    assert store.unread_ids(["2601.00009", "2601.00009v2", "2601.12345", "solv-int/9901001"]) == {
        "2601.12345", "solv-int/9901001"}
    json.dumps(sorted(store.bookmarked_ids()))  # plain strings


def test_an_older_store_in_an_unwritable_dir_still_shows_its_state(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "state.sqlite3"
    with monkeypatch.context() as old:
        old.setattr(migrations_module, "SCHEMA_VERSION", 1)  # a store written by the first release
        with StateStore.open(path) as store:
            store.add_bookmark(make_paper())
            store.mark_read(["2601.12345"])
    before = path.read_bytes()
    monkeypatch.setattr(store_module, "_dir_writable", lambda _directory: False)
    with StateStore.open(path) as store:
        # upgraded in memory only: the bookmark and read mark are there
        assert store.read_only
        assert store.bookmark_count() == 1 and store.is_read("2601.12345")
    assert path.read_bytes() == before  # the file was not touched
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_reading_queue_keeps_order_undoes_and_persists(tmp_path):
    path = tmp_path / "state.sqlite3"
    with StateStore.open(path) as store:
        assert store.queue_ids() == ()
        assert store.queue_add("2601.00002v2") and store.queue_add("2601.00001")
        assert not store.queue_add("2601.00001")
        assert store.queue_ids() == ("2601.00002", "2601.00001")
        assert store.queue_remove("2601.00002") and not store.queue_remove("2601.00002")
        assert store.undo() is not None  # back in the queue, at its place
        assert store.queue_ids() == ("2601.00002", "2601.00001")
        assert store.in_queue("2601.00001v3")
    with StateStore.open(path) as again:
        assert again.queue_ids() == ("2601.00002", "2601.00001")
