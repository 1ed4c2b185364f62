"""Ranking what a person means (issue 16, points 1-6 and the field table),
on the real samples (markdown, jsonl and the data branch as one library)."""

from __future__ import annotations

import re

import pytest

from tests.index.conftest import built_index
from tests.support import SHARED_SAMPLES
from tui_reader.core.index import SearchIndex, facets
from tui_reader.core.index import query as q
from tui_reader.core.loader import load_library


@pytest.fixture(scope="module")
def library():
    if not SHARED_SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside this checkout")
    return load_library([SHARED_SAMPLES])


@pytest.fixture(scope="module")
def ix(library, tmp_path_factory):
    yield from built_index(library, tmp_path_factory)


def ids(ix, text, **kw):
    result = ix.search(text, limit=None, **kw)
    assert result.error is None, result.error
    return result.ids


def titles(library, found, n=3):
    return [library.papers[pid].title for pid in found[:n]]


# --- 1. whole words first ---------------------------------------------------------------


@pytest.mark.parametrize("text", ["world model", "gaussian splatting", "large language model agents", "LoRA"])
def test_prefix_expansion_of_the_word_being_typed_never_outranks_whole_words(ix, text):
    exact = ids(ix, text)
    typed = ids(ix, text, as_you_type=True)
    assert set(exact) <= set(typed)
    assert typed[: len(exact)] == exact  # the words as typed first, in the same order


def test_after_a_space_or_enter_the_last_word_is_a_word(ix):
    assert ids(ix, "world model ", as_you_type=True) == ids(ix, "world model")


def test_prefix_expansion_uses_the_words_not_the_stems(ix, library):
    found = ids(ix, "gaussian splatting*")
    assert found and all("splatting" in library.papers[pid].title.lower() or "splatting" in
                         library.papers[pid].abstract.lower() for pid in found[:3])


# --- 2. hyphens and phrases ------------------------------------------------------------------


@pytest.mark.parametrize("text", ["text-to-image", "text to image", '"text to image"'])
def test_hyphenated_and_spaced_forms_find_the_titles(ix, library, text):
    top = titles(library, ids(ix, text))
    assert all(re.search(r"text[- ]to[- ]image", t, re.I) for t in top), top


def test_vision_language_action_is_a_phrase_with_the_title_boost(ix, library):
    top = titles(library, ids(ix, "vision-language-action"), 2)
    assert all("vision-language-action" in t.lower() for t in top), top


def test_title_matches_rank_above_abstract_only_matches(ix, library):
    for text in ("world model", "knowledge graph", "anomaly detection"):
        found = ids(ix, text)
        in_title = [pid for pid in found if all(w in library.papers[pid].title.lower() for w in text.split())]
        assert found[: len(in_title)] == in_title, text


# --- 3. typos ----------------------------------------------------------------------------------


def test_fuzzy_ranks_nearer_words_first_not_rarer_ones(ix, library):
    top = titles(library, ids(ix, "difusion~"), 5)
    assert all("diffusion" in t.lower() for t in top), top


def test_fuzzy_ranks_below_exact_matches(ix, library):
    exact = ids(ix, "diffusion")
    fuzzy = ids(ix, "diffusion~")
    assert fuzzy[: len(exact)] == exact


def test_no_results_offer_a_correction_from_the_librarys_words(ix):
    result = ix.search("3D gaussian splating", correct=False)
    assert result.ids == [] and result.suggestion == "3D gaussian splatting"
    assert result.corrected is None
    assert ix.search("transformr", correct=False).suggestion == "transformer"
    assert ix.search("halucination detection", correct=False).suggestion == "hallucination detection"
    assert ix.search("gaussian splatting").suggestion is None  # nothing to correct
    assert ix.search(result.suggestion).ids  # and the suggestion finds papers


@pytest.mark.parametrize("typed, better", [
    ("3D gaussian splating", "3D gaussian splatting"),  # the last word of three
    ("transformr", "transformer"),
    ("halucination detection", "hallucination detection"),  # the first word of two
])
def test_a_query_that_finds_nothing_shows_its_correction_at_once(ix, typed, better):
    result = ix.search(typed)
    assert result.corrected == better and result.typed == typed
    assert result.suggestion is None  # the correction is shown, not offered
    same = ix.search(better)
    assert result.ids == same.ids and result.scores == same.scores
    assert result.terms == same.terms  # highlights are the correction's words


def test_a_query_that_finds_something_is_never_corrected(ix):
    found = ix.search("gaussian splatting")
    assert found.ids and found.corrected is None and found.typed == ""
    nothing = ix.search("zzqxjv")  # no correction finds papers either
    assert nothing.ids == [] and nothing.corrected is None


def test_a_word_being_typed_is_not_corrected_while_it_may_still_become_a_word(ix):
    assert ix.search("gaussian splat", as_you_type=True).suggestion is None


# --- 4. names ------------------------------------------------------------------------------------


def test_author_phrase_matches_the_name_in_order(ix, library):
    found = ids(ix, 'author:"Li Ma"')
    assert found and all("Li Ma" in library.papers[pid].authors for pid in found)
    found = ids(ix, 'author:"Hao Li"')
    assert found and all("Hao Li" in library.papers[pid].authors for pid in found)


def test_author_initials(ix, library):
    found = ids(ix, 'author:"Y. Jo"')
    assert found and all(any(re.fullmatch(r"Y\w* Jo", a) for a in library.papers[pid].authors) for pid in found)
    assert set(ids(ix, 'author:"Yohan Jo"')) <= set(found)


def test_a_bare_name_finds_the_authors_papers_first(ix, library):
    for name in ("Yohan Jo", "Linfeng Zhang", "Weiqi Wang"):
        found = ids(ix, name)
        mine = [pid for pid in found if name in library.papers[pid].authors]
        assert mine and found[: len(mine)] == mine, name


# --- 5. scope --------------------------------------------------------------------------------------


def test_a_search_can_be_limited_to_some_papers(ix, library):
    day = [p.id for p in library.papers.values() if "2026-06-22" in p.dates]
    everywhere = ids(ix, "diffusion")
    here = ids(ix, "diffusion", within=set(day))
    assert here and set(here) <= set(day) and len(here) < len(everywhere)
    assert here == [pid for pid in everywhere if pid in set(day)]  # same order
    assert set(ids(ix, "NOT zzzz", within=set(day))) == set(day)


# --- 6. answered fast or refused clearly ------------------------------------------------------------


def test_a_pasted_abstract_finds_its_paper_first(ix, library):
    paper = library.papers["2606.20543"]
    result = ix.search(paper.abstract[:2000])
    assert result.error is None and result.ids[0] == paper.id


def test_refusals_are_plain_messages(ix):
    for text in ("(" * 250 + "x" + ")" * 250, "NOT " * 300 + "x", " OR ".join(["a"] * 3000)):
        result = ix.search(text)
        assert result.error and "RecursionError" not in result.error and "failed" not in result.error


def test_a_search_can_be_cancelled(ix):
    result = ix.search("diffusion model", cancelled=lambda: True)
    assert result.cancelled and result.ids == [] and result.error is None
    assert ix.search("diffusion model").ids  # the next one runs


@pytest.mark.parametrize("how", ["close", "quit"])
def test_closing_stops_a_search_under_way(library, tmp_path, monkeypatch, how):
    """Quitting never waits for a search: close() (and cancel(for_good),
    which the app's quit calls) tells the search under way to stop, which it
    does at its next posting list."""
    import threading

    from tui_reader.core.index import engine as engine_module

    index = SearchIndex.open(library.key, tmp_path)
    index.update(library)
    reading = threading.Event()
    original = engine_module.Engine.postings

    def slow_postings(self, fieldname, tbytes):
        reading.set()
        for _ in range(500):  # a search that goes on and on, unless told to stop
            if index._stop_searches.is_set():
                break
            threading.Event().wait(0.01)
        return original(self, fieldname, tbytes)

    monkeypatch.setattr(engine_module.Engine, "postings", slow_postings)
    results = []
    worker = threading.Thread(target=lambda: results.append(index.search("diffusion model")))
    worker.start()
    assert reading.wait(30)
    if how == "quit":
        index.cancel(for_good=True)
    else:
        index.close()  # returns once the search has stopped
    worker.join(30)
    index.close()
    assert results and results[0].cancelled


# --- the field table: a facet is one row and one function -----------------------------------------------


def test_a_facet_field_is_one_row_and_one_function(ix, library, monkeypatch):
    monkeypatch.setitem(q.FIELDS, "has", q.Field(q.FILTER, "has"))

    def has(value: str):
        if value != "summary":
            raise q.QueryError(f"has:{value}: use has:summary")
        return lambda paper: bool(paper.summaries)

    monkeypatch.setitem(facets.FILTERS, "has", has)
    with_summary = {p.id for p in library.papers.values() if p.summaries}
    assert set(ids(ix, "has:summary")) == with_summary
    found = ids(ix, "diffusion has:summary")
    assert found and set(found) <= with_summary
    assert set(ids(ix, "diffusion -has:summary")).isdisjoint(with_summary)
    assert ix.search("has:code").error == "has:code: use has:summary"
