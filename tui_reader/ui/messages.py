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
    view: Any  # its LibraryView, built in the worker (40k papers: 0.2 s off the event loop)


@dataclass
class HeadLoaded(Message):
    """The newest papers, shown while the rest of the library loads: from
    the cache of an unchanged library (``papers`` alone), or, when the
    library changed or was never read, the newest day's files read first
    (``library``: a partial library to browse and index)."""

    papers: list[Any]
    library: Library | None = None
    view: Any = None  # the partial library's LibraryView (with ``library``)


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
    partial: bool = False  # the report is of the newest day alone; the rest follows


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


@dataclass
class ForkFetched(Message):
    """A followed fork was brought up to date (or could not be): a
    ``core.follow.FollowResult``; None once every fork was tried."""

    result: Any


@dataclass
class SignalsCounted(Message):
    """Every paper's signals were read: the With code and Accepted nodes
    of this LibraryView have their counts."""

    view: Any
