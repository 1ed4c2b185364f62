"""The state store: bookmarks, read marks, discovery rules, triage
decisions, preferences and the last session in one SQLite file (see the
package docstring for the API).

This module puts the table groups together and opens the file; the parts:
``connection.py`` (opening, checks, salvage), ``migrations.py`` (schema),
``base.py`` (transactions, caches), ``undo.py``, and one module per table
group (``bookmarks.py``, ``read_marks.py``, ``discovery.py``, ``queue.py``,
``decisions.py``, ``prefs.py``)."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from tui_reader.core.fsutil import FileLock, dir_writable
from tui_reader.core.state import changelog, migrations
from tui_reader.core.state.base import ReadOnlyError, StateError, now_iso
from tui_reader.core.state.bookmarks import BookmarksMixin
from tui_reader.core.state.connection import (
    STORE_NAME,
    Damaged,
    NotOurs,
    TooNew,
    connect,
    default_path,
    is_corruption,
    move_aside,
    open_for_salvage,
    prepare,
    read_for_salvage,
    read_into_memory,
    salvage,
)
from tui_reader.core.state.decisions import DecisionsMixin
from tui_reader.core.state.discovery import DiscoveryMixin
from tui_reader.core.state.migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from tui_reader.core.state.prefs import PrefsMixin
from tui_reader.core.state.queue import QueueMixin
from tui_reader.core.state.read_marks import ReadMarksMixin
from tui_reader.core.state.undo import UNDO_LEVELS

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "STORE_NAME",
    "UNDO_LEVELS",
    "ReadOnlyError",
    "StateError",
    "StateStore",
    "default_path",
    "now_iso",
]

# Kept for callers (and tests) that reach these through this module.
_move_aside = move_aside
_dir_writable = dir_writable


class StateStore(BookmarksMixin, ReadMarksMixin, DiscoveryMixin, QueueMixin, PrefsMixin, DecisionsMixin):
    """Bookmarks, read marks, discovery rules, preferences and the last
    session.  Thread-safe; safe with several processes on one file.  See
    the package docstring."""

    @classmethod
    def open(cls, path: Path | None = None, *, read_only: bool = False) -> StateStore:
        """Open (creating or upgrading) the store; never raises for a bad file
        or an unwritable dir: see ``read_only`` and ``notices``.  With
        ``read_only``, the store is read into memory and never written."""
        path = Path(path) if path is not None else default_path()
        notices: list[str] = []
        if read_only:
            return cls._open_read_only(path, notices)
        if not _dir_writable(path.parent):
            notices.append(f"data dir {path.parent} is not writable: running read-only, changes will not be saved")
            return cls._open_read_only(path, notices)
        if path.exists() and not os.access(path, os.W_OK):
            notices.append(f"state store {path} is not writable: running read-only, changes will not be saved")
            return cls._open_read_only(path, notices)
        with FileLock(path.with_name(path.name + ".lock")):  # checks, migration, moving aside: one process at a time
            for attempt in range(2):
                conn = None
                try:
                    conn = connect(str(path))
                    prepare(conn, writable=True)
                    conn.execute("PRAGMA journal_mode = WAL")
                    conn.execute("PRAGMA synchronous = FULL")
                    _log_changes(conn, notices)
                    return cls(conn, path, False, notices)
                except TooNew as error:
                    conn.close()
                    notices.append(
                        f"state store {path} was written by a newer tui-reader (schema {error.args[0]}, "
                        f"this one knows {migrations.SCHEMA_VERSION}): running read-only"
                    )
                    return cls._open_read_only(path, notices)
                except (NotOurs, Damaged, sqlite3.DatabaseError) as error:
                    if conn is not None:
                        conn.close()
                    foreign = isinstance(error, NotOurs)
                    damaged = isinstance(error, Damaged) or (
                        isinstance(error, sqlite3.DatabaseError) and is_corruption(error))
                    if not (foreign or damaged) or attempt:
                        notices.append(f"cannot open state store {path}: {error}; running read-only")
                        return cls._open_read_only(path, notices)
                    rescue = open_for_salvage(path) if damaged else None
                    raw = read_for_salvage(path) if damaged else None
                    try:
                        moved = move_aside(path, "corrupt" if damaged else "foreign")
                    except OSError as move_error:
                        if rescue is not None:
                            rescue.close()
                        notices.append(f"state store {path} is unreadable ({error}) and could not be moved aside "
                                       f"({move_error.strerror}): running read-only")
                        return cls._open_read_only(path, notices, use_file=False)
                    if foreign:
                        notices.append(f"state store was not a tui-reader state store: moved aside to {moved}; "
                                       "starting a new one")
                        continue
                    store = cls._fresh_with(path, notices)
                    if store is None:
                        if rescue is not None:
                            rescue.close()
                        continue
                    changelog.before_salvage(store._conn)
                    saved = salvage(rescue, store._conn, raw)
                    _log_changes(store._conn, notices)  # the rows recovered, logged with their own times
                    if saved.total:
                        notices.append(f"state store was damaged ({error}): moved aside to {moved}; recovered "
                                       f"{saved.describe()} into a new one"
                                       + (f" ({saved.lost} could not be read)" if saved.lost else ""))
                    else:
                        notices.append(f"state store was corrupt: moved aside to {moved}; starting a new one")
                    return store
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def _fresh_with(cls, path: Path, notices: list[str]) -> StateStore | None:
        """A new, empty store at ``path`` (after the damaged one moved aside)."""
        conn = None
        try:
            conn = connect(str(path))
            prepare(conn, writable=True)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            _log_changes(conn, notices)
        except (NotOurs, Damaged, TooNew, StateError, sqlite3.Error):
            if conn is not None:
                conn.close()
            return None
        return cls(conn, path, False, notices)

    @classmethod
    def _open_read_only(cls, path: Path, notices: list[str], use_file: bool = True) -> StateStore:
        """Read what can be read, in memory: no file beside the store is
        created or changed (no -wal/-shm), an older schema is upgraded in
        the copy only, a newer one is read as far as this version knows it."""
        if use_file and path.is_file():
            try:
                conn = read_into_memory(path)
            except (sqlite3.Error, OSError):
                conn = None
            if conn is not None:
                try:
                    prepare(conn, writable=True)
                    return cls(conn, path, True, notices)
                except TooNew:
                    return cls(conn, path, True, notices)  # our tables are there (inspect checked)
                except (NotOurs, Damaged, StateError, sqlite3.Error):
                    conn.close()
            notices.append(f"state store {path} cannot be read: showing no saved state")
        conn = connect(":memory:")
        prepare(conn, writable=True)
        return cls(conn, path, True, notices)


def _log_changes(conn: sqlite3.Connection, notices: list[str]) -> None:
    """The change log's tables and triggers (``changelog.py``); a store
    that cannot have them still opens, without sync."""
    try:
        changelog.ensure(conn)
    except sqlite3.Error as error:
        if is_corruption(error):
            raise
        notices.append(f"the change log for sync could not be set up ({error}): changes are not logged for sync")
