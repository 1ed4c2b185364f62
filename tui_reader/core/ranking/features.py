"""What the model sees of a paper: weighted terms of its title, abstract and
AI summaries in every language, tokenised as the search index tokenises
them (:mod:`tui_reader.core.index.analysis`: Porter stems, CJK bigrams),
plus English word bigrams and the categories; and the TF-IDF of those
terms over a fixed vocabulary.

Plain Python here; numpy and scipy are imported inside the functions that
build matrices, never at import (this module is reachable from the start
path through the ranking package's docstring-level API)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from tui_reader.core.index.analysis import TOKEN, counts, word_term
from tui_reader.core.model import Paper

TITLE_WEIGHT = 3.0  # a title term counts as this many abstract terms
SUMMARY_WEIGHT = 1.0
BIGRAM_WEIGHT = 1.0
CATEGORY_PREFIX = "cat:"
MAX_FEATURES = 120_000  # the vocabulary's cap (most frequent by document frequency)
MIN_DF = 2  # a term must occur in this many training papers


def paper_terms(paper: Paper) -> dict[str, float]:
    """Term -> weighted count for one paper."""
    found: dict[str, float] = {}
    _words(paper.title, TITLE_WEIGHT, found)
    abstract, summaries = paper.text_record()
    _words(abstract, 1.0, found)
    for _language, fields in summaries:
        for text in fields:
            if text:
                for term, n in counts(text).items():
                    found[term] = found.get(term, 0.0) + n * SUMMARY_WEIGHT
    for category in paper.categories:
        key = CATEGORY_PREFIX + category.casefold()
        found[key] = found.get(key, 0.0) + 1.0
    return found


def _words(text: str, weight: float, into: dict[str, float]) -> None:
    """Add the words of ``text`` (stemmed, as the index has them), their
    bigrams (``"graph neural"``; stop words skipped as in a phrase) and
    CJK bigrams, each times ``weight``."""
    previous = ""
    for cjk, word in TOKEN.findall(text):
        if word:
            term = word_term(word)
            if not term:
                continue  # a stop word: "state of the art" gives the bigram "state art"
            into[term] = into.get(term, 0.0) + weight
            if previous:
                pair = previous + " " + term
                into[pair] = into.get(pair, 0.0) + weight * BIGRAM_WEIGHT
            previous = term
            continue
        previous = ""
        for term, n in counts(cjk).items():
            into[term] = into.get(term, 0.0) + n * weight


def surface_forms(paper: Paper) -> dict[str, str]:
    """Term -> how it is written in this paper's title or abstract (the
    first time), for showing a stem as a word: ``diffus`` -> ``diffusion``,
    ``graph neural`` -> ``graph neural``."""
    from tui_reader.core.index.analysis import tokens

    forms: dict[str, str] = {}
    for text in (paper.title, paper.abstract):
        previous: tuple[str, str] | None = None
        last_end = -1
        for term, _pos, start, end in tokens(text):
            word = text[start:end]
            forms.setdefault(term, word)
            if previous is not None and start - last_end <= 6:
                forms.setdefault(previous[0] + " " + term, previous[1] + " " + word)
            previous = (term, word) if word.isascii() else None
            last_end = end
    return forms


def display(term: str, forms: dict[str, str]) -> str:
    if term.startswith(CATEGORY_PREFIX):
        return "category " + term[len(CATEGORY_PREFIX):]
    return forms.get(term, term)


class Vocabulary:
    """Terms -> columns, with their inverse document frequencies."""

    def __init__(self, terms: Sequence[str], idf) -> None:
        self.terms = list(terms)
        self.index = {t: i for i, t in enumerate(self.terms)}
        self.idf = idf  # numpy float32 array, one per term

    def __len__(self) -> int:
        return len(self.terms)

    @classmethod
    def fit(cls, docs: Sequence[dict[str, float]], max_features: int = MAX_FEATURES,
            min_df: int = MIN_DF) -> Vocabulary:
        import numpy as np

        df: dict[str, int] = {}
        for doc in docs:
            for term in doc:
                df[term] = df.get(term, 0) + 1
        threshold = min_df if len(docs) >= 4 * min_df else 1
        kept = [t for t, n in df.items() if n >= threshold]
        if len(kept) > max_features:
            kept.sort(key=lambda t: (-df[t], t))
            kept = kept[:max_features]
        kept.sort()
        n = len(docs)
        idf = np.array([math.log((1 + n) / (1 + df[t])) + 1.0 for t in kept], dtype=np.float32)
        return cls(kept, idf)

    def vector(self, doc: dict[str, float]) -> tuple[list[int], list[float]]:
        """Columns and L2-normalised TF-IDF values (sublinear tf) of one doc."""
        index, idf = self.index, self.idf
        cols: list[int] = []
        vals: list[float] = []
        for term, tf in doc.items():
            col = index.get(term)
            if col is not None and tf > 0:
                cols.append(col)
                vals.append((1.0 + math.log(tf)) * float(idf[col]))
        norm = math.sqrt(sum(v * v for v in vals))
        if norm:
            vals = [v / norm for v in vals]
        return cols, vals

    def matrix(self, docs: Iterable[dict[str, float]]):
        """A scipy CSR matrix of the docs' vectors, one row each."""
        rows = [self.vector(doc) for doc in docs]
        return rows_to_csr(rows, len(self))


def rows_to_csr(rows: Sequence[tuple[list[int], list[float]]], width: int):
    import numpy as np
    from scipy import sparse

    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    for i, (cols, _vals) in enumerate(rows):
        indptr[i + 1] = indptr[i] + len(cols)
    indices = np.fromiter((c for cols, _ in rows for c in cols), dtype=np.int32, count=int(indptr[-1]))
    data = np.fromiter((v for _, vals in rows for v in vals), dtype=np.float32, count=int(indptr[-1]))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(rows), width))
