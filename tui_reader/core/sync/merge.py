"""Merging other devices' entries into the store.

The merge rule: every field (a bookmark, its note, each of its tags, a
read mark, a Later entry, a rule, a saved search, a decision) takes the
entry with the greatest stamp ``(time, device, seq)``; a delete is an entry
too (a tombstone).  ``sync_stamps`` keeps the winner of every key, and the
tables are a projection of it, so applying entries in any order, or twice,
gives the same tables.  A bookmark's tags are shown only while the
bookmark exists and when newer than its last delete; writing a note or a
tag re-asserts the bookmark (so an edit after a delete brings it back, a
delete after every edit removes it).

Entries are applied in one transaction per segment, with the change log's
triggers held off (``sync_applying``): what comes from another device is
not logged again as this device's."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from tui_reader.core.state.changelog import BY_KIND, SEP, Tracked, carried, children, fold, gone_kind, key_of
from tui_reader.core.sync.logfile import Entry
from tui_reader.core.sync.remote import checkpoint
from tui_reader.core.text import clean

Stamp = tuple[int, str, int]


def apply_entries(store, entries: list[Entry], segment: str | None = None, done: bool = True) -> tuple[int, int]:
    """Merge ``entries`` into ``store`` in one transaction, with the change
    log's triggers held off, and (``done``) record ``segment`` as merged;
    returns (entries that won, newest time seen)."""
    with store._write() as conn:
        conn.execute("INSERT INTO sync_applying (flag) VALUES (1)")
        won, newest = merge_entries(conn, entries)
        checkpoint("merging")
        conn.execute("INSERT OR REPLACE INTO sync_meta (name, value) VALUES ('clock', "
                     "CAST(max(coalesce((SELECT CAST(value AS INTEGER) FROM sync_meta WHERE name = 'clock'), 0),"
                     " ?) AS TEXT))", (newest,))
        if segment and done:
            conn.execute("INSERT OR IGNORE INTO sync_applied (segment) VALUES (?)", (segment,))
        conn.execute("DELETE FROM sync_applying")
    return won, newest


def _winner(conn: sqlite3.Connection, key: str) -> tuple[Stamp | None, dict | None]:
    row = conn.execute("SELECT at, device, seq, value FROM sync_stamps WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None, None
    return (row[0], row[1], row[2]), _loads(row[3])


def _loads(text: str | None) -> dict | None:
    if text is None:
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def merge_entries(conn: sqlite3.Connection, entries: Iterable[Entry]) -> tuple[int, int]:
    """Inside a write transaction: take in the entries that win, project
    what they touch; returns (entries that won, newest time seen)."""
    won = 0
    newest = 0
    touched: set[tuple[str, tuple[str, ...]]] = set()
    for entry in entries:
        newest = max(newest, entry.at)
        current, _ = _winner(conn, entry.key)
        if current is not None and current >= entry.stamp:
            continue
        value = None if entry.value is None else json.dumps(entry.value, ensure_ascii=False, separators=(",", ":"))
        conn.execute("INSERT OR REPLACE INTO sync_stamps (key, at, device, seq, value) VALUES (?, ?, ?, ?, ?)",
                     (entry.key, entry.at, entry.device, entry.seq, value))
        won += 1
        touched.add(_root(entry.kind, entry.parts))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for kind, parts in sorted(touched):
        if BY_KIND[kind].table in tables:
            project(conn, BY_KIND[kind], parts)
    return won, newest


def _root(kind: str, parts: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    kind = kind.removesuffix("-gone") if kind.endswith("-gone") and kind[:-5] in BY_KIND else kind
    spec = BY_KIND[kind]
    if spec.parent:
        parent = BY_KIND[spec.parent]
        return parent.kind, parts[:len(parent.key)]
    return kind, parts


def _where(spec: Tracked, columns: tuple[str, ...]) -> str:
    return " AND ".join(f"{c} = ?" + (" COLLATE NOCASE" if c in spec.nocase else "") for c in columns)


def _row_values(spec: Tracked, parts: tuple[str, ...], value: dict) -> dict[str, str]:
    """Column -> text for a row made from a key and its value."""
    row = {c: p for c, p in zip(spec.key, parts)}
    for column in carried(spec):
        text = value.get(column)
        row[column] = clean(text) if isinstance(text, str) else row.get(column, "")
    return row


def _insert(conn: sqlite3.Connection, spec: Tracked, row: dict[str, str]) -> None:
    names = list(row) + list(spec.defaults)
    marks = ["?"] * len(row) + list(spec.defaults.values())
    conn.execute(f"INSERT INTO {spec.table} ({', '.join(names)}) VALUES ({', '.join(marks)})", list(row.values()))


def project(conn: sqlite3.Connection, spec: Tracked, parts: tuple[str, ...]) -> None:
    """Make the tables say what the winners of one entity say (a row, with
    its column and row children)."""
    _, value = _winner(conn, key_of(spec.kind, parts))
    where = _where(spec, spec.key)
    if value is None:
        conn.execute(f"DELETE FROM {spec.table} WHERE {where}", parts)
        for child in children(spec.kind):
            if not child.column:
                conn.execute(f"DELETE FROM {child.table} WHERE {_where(child, spec.key)}", parts)
        return
    row = _row_values(spec, parts, value)
    exists = conn.execute(f"SELECT 1 FROM {spec.table} WHERE {where}", parts).fetchone() is not None
    if not exists:
        _insert(conn, spec, row)
    else:
        changing = [c for c in carried(spec) if c not in spec.keep]
        if changing:
            conn.execute(f"UPDATE {spec.table} SET {', '.join(f'{c} = ?' for c in changing)} WHERE {where}",
                         [row[c] for c in changing] + list(parts))
    for child in children(spec.kind):
        if child.column:
            _, note = _winner(conn, key_of(child.kind, parts))
            sets = {c: clean(note.get(c, "")) if isinstance(note, dict) and isinstance(note.get(c), str) else ""
                    for c in child.values}
            conn.execute(f"UPDATE {spec.table} SET {', '.join(f'{c} = ?' for c in sets)} WHERE {where}",
                         [*sets.values(), *parts])
        else:
            _project_children(conn, spec, child, parts)


def _project_children(conn: sqlite3.Connection, spec: Tracked, child: Tracked, parts: tuple[str, ...]) -> None:
    gone, _ = _winner(conn, key_of(gone_kind(spec.kind), parts))
    prefix = key_of(child.kind, parts) + SEP
    wanted: dict[tuple[str, ...], dict] = {}
    for key, at, device, seq, text in conn.execute(
            "SELECT key, at, device, seq, value FROM sync_stamps WHERE key >= ? AND key < ?",
            (prefix, prefix[:-1] + " ")):
        value = _loads(text)
        if value is not None and (gone is None or (at, device, seq) > gone):
            wanted[tuple(key.split(SEP)[1:])] = value
    rest = child.key[len(spec.key):]
    have = {tuple(fold(child, c, v) for c, v in zip(rest, r)) for r in conn.execute(
        f"SELECT {', '.join(rest)} FROM {child.table} WHERE {_where(child, spec.key)}", parts)}
    for extra in have - {k[len(parts):] for k in wanted}:
        conn.execute(f"DELETE FROM {child.table} WHERE {_where(child, child.key)}", (*parts, *extra))
    for full, value in wanted.items():
        if full[len(parts):] not in have:
            _insert(conn, child, _row_values(child, full, value))
