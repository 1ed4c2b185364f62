"""Cold start: before the model has enough to learn from, rank by the
reader's interests and bookmarks, as the Suggested node does, but without
the search index (so the command line and a worker can do it alone): an
interest matches when its words are in the paper (as the index analyses
them), and a paper scores higher the closer its TF-IDF is to the
bookmarks' centroid."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from tui_reader.core.discovery.rules import AUTHOR, CATEGORY, INTEREST, Rule
from tui_reader.core.index.analysis import query_terms
from tui_reader.core.model import Paper
from tui_reader.core.ranking.features import Vocabulary

INTEREST_SHARE = 0.6  # of the score; the rest is likeness to the bookmarks
MAX_BOOKMARKS = 2000


@dataclass
class ColdScores:
    scores: dict[str, float] = field(default_factory=dict)  # id -> 0..1
    reasons: dict[str, list[str]] = field(default_factory=dict)  # id -> interests matched, "like your bookmarks"

    def rank(self, papers: Sequence[Paper]) -> list[tuple[Paper, float]]:
        scored = [(p, self.scores.get(p.id, 0.0)) for p in papers]
        scored.sort(key=lambda pair: -pair[1])
        return scored


def _texts(paper: Paper) -> list[str]:
    abstract, summaries = paper.text_record()
    return [paper.title, abstract, *(text for _language, fields in summaries for text in fields if text)]


def _has_phrase(terms: list[str], phrase: list[str]) -> bool:
    width = len(phrase)
    first = phrase[0]
    return any(term == first and terms[i:i + width] == phrase for i, term in enumerate(terms))


def rule_matches(rule: Rule, paper: Paper) -> bool:
    """Whether an interest holds the paper: an author or category, or a
    keyword's words in a row (stems, CJK bigrams: as the index matches)."""
    value = rule.value.casefold()
    if rule.field == AUTHOR:
        return any(value in author.casefold() for author in paper.authors)
    if rule.field == CATEGORY:
        cats = [c.casefold() for c in paper.categories]
        if value.endswith("*"):
            return any(c.startswith(value[:-1]) for c in cats)
        return value in cats or any(c.startswith(value + ".") for c in cats)
    phrase = query_terms(rule.value)
    return bool(phrase) and any(_has_phrase(query_terms(text), phrase) for text in _texts(paper))


def cold_scores(papers: Sequence[Paper], interests: Sequence[Rule], bookmarked: Sequence[Paper]) -> ColdScores:
    """Scores 0..1 from interests (most of it) and likeness to bookmarks."""
    import numpy as np

    found = ColdScores()
    if not papers:
        return found
    marks = list(bookmarked)[:MAX_BOOKMARKS]
    likeness = np.zeros(len(papers))
    if marks:
        _vocabulary, matrix = Vocabulary.fit([*papers, *marks])
        centroid = np.asarray(matrix[len(papers):].sum(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        if norm:
            likeness = matrix[: len(papers)] @ (centroid / norm)
            top = likeness.max()
            likeness = likeness / top if top > 0 else likeness
    rules = [r for r in interests if r.kind == INTEREST]
    share = INTEREST_SHARE if rules else 0.0
    for paper, like in zip(papers, likeness):
        matched = [r.label for r in rules if rule_matches(r, paper)]
        found.scores[paper.id] = share * min(len(matched), 2) / 2 + (1.0 - share) * float(like)
        found.reasons[paper.id] = matched + (["like your bookmarks"] if like >= 0.5 else [])
    return found
