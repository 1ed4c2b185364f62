"""The index schema and how a :class:`Paper` becomes a document.

Lean on purpose (measured, see the commit log): nothing is stored but the
paper id (as a column: the app holds every paper in memory already), no term
vectors, no positions (phrases are checked against the papers' text in
memory, see :mod:`tui_reader.core.index.engine`), and the fields index their
text through :mod:`tui_reader.core.index.analysis` directly instead of
Whoosh's analyzer chain.

The schema is pickled into the index's TOC, so the classes here are part of
the on-disk format: change them, or the analysis, and bump
:data:`SCHEMA_VERSION` so existing indexes are rebuilt.
"""

from __future__ import annotations

import pickle
from struct import Struct

from whoosh import fields, formats
from whoosh.columns import VarBytesColumn

from tui_reader.core.index import analysis
from tui_reader.core.model import Paper

SCHEMA_VERSION = 6

pack_uint = Struct("!I").pack  # Whoosh's packed unsigned int (whoosh.system.pack_uint)

_ONE = pack_uint(1)
# Encoded position lists of one position, shared (most postings are these).
_SINGLE: dict[int, bytes] = {}


class AnalyzedText(fields.TEXT):
    """A text field indexed by :mod:`analysis` (English stems + CJK bigrams).

    ``stem`` turns the Porter stemmer on; ``phrase`` stores positions.  The
    value may be a string or a list of strings (each list item starts after
    a position gap, so a phrase never spans two authors).
    """

    def __init__(self, stem: bool = True, phrase: bool = True) -> None:
        super().__init__(phrase=phrase)
        self.stem = stem
        self.phrase = phrase

    def index(self, value, **kwargs):  # Whoosh's signature
        items = value if isinstance(value, (list, tuple)) else (value,)
        stem = self.stem
        if self.phrase:
            poses: dict[str, list[int]] = {}
            pos = 0
            for item in items:
                found, pos = analysis.positions(item, stem, pos)
                pos += 10
                if poses:
                    for term, lst in found.items():
                        prev = poses.get(term)
                        if prev is None:
                            poses[term] = lst
                        else:
                            prev.extend(lst)
                else:
                    poses = found
            dumps = pickle.dumps
            single = _SINGLE
            for term, lst in poses.items():
                if len(lst) == 1:
                    p = lst[0]
                    vbytes = single.get(p)
                    if vbytes is None:
                        vbytes = single[p] = _ONE + dumps([p], 2)
                    yield term.encode("utf-8"), 1, 1.0, vbytes
                    continue
                base = 0
                deltas = []
                for p in lst:
                    deltas.append(p - base)
                    base = p
                n = len(lst)
                yield term.encode("utf-8"), n, float(n), pack_uint(n) + dumps(deltas, 2)
        else:
            for term, n in self.counts(value).items():
                yield term.encode("utf-8"), n, float(n), packed_count(n)

    def counts(self, value) -> dict[str, int]:
        """Term -> frequency of a value (a string or a list of strings)."""
        if isinstance(value, str):
            return analysis.counts(value, self.stem)
        freq: dict[str, int] = {}
        for item in value:
            for term, n in analysis.counts(item, self.stem).items():
                freq[term] = freq.get(term, 0) + n
        return freq


_PACKED: dict[int, bytes] = {}


def packed_count(n: int) -> bytes:
    """A Frequency posting's value (the count, packed; cached: most are 1-3)."""
    found = _PACKED.get(n)
    if found is None:
        found = _PACKED[n] = pack_uint(n)
    return found


class Keywords(fields.KEYWORD):
    """Exact lowercase keywords (categories, ISO dates) from a list."""

    def __init__(self) -> None:
        super().__init__(lowercase=True, commas=True, scorable=False)

    def index(self, value, **kwargs):
        items = value if isinstance(value, (list, tuple)) else (value,)
        for word in dict.fromkeys(v.strip().lower() for v in items if v.strip()):
            yield word.encode("utf-8"), 1, 1.0, _ONE


class PaperId(fields.ID):
    """The arXiv id: one term, and a column so a searcher maps document
    numbers back to ids without reading stored fields."""

    def __init__(self) -> None:
        super().__init__(stored=False, unique=True, sortable=VarBytesColumn())


class CatchAll(fields.FieldType):
    """Every text field's terms in one field, for plain words (see
    :mod:`tui_reader.core.index.engine`).  Filled by the segment writer, not
    from a document value: each posting's weight is the paper's BM25F score
    part for the term, ``tf / (K1 + tf)`` where ``tf`` sums the term's
    frequency in each field times the field's boost, normalised by the
    field's length (title words weigh most).  No positions, no values."""

    def __init__(self) -> None:
        self.format = formats.Existence()
        self.scorable = False
        self.stored = False
        self.unique = False
        self.vector = None
        self.analyzer = None
        self.column_type = None

    def index(self, value, **kwargs):  # never given a value
        return iter(())


ALL = "all"
K1 = 1.2
B = 0.75
# Typical length (terms) of each field; BM25's length normalisation is
# relative to these (a fixed figure, so a posting's weight is final when
# written and segments agree).
AVG_LENGTH = {"title": 12, "authors": 12, "tldr": 60, "abstract": 160, "method": 80, "result": 80, "more": 160}

# Text fields searched by a plain word, and the query boost of each.
TEXT_FIELDS: dict[str, float] = {
    "title": 3.0,
    "authors": 1.5,
    "tldr": 1.2,
    "abstract": 1.0,
    "method": 0.8,
    "result": 0.8,
    "more": 0.6,  # motivation and conclusion
}
STEMMED = {"title": True, "authors": False, "tldr": True, "abstract": True,
           "method": True, "result": True, "more": True}
# Fields where a word of several terms is a phrase (consecutive terms) rather
# than all of its terms anywhere.  Query semantics only: no field stores
# positions, the engine checks phrases against the text.
PHRASE = {"title": True, "authors": True, "tldr": True, "abstract": True,
          "method": True, "result": True, "more": False}


# Text fields only in the catch-all, with no word list of their own (most of
# a build's terms were their CJK bigrams, and the abstract's and the TL;DR's
# postings were 40% of the index on the real branch): ``abstract:``,
# ``method:`` and the like take the catch-all's papers and check them
# against the field's text.  ``title:`` and ``author:`` keep their lists.
CATCH_ONLY = ("tldr", "abstract", "method", "result", "more")
INDEXED_TEXT = tuple(name for name in TEXT_FIELDS if name not in CATCH_ONLY)


def make_schema() -> fields.Schema:
    return fields.Schema(
        id=PaperId(),
        cat=Keywords(),
        date=Keywords(),
        all=CatchAll(),
        **{name: text_field(name) for name in INDEXED_TEXT},
    )


def text_field(name: str) -> AnalyzedText:
    """How a text field's text is analysed: as an indexed field, or for the
    catch-all alone (CATCH_ONLY)."""
    return AnalyzedText(stem=STEMMED[name], phrase=False)


def paper_document(paper: Paper) -> dict[str, object]:
    """The fields of one paper's document; every summary language is in."""
    doc = meta_document(paper)
    doc.update(text_fields(*paper.text_record()))
    return doc


def meta_document(paper: Paper) -> dict[str, object]:
    """The fields of a paper's document that are in memory (no texts): an
    index worker process adds the texts it reads itself (``text_fields``)."""
    doc: dict[str, object] = {"id": paper.id}
    if paper.title:
        doc["title"] = paper.title
    if paper.authors:
        doc["authors"] = list(paper.authors)
    if paper.categories:
        doc["cat"] = list(paper.categories)
    if paper.dates:
        doc["date"] = list(paper.dates)
    return doc


def text_fields(abstract: str, summaries: tuple) -> dict[str, object]:
    """The text fields of a document, from a paper's text record
    (``Paper.text_record``: the abstract, and (language, summary fields)
    for each language)."""
    doc: dict[str, object] = {}
    if abstract:
        doc["abstract"] = abstract
    if summaries:
        tldr = [fields[0] for _language, fields in summaries if fields[0]]
        method = [fields[2] for _language, fields in summaries if fields[2]]
        result = [fields[3] for _language, fields in summaries if fields[3]]
        more = [t for _language, fields in summaries for t in (fields[1], fields[4]) if t]
        if tldr:
            doc["tldr"] = tldr
        if method:
            doc["method"] = method
        if result:
            doc["result"] = result
        if more:
            doc["more"] = more
    return doc
