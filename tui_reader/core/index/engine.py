"""Evaluating a query tree against the index without Whoosh's matchers.

Whoosh scores one document at a time in Python through a tree of matchers
(an OR over seven fields for every plain word): a word held by most of
40,000 papers took 400 ms.  Here a plain word is one posting list of the
catch-all field (``schema.ALL``) whose weights are each paper's BM25F part
for the term, precomputed when the segment was written; a query reads whole
posting blocks, and combines ``{docnum: score}`` dicts (AND intersects from
the smallest, OR adds, NOT subtracts).  ``score = sum(idf(term) * weight)``.

Everything the catch-all cannot answer (``title:`` and the other fields;
``is:``/``tag:``) is a Whoosh query built by :class:`query.Builder`,
evaluated by its matcher into the same kind of dict (keyword fields such as
``date:`` and ``cat:`` are read as posting lists, not matched).

The index holds no positions: a phrase (and a CJK word, a phrase of bigrams)
is the papers holding all its terms, checked against their text in memory
(``texts``/``field_texts``); a phrase in one field (``title:"..."``) checks
the field's text for the terms at consecutive positions, the way Whoosh's
``Phrase`` did with positions.  Without the text (a search before
``update()``) a phrase is all of its terms anywhere.
"""

from __future__ import annotations

import math
import re
from array import array

from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher

from tui_reader.core.index import analysis
from tui_reader.core.index import query as q
from tui_reader.core.index.schema import ALL, CATCH_ONLY, K1, PHRASE, STEMMED

EXPLICIT_PREFIX_TERMS = q.EXPLICIT_PREFIX_TERMS
TYPING_PREFIX_TERMS = q.TYPING_PREFIX_TERMS
# Whoosh's BM25F scores of fielded queries are on another scale; this brings
# them near the catch-all's (a title-only hit ~ a title hit of a plain word).
WHOOSH_SCALE = 0.25


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


class Engine:
    """One query against one searcher.  ``builder`` builds the Whoosh
    queries of what the catch-all cannot answer and collects the terms to
    highlight."""

    def __init__(self, searcher, builder: q.Builder, live: dict | None = None, texts=None,
                 field_texts=None, keywords: dict | None = None) -> None:
        # texts(docnum, summaries_first=False) -> the paper's texts;
        # field_texts(docnum, field) -> the texts of one field.  None:
        # phrases are not checked (all their terms match).
        self.texts = texts
        self.field_texts = field_texts
        self.searcher = searcher
        self.builder = builder
        self.leaves = [(offset, sub.reader()) for sub, offset in searcher.leaf_searchers()]
        self.reader = searcher.reader()
        self.total = max(1, searcher.doc_count_all())
        self.live = live if live is not None else {}
        # (segment id, field, term) -> the segment's docnums (keyword_terms)
        self.keywords = keywords if keywords is not None else {}

    # --- posting lists -----------------------------------------------------------

    def postings(self, fieldname: str, tbytes: bytes) -> dict[int, float]:
        """docnum (global) -> posting weight, deleted documents left out."""
        out: dict[int, float] = {}
        for offset, reader in self.leaves:
            try:
                ids, ws = _leaf_postings(reader, fieldname, tbytes, True)
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

    def idf(self, fieldname: str, tbytes: bytes) -> float:
        df = self.reader.doc_frequency(fieldname, tbytes)
        return math.log(1.0 + (self.total - df + 0.5) / (df + 0.5))

    def catch_all(self, terms: list[str], factor: float = 1.0) -> dict[int, float]:
        """The papers holding any of ``terms`` in any text field, scored."""
        out: dict[int, float] = {}
        for term in dict.fromkeys(terms):
            tbytes = term.encode("utf-8")
            idf = self.idf(ALL, tbytes) * factor
            found = self.postings(ALL, tbytes)
            if not out:
                out = {d: idf * w for d, w in found.items()}
                continue
            get = out.get
            for d, w in found.items():
                out[d] = get(d, 0.0) + idf * w
        return out

    def frequent(self, prefix: str, number: int) -> list[str]:
        try:
            found = self.reader.most_frequent_terms(ALL, number=number, prefix=prefix)
        except Exception:  # noqa: BLE001
            return []
        return [t.decode("utf-8") if isinstance(t, bytes) else t for _, t in found]

    # --- the tree ------------------------------------------------------------------

    def run(self, node) -> dict[int, float] | None:
        """{docnum: score} of the papers ``node`` matches (None: no constraint)."""
        result = self.node(node, False)
        if isinstance(result, tuple):  # a lone NOT
            return self.run_not(result)
        return result

    def node(self, node, negated: bool):
        if isinstance(node, q.Word):
            return self.word(node, negated)
        if isinstance(node, q.Not):
            inner = self.node(node.child, not negated)
            if isinstance(inner, tuple):  # NOT NOT x
                return inner[1]
            return ("not", inner)
        children = [self.node(c, negated) for c in node.children]
        if node.op == "or":
            out: dict[int, float] = {}
            for child in children:
                if isinstance(child, tuple):
                    child = self.run_not(child)
                if child is None:
                    continue
                child = checked(child)
                if not out:
                    out = dict(child)
                    continue
                get = out.get
                for d, s in child.items():
                    out[d] = get(d, 0.0) + s
            return out
        positives = [c for c in children if c is not None and not isinstance(c, tuple)]
        negatives = [c[1] for c in children if isinstance(c, tuple) and c[1] is not None]
        if not positives and not negatives:
            return None
        checks = [check for c in positives if isinstance(c, Unchecked) for check in c.checks]
        if positives:
            positives.sort(key=len)
            out = dict(positives[0])
            for other in positives[1:]:
                get = other.get
                out = {d: s + v for d, s in out.items() if (v := get(d)) is not None}
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

    def run_not(self, child) -> dict[int, float]:
        every = self.every()
        for d in checked(child[1]) or ():
            every.pop(d, None)
        return every

    def word(self, word: q.Word, negated: bool):
        f = word.field
        record = not negated
        text = word.text
        if f is None and not word.phrase and not analysis.is_cjk(text):
            if word.prefix:
                norm = analysis._normalize(text)
                if record:
                    self.builder.terms.prefixes.add(norm)
                return self.catch_all(self.frequent(norm, EXPLICIT_PREFIX_TERMS))
            if word.fuzzy:
                return self.fuzzy(word, record)
            terms = analysis.query_terms(text, True)
            plain = analysis.query_terms(text, False)
            if len(terms) == 1 and len(plain) == 1:
                if record:
                    self.builder.terms.terms.update(terms + plain)
                out = self.catch_all(terms + plain)
                extra = self.builder.special_fields(text)
                if word.typing and len(text) >= 3:
                    norm = analysis._normalize(text)
                    if record:
                        self.builder.terms.prefixes.add(norm)
                    more = [t for t in self.frequent(norm, TYPING_PREFIX_TERMS) if t not in terms and t not in plain]
                    if more:
                        # What the word may become weighs less than what it is.
                        for d, s in self.catch_all(more, 0.5).items():
                            out[d] = out.get(d, 0.0) + s
                for sub in extra:
                    for d, s in self.whoosh(sub).items():
                        out[d] = out.get(d, 0.0) + s
                return out
        if f is None and not word.phrase and not word.fuzzy and len(text) == 1 and analysis.is_cjk(text):
            # A lone CJK character: the run-final unigram, or a bigram starting with it.
            if record:
                self.builder.terms.terms.add(text)
            return self.catch_all([text, *self.frequent(text, 32)])
        if f in CATCH_ONLY:
            return self.catch_field(word, f, record)
        if f is None and self.texts is not None and (word.phrase or analysis.is_cjk(text)) and not word.prefix and not word.fuzzy:
            found = self.phrase(word, record)
            if found is not None:
                return found
        built = self.builder.word(word, negated)
        out = self.whoosh(built) if built is not None else None
        if f is None:
            # The builder searched the fields with word lists; add the rest.
            for name in CATCH_ONLY:
                more = self.catch_field(word, name, record, typing=False)
                if more is None:
                    continue
                if out is None:
                    out = more
                    continue
                for d, s in more.items():
                    out[d] = out.get(d, 0.0) + s
        return out

    def catch_field(self, word: q.Word, name: str, record: bool, typing: bool = True) -> dict[int, float] | None:
        """A word in a field that has no word list (schema.CATCH_ONLY): the
        catch-all's papers for its terms, checked against the field's text.
        None: the word has no terms (no constraint)."""
        text = word.text
        stem = STEMMED[name]
        terms_out = self.builder.terms
        mode = "any"
        if word.prefix and not analysis.is_cjk(text):
            norm = analysis._normalize(text.lower())
            if record:
                terms_out.prefixes.add(norm)
            terms = self.frequent(norm, EXPLICIT_PREFIX_TERMS)
        elif word.fuzzy:
            terms = self.fuzzy_terms(text, word.fuzzy, stem)
            if terms is None:
                return {}
            if record:
                terms_out.terms.update(terms)
        else:
            terms = analysis.query_terms(text, stem)
            if len(terms) > 1 and len(terms[-1]) == 1 and analysis.is_cjk(terms[-1]):
                terms = terms[:-1]  # see query.Builder.field_query
            if not terms:
                return None
            if record:
                terms_out.terms.update(terms)
            if len(terms) == 1 and len(terms[0]) == 1 and analysis.is_cjk(terms[0]):
                terms = [terms[0], *self.frequent(terms[0], 32)]
            elif len(terms) > 1:
                mode = "phrase" if PHRASE[name] else "all"
        if not terms:
            return {}
        if mode == "any":
            found = self.catch_all(terms)
        else:
            found = None
            for term in dict.fromkeys(terms):
                part = self.catch_all([term])
                found = part if found is None else {d: s + v for d, s in found.items() if (v := part.get(d)) is not None}
                if not found:
                    break
        field_texts = self.field_texts
        quick = None
        if field_texts is not None and found and mode != "all" and not word.prefix and not word.fuzzy:
            quick = _quick_check(text, terms, stem)
        if quick is not None:
            found = {d: s for d, s in found.items() if any(quick(h) for h in field_texts(d, name))}
        elif field_texts is not None and found:
            if mode == "phrase":
                found = {d: s for d, s in found.items() if any(_consecutive(h, terms, stem) for h in field_texts(d, name))}
            else:
                wanted = set(terms)
                need = len(wanted) if mode == "all" else 1

                def holds(d: int) -> bool:
                    seen: set[str] = set()
                    for hay in field_texts(d, name):
                        seen.update(wanted.intersection(analysis.counts(hay, stem)))
                        if len(seen) >= need:
                            return True
                    return False

                found = {d: s for d, s in found.items() if holds(d)}
        if typing and word.typing and len(text) >= 3 and not analysis.is_cjk(text):
            # As query.Builder.word: the word being typed also matches what it may become.
            extra = self.builder.prefix_terms(text.lower(), q.EXPANSION_FIELDS, TYPING_PREFIX_TERMS, record)
            if extra:
                for d, s in self.whoosh(wq.Or(extra)).items():
                    found[d] = found.get(d, 0.0) + s
        return found

    def phrase(self, word: q.Word, record: bool) -> dict[int, float] | None:
        """A phrase or a CJK word in any text field: the papers holding all
        its terms (catch-all), checked against their text.  None: not a
        kind this handles (then positions are used)."""
        text = word.text
        stemmed = analysis.query_terms(text, True)
        plain = analysis.query_terms(text, False)
        if not stemmed or not plain:
            return None
        cjk = analysis.is_cjk(text)
        if cjk:
            if not analysis.CJK_RUN.fullmatch(text) or len(text) < 2:
                return None  # mixed text, a lone character: positions
            check = lambda hay: text in hay  # noqa: E731 - a CJK run is never normalised
        else:
            if len(stemmed) != len(plain):
                return None
            check = _phrase_check(
                text,
                lambda found: analysis.query_terms(found, True) == stemmed or analysis.query_terms(found, False) == plain,
            )
            if check is None:
                return None
        if record:
            self.builder.terms.terms.update(stemmed)
        candidates = None
        # The authors field is not stemmed: an author's word is in the
        # catch-all as written.
        for pair in dict.fromkeys(zip(stemmed, plain)):
            found = self.catch_all(list(pair))
            candidates = found if candidates is None else {d: s + v for d, s in candidates.items() if (v := found.get(d)) is not None}
            if not candidates:
                return {}
        texts = self.texts
        # A CJK word is nearly always in an AI summary: those go first.
        return Unchecked(candidates, [lambda d: any(map(check, texts(d, cjk)))])

    def fuzzy_terms(self, text: str, maxdist: int, stem: bool) -> list[str] | None:
        """The catch-all's terms within ``maxdist`` edits of the word, the
        most frequent first when there are many; None unless it is one word."""
        base = analysis.query_terms(text, stem)
        if len(base) != 1:
            return None
        try:
            found = list(self.reader.terms_within(ALL, base[0], maxdist, prefix=1))
        except Exception:  # noqa: BLE001
            found = []
        found = [t.decode("utf-8") if isinstance(t, bytes) else t for t in found]
        if len(found) > q.FUZZY_TERMS:
            found.sort(key=lambda t: -self.reader.doc_frequency(ALL, t))
            found = found[: q.FUZZY_TERMS]
        return found

    def fuzzy(self, word: q.Word, record: bool) -> dict[int, float]:
        found = self.fuzzy_terms(word.text, word.fuzzy, True)
        if found is None:
            return {}
        if record:
            self.builder.terms.terms.update(found)
        return self.catch_all(found)

    # --- Whoosh queries ------------------------------------------------------------

    def whoosh(self, query) -> dict[int, float]:
        """{docnum: score} of a Whoosh query."""
        if isinstance(query, wq.Term) and query.fieldname in ("date", "cat", "id"):
            return self.keyword_terms(query.fieldname, [query.text], query.boost)
        if isinstance(query, (wq.Prefix, wq.TermRange)) and query.fieldname in ("date", "cat", "id"):
            found = list(query._btexts(self.reader))
            return self.keyword_terms(query.fieldname, found, 0.0)
        if isinstance(query, wq.Or) and all(isinstance(s, wq.Term) and s.fieldname == ALL for s in query.subqueries):
            return self.catch_all([s.text for s in query.subqueries])
        if query is wq.NullQuery:
            return {}
        if isinstance(query, wq.Or) and any(isinstance(s, wq.Phrase) for s in query.subqueries):
            out: dict[int, float] = {}
            for sub in query.subqueries:  # an Or's score is the sum of its parts'
                for d, s in self.whoosh(sub).items():
                    out[d] = out.get(d, 0.0) + s
            return out
        if isinstance(query, wq.Phrase):
            return self.field_phrase(query)
        out: dict[int, float] = {}
        for leaf, offset in self.searcher.leaf_searchers():
            m = query.matcher(leaf)
            dead = self.deleted(offset, leaf.reader())
            while m.is_active():
                d = m.id() + offset
                if d not in dead:
                    out[d] = m.score() * WHOOSH_SCALE
                m.next()
        return out

    def field_phrase(self, query) -> dict[int, float]:
        """A phrase in one field: the papers holding all its terms there
        (scored as their AND), whose field text has them at consecutive
        positions."""
        name = query.fieldname
        words = list(query.words)
        found = self.whoosh(wq.And([wq.Term(name, w, boost=query.boost) for w in words]))
        field_texts = self.field_texts
        if field_texts is None or not found:
            return found
        stem = STEMMED.get(name, True)
        # Unstemmed (authors), an ASCII text's terms are its lowercased
        # words: one without every term as a substring cannot hold the phrase.
        quick = not stem and all(w.isascii() for w in words)

        def holds(hay: str) -> bool:
            if quick and hay.isascii():
                low = hay.lower()
                if not all(w in low for w in words):
                    return False
            return _consecutive(hay, words, stem)

        return {d: s for d, s in found.items() if any(holds(hay) for hay in field_texts(d, name))}

    def keyword_terms(self, fieldname: str, texts: list, boost: float) -> dict[int, float]:
        """The papers holding any of ``texts`` in a keyword field (date,
        cat, id), each scored ``boost``.  A segment's list for such a term
        is read once and kept in ``keywords`` (segments do not change; their
        deletions are left out here): a date range over a year is hundreds
        of terms, and reading them took 30 ms a search at 40,000 papers."""
        cache = self.keywords
        out: dict[int, float] = {}
        for offset, reader in self.leaves:
            segment = reader.segment().segment_id()
            ids: list[int] = []
            for text in texts:
                tbytes = text.encode("utf-8") if isinstance(text, str) else text
                key = (segment, fieldname, tbytes)
                found = cache.get(key)
                if found is None:
                    try:
                        found = array("I", _leaf_postings(reader, fieldname, tbytes, False)[0])
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


def _leaf_postings(reader, fieldname: str, tbytes: bytes, weights: bool) -> tuple[list, list]:
    """(local docnums, weights or []) of one term in one segment, deleted
    documents included; raises when the term is not there."""
    m = _raw_postings(reader, fieldname, tbytes)
    ids: list = []
    ws: list = []
    if isinstance(m, W3LeafMatcher):
        while m.is_active():
            m._read_ids()
            ids.extend(m._ids)
            if weights:
                m._read_weights()
                ws.extend(m._weights)
            m._next_block()
    else:
        while m.is_active():
            ids.append(m.id())
            if weights:
                ws.append(m.weight())
            m.next()
    return ids, ws


def _raw_postings(reader, fieldname: str, tbytes: bytes):
    """A segment's matcher for one term, deleted documents included (the
    caller leaves them out).  Whoosh's ``postings()`` wraps a segment with
    deletions in a FilterMatcher that steps through every posting in Python
    (and finds the first live one as it is built): 60 ms of a 90 ms query
    at 40,000 papers after one incremental update."""
    terms = getattr(reader, "_terms", None)
    if terms is None or getattr(reader, "is_closed", False):
        return reader.postings(fieldname, tbytes)  # raises ReaderClosed when closed
    return terms.matcher(fieldname, tbytes, reader.schema[fieldname].format)


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
