"""Triage decisions, the labels the ranking learns from (table ``decisions``).

Each decision is one row: the paper (its key, without version), the kind
(``keep``, ``skip``, ``later``, ``mute``; ``read`` and ``tag`` are accepted
too, from imports), an optional tag, the time and the source (``triage``,
``import``).  A paper may have several rows; the latest one is its label.
Recording returns a token (the row's ``seq``, never reused) that
:meth:`DecisionsMixin.remove_decision` takes: undoing a triage decision takes
it out of the training set too.  Both are undo steps of ``store.undo()``.

:meth:`DecisionsMixin.decisions_fingerprint` is what a trained model keeps
to know whether it is stale: a few aggregate queries, no table scan in
Python, so it is cheap on the start path.  It covers every table the labels
come from (decisions, bookmarks and their tags, the Later queue, read marks).
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tui_reader.core.state.base import StateError, StoreBase, now_iso
from tui_reader.core.state.snapshot import normalize_tag, paper_key
from tui_reader.core.state.undo import Step

KEEP, SKIP, LATER, MUTE, READ, TAG = "keep", "skip", "later", "mute", "read", "tag"
DECISION_KINDS = (KEEP, SKIP, LATER, MUTE, READ, TAG)
SOURCES = ("triage", "import", "reader")

_COLUMNS = "seq, id, kind, tag, decided_at, source"


@dataclass(frozen=True, slots=True)
class DecisionRow:
    token: int  # the row's seq: what remove_decision takes
    id: str
    kind: str
    tag: str  # "" when none
    at: str  # ISO 8601 UTC
    source: str


def _check(kind: str, tag: str | None, source: str) -> tuple[str, str]:
    if kind not in DECISION_KINDS:
        raise StateError(f"unknown decision {kind!r} (one of {', '.join(DECISION_KINDS)})")
    if source not in SOURCES:
        raise StateError(f"unknown decision source {source!r}")
    clean_tag = normalize_tag(tag) if tag else ""
    if kind == TAG and not clean_tag:
        raise StateError("a tag decision needs a tag")
    return kind, clean_tag


class DecisionsMixin(StoreBase):
    # -- changing

    def record_decision(self, paper_id: str, kind: str, tag: str | None = None, at: str | None = None,
                        source: str = "triage") -> int:
        """Record one decision; returns its token (for :meth:`remove_decision`).
        Raises :class:`StateError` for an unknown kind or when it cannot be saved."""
        tokens = self.record_decisions([(paper_id, kind, tag, at)], source=source)
        return tokens[0]

    def record_decisions(self, rows: Iterable[tuple[str, str, str | None, str | None]],
                         source: str = "import") -> list[int]:
        """Record many ``(paper_id, kind, tag, at)`` in one transaction and one
        undo step (an import); returns their tokens in order."""
        checked = []
        default_at = now_iso()
        for paper_id, kind, tag, at in rows:
            kind, clean_tag = _check(kind, tag, source)
            key = paper_key(paper_id)
            if not key:
                raise StateError("a decision needs a paper id")
            checked.append((key, kind, clean_tag, at or default_at, source))
        if not checked:
            return []
        with self._write() as conn:
            # The same decision on the same paper at the same moment is one
            # decision: the change log knows a decision by exactly those
            # fields, so a second row would survive an undo here and not on
            # the other devices.  It gets the first row's token; undoing it
            # takes out only what this call wrote.
            tokens, written = [], []
            for row in checked:
                same = conn.execute("SELECT seq FROM decisions WHERE id = ? AND kind = ? AND tag = ? "
                                    "AND decided_at = ?", row[:4]).fetchone()
                if same is None:
                    written.append(conn.execute(
                        "INSERT INTO decisions (id, kind, tag, decided_at, source) VALUES (?, ?, ?, ?, ?)",
                        row).lastrowid)
                tokens.append(written[-1] if same is None else same[0])
            first = checked[0]
            self._push(Step(lambda c: _delete(c, written),
                            f"decision {first[1]} on {first[0]} taken back" if len(tokens) == 1
                            else f"{len(tokens)} decisions taken back"))
        return tokens

    def remove_decision(self, token: int) -> bool:
        """Take one decision out (triage's undo); False if it was not there."""
        with self._write() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM decisions WHERE seq = ?", (int(token),)).fetchone()
            if row is None:
                return False
            _delete(conn, [row[0]])
            self._push(Step(lambda c: c.execute(
                f"INSERT OR IGNORE INTO decisions ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)", row),
                f"decision {row[2]} on {row[1]} restored"))
            return True

    # -- reading

    def decisions(self, paper_id: str | None = None) -> Iterator[DecisionRow]:
        """Every decision, oldest first (or those on one paper)."""
        where, params = ("WHERE id = ?", (paper_key(paper_id),)) if paper_id else ("", ())
        with self._lock:
            rows = self._conn.execute(f"SELECT {_COLUMNS} FROM decisions {where} ORDER BY seq", params).fetchall()
        for seq, pid, kind, tag, at, source in rows:
            yield DecisionRow(seq, pid, kind, tag, at, source)

    def decided_ids(self) -> frozenset[str]:
        """The papers with a decision recorded (a triage pass starts after them)."""
        with self._lock:
            return frozenset(r[0] for r in self._conn.execute("SELECT DISTINCT id FROM decisions"))

    def recent_reads(self, limit: int) -> list[str]:
        """The ids of the papers marked read last, newest first (at most ``limit``)."""
        with self._lock:
            return [r[0] for r in self._conn.execute(
                "SELECT id FROM read_marks ORDER BY read_at DESC, id LIMIT ?", (int(limit),))]

    def decision_count(self) -> int:
        with self._lock:
            return self._conn.execute("SELECT count(*) FROM decisions").fetchone()[0]

    def decisions_fingerprint(self) -> str:
        """A short string that changes whenever a label changes: a decision
        recorded or removed, a bookmark or tag added or removed, the Later
        queue or the read marks changed.  Aggregates only: cheap to ask on
        every start."""
        with self._lock:
            parts = [
                self._conn.execute("SELECT count(*), coalesce(max(seq), 0), coalesce(sum(seq), 0) "
                                   "FROM decisions").fetchone(),
                self._conn.execute("SELECT count(*), coalesce(max(added_at), '') FROM bookmarks").fetchone(),
                self._conn.execute("SELECT count(*), coalesce(group_concat(id || '=' || tag, ','), '') FROM "
                                   "(SELECT id, tag FROM bookmark_tags ORDER BY id, tag)").fetchone(),
                self._conn.execute("SELECT count(*), coalesce(max(position), 0), coalesce(sum(position), 0) "
                                   "FROM reading_queue").fetchone(),
                self._conn.execute("SELECT count(*), coalesce(max(read_at), ''), coalesce(min(read_at), '') "
                                   "FROM read_marks").fetchone(),
            ]
        return hashlib.blake2b(repr(parts).encode(), digest_size=12).hexdigest()


def _delete(conn: sqlite3.Connection, tokens: list[int]) -> None:
    conn.executemany("DELETE FROM decisions WHERE seq = ?", ((t,) for t in tokens))
