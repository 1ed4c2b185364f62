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
    # The learned ranking (core.ranking): the model (None at cold start), its
    # scores so far (0..1), each scored paper's reasons, the For you node.
    model: object | None = None
    ranked: bool = False  # scores came (from the model, or interests and bookmarks at cold start)
    scores: dict[str, float] = field(default_factory=dict)
    reasons: dict[str, list[str]] = field(default_factory=dict)
    likes: dict[str, list[str]] = field(default_factory=dict)  # paper id → titles of kept papers like it
    for_you: list[str] | None = None
    rank_status: str = ""  # "learning: 12 decisions, 8 more to go", or what the model learned from
    picks: object | None = None  # core.picks.Picks of the followed shares: who picked what

    def take_ranking(self, model: object | None, status: str, scores: dict[str, float],
                     reasons: dict[str, list[str]], for_you: list[str]) -> None:
        """A ranking came: the model (or None at cold start) and what it scored."""
        if model is not self.model:
            self.scores, self.reasons, self.likes = {}, {}, {}
        self.model, self.rank_status, self.ranked = model, status, True
        self.scores.update(scores)
        self.reasons.update(reasons)
        self.for_you = for_you

    def unscored(self, papers: list[Paper]) -> list[Paper]:
        return [p for p in papers if p.id not in self.scores]

    def score_of(self, paper_id: str) -> float | None:
        """The score to show: None when not scored, and at cold start (no
        model) for the papers no interest or bookmark lifts."""
        score = self.scores.get(paper_id)
        return None if score is None or (self.model is None and score <= 0) else score

    def any_score(self) -> bool:
        return self.model is not None or any(s > 0 for s in self.scores.values())

    def score_text(self, paper: Paper) -> str | None:
        """The paper's score for a row (``87``: 0.87), None when none is shown."""
        score = self.score_of(paper.id)
        return None if score is None else f"{min(99, round(score * 100)):2d}"

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
