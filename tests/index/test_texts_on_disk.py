"""Texts on disk (issue 18): a paper whose abstract and summaries are read
from the library cache when asked for answers exactly as one that holds
them, and search finds the same papers in the same order.  Differential
tests: the eager path (no cache: every text in memory) against the cold
load (texts let go once the cache is written), the warm load (texts never
read) and the command line's PaperStore."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.support import FIXTURES, REPO
from tui_reader.core import loader
from tui_reader.core.index import SearchIndex
from tui_reader.core.model import Entry, Summary
from tui_reader.core.signals import facet_fields
from tui_reader.ui.render import DetailState, detail_text

QUERIES = [
    "model", "diffusion attention", '"mixture of experts"', '"a central challenge"', "扩散模型", "强化学习",
    "author:Wang", "title:graph", "diffus*", "transfromer~", "diffusion NOT image", "method:扩散",
    'abstract:"we propose"', "tldr:模型", "result:accuracy", "(model OR graph) -networks", "has:code",
    "is:failed", "lang:chinese", "no:summary", '"compared with"', "reinforcement learning",
]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A library in the data branch's shape, two summary languages."""
    sys.path.insert(0, str(REPO))
    from benchmarks.generate import generate_library

    folder = tmp_path_factory.mktemp("texts") / "lib"
    generate_library(folder, papers=600, days=8, seed=5, language="mixed")
    return folder


def everything(paper) -> tuple:
    """All a paper answers, texts and what is derived from them."""
    return (
        paper.to_tuple(),
        paper.abstract,
        {language: s.as_tuple() for language, s in paper.summaries.items()},
        paper.languages, paper.has_summary, paper.summary_failed, paper.summary_missing,
        [paper.summary(language) and paper.summary(language)[0] for language in [None, *paper.languages]],
        paper.abs_url, paper.pdf_url, paper.abs_link, paper.pdf_link, paper.code_link,
        facet_fields(paper),
    )


def three_loads(folder: Path, cache: Path):
    eager = loader.load_library([folder], None, parallel=False)
    cold = loader.load_library([folder], cache, parallel=False)
    warm = loader.load_library([folder], cache, parallel=False)
    return eager, cold, warm


@pytest.mark.parametrize("which", ["generated", "databranch", "fixtures"])
def test_papers_with_texts_on_disk_answer_as_those_holding_them(which, request, tmp_path):
    folder = {"generated": lambda: request.getfixturevalue("generated"),
              "databranch": lambda: request.getfixturevalue("databranch"),
              "fixtures": lambda: FIXTURES}[which]()
    eager, cold, warm = three_loads(folder, tmp_path / "cache")
    assert warm.cached_files == len(warm.files)  # from the library cache
    assert not any(p.texts_on_disk for p in eager.papers.values())
    assert all(p.texts_on_disk for p in cold.papers.values())
    assert all(p.texts_on_disk for p in warm.papers.values())
    assert list(eager.papers) == list(cold.papers) == list(warm.papers)
    store = loader.PaperStore.open([folder], tmp_path / "cache")
    assert store is not None
    try:
        for pid, paper in eager.papers.items():
            expected = everything(paper)
            assert everything(cold.papers[pid]) == expected, pid
            assert everything(warm.papers[pid]) == expected, pid
            assert everything(store[pid]) == expected, pid
            assert cold.papers[pid] == paper
    finally:
        store.close()
    # The detail view reads the same.
    state = DetailState()
    for pid in list(eager.papers)[:40]:
        assert detail_text(warm.papers[pid], state).plain == detail_text(eager.papers[pid], state).plain


def test_search_finds_the_same_papers_in_the_same_order(generated, tmp_path):
    eager, cold, warm = three_loads(generated, tmp_path / "cache")
    index = SearchIndex.open(eager.key, tmp_path / "index")
    try:
        index.update(eager)
        expected = {query: index.search(query, limit=50) for query in QUERIES}
        assert sum(bool(result.ids) for result in expected.values()) >= len(QUERIES) - 3
        for library in (cold, warm):
            index.attach(library.papers)
            for query in QUERIES:
                found = index.search(query, limit=50)
                assert (found.ids, found.scores, found.error) == (
                    expected[query].ids, expected[query].scores, expected[query].error), query
        # Updated with the lazy library (as the reader does), and as you type.
        index.update(warm)
        for query in QUERIES:
            assert index.search(query, limit=50).ids == expected[query].ids, query
        index.update(eager)
        typed = {q: index.search(q, as_you_type=True).ids for q in ("diffusion mo", "扩散", "tra", "a")}
        index.update(warm)
        for query, ids in typed.items():
            assert index.search(query, as_you_type=True).ids == ids, query
    finally:
        index.close()


def test_a_cache_file_damaged_under_the_reader_gives_empty_texts_not_a_crash(generated, tmp_path):
    cache = tmp_path / "cache"
    loader.load_library([generated], cache, parallel=False)
    warm = loader.load_library([generated], cache, parallel=False)
    (blob,) = (cache / "library").glob("*.bin")
    with open(blob, "r+b") as handle:  # in place: the file the papers read from
        handle.truncate(200)
    paper = next(iter(warm.papers.values()))
    assert paper.abstract == "" and paper.summaries == {}
    assert paper.title  # what is in memory stays
    assert "no abstract" in detail_text(paper, DetailState()).plain
    again = loader.load_library([generated], cache, parallel=False)  # the damaged cache is read around
    assert again.papers[paper.id].abstract


def test_merging_into_a_paper_whose_texts_are_on_disk_brings_them_back(generated, tmp_path):
    cache = tmp_path / "cache"
    loader.load_library([generated], cache, parallel=False)
    warm = loader.load_library([generated], cache, parallel=False)
    paper = next(p for p in warm.papers.values() if p.abstract and p.summaries)
    abstract, languages = paper.abstract, paper.languages
    paper.add_entry(Entry(paper.id, "", "", [], [], abstract="other", language="Klingon",
                          summary=Summary(tldr="qapla")), "2099-01-01", "x.jsonl")
    assert not paper.texts_on_disk
    assert paper.abstract == abstract  # the earlier text wins, as always
    assert paper.languages == [*languages, "Klingon"] and paper.summaries["Klingon"].tldr == "qapla"
    other = next(p for p in warm.papers.values() if p.texts_on_disk)
    other.abstract = "changed"
    assert other.abstract == "changed" and not other.texts_on_disk and other.summaries is other.summaries


def test_without_a_writable_cache_the_texts_stay_readable(generated, tmp_path):
    blocked = tmp_path / "cache"
    blocked.mkdir()
    (blocked / "library").write_text("a file where the folder would be")
    eager = loader.load_library([generated], None, parallel=False)
    kept = loader.load_library([generated], blocked, parallel=False)
    for pid, paper in eager.papers.items():
        assert everything(kept.papers[pid]) == everything(paper), pid


def test_a_copied_library_folder_reads_its_own_texts(generated, tmp_path):
    """Two libraries, two caches: a paper never reads another library's records."""
    other = tmp_path / "other"
    shutil.copytree(generated, other)
    first = sorted(other.glob("*.jsonl"))[0]
    first.write_text(first.read_text(encoding="utf-8").replace("a", "e"), encoding="utf-8")
    cache = tmp_path / "cache"
    a = loader.load_library([generated], cache, parallel=False)
    b = loader.load_library([other], cache, parallel=False)
    eager_b = loader.load_library([other], None, parallel=False)
    assert a.key != b.key
    for pid, paper in eager_b.papers.items():
        assert b.papers[pid].abstract == paper.abstract


@pytest.mark.slow  # worker processes over a generated library
def test_index_workers_read_the_texts_themselves(generated, tmp_path, monkeypatch):
    """Built by worker processes from the papers' record numbers (this
    process sends no text): the same documents as from the texts in memory."""
    from tui_reader.core.index import updating
    from tui_reader.core.index.schema import paper_document

    eager, _cold, warm = three_loads(generated, tmp_path / "cache")
    location, docs = updating._documents(list(warm.papers.values()))
    assert location is not None
    sent = list(docs)
    assert all(type(doc) is tuple and "abstract" not in doc[0] for doc in sent)
    store = loader.open_text_store(location)
    for (fields, number), paper in zip(sent, eager.papers.values()):
        from tui_reader.core.index.schema import text_fields

        fields.update(text_fields(*store.texts(number)))
        assert fields == paper_document(paper)
    monkeypatch.setattr(updating, "PROCESS_THRESHOLD", 50)
    monkeypatch.setattr(updating, "NEWEST_FIRST", 10**9)
    reference = SearchIndex.open(eager.key, tmp_path / "eager-index")
    built = SearchIndex.open(warm.key, tmp_path / "lazy-index")
    try:
        reference.update(eager)
        report = built.update(warm)
        assert report.processes > 1 and not built.notices  # in worker processes, none failed
        for query in QUERIES:  # segments made by two workers differ run to run: ties may swap places
            found, expected = built.search(query, limit=None), reference.search(query, limit=None)
            assert {pid: round(score, 6) for pid, score in found.scores.items()} == {
                pid: round(score, 6) for pid, score in expected.scores.items()}, query
    finally:
        reference.close()
        built.close()


def test_a_cjk_word_is_found_in_the_stored_record_as_in_the_texts(generated, tmp_path):
    """Paper.mentions looks for the word's UTF-8 in the record as stored:
    the same answer as looking in every decoded text."""
    from tui_reader.core.index.searching import _paper_texts

    eager, cold, warm = three_loads(generated, tmp_path / "cache")
    words = ["扩散", "模型", "扩散模型", "强化学习", "数据集", "方法", "我们", "的", "不存在的词语"]
    seen = {True: 0, False: 0}
    for pid, paper in eager.papers.items():
        for word in words:
            expected = any(word in text for text in _paper_texts(paper))
            seen[expected] += 1
            assert paper.mentions(word) == expected
            assert warm.papers[pid].mentions(word) == expected, (pid, word)
            assert cold.papers[pid].mentions(word) == expected, (pid, word)
    assert seen[True] > 100 and seen[False] > 100
