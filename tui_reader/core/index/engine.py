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

This module walks the query tree and scores; one word's matching is in
:mod:`.matching`, keyword fields and filters in :mod:`.keywords`, "did you
mean" in :mod:`.suggest`, the checks against a paper's text in
:mod:`.checks`, and how results combine and rank in :mod:`.scores`.
"""

from __future__ import annotations

import math
import re

from tui_reader.core.index import analysis
from tui_reader.core.index.checks import is_plain, name_check
from tui_reader.core.index.keywords import KeywordMatching
from tui_reader.core.index.matching import WordMatching
from tui_reader.core.index.query import Group, MatchTerms, Not, Word
from tui_reader.core.index.schema import ALL, K1, TEXT_FIELDS
from tui_reader.core.index.scores import (
    TIER,
    SearchCancelled,
    Unchecked,
    add_scores,
    and_scores,
    checked,
    ranked,
    restricted,
    shown_score,
)
from tui_reader.core.index.suggest import Suggesting
from tui_reader.core.index.vocabulary import distance
from tui_reader.core.index.whoosh_compat import leaf_postings

__all__ = ["TIER", "Engine", "SearchCancelled", "Unchecked", "checked", "ranked", "restricted", "shown_score"]


# Bonuses of the title holding every word of the query, and of an author's
# name holding them in order, in units of the query's summed idf.
TITLE_BONUS = 0.6
NAME_BONUS = 2.0
# A query of more plain words than this (a pasted abstract) is matched on
# its most telling (rarest) words.
MAX_AND_WORDS = 32


class Engine(WordMatching, KeywordMatching, Suggesting):
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
        # The words, or a function that makes them: most queries never ask
        # (building them from 75,000 titles took seconds on a first query).
        self._vocabulary = vocabulary
        self.cancelled = cancelled
        self.terms = MatchTerms()
        self.notes: list[str] = []

    def check_cancel(self) -> None:
        if self.cancelled is not None and self.cancelled():
            raise SearchCancelled

    # --- posting lists -----------------------------------------------------------

    @property
    def vocabulary(self):
        found = self._vocabulary
        if callable(found):
            found = self._vocabulary = found()
        return found

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
                add_scores(out, found, weight)
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

    def terms_near(self, fieldname: str, word: str, edits: int) -> dict[str, int]:
        """The index terms of ``fieldname`` within ``edits`` of ``word``
        that share its first letter, with their distances: what Whoosh's ``terms_within(...,
        prefix=1)`` gives, read per segment (no merge of the segments'
        term lists) and measured with an edit distance that stops once it
        is past ``edits`` (Whoosh fills the whole table for every term of
        the letter: 0.5-5 s for one fuzzy word on the real branch)."""
        if not word:
            return {}
        n = len(word)
        low, high = n - edits, n + edits
        first = word[:1]
        found: dict[str, int] = {}
        for number, (_offset, reader) in enumerate(self.leaves):
            if number:
                self.check_cancel()
            try:
                terms = reader.expand_prefix(fieldname, first)
                for raw in terms:
                    if len(raw) < low:  # bytes are at least as many as the letters
                        continue
                    term = raw.decode("utf-8")
                    if low <= len(term) <= high and term not in found:
                        d = distance(word, term, edits)
                        if d <= edits:
                            found[term] = d
            except (KeyError, ValueError, UnicodeDecodeError):
                continue  # a field this segment lacks; a term not of text
        return found

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
                self.check_cancel()  # a hundred ORed lists take a while to add up
                if isinstance(child, tuple):
                    child = self.run_not(child)
                if child is None:
                    continue
                child = checked(child)
                if not out:
                    out = dict(child)
                    continue
                add_scores(out, child)
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
                self.check_cancel()
                out = and_scores(out, other)
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
        plain = [c for c in children if is_plain(c) and not analysis.is_cjk(c.text)]
        if len(plain) <= MAX_AND_WORDS:
            return children
        rarity = {}
        for c in plain:
            terms = analysis.query_terms(c.text, True)
            rarity[id(c)] = min((self.df(ALL, t) for t in terms), default=0)
        keep = {id(c) for c in sorted(plain, key=lambda c: rarity[id(c)])[:MAX_AND_WORDS]}
        self.notes.append(f"a long query: matched on its {MAX_AND_WORDS} most telling words")
        return [c for c in children if not is_plain(c) or analysis.is_cjk(c.text) or id(c) in keep]

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
            words = [node] if is_plain(node) else []
        elif isinstance(node, Group) and node.op == "and":
            if not all(is_plain(c) or not isinstance(c, Word) or c.field is not None for c in node.children):
                return
            words = [c for c in node.children if isinstance(c, Word) and is_plain(c)]
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
            check = name_check(plain)
            for d in authored:
                if d in found and any(check(a) for a in self.field_texts(d, "authors")):
                    found[d] += NAME_BONUS * weight
