"""Text analysis shared by indexing, querying and highlighting.

One tokenizer pass finds two kinds of runs in a text:

* words of letters and digits (any script except CJK): lowercased, accents
  folded (``Müller`` -> ``muller``), NFKC-normalised (full-width letters),
  and, in stemmed fields, reduced with the Porter stemmer (``networks`` ->
  ``network``); a few English stop words are dropped without taking a
  position, so ``"state of the art"`` is the phrase ``state art``;
* runs of Chinese, Japanese or Korean characters: overlapping bigrams
  (Lucene's CJK bigrams), so any word a reader types that stands inside a
  Chinese sentence is the phrase of its bigrams.  The last character of each
  run is also emitted as a unigram at the position of the run's last bigram,
  and a one-character run is that unigram: a single character typed alone is
  then found by ``unigram OR bigrams starting with it``.

Positions run across both kinds, so mixed text such as ``基于Transformer的检测``
is one phrase ``基于 transform 的检 检测`` and matches from either side.

Everything here is plain Python with per-word caches: indexing calls
:func:`positions` / :func:`counts` directly instead of Whoosh's analyzer
chain (see :mod:`tui_reader.core.index.schema`), which is several times
faster; queries and highlights call the same functions, so they always
agree with the index.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterator

from whoosh.lang.porter import stem as _porter

_module = sys.modules[__name__]

CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
# A CJK run, or a word of letters/digits that holds no CJK character.
TOKEN = re.compile(f"([{CJK_CLASS}]+)|([^\\W_{CJK_CLASS}]+)")
# CJK_RUN and IS_CJK are compiled on first use (``__getattr__`` below): a
# character class this wide costs ~4 ms to compile, and most queries need
# neither.


def __getattr__(name: str) -> re.Pattern:
    patterns = {"CJK_RUN": f"[{CJK_CLASS}]+", "IS_CJK": f"[{CJK_CLASS}]"}
    if name not in patterns:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    compiled = globals()[name] = re.compile(patterns[name])
    return compiled

STOP_WORDS = frozenset(
    "a an and are as at be by can for from have if in is it may of on or that the this "
    "to was we were will with".split()
)
MAX_WORD = 40  # longer "words" (hashes, base64) are not indexed

_stem_cache: dict[str, str] = {}
_plain_cache: dict[str, str] = {}
_CACHE_LIMIT = 400_000


def _normalize(word: str) -> str:
    """Lowercase; for non-ASCII, NFKC and strip combining accents."""
    if word.isascii():
        return word.lower()
    word = unicodedata.normalize("NFKC", word).lower()
    decomposed = unicodedata.normalize("NFD", word)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", folded)


def word_term(word: str, stem: bool = True) -> str:
    """The index term for one word token ("" for a stop word or a too-long
    word).  Cached: a library's vocabulary is small next to its tokens."""
    cache = _stem_cache if stem else _plain_cache
    term = cache.get(word)
    if term is None:
        norm = _normalize(word)
        if len(norm) > MAX_WORD or norm in STOP_WORDS:
            term = ""
        elif stem and norm.isalpha():
            term = _porter(norm)
        else:
            term = norm
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
        cache[word] = term
    return term


def tokens(text: str, stem: bool = True) -> Iterator[tuple[str, int, int, int]]:
    """Yield ``(term, position, start, end)`` for every term of ``text``;
    ``start``/``end`` are character offsets in ``text`` (for highlights)."""
    pos = 0
    for match in TOKEN.finditer(text):
        run = match.group(1)
        start = match.start()
        if run is None:
            term = word_term(match.group(2), stem)
            if term:
                yield term, pos, start, match.end()
                pos += 1
            continue
        n = len(run)
        if n == 1:
            yield run, pos, start, start + 1
            pos += 1
            continue
        for i in range(n - 1):
            yield run[i : i + 2], pos + i, start + i, start + i + 2
        yield run[-1], pos + n - 2, start + n - 1, start + n
        pos += n - 1


def positions(text: str, stem: bool = True, start_pos: int = 0) -> tuple[dict[str, list[int]], int]:
    """Term -> positions for indexing, and the next free position.
    The hot path of indexing: kept flat on purpose."""
    poses: dict[str, list[int]] = {}
    pos = start_pos
    cache = _stem_cache if stem else _plain_cache
    for cjk, word in TOKEN.findall(text):
        if word:
            term = cache.get(word)
            if term is None:
                term = word_term(word, stem)
            if term:
                lst = poses.get(term)
                if lst is None:
                    poses[term] = [pos]
                else:
                    lst.append(pos)
                pos += 1
            continue
        n = len(cjk)
        if n == 1:
            lst = poses.get(cjk)
            if lst is None:
                poses[cjk] = [pos]
            else:
                lst.append(pos)
            pos += 1
            continue
        for i in range(n - 1):
            bigram = cjk[i : i + 2]
            lst = poses.get(bigram)
            if lst is None:
                poses[bigram] = [pos + i]
            else:
                lst.append(pos + i)
        last = cjk[-1]
        lst = poses.get(last)
        if lst is None:
            poses[last] = [pos + n - 2]
        else:
            lst.append(pos + n - 2)
        pos += n - 1
    return poses, pos


def counts(text: str, stem: bool = True) -> dict[str, int]:
    """Term -> frequency, for fields indexed without positions."""
    freq: dict[str, int] = {}
    cache = _stem_cache if stem else _plain_cache
    for cjk, word in TOKEN.findall(text):
        if word:
            term = cache.get(word)
            if term is None:
                term = word_term(word, stem)
            if term:
                freq[term] = freq.get(term, 0) + 1
            continue
        n = len(cjk)
        if n > 1:
            for i in range(n - 1):
                bigram = cjk[i : i + 2]
                freq[bigram] = freq.get(bigram, 0) + 1
        last = cjk[-1]
        freq[last] = freq.get(last, 0) + 1
    return freq


def query_terms(text: str, stem: bool = True) -> list[str]:
    """The terms of a query word or phrase, in order, ready for a Whoosh
    ``Phrase`` (consecutive positions).  The run-final CJK unigram is left
    out when its run has bigrams: it shares the last bigram's position."""
    out: list[str] = []
    for cjk, word in TOKEN.findall(text):
        if word:
            term = word_term(word, stem)
            if term:
                out.append(term)
        elif len(cjk) == 1:
            out.append(cjk)
        else:
            out.extend(cjk[i : i + 2] for i in range(len(cjk) - 1))
    return out


def is_cjk(text: str) -> bool:
    return bool(_module.IS_CJK.search(text))
