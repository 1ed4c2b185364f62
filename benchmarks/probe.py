"""The child side of benchmarks/run.py: each measurement runs here, in a fresh
process, and prints exactly one JSON object on its last stdout line.

    python -m benchmarks.probe read    LIB...           load_library timing
    python -m benchmarks.probe index   LIB...           cold/incremental index update
    python -m benchmarks.probe queries LIB... --queries JSON
    python -m benchmarks.probe app     LIB... [--mode warm|cold] [--search WORD]

The cache, data and config folders come from XDG_* (run.py isolates them).
A part of the app that is not there yet gives ``{"na": "<reason>"}``.
Only public tools: time.perf_counter, resource.getrusage and /proc.

``BENCH_T0`` in the environment is the parent's ``time.perf_counter()`` just
before it started this process (CLOCK_MONOTONIC is shared by all processes
on Linux), so "since process start" includes interpreter start and imports.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import inspect
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

T_START = time.perf_counter()
T0 = float(os.environ.get("BENCH_T0", T_START))


class NotAvailable(Exception):
    """The part of the app a figure needs is not there (yet)."""


def since_start() -> float:
    return time.perf_counter() - T0


def peak_rss_mb() -> float:
    """Peak resident set size of this process (VmHWM, else ru_maxrss)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def emit(obj: dict) -> None:
    sys.stdout.write("\n" + json.dumps(obj) + "\n")
    sys.stdout.flush()


def cache_dir() -> Path:
    from tui_reader.core import paths

    directory = paths.cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def search_index_class():
    """The index's public class, as the UI imports it."""
    try:
        module = importlib.import_module("tui_reader.core.index")
    except ImportError as error:
        raise NotAvailable(f"search index not importable ({error})") from None
    cls = getattr(module, "SearchIndex", None)
    if cls is None:
        raise NotAvailable("tui_reader.core.index has no SearchIndex yet")
    return cls


def call_search(index, query: str):
    """``index.search`` the way the UI calls it, with only the keywords the
    current signature accepts."""
    wanted = {"as_you_type": True, "limit": 2000, "state": None}
    try:
        params = inspect.signature(index.search).parameters
        kwargs = {k: v for k, v in wanted.items() if k in params}
    except (TypeError, ValueError):
        kwargs = {}
    return index.search(query, **kwargs)


def result_count(result) -> int | None:
    ids = getattr(result, "ids", None)
    return None if ids is None else len(ids)


# --- read -----------------------------------------------------------------------------


def probe_read(paths: list[str], use_cache: bool) -> dict:
    from tui_reader.core.loader import load_library

    imported = since_start()
    started = time.perf_counter()
    library = load_library(paths, cache_dir() if use_cache else None)
    seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "since_start": since_start(),
        "import_seconds": imported,
        "bytes": sum(f.size for f in library.files),
        "files": len(library.files),
        "cached_files": library.cached_files,
        "papers": len(library.papers),
        "entries": library.entries,
        "problems": len(library.problems),
        "rss_mb": peak_rss_mb(),
    }


# --- index ----------------------------------------------------------------------------


def probe_index(paths: list[str]) -> dict:
    cls = search_index_class()
    from tui_reader.core.loader import load_library

    library = load_library(paths, cache_dir())
    loaded = since_start()
    started = time.perf_counter()
    index = cls.open(library.key, cache_dir())
    opened = time.perf_counter() - started
    report = index.update(library)
    seconds = time.perf_counter() - started
    out = {
        "seconds": seconds,
        "open_seconds": opened,
        "load_seconds": loaded,
        "papers": len(library.papers),
        "rss_mb": peak_rss_mb(),
    }
    for name in ("added", "updated", "removed", "indexed", "changed", "unchanged"):
        value = getattr(report, name, None)
        if isinstance(value, (int, float)):
            out["report_" + name] = value
        elif isinstance(value, (list, tuple, set, dict)):
            out["report_" + name] = len(value)
    close = getattr(index, "close", None)
    if callable(close):
        close()
    return out


def probe_queries(paths: list[str], queries: list[dict], repeats: int) -> dict:
    cls = search_index_class()
    from tui_reader.core.loader import load_library

    library = load_library(paths, cache_dir())
    index = cls.open(library.key, cache_dir())
    if getattr(index, "update", None) is not None:
        index.update(library)  # normally a no-op: run.py indexed already
    times: list[float] = []
    per_query: list[dict] = []
    for item in queries:
        query = item["query"]
        samples = []
        result = None
        error = None
        for _ in range(repeats):
            started = time.perf_counter()
            try:
                result = call_search(index, query)
            except Exception as exc:  # noqa: BLE001 - report, do not stop the run
                error = f"{type(exc).__name__}: {exc}"
                break
            samples.append(time.perf_counter() - started)
        if error is None:
            error = getattr(result, "error", None) or None
        times.extend(samples[1:] or samples)  # the first run warms the searcher
        per_query.append({
            "kind": item["kind"], "query": query, "hits": result_count(result),
            "median_ms": statistics.median(samples) * 1000 if samples else None,
            "first_ms": samples[0] * 1000 if samples else None, "error": error,
        })
    times.sort()
    return {
        "p50_ms": percentile(times, 50) * 1000,
        "p95_ms": percentile(times, 95) * 1000,
        "max_ms": times[-1] * 1000,
        "count": len(times),
        "queries": per_query,
        "rss_mb": peak_rss_mb(),
    }


def percentile(sorted_values: list[float], pct: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * pct / 100
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


# --- the app ----------------------------------------------------------------------------


class Frames:
    """Hooks the paint path: the paper list rendering a row that holds a
    paper, and the app handing a finished frame to the (headless) driver."""

    def __init__(self) -> None:
        self.row_times: list[tuple[float, int]] = []  # (time, row index) of paper rows rendered
        self.frames: list[float] = []  # times a frame was displayed
        self.first_paint: float | None = None  # first frame after a paper row rendered
        self.list_sets: list[tuple[float, str]] = []  # (time, search query) the list got new rows

    def install(self) -> None:
        from textual.app import App

        from tui_reader.ui.widgets.paper_list import PaperList

        frames = self
        original_render_line = PaperList.render_line
        original_display = App._display

        def render_line(widget, y):
            strip = original_render_line(widget, y)
            index = int(widget.scroll_y) + y
            if index < len(widget.papers):
                frames.row_times.append((time.perf_counter(), index))
            return strip

        def display(app, screen, renderable):
            result = original_display(app, screen, renderable)
            if renderable is not None:
                now = time.perf_counter()
                frames.frames.append(now)
                if frames.first_paint is None and frames.row_times:
                    frames.first_paint = now
            return result

        original_set_papers = PaperList.set_papers

        def set_papers(widget, *args, **kwargs):
            frames.list_sets.append((time.perf_counter(), shown_query(widget.screen)))
            return original_set_papers(widget, *args, **kwargs)

        PaperList.render_line = render_line
        PaperList.set_papers = set_papers
        App._display = display

    def frame_after(self, t: float, row: int | None = None) -> float | None:
        """The first displayed frame after ``t`` (that rendered ``row``)."""
        if row is not None:
            rendered = [rt for rt, index in self.row_times if rt >= t and index == row]
            if not rendered:
                return None
            t = rendered[0]
        for frame in self.frames:
            if frame >= t:
                return frame
        return None


def shown_query(screen) -> str:
    """The query whose results the screen is about to show (the main
    screen's search state; ``search_query`` before the screen was split)."""
    search = getattr(getattr(screen, "panes", None), "search", None)
    if search is not None:
        return search.query or ""
    return getattr(screen, "search_query", "")


def status_text(screen) -> str:
    """The status line as shown (``_status_line`` before the screen was split)."""
    status = getattr(getattr(screen, "panes", None), "status", None)
    if status is not None:
        return status.text
    return getattr(screen, "_status_line", "")


async def wait_for(predicate, timeout: float, step: float = 0.002) -> bool:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if predicate():
            return True
        await asyncio.sleep(step)
    return predicate()


async def press_j(pilot, screen, frames: Frames, count: int, while_indexing: bool | None) -> list[float]:
    """Press j ``count`` times; each latency is key to the frame that shows
    the cursor on the next row.  ``while_indexing`` True keeps only presses
    made while the index is still building."""
    paper_list = screen.paper_list
    latencies = []
    for _ in range(count):
        if while_indexing and screen.panes.lib.index_ready:
            break
        if paper_list.cursor >= len(paper_list.papers) - 1:
            break
        target = paper_list.cursor + 1
        started = time.perf_counter()
        await pilot.press("j")
        if await wait_for(lambda started=started, target=target: frames.frame_after(started, target) is not None, 2.0):
            latencies.append(frames.frame_after(started, target) - started)
        await asyncio.sleep(0.03)  # let the detail view's timer fire between presses
    return latencies


async def day_and_triage(pilot, screen, frames: Frames, presses: int) -> dict:
    """The biggest day's digest: ``j`` repaints there, then triage's skip
    key to the frame that shows the next paper (issue 14)."""
    out: dict = {}
    panes = getattr(screen, "panes", None)  # the split main screen; before it, the screen itself
    view = panes.lib.view if panes is not None else getattr(screen, "view", None)
    go_to = getattr(panes if panes is not None else screen, "go_to", None)
    if view is None or not getattr(view, "days", None) or go_to is None:
        return {"day_na": "no day views in this version"}
    day = max(view.days, key=lambda d: len(view.by_day[d]))
    go_to(f"day:{day}")
    await pilot.pause(0.2)
    out["day_papers"] = len(screen.paper_list.papers)
    j = await press_j(pilot, screen, frames, presses, while_indexing=False)
    out["j_day_ms"] = [x * 1000 for x in j]
    try:
        from tui_reader.ui.screens.triage import TriageScreen
    except ImportError:
        out["triage_na"] = "no triage mode in this version"
        return out
    screen.paper_list.move_to(0)
    await pilot.pause(0.05)
    await pilot.press("v")
    if not await wait_for(lambda: isinstance(pilot.app.screen, TriageScreen), 5.0):
        out["triage_na"] = "triage did not open"
        return out
    triage = pilot.app.screen
    await pilot.pause(0.1)
    painted: list[float] = []
    original = triage.paint

    def paint() -> None:
        original()
        painted.append(time.perf_counter())

    triage.paint = paint
    latencies = []
    for _ in range(presses):
        if triage.session.done:
            break
        started = time.perf_counter()
        position = triage.session.position
        await pilot.press("n")

        def shown(position: int = position, started: float = started) -> bool:
            return triage.session.position > position and bool(painted) and painted[-1] >= started \
                and frames.frame_after(painted[-1]) is not None

        if await wait_for(shown, 2.0):
            latencies.append(frames.frame_after(painted[-1]) - started)
        await asyncio.sleep(0.03)
    out["triage_ms"] = [x * 1000 for x in latencies]
    await pilot.press("escape")
    await pilot.pause(0.1)
    return out


async def type_search(pilot, screen, frames: Frames, word: str) -> dict:
    """Type ``word`` into the search box one key at a time; the latency is
    from the last key to the frame that shows its results."""
    screen.action_search()
    await pilot.pause()
    key_times = []
    for char in word:
        key_times.append(time.perf_counter())
        await pilot.press(char)
    last = key_times[-1]
    shown = await wait_for(
        lambda: screen.panes.search.query == word and screen.panes.search.result is not None, 5.0)
    if not shown:
        message = getattr(screen.search_bar, "_message", None)
        return {"na": f"no results shown within 5 s of the last key ({message or 'no message'})"}
    # Pilot's press() returns only once the app is idle (after the search
    # ran): time from the last key to the first frame after the list got
    # the results of the whole word, not to when press() returned.
    done = next((t for t, query in frames.list_sets if t >= last and query == word), time.perf_counter())
    await wait_for(lambda: frames.frame_after(done) is not None, 2.0)
    frame = frames.frame_after(done)
    ids = getattr(screen.panes.search.result, "ids", None)
    out = {"latency_ms": ((frame or done) - last) * 1000, "hits": None if ids is None else len(ids),
           "typed_ms": (last - key_times[0]) * 1000}
    await pilot.press("escape")
    await pilot.pause()
    screen.paper_list.focus()
    await pilot.pause()
    return out


async def run_app(paths: list[str], mode: str, search: str, presses: int, size: tuple[int, int],
                  newest_query: str | None, typing_early: bool = False) -> dict:
    frames = Frames()
    try:
        from tui_reader.ui.factory import make_app
    except ImportError as error:
        raise NotAvailable(f"UI factory not importable ({error})") from None
    frames.install()
    app = make_app(paths=paths)
    out: dict = {"mode": mode}
    async with app.run_test(size=size) as pilot:
        screen = app.main_screen
        painted = await wait_for(lambda: frames.first_paint is not None, 120.0, 0.001)
        if not painted:
            raise NotAvailable("the paper list showed no rows within 120 s")
        out["first_paint_s"] = frames.first_paint - T0
        out["first_paint_in_process_s"] = frames.first_paint - T_START
        out["papers"] = len(screen.panes.lib.library.papers) if screen.panes.lib.library else None
        out["rss_first_paint_mb"] = peak_rss_mb()
        has_index = importlib.util.find_spec("tui_reader.core.index") is not None

        if typing_early:
            # Type a query as soon as the list shows, while the index builds.
            indexing = has_index and not screen.panes.lib.index_ready
            if not has_index:
                out["search"] = {"na": "no search index module yet"}
            else:
                result = await type_search(pilot, screen, frames, search)
                result["while_indexing"] = indexing
                out["search"] = result
            out["rss_mb"] = peak_rss_mb()
            await pilot.press("q")
            return out

        if mode == "cold":
            # When does a query for the newest day answer with results?  Asked
            # every 50 ms from the first paint on, while the keys below are pressed.
            async def newest_searchable() -> None:
                if not (newest_query and has_index):
                    return
                deadline = time.perf_counter() + 300
                while time.perf_counter() < deadline:
                    index = screen.panes.lib.index
                    if index is not None:
                        try:
                            result = await asyncio.to_thread(call_search, index, newest_query)
                        except Exception:  # noqa: BLE001
                            result = None
                        if getattr(result, "ids", None):
                            out["newest_day_searchable_s"] = since_start()
                            return
                    await asyncio.sleep(0.05)

            # The status line until the index is ready: the longest time it
            # showed one text (a frozen figure), and the phases it named.
            status_log: list[tuple[float, str]] = []

            async def status_watch() -> None:
                deadline = time.perf_counter() + 600
                while time.perf_counter() < deadline:
                    line = status_text(screen)
                    if not status_log or status_log[-1][1] != line:
                        status_log.append((time.perf_counter(), line))
                    if screen.panes.lib.index_ready or not has_index:
                        status_log.append((time.perf_counter(), "<ready>"))
                        return
                    await asyncio.sleep(0.02)

            status_task = asyncio.create_task(status_watch())
            watcher = asyncio.create_task(newest_searchable())
            # Keys while the index builds (when it still is).
            if has_index and not screen.panes.lib.index_ready:
                j = await press_j(pilot, screen, frames, presses, while_indexing=True)
                out["j_while_indexing_ms"] = [x * 1000 for x in j]
            await watcher
        if has_index:
            ok = await wait_for(lambda: screen.panes.lib.index_ready
                                or screen.panes.status.get("index") == "search unavailable", 600.0, 0.01)
            out["index_ready_s"] = since_start() if ok and screen.panes.lib.index_ready else None
            if not screen.panes.lib.index_ready:
                out["index_status"] = screen.panes.status.get("index")
            if mode == "cold":
                status_task.cancel()
                if len(status_log) > 1:
                    spans = [(b[0] - a[0], a[1]) for a, b in zip(status_log, status_log[1:])]
                    longest = max(spans)
                    out["status_frozen_s"] = longest[0]
                    out["status_frozen_text"] = longest[1]
                    out["status_changes"] = len(status_log)
                    out["status_samples"] = [text for _, text in status_log[:: max(1, len(status_log) // 12)]]
        if mode == "warm" or screen.panes.lib.index_ready or not has_index:
            j = await press_j(pilot, screen, frames, presses, while_indexing=False)
            out["j_ms"] = [x * 1000 for x in j]
        if mode == "warm":
            out.update(await day_and_triage(pilot, screen, frames, presses))
        if search and screen.panes.lib.index is not None:
            out["search"] = await type_search(pilot, screen, frames, search)
        elif search:
            out["search"] = {"na": "search index not available in the app: "
                                   + str(screen.panes.status.get("index") or "no index")}
        out["rss_mb"] = peak_rss_mb()
        await pilot.press("q")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("read", "index", "queries", "app"))
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--no-cache", action="store_true")
    parser.add_argument("--queries", default="[]")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--mode", default="warm", choices=("warm", "cold"))
    parser.add_argument("--search", default="")
    parser.add_argument("--newest-query", default="")
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--typing-early", action="store_true")
    args = parser.parse_args(argv)
    try:
        if args.what == "read":
            out = probe_read(args.paths, not args.no_cache)
        elif args.what == "index":
            out = probe_index(args.paths)
        elif args.what == "queries":
            out = probe_queries(args.paths, json.loads(args.queries), args.repeats)
        else:
            out = asyncio.run(run_app(args.paths, args.mode, args.search, args.presses, (160, 48),
                                      args.newest_query or None, args.typing_early))
    except NotAvailable as reason:
        out = {"na": str(reason)}
    emit(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
