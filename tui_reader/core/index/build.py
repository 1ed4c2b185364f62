"""Building segments in worker processes (spawned: the app has threads).

Each worker opens the index without its lock, writes one segment of the
documents it takes from a shared queue with :class:`FastSegmentWriter` and
sends the segment object back; the parent, which holds the write lock, adds
the segments to the index in one commit (the way Whoosh's ``MpWriter(multisegment=True)``
does, without ``fork``).
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import time
import traceback
from collections.abc import Callable, Iterable, Iterator

POLL = 0.1  # seconds between looks at the queue (and at cancellation)


class Cancelled(Exception):
    """The build was cancelled (``cancelled()`` became true): the workers
    were stopped and no segment was kept."""


BATCH = 250  # documents per message to a worker
QUEUED = 2  # batches waiting per worker: bounds the memory of a build


def _worker(index_dir: str, indexname: str, inbox, out) -> None:
    try:
        from whoosh.filedb.filestore import FileStorage

        from tui_reader.core.loader import background_priority

        background_priority()

        from tui_reader.core.index.writer import FastSegmentWriter

        ix = FileStorage(index_dir).open_index(indexname)
        writer = FastSegmentWriter(ix, _lk=False)
        added = 0
        while (batch := inbox.get()) is not None:
            for doc in batch:
                writer.add_document(**doc)
            added += len(batch)
            out.put(("progress", len(batch)))
        segment = writer._finalize_segment() if added else None
        # Leave the shared temp dir alone: the parent's writer removes it.
        out.put(("done", segment))
    except BaseException:  # noqa: BLE001 - reported to the parent
        out.put(("error", traceback.format_exc()))


def build_segments(
    index_dir: str,
    indexname: str,
    docs: Iterable[dict],
    processes: int,
    progress: Callable[[int], None] | None = None,
    timeout: float = 3600.0,
    cancelled: Callable[[], bool] | None = None,
) -> list:
    """Write ``docs`` as up to ``processes`` segments, each in its own
    spawned process; returns the segments.  Documents go to the workers in
    small batches through a bounded queue, as they are made, so neither this
    process nor a worker ever holds them all.  Raises RuntimeError if a
    worker fails, :class:`Cancelled` (after terminating the workers) once
    ``cancelled()`` is true."""
    from tui_reader.core.loader import ensure_resource_tracker

    ensure_resource_tracker()  # inside the app sys.stderr has no file descriptor
    context = multiprocessing.get_context("spawn")
    inbox = context.Queue(maxsize=QUEUED * processes)
    out = context.Queue()
    procs = [
        context.Process(target=_worker, args=(index_dir, indexname, inbox, out), daemon=True)
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
