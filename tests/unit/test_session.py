"""The reader's parts (tui_reader.core.session) without Textual: each
decision the screen used to make inline, checked in milliseconds."""

from __future__ import annotations

from dataclasses import dataclass, field

from tui_reader.core.discovery import Discovery, Rule
from tui_reader.core.listing import ListState, SearchShown
from tui_reader.core.session import DiscoverySession, LibrarySession, ReadingPosition, SearchSession
from tui_reader.core.views import ALL, QUEUE


@dataclass
class Result:
    ids: list[str] | None
    suggestion: str | None = None
    notes: list[str] = field(default_factory=list)
    corrected: str | None = None
    typed: str = ""


def test_one_search_at_a_time_and_only_the_newest_waiting_runs_next():
    session = SearchSession(query="diff")
    first = session.request("diff")
    assert first is not None and first.generation == 1 and not session.stale(first.generation)
    assert session.request("diffu") is None  # queued behind the one running
    assert session.request("diffus") is None  # replaces it
    assert session.stale(first.generation)  # the one running is told to stop
    session.query = "diffus"
    again = session.finished()
    assert again is not None and again.query == "diffus" and session.searching
    assert session.finished() is None and not session.searching


def test_a_query_left_behind_does_not_run_again():
    session = SearchSession(query="abc")
    session.request("abc")
    session.request("abcd")
    session.query = "xyz"  # the reader typed something else meanwhile
    assert session.finished() is None


def test_a_search_covers_everything_until_narrowed_and_the_choice_sticks():
    session = SearchSession(query="diffusion")
    day = frozenset({"a", "b"})
    session.narrow_to("day:2026-06-22", day)
    assert session.scope_ids is None  # everywhere by default
    assert session.toggle_scope() and session.narrowed
    session.narrow_to("day:2026-06-22", day)
    assert session.request("diffusion").within == day
    assert session.leave()
    assert session.narrowed  # the choice sticks for the next search
    session.query = "again"
    session.narrow_to("day:2026-06-22", day)
    assert session.scope_ids == day
    session.leave()
    assert not session.toggle_scope()  # nothing to narrow without a query


def test_the_search_line_says_count_scope_and_suggestion():
    session = SearchSession(query="difusion", result=Result(["a", "b"], suggestion="diffusion"))
    session.narrow_to("day:2026-06-22", None)
    line = session.summary(2, 2000, 0.012, True, "2026-06-22")
    assert line == "2 results in 12 ms · everywhere (ctrl+g: only in 2026-06-22) · did you mean: diffusion? (ctrl+y)"
    assert session.suggestion == "diffusion"
    assert session.status(2, 2000) == "search: 2"
    session.result = Result(["x"] * 2000)
    assert session.summary(2000, 2000, 0.5, False, None).startswith("2000+ results in 500 ms (index still building)")


def test_the_search_line_says_which_correction_it_shows_and_how_to_search_as_typed():
    session = SearchSession(query="difusion model",
                            result=Result(["a"], corrected="diffusion model", typed="difusion model"))
    line = session.summary(1, 2000, 0.02, True, None)
    assert line == "showing results for diffusion model · 1 result in 20 ms · search for difusion model instead: ctrl+y"
    assert session.corrected == "diffusion model" and session.suggestion is None
    run = session.request("difusion model", typing=False, correct=False)
    assert run is not None and not run.correct and run.query == "difusion model"
    assert session.request("difusion model x") is None  # queued: a new query is corrected again
    session.query = "difusion model x"
    again = session.finished()
    assert again is not None and again.correct


def test_the_index_status_names_each_phase_with_its_seconds():
    lib = LibrarySession()
    assert lib.index_text(0) is None
    lib.index_progress(0, 75000, None, 100.0)
    assert lib.index_text(103.0) == "indexing 0/75,000 papers · 3 s"
    lib.index_progress(-1, -1, "writing the index files", 110.0)
    assert lib.index_text(122.0) == "indexing: writing the index files · 12 s"
    lib.index_progress(0, 300, None, 130.0)  # a new update starts over
    assert lib.index_text(130.0) == "indexing 0/300 papers · 0 s"


def test_discovery_says_each_error_once_and_notices_what_changed():
    found = DiscoverySession()
    rule = Rule("mute", "title", "graph")
    first = Discovery(muted={"a": (rule,)}, errors={"x": "bad"})
    changed, errors = found.take(first)
    assert changed and errors == {"x": "bad"} and found.ready
    changed, errors = found.take(Discovery(muted={"a": (rule,)}, errors={"x": "bad"}))
    assert not changed and errors == {}
    assert found.bookmarks_changed(3) and not found.bookmarks_changed(3) and found.bookmarks_changed(4)


def test_escape_goes_back_to_where_the_reader_left_from():
    place = ReadingPosition(state=ListState(node="day:2026-06-22"))
    place.remember("p1")
    place.state = ListState(node=ALL, search=SearchShown("x", ("p2",)))
    assert place.away
    place.remember("p2")  # already away: where it started stays
    state, paper = place.go_back()
    assert state.node == "day:2026-06-22" and state.search is None and paper == "p1"
    place.state = ListState(node=QUEUE)
    assert place.away and place.go_back()[0].node == ALL  # nothing remembered: All papers


def test_selection_language_split_and_session():
    place = ReadingPosition()
    place.toggle_selected("a")
    place.toggle_selected("b")
    place.toggle_selected("a")
    assert list(place.selected) == ["b"]
    assert place.select_all(["b", "c"]) and list(place.selected) == ["b", "c"]
    assert not place.select_all(["b", "c"]) and not place.selected
    assert [place.next_split() for _ in range(3)] == ["-list-wide", "-detail-wide", ""]
    saved = place.session("lib1", "p9", "query")
    other = ReadingPosition()
    other.restore_from({**saved, "language": "English"}, "lib1", language_fixed=False)
    assert other.restore["paper"] == "p9" and other.language == "English"
    other.restore_from(saved, "lib2", language_fixed=True)
    assert other.restore == {}
