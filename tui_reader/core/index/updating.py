"""Updating the search index: what changed in the library is indexed
again, the newest day first, big builds in worker processes, and the
segments kept few.  Mixed into :class:`~tui_reader.core.index.store.SearchIndex`
(whose attributes it uses)."""

from __future__ import annotations

import contextlib
import errno
import os
import threading
import time
from collections.abc import Callable, Iterable

from tui_reader.core.index import whoosh_compat
from tui_reader.core.index.build import Built, Cancelled, build_segments
from tui_reader.core.index.disk import INDEXNAME, describe, disk_record, joined_ids, leaf_searchers, split_ids
from tui_reader.core.index.results import Progress, UpdateReport
from tui_reader.core.index.schema import meta_document, paper_document
from tui_reader.core.index.whoosh_compat import FastSegmentWriter

# Builds of at least this many papers go to worker processes.
PROCESS_THRESHOLD = 3000
NEWEST_FIRST = 1000  # from this many papers to index, the newest day is committed first
WORKERS = max(1, min(2, os.cpu_count() or 1))
MAX_SEGMENTS = 12  # past this many segments the smallest are merged (see _compact)


class _Cancelled(Exception):
    """cancel() was called: unwinds update() (which returns a report)."""


class Updating:
    """SearchIndex's update() and what it calls."""

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
                if error.errno in (errno.ENOSPC, errno.EDQUOT) and not self.temporary:
                    # The cache's disk is full: a partial index would answer
                    # "0 results".  Index into a temporary one instead (the
                    # partial one stays for the next start to finish).
                    retried = self._in_temporary(library, progress, started)
                    if retried is not None:
                        return retried
                # A full disk (or a quota, an I/O error): what was committed
                # stays searchable; the next update picks up the rest.
                why = "the disk is full" if error.errno in (errno.ENOSPC, errno.EDQUOT) else describe(error)
                message = (f"the search index could not be updated: {why}; searching what it already holds "
                           f"({self.doc_count} of {len(library.papers)} papers)")
                self.notices.append(message)
                with contextlib.suppress(Exception):
                    self._refresh()
                return UpdateReport(error=message, seconds=time.perf_counter() - started)
            finally:
                with self._mutex:
                    self._save_docids()
                if not self._closing:
                    self._cancel.clear()

    def _in_temporary(self, library, progress: Progress | None, started: float) -> UpdateReport | None:
        """The update done again in a temporary index; None when that fails too."""
        try:
            self.move_to_temporary()
            report = self._update(library, progress, started)
        except (OSError, _Cancelled):
            return None
        self.notices.append(f"the search index could not be written under the cache folder (the disk is full): "
                            f"indexed {report.added} papers into a temporary index for this session")
        return report

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise _Cancelled

    def _update(self, library, progress: Progress | None, started: float) -> UpdateReport:
        self._check_cancel()
        self._papers = library.papers
        self._facets = self._heads = None  # the papers themselves answer now
        self._order = None
        self._prefixes = None
        report = UpdateReport()
        if self.read_only:
            report.skipped = "read-only"
            self._refresh()
            return report
        old_files: dict = self._manifest.get("files", {})
        changed, removed, affected = _changes(old_files, {f.path: f for f in library.files})
        report.files_changed = len(changed)
        report.files_removed = len(removed)
        papers = library.papers
        to_add = [papers[pid] for pid in affected if pid in papers]
        to_add.sort(key=lambda p: (p.latest_date, -p.order), reverse=True)
        advance = _Counter(len(to_add), progress, self._phase)
        if affected:
            self._index(to_add, affected, changed, old_files, report, advance, started)
            _record(old_files, changed)
        for path in removed:
            old_files.pop(path, None)
        self._manifest["files"] = old_files
        if not affected:
            self._phase("typing table")
            self._write_manifest()
            self._word_tables()
            report.seconds = time.perf_counter() - started
            return report
        self._write_manifest()
        self._phase("typing table")
        self._word_tables()
        report.added = len(to_add)
        report.removed = len([pid for pid in affected if pid not in papers])
        if self._compact():  # after the manifest: stopping here loses nothing
            self._write_manifest()  # the files on disk changed
        report.seconds = time.perf_counter() - started
        return report

    def _index(self, to_add: list, affected: set[str], changed: list, old_files: dict, report: UpdateReport,
               advance: _Counter, started: float) -> None:
        """Index ``to_add`` (deleting the documents of ``affected``, which
        loses the newest day's ids on the way): from NEWEST_FIRST papers,
        the newest day first, so it is searchable early."""
        # Phase 1: the newest day (complete documents).
        first: list = []
        rest = to_add
        newest = ""
        if len(to_add) >= NEWEST_FIRST and to_add and to_add[0].latest_date:
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
                _record(old_files, (f for f in changed if f.date == newest and set(f.ids) <= first_ids))
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
            self.notices.append(f"indexing in worker processes failed ({describe(error)}); indexing in this one")
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
        self._manifest["disk"] = disk_record(self.directory, self._manifest.get("disk") or {})

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
            for (offset, leaf) in leaf_searchers(searcher):
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
            for _, leaf in leaf_searchers(self._searcher):
                reader = leaf.reader()
                segment = reader.segment() if hasattr(reader, "segment") else None
                if segment is not None and segment.segment_id() in drop:
                    ids.extend(self._live_ids(reader))
        papers = self._papers
        self._phase("merging segments")
        self._commit(delete=set(), papers=[papers[pid] for pid in ids if pid in papers],
                     progress=lambda n: None, drop=drop)
        return True


def _changes(old_files: dict, new_files: dict) -> tuple[list, list[str], set[str]]:
    """(files new or changed, paths gone, the ids of every paper they held
    before or hold now) between the manifest's ``old_files`` and the
    library's; a file only touched (same size and digest) gets its new
    mtime recorded in ``old_files``."""
    changed = [
        f for path, f in new_files.items()
        if (rec := old_files.get(path)) is None or rec[2] != f.digest or rec[0] != f.size
    ]
    removed = [path for path in old_files if path not in new_files]
    affected: set[str] = set()
    for f in changed:
        affected.update(f.ids)
        if f.path in old_files:
            affected.update(split_ids(old_files[f.path][3]))
    for path in removed:
        affected.update(split_ids(old_files[path][3]))
    for path, f in new_files.items():
        rec = old_files.get(path)
        if rec is not None and rec[2] == f.digest and rec[0] == f.size and rec[1] != f.mtime_ns:
            rec[1] = f.mtime_ns
    return changed, removed, affected


def _record(old_files: dict, files: Iterable) -> None:
    """The manifest's record of ``files`` as indexed now."""
    for f in files:
        old_files[f.path] = [f.size, f.mtime_ns, f.digest, joined_ids(f.ids)]


class _Counter:
    """Counts the papers indexed for ``progress`` (this thread and the
    worker build's thread both count); once all are counted, the phase is
    "writing the index files" (the workers flush their segments)."""

    def __init__(self, total: int, progress: Progress | None, phase: Callable[[str], None]) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._phase = phase
        self._lock = threading.Lock()
        if progress:
            progress(0, total)

    def __call__(self, n: int) -> None:
        with self._lock:
            before = self.done
            self.done += n
            if self._progress:
                self._progress(min(self.done, self.total), self.total)
            if before < self.total <= self.done:
                self._phase("writing the index files")


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


class _Build:
    """The segments of ``papers``, built by worker processes from a thread
    of this process while it goes on (it indexes the newest day)."""

    def __init__(self, index: Updating, papers: list, progress: Callable[[int], None]) -> None:
        self._stopped = threading.Event()
        self._built: Built | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(index, papers, progress, index._ix.schema),
                                        name="tui-reader-index-build", daemon=True)
        self._thread.start()

    def _run(self, index: Updating, papers: list, progress: Callable[[int], None], schema) -> None:
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
