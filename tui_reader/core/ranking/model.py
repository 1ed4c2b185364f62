"""A trained ranking model: a vocabulary with its IDF, one linear model for
the reader and one per tag, and the vectors of the kept papers (for
``like``).  Scoring needs numpy and scipy only, never scikit-learn (that is
for :mod:`tui_reader.core.ranking.train`)."""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tui_reader.core.model import Paper
from tui_reader.core.ranking.features import Vocabulary, display, surface_forms

READER = ""  # the name of the reader's own model; tags are named by the tag
_CACHE = 20_000  # paper vectors kept between calls (a day re-ranked costs no tokenising)


@dataclass
class Linear:
    coef: object  # numpy float32 array, one weight per vocabulary term
    intercept: float
    positives: int = 0
    negatives: int = 0


@dataclass
class Term:
    """One term's share of a score: weight × tf-idf = contribution."""

    term: str  # as the model has it (a stem, a bigram, cat:cs.cv)
    shown: str  # as the paper writes it
    weight: float
    tfidf: float
    contribution: float


@dataclass
class Explanation:
    paper_id: str
    model: str  # "reader" or "tag:NAME"
    score: float  # 0..1
    margin: float  # intercept + sum of contributions (the logit)
    intercept: float
    terms: list[Term] = field(default_factory=list)  # every nonzero term, by |contribution|


@dataclass
class Model:
    vocabulary: Vocabulary
    linear: dict[str, Linear]  # READER and each tag
    kept_ids: list[str]
    kept_titles: list[str]
    kept_vectors: object  # scipy CSR, one row per kept paper
    fingerprint: str = ""
    trained_at: str = ""
    decided: int = 0
    keeps: int = 0
    seconds: float = 0.0
    _cache: OrderedDict = field(default_factory=OrderedDict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)  # two workers may score at once

    @property
    def tags(self) -> list[str]:
        return sorted(name for name in self.linear if name != READER)

    def _linear(self, tag: str | None) -> Linear:
        name = tag or READER
        if name not in self.linear:
            raise KeyError(f"no model for tag {tag!r}: a tag needs at least 5 papers")
        return self.linear[name]

    # -- vectors

    def matrix(self, papers: Sequence[Paper]):
        """The papers' TF-IDF rows; rows of papers seen before come from a
        cache (re-ranking a day costs no tokenising)."""
        import numpy as np
        from scipy import sparse

        with self._lock:
            cache = self._cache
            missing = [i for i in dict.fromkeys(p.id for p in papers) if i not in cache]
            if missing:
                by_id = {p.id: p for p in papers}
                fresh = self.vocabulary.matrix([by_id[i] for i in missing])
                for row, paper_id in enumerate(missing):
                    start, end = fresh.indptr[row], fresh.indptr[row + 1]
                    cache[paper_id] = (fresh.indices[start:end].copy(), fresh.data[start:end].copy())
            rows = []
            for paper in papers:
                rows.append(cache[paper.id])
                cache.move_to_end(paper.id)
            while len(cache) > max(_CACHE, len(papers)):
                cache.popitem(last=False)
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum([len(cols) for cols, _ in rows], out=indptr[1:])
        indices = np.concatenate([cols for cols, _ in rows]) if rows else np.zeros(0, dtype=np.int32)
        data = np.concatenate([vals for _, vals in rows]) if rows else np.zeros(0, dtype=np.float32)
        return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), len(self.vocabulary)))

    # -- scores

    def scores(self, papers: Sequence[Paper], tag: str | None = None) -> list[float]:
        """Each paper's score, 0..1 (the logistic of its margin)."""
        if not papers:
            return []
        import numpy as np

        linear = self._linear(tag)
        margins = self.matrix(papers) @ linear.coef + linear.intercept
        return [float(s) for s in 1.0 / (1.0 + np.exp(-np.clip(margins, -30, 30)))]

    def score_map(self, papers: Iterable[Paper], tag: str | None = None) -> dict[str, float]:
        papers = list(papers)
        return dict(zip((p.id for p in papers), self.scores(papers, tag)))

    def rank(self, papers: Iterable[Paper], tag: str | None = None) -> list[tuple[Paper, float]]:
        """The papers best first, with their scores (ties keep digest order)."""
        papers = list(papers)
        scored = list(zip(papers, self.scores(papers, tag)))
        scored.sort(key=lambda pair: -pair[1])
        return scored

    # -- reasons

    def explain(self, paper: Paper, tag: str | None = None) -> Explanation:
        """The weights behind one score."""
        linear = self._linear(tag)
        row = self.matrix([paper])
        forms = surface_forms(paper)
        terms = []
        for col, value in zip(row.indices.tolist(), row.data.tolist()):
            weight = float(linear.coef[col])
            if weight:
                terms.append(Term(self.vocabulary.term(col), display(self.vocabulary, col, forms), weight, value,
                                  weight * value))
        terms.sort(key=lambda t: -abs(t.contribution))
        margin = linear.intercept + sum(t.contribution for t in terms)
        score = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, margin))))
        return Explanation(paper.id, f"tag:{tag}" if tag else "reader", score, margin, linear.intercept, terms)

    def why(self, paper: Paper, n: int = 5, tag: str | None = None) -> list[str]:
        """The terms that weighed most for this paper (positive ones), as the
        paper writes them: ``["diffusion", "image generation"]``."""
        shown: list[str] = []
        seen: set[str] = set()
        for term in self.explain(paper, tag).terms:
            key = term.shown.casefold()[:6]  # "generation" and "generating": one reason
            if term.contribution <= 0 or key in seen or len(term.shown) < 2 or term.shown.isdigit():
                continue
            seen.add(key)
            shown.append(term.shown)
            if len(shown) >= n:
                break
        return shown

    def like(self, paper: Paper, library, n: int = 3) -> list[Paper]:
        """The kept papers most like this one (cosine on the TF-IDF), as
        Papers of ``library`` (a Library or a mapping id -> Paper); kept
        papers it does not hold are left out (see :meth:`like_titles`)."""
        papers: Mapping[str, Paper] = getattr(library, "papers", library)
        return [papers[i] for i, _title, _sim in self.like_titles(paper, n, papers)]

    def like_titles(self, paper: Paper, n: int = 3, within: Mapping | None = None) -> list[tuple[str, str, float]]:
        """``(id, title, cosine)`` of the kept papers most like ``paper``."""
        if not self.kept_ids:
            return []
        import numpy as np

        row = self.matrix([paper])
        if not row.nnz:
            return []
        sims = (self.kept_vectors @ row.T).toarray().ravel()
        order = np.argsort(-sims, kind="stable")
        found = []
        for i in order:
            if sims[i] <= 0 or len(found) >= n:
                break
            kept_id = self.kept_ids[i]
            if kept_id == paper.id or (within is not None and kept_id not in within):
                continue
            found.append((kept_id, self.kept_titles[i], float(sims[i])))
        return found
