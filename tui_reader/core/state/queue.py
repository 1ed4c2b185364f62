"""The reading queue, "Later" (table ``reading_queue``): papers put aside to
read properly, in the order they were put there.  Undoable like every
change (``u``)."""

from __future__ import annotations

from tui_reader.core.state.base import StoreBase, now_iso
from tui_reader.core.state.snapshot import paper_key
from tui_reader.core.state.undo import Step


class QueueMixin(StoreBase):
    def queue_ids(self) -> tuple[str, ...]:
        """The queue, first put there first (cached; cheap on every refresh)."""
        return self._cached("queue", lambda: tuple(
            r[0] for r in self._conn.execute("SELECT id FROM reading_queue ORDER BY position, id")))

    def in_queue(self, paper_id: str) -> bool:
        return paper_key(paper_id) in self.queue_ids()

    def queue_add(self, paper_id: str) -> bool:
        """Put a paper at the end of the queue; False if it was there."""
        key = paper_key(paper_id)
        with self._write() as conn:
            if conn.execute("SELECT 1 FROM reading_queue WHERE id = ?", (key,)).fetchone():
                return False
            (last,) = conn.execute("SELECT COALESCE(MAX(position), 0) FROM reading_queue").fetchone()
            conn.execute("INSERT INTO reading_queue (id, position, added_at) VALUES (?, ?, ?)",
                         (key, last + 1, now_iso()))
            self._patch_cache("queue", lambda old: (*old, key))
            self._push(Step(lambda c: c.execute("DELETE FROM reading_queue WHERE id = ?", (key,)),
                            f"{key} taken out of Later again"))
            return True

    def queue_remove(self, paper_id: str) -> bool:
        """Take a paper out of the queue; False if it was not there."""
        key = paper_key(paper_id)
        with self._write() as conn:
            row = conn.execute("SELECT position, added_at FROM reading_queue WHERE id = ?", (key,)).fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM reading_queue WHERE id = ?", (key,))
            self._patch_cache("queue", lambda old: tuple(i for i in old if i != key))
            position, added_at = row
            self._push(Step(lambda c: c.execute(
                "INSERT OR IGNORE INTO reading_queue (id, position, added_at) VALUES (?, ?, ?)",
                (key, position, added_at)), f"{key} back in Later"))
            return True
