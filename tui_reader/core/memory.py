"""Keeping Python's cyclic garbage collector off the library.

A library of 40,000 papers is about 300,000 containers that the collector
tracks, and each full collection examines every one of them: 80-100 ms with
the GIL held, during which no key is handled and nothing is painted.  A load
that grows the heap that much sets off a dozen such collections.

The library lives as long as the session, and what it is made of holds no
reference cycles (reference counting frees it), so while a library is being
built the collector waits (``paused``: every load, the commands' too; a
warm read of 100,000 papers took 2.0 s with it and 0.9 s without), and in
the reader, at the end, it runs once and everything still alive is frozen
(``long_lived`` and ``gc.freeze``): later collections skip it.
``release()`` hands the frozen objects back to the collector when the
reader closes.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0  # paused() and long_lived() blocks under way, in any thread
_was_enabled = True
_freeze = False  # a long_lived() block was among them


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside; the collector resumes as it was when the last
    block in any thread ends (with ``long_lived``'s collection and freeze
    if one of them was that)."""
    global _depth, _was_enabled, _freeze
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0:
                if _freeze:
                    _freeze = False
                    gc.collect()  # the garbage cycles made meanwhile, before they are frozen in
                    gc.freeze()
                if _was_enabled:
                    gc.enable()


@contextmanager
def long_lived() -> Iterator[None]:
    """Build what the session keeps (a library, its views) inside: no
    collection meanwhile; one at the end, then what is left is frozen."""
    global _freeze
    with _lock:
        _freeze = True
    with paused():
        yield


def release() -> None:
    """Give what ``long_lived`` froze back to the collector."""
    gc.unfreeze()
