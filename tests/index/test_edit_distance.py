"""Typo correction and fuzzy words measure the optimal string alignment
distance (rapidfuzz, in C): the same answers as the Python loop it
replaced, and the same fuzzy index terms as Whoosh's terms_within."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.index.conftest import built_index
from tui_reader.core.index import analysis
from tui_reader.core.index.engine import Engine
from tui_reader.core.index.vocabulary import distance
from tui_reader.core.loader import load_library


def reference(a: str, b: str, limit: int) -> int:
    """Insert, delete, substitute, swap two neighbours; limit + 1 above limit."""
    rows = [list(range(len(b) + 1))]
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(rows[-1][j] + 1, row[j - 1] + 1, rows[-1][j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], rows[-2][j - 2] + 1)
        rows.append(row)
    found = rows[-1][-1]
    return found if found <= limit else limit + 1


words = st.text(alphabet="abcdeé图", max_size=9)


@settings(max_examples=3000, deadline=None)
@given(words, words, st.integers(min_value=0, max_value=3))
def test_the_distance_is_the_reference_one(a, b, limit):
    assert distance(a, b, limit) == reference(a, b, limit)


def test_known_typos():
    assert distance("transfromer", "transformer", 2) == 1  # a swap is one edit
    assert distance("difusion", "diffusion", 1) == 1
    assert distance("segmentaion", "segmentation", 2) == 1
    assert distance("model", "network", 2) == 3


@pytest.fixture(scope="module")
def index(tmp_path_factory, databranch):
    yield from built_index(load_library([databranch], None, parallel=False), tmp_path_factory)


@pytest.mark.parametrize(("word", "edits"), [("difusion", 1), ("transfromer", 2), ("segmentaion", 2),
                                              ("modle", 1), ("grahp", 2), ("x", 1), ("zzzzqq", 2)])
def test_fuzzy_terms_are_every_index_term_near_enough(index, word, edits):
    """Every term of the catch-all with the word's first letter within
    ``edits`` (a walk over the whole lexicon), and never fewer than
    Whoosh's terms_within finds (whose distance misses some swaps:
    ``modle`` is one swap from ``model``)."""
    (term,) = analysis.query_terms(word, True)
    searcher = index._searcher
    reader = searcher.reader()
    lexicon = {t.decode("utf-8") for t in reader.lexicon("all")}
    expected = {t for t in lexicon if t[:1] == term[:1] and reference(term, t, edits) <= edits}
    found = set(Engine(searcher).terms_near("all", term, edits))
    assert found == expected
    assert {t.decode("utf-8") if isinstance(t, bytes) else t
            for t in reader.terms_within("all", term, edits, prefix=1)} <= found
    if word in ("difusion", "transfromer", "modle"):
        assert found  # a case that holds terms
