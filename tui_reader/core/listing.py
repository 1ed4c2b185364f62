"""What the paper list shows: a pure function of a small state object.

:class:`ListState` is everything the reader chose (the tree node, the
search results shown instead, the sort, repeats and muted papers hidden or
shown); :class:`Sources` is what the library, the reading state and the
discovery workers know.  :func:`listing` turns the two into the rows, the
day they are dated by and the notes the list shows.  No Textual, no I/O:
unit-tested in milliseconds (tests/unit/test_listing.py).

Node keys (see :mod:`tui_reader.core.views`), and two of this module:
``new`` (what arrived since the reader was last used) and ``queue`` (papers
put aside for later).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from tui_reader.core.days import repeats_previous
from tui_reader.core.discovery import Discovery
from tui_reader.core.latex import readable
from tui_reader.core.loader import newest_first
from tui_reader.core.model import Paper
from tui_reader.core.signals import signals_of
from tui_reader.core.views import (
    ACCEPTED,
    ALL,
    BOOKMARKS,
    FOR_YOU,
    INTERESTS,
    LIKE_PREFIX,
    NEW,
    PICKED,
    PICKED_PREFIX,
    QUEUE,
    SAVED_PREFIX,
    SUGGESTED,
    UNREAD,
    WITH_CODE,
)

if TYPE_CHECKING:
    from tui_reader.core.views import LibraryView

SORTS = ("for you", "date", "title", "interests", "relevance", "stars", "code recency")
# Nodes whose papers muting never hides: what the reader kept on purpose.
KEPT = (BOOKMARKS, "tag:", QUEUE)


@dataclass(frozen=True)
class SearchShown:
    """Search results shown instead of the node's papers."""

    query: str
    ids: tuple[str, ...]  # best first


@dataclass(frozen=True)
class ListState:
    """What the reader chose; change it with :func:`dataclasses.replace`."""

    node: str = ALL
    search: SearchShown | None = None
    sort: str = "date"
    hide_repeats: bool = False
    show_muted: bool = False

    def with_(self, **changes) -> ListState:
        return replace(self, **changes)

    @property
    def kind(self) -> str:
        """The kind of view (``[``/``]`` keep it): search, day, category of a
        day, or the node's own key for the others."""
        if self.search is not None:
            return "search"
        if self.node.startswith("day:"):
            return "day-category" if "/cat:" in self.node else "day"
        return self.node.split(":", 1)[0] + (":" if ":" in self.node else "")


@dataclass
class Sources:
    """What the library, the reading state and discovery know."""

    view: LibraryView
    read: frozenset[str] | set[str] = frozenset()
    bookmarked: frozenset[str] | set[str] = frozenset()
    tagged: Callable[[str], Iterable[str]] = lambda tag: ()
    # Bookmarked papers the library no longer holds (their saved snapshots), per tag or all (None).
    kept_elsewhere: Callable[[str | None], list[Paper]] = lambda tag: []
    queue: Sequence[str] = ()  # the reading queue (later), in the order put there
    new_since: str | None = None  # the newest day the reader had gone through; None: never
    discovery: Discovery = field(default_factory=Discovery)
    discovery_ready: bool = False
    suggested: list[str] | None = None  # None: being computed
    similar: tuple[str, list[str]] | None = None  # (paper id, like it, best first)
    scores: dict[str, float] = field(default_factory=dict)  # the learned ranking's, 0..1 (core.ranking)
    for_you: list[str] | None = None  # the For you node: ids best first; None: being ranked
    picked: dict[str, frozenset[str]] = field(default_factory=dict)  # teammate -> ids (core.picks.Picks.by_name)


@dataclass
class Listing:
    papers: list[Paper]
    label: str  # the node (or search) in words, for the status line
    empty_text: str = "No papers here."
    day: str = ""  # rows are dated by this day (a day node), else by their latest day
    muted: int = 0  # papers a mute rule hides (shown dimmed when ListState.show_muted)
    repeats: int = 0  # papers of the day first seen on an earlier day (hidden when ListState.hide_repeats)
    repeat_of: str = ""  # every paper of the day was in this day's digest already (or "an earlier day")


def day_of(key: str) -> str:
    """The day a node belongs to, if any."""
    if key.startswith("day:"):
        return key[4:].split("/", 1)[0]
    return ""


def new_papers(view: LibraryView, since: str | None) -> list[Paper]:
    """Papers first seen on a day after ``since``, oldest day first, each
    day in its digest's order.  When the reader never went through a day
    (``since`` None): the newest day that brought anything new."""
    if not view.days:
        return []
    days = [d for d in reversed(view.days) if since is None or d > since]
    out: list[Paper] = []
    if since is None:
        for day in view.days:
            out = [p for p in view.by_day[day] if p.dates[0] == day]
            if out:
                return out
        return out
    for day in days:
        out.extend(p for p in view.by_day[day] if p.dates[0] == day)
    return out


def node_papers(key: str, src: Sources) -> list[Paper]:
    view = src.view
    found = src.discovery
    if key == NEW:
        return new_papers(view, src.new_since)
    if key == QUEUE:
        return view.papers_in(src.queue)
    if key == INTERESTS:
        matched = found.matched
        return found.interest_rank(p for p in view.papers if p.id in matched)
    if key == SUGGESTED:
        return [p for p in view.papers_in(src.suggested or []) if p.id not in src.read]
    if key == FOR_YOU:
        return view.papers_in(src.for_you or [])
    if key.startswith(SAVED_PREFIX):
        return view.papers_in(found.saved.get(key[len(SAVED_PREFIX):], []))
    if key == PICKED or key.startswith(PICKED_PREFIX):
        name = key[len(PICKED_PREFIX):] if key != PICKED else None
        wanted = src.picked.get(name, frozenset()) if name is not None else frozenset().union(*src.picked.values())
        return [p for p in view.papers if p.id in wanted]
    if key.startswith(LIKE_PREFIX):
        if src.similar is None or src.similar[0] != key[len(LIKE_PREFIX):]:
            return []
        return view.papers_in(src.similar[1])
    papers = view.papers_for(key, lambda: src.bookmarked, lambda: src.read, src.tagged)
    if key == BOOKMARKS or key.startswith("tag:"):
        # Bookmarks outlive the digest folder: the saved snapshot of any
        # bookmarked paper the library no longer holds.
        papers = papers + src.kept_elsewhere(key[4:] if key.startswith("tag:") else None)
    return papers


def empty_text(key: str, src: Sources) -> str:
    found = src.discovery
    if key == INTERESTS:
        if not found.interests:
            return "No interests yet: press I on a paper (or i) to add keywords and authors."
        return "No paper matches your interests." if src.discovery_ready else "Matching your interests…"
    if key == FOR_YOU:
        return "Ranking the newest days for you…" if src.for_you is None else \
            ("Until it has learned from your decisions, For you ranks by your interests (I) and bookmarks (b): "
             "none matches the newest days yet. Triage a day (v) and it learns what you keep.")
    if key == SUGGESTED:
        if src.suggested is None:
            return "Finding papers like your bookmarks…"
        return "Bookmark papers (b): unread papers like them show up here."
    if key.startswith(SAVED_PREFIX):
        return "No paper matches this saved search." if src.discovery_ready else "Searching…"
    if key.startswith(LIKE_PREFIX):
        return "Finding similar papers…" if src.similar is None else "No similar paper found."
    if key == BOOKMARKS:
        return "No bookmarks yet: press b on a paper to keep it here."
    if key == UNREAD:
        return "Everything here is read."
    if key == NEW:
        return "Nothing new since you last went through the library."
    if key == QUEUE:
        return "Nothing for later: press w on a paper (or in triage) to put it here."
    if key == PICKED or key.startswith(PICKED_PREFIX):
        return "None of these picks is in the library (follow the share: tui-reader follow URL)."
    return "No papers here."


def node_label(key: str) -> str:
    labels = {ALL: "All papers", NEW: "New since last time", QUEUE: "Later", UNREAD: "Unread", FOR_YOU: "For you",
              BOOKMARKS: "Bookmarks", INTERESTS: "Interests", SUGGESTED: "Suggested",
              WITH_CODE: "With code", ACCEPTED: "Accepted", PICKED: "Picked by the team"}
    if key in labels:
        return labels[key]
    label = key.replace("day:", "").replace("/cat:", " / ").replace("cat:", "").replace("archive:", "")
    if key.startswith(PICKED_PREFIX):
        return "picked by " + key[len(PICKED_PREFIX):]
    return label.replace("saved:", "saved search ").replace("like:", "like ").replace("tag:", "#")


def sort_papers(papers: list[Paper], sort: str, found: Discovery, ranked: bool,
                scores: dict[str, float] | None = None) -> list[Paper]:
    """``date`` keeps a node's own order (a day's digest, newest first for
    the rest) and puts search results newest first; ``relevance`` keeps the
    search's ranking; ``for you`` puts the learned ranking's best first
    (papers not scored yet after them, in their order)."""
    if sort == "title":
        return sorted(papers, key=title_key)
    if sort == "for you":
        known = scores or {}
        return sorted(papers, key=lambda p: -known.get(p.id, -1.0))
    if sort == "interests":
        return found.interest_rank(papers)
    if sort == "date" and ranked:
        return sorted(papers, key=newest_first)
    if sort in ("stars", "code recency"):
        return by_code(papers, sort)
    return papers


def sort_label(state: ListState) -> str:
    """What the list's order is called: ``date`` keeps a node's own order,
    which is no date in More like this (likeness), Suggested (likeness to
    the bookmarks), a day (its digest's order) or a search (newest first)."""
    if state.sort != "date":
        return state.sort
    if state.search is not None:
        return "date, newest first"
    key = state.node
    if key.startswith(LIKE_PREFIX):
        return "likeness to the paper"
    if key == SUGGESTED:
        return "likeness to your bookmarks"
    if key == FOR_YOU:
        return "score for you"
    if key == INTERESTS:
        return "interests"
    if key.startswith("day:"):
        return "the digest's order"
    if key == QUEUE:
        return "the order put there"
    return "date, newest first"


def title_key(paper: Paper) -> str:
    """A title as it sorts: its LaTeX made readable, math signs and braces
    left out (``$\\alpha$-Net`` sorts with ``α-Net`` under A… not ``$``)."""
    text = readable(paper.title)
    return " ".join("".join(c for c in text if c.isalnum() or c.isspace()).casefold().split())


def by_code(papers: list[Paper], sort: str) -> list[Paper]:
    """Most starred code first ("stars"), or most recently updated code
    ("code recency"); papers without stars (or a date) follow in their
    order.  (A reverse sort keeps equal papers in their order too.)"""
    if sort == "stars":
        have = [p for p in papers if signals_of(p).stars is not None]
        have.sort(key=lambda p: signals_of(p).stars, reverse=True)
    else:
        have = [p for p in papers if signals_of(p).code_updated]
        have.sort(key=lambda p: signals_of(p).code_updated, reverse=True)
    chosen = {p.id for p in have}
    return have + [p for p in papers if p.id not in chosen]


def listing(state: ListState, src: Sources) -> Listing:
    """The rows of the paper list for ``state``."""
    view = src.view
    key = state.node
    if state.search is not None:
        papers = view.papers_in(state.search.ids)
        result = Listing([], f"search: {state.search.query}", "No paper matches this search.")
        ranked = True
    else:
        papers = node_papers(key, src)
        result = Listing([], node_label(key), empty_text(key, src))
        ranked = False
    papers = sort_papers(papers, state.sort, src.discovery, ranked, src.scores)
    kept = state.search is None and (key == BOOKMARKS or key.startswith(KEPT))
    muted = src.discovery.muted
    if muted and not kept:
        shown = papers
        papers = [p for p in papers if p.id not in muted]
        result.muted = len(shown) - len(papers)
        if state.show_muted:
            papers = shown
    day = day_of(key) if state.search is None else ""
    if day:
        result.day = day
        result.repeats = sum(1 for p in papers if p.dates and p.dates[0] < day)
        if result.repeats and result.repeats == len(papers) and "/cat:" not in key:
            older = [d for d in view.days if d < day]
            if older and repeats_previous((p.id for p in view.by_day.get(day, [])),
                                          (p.id for p in view.by_day.get(older[0], []))):
                result.repeat_of = older[0]
            else:
                result.repeat_of = "an earlier day"
        if state.hide_repeats and result.repeats:
            papers = [p for p in papers if not (p.dates and p.dates[0] < day)]
            if not papers and result.repeat_of:
                result.empty_text = (f"Nothing new on {day}: its {result.repeats} papers were all in "
                                     f"{result.repeat_of}'s digest already, and repeats are hidden (H shows them).")
    result.papers = papers
    return result
