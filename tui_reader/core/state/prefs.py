"""Preferences and the last session (tables ``prefs`` and ``session``):
best-effort writers that keep the value for this process when it cannot
be saved."""

from __future__ import annotations

import json
from typing import Any

from tui_reader.core.state.base import StateError, StoreBase, now_iso


class PrefsMixin(StoreBase):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._memory_prefs: dict[str, Any] = {}  # kept when they cannot be saved
        self._memory_session: dict[str, Any] | None = None

    def get_pref(self, key: str, default: Any = None) -> Any:
        with self._lock:
            if key in self._memory_prefs:
                return self._memory_prefs[key]
            row = self._conn.execute("SELECT value FROM prefs WHERE key = ?", (key,)).fetchone()
        if row is None:
            return default
        try:
            return json.loads(row[0])
        except (ValueError, TypeError, RecursionError):
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
        except (ValueError, TypeError, RecursionError):
            return {}
        return value if isinstance(value, dict) else {}
