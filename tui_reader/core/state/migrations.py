"""The state store's schema: one migration step per version, and the
tables and columns a store of the current version must have.

Adding a table group: write its module (a mixin on
:class:`~tui_reader.core.state.base.StoreBase`, see ``bookmarks.py``), add
a step ``_migrate_to_N`` here that creates its tables, register it in
:data:`MIGRATIONS` and bump :data:`SCHEMA_VERSION`.  The expected schema
(what :func:`schema_problems` checks at open) is derived from the steps
themselves, so it never drifts from them."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x54524452  # "TRDR": marks the file as ours (PRAGMA application_id)
SCHEMA_VERSION = 5


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    run_script(
        conn,
        """
        CREATE TABLE bookmarks (
            id TEXT PRIMARY KEY,
            added_at TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            snapshot TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE bookmark_tags (
            id TEXT NOT NULL,
            tag TEXT NOT NULL,
            PRIMARY KEY (id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX bookmark_tags_by_tag ON bookmark_tags (tag, id);
        CREATE TABLE read_marks (
            id TEXT PRIMARY KEY,
            read_at TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE prefs (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE session (
            slot TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            saved_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


def _migrate_to_2(conn: sqlite3.Connection) -> None:
    """Discovery: interests and mute rules (keyword, author or category),
    and saved searches in the order they were saved (keys 1-9)."""
    run_script(
        conn,
        """
        CREATE TABLE discovery_rules (
            kind TEXT NOT NULL,
            field TEXT NOT NULL,
            value TEXT NOT NULL COLLATE NOCASE,
            added_at TEXT NOT NULL,
            PRIMARY KEY (kind, field, value)
        ) WITHOUT ROWID;
        CREATE TABLE saved_searches (
            name TEXT PRIMARY KEY COLLATE NOCASE,
            query TEXT NOT NULL,
            position INTEGER NOT NULL,
            saved_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


def _migrate_to_3(conn: sqlite3.Connection) -> None:
    """Interests and mute rules keep the order they were added in: a
    running position (timestamps have one-second resolution, so rules added
    in the same second came back alphabetically)."""
    conn.execute("ALTER TABLE discovery_rules ADD COLUMN position INTEGER NOT NULL DEFAULT 0")
    rows = conn.execute("SELECT kind, field, value FROM discovery_rules ORDER BY added_at, field, value").fetchall()
    conn.executemany(
        "UPDATE discovery_rules SET position = ? WHERE kind = ? AND field = ? AND value = ?",
        ((number, kind, field, value) for number, (kind, field, value) in enumerate(rows, 1)),
    )


def _migrate_to_4(conn: sqlite3.Connection) -> None:
    """The reading queue ("Later"), in the order papers were put there."""
    run_script(
        conn,
        """
        CREATE TABLE reading_queue (
            id TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            added_at TEXT NOT NULL
        ) WITHOUT ROWID;
        """,
    )


def _migrate_to_5(conn: sqlite3.Connection) -> None:
    """Triage decisions, the labels the ranking learns from: one row per
    decision (keep, skip, later, mute; read and tag from imports), with its
    time and where it came from.  ``seq`` is never reused (AUTOINCREMENT), so
    a decision's token stays unique and the fingerprint changes on any
    insert or delete."""
    run_script(
        conn,
        """
        CREATE TABLE decisions (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL,
            kind TEXT NOT NULL,
            tag TEXT NOT NULL DEFAULT '',
            decided_at TEXT NOT NULL,
            source TEXT NOT NULL DEFAULT 'triage'
        );
        CREATE INDEX decisions_by_id ON decisions (id, seq);
        """,
    )


def run_script(conn: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it would COMMIT the migration's open transaction.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


# version -> function that brings a store from version-1 to version.  Each runs
# inside the one transaction that also sets user_version, so a store is either
# fully migrated or untouched.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _migrate_to_1, 2: _migrate_to_2, 3: _migrate_to_3, 4: _migrate_to_4, 5: _migrate_to_5,
}


def migrate(conn: sqlite3.Connection, start: int, end: int | None = None) -> None:
    """Run the steps after ``start`` up to ``end`` (default: the current
    version) on ``conn``, inside the caller's transaction."""
    for step in range(start + 1, (SCHEMA_VERSION if end is None else end) + 1):
        MIGRATIONS[step](conn)


def columns_of(conn: sqlite3.Connection) -> dict[str, set[str]]:
    """table -> column names, of every table in ``conn`` (sqlite_* aside)."""
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    return {t: {r[1] for r in conn.execute(f'PRAGMA table_info("{t}")')} for t in tables}


def expected_schema(version: int | None = None) -> dict[str, set[str]]:
    """The tables and columns a store of ``version`` (default: current) has,
    found by running the steps on an empty database in memory."""
    conn = sqlite3.connect(":memory:", isolation_level=None)
    try:
        migrate(conn, 0, SCHEMA_VERSION if version is None else version)
        return columns_of(conn)
    finally:
        conn.close()


def schema_problems(conn: sqlite3.Connection, version: int) -> list[str]:
    """What a store claiming ``version`` lacks: ``["table bookmarks is
    missing", "table prefs lacks column value"]``; empty when whole.
    Extra tables and columns are fine (a newer version may add them)."""
    have = columns_of(conn)
    problems = []
    for table, columns in expected_schema(min(version, SCHEMA_VERSION)).items():
        if table not in have:
            problems.append(f"table {table} is missing")
            continue
        problems.extend(f"table {table} lacks column {c}" for c in sorted(columns - have[table]))
    return problems
