"""Read marks (table ``read_marks``)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from tui_reader.core.state.base import StoreBase, now_iso
from tui_reader.core.state.snapshot import paper_key
from tui_reader.core.state.undo import Step


class ReadMarksMixin(StoreBase):
    def read_ids(self) -> frozenset[str]:
        return self._cached("read", lambda: frozenset(r[0] for r in self._conn.execute("SELECT id FROM read_marks")))

    def unread_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that are not marked read (for ``is:unread``)."""
        read = self.read_ids()
        return {i for i in ids if i not in read and ("v" not in i or paper_key(i) not in read)}

    def is_read(self, paper_id: str) -> bool:
        return paper_key(paper_id) in self.read_ids()

    def _patch_read(self, added: set[str], removed: set[str]) -> None:
        self._patch_cache("read", lambda old: (old - removed) | added)

    def mark_read(self, ids: Iterable[str], read: bool = True, undoable: bool = True) -> int:
        """Mark papers read (or unread) in one transaction and one undo step;
        returns how many changed.  ``undoable=False`` is for the automatic
        mark of a paper the reader just looked at: ``u`` then undoes what
        the reader did by hand, not what merely happened."""
        keys = list(dict.fromkeys(paper_key(i) for i in ids))
        if not keys:
            return 0
        with self._write() as conn:
            current = _read_marks(conn, keys)
            if read:
                changed = [k for k in keys if k not in current]
                if not changed:
                    return 0
                now = now_iso()
                conn.executemany("INSERT INTO read_marks (id, read_at) VALUES (?, ?)", ((k, now) for k in changed))
                self._patch_read(set(changed), set())
                if undoable:
                    self._push(Step(
                        lambda c: c.executemany("DELETE FROM read_marks WHERE id = ?", ((k,) for k in changed)),
                        f"{changed[0]} marked unread again" if len(changed) == 1
                        else f"{len(changed)} papers marked unread again"))
            else:
                removed = [(k, current[k]) for k in keys if k in current]
                if not removed:
                    return 0
                conn.executemany("DELETE FROM read_marks WHERE id = ?", ((k,) for k, _ in removed))
                self._patch_read(set(), {k for k, _ in removed})
                self._push(Step(
                    lambda c: c.executemany("INSERT OR IGNORE INTO read_marks (id, read_at) VALUES (?, ?)", removed),
                    f"{removed[0][0]} marked read again" if len(removed) == 1
                    else f"{len(removed)} papers marked read again"))
            return len(changed) if read else len(removed)

    def toggle_read(self, paper_id: str) -> bool:
        """Flip a paper's read mark; returns the new state."""
        key = paper_key(paper_id)
        with self._write() as conn:
            row = conn.execute("SELECT read_at FROM read_marks WHERE id = ?", (key,)).fetchone()
            if row is None:
                conn.execute("INSERT INTO read_marks (id, read_at) VALUES (?, ?)", (key, now_iso()))
                self._patch_read({key}, set())
                self._push(Step(lambda c: c.execute("DELETE FROM read_marks WHERE id = ?", (key,)),
                                f"{key} marked unread again"))
                return True
            conn.execute("DELETE FROM read_marks WHERE id = ?", (key,))
            self._patch_read(set(), {key})
            read_at = row[0]
            self._push(Step(
                lambda c: c.execute("INSERT OR IGNORE INTO read_marks (id, read_at) VALUES (?, ?)", (key, read_at)),
                f"{key} marked read again"))
            return False


def _read_marks(conn: sqlite3.Connection, keys: list[str]) -> dict[str, str]:
    """id -> read_at of those keys that are marked read."""
    if len(keys) > 2000:  # one scan beats many lookups
        wanted = set(keys)
        return {k: v for k, v in conn.execute("SELECT id, read_at FROM read_marks") if k in wanted}
    found: dict[str, str] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start:start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(conn.execute(f"SELECT id, read_at FROM read_marks WHERE id IN ({marks})", chunk))
    return found
