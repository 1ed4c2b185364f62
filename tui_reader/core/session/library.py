"""The library session: the library and its view, loaded in two steps for
a big changed one (the newest day first, ``partial``), read again when a
followed fork brings new days (``reloading``); the search index, its
build and what its status line says.

Thread-safety: ``index_opening`` and ``newest_indexed`` are shared with the
load and index workers; everything else is touched on the event loop."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_reader.core.index import SearchIndex
    from tui_reader.core.loader import Library
    from tui_reader.core.views import LibraryView


@dataclass
class IndexPhase:
    name: str  # "indexing", "newest day", or a phase the update names ("writing the index files")
    done: int
    total: int
    since: float  # when the phase began (the clock the caller passes)


@dataclass
class LibrarySession:
    library: Library | None = None
    view: LibraryView | None = None
    partial: bool = False  # showing the newest day's files while the rest loads
    reloading: bool = False  # read again for a fork's new days, the reader staying where it is
    fork_days: list[str] = field(default_factory=list)
    index: SearchIndex | None = None
    building_index: SearchIndex | None = None  # the index whose update() is running
    index_ready: bool = False
    phase: IndexPhase | None = None  # what the index status shows while it builds
    index_opening: threading.Lock = field(default_factory=threading.Lock)
    newest_indexed: threading.Event = field(default_factory=threading.Event)

    @property
    def loaded(self) -> bool:
        return self.library is not None and not self.partial

    def take(self, library: Library, view: LibraryView, partial: bool = False) -> None:
        self.library, self.view, self.partial = library, view, partial

    def summary(self) -> str:
        library = self.library
        if library is None:
            return ""
        if self.partial:
            days = self.view.days if self.view is not None else []
            return f"{len(library.papers)} papers of {days[0] if days else 'the newest day'}"
        return f"{len(library.papers)} papers in {len(library.files)} files"

    def indexes(self) -> list[SearchIndex]:
        """The indexes to stop when the reader quits (each once)."""
        return list({id(i): i for i in (self.building_index, self.index) if i is not None}.values())

    # --- the index's progress ---------------------------------------------------------

    def index_progress(self, done: int, total: int, phase: str | None, now: float) -> None:
        current = self.phase or IndexPhase("indexing", 0, 0, now)
        if phase is not None:
            current = IndexPhase(phase, current.done, current.total, now)
        else:
            if done == 0:  # an update begins (the whole library after its newest day)
                current = IndexPhase("indexing", done, total, now)
            current.done, current.total = done, total
        self.phase = current

    def index_text(self, now: float) -> str | None:
        """The phase, its counts where it has some, and the seconds it has
        taken so far, so that no phase (a long final flush of the index
        files) shows a figure that stands still."""
        phase = self.phase
        if phase is None:
            return None
        seconds = f"{int(now - phase.since)} s"
        if phase.name == "indexing" and phase.total:
            return f"indexing {phase.done:,}/{phase.total:,} papers · {seconds}"
        if phase.name == "newest day":
            return f"indexing the newest day · {seconds}"
        return f"indexing: {phase.name} · {seconds}"

    def index_opened(self, index: SearchIndex) -> bool:
        """The index is open (True: for the first time)."""
        first = self.index is None
        self.index = index
        return first
