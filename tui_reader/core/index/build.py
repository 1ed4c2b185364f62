"""Building segments in worker processes (spawned: the app has threads).

Each worker writes one segment of the documents it takes from a shared
queue with :class:`FastSegmentWriter` and sends the segment object back; the
caller adds the segments to the index in one commit (the way Whoosh's
``MpWriter(multisegment=True)`` does, without ``fork``).

The workers write into a scratch index in a hidden folder of the index
folder, and the finished segments' files move into the index folder just
before the commit that adds them.  So the index may take other commits
while they work (the newest day, indexed in this process meanwhile): a
Whoosh commit deletes every segment file its table of contents does not
name, which would include theirs.
"""

from __future__ import annotations

import multiprocessing
import os
import queue as queue_module
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

POLL = 0.1  # seconds between looks at the queue (and at cancellation)


class Cancelled(Exception):
    """The build was cancelled (``cancelled()`` became true): the workers
    were stopped and no segment was kept."""


SCRATCH_PREFIX = ".build-"  # the scratch index's folder, inside the index folder
BATCH = 250  # documents per message to a worker
QUEUED = 2  # batches waiting per worker: bounds the memory of a build
# A worker finishes its segment and starts another after this many documents:
# a segment's postings and term list are held in memory until written, so
# this bounds a worker's memory whatever the library's size (at 75,000 papers
# in two segments a worker peaked at 343 MB; a 300,000-paper library would
# have held four times that).
SEGMENT_DOCS = 16_000


def _worker(index_dir: str, indexname: str, inbox, out, texts: tuple[str, str] | None = None,
            segment_docs: int = SEGMENT_DOCS) -> None:
    try:
        import gc

        from whoosh.filedb.filestore import FileStorage

        from tui_reader.core.library.processes import background_priority

        background_priority()

        from tui_reader.core.index.whoosh_compat import FastSegmentWriter, finalize_segment

        # A worker's objects live until it ends: the cyclic collector would
        # only walk its growing postings again and again (6-7% of a
        # worker's time at 20,000 papers).
        gc.disable()
        ix = FileStorage(index_dir).open_index(indexname)
        writer = FastSegmentWriter(ix, _lk=False)
        store = None
        if texts is not None:
            from tui_reader.core.index.schema import text_fields
            from tui_reader.core.library.cache_file import open_text_store

            store = open_text_store(texts)
        added = 0
        while (batch := inbox.get()) is not None:
            if added >= segment_docs:
                out.put(("segment", finalize_segment(writer)))
                writer = None
                gc.collect()  # the finished segment's postings go (the collector is off)
                writer = FastSegmentWriter(ix, _lk=False)
                added = 0
            for doc in batch:
                if type(doc) is tuple:  # (the fields in memory, the number of its text record)
                    doc, number = doc
                    doc.update(text_fields(*store.texts(number)))  # type: ignore[union-attr]
                writer.add_document(**doc)
            added += len(batch)
            out.put(("progress", len(batch)))
        segment = finalize_segment(writer) if added else None
        # The writer's temp folder is in the scratch index: build_segments removes it.
        out.put(("done", segment))
    except BaseException:  # noqa: BLE001 - reported to the parent
        out.put(("error", traceback.format_exc()))


class Built:
    """Segments written by :func:`build_segments`, their files still in the
    scratch folder: :meth:`adopt` them into the index folder just before the
    commit that names them (so no other commit can delete them), or
    :meth:`discard` them."""

    def __init__(self, segments: list, scratch: Path) -> None:
        self.segments = segments
        self.scratch = scratch

    def adopt(self, index_dir: str | Path) -> list:
        """Move the segments' files into ``index_dir``; returns the segments."""
        ids = tuple(segment.segment_id() + "." for segment in self.segments)
        for name in os.listdir(self.scratch):
            if name.startswith(ids):
                os.replace(self.scratch / name, Path(index_dir) / name)
        self.discard()
        return self.segments

    def discard(self) -> None:
        shutil.rmtree(self.scratch, ignore_errors=True)


def build_segments(
    index_dir: str,
    indexname: str,
    schema,
    docs: Iterable[dict],
    processes: int,
    progress: Callable[[int], None] | None = None,
    timeout: float = 3600.0,
    cancelled: Callable[[], bool] | None = None,
    texts: tuple[str, str] | None = None,
    segment_docs: int | None = None,
) -> Built:
    """Write ``docs`` as up to ``processes`` segments of an index of
    ``schema``, each in its own spawned process, in a scratch folder of
    ``index_dir``.  Documents go to the workers in small batches through a
    bounded queue, as they are made, so neither this process nor a worker
    ever holds them all.  A document may be ``(fields, n)``: the worker
    adds the texts of record ``n`` of the text store at ``texts`` (a
    TextStore's location), so this process need not read them.  A worker
    starts a new segment after ``segment_docs`` documents (SEGMENT_DOCS).  Raises
    RuntimeError if a worker fails,
    :class:`Cancelled` (after terminating the workers) once ``cancelled()``
    is true; either way no file is left."""
    from whoosh.filedb.filestore import FileStorage

    scratch = Path(tempfile.mkdtemp(prefix=SCRATCH_PREFIX, dir=index_dir))
    try:
        FileStorage(str(scratch)).create_index(schema, indexname=indexname)
        return Built(_run_workers(str(scratch), indexname, docs, processes, progress, timeout, cancelled, texts,
                                  segment_docs or SEGMENT_DOCS),
                     scratch)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise


def remove_scratch(index_dir: Path) -> None:
    """Remove what builds that never finished (a killed process) left."""
    for path in index_dir.glob(SCRATCH_PREFIX + "*"):
        shutil.rmtree(path, ignore_errors=True)


def _run_workers(index_dir: str, indexname: str, docs: Iterable[dict], processes: int,
                 progress: Callable[[int], None] | None, timeout: float,
                 cancelled: Callable[[], bool] | None, texts: tuple[str, str] | None = None,
                 segment_docs: int = SEGMENT_DOCS) -> list:
    from tui_reader.core.library.processes import ensure_resource_tracker

    ensure_resource_tracker()  # inside the app sys.stderr has no file descriptor
    context = multiprocessing.get_context("spawn")
    inbox = context.Queue(maxsize=QUEUED * processes)
    out = context.Queue()
    procs = [
        context.Process(target=_worker, args=(index_dir, indexname, inbox, out, texts, segment_docs),
                        daemon=True)
        for _ in range(processes)
    ]
    stop = cancelled or (lambda: False)
    outgoing = _batches(docs, processes)
    waiting = next(outgoing, _DONE)
    segments = []
    finished = 0
    errors = []
    deadline = time.monotonic() + timeout
    try:
        for proc in procs:
            if stop():
                raise Cancelled
            proc.start()
        while finished < len(procs) and not errors:
            if stop():
                raise Cancelled
            if time.monotonic() > deadline:
                errors.append("timed out")
                break
            if waiting is not _DONE:
                try:
                    inbox.put(waiting, timeout=POLL)
                    waiting = next(outgoing, _DONE)
                except queue_module.Full:
                    pass
            try:
                kind, value = out.get(timeout=0 if waiting is not _DONE else POLL)
            except queue_module.Empty:
                if all(not p.is_alive() for p in procs) and out.empty():
                    errors.append("a worker process died")
                continue
            if kind == "progress":
                if progress and value:
                    progress(value)
            elif kind == "segment":  # one of several a worker writes (SEGMENT_DOCS)
                segments.append(value)
            elif kind == "done":
                finished += 1
                if value is not None:
                    segments.append(value)
            else:
                errors.append(value)
    except Cancelled:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        raise
    finally:
        inbox.cancel_join_thread()  # never wait on batches no worker will read
        for proc in procs:
            if proc.pid is None:
                continue  # never started
            if errors and proc.is_alive():
                proc.terminate()
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
    if errors:
        raise RuntimeError("index worker failed: " + errors[0])
    return segments


_DONE = object()


def _batches(docs: Iterable[dict], processes: int) -> Iterator[list[dict] | None]:
    """Batches of documents, then one end marker (None) per worker."""
    batch: list[dict] = []
    for doc in docs:
        batch.append(doc)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
    for _ in range(processes):
        yield None
