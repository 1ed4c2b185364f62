"""Wait for a condition instead of a fixed pause: the suite must hold on a
loaded CI machine, where a worker thread or a timer can take a while."""

from __future__ import annotations

import time


async def until(pilot, predicate, seconds: float = 15.0, step: float = 0.02) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        await pilot.pause(step)
    return bool(predicate())


async def select(pilot, screen, paper_id: str) -> None:
    """Highlight ``paper_id`` and wait until the detail view shows it."""
    assert screen.paper_list.select_id(paper_id)
    assert await until(pilot, lambda: screen.detail.paper is not None and screen.detail.paper.id == paper_id)


def alive(pid: int) -> bool:
    """Whether process ``pid`` runs (a zombie does not count)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False
