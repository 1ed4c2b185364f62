"""Interests, mute rules and saved searches (tables ``discovery_rules`` and
``saved_searches``), undoable like bookmarks."""

from __future__ import annotations

from tui_reader.core.discovery.rules import Rule, SavedSearch, normalize_value
from tui_reader.core.state.base import StateError, StoreBase, now_iso
from tui_reader.core.state.undo import Step
from tui_reader.core.text import clean, one_line


class DiscoveryMixin(StoreBase):
    def rules(self, kind: str) -> list[Rule]:
        """The interests (``"interest"``) or mute rules (``"mute"``), in the
        order they were added."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT field, value, added_at FROM discovery_rules WHERE kind = ? "
                "ORDER BY position, added_at, field, value",
                (kind,)).fetchall()
        return [Rule(kind, f, v, a) for f, v, a in rows]

    def add_rule(self, rule: Rule) -> bool:
        """False when an equal rule (case aside) is already there."""
        value = normalize_value(rule.value)
        if not value:
            raise StateError("an empty rule was not saved")
        with self._write() as conn:
            position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM discovery_rules").fetchone()[0]
            cursor = conn.execute(
                "INSERT OR IGNORE INTO discovery_rules (kind, field, value, added_at, position) VALUES (?, ?, ?, ?, ?)",
                (rule.kind, rule.field, value, now_iso(), position))
            if not cursor.rowcount:
                return False
            self._push(Step(
                lambda c: c.execute("DELETE FROM discovery_rules WHERE kind = ? AND field = ? AND value = ?",
                                    (rule.kind, rule.field, value)),
                f"{rule.kind} {Rule(rule.kind, rule.field, value).label} removed"))
        return True

    def remove_rule(self, rule: Rule) -> bool:
        with self._write() as conn:
            row = conn.execute(
                "SELECT value, added_at, position FROM discovery_rules WHERE kind = ? AND field = ? AND value = ?",
                (rule.kind, rule.field, rule.value)).fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM discovery_rules WHERE kind = ? AND field = ? AND value = ?",
                         (rule.kind, rule.field, rule.value))
            self._push(Step(
                lambda c: c.execute(
                    "INSERT OR IGNORE INTO discovery_rules (kind, field, value, added_at, position) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (rule.kind, rule.field, row[0], row[1], row[2])),
                f"{rule.kind} {rule.label} restored"))
        return True

    def saved_searches(self) -> list[SavedSearch]:
        """Saved searches in the order they were saved (the first nine are keys 1-9)."""
        with self._lock:
            rows = self._conn.execute("SELECT name, query, position FROM saved_searches ORDER BY position").fetchall()
        return [SavedSearch(n, q, p) for n, q, p in rows]

    def save_search(self, name: str, query: str) -> bool:
        """Save ``query`` under ``name``; a search of that name keeps its place
        and gets the new query.  Returns True for a new name."""
        name = normalize_value(name)
        query = one_line(clean(query)).strip()
        if not name or not query:
            raise StateError("a saved search needs a name and a query")
        with self._write() as conn:
            old = conn.execute("SELECT name, query, position, saved_at FROM saved_searches WHERE name = ?",
                               (name,)).fetchone()
            if old is None:
                position = conn.execute("SELECT coalesce(max(position), 0) + 1 FROM saved_searches").fetchone()[0]
                conn.execute("INSERT INTO saved_searches (name, query, position, saved_at) VALUES (?, ?, ?, ?)",
                             (name, query, position, now_iso()))
                self._push(Step(lambda c: c.execute("DELETE FROM saved_searches WHERE name = ?", (name,)),
                                f"saved search {name} removed"))
            else:
                conn.execute("UPDATE saved_searches SET query = ?, saved_at = ? WHERE name = ?",
                             (query, now_iso(), name))
                self._push(Step(lambda c: c.execute(
                    "UPDATE saved_searches SET query = ?, saved_at = ? WHERE name = ?", (old[1], old[3], old[0])),
                    f"saved search {name} restored"))
        return old is None

    def remove_saved_search(self, name: str) -> bool:
        with self._write() as conn:
            old = conn.execute("SELECT name, query, position, saved_at FROM saved_searches WHERE name = ?",
                               (name,)).fetchone()
            if old is None:
                return False
            conn.execute("DELETE FROM saved_searches WHERE name = ?", (name,))
            self._push(Step(lambda c: c.execute(
                "INSERT OR IGNORE INTO saved_searches (name, query, position, saved_at) VALUES (?, ?, ?, ?)", old),
                f"saved search {old[0]} restored"))
        return True
