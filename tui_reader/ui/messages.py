"""Messages that workers post back (they bubble up to the main screen, which routes them)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from tui_reader.core.discovery import Discovery
from tui_reader.core.loader import Library
from tui_reader.core.model import Paper
from tui_reader.core.views import LibraryView

if TYPE_CHECKING:
    from tui_reader.core.follow import FollowResult
    from tui_reader.core.index import SearchIndex, SearchResult, UpdateReport
    from tui_reader.core.picks import Picks
    from tui_reader.core.sync import SyncReport


@dataclass
class LibraryLoaded(Message):
    library: Library
    seconds: float
    view: LibraryView  # built in the worker (40k papers: 0.2 s off the event loop)


@dataclass
class HeadLoaded(Message):
    """The newest papers, shown while the rest of the library loads: from
    the cache of an unchanged library (``papers`` alone), or, when the
    library changed or was never read, the newest day's files read first
    (``library``: a partial library to browse and index)."""

    papers: list[Paper]
    library: Library | None = None
    view: LibraryView | None = None  # the partial library's LibraryView (with ``library``)


@dataclass
class LoadProgress(Message):
    done: int
    total: int
    phase: str | None = None  # what the load does after the last file (load_library's ``phase``)


@dataclass
class IndexProgress(Message):
    done: int
    total: int
    phase: str | None = None  # a new phase (SearchIndex.update's ``phase``), counts unchanged


@dataclass
class IndexReady(Message):
    index: SearchIndex | None
    report: UpdateReport | None
    error: str | None = None
    partial: bool = False  # the report is of the newest day alone; the rest follows


@dataclass
class SearchDone(Message):
    query: str
    result: SearchResult | Exception
    seconds: float


@dataclass
class DiscoveryReady(Message):
    """Interest, mute and saved-search matches, computed in a worker."""

    discovery: Discovery


@dataclass
class SimilarDone(Message):
    """More like this: the papers most like ``paper_id``, best first."""

    paper_id: str
    ids: list[str]
    seconds: float


@dataclass
class SuggestedReady(Message):
    """Unread papers ranked by similarity to the bookmarks."""

    ids: list[str]
    seconds: float


@dataclass
class ForkFetched(Message):
    """A followed fork was brought up to date (or could not be): a
    ``core.follow.FollowResult``; None once every fork was tried."""

    result: FollowResult | None


@dataclass
class SignalsCounted(Message):
    """Every paper's signals were read: the With code and Accepted nodes
    of this LibraryView have their counts."""

    view: LibraryView


@dataclass
class WorkFailed(Message):
    """A background worker of ``group`` ended with an error (already said
    in a notice): the part it fed is put right."""

    group: str
    error: BaseException | None


@dataclass
class RankingReady(Message):
    """The learned ranking (core.ranking): the model (None at cold start,
    when interests and bookmarks rank instead), what it said, the scores
    and reasons of the papers it ranked, and the For you node's ids."""

    model: object | None
    status: str
    trained: bool
    scores: dict[str, float]
    reasons: dict[str, list[str]]
    for_you: list[str]  # the For you node: the newest days' best unread, best first
    seconds: float


@dataclass
class Explained(Message):
    """Why one paper scored as it did: its reasons and the kept papers most like it."""

    paper_id: str
    why: list[str]
    like: list[str]


@dataclass
class SyncDone(Message):
    """A background sync ended (``core.sync.SyncReport``: done, busy,
    read-only or failed, with what it sent and took in)."""

    report: SyncReport


@dataclass
class PicksRead(Message):
    """Who picked what in the followed shares (core.picks.Picks)."""

    picks: Picks
