"""The search session: the query typed, its scope, its results and the
"did you mean" suggestion, with one search running at a time.

    session = SearchSession()
    run = session.request("diffusion", typing=True)  # a SearchRun to start, or None: queued
    ...                                              # the worker searches run.query
    again = session.finished()                       # the newest query typed meanwhile, to run next
    session.accept(result)                           # the results shown

A newer request raises ``generation``; the search under way checks
``session.stale(run.generation)`` and stops.  A search covers the whole
library unless the reader narrowed it to the node shown (``toggle_scope``,
ctrl+g), and the choice sticks until changed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tui_reader.core.index import SearchResult


@dataclass(frozen=True)
class SearchRun:
    query: str
    typing: bool  # the last word may still grow (as you type); False after Enter
    generation: int
    within: frozenset[str] | None  # the ids the search is narrowed to, None: everything
    correct: bool = True  # False: search the query as typed, no correction (after ctrl+y on one)


@dataclass
class SearchSession:
    query: str = ""
    result: SearchResult | None = None
    pending: str | None = None  # typed before the index opened: runs once it does
    searching: bool = False  # from a request that started until its results are handled
    waiting: tuple[str, bool, bool] | None = None  # the newest (text, typing, correct) asked for meanwhile
    generation: int = 0  # a newer request stops the search under way
    narrowed: bool = False  # ctrl+g: searches cover the node shown, not everything (sticks)
    scope: str | None = None  # the node a narrowed search covers (None: the whole library)
    scope_ids: frozenset[str] | None = None

    @property
    def active(self) -> bool:
        return bool(self.query)

    @property
    def suggestion(self) -> str | None:
        return getattr(self.result, "suggestion", None) or None

    @property
    def corrected(self) -> str | None:
        """The results shown are for this correction of the query typed."""
        return getattr(self.result, "corrected", None) or None

    def request(self, query: str, typing: bool = True, correct: bool = True) -> SearchRun | None:
        """A search for ``query``: to start now, or None when one is under way
        (it runs next, unless a newer one is asked for first).  ``correct``
        False: the query as typed, never its correction."""
        self.generation += 1
        if self.searching:
            self.waiting = (query, typing, correct)
            return None
        self.searching = True
        return SearchRun(query, typing, self.generation, self.scope_ids, correct)

    def stale(self, generation: int) -> bool:
        return generation != self.generation

    def finished(self) -> SearchRun | None:
        """The search under way is done: the one waiting, if it is still the query."""
        self.searching = False
        waiting, self.waiting = self.waiting, None
        if waiting is not None and waiting[0].strip() == self.query:
            return self.request(*waiting)
        return None

    def failed(self) -> None:
        self.searching = False

    def narrow_to(self, node: str | None, ids: frozenset[str] | None) -> None:
        """The node the reader is on when a search starts: what a narrowed
        search covers (``ids``); None or no ids: the whole library."""
        self.scope = node
        self.scope_ids = ids if self.narrowed and node is not None else None

    def toggle_scope(self) -> bool:
        """ctrl+g: narrow to the node shown, or widen to everything; False
        when there is nothing to narrow to."""
        if not self.query or self.scope is None:
            return False
        self.narrowed = not self.narrowed
        return True

    def leave(self) -> bool:
        """The search is left (Escape, a node chosen): True when there was one.
        The narrowing choice stays for the next search."""
        had = bool(self.query)
        self.query = ""
        self.result = None
        self.pending = None
        self.waiting = None
        self.generation += 1
        self.scope = None
        self.scope_ids = None
        return had

    def summary(self, shown: int, limit: int, seconds: float, index_ready: bool, scope_label: str | None) -> str:
        """The search bar's line for results just shown."""
        result = self.result
        count = f"{shown}+" if result is not None and len(result.ids or ()) >= limit else str(shown)
        noun = "result" if count == "1" else "results"
        parts = [f"{count} {noun} in {seconds * 1000:.0f} ms{'' if index_ready else ' (index still building)'}"]
        if scope_label is not None:
            if self.scope_ids is not None:
                parts.append(f"only in {scope_label} (ctrl+g: everywhere)")
            else:
                parts.append(f"everywhere (ctrl+g: only in {scope_label})")
        if result is not None:
            corrected = getattr(result, "corrected", None)
            if corrected:
                parts.insert(0, f"showing results for {corrected}")
                parts.append(f"search for {result.typed} instead: ctrl+y")
            elif result.suggestion:
                parts.append(f"did you mean: {result.suggestion}? (ctrl+y)")
            parts.extend(result.notes)
        return " · ".join(parts)

    def status(self, shown: int, limit: int) -> str:
        count = f"{shown}+" if self.result is not None and len(self.result.ids or ()) >= limit else str(shown)
        return f"search{' here' if self.scope_ids is not None else ''}: {count}"
