"""The reading queue ("later"): papers put aside to read properly, in the
order they were put there.  Kept in the state store's preferences (one
JSON list of ids), so it survives restarts; no Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_reader.core.state.snapshot import paper_key

if TYPE_CHECKING:
    from tui_reader.core.state import StateStore

PREF = "reading_queue"


class ReadingQueue:
    def __init__(self, store: StateStore | None) -> None:
        self.store = store
        loaded = store.get_pref(PREF, []) if store is not None else []
        self._ids: list[str] = [i for i in loaded if isinstance(i, str)] if isinstance(loaded, list) else []

    def ids(self) -> list[str]:
        return list(self._ids)

    def __contains__(self, paper_id: object) -> bool:
        return isinstance(paper_id, str) and paper_key(paper_id) in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, paper_id: str) -> bool:
        key = paper_key(paper_id)
        if key in self._ids:
            return False
        self._ids.append(key)
        self._save()
        return True

    def remove(self, paper_id: str) -> bool:
        key = paper_key(paper_id)
        if key not in self._ids:
            return False
        self._ids.remove(key)
        self._save()
        return True

    def _save(self) -> None:
        if self.store is not None and not self.store.read_only:
            self.store.set_pref(PREF, self._ids)
