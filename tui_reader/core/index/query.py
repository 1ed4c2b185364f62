"""The query language: a pure parser (no Whoosh, no index) that turns the
text a reader typed into a small syntax tree, which :mod:`engine` evaluates.

Grammar::

    query   := or ( "OR" or )*            -- OR binds loosest
    or      := unary ( ["AND"] unary )*   -- plain juxtaposition is AND
    unary   := ("NOT" | "-")* atom
    atom    := "(" query ")" | [field ":"] ( "\\"phrase\\"" | word | "(" query ")" )
    word    := text | text "*" | text "~" [1|2]

Our own parser rather than Whoosh's ``QueryParser`` because Whoosh's never
fails (garbage silently becomes terms), expands ``d*`` to every term of the
lexicon and knows nothing of CJK bigrams, date ranges or bookmarks.

A query that cannot be read, or that is too big to answer quickly, raises
:class:`QueryError` with a message meant for the reader; ``SearchIndex.search``
turns it into ``SearchResult.error``.  The limits (:data:`MAX_CHARS`,
:data:`MAX_WORDS`, :data:`MAX_DEPTH`, :data:`MAX_OR`) are checked before any
index work, so a refusal takes well under 10 ms.  Repeated words count once.

Fields: the table :data:`FIELDS`
--------------------------------

Every ``name:`` the language knows is one row of :data:`FIELDS`: its
*kind* tells the engine how to answer it, its *target* what it searches.

==========  =================================================================
kind        how the engine answers ``name:value``
==========  =================================================================
``text``    words of an index text field (``target``: title, authors,
            abstract, tldr, method, result, more), analysed like the index
            (stems, CJK bigrams); phrases, prefix*, fuzzy~ work
``keyword`` exact index terms (``cat``, ``id``, ``date`` with ranges)
``state``   the reader's own marks (``is:bookmarked``/``unread``/``read``,
            ``tag:NAME``), from the state store
``filter``  a test of the paper itself, ``facets.FILTERS[target]``: a
            function ``value -> predicate(paper) -> bool`` that raises
            QueryError for a value it cannot read
==========  =================================================================

Adding a facet field (``has:code``, ``stars:>100``, ``venue:CVPR``,
``lang:Chinese``) is two small, local changes and no change here or in the
engine beyond the table:

1. one row here: ``"stars": Field(FILTER, "stars")``;
2. one function in :mod:`tui_reader.core.index.facets`, registered in
   ``FILTERS["stars"]``: it reads the value once (``">100"``, ``"10.."``)
   and returns ``lambda paper: ...``.

``is:`` is a ``state`` field whose values beyond :data:`STATE_VALUES` go to
``FILTERS["is"]`` when that exists (``is:accepted``).  Fields of kind
``filter`` and ``state`` are never "being typed" (no prefix expansion).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tui_reader.core.index.errors import QueryError

TEXT = "text"
KEYWORD = "keyword"
STATE = "state"
FILTER = "filter"


@dataclass(frozen=True)
class Field:
    kind: str  # TEXT, KEYWORD, STATE or FILTER
    target: str  # the index field (text, keyword), or the name in facets.FILTERS / the state store


FIELDS: dict[str, Field] = {
    "title": Field(TEXT, "title"),
    "author": Field(TEXT, "authors"),
    "authors": Field(TEXT, "authors"),
    "abstract": Field(TEXT, "abstract"),
    "tldr": Field(TEXT, "tldr"),
    "method": Field(TEXT, "method"),
    "result": Field(TEXT, "result"),
    "motivation": Field(TEXT, "more"),
    "conclusion": Field(TEXT, "more"),
    "cat": Field(KEYWORD, "cat"),
    "category": Field(KEYWORD, "cat"),
    "id": Field(KEYWORD, "id"),
    "date": Field(KEYWORD, "date"),
    "is": Field(STATE, "is"),
    "tag": Field(STATE, "tag"),
    "picked": Field(STATE, "picked"),  # picked:NAME, a teammate's shared picks (core.picks.PickedFilter)
    # The producer's signals (core.facet_filters, registered in facets.FILTERS).
    "has": Field(FILTER, "has"),
    "no": Field(FILTER, "no"),
    "stars": Field(FILTER, "stars"),
    "venue": Field(FILTER, "venue"),
    "lang": Field(FILTER, "lang"),
    "language": Field(FILTER, "language"),
}
STATE_VALUES = ("bookmarked", "unread", "read")
MIN_PREFIX = 2  # letters before an explicit *
# What a prefix can be: letters and digits of any script, hyphenated parts.
_PREFIX_STEM = re.compile(r"[^\W_]+(?:-[^\W_]+)*")

# Limits: anything within them is answered in well under a second at 40,000
# papers (a pasted 2,000-character abstract included); beyond, refused at once.
MAX_CHARS = 5000
MAX_WORDS = 600  # words, phrases and operators
MAX_DEPTH = 16  # parentheses and NOTs inside each other
MAX_OR = 100  # alternatives of ORs in one query

_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?$")
OPERATORS = ("OR", "AND", "NOT")


# --- syntax tree -----------------------------------------------------------


@dataclass
class Word:
    text: str
    field: str | None = None  # a key of FIELDS
    phrase: bool = False
    prefix: bool = False
    fuzzy: int = 0  # edits allowed; -1: scaled to the word's length (a bare ~)
    typing: bool = False  # the word being typed (as-you-type mode)
    start: int = -1  # where the word is in the query text (for corrections)
    end: int = -1

    @property
    def spec(self) -> Field | None:
        return FIELDS.get(self.field) if self.field else None

    def key(self) -> tuple:
        return (self.text, self.field, self.phrase, self.prefix, self.fuzzy, self.typing)


@dataclass
class Not:
    child: object


@dataclass
class Group:
    op: str  # "and" | "or"
    children: list = field(default_factory=list)


@dataclass
class MatchTerms:
    """What a query matches, for highlighting: analyzed terms (English stems,
    CJK grams, author words) and prefixes of words (lowercase)."""

    terms: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)

    def __bool__(self) -> bool:
        return bool(self.terms or self.prefixes)


# --- lexer -----------------------------------------------------------------

_TOKEN = re.compile(r'\s*(?:(\()|(\))|("[^"]*"?)|([^\s()"]+))')


def _lex(text: str) -> list[tuple[str, str, int]]:
    out: list[tuple[str, str, int]] = []
    pos = 0
    text = text.rstrip()
    depth = 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match or match.end() == pos:
            break
        start = match.start(match.lastindex)
        if match.group(1):
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryError(f"too many parentheses inside each other (more than {MAX_DEPTH})")
            out.append(("(", "(", start))
        elif match.group(2):
            depth = max(0, depth - 1)
            out.append((")", ")", start))
        elif match.group(3) is not None:
            raw = match.group(3)
            if len(raw) < 2 or not raw.endswith('"'):
                raise QueryError(f'unclosed quote at column {start + 1}: add a closing "')
            out.append(("phrase", raw[1:-1], start))
        else:
            out.append(("word", match.group(4), start))
        if len(out) > MAX_WORDS:
            raise QueryError(f"the query is too long: more than {MAX_WORDS} words")
        pos = match.end()
    ors = sum(1 for kind, value, _ in out if kind == "word" and value == "OR")
    if ors >= MAX_OR:
        raise QueryError(f"too many ORs ({ors}): at most {MAX_OR - 1} in one query")
    return out


class _Parser:
    def __init__(self, text: str, as_you_type: bool) -> None:
        self.text = text
        self.tokens = _lex(text)
        self.i = 0
        self.depth = 0
        # The last word is being typed unless the query ends with a space.
        self.typing_index = -1
        if as_you_type and text and not text[-1].isspace() and self.tokens:
            kind, value, _ = self.tokens[-1]
            if kind == "word" and value not in OPERATORS and not value.endswith(("*", "~")):
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
        while (token := self.peek()) is not None and token[0] == "word" and token[1] == "OR":
            self.i += 1
            if self.peek() is None or self.peek()[0] == ")":
                raise QueryError("OR needs a search term on both sides")
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Group("or", _once(children))

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
        children = _once(children)
        return children[0] if len(children) == 1 else Group("and", children)

    def parse_unary(self):
        negations = 0
        while True:  # a loop, not recursion: NOT NOT NOT ... cannot overflow the stack
            kind, value, col = self.tokens[self.i]
            nxt = self.tokens[self.i + 1] if self.i + 1 < len(self.tokens) else None
            if kind == "word" and value == "-" and nxt is not None and nxt[0] in ("(", "phrase"):
                self.i += 1
            elif kind == "word" and value == "NOT":
                self.i += 1
                if self.peek() is None or self.peek()[0] == ")":
                    raise QueryError(f"NOT at column {col + 1} needs a search term after it")
            elif kind == "word" and value.startswith("-") and len(value) > 1:
                self.tokens[self.i] = ("word", value[1:], col + 1)
            else:
                break
            negations += 1
            if negations > MAX_DEPTH:
                raise QueryError(f"too many NOTs in a row (more than {MAX_DEPTH})")
        node = self.parse_atom()
        return Not(node) if negations % 2 else node

    def parse_group(self, col: int):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise QueryError(f"too many parentheses inside each other (more than {MAX_DEPTH})")
        node = self.parse_or()
        if self.peek() is None or self.peek()[0] != ")":
            raise QueryError(f"'(' at column {col + 1} is never closed: add a ')'")
        self.i += 1
        self.depth -= 1
        return node

    def parse_atom(self):
        kind, value, col = self.tokens[self.i]
        typing = self.i == self.typing_index
        self.i += 1
        if kind == "(":
            return self.parse_group(col)
        if kind == "phrase":
            return Word(value, phrase=True, start=col, end=col + len(value) + 2)
        # kind == "word"
        fieldname = None
        match = re.match(r"([A-Za-z]+):(.*)$", value)
        if match and match.group(1).lower() in FIELDS:
            fieldname = match.group(1).lower()
            value = match.group(2)
            if not value:
                nxt = self.peek()
                if nxt is None or nxt[0] == ")":
                    raise QueryError(f"{match.group(1)}: at column {col + 1} needs a value after it")
                if nxt[0] == "phrase":
                    self.i += 1
                    return _checked(Word(nxt[1], field=fieldname, phrase=True, start=nxt[2],
                                         end=nxt[2] + len(nxt[1]) + 2))
                if nxt[0] == "(":
                    self.i += 1
                    return _with_field(self.parse_group(nxt[2]), fieldname)
                raise QueryError(f"{match.group(1)}: at column {col + 1} needs a value right after the colon")
            typing = False  # fielded values are exact
            col += len(match.group(1)) + 1
        if value.endswith("*") and not _PREFIX_STEM.fullmatch(value.rstrip("*")) \
                and (fieldname is None or FIELDS[fieldname].kind == TEXT):
            raise QueryError(self.quote_it(col, fieldname))
        return _checked(_word(value, fieldname, typing, col))

    def quote_it(self, col: int, fieldname: str | None) -> str:
        """How to search for text the syntax reads as syntax (``K^*(1680)``:
        a prefix of ``K^`` and a group): in quotes, as written."""
        run = re.match(r'[^\s"]+', self.text[col:])
        written = run.group(0) if run else self.text[col:]
        syntax = "* (a prefix, as in diffus*)"
        if "(" in written or ")" in written:
            syntax += " and ( ) (a group) are"
        else:
            syntax += " is"
        quoted = f'{fieldname + ":" if fieldname else ""}"{written}"'
        return f"{written}: {syntax} search syntax; to find it as written, put it in quotes: {quoted}"


def _once(children: list) -> list:
    """Children with repeats left out (a word pasted 400 times counts once)."""
    seen: set = set()
    out = []
    for child in children:
        key = child.key() if isinstance(child, Word) else repr(child)
        if key not in seen:
            seen.add(key)
            out.append(child)
    return out


def _with_field(node, fieldname: str):
    if isinstance(node, Word):
        if node.field is None:
            node.field = fieldname
            node.typing = False
            _checked(node)
        return node
    if isinstance(node, Not):
        return Not(_with_field(node.child, fieldname))
    return Group(node.op, [_with_field(c, fieldname) for c in node.children])


def _checked(word: Word) -> Word:
    """Values a field cannot take are refused here, before any index work."""
    spec = word.spec
    if spec is None:
        return word
    if spec.kind == STATE:
        if spec.target in ("tag", "picked") and not word.text:
            raise QueryError(f"{spec.target}: needs a {'tag' if spec.target == 'tag' else 'teammate'}'s name")
        if spec.target == "is" and word.text.lower() not in STATE_VALUES:
            from tui_reader.core.index.facets import FILTERS

            if "is" not in FILTERS:
                raise QueryError(f"is:{word.text}: use is:bookmarked, is:unread or is:read")
            FILTERS["is"](word.text)  # raises QueryError for a value it cannot read
        word.typing = word.prefix = False
        word.fuzzy = 0
    elif spec.kind == FILTER:
        from tui_reader.core.index.facets import FILTERS

        FILTERS[spec.target](word.text)  # raises QueryError for a value it cannot read
        word.typing = word.prefix = False
        word.fuzzy = 0
    elif spec.kind == KEYWORD and spec.target == "date":
        date_range(word.text)  # raises for a date it cannot read
    return word


def _word(value: str, fieldname: str | None, typing: bool, col: int) -> Word:
    word = Word(value, field=fieldname, typing=typing, start=col, end=col + len(value))
    kind = FIELDS[fieldname].kind if fieldname else TEXT
    if kind != TEXT:
        return word
    fuzzy = re.match(r"(.+?)~(\d*)$", value)
    if fuzzy:
        word.text = fuzzy.group(1)
        digits = fuzzy.group(2)
        word.fuzzy = int(digits) if digits else -1
        if word.fuzzy not in (-1, 1, 2):
            raise QueryError(f"{value}: a fuzzy word takes ~1 or ~2 (edits allowed)")
        word.typing = False
    elif value.endswith("*"):
        word.text = value.rstrip("*")
        word.prefix = True
        word.typing = False
        if "*" in word.text or "?" in word.text:
            raise QueryError(f"{value}: only a * at the end of a word is supported")
        if len(word.text) < MIN_PREFIX and not _IS_CJK.search(word.text):
            raise QueryError(f"{value}: a prefix needs at least {MIN_PREFIX} letters before the *")
    return word


_IS_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")


def parse(text: str, as_you_type: bool = False):
    """The syntax tree of ``text`` (None for an empty query)."""
    if len(text) > MAX_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long: at most {MAX_CHARS:,}")
    return _Parser(text, as_you_type).parse()


def date_range(text: str) -> tuple[str | None, str | None, bool]:
    """``(low, high, exact)`` of a ``date:`` value: a day, month or year is
    a prefix (``exact`` False, ``low`` the prefix), ``FROM..TO`` a range
    (either end may be missing; a month or year as the upper end covers
    the whole of it)."""

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
        return low, high, False
    check(text)
    return text, None, len(text) == 10


def looks_like_date(text: str) -> bool:
    return bool(_DATE.match(text))


def words(node) -> list[Word]:
    """Every Word of a tree, in order (iteratively: trees are shallow, but
    never trust that)."""
    out: list[Word] = []
    stack = [node]
    while stack:
        item = stack.pop()
        if isinstance(item, Word):
            out.append(item)
        elif isinstance(item, Not):
            stack.append(item.child)
        elif isinstance(item, Group):
            stack.extend(reversed(item.children))
    return out
