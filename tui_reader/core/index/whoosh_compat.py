"""The one door to Whoosh's private parts (Whoosh 2.7.4, unmaintained).

Everything tui_reader does with Whoosh beyond its public API is here, and
only here (``tests/index/test_whoosh_compat.py`` fails when another module
reaches into a Whoosh private, and holds the byte-for-byte tests of the
postings format written below):

* the segment writer (:class:`FastSegmentWriter`) and the postings format it
  writes by hand (:func:`encode_term`: the bytes of ``W3PostingsWriter`` and
  ``W3TermInfo``), and the ``set_inline`` alias it needs (applied when this
  module is imported);
* :func:`leaf_postings`: a term's whole posting list, read a block at a
  time (``W3LeafMatcher``'s block reads, the segment's term table);
* :func:`commit_segments`: the hand-rolled commit that adds segments built
  by worker processes; :func:`finalize_segment`, :func:`index_segments`.

Importing this module checks the Whoosh version: another version may lay
these internals out differently, so it refuses to run rather than write or
read a damaged index.

The segment writer
------------------

Whoosh's ``SegmentWriter`` spends most of a build on per-posting Python
work: every posting goes through an external-sort pool, then through
``add_postings`` which reads each document's field length back from disk and
calls ``add_posting`` (with its type assertions) one posting at a time.
Measured on 5,000 synthetic papers (358 postings each): 159 papers/s.

It also fills the catch-all field (``schema.ALL``) from the text fields'
terms, with each posting's weight the paper's precomputed BM25F part.

This writer keeps the postings of one segment in memory, grouped by field
and term as they arrive (no sort of millions of tuples, field lengths kept in
a dict), and writes each term's posting list in one go (:func:`encode_term`:
the bytes Whoosh's ``W3PostingsWriter`` writes, made a block at a time with
C-level list operations instead of one Python call per posting).  Readers
see an ordinary W3 segment.

It never merges other segments into itself (commit with ``merge=False``).
"""

from __future__ import annotations

import sys
import types
from array import array
from collections.abc import Callable
from itertools import chain
from operator import sub
from pickle import dumps
from struct import Struct


# Whoosh without urllib.request.  ``whoosh.compat`` does ``from
# urllib.request import urlretrieve`` for a download helper this project
# never calls; that one line pulls in http.client, ssl and email: a third
# of what a ``tui-reader search`` process spent importing (~30 of ~100 ms
# CPU).  While ``whoosh.compat`` is imported, ``urllib.request`` is a
# stand-in whose ``urlretrieve`` imports the real module when called;
# afterwards the stand-in leaves ``sys.modules``, so a later
# ``import urllib.request`` gets the real module.  (The package imports
# this module first, before anything else imports Whoosh.)
def _urlretrieve(*args, **kwargs):
    import urllib.request

    return urllib.request.urlretrieve(*args, **kwargs)


def _import_whoosh_compat() -> None:
    if "whoosh.compat" in sys.modules or "urllib.request" in sys.modules:
        return
    stand_in = types.ModuleType("urllib.request")
    stand_in.urlretrieve = _urlretrieve  # type: ignore[attr-defined]
    sys.modules["urllib.request"] = stand_in
    try:
        import whoosh.compat  # noqa: F401
    finally:
        if sys.modules.get("urllib.request") is stand_in:
            del sys.modules["urllib.request"]
        import urllib

        if getattr(urllib, "request", None) is stand_in:
            del urllib.request


# Whoosh without its English morphology tables.  ``whoosh.query.terms``
# does ``from whoosh.lang.morph_en import variations`` for the Variations
# query, which tui_reader never builds; the module compiles ~9 ms of
# regular expressions on import.  Until the query package is imported,
# ``whoosh.lang.morph_en`` is a stand-in whose ``variations`` imports the
# real module when called; afterwards the stand-in leaves ``sys.modules``
# (as above for ``urllib.request``).
def _variations(word):
    from whoosh.lang.morph_en import variations  # the real one (the stand-in is gone by then)

    return variations(word)


def _import_whoosh_query() -> None:
    if "whoosh.query" in sys.modules or "whoosh.lang.morph_en" in sys.modules:
        return
    stand_in = types.ModuleType("whoosh.lang.morph_en")
    stand_in.variations = _variations  # type: ignore[attr-defined]
    sys.modules["whoosh.lang.morph_en"] = stand_in
    try:
        import whoosh.query  # noqa: F401
    finally:
        if sys.modules.get("whoosh.lang.morph_en") is stand_in:
            del sys.modules["whoosh.lang.morph_en"]


_import_whoosh_compat()
_import_whoosh_query()

import whoosh  # noqa: E402 - after the stand-in above
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3Codec, W3LeafMatcher, W3TermInfo  # noqa: E402
from whoosh.system import pack_int, pack_long, pack_ushort  # noqa: E402
from whoosh.util.numeric import length_to_byte  # noqa: E402
from whoosh.writing import SegmentWriter  # noqa: E402

from tui_reader.core.index.schema import ALL, AVG_LENGTH, K1, TEXT_FIELDS, AnalyzedText, B, packed_count, text_field  # noqa: E402

SUPPORTED_WHOOSH = ((2, 7, 4),)
if tuple(whoosh.__version__[:3]) not in SUPPORTED_WHOOSH:  # pragma: no cover - pinned in pyproject.toml
    raise ImportError(
        f"tui_reader needs Whoosh 2.7.4 (it writes Whoosh's index format itself); found {whoosh.versionstring()}"
    )

_CATCH_ONLY: dict = {}

BLOCK = 128
# Posting lists shorter than this are stored inside the term table instead of
# as a block in the postings file (most terms, CJK bigrams above all, are
# rare).  Whoosh 2.7.4 has this feature but calls a method that does not
# exist (``set_inline``; the method is ``set_inlined``), which is why its own
# default limit of 1 never inlines anything; the alias below fixes that.
INLINE_LIMIT = 6
if not hasattr(W3TermInfo, "set_inline"):
    W3TermInfo.set_inline = W3TermInfo.set_inlined


def fast_codec() -> W3Codec:
    # No zlib on posting blocks: level 3 cost ~10% of a build for files that
    # are read from the page cache anyway.
    return W3Codec(blocklimit=BLOCK, compression=0, inlinelimit=INLINE_LIMIT)


class CountingFile:
    """A file being written whose ``tell()`` is counted here, not asked of
    the system.  A buffered file's ``tell()`` is an ``lseek`` call that lets
    go of the GIL, and Whoosh asks it three times a term (the postings'
    offset, the term table's twice): each time the UI thread may take the
    GIL for up to its 5 ms switch interval, so a build beside a busy reader
    spent most of its time waiting (the 470-paper sample: 30 s, 3 s
    counted).  Every write goes through :meth:`write` and every move
    through :meth:`seek`; anything else is the file's own."""

    __slots__ = ("_file", "_position")

    def __init__(self, file) -> None:
        self._file = file
        self._position = file.tell()

    def write(self, data) -> int:
        written = self._file.write(data)
        self._position += written
        return written

    def tell(self) -> int:
        return self._position

    def seek(self, *args) -> int:
        self._position = self._file.seek(*args)
        return self._position

    def __getattr__(self, name: str):
        return getattr(self._file, name)


class FastSegmentWriter(SegmentWriter):
    def __init__(self, ix, _lk: bool = True, **kwargs) -> None:
        kwargs["codec"] = fast_codec()  # the settings encode_term writes for
        kwargs["compound"] = False  # separate files open in ~1 ms, a compound one in ~100
        super().__init__(ix, _lk=_lk, **kwargs)
        self.merge = False
        fw = self.fieldwriter
        for structfile in (fw._postfile, fw._tindex.dbfile):  # three tell()s a term
            structfile.file = CountingFile(structfile.file)
        # Postings by field and term.  Text fields (the hot path) and the
        # catch-all: term str -> array("Q") of ``docnum << 16 | n``, n the
        # count (the catch-all: its weight's level, see :func:`level`): 8
        # bytes a posting (a flat list of ints and floats took ~40, and a
        # worker held 700 MB of them on the real branch); other fields:
        # term bytes -> (docnums, weights, values).
        self._counted: dict[str, dict[str, array]] = {}
        self._posts: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        self._lengths: dict[str, dict[int, int]] = {}

    def add_document(self, **fields) -> None:
        self._check_state()
        schema = self.schema
        perdoc = self.perdocwriter
        docnum = self.docnum
        perdoc.start_doc(docnum)
        catch = ALL in schema
        combined: dict[str, float] = {}
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None or fieldname.startswith("_"):
                continue
            boost = TEXT_FIELDS.get(fieldname)
            if fieldname not in schema:
                # Only in the catch-all (schema.CATCH_ONLY).
                if boost is None or not catch:
                    raise ValueError(f"no field named {fieldname!r}")
                analyzer = _CATCH_ONLY.get(fieldname)
                if analyzer is None:
                    analyzer = _CATCH_ONLY[fieldname] = text_field(fieldname)
                counts = analyzer.counts(value)
                _add_to_catch_all(combined, counts, boost, sum(counts.values()), fieldname)
                continue
            field = schema[fieldname]
            if type(field) is AnalyzedText and not field.phrase:
                # The hot path of a build: one loop, no generator in between.
                counts = field.counts(value)
                _add_packed(self._counted.setdefault(fieldname, {}), docnum, counts)
                length = sum(counts.values())
            else:
                posts = self._posts.setdefault(fieldname, {})
                counts = {}  # for the catch-all: only text fields have a boost
                length = 0
                for tbytes, freq, weight, vbytes in field.index(value):
                    length += freq
                    entry = posts.get(tbytes)
                    if entry is None:
                        posts[tbytes] = ([docnum], [weight], [vbytes] if vbytes else [])
                    else:
                        entry[0].append(docnum)
                        entry[1].append(weight)
                        if vbytes:
                            entry[2].append(vbytes)
                    if boost is not None:
                        counts[tbytes.decode("utf-8")] = freq
            if boost is not None and catch:
                _add_to_catch_all(combined, counts, boost, length, fieldname)
            if not field.scorable:
                length = 0
            elif length:
                self._lengths.setdefault(fieldname, {})[docnum] = length
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(fieldname, column, field.to_column_value(value))
        if combined:
            _add_packed(self._counted.setdefault(ALL, {}), docnum, {t: level(tf) for t, tf in combined.items()})
            perdoc.add_field(ALL, schema[ALL], None, 0)
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        if len(self.pool.current) or self.pool.runs:
            raise RuntimeError("FastSegmentWriter cannot merge other segments")
        fw = self.fieldwriter
        schema = self.schema
        for fieldname in sorted(self._counted.keys() | self._posts.keys()):
            lengths = self._lengths.get(fieldname, {})
            fw.start_field(fieldname, schema[fieldname])
            fixedsize = schema[fieldname].format.fixed_value_size()
            if fieldname in self._counted:
                # Code point order is UTF-8 byte order: the terms come out sorted.
                counted = self._counted[fieldname]
                for term in sorted(counted):
                    ids, numbers = unpack(counted[term])
                    if fieldname == ALL:  # weight levels, no values
                        self._write_term(fw, term.encode("utf-8"), ids, numbers, [], fixedsize, lengths, True)
                    else:  # counts, packed as the values too
                        counts = numbers_of(numbers).tolist()
                        self._write_term(fw, term.encode("utf-8"), ids, counts, None, fixedsize, lengths)
            else:
                posts = self._posts[fieldname]
                for tbytes in sorted(posts):
                    ids, weights, values = posts[tbytes]
                    self._write_term(fw, tbytes, ids, weights, values, fixedsize, lengths)
            fw.finish_field()
        fw.close()
        self._counted = {}
        self._posts = {}
        self._lengths = {}

    def _write_term(self, fw, tbytes: bytes, ids: list, weights: list, values: list | None,
                    fixedsize: int | None, lengths: dict[int, int], levels: bool = False) -> None:
        """Write one term's posting list and its term-table row.  ``values``
        None means each posting's value is its weight packed as a count
        (a Frequency field's term counts); ``levels``: the weights are
        levels (bytes, the catch-all's, see :func:`level`)."""
        postfile = fw._postfile
        row, postings = encode_term(postfile.tell(), ids, weights, values, fixedsize, lengths, levels)
        if postings:
            postfile.write(postings)
        fw._tindex.add(pack_ushort(fw._fieldid) + tbytes, row)


_TERMINFO = W3TermInfo._struct.pack
_COUNTS: dict[int, Struct] = {}  # n -> Struct("!nI"): a block's packed counts


def _packed_counts(freqs: list[int]) -> bytes:
    n = len(freqs)
    packer = _COUNTS.get(n)
    if packer is None:
        packer = _COUNTS[n] = Struct(f"!{n}I")
    return packer.pack(*freqs)


def encode_term(offset: int, ids: list[int], weights, values: list | None, fixedsize: int | None,
                lengths: dict[int, int], levels: bool = False) -> tuple[bytes, bytes]:
    """One term's posting list as Whoosh's ``W3PostingsWriter`` (with
    :func:`fast_codec`'s settings) and ``W3TermInfo.to_bytes`` write it:
    ``(term info row, postings bytes)``.  The postings start at ``offset``
    in the postings file; an inlined list (fewer than INLINE_LIMIT
    postings) is in its row and has no postings bytes.
    Every document of ``ids`` must have its length in ``lengths``, unless
    ``lengths`` is empty (a field that is not scorable).  ``levels``:
    ``weights`` is the weight levels (:func:`level`) as :func:`unpack`
    gives them, written as such (a block's as those bytes, pickle protocol
    3; an inlined list's as a tuple of ints); the term's and the blocks'
    statistics hold the weights they stand for."""
    if levels:
        weights_data, weights = weights, numbers_of(weights).tolist()
    n = len(ids)
    minlength = None
    maxlength = 0
    protocol = 3 if levels else 2
    if n < INLINE_LIMIT:
        block = array("f", [w * LEVEL for w in weights] if levels else weights)
        if lengths:
            found = [lengths[d] for d in ids]
            minlength, maxlength = min(found), max(found)
        if values is None:
            values = [packed_count(w) for w in weights]
        row = _term_info(True, sum(block), ids, minlength, maxlength, float(max(block)))
        stored = tuple(weights) if levels else tuple(block)
        return row + dumps((tuple(ids), stored, tuple(values)), protocol), b""
    total = 0
    maxweight = 0
    parts = [WHOOSH3_HEADER_MAGIC]
    append = parts.append
    for start in range(0, n, BLOCK):
        end = start + BLOCK
        block_ids = ids[start:end]
        block_weights = weights[start:end]
        count = len(block_ids)
        floats = array("f", [w * LEVEL for w in block_weights] if levels else block_weights)
        if levels:
            mini_weights = weights_data[2 * start:2 * end]
        elif floats.count(1.0) == count:
            mini_weights = None
        elif floats.count(floats[0]) == count:
            mini_weights = floats[0]
        else:
            mini_weights = tuple(floats)
        if values is None:
            mini_values = _packed_counts(block_weights)
        elif fixedsize is None or fixedsize < 0:
            mini_values = tuple(values[start:end])
        elif fixedsize == 0:
            mini_values = None
        else:
            mini_values = b"".join(values[start:end])
        deltas = tuple(map(sub, block_ids, chain((0,), block_ids)))
        data = dumps((deltas, mini_weights, mini_values), protocol)
        top = float(max(floats))
        if lengths:
            found = list(map(lengths.__getitem__, block_ids))
            low, high = min(found), max(found)
            minlength = low if minlength is None else min(minlength, low)
        else:
            low, high = None, 0
        maxlength = max(maxlength, high)
        maxweight = max(maxweight, top)
        total += sum(floats)
        info = dumps((count, block_ids[-1], top, 0, length_to_byte(low), length_to_byte(high)), 2)
        size = len(info) + len(data)
        append(pack_int(-size if end >= n else size))
        append(info)
        append(data)
    postings = b"".join(parts)
    row = _term_info(False, total, ids, minlength, maxlength, maxweight)
    return row + pack_long(offset) + pack_int(len(postings)), postings


def _term_info(inlined: bool, total: float, ids: list[int], minlength: int | None, maxlength: int,
               maxweight: float) -> bytes:
    """The fixed part of a term's row (``W3TermInfo.to_bytes``)."""
    return _TERMINFO(inlined, total, len(ids), 0 if minlength is None else length_to_byte(minlength),
                     length_to_byte(maxlength), maxweight, ids[0], ids[-1])


def _add_packed(posts: dict[str, array], docnum: int, numbers: dict[str, int]) -> None:
    """Add one document's term -> number (a count, or a catch-all weight's
    level) to packed posting lists (``docnum << 16 | number``; a count over
    65535 is kept as 65535); the hot loop of a build."""
    base = docnum << 16
    if numbers and max(numbers.values()) > 0xFFFF:
        numbers = {term: min(n, 0xFFFF) for term, n in numbers.items()}
    for term, number in numbers.items():
        entry = posts.get(term)
        if entry is None:
            posts[term] = array("Q", (base | number,))
        else:
            entry.append(base | number)


def unpack(packed: array) -> tuple[list[int], bytes]:
    """A packed posting list's docnums, and its numbers as little-endian
    unsigned 16-bit integers (see :func:`_add_packed`)."""
    if _LITTLE:  # C-level slices of the items' bytes
        raw = packed.tobytes()
        numbers = bytearray(len(raw) // 4)
        numbers[0::2] = raw[0::8]
        numbers[1::2] = raw[1::8]
        shifted = bytearray(len(raw) // 2)
        for i in range(4):
            shifted[i::4] = raw[2 + i::8]
        ids = array("I")
        ids.frombytes(shifted)
        return ids.tolist(), bytes(numbers)
    return [v >> 16 for v in packed], b"".join((v & 0xFFFF).to_bytes(2, "little") for v in packed)


def numbers_of(data: bytes) -> array:
    """The unsigned 16-bit integers of little-endian ``data``."""
    found = array("H")
    found.frombytes(data)
    if not _LITTLE:
        found.byteswap()
    return found


_LITTLE = sys.byteorder == "little" and array("I").itemsize == 4 and array("Q").itemsize == 8 \
    and array("H").itemsize == 2

# The catch-all's weights, tf / (K1 + tf) in (0, 1), are kept as levels
# 1-65535 (level / 65535, off by at most 8e-6: the order of papers is the
# floats'), two bytes a posting on disk where a pickled float took nine.
LEVEL = 1.0 / 0xFFFF


def level(tf: float) -> int:
    """The level (1-65535) of the catch-all weight of BM25F term frequency ``tf``."""
    found = int(tf / (K1 + tf) * 0xFFFF + 0.5)
    return found if found > 0 else 1


def _add_to_catch_all(combined: dict[str, float], counts: dict[str, int], boost: float,
                      length: int, fieldname: str) -> None:
    """Add one field's term frequencies to a document's catch-all, boosted
    and normalised by the field's length (BM25F)."""
    if not counts:
        return
    scale = boost / (1.0 - B + B * length / AVG_LENGTH[fieldname])
    for term, freq in counts.items():
        combined[term] = combined.get(term, 0.0) + freq * scale


# --- reading ---------------------------------------------------------------------------


def leaf_postings(reader, fieldname: str, tbytes: bytes, weights: bool) -> tuple[list, list]:
    """(local docnums, weights or []) of one term in one segment, deleted
    documents included; raises when the term is not there.  A W3 posting
    list is read a block at a time (ids and weights decoded in one go)."""
    m = _raw_postings(reader, fieldname, tbytes)
    ids: list = []
    ws: list = []
    levels = fieldname == ALL  # weights stored as levels (see level())
    if isinstance(m, W3LeafMatcher):
        while m.is_active():
            m._read_ids()
            ids.extend(m._ids)
            if weights:
                m._read_weights()
                ws.extend([w * LEVEL for w in numbers_of(m._weights)] if levels else m._weights)
            m._next_block()
    else:
        while m.is_active():
            ids.append(m.id())
            if weights:
                ws.append(m.weight() * LEVEL if levels else m.weight())
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


# --- segments and commits --------------------------------------------------------------


def index_segments(ix) -> list:
    """The segments of the index's current table of contents."""
    return ix._segments()


def finalize_segment(writer):
    """A worker's segment writer, finished without a commit: the segment
    object to hand to :func:`commit_segments` in the parent process."""
    return writer._finalize_segment()


def commit_segments(ix, delete: Callable[[object], None], drop: frozenset[str], adopt: Callable[[], list]) -> None:
    """One commit that deletes documents (``delete(writer)``), drops the
    segments whose id is in ``drop`` and adds the segments ``adopt()``
    returns (built elsewhere; ``adopt`` moves their files in just before
    the table of contents names them).  Whoosh has no public way to add a
    finished segment (``add_reader`` re-indexes, and cannot read our
    postings), so this runs the tail of ``SegmentWriter.commit`` by hand."""
    writer = None
    try:
        writer = ix.writer()  # adds no documents itself
        delete(writer)
        final = [segment for segment in writer.segments if segment.segment_id() not in drop]
        final += adopt()
        writer._close_segment()
        writer._commit_toc(final)
        writer._finish()
    except BaseException:
        if writer is not None and not writer.is_closed:
            writer.cancel()
        raise
