"""Search recall and the query language, on the real samples."""

from __future__ import annotations

import pytest

from tests.index.conftest import built_index
from tui_reader.core.index import SearchIndex, analysis, fragment, highlight
from tui_reader.core.index.query import QueryError, parse
from tui_reader.core.loader import load_library


@pytest.fixture(scope="module")
def shared_library(shared_samples):
    return load_library([shared_samples])


@pytest.fixture(scope="module")
def ix(shared_library, tmp_path_factory):
    yield from built_index(shared_library, tmp_path_factory)


def ids(ix, text, **kw):
    result = ix.search(text, limit=None, **kw)
    assert result.error is None, result.error
    return result.ids


def papers_where(library, predicate):
    return {p.id for p in library.papers.values() if predicate(p)}


# --- analysis ------------------------------------------------------------------


def test_english_is_lowercased_and_stemmed():
    assert analysis.query_terms("Networks") == analysis.query_terms("network") == ["network"]
    assert analysis.query_terms("the state of the art") == ["state", "art"]
    assert analysis.query_terms("Müller", stem=False) == ["muller"]


def test_cjk_bigrams_and_mixed_text():
    assert analysis.query_terms("鲁棒性") == ["鲁棒", "棒性"]
    assert analysis.query_terms("基于Transformer的检测") == ["基于", "transform", "的检", "检测"]
    poses, _ = analysis.positions("基于Transformer的检测")
    # the run-final character is indexed at the last bigram's position
    assert poses["于"] == poses["基于"] == [0]
    assert poses["transform"] == [1]
    assert poses["测"] == poses["检测"]


def test_index_and_query_analysis_agree(shared_library):
    for paper in list(shared_library.papers.values())[:50]:
        for text in (paper.title, paper.abstract):
            indexed = set(analysis.positions(text)[0])
            assert set(analysis.query_terms(text)) <= indexed


# --- recall ---------------------------------------------------------------------


def test_stemming_finds_other_forms(ix, shared_library):
    found = set(ids(ix, "networks"))
    assert found
    with_singular = papers_where(shared_library, lambda p: " network " in f" {p.title.lower()} ")
    assert with_singular <= found


def test_chinese_word_inside_a_sentence(ix, shared_library):
    for word in ("鲁棒", "鲁棒性", "扩散模型", "材质", "大语言模型"):
        expected = papers_where(
            shared_library,
            lambda p, w=word: any(w in t for s in p.summaries.values() for t in s.as_tuple()),
        )
        assert expected, word
        assert expected <= set(ids(ix, word)), word


def test_english_summaries_are_searchable(ix, shared_library):
    english = [p for p in shared_library.papers.values() if "English" in p.summaries and p.summaries["English"].tldr]
    assert english
    paper = english[0]
    words = [w for w in paper.summaries["English"].tldr.split() if len(w) > 6][:2]
    assert paper.id in ids(ix, "tldr:(" + " ".join(words) + ")")


def test_single_chinese_character(ix, shared_library):
    expected = papers_where(shared_library, lambda p: any("材" in s.tldr for s in p.summaries.values()))
    assert expected <= set(ids(ix, "tldr:材"))


def test_mixed_text_matches_from_either_side(ix, shared_library):
    import re

    pattern = re.compile(r"([\u4e00-\u9fff]{2})([A-Za-z]{3,})([\u4e00-\u9fff]{2})")
    checked = 0
    for paper in shared_library.papers.values():
        for summary in paper.summaries.values():
            match = pattern.search(summary.tldr)
            if not match:
                continue
            left, latin, right = match.groups()
            for query in (left + latin + right, left + latin, latin + right, latin + right[0]):
                assert paper.id in ids(ix, f'tldr:"{query}"'), query
            checked += 1
    assert checked >= 3


def test_title_fragment_author_category_id_date(ix, shared_library):
    paper = next(p for p in shared_library.papers.values() if p.dates and len(p.authors) > 1)
    title_words = " ".join(paper.title.split()[:4])
    assert paper.id in ids(ix, title_words)[:5]
    surname = paper.authors[1].split()[-1]
    assert paper.id in ids(ix, f"author:{surname}")
    assert paper.id in ids(ix, surname)
    assert paper.id in ids(ix, f"cat:{paper.categories[-1]}")
    assert paper.id in ids(ix, f"cat:{paper.categories[-1].lower()}")
    assert ids(ix, f"id:{paper.id}") == [paper.id]
    assert ids(ix, paper.id)[0] == paper.id
    assert paper.id in ids(ix, f"date:{paper.dates[0]}")
    assert paper.id in ids(ix, paper.dates[0])


def test_all_categories_are_indexed(ix, shared_library):
    cross = next(p for p in shared_library.papers.values() if len(p.categories) > 1)
    assert cross.id in ids(ix, f"cat:{cross.categories[1]}")


def test_category_wildcard(ix, shared_library):
    expected = papers_where(shared_library, lambda p: any(c.startswith("cs.") for c in p.categories))
    assert set(ids(ix, "cat:cs.*")) == expected


def test_date_ranges(ix, shared_library):
    sept = papers_where(shared_library, lambda p: any(d.startswith("2025-09") for d in p.dates))
    march = papers_where(shared_library, lambda p: "2026-03-04" in p.dates)
    assert sept and march
    assert set(ids(ix, "date:2025-09")) == sept
    assert set(ids(ix, "date:2025-09-01..2025-09-30")) == sept
    assert set(ids(ix, "date:2026-03-04")) == march
    assert set(ids(ix, "date:2026-03-01..")) == march
    assert set(ids(ix, "date:..2025-12")) == sept
    assert set(ids(ix, "date:2025-01..2026-12")) == sept | march
    assert ids(ix, "date:2024") == []


def test_fields(ix, shared_library):
    paper = next(p for p in shared_library.papers.values() if "Chinese" in p.summaries)
    summary = paper.summaries["Chinese"]
    for field, text in (("tldr", summary.tldr), ("method", summary.method), ("result", summary.result),
                        ("motivation", summary.motivation), ("conclusion", summary.conclusion)):
        run = next(r for r in analysis.CJK_RUN.findall(text) if len(r) >= 4)
        assert paper.id in ids(ix, f'{field}:"{run[:4]}"'), field
    word = next(w for w in paper.abstract.split() if len(w) > 8 and w.isalpha())
    assert paper.id in ids(ix, f"abstract:{word}")
    title_word = next(w for w in paper.title.split() if len(w) > 5 and w.isalpha())
    assert paper.id in ids(ix, f"title:{title_word}")
    # a word only in the title is not found in the abstract field
    assert set(ids(ix, "title:diffusion")) <= set(ids(ix, "diffusion"))


def test_title_ranks_first(ix, shared_library):
    found = ids(ix, "diffusion")
    assert "diffusion" in shared_library.papers[found[0]].title.lower()


def test_operators(ix):
    a, b = set(ids(ix, "diffusion")), set(ids(ix, "robot"))
    assert set(ids(ix, "diffusion OR robot")) == a | b
    assert set(ids(ix, "diffusion robot")) == a & b
    assert set(ids(ix, "diffusion AND robot")) == a & b
    assert set(ids(ix, "diffusion NOT robot")) == a - b
    assert set(ids(ix, "diffusion -robot")) == a - b
    c = set(ids(ix, "image"))
    assert set(ids(ix, "(diffusion OR robot) image")) == (a | b) & c
    assert set(ids(ix, "image -(diffusion OR robot)")) == c - (a | b)


def test_phrase_prefix_fuzzy(ix, shared_library):
    phrase = set(ids(ix, '"large language models"'))
    expected = papers_where(shared_library, lambda p: "large language models" in p.abstract.lower())
    assert expected <= phrase
    assert set(ids(ix, "diffusion")) <= set(ids(ix, "diffu*"))
    assert set(ids(ix, "title:difusion~")) >= set(ids(ix, "title:diffusion"))
    assert ids(ix, "title:difusion", correct=False) == []  # as typed; corrected it finds title:diffusion


@pytest.mark.parametrize(
    "phrase, words, other",
    [('"training data"', "training data", "learning"), ('"real time"', "real time", "model"),
     ('"language model"', "language model", "reasoning"), ("学习模型", "学习 习模 模型", "模型")],
)
def test_phrases_combine_like_their_results(ix, phrase, words, other):
    """A phrase's text check is put off until an AND has narrowed its
    papers, and a ranked list checks only as many as it shows: the results
    are still exactly those of the phrase alone, combined."""
    alone, holding_terms = set(ids(ix, phrase)), set(ids(ix, words))
    # Papers that hold every word but not the phrase: the check has work to do.
    assert alone and alone < holding_terms
    rest = set(ids(ix, other))
    assert alone & rest and rest - alone
    assert set(ids(ix, f"{phrase} {other}")) == alone & rest
    assert set(ids(ix, f"{other} {phrase}")) == alone & rest
    assert set(ids(ix, f"{other} NOT {phrase}")) == rest - alone
    assert set(ids(ix, f"NOT {phrase}")) == set(ix.indexed_ids()) - alone
    assert set(ids(ix, f"{phrase} OR {other}")) == alone | rest
    ranked = ids(ix, phrase)
    for limit in (1, 3, len(ranked) - 1):
        assert ix.search(phrase, limit=limit).ids == ranked[:limit]


@pytest.mark.parametrize(
    "text, message",
    [
        ("(diffusion", "never closed"),
        ("diffusion)", "no '(' to close"),
        ('"open phrase', "unclosed quote"),
        ("diffusion OR", "both sides"),
        ("NOT", "needs a search term"),
        ("date:soon", "date:"),
        ("date:2026-02..2026-01", "starts after"),
        ("d*", "at least 2"),
        ("word~5", "~1 or ~2"),
        ("is:bookmarked", "not available"),
        ("is:starred", "is:bookmarked"),
        ("()", "empty parentheses"),
        ("title:", "needs a value"),
    ],
)
def test_unreadable_queries_get_a_message(ix, text, message):
    result = ix.search(text)
    assert result.ids == []
    assert result.error and message in result.error


def test_empty_query_means_no_filter(ix):
    assert ix.search("").ids is None
    assert ix.search("   ").ids is None


def test_parse_never_raises_other_errors():
    for text in ['"', "(((", ")", "a OR OR b", "::", "title:(", "-", "~", "*", "a~b~", 'x:"y', "NOT NOT a"]:
        try:
            parse(text)
        except QueryError:
            pass


def test_text_the_syntax_cannot_take_says_how_to_write_it(ix, shared_library):
    result = ix.search("K^*(1680)")
    assert result.ids == [] and result.error is not None
    assert result.error.endswith('put it in quotes: "K^*(1680)"'), result.error
    assert "( )" in result.error
    quoted = ids(ix, '"K^*(1680)"')  # written as the message says, it finds the paper
    assert quoted and "K^*(1680)" in shared_library.papers[quoted[0]].title
    assert ix.search("title:K^*").error.endswith('put it in quotes: title:"K^*"')
    assert ids(ix, "diffus*") and ids(ix, "vision-lang*") is not None  # plain prefixes stay prefixes


class FakeState:
    def __init__(self, bookmarked, read, tags):
        self.bookmarked, self.read, self.tags = set(bookmarked), set(read), tags

    def bookmarked_ids(self):
        return set(self.bookmarked)

    def unread_ids(self, all_ids):
        return {i for i in all_ids if i not in self.read}

    def tagged_ids(self, tag):
        return set(self.tags.get(tag, ()))


def test_state_filters(ix, shared_library):
    all_ids = sorted(shared_library.papers)
    state = FakeState(all_ids[:3], all_ids[3:], {"todo": all_ids[1:5]})
    assert set(ids(ix, "is:bookmarked", state=state)) == set(all_ids[:3])
    assert set(ids(ix, "is:unread", state=state)) == set(all_ids[:3])
    assert set(ids(ix, "is:read", state=state)) == set(all_ids[3:])
    assert set(ids(ix, "tag:todo", state=state)) == set(all_ids[1:5])
    assert set(ids(ix, "tag:todo -is:bookmarked", state=state)) == set(all_ids[3:5])
    diffusion = set(ids(ix, "diffusion"))
    assert set(ids(ix, "diffusion is:unread", state=state)) == diffusion & set(all_ids[:3])


def test_picked_by_a_teammate(ix, shared_library):
    from tui_reader.core.picks import Pick, PickedFilter, Picks

    all_ids = sorted(shared_library.papers)
    state = PickedFilter(FakeState(all_ids[:3], [], {}), Picks({pid: [Pick("Ada")] for pid in all_ids[2:6]}))
    assert set(ids(ix, "picked:ada", state=state)) == set(all_ids[2:6])
    assert set(ids(ix, "picked:Ada is:bookmarked", state=state)) == {all_ids[2]}
    assert ids(ix, "picked:Bob", state=state) == []
    result = ix.search("picked:Ada", limit=None, state=FakeState([], [], {}))
    assert result.error == "picked:Ada: no followed shares here"  # a message, not a crash


def test_as_you_type(ix, shared_library):
    full = ids(ix, "diffusion")
    typed = set(ids(ix, "diffu", as_you_type=True))
    assert set(full) <= typed
    # the 1-2 letter word being typed is matched against titles/authors
    short = ids(ix, "diffusion mo", as_you_type=True)
    assert short and set(short) <= set(full)
    for pid in short:
        paper = shared_library.papers[pid]
        words = (paper.title + " " + " ".join(paper.authors)).lower().replace("-", " ").split()
        assert any(w.lstrip("([{$").startswith("mo") for w in words), paper.title
    only = ids(ix, "q", as_you_type=True)
    papers = shared_library.papers
    assert only and all(any(w.lower().startswith("q") for w in
                            (papers[p].title + " " + " ".join(papers[p].authors)).replace("-", " ").split())
                        for p in only)
    # a finished word (followed by a space) is exact
    assert ids(ix, "diffu ", as_you_type=True) == ids(ix, "diffu")


def test_highlight_and_fragment(ix, shared_library):
    result = ix.search("diffusion models")
    paper = shared_library.papers[result.ids[0]]
    spans = highlight(paper.title, result.terms)
    assert any(paper.title[s:e].lower().startswith("diffusion") for s, e in spans)
    frag = fragment(paper.abstract, result.terms, width=120)
    assert len(frag.text) <= 125 and frag.spans
    assert all(frag.text[s:e].lower().startswith(("diffusion", "model")) for s, e in frag.spans)
    result = ix.search("鲁棒性")
    paper = shared_library.papers[result.ids[0]]
    text = next(s.tldr + s.result for s in paper.summaries.values())
    assert "鲁棒性" in [text[s:e] for s, e in highlight(text, result.terms)] or any(
        "鲁棒" in text[s:e] for s, e in highlight(text, result.terms))


def test_embedded_samples_search(embedded_samples, tmp_path):
    library = load_library([embedded_samples])
    with SearchIndex.open(library.key, tmp_path) as index:
        report = index.update(library)
        assert report.added == len(library.papers)
        some = next(iter(library.papers.values()))
        assert index.search(f"id:{some.id}").ids == [some.id]
