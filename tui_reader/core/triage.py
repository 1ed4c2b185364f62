"""Triage: one pass through a list, one decision per paper (keep, skip,
later, mute), undoable several levels back, with a progress line and a
pace estimate.  Plain data and a clock, no Textual, no store: the UI
applies each decision to the store and records how to take it back.

    session = Triage(papers)
    session.current                       # the paper to decide on
    session.decide(KEEP, undo=callable)   # records it, moves to the next
    session.undo()                        # -> the Decision taken back (its paper is current again)
    session.progress()                    # "37 / 301 · 9 kept · 4 later · about 12 min left at your pace"
    session.done, session.summary()
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from tui_reader.core.model import Paper

KEEP = "keep"
SKIP = "skip"
LATER = "later"
MUTE = "mute"
KINDS = (KEEP, SKIP, LATER, MUTE)

PACE_CAP = 120.0  # seconds: a longer stay on one paper (a coffee) does not count as its pace
PACE_WINDOW = 20  # the pace of the last this many decisions
PACE_AFTER = 3  # decisions before the estimate is shown


@dataclass
class Decision:
    paper: Paper
    kind: str
    seconds: float  # time spent on the paper before deciding
    undo: Callable[[], None] | None = None  # takes its effect on the store back


@dataclass
class Triage:
    papers: Sequence[Paper]
    clock: Callable[[], float] = time.monotonic
    position: int = 0
    decisions: list[Decision] = field(default_factory=list)
    _since: float = 0.0

    def __post_init__(self) -> None:
        self._since = self.clock()

    @property
    def total(self) -> int:
        return len(self.papers)

    @property
    def current(self) -> Paper | None:
        return self.papers[self.position] if self.position < len(self.papers) else None

    @property
    def done(self) -> bool:
        return self.position >= len(self.papers)

    def count(self, kind: str) -> int:
        return sum(1 for d in self.decisions if d.kind == kind)

    def decide(self, kind: str, undo: Callable[[], None] | None = None) -> Decision | None:
        paper = self.current
        if paper is None or kind not in KINDS:
            return None
        now = self.clock()
        decision = Decision(paper, kind, now - self._since, undo)
        self.decisions.append(decision)
        self.position += 1
        self._since = now
        return decision

    def undo(self) -> Decision | None:
        """Take the last decision back: its paper is the current one again."""
        if not self.decisions:
            return None
        decision = self.decisions.pop()
        if decision.undo is not None:
            decision.undo()
        self.position = max(0, self.position - 1)
        self._since = self.clock()
        return decision

    def pace(self) -> float | None:
        """Seconds per paper, from the last decisions (None: too few yet)."""
        if len(self.decisions) < PACE_AFTER:
            return None
        recent = [min(d.seconds, PACE_CAP) for d in self.decisions[-PACE_WINDOW:]]
        return sum(recent) / len(recent)

    def seconds_left(self) -> float | None:
        pace = self.pace()
        return None if pace is None else pace * (self.total - self.position)

    def progress(self) -> str:
        shown = min(self.position + 1, self.total)
        parts = [f"{shown} / {self.total}", f"{self.count(KEEP)} kept", f"{self.count(LATER)} later"]
        muted = self.count(MUTE)
        if muted:
            parts.append(f"{muted} muted")
        left = self.seconds_left()
        if self.done:
            parts.append("done")
        elif left is not None:
            parts.append("under a minute left at your pace" if left < 60
                         else f"about {_minutes(left)} left at your pace")
        return " · ".join(parts)

    def summary(self) -> str:
        spent = sum(d.seconds for d in self.decisions)
        parts = [f"{len(self.decisions)} papers in {_minutes(spent)}", f"{self.count(KEEP)} kept",
                 f"{self.count(LATER)} for later", f"{self.count(SKIP)} skipped"]
        if self.count(MUTE):
            parts.append(f"{self.count(MUTE)} muted")
        return " · ".join(parts)


def _minutes(seconds: float) -> str:
    if seconds < 60:
        return "under a minute" if seconds >= 1 else "no time"
    minutes = round(seconds / 60)
    return f"{minutes} min"
