"""The triage session's bookkeeping with a fixed clock: positions, counts,
undo and the pace estimate's wording (the Pilot test cannot fix the clock)."""

from __future__ import annotations

from tui_reader.core.model import Paper
from tui_reader.core.triage import KEEP, LATER, SKIP, Triage


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def session(n: int) -> tuple[Triage, Clock]:
    clock = Clock()
    return Triage([Paper(id=f"2601.{i:05d}", title=f"P{i}") for i in range(n)], clock=clock), clock


def decide(triage: Triage, clock: Clock, kind: str, seconds: float) -> None:
    clock.now += seconds
    triage.decide(kind)


def test_no_estimate_before_three_decisions_then_minutes_at_the_pace():
    triage, clock = session(301)
    decide(triage, clock, KEEP, 6)
    decide(triage, clock, SKIP, 6)
    assert triage.progress() == "3 / 301 · 1 kept · 0 later"
    decide(triage, clock, LATER, 6)
    # 298 papers left at 6 s each: 29.8 minutes.
    assert triage.progress() == "4 / 301 · 1 kept · 1 later · about 30 min left at your pace"


def test_a_fast_pace_near_the_end_says_under_a_minute():
    triage, clock = session(10)
    for _ in range(7):
        decide(triage, clock, SKIP, 2)
    assert triage.progress().endswith("under a minute left at your pace")


def test_a_long_pause_counts_as_two_minutes_at_most():
    triage, clock = session(100)
    decide(triage, clock, SKIP, 3600)
    decide(triage, clock, SKIP, 0)
    decide(triage, clock, SKIP, 0)
    assert triage.pace() == 40.0  # (120 + 0 + 0) / 3


def test_undo_goes_back_and_the_summary_counts_what_stays():
    triage, clock = session(3)
    decide(triage, clock, KEEP, 30)
    decide(triage, clock, LATER, 30)
    taken = triage.undo()
    assert taken is not None and taken.kind == LATER
    assert triage.current is not None and triage.current.id == "2601.00001"
    decide(triage, clock, SKIP, 30)
    decide(triage, clock, SKIP, 30)
    assert triage.done and triage.progress().endswith("done")
    assert triage.summary() == "3 papers in 2 min · 1 kept · 0 for later · 2 skipped"
