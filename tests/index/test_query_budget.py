"""Issue 28.6: a query that outgrows its budget is cut off with a notice
(the reader gives each :data:`INTERACTIVE_BUDGET` seconds), so no query
holds the search worker, and ``q``, for seconds.  Failed on the code
before the fix (no budget: a query ran as long as it took)."""

from __future__ import annotations

import itertools

import pytest

from tests.index.conftest import built_index
from tests.support import FIXTURE
from tui_reader.core.index import searching
from tui_reader.core.loader import load_library

SLOW = " OR ".join(["diffus*", "model~2", "learn*", "graph~", "network~2", "data*", "train*", "image~"])


@pytest.fixture(scope="module")
def ix(tmp_path_factory):
    yield from built_index(load_library([str(FIXTURE)]), tmp_path_factory)


def test_a_query_over_its_budget_is_cut_off_with_a_notice(ix) -> None:
    answered = ix.search(SLOW, limit=None, budget=60.0)
    assert answered.ids and not answered.cut_off and answered.error is None
    cut = ix.search(SLOW, limit=None, budget=0.0)
    assert cut.cut_off and cut.ids == [] and not cut.cancelled and cut.error is None
    assert "cut off" in cut.notes[0]
    assert ix.search(SLOW, limit=None).ids == answered.ids  # no budget: as before


def test_the_clock_is_read_often_enough_to_keep_the_budget(ix, monkeypatch) -> None:
    """Each look at the clock costs 10 ms of a pretend clock: a search that
    went long between two looks would end past its budget."""
    ticks = itertools.count()
    monkeypatch.setattr(searching, "_clock", lambda: next(ticks) * 0.01)
    result = ix.search(SLOW, limit=None, budget=searching.INTERACTIVE_BUDGET)
    assert result.cut_off or result.ids
    assert result.seconds <= searching.INTERACTIVE_BUDGET
