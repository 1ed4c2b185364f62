"""Isolated homes for the sync tests: each a folder with its own state store
(so its own device id and change log), and a local bare git remote."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tui_reader.core.discovery.rules import INTEREST, MUTE
from tui_reader.core.state import StateStore


def bare_remote(folder: Path) -> str:
    path = folder / "remote.git"
    subprocess.run(["git", "init", "--quiet", "--bare", str(path)], check=True)
    return str(path)


class Home:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.store = StateStore.open(folder / "state.sqlite3")

    def sync(self, remote: str):
        from tui_reader.core.sync import sync

        report = sync(self.store, remote)
        assert report.status == "done", report.message
        return report

    def close(self) -> None:
        self.store.close()


def canonical(store: StateStore) -> dict:
    """What two stores must agree on after a sync (orders of Later, rules and
    saved searches aside: each device keeps its own)."""
    state = {
        "bookmarks": {b.id: (b.added_at, b.note, tuple(b.tags)) for b in store.bookmarks()},
        "read": sorted(store.read_ids()),
        "later": sorted(store.queue_ids()),
        "rules": sorted((r.kind, r.field, r.value.lower()) for kind in (INTEREST, MUTE) for r in store.rules(kind)),
        "searches": sorted((s.name.lower(), s.query) for s in store.saved_searches()),
    }
    if hasattr(store, "decisions"):
        # The same decision recorded twice (same paper, kind, tag and time) is one decision elsewhere.
        state["decisions"] = sorted({(d.id, d.kind, d.tag, d.at, d.source) for d in store.decisions()})
    return state
