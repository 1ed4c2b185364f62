"""For you: the day ranked by a model learned from the reader's own
decisions (:mod:`tui_reader.core.ranking`, run by the librarian in a
worker).  The scores show on each row, the reasons in the detail and as
highlights; ``s`` reaches the "for you" sort (a day opens in it once a
model exists); ``F`` triages in ranked order with a threshold and a
reading budget."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from textual.binding import Binding

from tui_reader.core.text import one_line, phrase_spans
from tui_reader.core.views import FOR_YOU
from tui_reader.ui.actions import loop

if TYPE_CHECKING:
    from tui_reader.core.model import Paper
    from tui_reader.ui.messages import Explained, RankingReady
    from tui_reader.ui.panes import Panes

BINDINGS = [
    Binding("F", "ranked_triage", "Triage for you (threshold, budget)", show=False, id="rank.triage"),
]
TRIAGE_PREF = "rank.triage"  # the last "above 0.5 · 20 min" asked for
DEFAULT_ASK = "above 0.5 · 20 min"
SCORE_AT_MOST = 3000  # papers of one list scored for the "for you" sort (a 500-paper day: 0.1 s)


def ranking_ready(p: Panes, message: RankingReady) -> None:
    found = p.found
    first_model = message.model is not None and found.model is None
    learning = message.model is None
    found.take_ranking(message.model, message.status or found.rank_status, message.scores, message.reasons,
                       message.for_you)
    # At cold start interests and bookmarks rank (as Suggested does): the line says how far the learning is.
    p.status.set("rank", found.rank_status if learning else None)
    if message.trained:
        p.notify(found.rank_status, timeout=5)
    p.papers.set_ranking(found.score_text if found.any_score() else None,
                         lambda paper, text: phrase_spans(text, highlights(p, paper)))
    state = p.state
    p.rebuild_tree()
    if first_model and state.sort == "date" and state.search is None:
        # A model exists: the list opens ranked for this reader, best first,
        # digest order one key (s) away.
        p.show(state.with_(sort="for you"), keep_current=False)
    elif p.state.node == FOR_YOU or p.state.sort == "for you":
        p.redisplay()
    else:
        p.show_detail(keep_scroll=True)


def highlights(p: Panes, paper: Paper) -> list[str]:
    """What a paper's text highlights: the interest words that match it and its top reasons."""
    words = list(p.found.reasons.get(paper.id, ())[:3])
    for rule in p.found.found.matched.get(paper.id, ()):
        if rule.field != "author":
            words.append(rule.value)
    return words


def listed(p: Panes) -> None:
    """A list was shown: papers it sorts for you and that are not scored yet
    are scored (with the model there is, nothing trained)."""
    found = p.found
    if not found.ranked or p.state.sort != "for you":
        return
    # A day, a search, a category: all of it. All papers at 75,000: the first
    # SCORE_AT_MOST of its own order (newest first), the rest after them.
    missing = found.unscored(list(p.papers.papers[:SCORE_AT_MOST]))
    if missing:
        p.librarian.rank(extra=missing, model=found.model)


def explain(p: Panes, paper: Paper) -> None:
    """The detail shows ``paper``: its reasons and likes, worked out once in a worker."""
    found = p.found
    if found.model is not None and paper.id in found.scores and paper.id not in found.likes:
        found.likes[paper.id] = []  # asked for
        p.librarian.explain(found.model, paper)


def explained(p: Panes, message: Explained) -> None:
    p.found.likes[message.paper_id] = message.like
    if message.why:
        p.found.reasons[message.paper_id] = message.why
    current = p.papers.current
    if current is not None and current.id == message.paper_id:
        p.show_detail(keep_scroll=True)


def parse_ask(text: str) -> tuple[float | None, float | None] | str:
    """``"above 0.5 · 20 min"`` → (0.5, 20.0); either may be left out; a
    message when the text says neither."""
    threshold = budget = None
    for number, unit in re.findall(r"(\d+(?:\.\d+)?)\s*(min|m\b|h\b)?", text.casefold()):
        value = float(number)
        if unit:
            budget = value * (60 if unit == "h" else 1)
        elif value <= 1:
            threshold = value
        else:
            return f"{number}: a threshold is between 0 and 1 (above 0.5), a budget has minutes (20 min)"
    if threshold is None and budget is None and text.strip():
        return "say a threshold (above 0.5), a budget (20 min), or both"
    return threshold, budget


def ranked_triage(p: Panes) -> None:
    """F: the list's papers best first, only above a threshold and as many
    as fit a reading budget at the reader's pace; what was not seen is said."""
    from tui_reader.ui.screens.dialogs import TextPromptScreen

    found = p.found
    papers = list(p.papers.papers[:SCORE_AT_MOST])  # a day is 500; All papers: its newest first
    if not papers or p.writable_store() is None:
        p.notify("Nothing to triage here.", timeout=2)
        return
    if not found.ranked:
        p.notify(found.rank_status or "The ranking is still being worked out; try again in a moment.", timeout=4)
        return
    if found.unscored(papers):
        p.librarian.rank(extra=found.unscored(papers), model=found.model)
        p.notify("Ranking this list first; press F again in a moment.", timeout=3)
        return
    store = p.store
    asked = (store.get_pref(TRIAGE_PREF, DEFAULT_ASK) if store is not None else DEFAULT_ASK) or DEFAULT_ASK

    def done(text: str | None) -> None:
        if text is None:
            return
        parsed = parse_ask(text)
        if isinstance(parsed, str):
            p.notify(parsed, severity="error", timeout=5)
            return
        p.save_pref(TRIAGE_PREF, text.strip())
        _start(p, papers, *parsed)

    hint = "above 0.5 · 20 min · either alone · empty: all, best first · enter: start · escape: cancel"
    p.app.push_screen(TextPromptScreen(f"Triage the {len(papers)} papers for you, best first", str(asked), hint),
                      done)


def _start(p: Panes, papers: list[Paper], threshold: float | None, budget: float | None) -> None:
    from tui_reader.core.ranking import DEFAULT_PACE
    from tui_reader.core.ranking import ranked_triage as choose

    store = p.store
    pace = (store.get_pref(loop.PACE_PREF, None) if store is not None else None) or DEFAULT_PACE
    chosen, unseen = choose(papers, p.found.scores, threshold=threshold, budget_minutes=budget,
                            pace_seconds=float(pace))
    if not chosen:
        p.notify(unseen.text() or "No paper is above that threshold.", timeout=6)
        return
    parts = [f"above {threshold:.2f}" if threshold is not None else "", f"{budget:.0f} min" if budget else ""]
    title = "for you" + "".join(f" · {part}" for part in parts if part)
    loop.open_triage(p, chosen, title, after=one_line(unseen.text()) if unseen.count else "")
