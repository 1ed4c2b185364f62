"""Triage in ranked order with a threshold ("only above 0.5") and a reading
budget ("20 min", from the pace triage measures): which papers to show, and
what was left unseen and how it ranked."""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tui_reader.core.model import Paper

DEFAULT_PACE = 10.0  # seconds per paper before triage has measured one


@dataclass
class Unseen:
    total: int  # papers offered
    chosen: int
    below_threshold: int
    over_budget: int
    threshold: float | None
    budget_minutes: float | None
    best_score: float | None  # the best score among the unseen
    median_score: float | None
    first_rank: int | None  # 1-based rank of the first paper past the budget
    last_rank: int | None

    @property
    def count(self) -> int:
        return self.below_threshold + self.over_budget

    def text(self) -> str:
        """``12 not seen: 8 below 0.50, 4 past the 20 min budget (ranked 31–34); best unseen 0.48``."""
        if not self.count:
            return f"all {self.total} papers seen"
        parts = []
        if self.below_threshold:
            parts.append(f"{self.below_threshold} below {self.threshold:.2f}")
        if self.over_budget:
            span = f"ranked {self.first_rank}–{self.last_rank}" if self.first_rank != self.last_rank \
                else f"ranked {self.first_rank}"
            parts.append(f"{self.over_budget} past the {self.budget_minutes:g} min budget ({span})")
        tail = ""
        if self.best_score is not None:
            tail = f"; best unseen {self.best_score:.2f}, median {self.median_score:.2f}"
        return f"{self.count} not seen: " + ", ".join(parts) + tail


def ranked_triage(papers: Sequence[Paper], scores: Mapping[str, float], threshold: float | None = None,
                  budget_minutes: float | None = None,
                  pace_seconds: float | None = None) -> tuple[list[Paper], Unseen]:
    """The papers to triage, best first: those scoring at least ``threshold``
    and, of them, as many as ``budget_minutes`` hold at ``pace_seconds`` a
    paper (triage's measured pace; :data:`DEFAULT_PACE` without one)."""
    ranked = sorted(papers, key=lambda p: -scores.get(p.id, 0.0))
    above = [p for p in ranked if threshold is None or scores.get(p.id, 0.0) >= threshold]
    below = len(ranked) - len(above)
    chosen = above
    if budget_minutes is not None:
        pace = pace_seconds if pace_seconds and pace_seconds > 0 else DEFAULT_PACE
        fits = max(0, int(budget_minutes * 60 // pace))
        chosen = above[:fits]
    over = len(above) - len(chosen)
    unseen_scores = [scores.get(p.id, 0.0) for p in ranked[len(chosen):]]
    summary = Unseen(
        total=len(ranked), chosen=len(chosen), below_threshold=below, over_budget=over, threshold=threshold,
        budget_minutes=budget_minutes,
        best_score=max(unseen_scores) if unseen_scores else None,
        median_score=statistics.median(unseen_scores) if unseen_scores else None,
        first_rank=len(chosen) + 1 if over else None, last_rank=len(above) if over else None,
    )
    return chosen, summary
