"""The change log: every change to the reader's state is also one entry of
an append-only log for this device, written by SQLite triggers inside the
same transaction as the change (so a change and its entry are saved, or
neither is).  ``tui-reader sync`` (``core/sync/``) ships the log and merges
the other devices' logs; this module only writes it.

An entry is ``(seq, at, key, value)``: ``seq`` counts this device's
changes (never reused), ``at`` is the time in milliseconds since 1970,
never below the newest time seen from another device (a change made after
a sync wins over what that sync brought, whatever the clocks say), ``key``
names one field (``read␟2601.12345``, ``tag␟2601.12345␟ml``; the parts
are joined by U+001F) and ``value`` is its new JSON value, or NULL for a
delete (a tombstone).  ``sync_stamps`` keeps, per key, the newest entry
known from any device: the merged state that ``core/sync/merge.py``
projects onto the tables.

A new table group plugs in with one line in :data:`TRACKED`; its triggers
are made (and its existing rows logged once, the baseline) on the next
open.  A table that does not exist yet is skipped.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass, field

SEP = "\x1f"
NOW_MS = "CAST((julianday('now') - 2440587.5) * 86400000.0 AS INTEGER)"
STAMP = f"max({NOW_MS}, coalesce((SELECT CAST(value AS INTEGER) + 1 FROM sync_meta WHERE name = 'clock'), 0))"
DEVICE = "(SELECT value FROM sync_meta WHERE name = 'device')"
LOG_VERSION = 1
SYNC_REMOTE_PREF = "sync_remote"  # the remembered remote (a preference of this device; core.sync)


@dataclass(frozen=True)
class Tracked:
    """One kind of field: the rows of ``table`` (or, with ``column``, one
    column of the parent's row), keyed by ``key`` columns, carrying the
    ``values`` columns.

    * ``parent``: the kind this one belongs to (a tag to its bookmark):
      writing it re-asserts the parent (an edit after a delete brings the
      bookmark back), and it shows only while the parent exists and when
      newer than the parent's last delete.
    * ``updates``: an UPDATE of the value columns is a new write.
    * ``nocase``: key columns compared without case (the table's COLLATE NOCASE).
    * ``keep``: value columns written only when the row is made (a
      bookmark's snapshot: refreshed from each library, not a user's change).
    * ``defaults``: SQL for the other NOT NULL columns of a new row.
    * ``time``: the column whose time stamps the baseline entries."""

    kind: str
    table: str
    key: tuple[str, ...]
    values: tuple[str, ...] = ()
    parent: str | None = None
    column: bool = False
    updates: bool = False
    nocase: tuple[str, ...] = ()
    keep: tuple[str, ...] = ()
    defaults: dict[str, str] = field(default_factory=dict)
    time: str | None = None


def _position(table: str) -> dict[str, str]:
    return {"position": f"(SELECT coalesce(max(position), 0) + 1 FROM {table})"}


TRACKED: tuple[Tracked, ...] = (
    Tracked("bookmark", "bookmarks", ("id",), ("added_at", "snapshot"), keep=("snapshot",), time="added_at"),
    Tracked("note", "bookmarks", ("id",), ("note",), parent="bookmark", column=True, updates=True),
    Tracked("tag", "bookmark_tags", ("id", "tag"), parent="bookmark"),
    Tracked("read", "read_marks", ("id",), ("read_at",), time="read_at"),
    Tracked("later", "reading_queue", ("id",), ("added_at",), defaults=_position("reading_queue"), time="added_at"),
    Tracked("rule", "discovery_rules", ("kind", "field", "value"), ("added_at",), nocase=("value",),
            defaults=_position("discovery_rules"), time="added_at"),
    Tracked("search", "saved_searches", ("name",), ("query", "saved_at"), updates=True, nocase=("name",),
            defaults=_position("saved_searches"), time="saved_at"),
    Tracked("decision", "decisions", ("id", "kind", "tag", "decided_at"), ("source",), time="decided_at"),
)
BY_KIND = {spec.kind: spec for spec in TRACKED}


def gone_kind(kind: str) -> str:
    """The register holding a parent's last delete (its children older than it stay deleted)."""
    return kind + "-gone"


def children(kind: str) -> list[Tracked]:
    return [spec for spec in TRACKED if spec.parent == kind]


def key_of(kind: str, parts: list[str] | tuple[str, ...]) -> str:
    return SEP.join((kind, *parts))


def fold(spec: Tracked, column: str, text: str) -> str:
    return text.lower() if column in spec.nocase else text


# --- the triggers --------------------------------------------------------------------------


def _key_sql(kind: str, spec: Tracked, row: str, columns: tuple[str, ...]) -> str:
    parts = [f"'{kind}'"]
    for column in columns:
        expr = f"coalesce({row}.{column}, '')"
        parts.append(f"lower({expr})" if column in spec.nocase else expr)
    return " || char(31) || ".join(parts)


def carried(spec: Tracked) -> tuple[str, ...]:
    """The columns a value carries: the values, and the key columns compared
    without case (their key part is folded; the value keeps how they were written)."""
    return spec.nocase + spec.values


def _value_sql(spec: Tracked, row: str) -> str:
    if not carried(spec):
        return "'{}'"
    return "json_object(" + ", ".join(f"'{c}', {row}.{c}" for c in carried(spec)) + ")"


# Delete, then insert: inside a trigger an INSERT OR REPLACE takes the conflict
# rule of the statement that fired it (INSERT OR IGNORE INTO bookmark_tags ...).
_LAST = "(SELECT max(seq) FROM sync_log)"
_REMEMBER = (f"DELETE FROM sync_stamps WHERE key = (SELECT key FROM sync_log WHERE seq = {_LAST}); "
             "INSERT INTO sync_stamps (key, at, device, seq, value) "
             f"SELECT key, at, {DEVICE}, seq, value FROM sync_log WHERE seq = {_LAST};")


def _log(key: str, value: str) -> str:
    return f"INSERT INTO sync_log (at, key, value) VALUES ({STAMP}, {key}, {value}); {_REMEMBER}"


def _reassert(spec: Tracked, row: str) -> str:
    """Re-log the parent row (its presence) from the parent's table, unless
    this device logged it in this same millisecond (a bookmark made with
    its tags: the snapshot once, not once per tag)."""
    parent = BY_KIND[spec.parent]
    source, match = (row, "1") if spec.column else ("p", " AND ".join(f"p.{c} = {row}.{c}" for c in parent.key))
    key = _key_sql(parent.kind, parent, source, parent.key)
    fresh = f"NOT EXISTS (SELECT 1 FROM sync_stamps WHERE key = {key} AND device = {DEVICE} AND at >= {STAMP})"
    table = "" if spec.column else f" FROM {parent.table} p"
    return (f"INSERT INTO sync_log (at, key, value) SELECT {STAMP}, {key}, {_value_sql(parent, source)}{table} "
            f"WHERE {match} AND {fresh}; {_REMEMBER}")


def _trigger(name: str, event: str, table: str, body: list[str]) -> str:
    return (f"CREATE TRIGGER {name} AFTER {event} ON {table} "
            "WHEN NOT EXISTS (SELECT 1 FROM sync_applying) BEGIN " + " ".join(body) + " END")


def trigger_sql(tables: set[str]) -> list[str]:
    """The CREATE TRIGGER statements for the tracked tables among ``tables``."""
    statements = []
    for spec in TRACKED:
        if spec.table not in tables or (spec.parent and BY_KIND[spec.parent].table not in tables):
            continue
        name = f"sync_{spec.kind}"
        if spec.column:
            body = [_reassert(spec, "NEW"), _log(_key_sql(spec.kind, spec, "NEW", spec.key), _value_sql(spec, "NEW"))]
            statements.append(_trigger(f"{name}_upd", "UPDATE OF " + ", ".join(spec.values), spec.table, body))
            continue
        insert = [_log(_key_sql(spec.kind, spec, "NEW", spec.key), _value_sql(spec, "NEW"))]
        insert += [_log(_key_sql(c.kind, c, "NEW", c.key), _value_sql(c, "NEW")) for c in children(spec.kind)
                   if c.column]
        if spec.parent:
            insert.insert(0, _reassert(spec, "NEW"))
        statements.append(_trigger(f"{name}_ins", "INSERT", spec.table, insert))
        delete = [_log(_key_sql(spec.kind, spec, "OLD", spec.key), "NULL")]
        for child in children(spec.kind):
            if child.column:
                delete.append(_log(_key_sql(child.kind, child, "OLD", child.key), "NULL"))
        if any(not c.column for c in children(spec.kind)):
            delete.append(_log(_key_sql(gone_kind(spec.kind), spec, "OLD", spec.key), "'{}'"))
        statements.append(_trigger(f"{name}_del", "DELETE", spec.table, delete))
        if spec.updates:
            statements.append(_trigger(f"{name}_upd", "UPDATE OF " + ", ".join(spec.values), spec.table,
                                       [_log(_key_sql(spec.kind, spec, "NEW", spec.key), _value_sql(spec, "NEW"))]))
    return statements


SYNC_TABLES = """
CREATE TABLE IF NOT EXISTS sync_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_log (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
    key TEXT NOT NULL, value TEXT);
CREATE TABLE IF NOT EXISTS sync_stamps (key TEXT PRIMARY KEY, at INTEGER NOT NULL, device TEXT NOT NULL,
    seq INTEGER NOT NULL, value TEXT) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_applied (segment TEXT PRIMARY KEY) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sync_applying (flag INTEGER)
"""


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def ensure(conn: sqlite3.Connection) -> None:
    """Make the log's tables and triggers when missing or out of date, and
    log the rows of a newly tracked table once (the baseline).  One SELECT
    when all is in place (every open)."""
    tables = _tables(conn)
    statements = trigger_sql(tables)
    version = hashlib.blake2b("\n".join(statements).encode(), digest_size=8).hexdigest()
    if "sync_meta" in tables:
        row = conn.execute("SELECT value FROM sync_meta WHERE name = 'triggers'").fetchone()
        if row is not None and row[0] == version:
            return
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in SYNC_TABLES.split(";"):
            if statement.strip():
                conn.execute(statement)
        conn.execute("INSERT OR IGNORE INTO sync_meta (name, value) VALUES ('device', ?)", (secrets.token_hex(8),))
        _drop_triggers(conn)
        for statement in statements:
            conn.execute(statement)
        _baseline(conn, _tables(conn))
        conn.execute("INSERT OR REPLACE INTO sync_meta (name, value) VALUES ('triggers', ?)", (version,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _baseline(conn: sqlite3.Connection, tables: set[str]) -> None:
    """Log every row of a tracked table seen for the first time, stamped
    with the row's own time where it has one."""
    for spec in TRACKED:
        if spec.table not in tables or conn.execute(
                "SELECT 1 FROM sync_meta WHERE name = ?", ("baseline:" + spec.kind,)).fetchone():
            continue
        at = (f"coalesce(CAST((julianday(t.{spec.time}) - 2440587.5) * 86400000.0 AS INTEGER), {NOW_MS})"
              if spec.time else NOW_MS)
        where = f" WHERE t.{spec.values[0]} <> ''" if spec.column else ""
        before = conn.execute("SELECT coalesce(max(seq), 0) FROM sync_log").fetchone()[0]
        conn.execute(f"INSERT INTO sync_log (at, key, value) SELECT {at}, {_key_sql(spec.kind, spec, 't', spec.key)}, "
                     f"{_value_sql(spec, 't')} FROM {spec.table} t{where}")
        conn.execute(f"INSERT OR REPLACE INTO sync_stamps (key, at, device, seq, value) SELECT key, at, {DEVICE}, seq, "
                     "value FROM sync_log WHERE seq > ?", (before,))
        conn.execute("INSERT INTO sync_meta (name, value) VALUES (?, '1')", ("baseline:" + spec.kind,))


def _drop_triggers(conn: sqlite3.Connection) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync\\_%' "
                                "ESCAPE '\\'").fetchall():
        conn.execute(f'DROP TRIGGER "{name}"')


def before_salvage(conn: sqlite3.Connection) -> None:
    """Rows copied from a damaged store are not new changes: the triggers are
    taken off for the copy, and :func:`ensure` afterwards logs every row
    once, stamped with its own time (the baseline).  Killed in between,
    the next open does the same (the triggers' version is gone first)."""
    conn.execute("DELETE FROM sync_meta WHERE name = 'triggers' OR name LIKE 'baseline:%'")
    _drop_triggers(conn)


def device_id(conn: sqlite3.Connection) -> str:
    row = conn.execute("SELECT value FROM sync_meta WHERE name = 'device'").fetchone()
    return row[0] if row else ""
