"""The facets' meaning, on the signals fixture (no index, no Textual)."""

from __future__ import annotations

import pytest

from tests.support import FIXTURES
from tui_reader.core.facet_filters import FACETS, FacetError, is_, number_range
from tui_reader.core.loader import load_library


@pytest.fixture(scope="module")
def papers():
    return load_library([str(FIXTURES / "signals")], None).papers


def ids(papers, predicate) -> set[str]:
    return {pid for pid, paper in papers.items() if predicate(paper)}


A, B, C, D, E = (f"2603.0500{n}" for n in range(1, 6))


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("has", "code", {A, B, C}),
    ("has", "CODE", {A, B, C}),
    ("no", "code", {D, E}),
    ("has", "summary", {A, B, C}),
    ("no", "summary", {D, E}),
    ("has", "project", {A}),
    ("has", "stars", {A, C}),
    ("stars", ">100", {A}),
    ("stars", ">=12", {A, C}),
    ("stars", "<=12", {C}),
    ("stars", "10..", {A, C}),
    ("stars", "..100", {C}),
    ("stars", "13..249", set()),
    ("stars", "250", {A}),
    ("venue", "CVPR", {A}),
    ("venue", "cvpr", {A}),
    ("venue", "2026", {A, C}),
    ("venue", "CVPR2026", {A}),
    ("venue", "iclr2025", set()),
    ("venue", "oral", {C}),
    ("venue", "highlight", {A}),
    ("lang", "Chinese", set()),
    ("lang", "English", {A, B, C}),
    ("lang", "japanese", {A, C}),
    ("lang", "ja", {A, C}),
    ("lang", "日本語", {A, C}),
])
def test_facets(papers, field, value, expected):
    assert ids(papers, FACETS[field](value)) == expected


def test_is_values(papers):
    assert ids(papers, is_("accepted")) == {A, C}
    assert ids(papers, is_("failed")) == {E}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("has", "wings", "has:wings: unknown"),
    ("no", "wings", "no:wings: unknown"),
    ("stars", "lots", "give a number"),
    ("stars", "50..10", "the range is empty"),
    ("venue", "", "needs a name"),
    ("lang", " ", "needs a language"),
])
def test_values_that_cannot_be_read_say_why(field, value, message):
    with pytest.raises(FacetError, match=message):
        FACETS[field](value)


def test_number_ranges():
    assert number_range(">100", "stars") == (101, 10**12)
    assert number_range("<10", "stars") == (0, 9)
    assert number_range("1,000..", "stars") == (1000, 10**12)
