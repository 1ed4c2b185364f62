"""Figures for issue 30 (printed, never asserted): what the change log costs
on every change, and what a sync of a heavy reader's state costs.

    .venv/bin/python -m benchmarks.sync_bench [--reads 25000] [--bookmarks 500]

A heavy reader: 25,000 read marks, 500 bookmarks with two tags and a note
each.  Measured: marking them read with and without the change log's
triggers, the first sync (every entry sent, to a local bare git remote),
a second device taking all of it in, and a sync with nothing new."""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

from tui_reader.core.model import Paper
from tui_reader.core.state import StateStore
from tui_reader.core.sync import sync


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    print(f"{label:<52} {time.perf_counter() - started:7.3f} s")
    return result


def fill(store: StateStore, reads: int, bookmarks: int) -> None:
    store.mark_read([f"2601.{i:05d}" for i in range(reads)])
    for i in range(bookmarks):
        pid = f"2602.{i:05d}"
        store.add_bookmark(Paper(id=pid, title=f"Paper {i} " + "word " * 20, authors=["A. Author"] * 5,
                                 abstract="An abstract. " * 80, abs_url=f"https://arxiv.org/abs/{pid}"))
        store.set_tags(pid, ["ml", f"topic{i % 7}"])
        store.set_note(pid, f"note {i}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reads", type=int, default=25000)
    parser.add_argument("--bookmarks", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        for name in ("plain", "a", "b"):
            (base / name).mkdir()
        plain = StateStore.open(base / "plain" / "state.sqlite3")
        for (name,) in plain._conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            plain._conn.execute(f"DROP TRIGGER {name}")
        timed(f"mark {args.reads} read, no change log", lambda: plain.mark_read(
            [f"2601.{i:05d}" for i in range(args.reads)]))
        a = StateStore.open(base / "a" / "state.sqlite3")
        timed(f"mark {args.reads} read, with the change log", lambda: a.mark_read(
            [f"2603.{i:05d}" for i in range(args.reads)]))
        timed(f"+ {args.bookmarks} bookmarks, 2 tags and a note each", lambda: fill(a, 0, args.bookmarks))
        remote = str(base / "remote.git")
        subprocess.run(["git", "init", "--quiet", "--bare", remote], check=True)
        report = timed("first sync (every entry sent)", lambda: sync(a, remote))
        print(f"    {report.message}")
        segment = sum(p.stat().st_size for p in (base / "a" / "sync").rglob("*.jsonl"))
        print(f"    log on the remote: {segment / 1e6:.1f} MB")
        b = StateStore.open(base / "b" / "state.sqlite3")
        report = timed("another device takes it all in", lambda: sync(b, remote))
        print(f"    {report.message}")
        timed("a sync with nothing new", lambda: sync(b, remote))
        a.mark_read(["2609.00001"])
        timed("one change sent", lambda: sync(a, remote))
        timed("one change taken in", lambda: sync(b, remote))


if __name__ == "__main__":
    main()
