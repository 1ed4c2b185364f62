"""What the model sees of a paper: the terms of its title (×3), abstract
and AI summary's TL;DR in every language, tokenised as the search index tokenises
them (:mod:`tui_reader.core.index.analysis`: Porter stems, CJK bigrams),
English word bigrams of the title and abstract, and the categories; and
their TF-IDF (sublinear tf, smoothed idf, rows L2-normalised) over a fixed
vocabulary.

The hot loop turns tokens into integer columns straight away (no dict of
strings per paper, no bigram strings): 10,000 papers are one pass of the
tokenizer and a few numpy operations.  numpy and scipy are imported inside
the functions, never at import."""

from __future__ import annotations

from array import array
from collections.abc import Sequence

from tui_reader.core.index.analysis import TOKEN, word_term
from tui_reader.core.model import Paper

TITLE_WEIGHT = 3.0  # a title term counts as this many abstract terms
# Which summary fields, in every language (0 tldr, 1 motivation, 2 method, 3
# result, 4 conclusion): the TL;DR only.  All five doubled the tokenising
# time of a training (3.2 s instead of 1.7 s on 10,000 papers) and did not
# rank better on benchmarks/rank_eval.py: the abstract says it in English.
SUMMARY_FIELDS = (0,)
CATEGORY_PREFIX = "cat:"
MAX_TERMS = 80_000  # words, CJK bigrams and categories kept (most frequent by document frequency)
MAX_PAIRS = 60_000  # English word bigrams kept
MIN_DF = 2  # a term must occur in this many training papers
_SHIFT = 24  # a bigram's key: first column << _SHIFT | second column
_LOW = (1 << _SHIFT) - 1


class _Known(dict):
    """A fixed term -> column map: an unknown term is column -1."""

    def __missing__(self, key):
        return -1


class _Growing(dict):
    """A term -> column map that gives each new term the next column."""

    def __missing__(self, key):
        column = self[key] = len(self)
        return column


class _Encoded:
    """Every paper's term columns in one flat array (-1 unknown, -2 a break
    between words that are no bigram), cut into segments of one weight."""

    def __init__(self) -> None:
        self.cols = array("i")
        self.segment_ends = array("q")  # where each segment ends in cols
        self.segment_weights = array("f")
        self.segment_pairs = array("b")  # 1: its neighbouring words are bigrams
        self.paper_ends = array("q")  # where each paper's segments end in cols

    def arrays(self):
        """(rows, cols, weights) of the known terms and (rows, keys,
        weights) of the bigrams: numpy arrays."""
        import numpy as np

        cols = np.frombuffer(self.cols, dtype=np.int32) if len(self.cols) else np.zeros(0, dtype=np.int32)
        ends = np.frombuffer(self.segment_ends, dtype=np.int64) if len(self.segment_ends) else np.zeros(0, np.int64)
        lengths = np.diff(ends, prepend=0)
        segment = np.repeat(np.arange(len(ends), dtype=np.int32), lengths)
        weights = np.repeat(np.frombuffer(self.segment_weights, dtype=np.float32), lengths)
        paper_ends = np.frombuffer(self.paper_ends, dtype=np.int64)
        rows = np.repeat(np.arange(len(paper_ends), dtype=np.int32), np.diff(paper_ends, prepend=0))
        pairs_ok = np.repeat(np.frombuffer(self.segment_pairs, dtype=np.int8), lengths).astype(bool)
        valid = pairs_ok[:-1] & (segment[:-1] == segment[1:]) & (cols[:-1] >= 0) & (cols[1:] >= 0)
        keys = (cols[:-1][valid].astype(np.int64) << _SHIFT) | cols[1:][valid]
        known = cols >= 0
        return (rows[known], cols[known], weights[known]), (rows[:-1][valid], keys, weights[:-1][valid])


def _segments(paper: Paper):
    abstract, summaries = paper.text_record()
    yield paper.title, TITLE_WEIGHT, 1
    yield abstract, 1.0, 1
    for _language, fields in summaries:
        for number in SUMMARY_FIELDS:
            if number < len(fields) and fields[number]:
                yield fields[number], 1.0, 0


_STOP = -3  # a word that is no term (a stop word): skipped, "state of the art" gives the bigram "state art"
_WORDS_LIMIT = 500_000


def _encode(papers: Sequence[Paper], vocab: dict, out: _Encoded, words: dict[str, int]) -> None:
    """Append every paper's term columns (``vocab[term]``, -1: unknown) to
    ``out``, a CJK run fenced by -2 (no English bigram across it); the
    tokens are the index's (see the module docstring).  ``words`` caches
    word -> column across calls (one dict lookup per repeated word)."""
    cols = out.cols
    append, extend, lookup = cols.append, cols.extend, vocab.__getitem__
    findall, known = TOKEN.findall, words.get
    if len(words) > _WORDS_LIMIT:
        words.clear()
    for paper in papers:
        for text, weight, pairs in _segments(paper):
            for cjk, word in findall(text):
                if word:
                    col = known(word)
                    if col is None:
                        term = word_term(word)
                        col = words[word] = lookup(term) if term else _STOP
                    if col != _STOP:
                        append(col)
                else:
                    append(-2)
                    extend(map(lookup, [cjk[i:i + 2] for i in range(len(cjk) - 1)]))
                    append(lookup(cjk[-1]))
                    append(-2)
            out.segment_ends.append(len(cols))
            out.segment_weights.append(weight)
            out.segment_pairs.append(pairs)
        extend(lookup(CATEGORY_PREFIX + c.casefold()) for c in paper.categories)
        out.segment_ends.append(len(cols))
        out.segment_weights.append(1.0)
        out.segment_pairs.append(0)
        out.paper_ends.append(len(cols))


def _csr(rows, cols, weights, shape):
    import numpy as np
    from scipy import sparse

    return sparse.coo_matrix((weights.astype(np.float32, copy=False), (rows, cols)), shape=shape).tocsr()


def _tfidf(counts, idf):
    """Sublinear tf × idf, each row L2-normalised (in place on ``counts``)."""
    import numpy as np
    from scipy import sparse

    counts.data = (1.0 + np.log(counts.data)) * idf[counts.indices]
    norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
    norms[norms == 0] = 1.0
    return (sparse.diags(1.0 / norms) @ counts).astype(np.float32).tocsr()


class Vocabulary:
    """Columns: ``terms`` (words, CJK bigrams, categories) first, then the
    English bigrams, each a pair of term columns; with their idf."""

    def __init__(self, terms: Sequence[str], pairs, idf) -> None:
        import numpy as np

        self.terms = list(terms)
        self.pairs = np.asarray(pairs, dtype=np.int32).reshape(-1, 2)  # (first, second) term columns
        self.idf = np.asarray(idf, dtype=np.float32)
        self.index = _Known((t, i) for i, t in enumerate(self.terms))
        self._words: dict[str, int] = {}  # word -> column, filled as papers are ranked
        keys = (self.pairs[:, 0].astype(np.int64) << _SHIFT) | self.pairs[:, 1]
        order = np.argsort(keys)
        self.pair_keys = keys[order]  # sorted, for a vectorised lookup
        self.pair_cols = (len(self.terms) + order).astype(np.int64)

    def __len__(self) -> int:
        return len(self.terms) + len(self.pairs)

    def term(self, col: int) -> str:
        """How the model has a column: ``diffus``, ``graph neural``, ``cat:cs.cv``."""
        if col < len(self.terms):
            return self.terms[col]
        first, second = self.pairs[col - len(self.terms)]
        return f"{self.terms[first]} {self.terms[second]}"

    def matrix(self, papers: Sequence[Paper]):
        """The TF-IDF rows of ``papers`` (scipy CSR)."""
        import numpy as np

        out = _Encoded()
        _encode(papers, self.index, out, self._words)
        (rows, cols, weights), (pair_rows, keys, pair_weights) = out.arrays()
        if len(keys) and len(self.pair_keys):
            at = np.minimum(np.searchsorted(self.pair_keys, keys), len(self.pair_keys) - 1)
            known = self.pair_keys[at] == keys
            rows = np.concatenate([rows, pair_rows[known]])
            cols = np.concatenate([cols, self.pair_cols[at[known]]])
            weights = np.concatenate([weights, pair_weights[known]])
        return _tfidf(_csr(rows, cols, weights, (len(papers), len(self))), self.idf)

    @classmethod
    def fit(cls, papers: Sequence[Paper], max_terms: int = MAX_TERMS, max_pairs: int = MAX_PAIRS,
            min_df: int = MIN_DF):
        """The vocabulary of ``papers`` and their TF-IDF matrix, in one pass."""
        import numpy as np
        from scipy import sparse

        grown = _Growing()
        out = _Encoded()
        _encode(papers, grown, out, {})
        (rows, cols, weights), (pair_rows, pair_keys, pair_weights) = out.arrays()
        n = len(papers)
        floor = min_df if n >= 4 * min_df else 1
        words = _csr(rows, cols, weights, (n, len(grown)))
        del rows, cols, weights, out
        word_df = np.bincount(words.indices, minlength=len(grown))
        keep_words = _most_frequent(word_df, floor, max_terms)
        new_col = np.full(len(grown), -1, dtype=np.int64)
        new_col[keep_words] = np.arange(len(keep_words))
        keys, inverse = np.unique(pair_keys, return_inverse=True)
        pair_counts = _csr(pair_rows, inverse.ravel(), pair_weights, (n, len(keys)))
        del pair_rows, pair_keys, pair_weights, inverse
        pair_df = np.bincount(pair_counts.indices, minlength=len(keys))
        first, second = new_col[keys >> _SHIFT], new_col[keys & _LOW]
        pair_df[(first < 0) | (second < 0)] = 0  # a bigram of dropped words cannot be looked up
        keep_pairs = _most_frequent(pair_df, floor, max_pairs)
        terms = list(grown)
        counts = sparse.hstack([words[:, keep_words], pair_counts[:, keep_pairs]], format="csr")
        df = np.concatenate([word_df[keep_words], pair_df[keep_pairs]])
        idf = (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)
        vocabulary = cls([terms[i] for i in keep_words], np.stack([first[keep_pairs], second[keep_pairs]], axis=1),
                         idf)
        return vocabulary, _tfidf(counts, vocabulary.idf)


def _most_frequent(df, floor: int, limit: int):
    """Columns with ``df >= floor``, at most ``limit`` of the most frequent,
    in column order."""
    import numpy as np

    candidates = np.flatnonzero(df >= max(1, floor))
    if len(candidates) > limit:
        candidates = candidates[np.argsort(-df[candidates], kind="stable")[:limit]]
    return np.sort(candidates)


def surface_forms(paper: Paper) -> dict[str, str]:
    """Term -> how this paper's title or abstract writes it (the first time):
    ``diffus`` -> ``diffusion``; for showing reasons."""
    from tui_reader.core.index.analysis import tokens

    forms: dict[str, str] = {}
    for text in (paper.title, paper.abstract):
        for term, _pos, start, end in tokens(text):
            forms.setdefault(term, text[start:end])
    return forms


def display(vocabulary: Vocabulary, col: int, forms: dict[str, str]) -> str:
    """A column as a reader would write it, from the paper's own words."""
    if col >= len(vocabulary.terms):
        first, second = vocabulary.pairs[col - len(vocabulary.terms)]
        return f"{display(vocabulary, int(first), forms)} {display(vocabulary, int(second), forms)}"
    term = vocabulary.terms[col]
    if term.startswith(CATEGORY_PREFIX):
        return "category " + term[len(CATEGORY_PREFIX):]
    return forms.get(term, term)
