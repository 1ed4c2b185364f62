"""Evaluating a parsed query (:mod:`query`) against the index: the one
engine.  It uses Whoosh only through its public reader API, and the
posting lists through :func:`whoosh_compat.leaf_postings`.

A plain word is one posting list of the catch-all field (``schema.ALL``)
whose weights are each paper's BM25F part for the term (title weighted
above the rest), precomputed when the segment was written; a query reads
whole posting lists and combines ``{docnum: score}`` dicts (AND intersects
from the smallest, OR adds, NOT subtracts).  ``score = sum(idf(term) *
weight)``.  A word in a field (``title:``, ``author:``) reads that field's
list (term counts) and is scored the same way; ``method:`` and the other
summary fields have no list of their own: the catch-all's papers are
checked against the field's text.  Keyword fields (``cat:``, ``date:``,
``id:``) are posting lists with no score; ``is:``/``tag:`` and facet
filters are sets of papers.

The index holds no positions: a phrase, a hyphenated word and a CJK word
(a phrase of bigrams) are the papers holding all their terms, checked
against their text in memory (``texts``/``field_texts``); an author's name
in ``author:"..."`` must have its words in order within one author, an
initial standing for any word it starts (``author:"J. Yu"``).

Ranking beyond BM25F (issue 16):

* the word being typed (as-you-type) also matches the words it may become,
  but a paper found only that way ranks below every paper that matches the
  words as typed (its score is lowered by :data:`TIER`);
* fuzzy words match the library's surface words within an edit distance
  scaled to the word's length, the nearer the higher, all below an exact
  match;
* a query of several words ranks papers whose title holds all of them
  first, and a query that is a person's name (``Yohan Jo``) ranks that
  person's papers first.
"""

from __future__ import annotations

import math
import re
from array import array

from tui_reader.core.index import analysis
from tui_reader.core.index.query import FILTER, KEYWORD, STATE, STATE_VALUES, TEXT, MatchTerms, Not, Word
from tui_reader.core.index.query import Group, QueryError, date_range, looks_like_date, words
from tui_reader.core.index.schema import ALL, CATCH_ONLY, K1, PHRASE, STEMMED, TEXT_FIELDS
from tui_reader.core.index.vocabulary import allowed_edits, distance
from tui_reader.core.index.whoosh_compat import leaf_postings
from tui_reader.core.model import split_arxiv_id

EXPLICIT_PREFIX_TERMS = 24  # most frequent expansions of word*
TYPING_PREFIX_TERMS = 6  # ... of the word being typed
FUZZY_TERMS = 8
CJK_CHAR_TERMS = 32  # bigrams a lone CJK character stands for
# A paper that only the expansions of the word being typed found ranks
# below every paper that matches the words as typed.
TIER = 1e6
# Bonuses of the title holding every word of the query, and of an author's
# name holding them in order, in units of the query's summed idf.
TITLE_BONUS = 0.6
NAME_BONUS = 2.0
# A query of more plain words than this (a pasted abstract) is matched on
# its most telling (rarest) words.
MAX_AND_WORDS = 32


class SearchCancelled(Exception):
    """The search was cancelled (``cancelled()`` became true)."""


class Unchecked(dict):
    """Candidates ``{docnum: score}`` whose ``checks`` (docnum -> bool) are
    still to run: a phrase's papers are those holding all its terms, checked
    against their text.  The check is put off so that an AND checks only
    the papers its other parts leave, and a ranked result only as many of
    the best as it shows (:func:`ranked`)."""

    __slots__ = ("checks",)

    def __init__(self, found=(), checks=()) -> None:
        super().__init__(found)
        self.checks = tuple(checks)

    def passes(self, d: int) -> bool:
        return all(check(d) for check in self.checks)


def checked(found):
    """``found`` with its put-off checks run (a plain dict; None stays None)."""
    if isinstance(found, Unchecked):
        passes = found.passes
        return {d: s for d, s in found.items() if passes(d)}
    return found


def restricted(found, keep):
    """The docnums of ``found`` for which ``keep(d)`` holds, checks kept."""
    out = {d: s for d, s in found.items() if keep(d)}
    return Unchecked(out, found.checks) if isinstance(found, Unchecked) else out


def ranked(found, limit: int | None) -> list[int]:
    """The docnums of ``found``, best score first (ties: lower docnum), at
    most ``limit``; put-off checks run only until ``limit`` pass."""
    get = found.get
    if not isinstance(found, Unchecked):
        if limit and len(found) > limit:
            return _best(found, limit)
        return sorted(found, key=lambda d: (-get(d), d))
    passes = found.passes
    out: list[int] = []
    for d in sorted(found, key=lambda d: (-get(d), d)):
        if passes(d):
            out.append(d)
            if limit and len(out) >= limit:
                break
    return out


def _best(found: dict[int, float], limit: int) -> list[int]:
    """The ``limit`` best of ``found`` (more than ``limit``), as ``ranked``
    orders them.  A date range or a category matches thousands of papers
    with one score: their order is the docnum's, and the C sorts below take
    3 ms at 40,000 papers where a heap keyed in Python took 12."""
    cut = sorted(found.values(), reverse=True)[limit - 1]
    above = [d for d, s in found.items() if s > cut]
    above.sort(key=lambda d: (-found[d], d))
    ties = [d for d, s in found.items() if s == cut]
    ties.sort()
    return above + ties[: limit - len(above)]


def shown_score(score: float) -> float:
    """A score as the reader sees it (a demoted typing match's tier removed)."""
    return score + TIER if score < -TIER / 2 else score


def _add(out: dict, more: dict, factor: float = 1.0) -> None:
    get = out.get
    for d, s in more.items():
        out[d] = get(d, 0.0) + s * factor


def _and(a: dict, b: dict) -> dict:
    if len(b) < len(a):
        a, b = b, a
    get = b.get
    return {d: s + v for d, s in a.items() if (v := get(d)) is not None}


class Engine:
    """One query against one searcher.

    ``texts(docnum, summaries_first)`` and ``field_texts(docnum, field)``
    give a paper's texts (None: phrases are not checked, all their terms
    match); ``mentions(docnum, word)``, when given, says whether a CJK
    word stands in any of them (without decoding texts kept on disk:
    Paper.mentions); ``names`` maps docnums to paper ids; ``state`` answers
    ``is:``/``tag:``; ``filter_ids(target, value)`` the facet filters (a
    set of paper ids); ``vocabulary`` the library's surface words;
    ``cancelled()`` true stops the search (:class:`SearchCancelled`)."""

    def __init__(self, searcher, *, live: dict | None = None, texts=None, field_texts=None,
                 keywords: dict | None = None, names: list[str] | None = None, state=None,
                 filter_ids=None, vocabulary=None, cancelled=None, mentions=None) -> None:
        self.texts = texts
        self.mentions = mentions
        self.field_texts = field_texts
        self.searcher = searcher
        self.leaves = [(offset, sub.reader()) for sub, offset in searcher.leaf_searchers()]
        self.reader = searcher.reader()
        self.total = max(1, searcher.doc_count_all())
        self.live = live if live is not None else {}
        # (segment id, field, term) -> the segment's docnums (keyword_terms)
        self.keywords = keywords if keywords is not None else {}
        self.names = names or []
        self.state = state
        self.filter_ids = filter_ids
        self.vocabulary = vocabulary
        self.cancelled = cancelled
        self.terms = MatchTerms()
        self.notes: list[str] = []

    def check_cancel(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise SearchCancelled

    # --- posting lists -----------------------------------------------------------

    def postings(self, fieldname: str, tbytes: bytes) -> dict[int, float]:
        """docnum (global) -> posting weight, deleted documents left out."""
        self.check_cancel()
        out: dict[int, float] = {}
        for offset, reader in self.leaves:
            try:
                ids, ws = leaf_postings(reader, fieldname, tbytes, True)
            except Exception:  # noqa: BLE001 - term or field not in this segment
                continue
            if offset:
                ids = [i + offset for i in ids]
            dead = self.deleted(offset, reader)
            if dead:
                out.update((i, w) for i, w in zip(ids, ws) if i not in dead)
            else:
                out.update(zip(ids, ws))
        return out

    def deleted(self, offset: int, reader) -> set[int]:
        """The deleted global docnums of one segment (cached per segment,
        deletion count and offset: deletions only grow)."""
        segment = reader.segment()
        if segment is None:  # an empty index
            return set()
        key = (segment.segment_id(), reader.doc_count(), offset)
        dead = self.live.get(key)
        if dead is None:
            dead = set()
            if reader.has_deletions():
                is_deleted = reader.is_deleted
                dead = {offset + n for n in range(reader.doc_count_all()) if is_deleted(n)}
            self.live[key] = dead
        return dead

    def every(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for offset, reader in self.leaves:
            dead = self.deleted(offset, reader)
            out.update((offset + n, 0.0) for n in range(reader.doc_count_all()) if offset + n not in dead)
        return out

    def df(self, fieldname: str, term: str) -> int:
        try:
            return self.reader.doc_frequency(fieldname, term.encode("utf-8"))
        except Exception:  # noqa: BLE001
            return 0

    def idf(self, fieldname: str, term: str) -> float:
        df = self.df(fieldname, term)
        return math.log(1.0 + (self.total - df + 0.5) / (df + 0.5))

    def scored(self, name: str | None, terms, factor: float = 1.0, best: bool = False,
               idf: float | None = None) -> dict[int, float]:
        """The papers holding any of ``terms`` in field ``name`` (None: any
        text field, the catch-all), scored; ``terms`` may be a dict of
        term -> factor.  ``best``: a paper's score is its best term's, not
        the sum (variants of one word: fuzzy); ``idf``: one idf for every
        term (variants of one word: a rare misspelling must not win)."""
        factors = terms if isinstance(terms, dict) else dict.fromkeys(terms, 1.0)
        fieldname = ALL if name is None else name
        boost = 0.0 if name is None else TEXT_FIELDS[name]
        out: dict[int, float] = {}
        for term, tf in factors.items():
            weight = (self.idf(fieldname, term) if idf is None else idf) * factor * tf
            found = self.postings(fieldname, term.encode("utf-8"))
            if boost:  # a field's list holds term counts: BM25's saturation
                found = {d: (c * boost) / (K1 + c * boost) for d, c in found.items()}
            if not out:
                out = {d: weight * w for d, w in found.items()}
            elif best:
                get = out.get
                for d, w in found.items():
                    s = weight * w
                    if s > get(d, 0.0):
                        out[d] = s
            else:
                _add(out, found, weight)
        return out

    def docs_with_all(self, name: str, terms: list[str]) -> set[int]:
        """The papers whose field ``name`` holds every one of ``terms``."""
        found: set[int] | None = None
        for term in dict.fromkeys(terms):
            docs = self.postings(name, term.encode("utf-8")).keys()
            found = set(docs) if found is None else found.intersection(docs)
            if not found:
                return set()
        return found or set()

    def frequent(self, fieldname: str, prefix: str, number: int) -> list[str]:
        try:
            found = self.reader.most_frequent_terms(fieldname, number=number, prefix=prefix)
        except Exception:  # noqa: BLE001
            return []
        return [t.decode("utf-8") if isinstance(t, bytes) else t for _, t in found]

    def docs_of_ids(self, ids) -> dict[int, float]:
        names = self.names
        dead: set[int] = set()
        for offset, reader in self.leaves:
            dead |= self.deleted(offset, reader)
        return {d: 0.0 for d, pid in enumerate(names) if pid in ids and d not in dead}

    # --- the tree ------------------------------------------------------------------

    def run(self, node) -> dict[int, float] | None:
        """{docnum: score} of the papers ``node`` matches (None: no constraint)."""
        result = self.node(node, False)
        if isinstance(result, tuple):  # a lone NOT
            return self.run_not(result)
        if result:
            self.bonus(node, result)
        return result

    def node(self, node, negated: bool):
        if isinstance(node, Word):
            return self.word(node, negated)
        if isinstance(node, Not):
            inner = self.node(node.child, not negated)
            if isinstance(inner, tuple):  # NOT NOT x
                return inner[1]
            return ("not", inner)
        if node.op == "and":
            children = self.long_and(node.children)
        else:
            children = node.children
        results = [self.node(c, negated) for c in children]
        if node.op == "or":
            out: dict[int, float] = {}
            for child in results:
                if isinstance(child, tuple):
                    child = self.run_not(child)
                if child is None:
                    continue
                child = checked(child)
                if not out:
                    out = dict(child)
                    continue
                _add(out, child)
            return out
        positives = [c for c in results if c is not None and not isinstance(c, tuple)]
        negatives = [c[1] for c in results if isinstance(c, tuple) and c[1] is not None]
        if not positives and not negatives:
            return None
        checks = [check for c in positives if isinstance(c, Unchecked) for check in c.checks]
        if positives:
            positives.sort(key=len)
            out = dict(positives[0])
            for other in positives[1:]:
                out = _and(out, other)
                if not out:
                    break
        else:
            out = self.every()
        for neg in negatives:
            # A put-off phrase removes only the papers it really holds.
            passes = neg.passes if isinstance(neg, Unchecked) else None
            if len(neg) < len(out):
                for d in neg:
                    if d in out and (passes is None or passes(d)):
                        del out[d]
            else:
                out = {d: s for d, s in out.items() if d not in neg or (passes is not None and not passes(d))}
        return Unchecked(out, checks) if checks else out

    def long_and(self, children: list) -> list:
        """The children of an AND, a pasted text's plain words cut to its
        MAX_AND_WORDS most telling (rarest) ones."""
        plain = [c for c in children if _plain(c) and not analysis.is_cjk(c.text)]
        if len(plain) <= MAX_AND_WORDS:
            return children
        rarity = {}
        for c in plain:
            terms = analysis.query_terms(c.text, True)
            rarity[id(c)] = min((self.df(ALL, t) for t in terms), default=0)
        keep = {id(c) for c in sorted(plain, key=lambda c: rarity[id(c)])[:MAX_AND_WORDS]}
        self.notes.append(f"a long query: matched on its {MAX_AND_WORDS} most telling words")
        return [c for c in children if not _plain(c) or analysis.is_cjk(c.text) or id(c) in keep]

    def run_not(self, child) -> dict[int, float]:
        every = self.every()
        for d in checked(child[1]) or ():
            every.pop(d, None)
        return every

    # --- ranking beyond BM25F ----------------------------------------------------------

    def bonus(self, node, found: dict) -> None:
        """Raise, in place, the papers whose title holds every plain word of
        a query of several words, and those with an author whose name is
        the query's words in order."""
        if isinstance(node, Word):
            words = [node] if _plain(node) else []
        elif isinstance(node, Group) and node.op == "and":
            if not all(_plain(c) or not isinstance(c, Word) or c.field is not None for c in node.children):
                return
            words = [c for c in node.children if isinstance(c, Word) and _plain(c)]
        else:
            return
        words = [w for w in words if not analysis.is_cjk(w.text)]
        stems = [t for w in words for t in analysis.query_terms(w.text, True)]
        if len(stems) < 2:
            return
        weight = sum(self.idf(ALL, t) for t in dict.fromkeys(stems))
        in_title = self.docs_with_all("title", stems)
        # The words as written, in order (hyphens or spaces between, the
        # small words too): "text-to-image" above "Text-Image".
        surface = [m.group(0) for w in words for m in analysis.TOKEN.finditer(w.text)]
        exact = re.compile(r"(?<!\w)" + r"[\s\-]+".join(map(re.escape, surface)) + r"(?!\w)", re.IGNORECASE)
        field_texts = self.field_texts
        for d in in_title:
            if d in found:
                found[d] += TITLE_BONUS * weight
                if field_texts is not None and any(exact.search(t) for t in field_texts(d, "title")):
                    found[d] += TITLE_BONUS * weight
        plain = [t for w in words for t in analysis.query_terms(w.text, False)]
        if 2 <= len(plain) <= 4 and self.field_texts is not None:
            authored = self.docs_with_all("authors", plain)
            check = _name_check(plain)
            for d in authored:
                if d in found and any(check(a) for a in self.field_texts(d, "authors")):
                    found[d] += NAME_BONUS * weight

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
                    _add(found, more)
        return found

    def exact_words(self, word: Word, name: str | None, record: bool):
        text = word.text
        stem = STEMMED[name] if name else True
        terms = _terms(text, stem)
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
            found = part if found is None else _and(found, part)
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
            check = _name_check(terms)
        elif mode in ("any", "phrase") and (quick := _quick_check(word.text, terms, stem)) is not None:
            check = quick
        elif mode == "phrase":
            def check(hay: str) -> bool:
                return _consecutive(hay, terms, stem)
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
        try:
            near = list(self.reader.terms_within(fieldname, base[0], edits, prefix=1))
        except Exception:  # noqa: BLE001
            near = []
        for t in near:
            t = t.decode("utf-8") if isinstance(t, bytes) else t
            d = distance(base[0], t, edits)
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
                check = _phrase_check(
                    text,
                    lambda found: analysis.query_terms(found, True) == stemmed
                    or analysis.query_terms(found, False) == plain,
                )
        if record:
            self.terms.terms.update(stemmed)
        candidates = None
        # The authors field is not stemmed: an author's word is in the
        # catch-all as written.
        pairs = zip(stemmed, plain) if len(stemmed) == len(plain) else ((t,) for t in stemmed)
        for pair in dict.fromkeys(pairs):
            found = self.scored(None, list(dict.fromkeys(pair)))
            candidates = found if candidates is None else _and(candidates, found)
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

    def special_fields(self, text: str) -> list[dict[int, float]]:
        """A plain word that looks like a date, a category or an id also
        searches that field."""
        out = []
        lowered = text.lower()
        if looks_like_date(text):
            out.append(self.keyword("date", text))
        if re.match(r"[a-z][a-z\-]*\.[a-z\-]+$", lowered) or re.match(
                r"(?:hep|math|astro|cond|nucl|quant|gr)-[a-z\-]+$", lowered):
            out.append(self.keyword_terms("cat", [lowered], 2.0))
        found = split_arxiv_id(text)
        if found and (re.match(r"\d{4}\.\d{4,5}(v\d+)?$", text) or "/" in text):
            out.append(self.keyword_terms("id", [found[0]], 10.0))
        return out

    # --- keyword fields, marks and facets ------------------------------------------------

    def keyword(self, fieldname: str, text: str) -> dict[int, float]:
        if fieldname == "date":
            low, high, exact = date_range(text)
            if exact:
                return self.keyword_terms("date", [low], 0.0)
            if high is None and ".." not in text:
                return self.keyword_terms("date", self.lexicon_prefix("date", low), 0.0)
            terms = [t for t in self.lexicon("date") if (low is None or t >= low) and (high is None or t <= high)]
            return self.keyword_terms("date", terms, 0.0)
        if fieldname == "cat":
            value = text.lower()
            if value.endswith("*"):
                return self.keyword_terms("cat", self.lexicon_prefix("cat", value.rstrip("*")), 0.0)
            return self.keyword_terms("cat", [value], 0.0)
        value = text.rstrip("*")
        if text.endswith("*"):
            return self.keyword_terms("id", self.lexicon_prefix("id", value), 0.0)
        found = split_arxiv_id(value)
        return self.keyword_terms("id", [found[0] if found else value], 0.0)

    def lexicon(self, fieldname: str) -> list[str]:
        try:
            return [t.decode("utf-8") if isinstance(t, bytes) else t for t in self.reader.lexicon(fieldname)]
        except Exception:  # noqa: BLE001 - a field no segment has
            return []

    def lexicon_prefix(self, fieldname: str, prefix: str) -> list[str]:
        try:
            found = self.reader.expand_prefix(fieldname, prefix)
            return [t.decode("utf-8") if isinstance(t, bytes) else t for t in found]
        except Exception:  # noqa: BLE001
            return []

    def keyword_terms(self, fieldname: str, texts: list, boost: float) -> dict[int, float]:
        """The papers holding any of ``texts`` in a keyword field (date,
        cat, id), each scored ``boost``.  A segment's list for such a term
        is read once and kept in ``keywords`` (segments do not change; their
        deletions are left out here): a date range over a year is hundreds
        of terms, and reading them took 30 ms a search at 40,000 papers."""
        self.check_cancel()
        cache = self.keywords
        out: dict[int, float] = {}
        for offset, reader in self.leaves:
            segment = reader.segment()
            if segment is None:  # an empty index
                continue
            segment = segment.segment_id()
            ids: list[int] = []
            for text in texts:
                tbytes = text.encode("utf-8") if isinstance(text, str) else text
                key = (segment, fieldname, tbytes)
                found = cache.get(key)
                if found is None:
                    try:
                        found = array("I", leaf_postings(reader, fieldname, tbytes, False)[0])
                    except Exception:  # noqa: BLE001 - term or field not in this segment
                        found = array("I")
                    cache[key] = found
                ids.extend(found)
            if offset:
                ids = [i + offset for i in ids]
            dead = self.deleted(offset, reader)
            found_here = dict.fromkeys(ids, boost)
            if dead:
                if len(dead) < len(found_here):
                    for d in dead:
                        found_here.pop(d, None)
                else:
                    found_here = {d: boost for d in found_here if d not in dead}
            out.update(found_here)
        return out

    def state_docs(self, word: Word) -> dict[int, float]:
        value = word.text
        is_field = word.spec.target == "is"
        if is_field and value.lower() not in STATE_VALUES:
            return self.filter_docs("is", value)
        if self.state is None:
            what = f"is:{value}" if is_field else f"tag:{value}"
            raise QueryError(f"{what}: bookmarks and tags are not available here")
        if not is_field:
            ids = self.state.tagged_ids(value)
        elif value.lower() == "bookmarked":
            ids = self.state.bookmarked_ids()
        else:
            all_ids = [pid for pid in self.names if pid]
            unread = self.state.unread_ids(all_ids)
            ids = unread if value.lower() == "unread" else set(all_ids) - set(unread)
        return self.docs_of_ids(ids)

    def filter_docs(self, target: str, value: str) -> dict[int, float]:
        if self.filter_ids is None:
            raise QueryError(f"{target}:{value}: the library is not loaded yet")
        return self.docs_of_ids(self.filter_ids(target, value))


    # --- "did you mean" ------------------------------------------------------------------

    def suggestion(self, text: str, tree) -> str | None:
        """``text`` with the words the library does not use (or hardly)
        replaced by the nearest words it does use, most used first; None
        when there is nothing to correct.  Words being typed, prefixes,
        phrases and fields other than text are left alone."""
        vocabulary = self.vocabulary
        if vocabulary is None or tree is None:
            return None
        fixes: list[tuple[int, int, str]] = []
        context: set[int] | None = None  # the papers holding the query's other words
        others = [w for w in words(tree) if _plain(w) and not w.typing and w.text.isalpha()]
        for word in words(tree):
            spec = word.spec
            if word.start < 0 or word.prefix or word.phrase or (spec and spec.kind != TEXT):
                continue
            if word.typing and vocabulary.starting(analysis._normalize(word.text), 1):
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

                def together(choice: str) -> int:
                    term = analysis.word_term(choice, True)
                    return len(context.intersection(self.postings(ALL, term.encode("utf-8")))) if term else 0

                better = max(choices, key=together)
            own = self.df(ALL, analysis.word_term(raw, True))
            if own * 20 > self.df(ALL, analysis.word_term(better, True)):
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
        if not norm.isalpha() or (self.vocabulary is not None and norm in self.vocabulary):
            return []
        edits = allowed_edits(norm)
        if edits == 0:
            return []
        found: dict[str, int] = {}
        if self.vocabulary is not None:
            found.update(self.vocabulary.near(norm, edits)[:10])
        stem = analysis.word_term(norm, True)
        if stem and not self.df(ALL, stem):
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


def _same_case(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    if typed[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _plain(node) -> bool:
    """A word of any text field, as typed (no field, prefix or fuzzy)."""
    return isinstance(node, Word) and node.field is None and not node.prefix and not node.fuzzy


def _terms(text: str, stem: bool) -> list[str]:
    """A query word's index terms (the CJK rules, once): a lone character
    ending a CJK run after other terms ("Transformer的") starts a run in
    the text, where no unigram holds it: left out."""
    terms = analysis.query_terms(text, stem)
    if len(terms) > 1 and len(terms[-1]) == 1 and analysis.is_cjk(terms[-1]):
        terms = terms[:-1]
    return terms


def _name_check(terms: list[str]):
    """check(author) -> bool: the author's name holds ``terms`` (unstemmed
    words) in order, next to each other; a one-letter term is an initial
    and stands for any word it starts."""
    n = len(terms)

    def check(author: str) -> bool:
        words = [w for w in (analysis.word_term(m, False) for m in _WORDS.findall(author)) if w]
        for i in range(len(words) - n + 1):
            for k, term in enumerate(terms):
                w = words[i + k]
                if w != term and not (len(term) == 1 and w.startswith(term)):
                    break
            else:
                return True
        return False

    return check


_WORDS = re.compile(r"[^\W_]+")
def _quick_check(text: str, terms: list[str], stem: bool):
    """A check of a field's text for a plain word or phrase (its ``terms``)
    that does not analyse the whole text: a CJK run is a substring; an
    English word or phrase is found by a regex, each hit analysed.  None:
    no quick check for this text."""
    if analysis.is_cjk(text):
        if analysis.CJK_RUN.fullmatch(text) and len(text) >= 2 and analysis.query_terms(text, stem) == terms:
            return lambda hay: text in hay
        return None
    if analysis.query_terms(text, stem) != terms:
        return None
    if not stem:
        return None
    return _phrase_check(text, lambda found: analysis.query_terms(found, stem) == terms)


def _consecutive(text: str, words: list[str], stem: bool) -> bool:
    """``words`` (index terms) at consecutive positions of ``text``, as
    analysis numbers them (what a Whoosh phrase query matched)."""
    poses, _ = analysis.positions(text, stem)
    first = poses.get(words[0])
    if not first:
        return False
    rest = []
    for w in words[1:]:
        found = poses.get(w)
        if not found:
            return False
        rest.append(set(found))
    return any(all(p + i in later for i, later in enumerate(rest, 1)) for p in first)


# What a case-insensitive regex takes for an ASCII letter and str.lower()
# does not give as one (re matches dotless i and long s to i and s; "İ".lower()
# is two characters).  Checked over all of Unicode: with these folded first,
# a text's lowercase has its length and, wherever re.IGNORECASE matches an
# ASCII letter or digit, that letter or digit.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _lowered(hay: str) -> str:
    if hay.isascii():
        return hay.lower()
    if "\u0130" in hay or "\u0131" in hay or "\u017f" in hay:
        hay = hay.translate(_FOLD)
    return hay.lower()


def _phrase_check(text: str, accept):
    """check(hay) -> bool: does ``accept(m.group(0))`` hold for one of the
    matches ``pattern.finditer(hay)`` gives (:func:`_phrase_parts`'s regex)?
    The same matches, found faster: every match begins with the first
    word's stem (ASCII) and holds every word's, so the regex is tried only
    where the lowercased text has the first stem, and not at all when a stem
    is missing; ``accept`` runs once per distinct match.  None: no pattern
    for this text."""
    built = _phrase_parts(text)
    if built is None:
        return None
    pattern, stems = built
    first = stems[0]
    match = pattern.match
    seen: dict[str, bool] = {}

    def accepted(found: str) -> bool:
        ok = seen.get(found)
        if ok is None:
            ok = seen[found] = bool(accept(found))
        return ok

    def check(hay: str) -> bool:
        low = _lowered(hay)
        if len(low) != len(hay):  # never, by _FOLD; then the plain scan
            return any(accepted(m.group(0)) for m in pattern.finditer(hay))
        for stem in stems:
            if stem not in low:
                return False
        end = 0  # finditer goes on after a match: none overlaps it
        i = low.find(first)
        while i != -1:
            if i >= end:
                m = match(hay, i)  # the lookbehind still sees hay[i - 1]
                if m is not None:
                    if accepted(m.group(0)):
                        return True
                    end = m.end()
            i = low.find(first, i + 1)
        return False

    return check


def _phrase_parts(text: str):
    """(a regex finding a phrase's words in a text, in order, each word
    stretched to any ending (stems) and stop words allowed between; the
    lowercase ASCII stem each of its words starts with) or None."""
    words = [m.group(0) for m in analysis.TOKEN.finditer(text)]
    parts = []
    stems: list[str] = []
    for w in words:
        norm = analysis._normalize(w)
        if norm in analysis.STOP_WORDS:
            continue
        if not norm.isascii() or not norm.isalnum():
            return None
        stem = analysis.word_term(w, True)
        if not stem or not norm.startswith(stem[: max(1, len(stem) - 1)]):
            return None
        stems.append(stem[: max(1, len(stem) - 1)])
        parts.append(re.escape(stems[-1]) + r"\w*")
    if not parts:
        return None
    gap = r"(?:[\W_]+(?:" + "|".join(sorted(analysis.STOP_WORDS)) + r")\b)*[\W_]+"
    return re.compile(r"(?<!\w)" + gap.join(parts) + r"(?!\w)", re.IGNORECASE), stems
