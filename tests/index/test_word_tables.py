"""Issue 27: the first query typed after a warm start waited seconds for
the typing table and the vocabulary (made from every title and author).
They are kept beside the index for the files it holds, read back on the
next start, and the same as made: differential tests."""

from __future__ import annotations

import shutil
from itertools import chain

import pytest

from tests.support import SHARED_SAMPLES
from tui_reader.core.index import SearchIndex, analysis, searching, word_tables
from tui_reader.core.index.vocabulary import Vocabulary
from tui_reader.core.loader import load_library


def counts_as_before(texts) -> dict[str, int]:
    """Vocabulary.of_texts as it was written first (the reference)."""
    counts: dict[str, int] = {}
    for text in texts:
        seen = {analysis._normalize(word) for cjk, word in analysis.TOKEN.findall(text) if word}
        for norm in seen:
            counts[norm] = counts.get(norm, 0) + 1
    return counts


@pytest.fixture(scope="module")
def library():
    if not SHARED_SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside this checkout")
    return load_library([str(SHARED_SAMPLES)])


def texts_of(library):
    return chain.from_iterable((p.title, *p.authors) for p in library.papers.values())


def test_the_vocabulary_counts_as_before(library):
    made = Vocabulary.of_texts(texts_of(library)).counts
    assert made == counts_as_before(texts_of(library))
    odd = ["Über Straße 中文über über", "ÜBER x_y", "", "图神经网络 GNN-based"]
    assert Vocabulary.of_texts(odd).counts == counts_as_before(odd)
    assert Vocabulary.of_texts(odd).counts["uber"] == 2  # once a text, accents folded


def test_the_tables_are_kept_and_read_back_the_same(library, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = SearchIndex.open(library.key, cache)
    first.update(library)
    made_pids, made_lists = first._prefixes
    made_counts = first._vocabulary().counts
    first.close()

    def never(self):
        raise AssertionError("the typing table was made again")

    monkeypatch.setattr(searching.Searching, "_typing_table", never)
    second = SearchIndex.open(library.key, cache)
    second.update(library)  # nothing changed: read back
    pids, lists = second._prefixes
    assert pids == made_pids
    assert {k: list(v) for k, v in lists.items()} == {k: list(v) for k, v in made_lists.items()}
    assert second._vocabulary().counts == made_counts
    monkeypatch.undo()
    for query in ("d", "di", "dif", "diffusion", "gaussian splat", "transformr"):
        assert second.search(query, as_you_type=True).ids is not None
    second.close()


def test_other_files_make_them_again(library, tmp_path):
    folder = tmp_path / "lib"
    shutil.copytree(SHARED_SAMPLES / "databranch", folder)
    cache = tmp_path / "cache"
    small = load_library([str(folder)])
    index = SearchIndex.open(small.key, cache)
    index.update(small)
    key = word_tables.key_of(index._manifest["files"], len(small.papers))
    assert word_tables.load(index.directory, key) is not None
    for path in sorted(folder.glob("2026-06-2*"))[:3]:
        path.unlink()
    fewer = load_library([str(folder)])
    index.update(fewer)
    assert set(index._prefixes[0]) == set(fewer.papers)
    assert word_tables.load(index.directory, key) is None  # replaced by the new files' tables
    index.close()


def test_damaged_tables_are_made_again(library, tmp_path):
    cache = tmp_path / "cache"
    index = SearchIndex.open(library.key, cache)
    index.update(library)
    (index.directory / word_tables.TABLES).write_bytes(b"\x00not marshal")
    index.update(library)
    assert set(index._prefixes[0]) == set(library.papers)
    key = word_tables.key_of(index._manifest["files"], len(library.papers))
    assert word_tables.load(index.directory, key) is not None
    index.close()
