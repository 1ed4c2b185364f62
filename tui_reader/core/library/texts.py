"""The papers' texts (abstract and AI summaries) as deflated records with
a shared preset dictionary: read from the library cache (TextStore) or
from a temporary file while a load runs (PackedTexts)."""

from __future__ import annotations

import marshal
import os
import struct
import threading
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Iterable
from pathlib import Path

from tui_reader.core.model import Paper, TextSource

TEXT_LEVEL = 3  # deflate level of the text records (1: 77 MB, 2.4 s; 3: 71 MB, 3.1 s; 6: 69 MB, 5.6 s at 75k)
DICTIONARY_BYTES = 32 * 1024  # deflate's window: a longer preset dictionary is not used
DICTIONARY_SAMPLE = 97  # every so many papers' texts make up the dictionary
TEXTS_KEPT = 256  # decoded text records a TextStore keeps (a page of results, a detail read twice)
RAW_KEPT = 2500  # inflated records it keeps for phrase checks (~7 MB: a CJK word's 2,000 results and more)
# Raw deflate, no zlib header nor checksum: inflating a record took 17 us
# with them and takes 9 without (a CJK word's phrase check reads 2,000).
RAW_DEFLATE = -15

_ABSTRACT_LENGTH = struct.Struct("<I")


def encode_texts(record: tuple[str, tuple]) -> bytes:
    """A text record as stored: the abstract's length and UTF-8, then the
    summaries marshalled.  The abstract comes apart so that reading it (a
    phrase check, the detail view) decodes no summary; and every string is
    UTF-8 in it, so a CJK word is looked for in the bytes (Paper.mentions)."""
    abstract = record[0].encode("utf-8", "surrogatepass")
    return _ABSTRACT_LENGTH.pack(len(abstract)) + abstract + marshal.dumps(record[1])


def decode_abstract(raw: bytes) -> str:
    (length,) = _ABSTRACT_LENGTH.unpack_from(raw)
    return raw[4:4 + length].decode("utf-8", "surrogatepass")


def decode_texts(raw: bytes) -> tuple[str, tuple]:
    (length,) = _ABSTRACT_LENGTH.unpack_from(raw)
    summaries = marshal.loads(raw[4 + length:])
    if not isinstance(summaries, tuple):
        raise ValueError("not a text record")
    return raw[4:4 + length].decode("utf-8", "surrogatepass"), summaries


def dictionary_of(sample: list[bytes]) -> bytes:
    """A preset dictionary for the text records: the records of papers
    spread over the library (deflate looks for repeats in the last 32 KB
    of it only, so it is cut to that)."""
    return b"".join(sample)[-DICTIONARY_BYTES:]


class TextStore(TextSource):
    """The text records of one library cache file, read on demand: the
    file stays open while a paper reads from it (a newer cache written
    meanwhile replaces the file, not what this one reads).  Thread-safe:
    the reader's searches run in worker threads."""

    def __init__(self, handle, offsets: array, dictionary: bytes) -> None:
        self._handle = handle
        self._fd = handle.fileno()
        self._offsets = offsets
        self._primed = zlib.decompressobj(RAW_DEFLATE, zdict=dictionary)
        self._kept: OrderedDict[int, tuple[str, tuple]] = OrderedDict()
        self._raw: OrderedDict[int, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def texts(self, n: int) -> tuple[str, tuple]:
        with self._lock:
            found = self._kept.get(n)
            if found is not None:
                self._kept.move_to_end(n)
                return found
        try:
            found = decode_texts(self.raw(n))
        except (OSError, ValueError, EOFError, TypeError, zlib.error, struct.error):
            # The file went bad under us (a disk error): no text rather than a crash.
            return "", ()
        with self._lock:
            self._kept[n] = found
            if len(self._kept) > TEXTS_KEPT:
                self._kept.popitem(last=False)
        return found

    def abstract(self, n: int) -> str:
        """Record ``n``'s abstract alone (no summary decoded)."""
        with self._lock:
            found = self._kept.get(n)
        if found is not None:
            return found[0]
        try:
            return decode_abstract(self.raw(n))
        except (OSError, ValueError, EOFError, TypeError, zlib.error, struct.error):
            return ""  # as texts() does

    def raw(self, n: int) -> bytes:
        """Record ``n`` inflated, not decoded (encode_texts): its strings are there as
        UTF-8, so a CJK word is looked for in it without decoding (see
        Paper.mentions).  Raises OSError or zlib.error on a damaged file."""
        with self._lock:
            found = self._raw.get(n)
            if found is not None:
                self._raw.move_to_end(n)
                return found
            unpacker = self._primed.copy()
        start, end = self._offsets[n], self._offsets[n + 1]
        found = unpacker.decompress(os.pread(self._fd, end - start, start)) + unpacker.flush()
        with self._lock:
            self._raw[n] = found
            if len(self._raw) > RAW_KEPT:
                self._raw.popitem(last=False)
        return found

    def close(self) -> None:
        self._handle.close()


class PackedTexts(TextSource):
    """Text records deflated, with the preset dictionary of the library
    cache's records (taken from the first papers packed), in a temporary
    file (gone when the last paper lets go of it): what a load keeps of the
    texts until the cache holds them.  In memory they took 70 MB of a cold
    start's peak at 75,000 papers."""

    def __init__(self, folder: Path | None = None) -> None:
        self.dictionary: bytes | None = None
        self._spool = None
        self._folder = folder
        self._starts = array("Q")
        self._ends = array("Q")
        self._size = 0
        self._packer = None
        self._unpacker = None

    def _open(self):
        import tempfile

        for folder in (self._folder, None):
            try:
                if folder is not None:
                    folder.mkdir(parents=True, exist_ok=True)
                return tempfile.TemporaryFile(prefix="texts-", dir=folder)  # unnamed: gone with its last reader
            except OSError:
                continue
        return None

    def pack(self, papers: Iterable[Paper]) -> None:
        """Deflate the texts of ``papers`` (those that hold them) into here;
        without a temporary file to be had they stay where they are."""
        from tui_reader.core.signals import abstract_code

        holding = [paper for paper in papers if not paper.texts_on_disk]  # a paper may come twice
        if not holding:
            return
        if self.dictionary is None:
            self._spool = self._open()
            if self._spool is None:
                return
            self.dictionary = dictionary_of([encode_texts(paper.text_record()) for paper in holding[:200]])
            self._packer = zlib.compressobj(TEXT_LEVEL, zlib.DEFLATED, RAW_DEFLATE, zdict=self.dictionary)
            self._unpacker = zlib.decompressobj(RAW_DEFLATE, zdict=self.dictionary)
        elif self._spool is None:
            return
        primed = self._packer
        blobs: list[bytes] = []
        packed: list[Paper] = []
        seen: set[str] = set()
        for paper in holding:
            if paper.id in seen:
                continue  # it came twice (the same day's other files)
            seen.add(paper.id)
            packer = primed.copy()
            blobs.append(packer.compress(encode_texts(paper.text_record())) + packer.flush())
            packed.append(paper)
        try:
            self._spool.write(b"".join(blobs))
            self._spool.flush()
        except OSError:
            return  # a full disk: the texts stay in memory
        position = self._size
        for paper, blob in zip(packed, blobs):
            self._starts.append(position)
            position += len(blob)
            self._ends.append(position)
            paper.texts_from(self, len(self._starts) - 1, tuple(paper.languages), abstract_code(paper))
        self._size = position

    def blob(self, n: int) -> bytes:
        start = self._starts[n]
        return os.pread(self._spool.fileno(), self._ends[n] - start, start)  # type: ignore[union-attr]

    def raw(self, n: int) -> bytes:
        unpacker = self._unpacker.copy()  # type: ignore[union-attr]
        return unpacker.decompress(self.blob(n)) + unpacker.flush()

    def texts(self, n: int) -> tuple[str, tuple]:
        return decode_texts(self.raw(n))

    def abstract(self, n: int) -> str:
        return decode_abstract(self.raw(n))
