"""For you in the reader (issue 26), pressed as a reader would: the
decisions of earlier days train a model in the background, the newest
day opens ranked with a score on each row and the reasons in the detail,
s reaches digest order, F triages above a threshold within a budget, and
the decisions of that pass retrain the model."""

from __future__ import annotations

import re

from tests.ranking_data import make_papers, topic_of, write_library
from tests.support import settle, wait_ready
from tui_reader.core.state import StateStore
from tui_reader.ui.factory import make_app
from tui_reader.ui.screens.dialogs import TextPromptScreen
from tui_reader.ui.screens.triage import TriageScreen


def library_with_decisions(tmp_path, decide: bool = True):
    old = make_papers(100, seed=1, day="2026-01-05")
    new = make_papers(60, seed=2, day="2026-01-06", start=500)
    folder = write_library(tmp_path / "lib", {"2026-01-05": old, "2026-01-06": new})
    if decide:
        store = StateStore.open()
        store.record_decisions([(p.id, "keep" if topic_of(p) == "diffusion" else "skip", None, None)
                                for p in old], source="import")
        store.close()
    return folder, new


def row_text(screen, y: int) -> str:
    return "".join(segment.text for segment in screen.paper_list.render_line(y))


async def test_a_day_ranked_for_the_reader_with_reasons_and_ranked_triage(tmp_path, isolated_dirs):
    folder, new = library_with_decisions(tmp_path)
    app = make_app([str(folder)], mark_read_after=3600)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await settle(pilot)
        found = screen.panes.found
        assert found.model is not None and any("model trained" in m for m in app.notices_shown)
        # The newest day opens ranked for this reader.
        assert screen.panes.state.sort == "for you"
        await pilot.press("right_square_bracket", "left_square_bracket")  # to a day and back: the newest
        await settle(pilot)
        top = screen.paper_list.papers[:6]
        assert [topic_of(p) for p in top] == ["diffusion"] * 6
        score = found.score_text(top[0])
        assert score is not None and score.strip() in row_text(screen, 0)
        await settle(pilot)
        detail = screen.detail.text
        assert re.search(r"for you 0\.\d\d · why: ", detail), detail
        # The For you node holds the newest days' best.
        assert screen.tree.has_key("foryou")
        # s reaches digest order, and back to for you after the other sorts.
        await pilot.press("s")
        assert screen.panes.state.sort == "date"
        # F: only above a threshold, best first.
        await pilot.press("F")
        prompt = app.screen
        assert isinstance(prompt, TextPromptScreen)
        await pilot.press("ctrl+u", *"above 0.6", "enter")
        await settle(pilot)
        triage = app.screen
        assert isinstance(triage, TriageScreen)
        chosen = list(triage.session.papers)
        scores = [found.scores[p.id] for p in chosen]
        assert chosen and min(scores) > 0.6 and scores == sorted(scores, reverse=True)
        assert all(topic_of(p) == "diffusion" for p in chosen)
        await pilot.press("y", "n", "escape")
        await settle(pilot)
        store = app.context.store
        last = list(store.decisions(chosen[0].id))[-1]
        assert (last.kind, last.source) == ("keep", "triage")
        assert "below 0.60" in " ".join(app.notices_shown)  # what was not seen is said
        # The pass's decisions retrain the model in the background.
        assert sum("model trained" in m for m in app.notices_shown) == 2


async def test_cold_start_says_how_many_decisions_are_left(tmp_path, isolated_dirs):
    folder, _ = library_with_decisions(tmp_path, decide=False)
    app = make_app([str(folder)], mark_read_after=3600)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_ready(pilot, index=True)
        await settle(pilot)
        assert screen.panes.found.model is None
        assert re.search(r"learning: 0 decisions, 20 more to go", screen.panes.status.text), screen.panes.status.text
        # Triage a few: the decisions are recorded, undo takes one back.
        await pilot.press("v", "y", "n", "n", "u")
        store = app.context.store
        assert store.decision_count() == 2
