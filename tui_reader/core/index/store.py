"""The search index of one library: opened (or rebuilt when damaged, or
made temporary when it cannot be written), kept in line with the library
(:mod:`.updating`) and searched (:mod:`.searching`).  See the package
docstring for the API."""

from __future__ import annotations

import atexit
import contextlib
import errno
import json
import marshal
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from itertools import islice
from pathlib import Path

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.scoring import BM25F

from tui_reader.core.fsutil import FileLock, dir_writable, write_atomic
from tui_reader.core.index.build import remove_scratch
from tui_reader.core.index.disk import (
    DOCIDS,
    INDEXNAME,
    MANIFEST,
    OWNER_LOCK,
    TEMPORARY_PREFIX,
    describe,
    disk_damage,
    leaf_searchers,
    read_manifest,
    remove_stale_temporary,
)
from tui_reader.core.index.results import SearchResult, StateFilter, UpdateReport
from tui_reader.core.index.schema import ALL, SCHEMA_VERSION, make_schema
from tui_reader.core.index.searching import Searching
from tui_reader.core.index.updating import Updating
from tui_reader.core.index.vocabulary import Vocabulary

__all__ = [
    "OWNER_LOCK",
    "TEMPORARY_PREFIX",
    "SearchIndex",
    "SearchResult",
    "StateFilter",
    "UpdateReport",
    "remove_stale_temporary",
]


def _temporary_directory() -> tuple[Path, FileLock]:
    """A new temporary index directory (removed at exit) and its owner lock."""
    directory = Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX))
    lock = FileLock(directory / OWNER_LOCK)
    lock.acquire(blocking=False)  # tells remove_stale_temporary() its owner lives
    atexit.register(shutil.rmtree, directory, True)  # also when the app exits without close()
    return directory, lock


def why_not_written(error: OSError) -> str:
    return "the disk is full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else describe(error)


class SearchIndex(Updating, Searching):
    """See the package docstring for the API."""

    def __init__(self, directory: Path, read_only: bool, notices: list[str], temporary: bool = False) -> None:
        self.directory = directory
        self.read_only = read_only
        self.notices = notices
        self.temporary = temporary
        self._lock: FileLock | None = None
        self._ix = None
        self._searcher = None
        self._mutex = threading.RLock()
        self._manifest: dict = {}
        self._docids: dict[str, list[str]] = {}  # segment id -> docnum -> paper id
        self._docids_dirty = False  # lists read from a column since the last save
        self._keywords: dict = {}  # (segment id, field, term) -> docnums (see Engine.keyword_terms)
        self._papers: dict | None = None  # the library's papers, from update()
        self._order: list[str] | None = None
        self._deleted: dict = {}  # (segment, live docs, offset) -> its deleted docnums
        self._names: tuple | None = None  # (searcher, paper id of each docnum)
        self._prefixes: tuple | None = None  # see _typing_table
        self._typed_last: tuple | None = None  # see _typed_ids
        self._words: tuple | None = None  # (papers, Vocabulary): see _vocabulary
        self._filtered: dict = {}  # see _filter_ids
        self._facets = None  # id -> what facet filters read (attach), in place of the papers
        self._heads = None  # titles and authors (attach), in place of the papers
        self._cancel = threading.Event()  # see cancel()
        self._stop_searches = threading.Event()  # closing: searches under way stop
        self._closing = False
        self._updating = threading.Lock()  # one update() at a time
        self._phase: Callable[[str], None] = lambda name: None  # see update()

    # --- opening ---------------------------------------------------------------

    @classmethod
    def open(cls, library_key: str, cache_dir: Path) -> SearchIndex:
        notices: list[str] = []
        remove_stale_temporary()
        directory = Path(cache_dir) / "index" / library_key
        for path in (directory.parent, directory):
            if os.path.lexists(path) and not path.is_dir():
                try:  # a file (or a dangling link) where the index belongs: ours to replace
                    path.unlink()
                    notices.append(f"{path} was a file, not the search index: replaced it")
                except OSError:
                    pass
        if not dir_writable(directory):
            notices.append(
                f"cannot write the search index under {directory}; using a temporary index for this session"
            )
            return cls._temporary(notices)
        lock = FileLock(directory / OWNER_LOCK)
        if not lock.acquire(blocking=False):
            self = cls(directory, True, notices)
            if self._open_existing(check=False):
                notices.append("another tui-reader is using this search index: searching it read-only")
                return self
            notices.append("another tui-reader is building this search index: using a temporary index for this session")
            return cls._temporary(notices)
        self = cls(directory, False, notices)
        self._lock = lock
        try:
            self._open_or_create()
        except OSError as error:  # a full disk (or quota) while making the index again
            lock.release()
            notices.append(f"cannot write the search index under {directory} ({why_not_written(error)}); "
                           "using a temporary index for this session")
            return cls._temporary(notices)
        return self

    @classmethod
    def _temporary(cls, notices: list[str]) -> SearchIndex:
        directory, lock = _temporary_directory()
        self = cls(directory, False, notices, temporary=True)
        self._lock = lock
        self._create()
        return self

    def move_to_temporary(self) -> None:
        """Go on in a new, empty temporary index (the cache's disk is full:
        the one there stays as it is, for the next start to finish)."""
        with self._mutex:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._lock is not None:
                self._lock.release()
            self.directory, self._lock = _temporary_directory()
            self.temporary = True
            self.read_only = False
            self._deleted.clear()
            self._names = None
            self._create()

    def _open_or_create(self) -> None:
        remove_scratch(self.directory)  # ours alone now: we hold the owner lock
        manifest = read_manifest(self.directory)
        try:
            exists = index.exists_in(str(self.directory), indexname=INDEXNAME)
        except Exception:  # noqa: BLE001 - a TOC that cannot be read: damaged
            exists = True
        if exists and manifest.get("schema") != SCHEMA_VERSION:
            if manifest:
                self.notices.append("the search index format changed: rebuilding it")
            else:
                self.notices.append("the search index had no record of its files: rebuilding it")
            self._create()
            return
        damage = disk_damage(self.directory, manifest)
        if exists and damage:
            self.notices.append(f"the search index was damaged ({damage}): rebuilding it")
            self._create()
            return
        if exists:
            try:
                if self._open_existing(check=True, manifest=manifest):
                    self._manifest = manifest
                    return
            except Exception as error:  # noqa: BLE001 - any damage means rebuild
                self.notices.append(f"the search index was damaged ({describe(error)}): rebuilding it")
                self._create()
                return
            self.notices.append("the search index was damaged: rebuilding it")
            self._create()
            return
        if manifest or any(self.directory.glob("*.toc")) or any(self.directory.glob("*.seg")):
            self.notices.append("the search index was left half-written: rebuilding it")
        self._create()

    def _open_existing(self, check: bool, manifest: dict | None = None) -> bool:
        """Open the index; with ``check``, read enough of it to know it is
        whole.  False (or an exception) when it is unusable.  ``manifest``:
        the manifest, when the caller has read it already (at 75,000
        papers it is a 3 MB JSON file, read three times per open before)."""
        if manifest is None:
            manifest = read_manifest(self.directory)
        try:
            ix = index.open_dir(str(self.directory), indexname=INDEXNAME)
            searcher = ix.searcher(weighting=BM25F())
        except Exception:
            if check:
                raise
            return False
        if check:
            try:
                count = searcher.doc_count_all()
                reader = searcher.reader()
                if count:
                    # Segment by segment: the lists are kept (and stored,
                    # see _load_docids) for the searches to come.
                    self._load_docids()
                    if sum(len(self._leaf_ids_for(leaf.reader())) for _, leaf in leaf_searchers(searcher)) != count:
                        raise ValueError("id column does not match the documents")
                    # The first term of a few fields and its postings'
                    # record: enough to tell a garbled term file, in a
                    # constant time (most_frequent_terms read every term
                    # starting with "a": 0.2 s a field at 10,000 papers).
                    for name in ("title", "authors", ALL):
                        for term in islice(reader.lexicon(name), 1):
                            reader.term_info(name, term).doc_frequency()
                expected = manifest.get("docs")
                if expected is not None and expected != searcher.doc_count():
                    raise ValueError(f"holds {searcher.doc_count()} papers, its record says {expected}")
            except Exception:
                searcher.close()
                raise
        self._ix = ix
        self._searcher = searcher
        self._manifest = manifest
        return True

    def _create(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        for entry in self.directory.iterdir():
            if entry.name in (OWNER_LOCK,):
                continue
            try:
                if entry.is_dir():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            except OSError:
                pass
        self._ix = FileStorage(str(self.directory)).create_index(make_schema(), indexname=INDEXNAME)
        self._manifest = {"schema": SCHEMA_VERSION, "files": {}, "docs": 0}
        self._write_manifest()
        self._searcher = self._ix.searcher(weighting=BM25F())
        self._docids.clear()
        self._keywords.clear()

    def close(self) -> None:
        self._stop_searches.set()  # a search under way stops, so closing never waits for it
        with self._mutex:
            self._save_docids()
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None
            if self.temporary:
                shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _write_manifest(self) -> None:
        write_atomic(self.directory / MANIFEST, json.dumps(self._manifest))

    # --- what it holds; stopping an update ---------------------------------------------

    @property
    def doc_count(self) -> int:
        with self._mutex:
            return self._searcher.doc_count() if self._searcher is not None else 0

    def cancel(self, for_good: bool = False) -> None:
        """Stop the running update() (or, when none is running, the next
        one) as soon as it can: between batches of documents, its worker
        processes terminated.  Safe from any thread; returns at once.

        That update() returns an UpdateReport with ``cancelled=True`` (it
        does not raise).  What it had committed stays (the newest day, when
        it got that far) and the index is consistent; the next update()
        indexes the rest.  One cancel() stops one update(); with
        ``for_good`` (the reader is quitting) every later one stops too."""
        if for_good:
            self._closing = True
            self._stop_searches.set()
        self._cancel.set()

    def covers(self, stats: dict[str, tuple[str, int, int]]) -> bool:
        """Whether the index holds exactly these files (path -> (real
        path, size, mtime_ns)) as they are now: no update() needed."""
        with self._mutex:
            files = self._manifest.get("files", {})
            if files.keys() != stats.keys() or self._searcher is None:
                return False
            return all(rec[0] == stats[path][1] and rec[1] == stats[path][2] for path, rec in files.items())

    def attach(self, papers, words: dict[str, int] | Callable[[], dict[str, int]] | None = None,
               facets=None, heads=None) -> None:
        """Search with ``papers`` (a Mapping of id -> Paper, such as the
        loader's PaperStore that reads them on demand) for the checks
        against the papers' text, without an update(): for an index that
        ``covers`` the library.  ``words``: the library's surface words
        and counts (or a function giving them when first needed), kept, so
        that prefixes and fuzzy words need not read every title.  No
        typing table is built (as-you-type searches of 1-2 letters need an
        update()).  ``facets``: a Mapping of id -> what the facet filters
        read of each paper (core.library.facet_table.FacetRows), answering
        has:code, stars:>100 ... without reading every paper; ``heads``:
        the titles and authors (core.library.heads_table.Heads) that the
        ranking checks."""
        with self._mutex:
            self._papers = papers
            self._facets = facets
            self._heads = heads
            self._order = None
            self._prefixes = None
            self._words = (papers, Vocabulary(words)) if words is not None else None

    def _stop_requested(self) -> bool:
        return self._cancel.is_set()

    def _refresh(self) -> None:
        with self._mutex:
            if self._ix is None:
                return
            if self._searcher is None:
                self._searcher = self._ix.searcher(weighting=BM25F())
            elif not self._searcher.up_to_date():
                # refresh() hands the old searcher's segment readers over
                # to the new one (and closes the rest itself).
                try:
                    self._searcher = self._searcher.refresh()
                except Exception:  # noqa: BLE001 - seen once: ReaderClosed from a reused reader
                    self._searcher = self._ix.searcher(weighting=BM25F())
                self._deleted.clear()
            segments = (leaf.reader().segment() for _, leaf in leaf_searchers(self._searcher))
            live = {segment.segment_id() for segment in segments if segment is not None}
            for key in list(self._docids):
                if key not in live:
                    del self._docids[key]
            for key in list(self._keywords):
                if key[0] not in live:
                    del self._keywords[key]

    # --- document numbers <-> paper ids ----------------------------------------------

    def _leaf_ids_for(self, reader) -> list[str]:
        segment = reader.segment() if hasattr(reader, "segment") else None
        key = segment.segment_id() if segment is not None else None
        if key is not None and key in self._docids:
            ids = self._docids[key]
            if len(ids) == reader.doc_count_all():
                return ids
        if not reader.has_column("id"):
            ids = [""] * reader.doc_count_all()
        else:
            column = reader.column_reader("id")
            ids = [v.decode("utf-8") if isinstance(v, bytes) else v for v in column]
        if key is not None:
            self._docids[key] = ids
            self._docids_dirty = True
        return ids

    # Each segment's paper ids, kept beside the index: Whoosh reads a column
    # one value at a time (0.4 s of CPU for 75,000 ids, on every open of a
    # command); a segment's documents never change (deletions are kept
    # apart), and its id is random, so a list stored under it stays right.

    def _load_docids(self) -> None:
        try:
            data = marshal.loads((self.directory / DOCIDS).read_bytes())
        except Exception:  # noqa: BLE001 - missing or damaged: read the columns
            return
        if isinstance(data, dict):
            for key, ids in data.items():
                if isinstance(key, str) and isinstance(ids, list) and key not in self._docids:
                    self._docids[key] = ids

    def _save_docids(self) -> None:
        if not self._docids_dirty or self.read_only or self._searcher is None:
            return
        self._docids_dirty = False
        with contextlib.suppress(Exception):  # only ever a cache: never fail a close or an update
            segments = (leaf.reader().segment() for _, leaf in leaf_searchers(self._searcher))
            live = {segment.segment_id() for segment in segments if segment is not None}
            data = {key: ids for key, ids in self._docids.items() if key in live}
            write_atomic(self.directory / DOCIDS, marshal.dumps(data))

    def _live_ids(self, reader) -> list[str]:
        """The paper ids of one segment's documents that are not deleted."""
        ids = self._leaf_ids_for(reader)
        if reader.has_deletions():
            return [pid for n, pid in enumerate(ids) if not reader.is_deleted(n)]
        return ids

    def _all_ids(self, searcher) -> list[str]:
        out: list[str] = []
        for _, leaf in leaf_searchers(searcher):
            out.extend(self._live_ids(leaf.reader()))
        return out

    def indexed_ids(self) -> list[str]:
        with self._mutex:
            return self._all_ids(self._searcher) if self._searcher is not None else []
