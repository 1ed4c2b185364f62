"""The state store: bookmarks, read marks, preferences and the last session
in one SQLite file (see the package docstring for the API)."""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import sqlite3
import tempfile
import threading
import urllib.parse
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui_reader.core import paths as app_paths
from tui_reader.core.discovery.rules import Rule, SavedSearch, normalize_value
from tui_reader.core.model import Paper
from tui_reader.core.state.snapshot import Bookmark, Snapshot, normalize_tag, normalize_tags, paper_key
from tui_reader.core.text import clean, one_line

try:  # POSIX only; elsewhere opening is simply not serialized between processes
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

STORE_NAME = "state.sqlite3"
APPLICATION_ID = 0x54524452  # "TRDR": marks the file as ours (PRAGMA application_id)
SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 10_000
UNDO_LEVELS = 100

# SQLite primary result codes that mean "this file is not a sound database".
_SQLITE_CORRUPT = 11
_SQLITE_NOTADB = 26


class StateError(Exception):
    """A change could not be saved; ``str(error)`` is a message for the user."""


class ReadOnlyError(StateError):
    """The store is read-only (unwritable data dir, or a newer schema)."""


class _NotOurs(Exception):
    """The file at the store's path is not a sound tui-reader store."""


class _TooNew(Exception):
    pass


# --- schema and migrations ---------------------------------------------------------


def _migrate_to_1(conn: sqlite3.Connection) -> None:
    _run_script(
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
    _run_script(
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


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it would COMMIT the migration's open transaction.
    for statement in script.split(";"):
        if statement.strip():
            conn.execute(statement)


# version -> function that brings a store from version-1 to version.  Each runs
# inside the one transaction that also sets user_version, so a store is either
# fully migrated or untouched.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_to_1, 2: _migrate_to_2}


def _is_corruption(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    message = str(error).lower()
    return "not a database" in message or "malformed" in message


def now_iso() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def default_path() -> Path:
    return app_paths.data_dir() / STORE_NAME


# --- opening -------------------------------------------------------------------------


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(
        target, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False, uri=uri
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _prepare(conn: sqlite3.Connection, writable: bool) -> None:
    """Check that the file is ours and sound, and migrate it (in one
    transaction) when it is older.  Raises _NotOurs, _TooNew or sqlite3.Error."""
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    fresh = app_id == 0 and version == 0 and not tables
    if not fresh and app_id != APPLICATION_ID:
        raise _NotOurs("not a tui-reader state store")
    if version > SCHEMA_VERSION:
        raise _TooNew(version)
    if not fresh:
        problems = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise _NotOurs("damaged: " + "; ".join(problems[:3]))
    if version == SCHEMA_VERSION:
        return
    if not writable:
        raise ReadOnlyError("the state store needs an upgrade but is read-only")
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have done it
        for step in range(version + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[step](conn)
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _dir_writable(directory: Path) -> bool:
    """Create the directory if needed and prove it takes a new file."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=directory, prefix=".probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError:
        return False
    return True


@contextlib.contextmanager
def _open_lock(path: Path) -> Iterator[None]:
    """Serialize opening (checks, migration, moving aside) between processes."""
    if fcntl is None:
        yield
        return
    try:
        handle = open(path.with_name(path.name + ".lock"), "a+b")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def _move_aside(path: Path, label: str) -> Path:
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


# --- undo --------------------------------------------------------------------------------


@dataclass(slots=True)
class _Step:
    """How to undo one change: a function run in a write transaction and
    the message saying what undoing did."""

    undo: Callable[[sqlite3.Connection], None]
    message: str


@dataclass(slots=True)
class _BookmarkRow:
    id: str
    added_at: str
    note: str
    snapshot: str
    tags: list[str] = field(default_factory=list)


# --- the store -----------------------------------------------------------------------------


class StateStore:
    """Bookmarks, read marks, preferences and the last session.  Thread-safe;
    safe with several processes on one file.  See the package docstring."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, read_only: bool, notices: list[str]) -> None:
        self._conn = conn
        self.path = path
        self.read_only = read_only
        self.notices = notices
        self._lock = threading.RLock()
        self._undo: list[_Step] = []
        self._pending: list[_Step] = []  # steps of the open transaction
        self._read_patch: tuple[set[str], set[str]] | None = None  # (added, removed) by it
        self._data_version = -1
        self._bookmarked: frozenset[str] | None = None
        self._read: frozenset[str] | None = None
        self._tags: dict[str, int] | None = None
        self._memory_prefs: dict[str, Any] = {}  # kept when they cannot be saved
        self._memory_session: dict[str, Any] | None = None

    # -- opening and closing

    @classmethod
    def open(cls, path: Path | None = None) -> StateStore:
        """Open (creating or upgrading) the store; never raises for a bad file
        or an unwritable dir: see ``read_only`` and ``notices``."""
        path = Path(path) if path is not None else default_path()
        notices: list[str] = []
        if not _dir_writable(path.parent):
            notices.append(f"data dir {path.parent} is not writable: running read-only, changes will not be saved")
            return cls._open_read_only(path, notices)
        if path.exists() and not os.access(path, os.W_OK):
            notices.append(f"state store {path} is not writable: running read-only, changes will not be saved")
            return cls._open_read_only(path, notices)
        with _open_lock(path):
            for attempt in range(2):
                conn = None
                try:
                    conn = _connect(str(path))
                    _prepare(conn, writable=True)
                    conn.execute("PRAGMA journal_mode = WAL")
                    conn.execute("PRAGMA synchronous = FULL")
                    return cls(conn, path, False, notices)
                except _TooNew as error:
                    conn.close()
                    notices.append(
                        f"state store {path} was written by a newer tui-reader (schema {error.args[0]}, "
                        f"this one knows {SCHEMA_VERSION}): running read-only"
                    )
                    return cls._open_read_only(path, notices)
                except (_NotOurs, sqlite3.DatabaseError) as error:
                    if conn is not None:
                        conn.close()
                    corrupt = isinstance(error, _NotOurs) or _is_corruption(error)
                    if not corrupt or attempt:
                        notices.append(f"cannot open state store {path}: {error}; running read-only")
                        return cls._open_read_only(path, notices)
                    label = "corrupt" if not isinstance(error, _NotOurs) or "damaged" in str(error) else "foreign"
                    try:
                        moved = _move_aside(path, label)
                    except OSError as move_error:
                        notices.append(f"state store {path} is unreadable ({error}) and could not be moved aside "
                                       f"({move_error.strerror}): running read-only")
                        return cls._open_read_only(path, notices, use_file=False)
                    what = "corrupt" if label == "corrupt" else "not a tui-reader state store"
                    notices.append(f"state store was {what}: moved aside to {moved}; starting a new one")
        raise AssertionError("unreachable")  # pragma: no cover

    @classmethod
    def _open_read_only(cls, path: Path, notices: list[str], use_file: bool = True) -> StateStore:
        if use_file and path.is_file():
            quoted = urllib.parse.quote(str(path.resolve()))
            for options in ("mode=ro", "immutable=1"):
                conn = None
                try:
                    conn = _connect(f"file:{quoted}?{options}", uri=True)
                    _prepare(conn, writable=False)
                    return cls(conn, path, True, notices)
                except ReadOnlyError:
                    # An older schema that cannot be upgraded in place: upgrade
                    # a copy in memory, so the saved state still shows; the
                    # file itself is left as it is.
                    memory = _connect(":memory:")
                    try:
                        conn.backup(memory)
                        _prepare(memory, writable=True)
                    except (_NotOurs, StateError, sqlite3.Error):
                        memory.close()
                        conn.close()
                        continue
                    conn.close()
                    return cls(memory, path, True, notices)
                except (_NotOurs, _TooNew, StateError, sqlite3.Error):
                    if conn is not None:
                        conn.close()
            notices.append(f"state store {path} cannot be read: showing no saved state")
        conn = _connect(":memory:")
        _prepare(conn, writable=True)
        return cls(conn, path, True, notices)

    def close(self) -> None:
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and caches

    @contextlib.contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (BEGIN IMMEDIATE: takes the write lock first,
        waiting up to the busy timeout for another process)."""
        if self.read_only:
            raise ReadOnlyError("read-only: the change was not saved")
        with self._lock:
            cached_read = self._read
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise StateError(f"could not save the change: {error}") from error
            self._pending = []
            self._read_patch = None
            patch = None
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as error:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                if isinstance(error, sqlite3.Error):
                    raise StateError(f"could not save the change: {error}") from error
                raise
            else:
                for step in self._pending:
                    self._undo.append(step)
                del self._undo[:-UNDO_LEVELS]
                patch = self._read_patch
            finally:
                self._pending = []
                self._read_patch = None
                self._forget()
            if patch is not None and cached_read is not None:
                # Keep the read set instead of reloading 25,000 ids after each
                # mark, unless another process has committed meanwhile.
                with contextlib.suppress(sqlite3.Error):
                    if self._conn.execute("PRAGMA data_version").fetchone()[0] == self._data_version:
                        self._read = (cached_read - patch[1]) | patch[0]

    def _forget(self) -> None:
        self._bookmarked = self._read = self._tags = None

    def _fresh(self) -> None:
        """Drop caches when another connection has committed since."""
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._data_version = version
            self._forget()

    def _push(self, step: _Step) -> None:
        """Record how to undo a change of the open transaction (kept only if
        it commits)."""
        self._pending.append(step)

    # -- bookmarks: reading

    def bookmarked_ids(self) -> frozenset[str]:
        with self._lock:
            self._fresh()
            if self._bookmarked is None:
                self._bookmarked = frozenset(r[0] for r in self._conn.execute("SELECT id FROM bookmarks"))
            return self._bookmarked

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
            except ValueError:
                data = {}
            snap = Snapshot.from_dict(data, paper_id)
            if not snap.abs_url and not snap.title:
                snap = Snapshot.minimal(paper_id)
            result.append(Bookmark(paper_id, added_at, tags.get(paper_id, []), clean(note), snap))
        return result

    def tags(self) -> dict[str, int]:
        """Every tag in use and how many bookmarks carry it, by name."""
        with self._lock:
            self._fresh()
            if self._tags is None:
                self._tags = dict(self._conn.execute(
                    "SELECT tag, count(*) FROM bookmark_tags GROUP BY tag ORDER BY tag"))
            return dict(self._tags)

    def tagged_ids(self, tag: str) -> frozenset[str]:
        with self._lock:
            return frozenset(r[0] for r in self._conn.execute(
                "SELECT id FROM bookmark_tags WHERE tag = ?", (normalize_tag(tag),)))

    # -- bookmarks: changing

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
            (snapshot.id, now_iso(), _dumps(snapshot.to_dict())),
        )
        key = snapshot.id
        self._push(_Step(lambda c: _delete_bookmark(c, key), f"bookmark removed from {key}"))

    def _remove(self, conn: sqlite3.Connection, key: str) -> None:
        row = _read_row(conn, key)
        _delete_bookmark(conn, key)
        self._push(_Step(lambda c: _restore_row(c, row), f"bookmark restored on {key}"))

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
                self._push(_Step(lambda c: _write_tags(c, key, old), f"tags of {key} set back to "
                                 + (", ".join(old) if old else "none")))
            else:
                self._pending[-1].message = f"bookmark and tags removed from {key}"
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
                self._push(_Step(lambda c: c.execute("UPDATE bookmarks SET note = ? WHERE id = ?", (old, key)),
                                 f"note of {key} restored"))
            else:
                self._pending[-1].message = f"bookmark and note removed from {key}"

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
                    old = Snapshot.from_dict(json.loads(row[0]), key)
                except ValueError:
                    old = Snapshot.minimal(key)
                new = Snapshot.from_paper(paper)
                new.dates = sorted(set(old.dates) | set(new.dates))
                new.tldr = {**old.tldr, **new.tldr}
                if new != old:
                    conn.execute("UPDATE bookmarks SET snapshot = ? WHERE id = ?", (_dumps(new.to_dict()), key))
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
        before: list[_BookmarkRow] = []
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
                        (key, item.added_at or now_iso(), note, _dumps(snapshot.to_dict())),
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

                self._push(_Step(undo, f"import undone: {len(added)} bookmarks removed"
                                       + (f", {len(before)} restored" if before else "")))
        return outcomes

    # -- reading state

    def read_ids(self) -> frozenset[str]:
        with self._lock:
            self._fresh()
            if self._read is None:
                self._read = frozenset(r[0] for r in self._conn.execute("SELECT id FROM read_marks"))
            return self._read

    def unread_ids(self, ids: Iterable[str]) -> set[str]:
        """Those of ``ids`` that are not marked read (for ``is:unread``)."""
        read = self.read_ids()
        return {i for i in ids if i not in read and ("v" not in i or paper_key(i) not in read)}

    def is_read(self, paper_id: str) -> bool:
        return paper_key(paper_id) in self.read_ids()

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
                self._read_patch = (set(changed), set())
                if undoable:
                    self._push(_Step(
                        lambda c: c.executemany("DELETE FROM read_marks WHERE id = ?", ((k,) for k in changed)),
                        f"{changed[0]} marked unread again" if len(changed) == 1
                        else f"{len(changed)} papers marked unread again"))
            else:
                removed = [(k, current[k]) for k in keys if k in current]
                if not removed:
                    return 0
                conn.executemany("DELETE FROM read_marks WHERE id = ?", ((k,) for k, _ in removed))
                self._read_patch = (set(), {k for k, _ in removed})
                self._push(_Step(
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
                self._read_patch = ({key}, set())
                self._push(_Step(lambda c: c.execute("DELETE FROM read_marks WHERE id = ?", (key,)),
                                 f"{key} marked unread again"))
                return True
            conn.execute("DELETE FROM read_marks WHERE id = ?", (key,))
            self._read_patch = (set(), {key})
            read_at = row[0]
            self._push(_Step(
                lambda c: c.execute("INSERT OR IGNORE INTO read_marks (id, read_at) VALUES (?, ?)", (key, read_at)),
                f"{key} marked read again"))
            return False

    # -- undo

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str | None:
        """Undo this session's last change; returns what undoing did (e.g.
        ``"bookmark removed from 2601.12345"``) or None when nothing is left."""
        with self._lock:
            if not self._undo:
                return None
            step = self._undo[-1]
            with self._write() as conn:
                step.undo(conn)
            self._undo.pop()
            return step.message

    # -- discovery: interests, mute rules, saved searches (undoable like bookmarks)

    def rules(self, kind: str) -> list[Rule]:
        """The interests (``"interest"``) or mute rules (``"mute"``), oldest first."""
        with self._lock:
            rows = self._conn.execute(
                "SELECT field, value, added_at FROM discovery_rules WHERE kind = ? ORDER BY added_at, field, value",
                (kind,)).fetchall()
        return [Rule(kind, f, v, a) for f, v, a in rows]

    def add_rule(self, rule: Rule) -> bool:
        """False when an equal rule (case aside) is already there."""
        value = normalize_value(rule.value)
        if not value:
            raise StateError("an empty rule was not saved")
        with self._write() as conn:
            cursor = conn.execute(
                "INSERT OR IGNORE INTO discovery_rules (kind, field, value, added_at) VALUES (?, ?, ?, ?)",
                (rule.kind, rule.field, value, now_iso()))
            if not cursor.rowcount:
                return False
            self._push(_Step(
                lambda c: c.execute("DELETE FROM discovery_rules WHERE kind = ? AND field = ? AND value = ?",
                                    (rule.kind, rule.field, value)),
                f"{rule.kind} {Rule(rule.kind, rule.field, value).label} removed"))
        return True

    def remove_rule(self, rule: Rule) -> bool:
        with self._write() as conn:
            row = conn.execute(
                "SELECT value, added_at FROM discovery_rules WHERE kind = ? AND field = ? AND value = ?",
                (rule.kind, rule.field, rule.value)).fetchone()
            if row is None:
                return False
            conn.execute("DELETE FROM discovery_rules WHERE kind = ? AND field = ? AND value = ?",
                         (rule.kind, rule.field, rule.value))
            self._push(_Step(
                lambda c: c.execute(
                    "INSERT OR IGNORE INTO discovery_rules (kind, field, value, added_at) VALUES (?, ?, ?, ?)",
                    (rule.kind, rule.field, row[0], row[1])),
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
                self._push(_Step(lambda c: c.execute("DELETE FROM saved_searches WHERE name = ?", (name,)),
                                 f"saved search {name} removed"))
            else:
                conn.execute("UPDATE saved_searches SET query = ?, saved_at = ? WHERE name = ?",
                             (query, now_iso(), name))
                self._push(_Step(lambda c: c.execute(
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
            self._push(_Step(lambda c: c.execute(
                "INSERT OR IGNORE INTO saved_searches (name, query, position, saved_at) VALUES (?, ?, ?, ?)", old),
                f"saved search {old[0]} restored"))
        return True

    # -- preferences and session

    def get_pref(self, key: str, default: Any = None) -> Any:
        with self._lock:
            if key in self._memory_prefs:
                return self._memory_prefs[key]
            row = self._conn.execute("SELECT value FROM prefs WHERE key = ?", (key,)).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except ValueError:
            return default

    def set_pref(self, key: str, value: Any) -> bool:
        """Save a JSON-able preference; best effort: when it cannot be saved
        it is kept for this process and False is returned (never raises)."""
        text = json.dumps(value, ensure_ascii=False)
        try:
            with self._write() as conn:
                conn.execute("INSERT OR REPLACE INTO prefs (key, value) VALUES (?, ?)", (key, text))
        except StateError:
            self._memory_prefs[key] = json.loads(text)
            return False
        self._memory_prefs.pop(key, None)
        return True

    def save_session(self, session: dict[str, Any]) -> bool:
        """Save where the user is (library, tree node, highlighted paper,
        search, summary language...); best effort like :meth:`set_pref`."""
        text = json.dumps(session, ensure_ascii=False, default=str)
        try:
            with self._write() as conn:
                conn.execute("INSERT OR REPLACE INTO session (slot, value, saved_at) VALUES ('last', ?, ?)",
                             (text, now_iso()))
        except StateError:
            self._memory_session = json.loads(text)
            return False
        self._memory_session = None
        return True

    def load_session(self) -> dict[str, Any]:
        """The last saved session, or ``{}``."""
        with self._lock:
            if self._memory_session is not None:
                return dict(self._memory_session)
            row = self._conn.execute("SELECT value FROM session WHERE slot = 'last'").fetchone()
        if row is None:
            return {}
        try:
            value = json.loads(row[0])
        except ValueError:
            return {}
        return value if isinstance(value, dict) else {}


# --- helpers on a connection inside a transaction -----------------------------------------


def _dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _snapshot_of(paper: Paper | Snapshot) -> Snapshot:
    # A cleaned copy either way: whatever built the Paper, no control characters get stored.
    snapshot = paper if isinstance(paper, Snapshot) else Snapshot.from_paper(paper)
    return Snapshot.from_dict(snapshot.to_dict())


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


def _exists(conn: sqlite3.Connection, key: str) -> bool:
    return conn.execute("SELECT 1 FROM bookmarks WHERE id = ?", (key,)).fetchone() is not None


def _read_row(conn: sqlite3.Connection, key: str) -> _BookmarkRow:
    added_at, note, snapshot = conn.execute(
        "SELECT added_at, note, snapshot FROM bookmarks WHERE id = ?", (key,)).fetchone()
    tags = [r[0] for r in conn.execute("SELECT tag FROM bookmark_tags WHERE id = ? ORDER BY tag", (key,))]
    return _BookmarkRow(key, added_at, note, snapshot, tags)


def _restore_row(conn: sqlite3.Connection, row: _BookmarkRow) -> None:
    conn.execute("INSERT OR REPLACE INTO bookmarks (id, added_at, note, snapshot) VALUES (?, ?, ?, ?)",
                 (row.id, row.added_at, row.note, row.snapshot))
    _write_tags(conn, row.id, row.tags)


def _delete_bookmark(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM bookmark_tags WHERE id = ?", (key,))
    conn.execute("DELETE FROM bookmarks WHERE id = ?", (key,))


def _write_tags(conn: sqlite3.Connection, key: str, tags: list[str]) -> None:
    conn.execute("DELETE FROM bookmark_tags WHERE id = ?", (key,))
    if not _exists(conn, key):
        return
    conn.executemany("INSERT OR IGNORE INTO bookmark_tags (id, tag) VALUES (?, ?)", ((key, t) for t in tags))
