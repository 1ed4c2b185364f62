"""What the search index answers: an update's report, a search's result,
and what ``is:`` and ``tag:`` filter through."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from tui_reader.core.index import query as q

Progress = Callable[[int, int], None]


@runtime_checkable
class StateFilter(Protocol):
    """What ``is:`` and ``tag:`` in a query filter through (the state store)."""

    def bookmarked_ids(self) -> set[str]: ...

    def unread_ids(self, all_ids: Iterable[str]) -> set[str]: ...

    def tagged_ids(self, tag: str) -> set[str]: ...


@dataclass
class UpdateReport:
    added: int = 0  # papers (re)indexed
    removed: int = 0  # papers dropped
    files_changed: int = 0  # new or changed files
    files_removed: int = 0
    seconds: float = 0.0
    searchable_after: float | None = None  # seconds until the newest day was searchable
    error: str = ""  # why the update stopped (a full disk...): what was committed before stays searchable
    processes: int = 0  # worker processes used
    skipped: str = ""  # why nothing was done (read-only index)
    cancelled: bool = False  # cancel() stopped it: what was committed stays


@dataclass
class SearchResult:
    ids: list[str] | None  # best first; None means "no filter" (empty query)
    scores: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    terms: q.MatchTerms = field(default_factory=q.MatchTerms)
    seconds: float = 0.0
    suggestion: str | None = None  # "did you mean": the query with likely typos corrected
    notes: list[str] = field(default_factory=list)  # for the reader: how the query was read
    cancelled: bool = False  # cancelled() stopped it: ids is empty, nothing to show
    cut_off: bool = False  # it took longer than its budget: ids is empty, notes say so

    @property
    def is_filter(self) -> bool:
        return self.ids is not None
