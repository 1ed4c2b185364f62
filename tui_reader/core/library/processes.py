"""What a worker process (the loader's parse, the index's build) does
first: a real stderr for multiprocessing's resource tracker, a lower
priority, and an exit when its parent is gone."""

from __future__ import annotations

import os
import sys

BACKGROUND_NICE = 10  # niceness of the parse and index worker processes


def ensure_resource_tracker() -> None:
    """Start multiprocessing's resource tracker with a real stderr.

    The tracker hands ``sys.stderr.fileno()`` to its child process; inside
    the Textual app ``sys.stderr`` is a capture object whose ``fileno()`` is
    -1, so the first pool or queue dies with "bad value(s) in fds_to_keep"
    and the reader crashed on any library big enough to parse in parallel.
    """
    try:
        if sys.stderr is not None and sys.stderr.fileno() >= 0:
            return
    except (AttributeError, OSError, ValueError):
        pass
    real = sys.__stderr__
    if real is None:
        return
    from multiprocessing import resource_tracker

    saved = sys.stderr
    sys.stderr = real
    try:
        resource_tracker.ensure_running()
    except (OSError, ValueError):
        pass
    finally:
        sys.stderr = saved


def background_priority() -> None:
    """In a worker process: yield the CPU to the reader's own process, so
    keys, paints and the newest day's indexing stay quick on a busy
    machine while the rest of the library is parsed or indexed; and end
    with the process that started it (:func:`watch_parent`)."""
    try:
        os.nice(BACKGROUND_NICE)
    except (AttributeError, OSError):
        pass  # no nice() here (Windows) or not allowed: run at normal priority
    watch_parent()


def watch_parent() -> None:
    """In a worker process: exit at once when the process that started it
    is gone (``kill -9`` of ``tui-reader index``, a closed terminal), so no
    worker (nor multiprocessing's resource tracker, which lives as long as
    any of them) keeps writing into the index for minutes.  The parent is
    the one multiprocessing knows (its pid and sentinel come from the
    parent itself): a worker still starting up when its parent died would
    otherwise take init for its parent and watch it for ever."""
    import multiprocessing
    import threading

    parent = multiprocessing.parent_process()
    if parent is None:
        return  # not a multiprocessing child
    if os.getppid() != parent.pid:
        os._exit(1)  # already gone

    def watch() -> None:
        from multiprocessing.connection import wait

        wait([parent.sentinel])  # readable once the parent has ended
        os._exit(1)

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()
