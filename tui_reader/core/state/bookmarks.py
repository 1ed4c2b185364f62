"""Bookmarks with their tags, note and snapshot (tables ``bookmarks`` and
``bookmark_tags``)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field

from tui_reader.core.model import Paper
from tui_reader.core.state.base import StoreBase, dumps, now_iso
from tui_reader.core.state.snapshot import Bookmark, Snapshot, normalize_tag, normalize_tags, paper_key
from tui_reader.core.state.undo import Step
from tui_reader.core.text import clean


@dataclass(slots=True)
class BookmarkRow:
    id: str
    added_at: str
    note: str
    snapshot: str
    tags: list[str] = field(default_factory=list)


class BookmarksMixin(StoreBase):
    # -- reading

    def bookmarked_ids(self) -> frozenset[str]:
        return self._cached("bookmarked", lambda: frozenset(
            r[0] for r in self._conn.execute("SELECT id FROM bookmarks")))

    def is_bookmarked(self, paper_id: str) -> bool:
        return paper_key(paper_id) in self.bookmarked_ids()

    def bookmark_count(self) -> int:
        return len(self.bookmarked_ids())

    def bookmark(self, paper_id: str) -> Bookmark | None:
        found = self._bookmarks("WHERE b.id = ?", (paper_key(paper_id),))
        return found[0] if found else None

    def bookmarks(self, tag: str | None = None) -> list[Bookmark]:
        """Every bookmark, newest first (or those with ``tag``)."""
        if tag is None:
            return self._bookmarks("", ())
        return self._bookmarks("WHERE b.id IN (SELECT id FROM bookmark_tags WHERE tag = ?)", (normalize_tag(tag),))

    def _bookmarks(self, where: str, params: tuple) -> list[Bookmark]:
        with self._lock:
            rows = self._conn.execute(
                f"SELECT b.id, b.added_at, b.note, b.snapshot FROM bookmarks b {where} "
                f"ORDER BY b.added_at DESC, b.id",
                params,
            ).fetchall()
            tags: dict[str, list[str]] = {}
            for paper_id, tag in self._conn.execute("SELECT id, tag FROM bookmark_tags ORDER BY id, tag"):
                tags.setdefault(paper_id, []).append(tag)
        result = []
        for paper_id, added_at, note, snapshot in rows:
            try:
                data = json.loads(snapshot)
            except (ValueError, TypeError, RecursionError):
                data = {}
            snap = Snapshot.from_dict(data if isinstance(data, dict) else {}, paper_id)
            if not snap.abs_url and not snap.title:
                snap = Snapshot.minimal(paper_id)
            result.append(Bookmark(paper_id, added_at, tags.get(paper_id, []), clean(note), snap))
        return result

    def tags(self) -> dict[str, int]:
        """Every tag in use and how many bookmarks carry it, by name."""
        return dict(self._cached("tags", lambda: dict(self._conn.execute(
            "SELECT tag, count(*) FROM bookmark_tags GROUP BY tag ORDER BY tag"))))

    def tagged_ids(self, tag: str) -> frozenset[str]:
        with self._lock:
            return frozenset(r[0] for r in self._conn.execute(
                "SELECT id FROM bookmark_tags WHERE tag = ?", (normalize_tag(tag),)))

    # -- changing

    def toggle_bookmark(self, paper: Paper | Snapshot) -> bool:
        """Bookmark the paper, or remove its bookmark; returns the new state."""
        key = paper_key(paper.id)
        with self._write() as conn:
            if _exists(conn, key):
                self._remove(conn, key)
                return False
            self._add(conn, _snapshot_of(paper))
            return True

    def add_bookmark(self, paper: Paper | Snapshot) -> bool:
        """Bookmark the paper; False when it already was (nothing changes)."""
        with self._write() as conn:
            if _exists(conn, paper_key(paper.id)):
                return False
            self._add(conn, _snapshot_of(paper))
            return True

    def remove_bookmark(self, paper_id: str) -> bool:
        """Remove a bookmark with its tags and note (undo brings all back)."""
        key = paper_key(paper_id)
        with self._write() as conn:
            if not _exists(conn, key):
                return False
            self._remove(conn, key)
            return True

    def _add(self, conn: sqlite3.Connection, snapshot: Snapshot) -> None:
        conn.execute(
            "INSERT INTO bookmarks (id, added_at, note, snapshot) VALUES (?, ?, '', ?)",
            (snapshot.id, now_iso(), dumps(snapshot.to_dict())),
        )
        key = snapshot.id
        self._push(Step(lambda c: _delete_bookmark(c, key), f"bookmark removed from {key}"))

    def _remove(self, conn: sqlite3.Connection, key: str) -> None:
        row = _read_row(conn, key)
        _delete_bookmark(conn, key)
        self._push(Step(lambda c: _restore_row(c, row), f"bookmark restored on {key}"))

    def set_tags(self, paper: Paper | Snapshot | str, tags: Iterable[str] | str) -> list[str]:
        """Replace the tags of a paper's bookmark (bookmarking it first when it
        is not: pass the Paper so its snapshot is kept).  ``tags`` may be a
        list or the text a user typed (``"ml, to-read"``).  Returns the
        normalized tags."""
        clean_tags = normalize_tags(tags if isinstance(tags, str) else list(tags))
        key = paper_key(paper if isinstance(paper, str) else paper.id)
        with self._write() as conn:
            created = self._ensure(conn, paper, key)
            old = [r[0] for r in conn.execute("SELECT tag FROM bookmark_tags WHERE id = ? ORDER BY tag", (key,))]
            if old == clean_tags and not created:
                return clean_tags
            _write_tags(conn, key, clean_tags)
            if not created:
                self._push(Step(lambda c: _write_tags(c, key, old), f"tags of {key} set back to "
                                + (", ".join(old) if old else "none")))
            else:
                self._undo.pending[-1].message = f"bookmark and tags removed from {key}"
        return clean_tags

    def set_note(self, paper: Paper | Snapshot | str, text: str) -> None:
        """Replace the free-text note of a paper's bookmark (bookmarking it
        first when it is not)."""
        note = clean(text).strip()
        key = paper_key(paper if isinstance(paper, str) else paper.id)
        with self._write() as conn:
            created = self._ensure(conn, paper, key)
            old = conn.execute("SELECT note FROM bookmarks WHERE id = ?", (key,)).fetchone()[0]
            if old == note:
                return
            conn.execute("UPDATE bookmarks SET note = ? WHERE id = ?", (note, key))
            if not created:
                self._push(Step(lambda c: c.execute("UPDATE bookmarks SET note = ? WHERE id = ?", (old, key)),
                                f"note of {key} restored"))
            else:
                self._undo.pending[-1].message = f"bookmark and note removed from {key}"

    def _ensure(self, conn: sqlite3.Connection, paper: Paper | Snapshot | str, key: str) -> bool:
        if _exists(conn, key):
            return False
        self._add(conn, Snapshot.minimal(key) if isinstance(paper, str) else _snapshot_of(paper))
        return True

    def refresh_snapshots(self, papers: Iterable[Paper]) -> int:
        """Update the snapshots of bookmarked papers from a freshly loaded
        library (new dates, new summary languages); not an undo step.
        Returns how many changed."""
        if self.read_only:
            return 0
        marked = self.bookmarked_ids()
        todo = [p for p in papers if paper_key(p.id) in marked]
        if not todo:
            return 0
        changed = 0
        with self._write() as conn:
            for paper in todo:
                key = paper_key(paper.id)
                row = conn.execute("SELECT snapshot FROM bookmarks WHERE id = ?", (key,)).fetchone()
                if row is None:
                    continue
                try:
                    data = json.loads(row[0])
                    old = Snapshot.from_dict(data if isinstance(data, dict) else {}, key)
                except (ValueError, TypeError, RecursionError):
                    old = Snapshot.minimal(key)
                new = Snapshot.from_paper(paper)
                new.dates = sorted(set(old.dates) | set(new.dates))
                new.tldr = {**old.tldr, **new.tldr}
                if new != old:
                    conn.execute("UPDATE bookmarks SET snapshot = ? WHERE id = ?", (dumps(new.to_dict()), key))
                    changed += 1
        return changed

    def merge_bookmarks(self, items: Iterable[Bookmark]) -> list[tuple[Bookmark, str]]:
        """Add bookmarks in one transaction (one undo step), without
        duplicates: a paper already bookmarked keeps its own data and gains
        the imported tags (and the note, when it had none).  Returns, for
        each item, ``"added"``, ``"merged"`` (tags or note added) or
        ``"already bookmarked"``."""
        outcomes: list[tuple[Bookmark, str]] = []
        added: list[str] = []
        before: list[BookmarkRow] = []
        with self._write() as conn:
            for item in items:
                key = paper_key(item.id)
                tags = normalize_tags(item.tags)
                note = clean(item.note).strip()
                row = _read_row(conn, key) if _exists(conn, key) else None
                if row is None:
                    snapshot = item.snapshot or Snapshot.minimal(key)
                    snapshot.id = key
                    conn.execute(
                        "INSERT INTO bookmarks (id, added_at, note, snapshot) VALUES (?, ?, ?, ?)",
                        (key, item.added_at or now_iso(), note, dumps(snapshot.to_dict())),
                    )
                    _write_tags(conn, key, tags)
                    added.append(key)
                    outcomes.append((item, "added"))
                    continue
                new_tags = sorted(set(row.tags) | set(tags))
                new_note = row.note or note
                if new_tags == row.tags and new_note == row.note:
                    outcomes.append((item, "already bookmarked"))
                    continue
                before.append(row)
                _write_tags(conn, key, new_tags)
                conn.execute("UPDATE bookmarks SET note = ? WHERE id = ?", (new_note, key))
                outcomes.append((item, "merged"))
            if added or before:
                def undo(c: sqlite3.Connection) -> None:
                    for key in added:
                        _delete_bookmark(c, key)
                    for row in before:
                        _restore_row(c, row)

                self._push(Step(undo, f"import undone: {len(added)} bookmarks removed"
                                      + (f", {len(before)} restored" if before else "")))
        return outcomes


# --- helpers on a connection inside a transaction -----------------------------------------


def _snapshot_of(paper: Paper | Snapshot) -> Snapshot:
    # A cleaned copy either way: whatever built the Paper, no control characters get stored.
    snapshot = paper if isinstance(paper, Snapshot) else Snapshot.from_paper(paper)
    return Snapshot.from_dict(snapshot.to_dict())


def _exists(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM bookmarks WHERE id = ?", (key,)).fetchone() is not None


def _read_row(conn: sqlite3.Connection, key: str) -> BookmarkRow:
    added_at, note, snapshot = conn.execute(
        "SELECT added_at, note, snapshot FROM bookmarks WHERE id = ?", (key,)).fetchone()
    tags = [r[0] for r in conn.execute("SELECT tag FROM bookmark_tags WHERE id = ? ORDER BY tag", (key,))]
    return BookmarkRow(key, added_at, note, snapshot, tags)


def _restore_row(conn: sqlite3.Connection, row: BookmarkRow) -> None:
    conn.execute("INSERT OR REPLACE INTO bookmarks (id, added_at, note, snapshot) VALUES (?, ?, ?, ?)",
                 (row.id, row.added_at, row.note, row.snapshot))
    _write_tags(conn, row.id, row.tags)


def _delete_bookmark(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM bookmark_tags WHERE id = ?", (key,))
    conn.execute("DELETE FROM bookmarks WHERE id = ?", (key,))


def _write_tags(conn: sqlite3.Connection, key: str, tags: list[str]) -> None:
    # Only what changed is written: each tag added or removed is one entry of
    # the change log, so tags edited on two devices merge tag by tag.
    old = {r[0] for r in conn.execute("SELECT tag FROM bookmark_tags WHERE id = ?", (key,))}
    new = set(tags) if _exists(conn, key) else set()
    conn.executemany("DELETE FROM bookmark_tags WHERE id = ? AND tag = ?", ((key, t) for t in sorted(old - new)))
    conn.executemany("INSERT OR IGNORE INTO bookmark_tags (id, tag) VALUES (?, ?)",
                     ((key, t) for t in tags if t not in old and t in new))
