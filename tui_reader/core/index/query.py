"""The query language: a small parser of our own that builds Whoosh queries.

Our own parser rather than Whoosh's ``QueryParser`` because Whoosh's never
fails (garbage silently becomes terms, ``foo~`` silently becomes a plain term
unless a plugin is on), expands ``d*`` to every term in the lexicon (measured
up to 32 s on 38k papers) and knows nothing of CJK bigrams, date ranges or
bookmarks.  Grammar::

    query   := or ( "OR" or )*            -- OR binds loosest
    or      := unary ( ["AND"] unary )*   -- plain juxtaposition is AND
    unary   := ("NOT" | "-") unary | atom
    atom    := "(" query ")" | [field ":"] ( "\\"phrase\\"" | word | "(" query ")" )
    word    := text | text "*" | text "~" [1|2]

A query that cannot be read raises :class:`QueryError` with a message meant
for the user; :class:`SearchIndex.search` turns it into ``SearchResult.error``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.matching import AndNotMatcher, ListMatcher, NullMatcher

from tui_reader.core.index import analysis
from tui_reader.core.index.schema import INDEXED_TEXT, PHRASE, STEMMED, TEXT_FIELDS
from tui_reader.core.model import split_arxiv_id

FIELD_ALIASES: dict[str, str] = {
    "title": "title",
    "author": "authors",
    "authors": "authors",
    "abstract": "abstract",
    "tldr": "tldr",
    "method": "method",
    "result": "result",
    "motivation": "more",
    "conclusion": "more",
    "cat": "cat",
    "category": "cat",
    "id": "id",
    "date": "date",
    "is": "is",
    "tag": "tag",
}
IS_VALUES = ("bookmarked", "unread", "read")
MIN_PREFIX = 2  # letters before an explicit *
EXPLICIT_PREFIX_TERMS = 24  # most frequent expansions per field for word*
TYPING_PREFIX_TERMS = 6  # ... for the word being typed
FUZZY_TERMS = 8
# Fields searched by prefix and fuzzy expansions (the cheap, telling ones).
EXPANSION_FIELDS = ("title", "authors", "tldr", "abstract")

_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?$")


class QueryError(ValueError):
    """A query the parser cannot read; the message is for the user."""


# --- syntax tree -----------------------------------------------------------


@dataclass
class Word:
    text: str
    field: str | None = None
    phrase: bool = False
    prefix: bool = False
    fuzzy: int = 0
    typing: bool = False  # the word being typed (as-you-type mode)


@dataclass
class Not:
    child: object


@dataclass
class Group:
    op: str  # "and" | "or"
    children: list = field(default_factory=list)


# --- lexer -----------------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(\()|(\))|("[^"]*"?)|([^\s()"]+))')


def _lex(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            break
        start = match.start(match.lastindex)
        if match.group(1):
            out.append(("(", "(", start))
        elif match.group(2):
            out.append((")", ")", start))
        elif match.group(3) is not None:
            raw = match.group(3)
            if len(raw) < 2 or not raw.endswith('"'):
                raise QueryError(f'unclosed quote at column {start + 1}: add a closing "')
            out.append(("phrase", raw[1:-1], start))
        else:
            out.append(("word", match.group(4), start))
        pos = match.end()
    return out


class _Parser:
    def __init__(self, text: str, as_you_type: bool) -> None:
        self.tokens = _lex(text)
        self.i = 0
        # The last word is being typed unless the query ends with a space.
        self.typing_index = -1
        if as_you_type and text and not text[-1].isspace() and self.tokens:
            kind, value, _ = self.tokens[-1]
            if kind == "word" and value not in ("OR", "AND", "NOT") and not value.endswith(("*", "~")):
                self.typing_index = len(self.tokens) - 1

    def peek(self) -> tuple[str, str, int] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def parse(self):
        if not self.tokens:
            return None
        node = self.parse_or()
        token = self.peek()
        if token is not None:
            raise QueryError(f"unexpected ')' at column {token[2] + 1}: no '(' to close")
        return node

    def parse_or(self):
        children = [self.parse_and()]
        while (token := self.peek()) is not None and token == ("word", "OR", token[2]):
            self.i += 1
            if self.peek() is None or self.peek()[0] == ")":
                raise QueryError("OR needs a search term on both sides")
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Group("or", children)

    def parse_and(self):
        children = []
        while (token := self.peek()) is not None:
            kind, value, col = token
            if kind == ")" or (kind == "word" and value == "OR"):
                break
            if kind == "word" and value == "AND":
                self.i += 1
                if not children:
                    raise QueryError(f"AND at column {col + 1} needs a search term before it")
                nxt = self.peek()
                if nxt is None or nxt[0] == ")" or (nxt[0] == "word" and nxt[1] in ("OR", "AND")):
                    raise QueryError("AND needs a search term on both sides")
                continue
            children.append(self.parse_unary())
        if not children:
            token = self.peek()
            if token is None:
                raise QueryError("the query ends where a search term was expected")
            if token[0] == ")":
                raise QueryError(f"empty parentheses at column {token[2] + 1}")
            raise QueryError(f"OR at column {token[2] + 1} needs a search term before it")
        return children[0] if len(children) == 1 else Group("and", children)

    def parse_unary(self):
        kind, value, col = self.tokens[self.i]
        nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
        if kind == "word" and value == "-" and nxt is not None and nxt[0] in ("(", "phrase"):
            self.i += 1
            return Not(self.parse_unary())
        if kind == "word" and (value == "NOT" or (value.startswith("-") and len(value) > 1)):
            if value == "NOT":
                self.i += 1
                if self.peek() is None or self.peek()[0] == ")":
                    raise QueryError(f"NOT at column {col + 1} needs a search term after it")
                return Not(self.parse_unary())
            self.tokens[self.i] = ("word", value[1:], col + 1)
            return Not(self.parse_unary())
        return self.parse_atom()

    def parse_atom(self):
        kind, value, col = self.tokens[self.i]
        typing = self.i == self.typing_index
        self.i += 1
        if kind == "(":
            node = self.parse_or()
            if self.peek() is None or self.peek()[0] != ")":
                raise QueryError(f"'(' at column {col + 1} is never closed: add a ')'")
            self.i += 1
            return node
        if kind == "phrase":
            return Word(value, phrase=True)
        # kind == "word"
        fieldname = None
        match = re.match(r"([A-Za-z]+):(.*)$", value)
        if match and match.group(1).lower() in FIELD_ALIASES:
            fieldname = FIELD_ALIASES[match.group(1).lower()]
            value = match.group(2)
            if not value:
                nxt = self.peek()
                if nxt is None or nxt[0] == ")":
                    raise QueryError(f"{match.group(1)}: at column {col + 1} needs a value after it")
                if nxt[0] == "phrase":
                    self.i += 1
                    return Word(nxt[1], field=fieldname, phrase=True)
                if nxt[0] == "(":
                    self.i += 1
                    node = self.parse_or()
                    if self.peek() is None or self.peek()[0] != ")":
                        raise QueryError(f"'(' at column {nxt[2] + 1} is never closed: add a ')'")
                    self.i += 1
                    return _with_field(node, fieldname)
                raise QueryError(f"{match.group(1)}: at column {col + 1} needs a value right after the colon")
            typing = False  # fielded values are exact
        return _word(value, fieldname, typing, col)


def _with_field(node, fieldname: str):
    if isinstance(node, Word):
        if node.field is None:
            node.field = fieldname
        return node
    if isinstance(node, Not):
        return Not(_with_field(node.child, fieldname))
    return Group(node.op, [_with_field(c, fieldname) for c in node.children])


def _word(value: str, fieldname: str | None, typing: bool, col: int) -> Word:
    word = Word(value, field=fieldname, typing=typing)
    fuzzy = re.match(r"(.+?)~(\d*)$", value)
    if fuzzy:
        word.text = fuzzy.group(1)
        digits = fuzzy.group(2)
        # A bare ~ allows 2 edits on long words (as Lucene's AUTO does): the
        # index holds stems, and a typo at the end of a long word can cost
        # an edit of its own against the stem (superconformall~ -> superconform).
        word.fuzzy = int(digits) if digits else (2 if len(word.text) >= 8 else 1)
        if word.fuzzy not in (1, 2):
            raise QueryError(f"{value}: a fuzzy word takes ~1 or ~2 (edits allowed)")
        word.typing = False
    elif value.endswith("*") and fieldname not in ("date", "cat", "id"):
        word.text = value.rstrip("*")
        word.prefix = True
        word.typing = False
        letters = len(word.text)
        if "*" in word.text or "?" in word.text:
            raise QueryError(f"{value}: only a * at the end of a word is supported")
        if letters < MIN_PREFIX and not analysis.is_cjk(word.text):
            raise QueryError(f"{value}: a prefix needs at least {MIN_PREFIX} letters before the *")
    return word


def parse(text: str, as_you_type: bool = False):
    """The syntax tree of ``text`` (None for an empty query)."""
    return _Parser(text, as_you_type).parse()


# --- building Whoosh queries ---------------------------------------------------


@dataclass
class MatchTerms:
    """What a query matches, for highlighting: analyzed terms (English stems,
    CJK grams, author words) and prefixes of words (lowercase)."""

    terms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)


class IdSet(wq.Query):
    """Documents whose paper id is in a set (bookmarks, unread, a tag).

    ``doc_ids(reader)`` maps a leaf reader's document numbers to paper ids
    (the index keeps that map per segment)."""

    def __init__(self, ids: frozenset[str], label: str, doc_ids: Callable) -> None:
        self.ids = ids
        self.label = label
        self.doc_ids = doc_ids
        self.boost = 1.0

    def __repr__(self) -> str:
        return f"IdSet({self.label}, {len(self.ids)})"

    def __eq__(self, other) -> bool:
        return isinstance(other, IdSet) and other.ids == self.ids

    def __hash__(self) -> int:
        return hash((self.label, len(self.ids)))

    def estimate_size(self, ixreader) -> int:
        return len(self.ids)

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        ids = self.ids
        docnums = [
            docnum
            for docnum, pid in enumerate(self.doc_ids(reader))
            if pid in ids and not reader.is_deleted(docnum)
        ]
        if not docnums:
            return NullMatcher()
        return ListMatcher(docnums, all_weights=1.0)


class _AndNotMatcher(AndNotMatcher):
    # Whoosh 2.7.4 only moves the negative side past the first positive
    # document when both start on the same document; when the negative one
    # starts earlier, the first positive document is returned even if it is
    # excluded ("a NOT b" could return a document holding b).
    def _find_first(self):
        if self.a.is_active() and self.b.is_active():
            self._find_next()


class AndNot(wq.AndNot):
    def matcher(self, searcher, context=None):
        a = self.a.matcher(searcher, context)
        b = self.b.matcher(searcher, searcher.boolean_context())
        if not a.is_active() or not b.is_active():
            return a
        return _AndNotMatcher(a, b)


class Builder:
    """Turns a syntax tree into a Whoosh query against one reader (needed to
    expand prefixes and fuzzy words to the terms the index holds)."""

    def __init__(self, reader, state=None, doc_ids: Callable | None = None, all_ids: Callable | None = None) -> None:
        self.reader = reader
        self.state = state
        self.doc_ids = doc_ids
        self.all_ids = all_ids
        self.terms = MatchTerms()

    def build(self, node, negated: bool = False):
        if isinstance(node, Word):
            return self.word(node, negated)
        if isinstance(node, Not):
            inner = self.build(node.child, not negated)
            if isinstance(inner, tuple):  # NOT NOT x
                return inner[1]
            return ("not", inner)
        children = [self.build(c, negated) for c in node.children]
        if node.op == "or":
            subs = [_positive(c) for c in children]
            subs = [s for s in subs if s is not None]
            return wq.Or(subs) if subs else None
        positives = [c for c in children if c is not None and not (isinstance(c, tuple))]
        negatives = [c[1] for c in children if isinstance(c, tuple) and c[1] is not None]
        if not positives and not negatives:
            return None
        base = positives[0] if len(positives) == 1 else (wq.And(positives) if positives else wq.Every())
        if negatives:
            neg = negatives[0] if len(negatives) == 1 else wq.Or(negatives)
            return AndNot(base, neg)
        return base

    # -- words --------------------------------------------------------------

    def word(self, word: Word, negated: bool):
        f = word.field
        if f == "is" or f == "tag":
            return self.state_query(word)
        if f == "date":
            return date_query(word.text)
        if f == "cat":
            text = word.text.lower()
            if text.endswith("*"):
                return wq.Prefix("cat", text.rstrip("*"))
            return wq.Term("cat", text)
        if f == "id":
            text = word.text.rstrip("*")
            if word.text.endswith("*"):
                return wq.Prefix("id", text)
            found = split_arxiv_id(text)
            return wq.Term("id", found[0] if found else text)
        # CATCH_ONLY fields have no word list: the engine answers them.
        fields = [f] if f else list(INDEXED_TEXT)
        record = not negated
        if word.prefix or word.fuzzy:
            return self.expanded(word, fields, record)
        subs = [q for q in (self.field_query(name, word, record) for name in fields) if q is not None]
        if f is None:
            subs.extend(self.special_fields(word.text))
        if word.typing and len(word.text) >= 3 and not analysis.is_cjk(word.text):
            subs.extend(self.prefix_terms(word.text.lower(), EXPANSION_FIELDS, TYPING_PREFIX_TERMS, record))
        if not subs:
            return None
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def field_query(self, name: str, word: Word, record: bool):
        terms = analysis.query_terms(word.text, STEMMED[name])
        if len(terms) > 1 and len(terms[-1]) == 1 and analysis.is_cjk(terms[-1]):
            # "Transformer的": a lone character ending the query starts a run in
            # the text, where no unigram holds it; leave it out of the phrase.
            terms = terms[:-1]
        if not terms:
            return None
        boost = TEXT_FIELDS[name]
        if record:
            self.terms.terms.update(terms)
        if len(terms) == 1:
            term = terms[0]
            if len(term) == 1 and analysis.is_cjk(term):
                # A lone CJK character: the unigram (run-final) or any bigram
                # that starts with it.
                subs = [wq.Term(name, term, boost=boost)]
                subs.extend(self._expand(name, term, 32, boost))
                return wq.Or(subs)
            return wq.Term(name, term, boost=boost)
        if PHRASE[name]:
            return wq.Phrase(name, terms, boost=boost)
        return wq.And([wq.Term(name, t, boost=boost) for t in terms])

    def special_fields(self, text: str) -> list:
        """A plain word that looks like a date, a category or an id also
        searches that field."""
        subs = []
        lowered = text.lower()
        if _DATE.match(text):
            subs.append(wq.Prefix("date", text) if len(text) < 10 else wq.Term("date", text))
        if re.match(r"[a-z][a-z\-]*\.[a-z\-]+$", lowered) or re.match(r"(?:hep|math|astro|cond|nucl|quant|gr)-[a-z\-]+$", lowered):
            subs.append(wq.Term("cat", lowered, boost=2.0))
        found = split_arxiv_id(text)
        if found and (re.match(r"\d{4}\.\d{4,5}(v\d+)?$", text) or "/" in text):
            subs.append(wq.Term("id", found[0], boost=10.0))
        return subs

    def expanded(self, word: Word, fields: list[str], record: bool):
        subs = []
        if word.prefix:
            text = word.text.lower()
            if analysis.is_cjk(text):
                for name in fields:
                    q = self.field_query(name, Word(word.text, field=name), record)
                    if q is not None:
                        subs.append(q)
            else:
                subs = self.prefix_terms(text, fields, EXPLICIT_PREFIX_TERMS, record)
        else:
            for name in fields:
                base = analysis.query_terms(word.text, STEMMED[name])
                if len(base) != 1:
                    continue
                found = self._fuzzy(name, base[0], word.fuzzy)
                if record:
                    self.terms.terms.update(found)
                subs.extend(wq.Term(name, t, boost=TEXT_FIELDS[name]) for t in found)
        if not subs:
            return wq.NullQuery
        return wq.Or(subs)

    def prefix_terms(self, prefix: str, fields: Iterable[str], number: int, record: bool) -> list:
        norm = analysis._normalize(prefix)
        if record:
            self.terms.prefixes.add(norm)
        subs = []
        for name in fields:
            subs.extend(self._expand(name, norm, number, TEXT_FIELDS[name]))
        return subs

    def _expand(self, name: str, prefix: str, number: int, boost: float) -> list:
        try:
            found = self.reader.most_frequent_terms(name, number=number, prefix=prefix)
        except Exception:  # noqa: BLE001 - a field absent from every segment
            return []
        out = []
        for _, term in found:
            text = term.decode("utf-8") if isinstance(term, bytes) else term
            out.append(wq.Term(name, text, boost=boost))
        return out

    def _fuzzy(self, name: str, term: str, maxdist: int) -> list[str]:
        try:
            found = list(self.reader.terms_within(name, term, maxdist, prefix=1))
        except Exception:  # noqa: BLE001
            return []
        if len(found) > FUZZY_TERMS:
            found.sort(key=lambda t: -self.reader.doc_frequency(name, t))
            found = found[:FUZZY_TERMS]
        return [t.decode("utf-8") if isinstance(t, bytes) else t for t in found]

    def state_query(self, word: Word):
        value = word.text
        if word.field == "is":
            if value.lower() not in IS_VALUES:
                raise QueryError(f"is:{value}: use is:bookmarked, is:unread or is:read")
        elif not value:
            raise QueryError("tag: needs a tag name")
        if self.state is None:
            what = f"is:{value}" if word.field == "is" else f"tag:{value}"
            raise QueryError(f"{what}: bookmarks and tags are not available here")
        if word.field == "tag":
            ids = self.state.tagged_ids(value)
            label = f"tag:{value}"
        elif value.lower() == "bookmarked":
            ids = self.state.bookmarked_ids()
            label = "is:bookmarked"
        else:
            all_ids = self.all_ids() if self.all_ids else []
            unread = self.state.unread_ids(all_ids)
            if value.lower() == "unread":
                ids, label = unread, "is:unread"
            else:
                ids, label = set(all_ids) - set(unread), "is:read"
        return IdSet(frozenset(ids), label, self.doc_ids)


def _positive(node):
    if isinstance(node, tuple):
        # NOT inside an OR: everything but that
        return AndNot(wq.Every(), node[1]) if node[1] is not None else None
    return node


def finish(node):
    """The top-level Whoosh query for a built tree (None: no constraint)."""
    if isinstance(node, tuple):
        return AndNot(wq.Every(), node[1]) if node[1] is not None else None
    return node


def date_query(text: str):
    def check(part: str) -> str:
        if not _DATE.match(part):
            raise QueryError(
                f"date:{text}: use YYYY, YYYY-MM, YYYY-MM-DD or a range FROM..TO (e.g. date:2026-01-01..2026-01-31)"
            )
        return part

    if ".." in text:
        low, _, high = text.partition("..")
        if not low and not high:
            raise QueryError("date:..: give at least one end of the range")
        low = check(low) if low else None
        high = check(high) if high else None
        if high is not None and len(high) < 10:
            high = high + "-99-99"[: 10 - len(high)]
        if low and high and low > high:
            raise QueryError(f"date:{text}: the range starts after it ends")
        return wq.TermRange("date", low, high, startexcl=False, endexcl=False)
    check(text)
    if len(text) < 10:
        return wq.Prefix("date", text)
    return wq.Term("date", text)
