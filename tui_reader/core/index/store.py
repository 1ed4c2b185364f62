"""The on-disk search index of one library: opening, updating, searching."""

from __future__ import annotations

import atexit
import contextlib
import errno
import hashlib
import json
import marshal
import os
import shutil
import tempfile
import threading
import time
from array import array
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Protocol, runtime_checkable

from whoosh import index
from whoosh.filedb.filestore import FileStorage
from whoosh.scoring import BM25F

from tui_reader.core.fsutil import FileLock, dir_writable, write_atomic
from tui_reader.core.index import query as q
from tui_reader.core.index.build import Built, Cancelled, build_segments, remove_scratch
from tui_reader.core.index.engine import Engine, SearchCancelled, ranked, restricted, shown_score
from tui_reader.core.index.vocabulary import Vocabulary
from tui_reader.core.index.schema import SCHEMA_VERSION, make_schema, meta_document, paper_document
from tui_reader.core.index import whoosh_compat
from tui_reader.core.index.whoosh_compat import FastSegmentWriter


INDEXNAME = "MAIN"
MANIFEST = "manifest.json"
DOCIDS = "docids.bin"  # each segment's paper ids (see _load_docids)
OWNER_LOCK = "owner.lock"
# Builds of at least this many papers go to worker processes.
PROCESS_THRESHOLD = 3000
NEWEST_FIRST = 1000  # from this many papers to index, the newest day is committed first
WORKERS = max(1, min(2, os.cpu_count() or 1))
FEW_RESULTS = 3  # fewer results than this: look for a likely correction
MAX_SEGMENTS = 12  # past this many segments the smallest are merged (see _compact)

Progress = Callable[[int, int], None]


@runtime_checkable
class StateFilter(Protocol):
    """What ``is:`` and ``tag:`` in a query filter through (the state store)."""

    def bookmarked_ids(self) -> set[str]: ...

    def unread_ids(self, all_ids: Iterable[str]) -> set[str]: ...

    def tagged_ids(self, tag: str) -> set[str]: ...


@dataclass
class UpdateReport:
    added: int = 0  # papers (re)indexed
    removed: int = 0  # papers dropped
    files_changed: int = 0  # new or changed files
    files_removed: int = 0
    seconds: float = 0.0
    searchable_after: float | None = None  # seconds until the newest day was searchable
    error: str = ""  # why the update stopped (a full disk...): what was committed before stays searchable
    processes: int = 0  # worker processes used
    skipped: str = ""  # why nothing was done (read-only index)
    cancelled: bool = False  # cancel() stopped it: what was committed stays


@dataclass
class SearchResult:
    ids: list[str] | None  # best first; None means "no filter" (empty query)
    scores: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    terms: q.MatchTerms = field(default_factory=q.MatchTerms)
    seconds: float = 0.0
    suggestion: str | None = None  # "did you mean": the query with likely typos corrected
    notes: list[str] = field(default_factory=list)  # for the reader: how the query was read
    cancelled: bool = False  # cancelled() stopped it: ids is empty, nothing to show

    @property
    def is_filter(self) -> bool:
        return self.ids is not None


class _Cancelled(Exception):
    """cancel() was called: unwinds update() (which returns a report)."""


TEMPORARY_PREFIX = "tui-reader-index-"
STALE_UNLOCKED = 3600.0  # seconds: a temporary index without a lock file (older versions) this old is gone


def remove_stale_temporary(root: str | None = None) -> int:
    """Remove temporary indexes (``/tmp/tui-reader-index-*``) whose owner
    process is gone (killed: its lock is free); returns how many."""
    removed = 0
    try:
        candidates = list(Path(root or tempfile.gettempdir()).glob(TEMPORARY_PREFIX + "*"))
    except OSError:
        return 0
    for directory in candidates:
        try:
            if not directory.is_dir() or directory.is_symlink():
                continue
            lock_path = directory / OWNER_LOCK
            if lock_path.exists():
                lock = FileLock(lock_path)
                if not lock.acquire(blocking=False):
                    continue  # its owner is alive
                try:
                    shutil.rmtree(directory, ignore_errors=True)
                finally:
                    lock.release()
            elif time.time() - directory.stat().st_mtime > STALE_UNLOCKED:
                shutil.rmtree(directory, ignore_errors=True)
            else:
                continue
        except OSError:
            continue
        removed += 1
    return removed


def _checksum(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


class SearchIndex:
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
        self._open_or_create()
        return self

    @classmethod
    def _temporary(cls, notices: list[str]) -> SearchIndex:
        directory = Path(tempfile.mkdtemp(prefix=TEMPORARY_PREFIX))
        lock = FileLock(directory / OWNER_LOCK)
        lock.acquire(blocking=False)  # tells remove_stale_temporary() its owner lives
        atexit.register(shutil.rmtree, directory, True)  # also when the app exits without close()
        self = cls(directory, False, notices, temporary=True)
        self._lock = lock
        self._create()
        return self

    def _open_or_create(self) -> None:
        remove_scratch(self.directory)  # ours alone now: we hold the owner lock
        manifest = self._read_manifest()
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
        damage = self._disk_damage(manifest)
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
                self.notices.append(f"the search index was damaged ({_describe(error)}): rebuilding it")
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
            manifest = self._read_manifest()
        try:
            ix = index.open_dir(str(self.directory), indexname=INDEXNAME)
            searcher = ix.searcher(weighting=BM25F())
        except Exception:  # noqa: BLE001
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
                    if sum(len(self._leaf_ids_for(leaf.reader())) for _, leaf in _leaves(searcher)) != count:
                        raise ValueError("id column does not match the documents")
                    # The first term of a few fields and its postings'
                    # record: enough to tell a garbled term file, in a
                    # constant time (most_frequent_terms read every term
                    # starting with "a": 0.2 s a field at 10,000 papers).
                    for name in ("title", "abstract", "tldr"):
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

    # --- the manifest: what each indexed file held ---------------------------------

    def _read_manifest(self) -> dict:
        try:
            data = json.loads((self.directory / MANIFEST).read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        files = data.get("files")
        if isinstance(files, dict):
            for rec in files.values():
                if isinstance(rec, list) and len(rec) > 3 and isinstance(rec[3], list):
                    rec[3] = _joined_ids(rec[3])  # an older manifest's list of ids
        return data

    def _write_manifest(self) -> None:
        write_atomic(self.directory / MANIFEST, json.dumps(self._manifest))

    # --- updating --------------------------------------------------------------------

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

    def attach(self, papers, words: dict[str, int] | None = None) -> None:
        """Search with ``papers`` (a Mapping of id -> Paper, such as the
        loader's PaperStore that reads them on demand) for the checks
        against the papers' text, without an update(): for an index that
        ``covers`` the library.  ``words``: the library's surface words
        and counts (``vocabulary_counts``), kept from an earlier call, so
        that prefixes and fuzzy words need not read every title.  No
        typing table is built (as-you-type searches of 1-2 letters need an
        update())."""
        with self._mutex:
            self._papers = papers
            self._order = None
            self._prefixes = None
            self._words = (papers, Vocabulary(words)) if words is not None else None

    def vocabulary_counts(self) -> dict[str, int] | None:
        """The surface words of the attached papers and their counts (what
        ``attach`` takes back)."""
        vocabulary = self._vocabulary()
        return None if vocabulary is None else vocabulary.counts

    def _stop_requested(self) -> bool:
        return self._cancel.is_set()

    def update(self, library, progress: Progress | None = None,
               phase: Callable[[str], None] | None = None) -> UpdateReport:
        """Bring the index in line with ``library`` (see the package docs).
        Updates from several threads run one after the other.  ``phase``,
        when given, is told what the update does next, where ``progress``
        cannot count it: "newest day", "writing the index files" (the
        workers flush their segments once every paper is counted),
        "merging segments", "typing table"."""
        with self._updating:
            started = time.perf_counter()
            self._phase = phase or (lambda name: None)
            try:
                return self._update(library, progress, started)
            except _Cancelled:
                report = UpdateReport(cancelled=True, seconds=time.perf_counter() - started)
                self._refresh()
                return report
            except OSError as error:
                # A full disk (or a quota, an I/O error): what was committed
                # stays searchable; the next update picks up the rest.
                why = "the disk is full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else _describe(error)
                message = f"the search index could not be updated: {why}; searching what it already holds"
                self.notices.append(message)
                with contextlib.suppress(Exception):
                    self._refresh()
                return UpdateReport(error=message, seconds=time.perf_counter() - started)
            finally:
                with self._mutex:
                    self._save_docids()
                if not self._closing:
                    self._cancel.clear()

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise _Cancelled

    def _update(self, library, progress: Progress | None, started: float) -> UpdateReport:
        self._check_cancel()
        self._papers = library.papers
        self._order = None
        self._prefixes = None
        report = UpdateReport()
        if self.read_only:
            report.skipped = "read-only"
            self._refresh()
            return report
        old_files: dict = self._manifest.get("files", {})
        new_files = {f.path: f for f in library.files}
        changed = [
            f for path, f in new_files.items()
            if (rec := old_files.get(path)) is None or rec[2] != f.digest or rec[0] != f.size
        ]
        removed = [path for path in old_files if path not in new_files]
        affected: set[str] = set()
        for f in changed:
            affected.update(f.ids)
            if f.path in old_files:
                affected.update(_split_ids(old_files[f.path][3]))
        for path in removed:
            affected.update(_split_ids(old_files[path][3]))
        report.files_changed = len(changed)
        report.files_removed = len(removed)
        # Files whose content is the same (only touched): just refresh the record.
        for path, f in new_files.items():
            rec = old_files.get(path)
            if rec is not None and rec[2] == f.digest and rec[0] == f.size and rec[1] != f.mtime_ns:
                rec[1] = f.mtime_ns
        papers = library.papers
        to_add = [papers[pid] for pid in affected if pid in papers]
        to_add.sort(key=lambda p: (p.latest_date, -p.order), reverse=True)
        total = len(to_add)
        done = 0
        if progress:
            progress(0, total)

        counting = threading.Lock()  # the worker build's thread counts too

        def advance(n: int) -> None:
            nonlocal done
            with counting:
                before = done
                done += n
                if progress:
                    progress(min(done, total), total)
                if before < total <= done:
                    self._phase("writing the index files")

        def record(files: Iterable) -> None:
            for f in files:
                old_files[f.path] = [f.size, f.mtime_ns, f.digest, _joined_ids(f.ids)]

        if not affected:
            self._phase("typing table")
            self._typing_table()
            if changed or removed:
                for path in removed:
                    old_files.pop(path, None)
            self._manifest["files"] = old_files
            self._write_manifest()
            report.seconds = time.perf_counter() - started
            return report

        # Phase 1: the newest day (complete documents), so it is searchable early.
        first: list = []
        rest = to_add
        if total >= NEWEST_FIRST and to_add and to_add[0].latest_date:
            newest = to_add[0].latest_date
            first = [p for p in to_add if p.latest_date == newest]
            rest = to_add[len(first):]
        # The rest goes to worker processes (when it is that big) at once:
        # they start and build while this process indexes the newest day.
        building = None
        if first and not self._in_workers(first) and self._in_workers(rest):
            building = _Build(self, rest, advance)
        try:
            if first:
                first_ids = {p.id for p in first}
                self._check_cancel()
                self._phase("newest day")
                self._commit(delete={pid for pid in affected if pid in first_ids}, papers=first, progress=advance)
                report.searchable_after = time.perf_counter() - started
                self._phase("typing table")
                self._typing_table()  # what the first keystroke needs
                self._phase("indexing")
                # Record only the newest day's files: the others are redone if we stop here.
                record(f for f in changed if f.date == newest and set(f.ids) <= first_ids)
                self._manifest["files"] = old_files
                self._write_manifest()
                affected -= first_ids
            self._check_cancel()
            report.processes = self._commit(delete=affected, papers=rest, progress=advance, building=building)
        finally:
            if building is not None:
                building.stop()  # returns at once when it is done
        if report.searchable_after is None:
            report.searchable_after = time.perf_counter() - started
        record(changed)
        for path in removed:
            old_files.pop(path, None)
        self._manifest["files"] = old_files
        self._write_manifest()
        self._phase("typing table")
        self._typing_table()
        report.added = total
        report.removed = len([pid for pid in affected if pid not in papers])
        if self._compact():  # after the manifest: stopping here loses nothing
            self._write_manifest()  # the files on disk changed
        report.seconds = time.perf_counter() - started
        return report

    @staticmethod
    def _in_workers(papers: list) -> bool:
        return len(papers) >= PROCESS_THRESHOLD and WORKERS > 1

    def _commit(self, delete: set[str], papers: list, progress: Callable[[int], None],
                drop: frozenset[str] = frozenset(), building: _Build | None = None) -> int:
        """Delete the documents of ``delete`` and add ``papers`` in one commit;
        segments whose id is in ``drop`` leave the index in that commit.
        Documents are made as they are written, never all at once.
        ``building``: those papers' segments, already on their way."""
        self._check_cancel()
        if building is None and not self._in_workers(papers):
            return self._commit_here(delete, papers, progress, drop)
        try:
            built = building.result() if building is not None else self._build(papers, progress, self._ix.schema)
        except Cancelled:
            raise _Cancelled from None
        except (OSError, RuntimeError) as error:
            # No worker processes to be had (or one failed): build here.
            self.notices.append(f"indexing in worker processes failed ({_describe(error)}); indexing in this one")
            return self._commit_here(delete, papers, progress, drop)
        try:
            whoosh_compat.commit_segments(self._ix, lambda writer: self._delete(writer, delete), drop,
                                          lambda: built.adopt(self.directory))
        except BaseException:
            built.discard()
            raise  # adopted files are deleted by the next commit
        self._after_commit()
        return WORKERS

    def _build(self, papers: list, progress: Callable[[int], None], schema,
               stopped: Callable[[], bool] | None = None) -> Built:
        """``papers`` written as segments of ``schema`` by worker processes
        (see :func:`build_segments`); ``stopped()`` true stops them too.
        (``self._ix.schema`` reads the table of contents, which a commit in
        another thread may be replacing: read it in the updating thread.)"""
        def cancelled() -> bool:
            return self._stop_requested() or (stopped is not None and stopped())

        store, docs = _documents(papers)
        return build_segments(str(self.directory), INDEXNAME, schema, docs, WORKERS,
                              progress, cancelled=cancelled, texts=store)

    def _after_commit(self) -> None:
        self._refresh()
        self._manifest["docs"] = self.doc_count
        self._manifest["disk"] = self._disk_record(self._manifest.get("disk") or {})

    # --- what the index's own files were when last committed -----------------------

    def _index_files(self) -> list[Path]:
        # Whoosh's own files only (MAIN_<segment>.<ext>, _MAIN_<generation>.toc):
        # caches kept beside them (docids.bin) are rewritten by design.
        prefixes = (f"{INDEXNAME}_", f"_{INDEXNAME}_")
        return [p for p in self.directory.iterdir()
                if p.name.startswith(prefixes) and "LOCK" not in p.name.upper() and p.is_file()]

    def _disk_record(self, old: dict) -> dict:
        """name -> [size, mtime_ns, checksum] of every index file; a file
        whose size and mtime are unchanged keeps its recorded checksum
        (Whoosh never rewrites a file, so only new ones are read)."""
        record = {}
        for path in self._index_files():
            try:
                info = path.stat()
                previous = old.get(path.name)
                if previous and previous[0] == info.st_size and previous[1] == info.st_mtime_ns:
                    record[path.name] = previous
                else:
                    record[path.name] = [info.st_size, info.st_mtime_ns, _checksum(path)]
            except OSError:
                continue  # deleted meanwhile by the commit's clean-up
        return record

    def _disk_damage(self, manifest: dict) -> str:
        """What is wrong with the index files the manifest records ("" when
        nothing): a file missing, of another size, or (when its mtime moved)
        of another checksum.  A truncated postings file otherwise drops
        results silently on every later search."""
        record = manifest.get("disk")
        if not isinstance(record, dict):
            return ""  # an index from before the record: checked as before
        for name, entry in record.items():
            path = self.directory / name
            try:
                size, mtime_ns, checksum = entry
                info = path.stat()
            except (OSError, ValueError, TypeError):
                return f"{name} is missing"
            if info.st_size != size:
                return f"{name} is {info.st_size} bytes, it was {size}"
            if info.st_mtime_ns != mtime_ns:
                try:
                    if _checksum(path) != checksum:
                        return f"{name} changed since it was written"
                except OSError as error:
                    return f"{name} cannot be read ({error.strerror or error})"
        return ""

    def _commit_here(self, delete: set[str], papers: list, progress: Callable[[int], None],
                     drop: frozenset[str] = frozenset()) -> int:
        writer = FastSegmentWriter(self._ix, timeout=5.0)
        try:
            self._delete(writer, delete)
            for n, paper in enumerate(papers, 1):
                writer.add_document(**paper_document(paper))
                if n % 200 == 0:
                    progress(200)
                    self._check_cancel()
            progress(len(papers) % 200)
            writer.commit(mergetype=lambda _writer, segments: [
                segment for segment in segments if segment.segment_id() not in drop])
        except BaseException:
            if not writer.is_closed:
                writer.cancel()
            raise
        self._after_commit()
        return 0

    def _delete(self, writer, ids: set[str]) -> None:
        if not ids:
            return
        with writer.searcher() as searcher:
            for (offset, leaf) in _leaves(searcher):
                docids = self._leaf_ids_for(leaf.reader())
                for docnum, pid in enumerate(docids):
                    if pid in ids:
                        writer.delete_document(offset + docnum)

    def _compact(self) -> bool:
        """Past MAX_SEGMENTS segments (an update adds one or two), the
        smallest become one, leaving about MAX_SEGMENTS / 2: their papers
        are indexed again into a new segment and they leave in the same
        commit.  Whoosh's own merge (MERGE_SMALL) never merged segments of
        a day's few hundred papers, and its add_reader cannot copy this
        index's postings; without this, a year of daily updates leaves a
        segment a day that every query reads.  Cancellable like the rest."""
        segments = whoosh_compat.index_segments(self._ix)
        if len(segments) <= MAX_SEGMENTS or self._papers is None:
            return False
        ordered = sorted(segments, key=lambda segment: segment.doc_count_all())
        drop = frozenset(segment.segment_id() for segment in ordered[: len(segments) - MAX_SEGMENTS // 2 + 1])
        ids: list[str] = []
        with self._mutex:
            for _, leaf in _leaves(self._searcher):
                reader = leaf.reader()
                segment = reader.segment() if hasattr(reader, "segment") else None
                if segment is not None and segment.segment_id() in drop:
                    ids.extend(self._live_ids(reader))
        papers = self._papers
        self._phase("merging segments")
        self._commit(delete=set(), papers=[papers[pid] for pid in ids if pid in papers],
                     progress=lambda n: None, drop=drop)
        return True

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
            segments = (leaf.reader().segment() for _, leaf in _leaves(self._searcher))
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
            segments = (leaf.reader().segment() for _, leaf in _leaves(self._searcher))
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
        for _, leaf in _leaves(searcher):
            out.extend(self._live_ids(leaf.reader()))
        return out

    def indexed_ids(self) -> list[str]:
        with self._mutex:
            return self._all_ids(self._searcher) if self._searcher is not None else []

    # --- searching ---------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        limit: int | None = 200,
        as_you_type: bool = False,
        state: StateFilter | None = None,
        within: Collection[str] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> SearchResult:
        """See the package docstring.  ``within``: only these paper ids (a
        day, a category, a saved view); ``cancelled()`` true stops the
        search within a posting list or so (``SearchResult.cancelled``)."""
        started = time.perf_counter()
        stop = self._stop_searches.is_set
        if cancelled is None:
            cancelled = stop
        else:
            asked = cancelled

            def cancelled() -> bool:
                return stop() or asked()

        try:
            result = self._search(query, limit, as_you_type, state, within, cancelled)
        except SearchCancelled:
            result = SearchResult(ids=[], cancelled=True)
        except q.QueryError as error:
            result = SearchResult(ids=[], error=str(error))
        except Exception as error:  # noqa: BLE001 - a search never raises
            result = SearchResult(ids=[], error=f"search failed: {_describe(error)}")
        result.seconds = time.perf_counter() - started
        return result

    def _search(self, text: str, limit: int | None, as_you_type: bool, state, within, cancelled) -> SearchResult:
        if not text.strip():
            return SearchResult(ids=None)
        # Lone surrogates (no index term holds one) cannot be encoded for Whoosh.
        text = text.encode("utf-8", "surrogatepass").decode("utf-8", "replace")
        tree = q.parse(text, as_you_type)
        if tree is None:
            return SearchResult(ids=None)
        short = None  # a 1-2 letter word being typed: matched in memory
        if as_you_type and self._papers is not None:
            tree, short = _split_short_typing(tree)
        with self._mutex:
            searcher = self._searcher
            if searcher is None or cancelled():
                raise SearchCancelled
            leaves = _leaves(searcher)
            names = self._docnum_ids(searcher, leaves)
            texts = field_texts = mentions = None
            if self._papers is not None:
                papers = self._papers

                def paper_at(docnum: int):
                    return papers.get(names[docnum]) if docnum < len(names) else None

                def texts(docnum: int, summaries_first: bool = False):
                    paper = paper_at(docnum)
                    return _paper_texts(paper, summaries_first) if paper is not None else ()

                def field_texts(docnum: int, name: str) -> list[str]:
                    paper = paper_at(docnum)
                    return _field_texts(paper, name) if paper is not None else []

                def mentions(docnum: int, word: str) -> bool:
                    paper = paper_at(docnum)
                    return paper is not None and paper.mentions(word)

            engine = Engine(searcher, live=self._deleted, texts=texts, field_texts=field_texts, mentions=mentions,
                            keywords=self._keywords, names=names, state=state,
                            filter_ids=self._filter_ids if self._papers is not None else None,
                            vocabulary=self._vocabulary(), cancelled=cancelled)
            found = engine.run(tree) if tree is not None else None
            terms = engine.terms
            if short is not None:
                terms.prefixes.add(short)
            if found is None and short is None and within is None:
                return SearchResult(ids=None, terms=terms)
            if found is None:
                ids = self._typed_in_titles(short, None) if short is not None else self._newest()
                if within is not None:
                    ids = [pid for pid in ids if pid in within]
                ids = ids[:limit] if limit else ids
                return SearchResult(ids=ids, scores={pid: 0.0 for pid in ids}, terms=terms)
            if short is not None:
                # Keep the papers whose title or authors hold the word being typed.
                keep = self._typed_ids(short)
                found = restricted(found, lambda d: d < len(names) and names[d] in keep)
            if within is not None:
                found = restricted(found, lambda d: d < len(names) and names[d] in within)
            best = ranked(found, limit)
            get = found.get
            ids: list[str] = []
            scores: dict[str, float] = {}
            for docnum in best:
                pid = names[docnum] if docnum < len(names) else ""
                if pid and pid not in scores:
                    ids.append(pid)
                    scores[pid] = shown_score(get(docnum))
            suggestion = None
            if len(ids) < FEW_RESULTS:
                suggestion = engine.suggestion(text, tree)
        return SearchResult(ids=ids, scores=scores, terms=terms, suggestion=suggestion, notes=engine.notes)

    def _newest(self) -> list[str]:
        papers = self._papers or {}
        if self._order is None:
            self._order = [p.id for p in sorted(papers.values(), key=lambda p: (_neg(p.latest_date), p.order))]
        return self._order

    def _vocabulary(self) -> Vocabulary | None:
        """The library's surface words (titles and authors), built once per
        update() (see vocabulary.py)."""
        if self._papers is None:
            return None
        found = self._words
        if found is None or found[0] is not self._papers:
            words = Vocabulary.of_texts(chain.from_iterable((p.title, *p.authors) for p in self._papers.values()))
            found = self._words = (self._papers, words)
        return found[1]

    def _filter_ids(self, target: str, value: str) -> frozenset[str]:
        """The papers a facet filter (facets.FILTERS) keeps, cached while
        the library stays the same."""
        from tui_reader.core.index.facets import FILTERS

        papers = self._papers or {}
        key = (target, value)
        cache = self._filtered
        if cache.get("papers") is not papers:
            cache.clear()
            cache["papers"] = papers
        found = cache.get(key)
        if found is None:
            test = FILTERS[target](value)
            found = cache[key] = frozenset(pid for pid, paper in papers.items() if test(paper))
        return found

    def _docnum_ids(self, searcher, leaves) -> list[str]:
        """Paper id of every document number of ``searcher`` (cached)."""
        if self._names is not None and self._names[0] is searcher:
            return self._names[1]
        names: list[str] = []
        for offset, leaf in leaves:
            names.extend([""] * (offset - len(names)))
            names.extend(self._leaf_ids_for(leaf.reader()))
        self._names = (searcher, names)
        return names

    def _typing_table(self) -> tuple[list[str], dict[str, array]]:
        """1- and 2-letter prefix -> the papers whose title or authors hold a
        word starting with it, as numbers into a list of paper ids (built
        once per update(); compact: a set of ids per prefix took 70 MB at
        40,000 papers, these arrays take a few)."""
        table = self._prefixes
        if table is None:
            from tui_reader.core.index.analysis import TOKEN, _normalize

            # The hot loop of an update of one day (all papers, every start):
            # words normalised once each, prefixes of a paper collected first.
            pids: list[str] = []
            lists: dict[str, array] = {}
            keys_of: dict[str, tuple[str, str]] = {}
            findall = TOKEN.findall
            for number, (pid, paper) in enumerate((self._papers or {}).items()):
                pids.append(pid)
                keys: set[str] = set()
                for cjk, word in findall(paper.title + " " + " ".join(paper.authors)):
                    raw = cjk or word
                    pair = keys_of.get(raw)
                    if pair is None:
                        norm = _normalize(raw)
                        pair = keys_of[raw] = (norm[:1], norm[:2])
                    keys.update(pair)
                for key in keys:
                    found = lists.get(key)
                    if found is None:
                        lists[key] = array("I", (number,))
                    else:
                        found.append(number)
            table = self._prefixes = (pids, lists)
        return table

    def _typed_ids(self, prefix: str) -> set[str]:
        table = self._typing_table()
        last = self._typed_last  # one keystroke asks twice; the next often the same
        if last is not None and last[0] is table and last[1] == prefix:
            return last[2]
        pids, lists = table
        ids = {pids[number] for number in lists.get(prefix, ())}
        self._typed_last = (table, prefix, ids)
        return ids

    def _typed_in_titles(self, prefix: str, among: list[str] | None) -> list[str]:
        """Papers (of ``among``, else all newest first) whose title or
        authors hold a word starting with ``prefix``."""
        if among is None:
            among = self._newest()
        keep = self._typed_ids(prefix)
        return [pid for pid in among if pid in keep]


def _documents(papers: list) -> tuple[tuple[str, str] | None, Iterable]:
    """The documents of ``papers`` for worker processes: a paper whose
    texts are in the library cache goes as its fields in memory and the
    number of its text record, and the worker reads the texts (decoding
    them here took 30 us a paper of this process's time, and `j` waited
    on it while the index was built)."""
    location = None
    for paper in papers:
        where = paper.text_source()
        if where is not None and where[0].location is not None:
            store, location = where[0], where[0].location
            break
    if location is None:
        return None, map(paper_document, papers)

    def documents():
        for paper in papers:
            where = paper.text_source()
            if where is not None and where[0] is store:
                yield meta_document(paper), where[1]
            else:
                yield paper_document(paper)

    return location, documents()


def _joined_ids(ids) -> str:
    """A file's paper ids as the manifest keeps them: one string, not a
    list of strings (the lists of a 150k library took 40 MB of the
    reader's memory, read at every start and used only when the file
    changes)."""
    return " ".join(ids)


def _split_ids(joined: str) -> list[str]:
    return joined.split()  # _read_manifest joins an older manifest's lists


def _paper_texts(paper, summaries_first: bool = False):
    """Every text of ``paper``, one at a time (a phrase check stops at the
    first text that holds the phrase): title and abstract first, or the AI
    summaries first (where a Chinese word is found)."""
    # Generators: a paper whose texts are on disk reads its abstract only
    # if the title did not hold the phrase, its summaries only after that.
    def own():
        yield paper.title
        yield paper.abstract
        yield from paper.authors

    def summaries():
        for s in (paper.summaries or {}).values():
            yield from (t for t in (s.tldr, s.method, s.result, s.motivation, s.conclusion) if t)

    return chain(summaries(), own()) if summaries_first else chain(own(), summaries())


def _field_texts(paper, name: str) -> list[str]:
    """The texts of one index field of ``paper`` (see schema.paper_document)."""
    if name == "title":
        return [paper.title]
    if name == "authors":
        return list(paper.authors)
    if name == "abstract":
        return [paper.abstract]
    summaries = (paper.summaries or {}).values()
    if name == "more":
        return [t for s in summaries for t in (s.motivation, s.conclusion) if t]
    if name in ("tldr", "method", "result"):
        return [t for s in summaries if (t := getattr(s, name))]
    return []


def _title_words(paper) -> list[str]:
    from tui_reader.core.index.analysis import TOKEN, _normalize

    return [_normalize(m.group(0)) for m in TOKEN.finditer(paper.title + " " + " ".join(paper.authors))]


def _neg(date: str) -> str:
    return "".join(chr(0x69 - ord(c)) if c.isdigit() else c for c in date) if date else "~"


def _split_short_typing(tree):
    """Take a 1-2 letter word being typed out of the tree (an AND of words or
    the word alone); returns (rest of the tree or None, prefix or None)."""
    from tui_reader.core.index.analysis import _normalize, is_cjk

    def short(node) -> str | None:
        if isinstance(node, q.Word) and node.typing and node.field is None and not node.phrase:
            text = node.text
            if len(text) <= 2 and not is_cjk(text) and text.isalnum():
                return _normalize(text)
        return None

    prefix = short(tree)
    if prefix is not None:
        return None, prefix
    if isinstance(tree, q.Group) and tree.op == "and" and tree.children:
        prefix = short(tree.children[-1])
        if prefix is not None:
            rest = tree.children[:-1]
            return (rest[0] if len(rest) == 1 else q.Group("and", rest)), prefix
    return tree, None


def _leaves(searcher) -> list[tuple[int, object]]:
    subs = searcher.leaf_searchers()
    return [(offset, sub) for sub, offset in subs]


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


class _Build:
    """The segments of ``papers``, built by worker processes from a thread
    of this process while it goes on (it indexes the newest day)."""

    def __init__(self, index: SearchIndex, papers: list, progress: Callable[[int], None]) -> None:
        self._stopped = threading.Event()
        self._built: Built | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(index, papers, progress, index._ix.schema),
                                        name="tui-reader-index-build", daemon=True)
        self._thread.start()

    def _run(self, index: SearchIndex, papers: list, progress: Callable[[int], None], schema) -> None:
        try:
            self._built = index._build(papers, progress, schema, self._stopped.is_set)
        except BaseException as error:  # noqa: BLE001 - raised again by result()
            self._error = error

    def result(self) -> Built:
        """The segments, once built (the caller adopts or discards them);
        raises what the build raised."""
        self._thread.join()
        if self._error is not None:
            raise self._error
        built, self._built = self._built, None
        return built

    def stop(self) -> None:
        """Stop the build (its workers terminated), wait for it, and discard
        segments nobody took."""
        self._stopped.set()
        self._thread.join()
        if self._built is not None:
            self._built.discard()
            self._built = None
