"""The library's surface words (as written, not stemmed), for the parts of
search that must think in words a reader types: prefix expansion
(``splatting*`` finds papers that say splatting although the index holds
the stem ``splat``), fuzzy words (``difusion~`` is one edit from
diffusion, two from division) and "did you mean" corrections.

Built from the titles and author names of the library (cheap: one pass
over short texts), kept by ``SearchIndex`` until the library changes.
Pure Python; no Whoosh.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from itertools import chain

from tui_reader.core.index import analysis

# A word of letters and digits holding no CJK character: analysis.TOKEN's
# second group alone (CJK runs are no words here).
_WORD = re.compile(f"[^\\W_{analysis.CJK_CLASS}]+")


class _Normal(dict):
    """raw word -> analysis._normalize(raw), each worked out once."""

    def __missing__(self, raw: str) -> str:
        norm = self[raw] = analysis._normalize(raw)
        return norm


def allowed_edits(word: str) -> int:
    """Edits a typo of ``word`` may have: none for short words (too many
    neighbours), one up to 7 letters, two from 8."""
    n = len(word)
    if n < 4:
        return 0
    return 1 if n < 8 else 2


def distance(a: str, b: str, limit: int) -> int:
    """Edit distance (insert, delete, substitute, swap two neighbours: the
    optimal string alignment distance) of ``a`` and ``b``, or ``limit + 1``
    once it is certainly above ``limit``.  In C (rapidfuzz), imported on
    the first fuzzy word."""
    return _osa()(a, b, score_cutoff=limit)


@functools.cache
def _osa():
    from rapidfuzz.distance import OSA

    return OSA.distance


class Vocabulary:
    """Words (lowercased, accents folded) and how many papers' titles and
    author lists hold each."""

    def __init__(self, counts: dict[str, int] | Callable[[], dict[str, int]]) -> None:
        # A function: the counts are read on first use (``tui-reader
        # search`` keeps them in a file that most queries never need).
        self._counts = counts
        self._ordered: list[str] | None = None
        self._by_first: dict[str, list[str]] | None = None

    @property
    def counts(self) -> dict[str, int]:
        found = self._counts
        if callable(found):
            found = self._counts = found()
        return found

    @property
    def ordered(self) -> list[str]:
        """The words in order, sorted on first use (a plain query of
        ``tui-reader search`` never needs them: 30-100 ms at 75k papers)."""
        if self._ordered is None:
            self._ordered = sorted(self.counts)
        return self._ordered

    @classmethod
    def of_texts(cls, texts: Iterable[str]) -> Vocabulary:
        """How many of ``texts`` hold each word (a word counts once a text)."""
        normal = _Normal()
        findall = _WORD.findall
        words: list[str] = []
        extend = words.extend
        for text in texts:
            extend({normal[raw] for raw in findall(text)})
        return cls(dict(Counter(words)))

    @classmethod
    def of_papers(cls, papers: Iterable) -> Vocabulary:
        """The words of the papers' titles and author lists."""
        return cls.of_texts(chain.from_iterable((p.title, *p.authors) for p in papers))

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def starting(self, prefix: str, number: int) -> list[str]:
        """The ``number`` most frequent words that start with ``prefix``."""
        ordered = self.ordered
        i = bisect_left(ordered, prefix)
        found = []
        while i < len(ordered) and ordered[i].startswith(prefix):
            found.append(ordered[i])
            i += 1
            if len(found) > 5000:
                break
        found.sort(key=lambda w: -self.counts[w])
        return found[:number]

    def near(self, word: str, edits: int) -> list[tuple[str, int]]:
        """Words within ``edits`` of ``word`` (same first letter), nearest
        first, then the most frequent."""
        if edits <= 0 or not word:
            return []
        by_first = self._by_first
        if by_first is None:
            by_first = self._by_first = {}
            for w in self.ordered:
                by_first.setdefault(w[:1], []).append(w)
        n = len(word)
        out = []
        for other in by_first.get(word[:1], ()):
            if abs(len(other) - n) > edits or other == word:
                continue
            d = distance(word, other, edits)
            if d <= edits:
                out.append((other, d))
        out.sort(key=lambda item: (item[1], -self.counts[item[0]]))
        return out

    def correction(self, word: str) -> str | None:
        """The word the reader most likely meant (None: none near enough,
        or ``word`` is a word of the library already)."""
        found = self.corrections(word)
        return found[0] if found else None

    def corrections(self, word: str, number: int = 5) -> list[str]:
        """The nearest words to a word the library does not use, the most
        used first among the equally near ([] for a word it uses)."""
        norm = analysis._normalize(word)
        if not norm.isalpha() or norm in self.counts:
            return []
        found = self.near(norm, allowed_edits(norm))
        if not found:
            return []
        nearest = found[0][1]
        return [w for w, d in found if d == nearest][:number]
