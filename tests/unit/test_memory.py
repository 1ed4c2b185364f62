"""The library is built without garbage-collection pauses and then frozen
out of the collector's sight (core.memory)."""

from __future__ import annotations

import gc
import threading
import traceback
import weakref

from tui_reader.core.loader import load_library
from tui_reader.core.memory import long_lived, paused, release


class Node:
    pass


def test_long_lived_pauses_collection_then_freezes_what_is_left():
    release()
    assert gc.isenabled() and gc.get_freeze_count() == 0
    try:
        with long_lived():
            assert not gc.isenabled()
            kept = [[number] for number in range(5000)]
            looped = Node()
            looped.itself = looped  # garbage in a cycle, made meanwhile
            gone = weakref.ref(looped)
            del looped
            assert gone() is not None  # no collection yet
        assert gc.isenabled()
        assert gone() is None  # collected once at the end, not frozen in
        assert gc.get_freeze_count() >= len(kept)
        release()
        assert gc.get_freeze_count() == 0
    finally:
        release()
        gc.enable()


def test_long_lived_blocks_in_two_threads_end_together():
    release()
    inside = threading.Event()
    leave = threading.Event()

    def other_load() -> None:
        with long_lived():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other_load)
    try:
        with long_lived():
            thread.start()
            assert inside.wait(5)
        assert not gc.isenabled()  # the other thread's block is still open
        assert gc.get_freeze_count() == 0
        leave.set()
        thread.join(5)
        assert gc.isenabled() and gc.get_freeze_count() > 0
    finally:
        leave.set()
        thread.join(5)
        release()
        gc.enable()


def test_a_collector_turned_off_stays_off():
    gc.disable()
    try:
        with long_lived():
            pass
        assert not gc.isenabled()
    finally:
        release()
        gc.enable()


def test_paused_resumes_without_freezing():
    release()
    try:
        with paused():
            assert not gc.isenabled()
        assert gc.isenabled() and gc.get_freeze_count() == 0
    finally:
        gc.enable()


def test_a_paused_block_inside_long_lived_leaves_the_freeze_to_it():
    release()
    try:
        with long_lived():
            with paused():
                pass
            assert not gc.isenabled()
            kept = [[number] for number in range(2000)]
        assert gc.isenabled() and gc.get_freeze_count() >= len(kept)
    finally:
        release()
        gc.enable()


def test_a_load_runs_no_collection(embedded_samples):
    """Every load, a command's too: at 100,000 papers the collector's
    passes over the growing library doubled a warm read (2.0 -> 0.9 s)."""
    collections = []

    def count(phase, info):
        if phase == "start":
            frames = traceback.walk_stack(None)
            collections.append(any(frame.f_code.co_name == "_load_library" for frame, _ in frames))

    thresholds = gc.get_threshold()
    gc.set_threshold(10, 1, 1)  # collect all the time, were it allowed to
    gc.callbacks.append(count)
    try:
        library = load_library([embedded_samples], parallel=False)
        during = list(collections)
        [[number] for number in range(1000)]  # after it, the collector is back
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*thresholds)
    assert library.papers and not any(during)  # none while the loader ran
    assert len(collections) > len(during) and gc.isenabled() and gc.get_freeze_count() == 0
