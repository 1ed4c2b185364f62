"""Messages that workers post back to the main screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from tui_reader.core.loader import Library


@dataclass
class LibraryLoaded(Message):
    library: Library
    seconds: float


@dataclass
class HeadLoaded(Message):
    """The newest papers of an unchanged library, shown while the rest loads."""

    papers: list[Any]


@dataclass
class LoadProgress(Message):
    done: int
    total: int


@dataclass
class IndexProgress(Message):
    done: int
    total: int


@dataclass
class IndexReady(Message):
    index: Any  # SearchIndex
    report: Any  # UpdateReport or None
    error: str | None = None


@dataclass
class SearchDone(Message):
    query: str
    result: Any  # SearchResult
    seconds: float


@dataclass
class DiscoveryReady(Message):
    """Interest, mute and saved-search matches, computed in a worker."""

    discovery: Any  # tui_reader.core.discovery.Discovery


@dataclass
class SimilarDone(Message):
    """More like this: the papers most like ``paper_id``, best first."""

    paper_id: str
    ids: list[str]
    seconds: float
    error: str | None = None


@dataclass
class SuggestedReady(Message):
    """Unread papers ranked by similarity to the bookmarks."""

    ids: list[str]
    seconds: float
