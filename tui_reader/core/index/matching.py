"""How the engine matches one word of a query: exactly, as typed (and the
words it may become), with a prefix, fuzzily, as a phrase.  Mixed into
:class:`~tui_reader.core.index.engine.Engine` (whose state it uses)."""

from __future__ import annotations

from tui_reader.core.index import analysis
from tui_reader.core.index.checks import consecutive, name_check, phrase_check, quick_check, terms_of
from tui_reader.core.index.query import FILTER, KEYWORD, STATE, TEXT, Word
from tui_reader.core.index.schema import ALL, CATCH_ONLY, PHRASE, STEMMED
from tui_reader.core.index.scores import TIER, Unchecked, add_scores, and_scores, checked
from tui_reader.core.index.vocabulary import allowed_edits

EXPLICIT_PREFIX_TERMS = 24  # most frequent expansions of word*
TYPING_PREFIX_TERMS = 6  # ... of the word being typed
FUZZY_TERMS = 8
CJK_CHAR_TERMS = 32  # bigrams a lone CJK character stands for
WHOLE = 0.5  # a CJK word's score: this much from its least held bigram, the rest from each


class WordMatching:
    """The engine's word matching."""


    # --- words -----------------------------------------------------------------------

    def word(self, word: Word, negated: bool):
        spec = word.spec
        kind = spec.kind if spec else TEXT
        if kind == STATE:
            return self.state_docs(word)
        if kind == FILTER:
            return self.filter_docs(spec.target, word.text)
        if kind == KEYWORD:
            return self.keyword(spec.target, word.text)
        name = spec.target if spec else None
        record = not negated
        if word.prefix:
            return self.prefixed(word, name, record)
        if word.fuzzy:
            return self.fuzzy(word, name, record)
        return self.exact(word, name, record)

    def exact(self, word: Word, name: str | None, record: bool):
        found = self.exact_words(word, name, record)
        if name is None and not word.phrase:
            extra = self.special_fields(word.text)
            if extra:
                found = dict(checked(found) or {})
                for more in extra:
                    add_scores(found, more)
        return found

    def exact_words(self, word: Word, name: str | None, record: bool):
        text = word.text
        stem = STEMMED[name] if name else True
        terms = terms_of(text, stem)
        if not terms:
            return None
        if record:
            self.terms.terms.update(terms)
        if len(terms) == 1:
            term = terms[0]
            if len(term) == 1 and analysis.is_cjk(term):
                # A lone CJK character: the run-final unigram, or a bigram starting with it.
                own = None if name in CATCH_ONLY else name
                alts = [term, *self.frequent(ALL if own is None else own, term, CJK_CHAR_TERMS)]
                return self.in_field(self.scored(own, alts), word, name, alts, stem, "any-of")
            if name is None:
                plain = analysis.query_terms(text, False)
                if record:
                    self.terms.terms.update(plain)
                out = self.scored(None, terms + [t for t in plain if t not in terms])
            elif name in CATCH_ONLY:
                out = self.in_field(self.scored(None, terms), word, name, terms, stem, "any")
            else:
                out = self.scored(name, terms)
            if word.typing and len(text) >= 3 and not analysis.is_cjk(text):
                self.typing_more(out, text, name, terms, record)
            return out
        # Several terms: a phrase, a hyphenated word, a CJK word, a name.
        if name is None:
            return self.phrase(word, terms, record)
        mode = "phrase" if PHRASE[name] else "all"
        required = terms
        if name == "authors":
            required = [t for t in terms if len(t) > 1] or terms  # initials are checked, not looked up
        found = None
        for term in dict.fromkeys(required):
            part = self.scored(None if name in CATCH_ONLY else name, [term])
            found = part if found is None else and_scores(found, part)
            if not found:
                return {}
        return self.in_field(found, word, name, terms, stem, mode)

    def in_field(self, found: dict, word: Word, name: str | None, terms: list[str], stem: bool, mode: str):
        """``found`` (papers holding the terms somewhere) checked against
        the text of field ``name``: any of the terms ("any"), all ("all"),
        in order ("phrase"; for authors: a name, initials allowed)."""
        field_texts = self.field_texts
        if name is None or field_texts is None or not found:
            return found
        if name == "authors" and mode == "phrase":
            check = name_check(terms)
        elif mode in ("any", "phrase") and (quick := quick_check(word.text, terms, stem)) is not None:
            check = quick
        elif mode == "phrase":
            def check(hay: str) -> bool:
                return consecutive(hay, terms, stem)
        elif name in CATCH_ONLY or mode != "any":
            wanted = set(terms)
            need = len(wanted) if mode == "all" else 1

            def holds(d: int) -> bool:
                seen: set[str] = set()
                for hay in field_texts(d, name):
                    seen.update(wanted.intersection(analysis.counts(hay, stem)))
                    if len(seen) >= need:
                        return True
                return False

            return {d: s for d, s in found.items() if holds(d)}
        else:
            return found
        return {d: s for d, s in found.items() if any(check(h) for h in field_texts(d, name))}

    def typing_more(self, out: dict, text: str, name: str | None, terms: list[str], record: bool) -> None:
        """The word being typed also matches what it may become, weighted
        below what it is; papers found only so rank below all the others."""
        norm = analysis._normalize(text)
        if record:
            self.terms.prefixes.add(norm)
        more = [t for t in self.expansions(norm, name, TYPING_PREFIX_TERMS) if t not in terms]
        if not more:
            return
        if name in CATCH_ONLY:
            name = None
        for d, s in self.scored(name, more, 0.5).items():
            if d in out:
                out[d] += s
            else:
                out[d] = s - TIER

    def expansions(self, norm: str, name: str | None, number: int) -> list[str]:
        """Index terms of the words starting with ``norm``: the stems that
        start with it, and the stems of the library's words that do
        (``splatting`` -> ``splat``, which does not start with it)."""
        fieldname = ALL if name is None or name in CATCH_ONLY else name
        stem = STEMMED[name] if name else True
        found = dict.fromkeys(self.frequent(fieldname, norm, number))
        if self.vocabulary is not None:
            for w in self.vocabulary.starting(norm, number):
                term = analysis.word_term(w, stem)
                if term:
                    found.setdefault(term)
        else:
            term = analysis.word_term(norm, stem)
            if term and term != norm and norm.startswith(term):
                found.setdefault(term)
        return list(found)

    def prefixed(self, word: Word, name: str | None, record: bool):
        text = word.text
        if analysis.is_cjk(text):
            return self.exact(Word(text, field=word.field), name, record)
        norm = analysis._normalize(text)
        if record:
            self.terms.prefixes.add(norm)
        terms = self.expansions(norm, name, EXPLICIT_PREFIX_TERMS)
        if not terms:
            return {}
        if name in CATCH_ONLY:
            return self.in_field(self.scored(None, terms), Word(text), name, terms, True, "any-prefix")
        return self.scored(name, terms)

    def fuzzy_terms(self, text: str, name: str | None, edits: int) -> dict[str, float]:
        """Index terms a misspelled word may stand for -> their weight: the
        word itself 1, the stems of the library's words within ``edits``
        1/(1 + distance), other index terms nearby half that."""
        stem = STEMMED[name] if name else True
        norm = analysis._normalize(text)
        base = analysis.query_terms(text, stem)
        if len(base) != 1:
            return {}
        found: dict[str, float] = {base[0]: 1.0}
        if self.vocabulary is not None:
            for w, d in self.vocabulary.near(norm, edits)[: FUZZY_TERMS * 2]:
                term = analysis.word_term(w, stem)
                if term and found.get(term, 0.0) < 1.0 / (1 + d):
                    found[term] = 1.0 / (1 + d)
        fieldname = ALL if name is None or name in CATCH_ONLY else name
        for t, d in self.terms_near(fieldname, base[0], edits).items():
            weight = 0.5 / (1 + d)
            if found.get(t, 0.0) < weight:
                found[t] = weight
        best = sorted(found.items(), key=lambda kv: -kv[1])[:FUZZY_TERMS]
        return dict(best)

    def fuzzy(self, word: Word, name: str | None, record: bool):
        edits = word.fuzzy if word.fuzzy > 0 else max(1, allowed_edits(analysis._normalize(word.text)))
        terms = self.fuzzy_terms(word.text, name, edits)
        if not terms:
            return {}
        if record:
            self.terms.terms.update(terms)
        # Nearer variants rank higher; all share the idf of the most used of
        # the nearest, so that a rare word two edits away cannot win by rarity.
        fieldname = ALL if name is None or name in CATCH_ONLY else name
        top = max(terms.values())
        nearest = max((t for t, f in terms.items() if f == top), key=lambda t: self.df(fieldname, t))
        idf = self.idf(fieldname, nearest)
        if name in CATCH_ONLY:
            found = self.scored(None, terms, best=True, idf=idf)
            return self.in_field(found, word, name, list(terms), STEMMED[name], "any-fuzzy")
        return self.scored(name, terms, best=True, idf=idf)

    def cjk_run(self, bigrams: list[str]) -> dict[int, float]:
        """The papers holding every bigram of a CJK word, scored as the
        whole word more than as its parts: each bigram's idf times a blend
        of its own weight and the weight of the bigram the paper holds
        least (a paper says 图神经网络 at most as often as its rarest
        bigram, 图神; a plain sum let a paper that repeats some of the
        word, 神经网络, outrank the papers about the word itself)."""
        terms = list(dict.fromkeys(bigrams))
        lists: list[dict[int, float]] = []
        for term in terms:
            found = self.postings(ALL, term.encode("utf-8"))
            if not found:
                return {}
            lists.append(found)
        idfs = [self.idf(ALL, term) for term in terms]
        docs = set(min(lists, key=len)).intersection(*lists)
        out: dict[int, float] = {}
        for d in docs:
            weights = [found[d] for found in lists]
            least = WHOLE * min(weights)
            out[d] = sum(idf * (least + (1 - WHOLE) * w) for idf, w in zip(idfs, weights))
        return out

    def phrase(self, word: Word, terms: list[str], record: bool):
        """A phrase, hyphenated word or CJK word in any text field: the
        papers holding all its terms (catch-all), checked against their text."""
        text = word.text
        stemmed = terms
        plain = analysis.query_terms(text, False)
        cjk = analysis.is_cjk(text)
        check = None
        if self.texts is not None:
            if cjk:
                if analysis.CJK_RUN.fullmatch(text) and len(text) >= 2:
                    check = lambda hay: text in hay  # noqa: E731 - a CJK run is never normalised
            elif len(stemmed) == len(plain):
                check = phrase_check(
                    text,
                    lambda found: analysis.query_terms(found, True) == stemmed
                    or analysis.query_terms(found, False) == plain,
                )
        if record:
            self.terms.terms.update(stemmed)
        if cjk and analysis.CJK_RUN.fullmatch(text) and len(set(stemmed)) > 1:
            candidates = self.cjk_run(stemmed)
        else:
            candidates = None
            # The authors field is not stemmed: an author's word is in the
            # catch-all as written.
            pairs = zip(stemmed, plain) if len(stemmed) == len(plain) else ((t,) for t in stemmed)
            for pair in dict.fromkeys(pairs):
                found = self.scored(None, list(dict.fromkeys(pair)))
                candidates = found if candidates is None else and_scores(candidates, found)
                if not candidates:
                    return {}
        if not candidates:
            return {}
        if check is None:
            return candidates
        texts = self.texts
        mentions = self.mentions
        if cjk and mentions is not None and analysis.CJK_RUN.fullmatch(text):
            return Unchecked(candidates, [lambda d: mentions(d, text)])
        # A CJK word is nearly always in an AI summary: those go first.
        return Unchecked(candidates, [lambda d: any(map(check, texts(d, cjk)))])
