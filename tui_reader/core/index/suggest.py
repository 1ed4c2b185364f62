""""Did you mean": the query with its likely typos corrected from the
library's words.  Mixed into :class:`~tui_reader.core.index.engine.Engine`."""

from __future__ import annotations

from tui_reader.core.index import analysis
from tui_reader.core.index.checks import is_plain
from tui_reader.core.index.query import TEXT, words
from tui_reader.core.index.schema import ALL
from tui_reader.core.index.vocabulary import allowed_edits, distance

RARER = 20  # a word this many times rarer than a near one (in titles, in the index) is a likely typo


class Suggesting:
    """The engine's corrections."""



    # --- "did you mean" ------------------------------------------------------------------

    def suggestion(self, text: str, tree) -> str | None:
        """``text`` with the words the library does not use (or hardly)
        replaced by the nearest words it does use, most used first; None
        when there is nothing to correct.  Words being typed, prefixes,
        phrases, fuzzy words (tolerant as asked) and fields other than text
        are left alone."""
        vocabulary = self.vocabulary
        if vocabulary is None or tree is None:
            return None
        fixes: list[tuple[int, int, str]] = []
        context: set[int] | None = None  # the papers holding the query's other words
        others = [w for w in words(tree) if is_plain(w) and not w.typing and w.text.isalpha()]
        for word in words(tree):
            spec = word.spec
            if word.start < 0 or word.prefix or word.phrase or word.fuzzy or (spec and spec.kind != TEXT):
                continue
            if word.typing and _may_grow(vocabulary, analysis._normalize(word.text)):
                continue  # a word being typed that may still become a word
            if spec and spec.target == "authors":
                continue
            raw = word.text
            if not raw.isalpha() or analysis.is_cjk(raw):
                continue
            choices = self.corrections(raw)
            if not choices:
                continue
            better = choices[0]
            if len(choices) > 1 and len(others) > 1:
                # The one that goes with the other words ("gaussian splating":
                # splatting, not splitting).
                if context is None:
                    context = set()
                    for other in others:
                        stems = analysis.query_terms(other.text, True)
                        if stems and self.df(ALL, stems[0]):
                            docs = set(self.postings(ALL, stems[0].encode("utf-8")))
                            context = docs if not context else (context & docs or context)

                def together(choice: str, context: set[int] = context) -> int:
                    term = analysis.word_term(choice, True)
                    return len(context.intersection(self.postings(ALL, term.encode("utf-8")))) if term else 0

                better = max(choices, key=together)
            own = self.df(ALL, analysis.word_term(raw, True))
            if own * RARER > self.df(ALL, analysis.word_term(better, True)):
                continue
            end = word.start + len(raw)
            fixes.append((word.start, end, _same_case(raw, better)))
        if not fixes:
            return None
        out = text
        for start, end, better in sorted(fixes, reverse=True):
            out = out[:start] + better + out[end:]
        return out.strip()


    def corrections(self, raw: str) -> list[str]:
        """The nearest words to a word the library does not use: the
        library's title words, and the words behind the index's other
        terms nearby (found in a paper's text); [] for a word it uses."""
        norm = analysis._normalize(raw)
        if not norm.isalpha():
            return []
        edits = allowed_edits(norm)
        if edits == 0:
            return []
        found: dict[str, int] = {}
        vocabulary = self.vocabulary
        # A word a few titles hold misspelt ("Gaussian Splating"): only far
        # more used words correct it.
        known = vocabulary.counts.get(norm, 0) if vocabulary is not None else 0
        if vocabulary is not None:
            near = vocabulary.near(norm, edits)
            if known:
                near = [(w, d) for w, d in near if vocabulary.counts[w] >= known * RARER]
            found.update(near[:10])
        stem = analysis.word_term(norm, True)
        if stem and not known and not self.df(ALL, stem):
            try:
                near = [t.decode("utf-8") if isinstance(t, bytes) else t
                        for t in self.reader.terms_within(ALL, stem, edits, prefix=2)]
            except Exception:  # noqa: BLE001
                near = []
            near.sort(key=lambda t: -self.df(ALL, t))
            for term in near[:10]:
                word = self.surface_of(term)
                if word and word not in found:
                    d = distance(norm, word, edits)
                    if d <= edits:
                        found[word] = d
        if not found:
            return []
        nearest = min(found.values())
        return [w for w, d in found.items() if d == nearest]

    def surface_of(self, term: str) -> str | None:
        """A word of the library's text whose index term is ``term``."""
        if self.texts is None:
            return None
        docs = self.postings(ALL, term.encode("utf-8"))
        for d in list(docs)[:3]:
            for text in self.texts(d):
                for m in analysis.TOKEN.finditer(text):
                    word = m.group(2)
                    if word and analysis.word_term(word, True) == term:
                        return analysis._normalize(word)
        return None


def _may_grow(vocabulary, norm: str) -> bool:
    """Whether a word being typed may still become a library word: a
    longer word starts with it, or it is a word used often enough to mean
    it (a typo one title shares, "splating", is no such word)."""
    starts = vocabulary.starting(norm, 1)
    return bool(starts) and (starts[0] != norm or vocabulary.counts.get(norm, 0) >= RARER)


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word
