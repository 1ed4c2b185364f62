"""Where the reader is: what the list shows (a :class:`ListState` and the
:class:`Listing` it gave), where Escape goes back to, how the detail shows
a paper (summary or abstract, its language, all authors), the list/detail
split, the papers selected, and the session saved for the next start."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tui_reader.core.listing import SORTS, Listing, ListState
from tui_reader.core.views import ALL, LIKE_PREFIX, QUEUE

if TYPE_CHECKING:
    from tui_reader.core.model import Paper

SPLITS = ("", "-list-wide", "-detail-wide")  # = cycles: as it was, a wider list, a wider detail
# Views Escape leaves, back to where the reader was.
AWAY = (LIKE_PREFIX, QUEUE)


@dataclass
class ReadingPosition:
    state: ListState = field(default_factory=ListState)
    shown: Listing | None = None  # what listing() gave for ``state``
    back: list[tuple[ListState, str | None]] = field(default_factory=list)  # (state, paper id) Escape returns to
    new_since: str | None = None  # "New since last time": papers first seen after this day
    mode: str = "summary"  # or "abstract"
    language: str | None = None  # the summary language chosen
    split: str = ""  # one of SPLITS
    authors_open: str | None = None  # the paper whose authors are unfolded (A)
    selected: dict[str, None] = field(default_factory=dict)  # ids selected (space, V), in the order chosen
    restore: dict[str, Any] = field(default_factory=dict)  # the last session's node, paper and search

    @property
    def away(self) -> bool:
        """Showing search results, more like this or the queue: Escape leaves."""
        return self.state.search is not None or self.state.node.startswith(AWAY)

    def remember(self, paper_id: str | None) -> None:
        """Before leaving for search results, more like this or the queue."""
        if not self.away:
            self.back = [(self.state, paper_id)]

    def go_back(self) -> tuple[ListState, str | None]:
        if self.back:
            state, paper = self.back.pop()
        else:
            state, paper = ListState(node=ALL, sort=self.state.sort), None
        return state.with_(search=None), paper

    def toggle_mode(self) -> None:
        self.mode = "abstract" if self.mode == "summary" else "summary"

    def next_language(self, paper: Paper) -> str | None:
        """The paper's next summary language (None: it has only one)."""
        languages = paper.languages
        if len(languages) < 2:
            return None
        chosen = paper.summary(self.language)
        shown = chosen[0] if chosen else languages[0]
        self.language = languages[(languages.index(shown) + 1) % len(languages)]
        self.mode = "summary"
        return self.language

    def toggle_authors(self, paper_id: str) -> None:
        self.authors_open = None if self.authors_open == paper_id else paper_id

    def next_split(self) -> str:
        self.split = SPLITS[(SPLITS.index(self.split) + 1) % len(SPLITS)] if self.split in SPLITS else ""
        return self.split

    def next_sort(self, interests: bool, ranked: bool = False) -> str:
        """The next sort the list offers (relevance with a search, interests
        with interests, for-you once a ranking exists)."""
        state = self.state
        choices = [c for c in SORTS if (c != "relevance" or state.search is not None)
                   and (c != "interests" or interests) and (c != "for you" or ranked)]
        return choices[(choices.index(state.sort) + 1) % len(choices)] if state.sort in choices else choices[0]

    # --- the selection ---------------------------------------------------------------------

    def toggle_selected(self, paper_id: str) -> None:
        if paper_id in self.selected:
            del self.selected[paper_id]
        else:
            self.selected[paper_id] = None

    def select_all(self, ids: list[str]) -> bool:
        """Select every id, or clear them when all are selected; True: selected."""
        if all(pid in self.selected for pid in ids):
            for pid in ids:
                self.selected.pop(pid, None)
            return False
        for pid in ids:
            self.selected[pid] = None
        return True

    # --- the session saved for the next start ---------------------------------------------

    def session(self, library_key: str, paper_id: str | None, query: str) -> dict[str, Any]:
        return {"library": library_key, "node": self.state.node, "paper": paper_id, "search": query,
                "language": self.language}

    def restore_from(self, saved: dict[str, Any], library_key: str, language_fixed: bool) -> None:
        """The last session: its node, paper and search when it was of this
        library, its language unless config.toml fixes one."""
        if saved.get("language") and not language_fixed:
            self.language = saved["language"]
        self.restore = dict(saved) if saved.get("library") == library_key else {}
