"""Opening the state store's SQLite file: connect, check that it is ours
and whole, migrate an older one, and tell damage from age.

* A file that is not ours is moved aside whole and a new store started.
* A damaged store (failed integrity check, or tables/columns missing for
  the version it claims) is moved aside whole, and every row that can
  still be read is copied into the new store, table by table, row by row.
* A store from a newer tui-reader opens read-only when the tables and
  columns this version uses are there: its bookmarks still show.
* Read-only opens never create ``-wal``/``-shm`` files beside the store
  (they would carry the store's read-only mode and block later writes):
  the file is read into memory through an ``immutable`` connection (or a
  private copy, when an uncheckpointed ``-wal`` must be read).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import shutil
import sqlite3
import tempfile
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core import paths as app_paths
from tui_reader.core.state import migrations
from tui_reader.core.state.base import ReadOnlyError

STORE_NAME = "state.sqlite3"
BUSY_TIMEOUT_MS = 10_000

# SQLite primary result codes that mean "this file is not a sound database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class NotOurs(Exception):
    """The file at the store's path is not a tui-reader store."""


class Damaged(Exception):
    """The file is our store but damaged: its rows can be salvaged."""


class TooNew(Exception):
    """Written by a newer tui-reader; ``args[0]`` is its schema version."""


def default_path() -> Path:
    return app_paths.data_dir() / STORE_NAME


def connect(target: str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False, uri=uri
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def is_corruption(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


def inspect(conn: sqlite3.Connection) -> int:
    """Check that the file is ours and whole; returns its schema version
    (0 for an empty file).  Raises NotOurs, Damaged, TooNew (after checking
    that the tables this version reads are there) or sqlite3.Error."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    if app_id == 0 and version == 0 and not tables:
        return 0
    if app_id != migrations.APPLICATION_ID:
        raise NotOurs("not a tui-reader state store")
    problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise Damaged("; ".join(problems[:3]))
    missing = migrations.schema_problems(conn, version)
    if missing:
        raise Damaged("; ".join(missing[:3]))
    if version > migrations.SCHEMA_VERSION:
        raise TooNew(version)
    return version


def prepare(conn: sqlite3.Connection, writable: bool) -> None:
    """:func:`inspect`, then migrate an older store in one transaction."""
    version = inspect(conn)
    if version == migrations.SCHEMA_VERSION:
        return
    if not writable:
        raise ReadOnlyError("the state store needs an upgrade but is read-only")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
        migrations.migrate(conn, version)
        conn.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {migrations.APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def read_into_memory(path: Path) -> sqlite3.Connection:
    """A copy in memory of the store at ``path``, read without creating or
    changing any file beside it.  Raises sqlite3.Error / OSError."""
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    scratch = None
    try:
        if wal.exists() and wal.stat().st_size and not shm.exists():
            # Committed changes still in the -wal: reading them needs a -shm,
            # which must not appear beside the store.  Read a private copy.
            scratch = Path(tempfile.mkdtemp(prefix="tui-reader-state-"))
            shutil.copyfile(path, scratch / path.name)
            shutil.copyfile(wal, scratch / wal.name)
            source = connect(str(scratch / path.name))
        elif wal.exists() and wal.stat().st_size:
            source = connect(f"file:{urllib.parse.quote(str(path.resolve()))}?mode=ro", uri=True)
        else:
            source = connect(f"file:{urllib.parse.quote(str(path.resolve()))}?immutable=1", uri=True)
        memory = connect(":memory:")
        try:
            source.backup(memory)
        except BaseException:
            memory.close()
            raise
        finally:
            source.close()
        return memory
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def open_for_salvage(path: Path) -> sqlite3.Connection | None:
    """A read-only view of a damaged store, for :func:`salvage` (taken
    before it is moved aside, so its -wal is still read)."""
    try:
        return read_into_memory(path)
    except (sqlite3.Error, OSError):
        pass
    try:  # the backup itself fails on some damage: read the file directly (the fd survives a rename)
        return connect(f"file:{urllib.parse.quote(str(path.resolve()))}?immutable=1", uri=True)
    except sqlite3.Error:
        return None


MAX_SALVAGE_BYTES = 512 * 1024 * 1024  # a state store beyond this is read by SQL alone


def read_for_salvage(path: Path) -> bytes | None:
    """The damaged store's bytes, for reading its pages directly (None
    when it cannot be read or is implausibly large)."""
    try:
        if path.stat().st_size > MAX_SALVAGE_BYTES:
            return None
        return path.read_bytes()
    except OSError:
        return None


@dataclass
class Salvaged:
    """What :func:`salvage` really put in the new store, per table (rows
    INSERT OR IGNORE dropped are not counted), and what was lost."""

    kept: dict[str, int] = field(default_factory=dict)
    lost: int = 0  # rows, or whole tables, that could not be read or written
    rebuilt: int = 0  # bookmarks whose own row was unreadable, made again from their tags

    @property
    def total(self) -> int:
        return sum(self.kept.values())

    def describe(self) -> str:
        """``20 bookmarks (3 rebuilt from their tags), 40 tags, 300 read marks, 2 other items``."""
        names = {"bookmarks": "bookmarks", "bookmark_tags": "tags", "read_marks": "read marks"}
        parts = []
        for table, label in names.items():
            count = self.kept.get(table, 0)
            if count or table == "bookmarks":
                part = f"{count} {label}"
                if table == "bookmarks" and self.rebuilt:
                    part += f" ({self.rebuilt} rebuilt from their tags, their titles come back from the library)"
                parts.append(part)
        other = sum(n for t, n in self.kept.items() if t not in names)
        if other:
            parts.append(f"{other} other saved item{'s' if other != 1 else ''}")
        return ", ".join(parts)


def salvage(source: sqlite3.Connection | None, target: sqlite3.Connection, raw: bytes | None = None) -> Salvaged:
    """Copy every row that can be read from ``source`` (a damaged store, see
    :func:`open_for_salvage`; closed here) into ``target`` (a current, empty
    store), table by table and row by row, in one transaction.  A tag or a
    queue entry whose bookmark row was lost gets its bookmark back (a
    minimal snapshot, filled from the library later), so nothing kept
    points at nothing.  ``raw``: the damaged file's bytes; when SQL cannot
    reach every bookmark (a garbled root or inner page), the bookmarks
    its pages still hold are read from them (:mod:`.pages`)."""
    result = Salvaged()
    if source is None:
        result.lost = 1
        return result
    expected = migrations.expected_schema()
    try:
        try:
            have = migrations.columns_of(source)
        except sqlite3.Error:
            result.lost = 1
            return result
        target.execute("BEGIN IMMEDIATE")
        for table, columns in expected.items():
            shared = sorted(columns & have.get(table, set()))
            if not shared:
                result.lost += table in have
                continue
            names = ", ".join(f'"{c}"' for c in shared)
            insert = f'INSERT OR IGNORE INTO "{table}" ({names}) VALUES ({", ".join("?" * len(shared))})'
            rows, complete = _readable_rows(source, table, names)
            result.lost += not complete
            kept = 0
            for row in rows:
                try:
                    written = target.execute(insert, row).rowcount > 0
                except sqlite3.Error:
                    written = False
                kept += written
                result.lost += not written  # damaged values: a NULL where none may be, a duplicate...
            result.kept[table] = kept
            if table == "bookmarks" and not complete and raw:
                result.kept[table] += _bookmarks_from_pages(raw, target)
        result.rebuilt = _rebuild_lost_bookmarks(target)
        result.kept["bookmarks"] = result.kept.get("bookmarks", 0) + result.rebuilt
        target.execute("COMMIT")
    except sqlite3.Error:
        with contextlib.suppress(sqlite3.Error):
            target.execute("ROLLBACK")
        return Salvaged(lost=result.lost + 1)
    finally:
        source.close()
    return result


def _bookmarks_from_pages(raw: bytes, target: sqlite3.Connection) -> int:
    """Bookmarks read from the damaged file's pages (rows SQL no longer
    reaches): a record of four texts whose last is the snapshot of the
    paper its first names.  Returns how many were added."""
    import json

    from tui_reader.core.state.pages import PageFile

    added = 0
    for record in PageFile(raw).records():
        if len(record) != 4 or not all(isinstance(v, str) for v in record):
            continue
        paper_id, added_at, note, snapshot = record
        try:
            data = json.loads(snapshot)
        except ValueError:
            continue
        if not isinstance(data, dict) or data.get("id") != paper_id or not added_at[:4].isdigit():
            continue
        cursor = target.execute(
            "INSERT OR IGNORE INTO bookmarks (id, added_at, note, snapshot) VALUES (?, ?, ?, ?)", record)
        added += cursor.rowcount > 0
    return added


def _rebuild_lost_bookmarks(target: sqlite3.Connection) -> int:
    """Bookmarks for the tags whose bookmark row was lost: the tag says the
    paper was bookmarked.  Their snapshot is the paper id alone (the
    reader refreshes it from the library); returns how many."""
    from tui_reader.core.state.base import dumps, now_iso
    from tui_reader.core.state.snapshot import Snapshot

    orphans = [row[0] for row in target.execute(
        "SELECT DISTINCT id FROM bookmark_tags WHERE id NOT IN (SELECT id FROM bookmarks)")]
    for paper_id in orphans:
        target.execute("INSERT OR IGNORE INTO bookmarks (id, added_at, note, snapshot) VALUES (?, ?, '', ?)",
                       (paper_id, now_iso(), dumps(Snapshot.minimal(paper_id).to_dict())))
    return len(orphans)


def _readable_rows(source: sqlite3.Connection, table: str, names: str) -> tuple[list[tuple], bool]:
    """The rows of ``table`` that can be read: forwards until a damaged
    page, then backwards from the end to it (so one bad page loses only
    its own rows).  Returns (rows, whether every row was read)."""
    try:
        keys = [r[1] for r in sorted(
            (r for r in source.execute(f'PRAGMA table_info("{table}")') if r[5]), key=lambda r: r[5])]
    except sqlite3.Error:
        keys = []
    order = ", ".join(f'"{k}"' for k in keys) if keys else "rowid"
    rows: list[tuple] = []
    try:
        for row in source.execute(f'SELECT {names} FROM "{table}" ORDER BY {order}'):
            rows.append(row)
        return rows, True
    except sqlite3.Error:
        pass
    seen = set(rows)
    descending = ", ".join(f'"{k}" DESC' for k in keys) if keys else "rowid DESC"
    try:
        for row in source.execute(f'SELECT {names} FROM "{table}" ORDER BY {descending}'):
            if row in seen:
                break
            rows.append(row)
    except sqlite3.Error:
        pass
    return rows, False


def move_aside(path: Path, label: str) -> Path:
    """Rename the store (and its -wal/-shm files) to ``NAME.LABEL-TIMESTAMP``;
    never overwrites anything.  Returns the new path of the main file."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    number = 0
    while True:
        suffix = f".{label}-{stamp}" + (f"-{number}" if number else "")
        target = path.with_name(path.name + suffix)
        companions = [path.with_name(path.name + s) for s in ("-wal", "-shm")]
        if not target.exists() and not any(c.with_name(c.name + suffix).exists() for c in companions):
            break
        number += 1
    _rename_no_clobber(path, target)
    for companion in companions:
        if companion.exists():
            with contextlib.suppress(OSError):
                _rename_no_clobber(companion, companion.with_name(companion.name + suffix))
    return target


def _rename_no_clobber(source: Path, target: Path) -> None:
    try:
        os.link(source, target)  # fails if target exists
    except OSError:
        if target.exists():
            raise
        os.rename(source, target)  # no hard links here
        return
    os.unlink(source)
