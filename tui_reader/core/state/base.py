"""What every table group of the state store shares: the connection, the
write transaction (with undo and caches) and the errors.  Table groups
(``bookmarks.py``, ``read_marks.py``, ``discovery.py``, ``prefs.py``) are
mixins on :class:`StoreBase`; ``store.py`` puts them together."""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tui_reader.core.state.undo import Step, UndoLog


class StateError(Exception):
    """A change could not be saved; ``str(error)`` is a message for the user."""


class ReadOnlyError(StateError):
    """The store is read-only (unwritable data dir, or a newer schema)."""


def now_iso() -> str:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


class StoreBase:
    """The connection and its transactions.  Table groups use:

    * ``with self._write() as conn:`` one write transaction (raises
      :class:`ReadOnlyError`/:class:`StateError`);
    * ``self._push(Step(undo, message))`` inside it: how to undo the change;
    * ``self._cached(name, load)`` a value cached until anything commits
      (here or in another process), ``self._patch_cache(name, fn)`` inside
      a transaction to update that value instead of reloading it.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path | None, read_only: bool, notices: list[str]) -> None:
        self._conn = conn
        self.path = path
        self.read_only = read_only
        self.notices = notices
        self._lock = threading.RLock()
        self._undo = UndoLog()
        self._caches: dict[str, Any] = {}
        self._patches: list[tuple[str, Callable[[Any], Any]]] = []  # of the open transaction
        self._data_version = -1

    # -- closing

    def close(self) -> None:
        with self._lock:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()

    def __enter__(self):
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
            before = dict(self._caches)
            try:
                self._conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise StateError(f"could not save the change: {error}") from error
            self._undo.begin()
            self._patches = []
            patches: list[tuple[str, Callable[[Any], Any]]] = []
            try:
                yield self._conn
                self._conn.execute("COMMIT")
            except BaseException as error:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")
                self._undo.abort()
                if isinstance(error, sqlite3.Error):
                    raise StateError(f"could not save the change: {error}") from error
                raise
            else:
                self._undo.commit()
                patches = self._patches
            finally:
                self._patches = []
                self._forget()
            if patches:
                # Keep a cached set (25,000 read ids) instead of reloading it
                # after each change, unless another process committed meanwhile.
                with contextlib.suppress(sqlite3.Error):
                    if self._conn.execute("PRAGMA data_version").fetchone()[0] == self._data_version:
                        for name, patch in patches:
                            if name in before:
                                before[name] = self._caches[name] = patch(before[name])

    def _forget(self) -> None:
        self._caches.clear()

    def _fresh(self) -> None:
        """Drop caches when another connection has committed since."""
        version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            self._data_version = version
            self._forget()

    def _cached(self, name: str, load: Callable[[], Any]) -> Any:
        with self._lock:
            self._fresh()
            if name not in self._caches:
                self._caches[name] = load()
            return self._caches[name]

    def _patch_cache(self, name: str, patch: Callable[[Any], Any]) -> None:
        """Inside ``_write``: after the commit, cache ``patch(old value)``
        instead of dropping ``name``.  Patches apply in order."""
        self._patches.append((name, patch))

    def _push(self, step: Step) -> None:
        """Record how to undo a change of the open transaction (kept only if
        it commits)."""
        self._undo.push(step)

    # -- undo

    def can_undo(self) -> bool:
        return bool(self._undo)

    def undo(self) -> str | None:
        """Undo this session's last change; returns what undoing did (e.g.
        ``"bookmark removed from 2601.12345"``) or None when nothing is left."""
        with self._lock:
            step = self._undo.last()
            if step is None:
                return None
            with self._write() as conn:
                step.undo(conn)
            self._undo.pop()
            return step.message
