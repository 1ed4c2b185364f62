"""listing(): what the paper list shows, as a pure function of ListState
and Sources; no app, milliseconds."""

from __future__ import annotations

from tui_reader.core.discovery import Discovery, parse_rule
from tui_reader.core.listing import ListState, SearchShown, Sources, listing, new_papers
from tui_reader.core.loader import Library, SourceFile
from tui_reader.core.model import Paper
from tui_reader.core.views import LibraryView


def make_view() -> LibraryView:
    """Three days: 01-05 (a, b, c), a weekend copy 01-06 (a, b, c), and
    01-07 (d, c, e), its digest listing d before c before e."""
    papers = {
        "a": Paper("a", title="Alpha", categories=["cs.CV"], dates=["2026-01-05", "2026-01-06"]),
        "b": Paper("b", title="beta", categories=["cs.CL"], dates=["2026-01-05", "2026-01-06"]),
        "c": Paper("c", title="Gamma", categories=["cs.CV"], dates=["2026-01-05", "2026-01-06", "2026-01-07"]),
        "d": Paper("d", title="Delta", categories=["cs.CV"], dates=["2026-01-07"]),
        "e": Paper("e", title="epsilon", categories=["cs.CL"], dates=["2026-01-07"]),
    }
    library = Library(roots=["x"], papers=papers)
    library.files = [
        SourceFile("2026-01-05.md", 0, 0, "markdown", "2026-01-05", "", "", ["b", "a", "c"]),
        SourceFile("2026-01-06.md", 0, 0, "markdown", "2026-01-06", "", "", ["b", "a", "c"]),
        SourceFile("2026-01-07.md", 0, 0, "markdown", "2026-01-07", "", "", ["d", "c", "e"]),
    ]
    for n, pid in enumerate(["d", "c", "e", "b", "a"]):
        papers[pid].order = n
    return LibraryView(library)


def ids(result) -> list[str]:
    return [p.id for p in result.papers]


def test_a_day_is_its_digest_dated_by_that_day() -> None:
    view = make_view()
    result = listing(ListState(node="day:2026-01-05"), Sources(view))
    assert ids(result) == ["b", "a", "c"]
    assert result.day == "2026-01-05" and result.repeats == 0 and not result.repeat_of
    assert ids(listing(ListState(node="day:2026-01-07"), Sources(view))) == ["d", "c", "e"]


def test_repeats_marked_hidden_and_an_all_repeat_day_says_so() -> None:
    view = make_view()
    day = listing(ListState(node="day:2026-01-07"), Sources(view))
    assert day.repeats == 1
    hidden = listing(ListState(node="day:2026-01-07", hide_repeats=True), Sources(view))
    assert ids(hidden) == ["d", "e"]
    weekend = listing(ListState(node="day:2026-01-06"), Sources(view))
    assert weekend.repeats == 3 and weekend.repeat_of == "2026-01-05"
    assert ids(listing(ListState(node="day:2026-01-06", hide_repeats=True), Sources(view))) == []


def test_all_papers_newest_first_and_sorts() -> None:
    view = make_view()
    assert ids(listing(ListState(), Sources(view))) == ["d", "c", "e", "b", "a"]
    assert ids(listing(ListState(sort="title"), Sources(view))) == ["a", "b", "d", "e", "c"]


def test_search_results_keep_their_ranking_or_go_newest_first() -> None:
    view = make_view()
    search = SearchShown("x", ("a", "e", "zzz"))
    assert ids(listing(ListState(node="day:2026-01-05", search=search, sort="relevance"), Sources(view))) == ["a", "e"]
    assert ids(listing(ListState(search=search, sort="date"), Sources(view))) == ["e", "a"]
    assert listing(ListState(node="day:2026-01-05", search=search), Sources(view)).day == ""


def test_mute_hides_reveal_shows_bookmarks_keep() -> None:
    view = make_view()
    rule = parse_rule("mute", "cat:cs.CL")
    found = Discovery(mutes=[rule], muted={"b": (rule,), "e": (rule,)})
    src = Sources(view, discovery=found, bookmarked=frozenset({"b"}))
    hidden = listing(ListState(), src)
    assert ids(hidden) == ["d", "c", "a"] and hidden.muted == 2
    shown = listing(ListState(show_muted=True), src)
    assert ids(shown) == ["d", "c", "e", "b", "a"] and shown.muted == 2
    assert ids(listing(ListState(node="bookmarks"), src)) == ["b"]


def test_unread_queue_new_and_discovery_nodes() -> None:
    view = make_view()
    src = Sources(view, read=frozenset({"d", "a"}), queue=("e", "a"), new_since="2026-01-05",
                  suggested=["c", "d", "b"], similar=("a", ["b", "c"]))
    assert ids(listing(ListState(node="unread"), src)) == ["c", "e", "b"]
    assert ids(listing(ListState(node="queue"), src)) == ["e", "a"]
    # New since 01-05: only papers first seen after it (the weekend copy adds none).
    assert ids(listing(ListState(node="new"), src)) == ["d", "e"]
    assert ids(listing(ListState(node="suggested"), src)) == ["c", "b"]  # read ones leave
    assert ids(listing(ListState(node="like:a"), src)) == ["b", "c"]
    assert listing(ListState(node="like:zzz"), src).papers == []


def test_new_since_never_used_is_the_newest_day() -> None:
    view = make_view()
    assert [p.id for p in new_papers(view, None)] == ["d", "e"]
    assert [p.id for p in new_papers(view, "2026-01-07")] == []
    assert [p.id for p in new_papers(view, "2025-12-31")] == ["b", "a", "c", "d", "e"]


def test_kind_of_view() -> None:
    assert ListState(node="day:2026-01-05").kind == "day"
    assert ListState(node="day:2026-01-05/cat:cs.CV").kind == "day-category"
    assert ListState(node="cat:cs.CV").kind == "cat:"
    assert ListState(search=SearchShown("q", ())).kind == "search"


def test_title_sort_reads_latex_and_the_sort_names_the_lists_own_order():
    from tui_reader.core.listing import ListState, SearchShown, sort_label, title_key
    from tui_reader.core.model import Paper

    titles = ["$\\alpha$-Nets for Cats", "Beta Models", "{A}ttention Is All", "$O(n \\log n)$ Sorting"]
    papers = [Paper(id=f"2601.0000{i}", title=t) for i, t in enumerate(titles)]
    ordered = [p.title for p in sorted(papers, key=title_key)]
    assert ordered == ["{A}ttention Is All", "Beta Models", "$O(n \\log n)$ Sorting", "$\\alpha$-Nets for Cats"]
    assert sort_label(ListState(node="like:2601.00001")) == "likeness to the paper"
    assert sort_label(ListState(node="day:2026-06-19")) == "the digest's order"
    assert sort_label(ListState(node="suggested")) == "likeness to your bookmarks"
    assert sort_label(ListState(search=SearchShown("x", ()))) == "date, newest first"
    assert sort_label(ListState(sort="title")) == "title"
