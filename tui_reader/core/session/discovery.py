"""Discovery's state: interest, mute and saved-search matches (computed by
:func:`tui_reader.core.discovery.compute` in a worker), Suggested (papers
like the bookmarks), the last more-like-this list, and the learned
ranking's scores for this reader."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tui_reader.core.discovery import Discovery

if TYPE_CHECKING:
    from tui_reader.core.model import Paper


@dataclass
class DiscoverySession:
    found: Discovery = field(default_factory=Discovery)
    ready: bool = False  # the first matches came
    suggested: list[str] | None = None  # ids, best first; None until computed
    similar: tuple[str, list[str]] | None = None  # (paper id, ids like it)
    bookmark_count: int = -1  # as last seen: Suggested is recomputed when it changes

    def take(self, found: Discovery) -> tuple[bool, dict[str, str]]:
        """New matches: (whether what is matched or muted changed, the
        errors not said before)."""
        old, self.found, self.ready = self.found, found, True
        changed = old.muted.keys() != found.muted.keys() or old.matched.keys() != found.matched.keys()
        fresh = {label: error for label, error in found.errors.items() if old.errors.get(label) != error}
        return changed, fresh

    def bookmarks_changed(self, count: int) -> bool:
        """True when the number of bookmarks moved since last asked."""
        if count == self.bookmark_count:
            return False
        self.bookmark_count = count
        return True

    def saved_need_state(self) -> bool:
        """Some saved search filters on reading state (is:, tag:)."""
        return any(word in s.query for s in self.found.saved_searches for word in ("is:", "tag:"))

    def interests_of(self, paper: Paper) -> str | None:
        return self.found.reason(paper) if paper.id in self.found.matched else None

    def muted_by(self, paper: Paper) -> str | None:
        rules = self.found.muted.get(paper.id)
        return ", ".join(rule.label for rule in rules) if rules else None

    def suggested_count(self, read: frozenset[str] | set[str], known: dict) -> int | None:
        if self.suggested is None:
            return None
        return sum(1 for pid in self.suggested if pid not in read and pid in known)
