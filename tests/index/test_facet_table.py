"""Issue 27.3: ``tui-reader search`` answers facets (has:code, stars:>100
...) and checks titles and authors from tables kept beside the library
cache, not from every paper.  Differential: the fast path returns the
same ids, order and scores as the index over the loaded library, for
every facet value and for queries whose ranking reads titles and names."""

from __future__ import annotations

import json

import pytest

from tests.support import SHARED_SAMPLES
from tui_reader.cli import main
from tui_reader.core.index import SearchIndex
from tui_reader.core.library.facet_table import FacetRows
from tui_reader.core.library.heads_table import Heads
from tui_reader.core.loader import PaperStore, load_library

QUERIES = [
    "has:code", "has:summary", "has:project", "has:venue", "has:comment", "has:stars",
    "no:summary", "no:code", "no:comment", "is:accepted", "is:failed",
    "stars:>10", "stars:0..5", "stars:<=3", "venue:CVPR", "venue:2026", "venue:2025", "venue:neurips2025",
    "venue:oral", "venue:workshop", "lang:Chinese", "lang:en", "lang:中文",
    "diffusion has:code", "has:code OR is:accepted", "model NOT has:code", "cat:cs.CV has:comment",
]


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    """(the index over the loaded library, the index over the stored
    library with its facet table, the cache folder)."""
    if not SHARED_SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside this checkout")
    cache = tmp_path_factory.mktemp("cache")
    paths = [str(SHARED_SAMPLES)]
    library = load_library(paths, cache)
    slow = SearchIndex.open(library.key, cache)
    slow.update(library)
    store = PaperStore.open(paths, cache)
    assert store is not None
    fast = SearchIndex.open(library.key, cache)
    assert fast.covers(store.stats)
    rows = FacetRows.beside(store, cache)
    fast.attach(store, None, rows, Heads.beside(store, cache))
    yield slow, fast, rows, store, cache
    slow.close()
    fast.close()
    store.close()


@pytest.mark.parametrize("query", QUERIES)
def test_facets_from_the_table_match_the_loaded_library(both, query):
    slow, fast, _rows, _store, _cache = both
    want = slow.search(query, limit=None)
    got = fast.search(query, limit=None)
    assert want.error is None and got.error is None, (want.error, got.error)
    assert got.ids == want.ids, query
    assert got.scores == want.scores


@pytest.mark.parametrize("query", [
    "diffusion model", "large language model agents", "text-to-image", "Yohan Jo", "gaussian splatting",
    "world model", "difusion model", "vision language action", "Wang Yi",
])
def test_titles_and_authors_from_the_table_rank_as_the_loaded_library(both, query):
    slow, fast, _rows, _store, _cache = both
    want, got = slow.search(query, limit=None), fast.search(query, limit=None)
    assert got.ids == want.ids and got.scores == want.scores, query
    assert got.corrected == want.corrected


def test_the_heads_table_holds_each_papers_title_and_authors(both):
    _slow, _fast, _rows, store, cache = both
    heads = Heads.beside(store, cache)
    for pid in list(store)[:50]:
        paper = store[pid]
        assert heads.texts(pid, "title") == [paper.title]
        assert heads.texts(pid, "authors") == list(paper.authors)
    assert heads.texts("no such id", "title") is None and heads.texts(pid, "abstract") is None


def test_the_samples_hold_papers_on_both_sides_of_each_facet(both):
    slow, _fast, _rows, store, _cache = both
    for query in ("has:code", "is:accepted", "stars:>10", "venue:CVPR", "lang:Chinese", "no:summary"):
        found = slow.search(query, limit=None).ids
        assert 0 < len(found) < len(store), query  # a test that would catch a wrong answer


def test_the_table_is_made_once_and_read_back(both):
    _slow, fast, rows, store, cache = both
    fast.search("has:code", limit=None)
    assert rows.made
    again = FacetRows.beside(store, cache)
    assert len(again.table().ids) == len(store) and not again.made  # read from the file
    assert again.ids_where(lambda row: row.has_summary) == rows.ids_where(lambda row: row.has_summary)


def test_a_damaged_or_stale_table_is_made_again(both, tmp_path):
    _slow, _fast, rows, store, cache = both
    rows.table()
    path = cache / "library" / f"{store.library.key}.facets"
    path.write_bytes(b"\x00garbage")
    fresh = FacetRows.beside(store, cache)
    assert fresh.ids_where(lambda row: bool(row.signals.code_url)) == rows.ids_where(
        lambda row: bool(row.signals.code_url))
    assert fresh.made and path.stat().st_size > 100  # written again


def test_the_command_line_answers_a_facet_as_the_loaded_index_does(both, capsys, monkeypatch, tmp_path):
    slow, _fast, _rows, _store, cache = both
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for query in ("stars:>10", "diffusion has:code"):
        assert main(["search", query, str(SHARED_SAMPLES), "--json", "--limit", "0"]) == 0  # builds, then stored
        first = [r["id"] for r in json.loads(capsys.readouterr().out)]
        assert main(["search", query, str(SHARED_SAMPLES), "--json", "--limit", "0"]) == 0
        second = [r["id"] for r in json.loads(capsys.readouterr().out)]
        assert first == second == slow.search(query, limit=None).ids, query


def test_the_heads_table_is_read_back_as_made_and_remade_when_damaged(both):
    _slow, _fast, _rows, store, cache = both
    made = Heads.beside(store, cache)
    made.table()
    again = Heads.beside(store, cache)
    names = ("title", "authors")
    assert {(pid, n): again.texts(pid, n) for pid in store.keys() for n in names} == {
        (pid, n): made.texts(pid, n) for pid in store.keys() for n in names}
    assert not again.made  # read from the file
    assert any(not t.isascii() for pid in store.keys() for t in again.texts(pid, "authors") + again.texts(pid, "title"))
    path = cache / "library" / f"{store.library.key}.heads"
    blob = path.read_bytes()
    path.write_bytes(blob[: len(blob) // 2])
    torn = Heads.beside(store, cache)
    first = next(iter(store.keys()))
    assert torn.texts(first, "title") == [store[first].title] and torn.made  # made again, written again
    assert path.read_bytes() == blob
