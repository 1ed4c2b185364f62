"""The library seen through the category tree: which nodes exist, their
counts, and which papers each holds.  Plain data, no Textual.

Node keys are strings: ``all``, ``day:2026-03-04``,
``day:2026-03-04/cat:cs.LG``, ``archive:cs``, ``cat:cs.LG``, ``undated``,
``bookmarks``, ``tag:NAME``, ``unread``, ``code`` (with code),
``accepted``; discovery adds ``interests``,
``suggested``, ``saved:NAME`` and ``like:ID``, the reading loop ``new``
and ``queue``, and followed shares ``picked`` and ``picked:NAME`` (whose
papers the caller knows: see :mod:`tui_reader.core.listing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field

from tui_reader.core.days import digest_order
from tui_reader.core.loader import Library
from tui_reader.core.model import Paper
from tui_reader.core.signals import signals_of

ALL = "all"
UNDATED = "undated"
BOOKMARKS = "bookmarks"
UNREAD = "unread"
INTERESTS = "interests"
SUGGESTED = "suggested"
FOR_YOU = "foryou"  # the newest days' papers ranked for this reader (core.ranking)
SAVED = "saved"  # the parent of the saved searches
WITH_CODE = "code"
ACCEPTED = "accepted"
SAVED_PREFIX = "saved:"
LIKE_PREFIX = "like:"
PIECE = 256  # papers between two give_way() calls of count_signals (~5-10 ms)
NEW = "new"  # papers that arrived since the reader was last used (core.listing)
QUEUE = "queue"  # papers put aside for later
PICKED = "picked"  # papers teammates shared (core.picks), and picked:NAME per teammate
PICKED_PREFIX = "picked:"


@dataclass
class NodeSpec:
    key: str
    label: str
    count: int | None  # None: not known yet
    children: list[NodeSpec] = field(default_factory=list)
    expanded: bool = False
    short: str = ""  # the label where the long one does not fit beside its counts


def _minus(nodes: list[NodeSpec], less: dict[str, int]) -> list[NodeSpec]:
    """Copies of ``nodes`` (and their children) with ``less[key]`` taken off their counts."""
    return [NodeSpec(n.key, n.label, None if n.count is None else n.count - less.get(n.key, 0),
                     _minus(n.children, less), n.expanded, n.short) for n in nodes]


def archive_of(category: str) -> str:
    """``cs.LG`` → ``cs``; ``hep-th`` → ``hep``; ``astro-ph.CO`` → ``astro-ph``;
    ``math-ph`` → ``math``."""
    head = category.split(".", 1)[0]
    if "." not in category and "-" in head:
        return head.split("-", 1)[0]
    return head


class LibraryView:
    """Indexes of the library by day and category, computed once per load."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.papers: list[Paper] = library.sorted_papers()
        self.by_id: dict[str, Paper] = library.papers
        self.by_day: dict[str, list[Paper]] = {}
        self.by_day_category: dict[tuple[str, str], list[Paper]] = {}
        self.by_category: dict[str, list[Paper]] = {}
        self.undated: list[Paper] = []
        for paper in self.papers:
            for day in paper.dates:
                self.by_day.setdefault(day, []).append(paper)
                for category in paper.categories:
                    self.by_day_category.setdefault((day, category), []).append(paper)
            for category in paper.categories:
                self.by_category.setdefault(category, []).append(paper)
            if paper.undated:
                self.undated.append(paper)
        self.days: list[str] = sorted(self.by_day, reverse=True)
        # A day is its digest: its papers in the order the producer listed them.
        self.day_order: dict[str, dict[str, int]] = digest_order(library.files, library.papers)
        for day, members in self.by_day.items():
            order = self.day_order.get(day)
            if order:
                last = len(order)
                members.sort(key=lambda p: order.get(p.id, last))
        for (day, _category), members in self.by_day_category.items():
            order = self.day_order.get(day)
            if order:
                last = len(order)
                members.sort(key=lambda p: order.get(p.id, last))
        self.archives: dict[str, list[str]] = {}
        for category in sorted(self.by_category):
            self.archives.setdefault(archive_of(category), []).append(category)
        self._fixed: list[NodeSpec] | None = None  # see _fixed_nodes
        # Papers with code and accepted ones, newest first: None until
        # count_signals() ran (in a worker: it reads every comment).
        self.with_code: list[Paper] | None = None
        self.accepted: list[Paper] | None = None
        self._unread: dict[str, int] | None = None  # see unread_counts
        self._unread_of: frozenset[str] | None = None

    # --- papers of a node -----------------------------------------------------

    def papers_for(
        self,
        key: str,
        bookmarked: Callable[[], Iterable[str]] = lambda: (),
        read: Callable[[], set[str]] = set,
        tagged: Callable[[str], Iterable[str]] = lambda tag: (),
    ) -> list[Paper]:
        if key == ALL:
            return self.papers
        if key == UNDATED:
            return self.undated
        if key == UNREAD:
            done = read()
            return [p for p in self.papers if p.id not in done]
        if key in (WITH_CODE, ACCEPTED):
            if self.with_code is None:
                self.count_signals()
            return self.with_code if key == WITH_CODE else self.accepted
        if key == BOOKMARKS:
            wanted = set(bookmarked())
            return [p for p in self.papers if p.id in wanted]
        if key.startswith("tag:"):
            wanted = set(tagged(key[4:]))
            return [p for p in self.papers if p.id in wanted]
        if key.startswith("day:"):
            day, _, rest = key[4:].partition("/")
            if rest.startswith("cat:"):
                return self.by_day_category.get((day, rest[4:]), [])
            return self.by_day.get(day, [])
        if key.startswith("archive:"):
            archive = key[8:]
            wanted_ids = {p.id for c in self.archives.get(archive, []) for p in self.by_category[c]}
            return [p for p in self.papers if p.id in wanted_ids]
        if key.startswith("cat:"):
            return self.by_category.get(key[4:], [])
        return []

    def count_signals(self, give_way: Callable[[], bool] = lambda: False) -> bool:
        """Read every paper's signals (core.signals; ~20-40 us a paper) and
        keep the With code and Accepted lists.  ``give_way`` is called
        between pieces of ``PIECE`` papers (core.pace: a reader at the keys
        goes first); when it returns True the count stops, the lists stay
        None, and False is returned."""
        code: list[Paper] = []
        accepted: list[Paper] = []
        papers = self.papers
        for start in range(0, len(papers), PIECE):
            if start and give_way():
                return False
            for paper in papers[start:start + PIECE]:
                found = signals_of(paper)
                if found.code_url:
                    code.append(paper)
                if found.accepted:
                    accepted.append(paper)
        self.with_code, self.accepted = code, accepted
        return True

    def papers_in(self, ids: Iterable[str]) -> list[Paper]:
        """The library's papers of ``ids``, in that order (unknown ids skipped)."""
        by_id = self.by_id
        return [by_id[i] for i in ids if i in by_id]

    def day_of(self, key: str) -> str:
        """The day a node belongs to, if any."""
        if key.startswith("day:"):
            return key[4:].split("/", 1)[0]
        return ""

    def neighbour_day(self, key: str, step: int) -> str | None:
        """The node key of the previous (step=-1, older) or next (+1, newer)
        day, from a day node or from any paper's day."""
        if not self.days:
            return None
        day = self.day_of(key)
        if not day:
            return f"day:{self.days[0]}"
        index = self.days.index(day) if day in self.days else 0
        index -= step  # days are newest first
        if 0 <= index < len(self.days):
            return f"day:{self.days[index]}"
        return None

    # --- unread counts per day and category -------------------------------------

    def _keys_of(self, paper: Paper) -> list[str]:
        keys = [ALL]
        for day in paper.dates:
            keys.append(f"day:{day}")
            keys.extend(f"day:{day}/cat:{c}" for c in paper.categories)
        keys.extend(f"cat:{c}" for c in paper.categories)
        keys.extend({f"archive:{archive_of(c)}" for c in paper.categories})
        if paper.undated:
            keys.append(UNDATED)
        return keys

    def unread_counts(self, read: AbstractSet[str]) -> dict[str, int]:
        """Unread papers per node (all, days, categories of days,
        categories, archives).  The first call counts them all (in the load
        worker: about 0.3 s at 75,000 papers); later calls count only the
        papers whose mark changed since."""
        if self._unread is None or self._unread_of is None:
            counts: dict[str, int] = {}
            for paper in self.papers:
                if paper.id not in read:
                    for key in self._keys_of(paper):
                        counts[key] = counts.get(key, 0) + 1
            self._unread, self._unread_of = counts, frozenset(read)
            return counts
        counts = self._unread
        before = self._unread_of
        if read is before:
            return counts
        by_id = self.by_id
        for pid, change in [(p, -1) for p in read - before] + [(p, 1) for p in before - read]:
            paper = by_id.get(pid)
            if paper is not None:
                for key in self._keys_of(paper):
                    counts[key] = counts.get(key, 0) + change
        self._unread_of = frozenset(read)
        return counts

    # --- the tree -------------------------------------------------------------

    def tree(self, bookmark_tags: dict[str, int] | None = None, bookmark_count: int = 0,
             unread_count: int | None = None, interests_count: int | None = None,
             suggested_count: int | None = None, saved: list[tuple[str, int | None]] | None = None,
             discovery: bool = False, new_count: int | None = None,
             queue_count: int | None = None, hidden: AbstractSet[str] = frozenset(),
             for_you_count: int | None = None, picked: list[tuple[str, int]] | None = None) -> list[NodeSpec]:
        """The tree's nodes.  With ``discovery``: Interests and Suggested
        (counts None while they are being computed) and the saved searches;
        with ``new_count``, "New since last time" at the top; with
        ``queue_count``, the reading queue (Later); with ``picked`` ((name,
        papers) per teammate), "Picked by the team".  Papers in ``hidden``
        (muted) are not counted in All papers, the days and the categories,
        as their lists do not show them."""
        nodes = []
        less = self._hidden_counts(hidden)
        if new_count is not None:
            nodes.append(NodeSpec(NEW, "New since last time", new_count, short="New"))
        nodes.append(NodeSpec(ALL, "All papers", len(self.papers) - less.get(ALL, 0)))
        if discovery:
            nodes.append(NodeSpec(FOR_YOU, "For you", for_you_count))
            nodes.append(NodeSpec(INTERESTS, "Interests", interests_count))
            nodes.append(NodeSpec(SUGGESTED, "Suggested", suggested_count))
            if saved:
                searches = NodeSpec(SAVED, "Saved searches", len(saved), expanded=True)
                searches.children = [
                    NodeSpec(SAVED_PREFIX + name, f"{n}: {name}" if n <= 9 else name, count)
                    for n, (name, count) in enumerate(saved, 1)
                ]
                nodes.append(searches)
        if bookmark_tags is not None:
            bookmarks = NodeSpec(BOOKMARKS, "Bookmarks", bookmark_count)
            bookmarks.children = [NodeSpec(f"tag:{t}", f"#{t}", n) for t, n in sorted(bookmark_tags.items())]
            nodes.append(bookmarks)
        if queue_count is not None:
            nodes.append(NodeSpec(QUEUE, "Later", queue_count))
        if picked:
            team = NodeSpec(PICKED, "Picked by the team", None, short="Picked")
            team.children = [NodeSpec(PICKED_PREFIX + name, f"picked by {name}", count) for name, count in picked]
            nodes.append(team)
        if unread_count is not None:
            nodes.append(NodeSpec(UNREAD, "Unread", unread_count))
        nodes.append(NodeSpec(WITH_CODE, "With code", len(self.with_code) if self.with_code is not None else None))
        nodes.append(NodeSpec(ACCEPTED, "Accepted", len(self.accepted) if self.accepted is not None else None))
        return nodes + (_minus(self._fixed_nodes(), less) if less else self._fixed_nodes())

    def _hidden_counts(self, hidden: AbstractSet[str]) -> dict[str, int]:
        """How many of ``hidden`` each node holds."""
        less: dict[str, int] = {}
        by_id = self.by_id
        for pid in hidden:
            paper = by_id.get(pid)
            if paper is not None:
                for key in self._keys_of(paper):
                    less[key] = less.get(key, 0) + 1
        return less

    def _fixed_nodes(self) -> list[NodeSpec]:
        """By day, by category and undated: they change only with the
        library, so they are counted once (a bookmark or read mark at
        40,000 papers recounted them all: 40-60 ms a key)."""
        if self._fixed is not None:
            return self._fixed
        nodes: list[NodeSpec] = []
        by_day = NodeSpec("days", "By day", len(self.days), expanded=True)
        for index, day in enumerate(self.days):
            day_node = NodeSpec(f"day:{day}", day, len(self.by_day[day]), expanded=index == 0)
            categories: dict[str, int] = {}
            for paper in self.by_day[day]:
                for category in paper.categories:
                    categories[category] = categories.get(category, 0) + 1
            # The digest's sections in its order (papers are in digest order,
            # each section under its main category), then cross-lists by size.
            sections = list(dict.fromkeys(p.main_category for p in self.by_day[day] if p.main_category))
            rest = sorted((c for c in categories if c not in sections), key=lambda c: (-categories[c], c))
            day_node.children = [NodeSpec(f"day:{day}/cat:{c}", c, categories[c]) for c in sections + rest]
            by_day.children.append(day_node)
        if self.days:
            nodes.append(by_day)
        by_category = NodeSpec("categories", "By category", len(self.by_category))
        for archive, categories in sorted(self.archives.items()):
            members = {p.id for c in categories for p in self.by_category[c]}
            archive_node = NodeSpec(f"archive:{archive}", archive, len(members))
            archive_node.children = [NodeSpec(f"cat:{c}", c, len(self.by_category[c])) for c in categories]
            by_category.children.append(archive_node)
        nodes.append(by_category)
        if self.undated:
            nodes.append(NodeSpec(UNDATED, "Undated files", len(self.undated)))
        self._fixed = nodes
        return nodes
