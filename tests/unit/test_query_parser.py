"""The query parser (core/index/query.py): pure, bounded, and refusing
clearly what it cannot answer quickly (issue 16, points 6 and 8)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tui_reader.core.index import query as q
from tui_reader.core.index.query import Group, Not, QueryError, Word, parse

QUERY_PY = Path(q.__file__)


def test_the_parser_has_no_whoosh_in_it():
    tree = ast.parse(QUERY_PY.read_text("utf-8"))
    modules = [n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    modules += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
    assert not [m for m in modules if m and m.split(".")[0] == "whoosh"]
    assert set(m for m in modules if m and m.startswith("tui_reader")) <= {"tui_reader.core.index.facets",
                                                                            "tui_reader.core.index.errors"}


def test_grammar():
    assert parse("a b") == Group("and", [Word("a", start=0, end=1), Word("b", start=2, end=3)])
    tree = parse("a OR -b")
    assert isinstance(tree, Group) and tree.op == "or" and isinstance(tree.children[1], Not)
    assert parse('title:"graph neural"').phrase
    assert parse("title:(a b)").children[0].field == "title"
    word = parse("difusion~")
    assert word.text == "difusion" and word.fuzzy == -1  # scaled to the word's length
    assert parse("splat*").prefix
    assert parse("NOT NOT x") == Word("x", start=8, end=9)


def test_the_word_being_typed_is_the_last_one_unless_a_space_follows():
    assert parse("gaussian splat", as_you_type=True).children[-1].typing
    assert not parse("gaussian splat ", as_you_type=True).children[-1].typing
    assert not parse("gaussian splat").children[-1].typing  # after Enter: a word


def test_repeated_words_count_once():
    tree = parse(" ".join(["diffusion"] * 400))
    assert isinstance(tree, Word) and tree.text == "diffusion"
    tree = parse("a OR a OR b")
    assert len(tree.children) == 2


@pytest.mark.parametrize(("text", "message"), [
    ("(" * 250 + "x" + ")" * 250, "parentheses inside each other"),
    ("NOT " * 500 + "x", "NOTs in a row"),
    ("-" * 3 + "x " + "NOT " * 40 + "y", "NOTs in a row"),
    (" OR ".join(f"w{i}" for i in range(3000)), "characters long"),
    (" OR ".join(f"w{i}" for i in range(150)), "too many ORs"),
    ("word " * 1100, "characters"),
    (" ".join(f"w{i}" for i in range(700)), "more than 600 words"),
    ('"unclosed', "unclosed quote"),
    ("is:famous", "is:bookmarked"),
    ("date:2026-13-99..2025", "date:"),
], ids=lambda v: v[:24] if isinstance(v, str) else v)
def test_what_cannot_be_answered_quickly_is_refused_at_once(text, message):
    with pytest.raises(QueryError, match=message):
        parse(text)


def test_a_pasted_abstract_is_read():
    abstract = ("We propose a diffusion transformer for text-to-image generation that scales to "
                "large datasets, with a mixture-of-experts router and chain-of-thought prompting. ") * 12
    assert 1500 < len(abstract) < q.MAX_CHARS
    tree = parse(abstract)
    assert isinstance(tree, Group) and len(tree.children) < 40  # repeats once


def test_the_field_table_drives_the_parser(monkeypatch):
    from tui_reader.core.index import facets

    monkeypatch.setitem(q.FIELDS, "stars", q.Field(q.FILTER, "stars"))

    def stars(value: str):
        if not value.startswith(">") or not value[1:].isdigit():
            raise QueryError(f"stars:{value}: use stars:>N")
        return lambda paper: True

    monkeypatch.setitem(facets.FILTERS, "stars", stars)
    word = parse("stars:>100")
    assert word.field == "stars" and word.spec.kind == q.FILTER and not word.typing
    with pytest.raises(QueryError, match="stars:>N"):
        parse("stars:lots")
    assert parse("stars:>100", as_you_type=True).typing is False
