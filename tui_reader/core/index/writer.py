"""A faster segment writer for our schema (same on-disk format as Whoosh's).

Whoosh's ``SegmentWriter`` spends most of a build on per-posting Python
work: every posting goes through an external-sort pool, then through
``add_postings`` which reads each document's field length back from disk and
calls ``add_posting`` (with its type assertions) one posting at a time.
Measured on 5,000 synthetic papers (358 postings each): 159 papers/s.

It also fills the catch-all field (``schema.ALL``) from the text fields'
terms, with each posting's weight the paper's precomputed BM25F part.

This writer keeps the postings of one segment in memory, grouped by field
and term as they arrive (no sort of millions of tuples, field lengths kept in
a dict), and hands each term's postings to Whoosh's own postings writer a
block at a time.  Readers see an ordinary W3 segment.

It never merges other segments into itself (commit with ``merge=False``);
merging is left to a plain Whoosh writer (see ``store.compact``).
"""

from __future__ import annotations

from array import array

from whoosh.codec.whoosh3 import W3Codec, W3TermInfo
from whoosh.writing import SegmentWriter

from tui_reader.core.index.schema import ALL, AVG_LENGTH, B, K1, TEXT_FIELDS, AnalyzedText, packed_count, text_field

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


class FastSegmentWriter(SegmentWriter):
    def __init__(self, ix, _lk: bool = True, **kwargs) -> None:
        kwargs.setdefault("codec", fast_codec())
        kwargs["compound"] = False  # separate files open in ~1 ms, a compound one in ~100
        super().__init__(ix, _lk=_lk, **kwargs)
        self.merge = False
        # fieldname -> term bytes -> (docnums, weights, values)
        self._posts: dict[str, dict[bytes, tuple[list, list, list]]] = {}
        self._lengths: dict[str, dict[int, int]] = {}

    def add_document(self, **fields) -> None:
        self._check_state()
        schema = self.schema
        perdoc = self.perdocwriter
        docnum = self.docnum
        perdoc.start_doc(docnum)
        catch = ALL in schema
        combined: dict[bytes, float] = {}
        for fieldname in sorted(fields):
            value = fields[fieldname]
            if value is None or fieldname.startswith("_"):
                continue
            if fieldname not in schema:
                # Only in the catch-all (schema.CATCH_ONLY).
                boost = TEXT_FIELDS.get(fieldname)
                if boost is None or not catch:
                    raise ValueError(f"no field named {fieldname!r}")
                analyzer = _CATCH_ONLY.get(fieldname)
                if analyzer is None:
                    analyzer = _CATCH_ONLY[fieldname] = text_field(fieldname)
                counts = analyzer.counts(value)
                found = [(term.encode("utf-8"), freq) for term, freq in counts.items()]
                _add_to_catch_all(combined, found, boost, sum(counts.values()), fieldname)
                continue
            field = schema[fieldname]
            posts = self._posts.setdefault(fieldname, {})
            length = 0
            boost = TEXT_FIELDS.get(fieldname)
            found = [] if boost is not None and catch else None
            if type(field) is AnalyzedText and not field.phrase:
                # The hot path of a build: one loop, no generator in between.
                for term, freq in field.counts(value).items():
                    tbytes = term.encode("utf-8")
                    length += freq
                    entry = posts.get(tbytes)
                    if entry is None:
                        posts[tbytes] = ([docnum], [float(freq)], [packed_count(freq)])
                    else:
                        entry[0].append(docnum)
                        entry[1].append(float(freq))
                        entry[2].append(packed_count(freq))
                    if found is not None:
                        found.append((tbytes, freq))
            else:
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
                    if found is not None:
                        found.append((tbytes, freq))
            if found:
                _add_to_catch_all(combined, found, boost, length, fieldname)
            if not field.scorable:
                length = 0
            elif length:
                lengths = self._lengths.get(fieldname)
                if lengths is None:
                    lengths = self._lengths[fieldname] = {}
                lengths[docnum] = length
            perdoc.add_field(fieldname, field, value if field.stored else None, length)
            column = field.column_type
            if column:
                perdoc.add_column_value(fieldname, column, field.to_column_value(value))
        if combined:
            posts = self._posts.setdefault(ALL, {})
            for tbytes, tf in combined.items():
                weight = tf / (K1 + tf)
                entry = posts.get(tbytes)
                if entry is None:
                    posts[tbytes] = ([docnum], [weight], [])
                else:
                    entry[0].append(docnum)
                    entry[1].append(weight)
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
        for fieldname in sorted(self._posts):
            posts = self._posts[fieldname]
            lengths = self._lengths.get(fieldname, {})
            fw.start_field(fieldname, schema[fieldname])
            for tbytes in sorted(posts):
                ids, weights, values = posts[tbytes]
                fw.start_term(tbytes)
                pw = fw._postwriter
                n = len(ids)
                for start in range(0, n, BLOCK):
                    end = start + BLOCK
                    block_ids = ids[start:end]
                    block_weights = weights[start:end]
                    pw._ids = array("I", block_ids)
                    pw._weights = array("f", block_weights)
                    pw._values = values[start:end] if values else []
                    pw._maxweight = max(block_weights)
                    if lengths:
                        block_lengths = [lengths.get(d, 0) for d in block_ids]
                        nonzero = [x for x in block_lengths if x]
                        pw._minlength = min(nonzero) if nonzero else None
                        pw._maxlength = max(block_lengths)
                    else:
                        pw._minlength = None
                        pw._maxlength = 0
                    if end < n:
                        pw._write_block()  # resets the buffers
                fw.finish_term()
            fw.finish_field()
        fw.close()
        self._posts = {}
        self._lengths = {}


def _add_to_catch_all(combined: dict[bytes, float], found: list[tuple[bytes, int]], boost: float,
                      length: int, fieldname: str) -> None:
    """Add one field's term frequencies to a document's catch-all, boosted
    and normalised by the field's length (BM25F)."""
    if not found:
        return
    scale = boost / (1.0 - B + B * length / AVG_LENGTH[fieldname])
    for tbytes, freq in found:
        combined[tbytes] = combined.get(tbytes, 0.0) + freq * scale
