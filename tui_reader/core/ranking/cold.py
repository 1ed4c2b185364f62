"""Cold start: before the model has enough to learn from, rank by the
reader's interests and bookmarks, as the Suggested node does, but without
the search index (so the command line and a worker can do it alone): an
interest matches when its words are in the paper (as the index analyses
them), and a paper scores higher the closer its TF-IDF is to the
bookmarks' centroid."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tui_reader.core.discovery.rules import AUTHOR, CATEGORY, INTEREST, Rule
from tui_reader.core.index.analysis import query_terms
from tui_reader.core.model import Paper
from tui_reader.core.ranking.features import Vocabulary, paper_terms

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


def rule_matches(rule: Rule, paper: Paper, terms: Mapping[str, float]) -> bool:
    value = rule.value.casefold()
    if rule.field == AUTHOR:
        return any(value in author.casefold() for author in paper.authors)
    if rule.field == CATEGORY:
        cats = [c.casefold() for c in paper.categories]
        if value.endswith("*"):
            return any(c.startswith(value[:-1]) for c in cats)
        return value in cats or any(c.startswith(value + ".") for c in cats)
    words = query_terms(rule.value)
    if not words:
        return False
    if len(words) == 2 and all(w.isascii() for w in words):
        return f"{words[0]} {words[1]}" in terms
    return all(w in terms for w in words)


def cold_scores(papers: Sequence[Paper], interests: Sequence[Rule], bookmarked: Sequence[Paper]) -> ColdScores:
    """Scores 0..1 from interests (most of it) and likeness to bookmarks."""
    import numpy as np

    found = ColdScores()
    if not papers:
        return found
    docs = [paper_terms(p) for p in papers]
    marks = [paper_terms(p) for p in list(bookmarked)[:MAX_BOOKMARKS]]
    likeness = np.zeros(len(papers))
    if marks:
        vocabulary = Vocabulary.fit(docs + marks)
        centroid = np.asarray(vocabulary.matrix(marks).sum(axis=0)).ravel()
        norm = np.linalg.norm(centroid)
        if norm:
            likeness = vocabulary.matrix(docs) @ (centroid / norm)
            top = likeness.max()
            likeness = likeness / top if top > 0 else likeness
    rules = [r for r in interests if r.kind == INTEREST]
    share = INTEREST_SHARE if rules else 0.0
    for paper, doc, like in zip(papers, docs, likeness):
        matched = [r.label for r in rules if rule_matches(r, paper, doc)]
        score = share * min(len(matched), 2) / 2 + (1.0 - share) * float(like)
        found.scores[paper.id] = score
        reasons = matched + (["like your bookmarks"] if like >= 0.5 else [])
        found.reasons[paper.id] = reasons
    return found
