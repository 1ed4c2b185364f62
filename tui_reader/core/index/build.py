"""Building segments in worker processes (spawned: the app has threads).

Each worker opens the index without its lock, writes one segment of the
documents it was given with :class:`FastSegmentWriter` and sends the segment
object back; the parent, which holds the write lock, adds the segments to
the index in one commit (the way Whoosh's ``MpWriter(multisegment=True)``
does, without ``fork``).
"""

from __future__ import annotations

import multiprocessing
import queue as queue_module
import time
import traceback
from collections.abc import Callable

PROGRESS_EVERY = 250
POLL = 0.1  # seconds between looks at the queue (and at cancellation)


class Cancelled(Exception):
    """The build was cancelled (``cancelled()`` became true): the workers
    were stopped and no segment was kept."""


def _worker(index_dir: str, indexname: str, docs: list[dict], out) -> None:
    try:
        from whoosh.filedb.filestore import FileStorage

        from tui_reader.core.index.writer import FastSegmentWriter

        ix = FileStorage(index_dir).open_index(indexname)
        writer = FastSegmentWriter(ix, _lk=False)
        for n, doc in enumerate(docs, 1):
            writer.add_document(**doc)
            if n % PROGRESS_EVERY == 0:
                out.put(("progress", PROGRESS_EVERY))
        out.put(("progress", len(docs) % PROGRESS_EVERY))
        segment = writer._finalize_segment()
        # Leave the shared temp dir alone: the parent's writer removes it.
        out.put(("done", segment))
    except BaseException:  # noqa: BLE001 - reported to the parent
        out.put(("error", traceback.format_exc()))


def build_segments(
    index_dir: str,
    indexname: str,
    chunks: list[list[dict]],
    progress: Callable[[int], None] | None = None,
    timeout: float = 3600.0,
    cancelled: Callable[[], bool] | None = None,
) -> list:
    """Write each chunk as a segment in its own spawned process; returns the
    segments.  Raises RuntimeError if a worker fails, :class:`Cancelled`
    (after terminating the workers) once ``cancelled()`` is true."""
    from tui_reader.core.loader import ensure_resource_tracker

    ensure_resource_tracker()  # inside the app sys.stderr has no file descriptor
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    procs = [
        context.Process(target=_worker, args=(index_dir, indexname, chunk, out), daemon=True)
        for chunk in chunks
    ]
    stop = cancelled or (lambda: False)
    segments = []
    errors = []
    deadline = time.monotonic() + timeout
    try:
        for proc in procs:
            if stop():
                raise Cancelled
            proc.start()
        while len(segments) + len(errors) < len(procs):
            if stop():
                raise Cancelled
            try:
                kind, value = out.get(timeout=POLL)
            except queue_module.Empty:
                if time.monotonic() > deadline:
                    errors.append("timed out")
                    break
                if all(not p.is_alive() for p in procs) and out.empty():
                    errors.append("a worker process died")
                    break
                continue
            if kind == "progress":
                if progress and value:
                    progress(value)
            elif kind == "done":
                segments.append(value)
            else:
                errors.append(value)
    except Cancelled:
        for proc in procs:
            if proc.is_alive():
                proc.terminate()
        raise
    finally:
        for proc in procs:
            if proc.pid is None:
                continue  # never started
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
    if errors:
        raise RuntimeError("index worker failed: " + errors[0])
    return segments
