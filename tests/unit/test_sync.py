"""Issue 30: the reader's state synced through git (or a plain folder) with
nothing lost: homes that changed things offline end equal, field by
field, with the merge rule of docs/sync.md."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from tests.sync_homes import Home, bare_remote, canonical
from tui_reader.cli import main
from tui_reader.core.discovery.rules import INTEREST, MUTE, parse_rule
from tui_reader.core.fsutil import FileLock
from tui_reader.core.model import Paper
from tui_reader.core.state import StateStore
from tui_reader.core.sync import sync
from tui_reader.core.sync.logfile import segments
from tui_reader.core.sync.run import lock_path

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

X = "2601.18800"


def paper(pid: str = X, title: str = "NavFormer") -> Paper:
    return Paper(id=pid, title=title, authors=["A. Author"], abs_url=f"https://arxiv.org/abs/{pid}")


@pytest.fixture
def homes(tmp_path: Path):
    made = [Home(tmp_path / name) for name in ("laptop", "desktop", "office")]
    yield made
    for home in made:
        home.close()


@pytest.fixture(params=["git", "folder"])
def remote(request, tmp_path: Path) -> str:
    if request.param == "git":
        return bare_remote(tmp_path)
    (tmp_path / "Sync").mkdir()
    return str(tmp_path / "Sync" / "tui-reader")


def bookmarked_on_both(remote: str, laptop: Home, desktop: Home, tags: str) -> None:
    """The bookmark of X with ``tags`` made on the laptop, synced to the desktop."""
    laptop.store.add_bookmark(paper())
    laptop.store.set_tags(X, tags)
    sync_all(remote, laptop, desktop)


def after(home: Home, other: Home) -> None:
    """What ``home`` does next is later than everything ``other`` did (as
    when its clock is ahead), without waiting: stamps within one
    millisecond would be ordered by device id instead."""
    with other.store._lock:
        newest = other.store._conn.execute("SELECT coalesce(max(at), 0) FROM sync_stamps").fetchone()[0]
    with home.store._write() as conn:
        conn.execute("INSERT OR REPLACE INTO sync_meta (name, value) VALUES ('clock', ?)", (str(newest),))


def sync_all(remote: str, *homes: Home) -> None:
    """Each home syncs, then each again: everyone has seen everything."""
    for home in (*homes, *homes):
        home.sync(remote)


def test_offline_edits_on_both_sides_end_equal(homes, remote: str) -> None:
    laptop, desktop, office = homes
    bookmarked_on_both(remote, laptop, desktop, "nav, to-read")
    # Offline on both: every kind of change, some on the same paper.
    laptop.store.set_note(X, "Read §3 first")
    laptop.store.mark_read(["2601.00001", "2601.00002"])
    laptop.store.queue_add("2601.00003")
    laptop.store.add_rule(parse_rule(INTEREST, "diffusion"))
    laptop.store.save_search("Nets", "network")
    desktop.store.set_tags(X, "nav, to-read, robots")
    desktop.store.add_bookmark(paper("2601.00009", "Other"))
    desktop.store.mark_read(["2601.00002", "2601.00004"])
    desktop.store.toggle_read("2601.00001")  # read here too, then unread: the later write wins
    desktop.store.add_rule(parse_rule(MUTE, "author:Spam Bot"))
    desktop.store.save_search("Diffusion", "diffusion model")
    sync_all(remote, laptop, desktop, office)
    states = [canonical(h.store) for h in homes]
    assert states[0] == states[1] == states[2]
    state = states[0]
    assert state["bookmarks"][X][1:] == ("Read §3 first", ("nav", "robots", "to-read"))
    assert "2601.00009" in state["bookmarks"]
    assert state["later"] == ["2601.00003"]
    assert set(state["read"]) >= {"2601.00002", "2601.00004"}
    assert ("mute", "author", "spam bot") in state["rules"] and ("interest", "keyword", "diffusion") in state["rules"]
    assert {name for name, _ in state["searches"]} == {"nets", "diffusion"}
    assert office.store.bookmark(X).snapshot.title == "NavFormer"  # the snapshot travels with the bookmark


def test_conflicting_tag_edits_merge_tag_by_tag(homes, remote: str) -> None:
    laptop, desktop, _ = homes
    bookmarked_on_both(remote, laptop, desktop, "a, b, c")
    laptop.store.set_tags(X, "a, b, c, laptop")  # one adds a tag
    desktop.store.set_tags(X, "a, c, desktop")  # the other removes b and adds another
    desktop.store.set_note(X, "desktop's note")
    sync_all(remote, laptop, desktop)
    for home in (laptop, desktop):
        mark = home.store.bookmark(X)
        assert mark.tags == ["a", "c", "desktop", "laptop"] and mark.note == "desktop's note"


def test_a_delete_later_than_every_edit_removes_the_bookmark(homes, remote: str) -> None:
    laptop, desktop, _ = homes
    bookmarked_on_both(remote, laptop, desktop, "nav")
    desktop.store.set_note(X, "an edit")
    after(laptop, desktop)
    laptop.store.remove_bookmark(X)  # after the edit
    sync_all(remote, laptop, desktop)
    assert not laptop.store.is_bookmarked(X) and not desktop.store.is_bookmarked(X)
    assert laptop.store.tags() == desktop.store.tags() == {}


def test_an_edit_later_than_the_delete_brings_the_bookmark_back_with_that_edit(homes, remote: str) -> None:
    laptop, desktop, _ = homes
    laptop.store.set_note(X, "old note")
    bookmarked_on_both(remote, laptop, desktop, "old")
    laptop.store.remove_bookmark(X)
    after(desktop, laptop)
    desktop.store.set_tags(X, "old, new")  # after the delete
    sync_all(remote, laptop, desktop)
    for home in (laptop, desktop):
        mark = home.store.bookmark(X)
        assert mark is not None and mark.tags == ["new"] and mark.note == ""  # what the delete removed stays removed
    assert canonical(laptop.store) == canonical(desktop.store)


def test_a_later_read_mark_or_unread_wins(homes, remote: str) -> None:
    laptop, desktop, _ = homes
    laptop.store.mark_read(["2601.00001"])
    sync_all(remote, laptop, desktop)
    desktop.store.mark_read(["2601.00001"], read=False)
    sync_all(remote, laptop, desktop)
    assert not laptop.store.is_read("2601.00001")


def test_triage_decisions_sync_and_a_decision_taken_back_is_taken_back_everywhere(homes, remote: str) -> None:
    laptop, desktop, _ = homes
    token = laptop.store.record_decision(X, "keep", at="2026-03-02T08:00:00Z")
    laptop.store.record_decision("2601.00002", "skip", at="2026-03-02T08:00:01Z")
    desktop.store.record_decision("2601.00003", "later", at="2026-03-02T09:00:00Z")
    sync_all(remote, laptop, desktop)
    kinds = {(d.id, d.kind) for d in desktop.store.decisions()}
    assert kinds == {(X, "keep"), ("2601.00002", "skip"), ("2601.00003", "later")}
    laptop.store.remove_decision(token)  # triage's undo
    sync_all(remote, laptop, desktop)
    assert {d.id for d in desktop.store.decisions()} == {"2601.00002", "2601.00003"}
    assert canonical(laptop.store) == canonical(desktop.store)


def test_syncing_again_changes_nothing_and_sends_nothing(homes, remote: str) -> None:
    laptop, desktop, _ = homes
    laptop.store.add_bookmark(paper())
    sync_all(remote, laptop, desktop)
    before = canonical(desktop.store)
    report = desktop.sync(remote)
    assert report.pushed == 0 and report.applied == 0 and canonical(desktop.store) == before


def test_a_store_with_bookmarks_from_before_sync_sends_them_all(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    path = tmp_path / "old" / "state.sqlite3"
    path.parent.mkdir()
    with StateStore.open(path) as store:
        store.add_bookmark(paper())
        store.set_tags(X, "kept")
        store.mark_read(["2601.00001"])
    import sqlite3

    with sqlite3.connect(path) as conn:  # a store of a tui-reader without the change log
        for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            conn.execute(f"DROP TRIGGER {name}")
        for table in ("sync_meta", "sync_log", "sync_stamps", "sync_applied", "sync_applying"):
            conn.execute(f"DROP TABLE {table}")
    old, new = Home(path.parent), Home(tmp_path / "new")
    try:
        sync_all(remote, old, new)
        assert new.store.bookmark(X).tags == ["kept"] and new.store.is_read("2601.00001")
    finally:
        old.close()
        new.close()


def test_a_failing_remote_is_a_report_and_the_store_keeps_its_state(homes, tmp_path: Path) -> None:
    laptop = homes[0]
    laptop.store.add_bookmark(paper())
    report = sync(laptop.store, "file://" + str(tmp_path / "nowhere.git"))
    assert report.status == "failed" and "keeping the state here" in report.message
    assert laptop.store.is_bookmarked(X)
    remote = bare_remote(tmp_path)
    laptop.sync(remote)  # nothing was lost: the change is still sent later
    other = Home(tmp_path / "other")
    other.sync(remote)
    assert other.store.is_bookmarked(X)
    other.close()


def test_hostile_lines_are_skipped_with_a_notice_and_never_half_applied(homes, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    laptop = homes[0]
    device = "ab" * 8
    good = {"v": 1, "device": device, "seq": 1, "at": 1, "key": ["read", "2601.00001"],
            "value": {"read_at": "2026-01-01T00:00:00Z"}}
    lines = [
        json.dumps(good),
        "{not json",
        json.dumps({**good, "seq": 2, "v": 99}),  # a future format
        json.dumps({**good, "seq": 3, "key": ["read", "2601.0\x1b[31m"]}),  # control characters in a key
        json.dumps({**good, "seq": 4, "key": ["bookmark", X], "value": {"snapshot": 5}}),
        json.dumps({**good, "seq": 5, "key": ["nuke", "everything"]}),
        json.dumps({**good, "seq": 6, "device": "cd" * 8}),
        "x" * (5 * 1024 * 1024),  # huge
        json.dumps({**good, "seq": 7, "key": ["read", "2601.00007"]}),
    ]
    target = folder / "devices" / device
    target.mkdir(parents=True)
    (target / "000000000001-000000000007.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (target / "notes.txt").write_text("not a segment")
    report = sync(laptop.store, str(folder))
    assert report.status == "done"
    assert laptop.store.read_ids() == {"2601.00001", "2601.00007"}
    text = "\n".join(report.notices)
    for what in (":2: not a JSON line", ":3: format 99", ":4: a key of the wrong shape", ":5: a value of the wrong",
                 ":6: unknown kind", ":7: an entry of another device", ":8: a line over 4 MB", "notes.txt"):
        assert what in text, text
    again = sync(laptop.store, str(folder))  # a future format is read again (after an upgrade) ...
    assert laptop.store.read_ids() == {"2601.00001", "2601.00007"} and again.status == "done"


def test_a_segment_in_this_devices_name_does_not_stop_its_changes_from_being_sent(homes, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    laptop, desktop = homes[0], homes[1]
    laptop.store.mark_read(["2601.00001"])
    with laptop.store._lock:
        device = laptop.store._conn.execute("SELECT value FROM sync_meta WHERE name = 'device'").fetchone()[0]
    forged = folder / "devices" / device / "000000000001-999999999999.jsonl"
    forged.parent.mkdir(parents=True)
    forged.write_text("")
    laptop.sync(str(folder))
    desktop.sync(str(folder))
    assert desktop.store.is_read("2601.00001")


def test_a_missing_folder_parent_is_an_error_not_a_new_folder(homes, tmp_path: Path) -> None:
    report = sync(homes[0].store, str(tmp_path / "unmounted" / "tui-reader"))
    assert report.status == "failed" and not (tmp_path / "unmounted").exists()


def test_symlinked_segments_are_not_followed(homes, tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    outside = tmp_path / "outside.jsonl"
    outside.write_text(json.dumps({"v": 1, "device": "ef" * 8, "seq": 1, "at": 1, "key": ["read", "2601.1"],
                                   "value": {"read_at": "x"}}) + "\n")
    (folder / "devices" / ("ef" * 8)).mkdir(parents=True)
    (folder / "devices" / ("ef" * 8) / "000000000001-000000000001.jsonl").symlink_to(outside)
    report = sync(homes[0].store, str(folder))
    assert homes[0].store.read_ids() == frozenset() and any("not a segment" in n for n in report.notices)


def test_two_syncs_of_one_store_at_once_do_not_corrupt_the_log(tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    path = tmp_path / "one" / "state.sqlite3"
    path.parent.mkdir()
    first, second = StateStore.open(path), StateStore.open(path)  # two readers on one machine
    try:
        first.mark_read([f"2601.{i:05d}" for i in range(50)])
        reports = []
        threads = [threading.Thread(target=lambda s=s: reports.append(sync(s, remote))) for s in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [r.status for r in reports] == ["done", "done"]
        assert sum(r.pushed for r in reports) == 50  # each entry sent once
        other = Home(tmp_path / "other")
        other.sync(remote)
        assert len(other.store.read_ids()) == 50
        found, _ = segments(other.folder / "sync" / next(p.name for p in (other.folder / "sync").iterdir()))
        spans = sorted((s.first, s.last) for s in found)
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))  # no segment overlaps another
        other.close()
        with FileLock(lock_path(first)):  # while one syncs, a background sync does not wait
            from tui_reader.core.sync import sync_in_background

            first.set_pref("sync_remote", remote)
            assert sync_in_background(first).status == "busy"
    finally:
        first.close()
        second.close()


def test_sync_remembers_the_remote_and_forgets_it(capsys, tmp_path: Path) -> None:
    remote = bare_remote(tmp_path)
    assert main(["sync"]) == 2
    assert main(["sync", remote]) == 0
    out = capsys.readouterr().out
    assert "remembered" in out and "synced" in out
    assert main(["sync"]) == 0
    assert main(["sync", "--show"]) == 0 and remote in capsys.readouterr().out
    assert main(["sync", "--forget"]) == 0
    assert main(["sync"]) == 2
    assert main(["sync", "file://" + str(tmp_path / "missing.git")]) == 1


def test_rows_recovered_from_a_damaged_store_keep_their_own_times(tmp_path: Path) -> None:
    from tui_reader.core.state import changelog

    with StateStore.open(tmp_path / "state.sqlite3") as store:
        conn = store._conn
        changelog.before_salvage(conn)  # what opening a damaged store does around the copy
        conn.execute("INSERT INTO read_marks (id, read_at) VALUES ('2601.00001', '2020-01-01T00:00:00Z')")
        changelog.ensure(conn)
        at = conn.execute("SELECT at FROM sync_stamps WHERE key = 'read' || char(31) || '2601.00001'").fetchone()[0]
        assert at == 1577836800000  # 2020-01-01, not the time of the recovery
        store.mark_read(["2601.00002"])  # and the triggers are back
        assert conn.execute("SELECT count(*) FROM sync_log").fetchone()[0] == 2
