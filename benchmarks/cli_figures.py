"""run.py's command-line figures (issue 27): `tui-reader check` cold and
warm, and cold on the library's Markdown files alone (MB/s);
`tui-reader search` as a whole process per kind of query, beside `grep
-ril` over the same folder; `tui-reader index` cold, its wall time and
its peak RSS.  Each command runs in a fresh process of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from benchmarks.bench_env import NA, REPO, Context, Env, _index_env, cli_argv, median

# One query a kind, as `tui-reader search` takes them (issue 27: plain,
# phrase, author, Chinese and facet queries within 0.2 s); the word that
# `grep -ril` looks for beside the plain one.
SEARCH_KINDS = [
    ("plain", "diffusion"),
    ("phrase", '"mixture of experts"'),
    ("author", "author:Wang"),
    ("chinese", "扩散模型"),
    ("facet", "has:code"),
    ("facet_stars", "stars:>100"),
]
GREP_WORD = "diffusion"


def timed(argv: list[str], env: Env, timeout: float = 1800) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run ``argv``; (wall seconds, peak RSS in MB, the finished process).
    The RSS is wait4's for the child: the largest of it and the children it
    waited for (an index's worker processes)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=REPO, env=env.vars, stdout=out, stderr=err, text=True)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                os.wait4(proc.pid, 0)
                raise NA(f"timed out after {timeout:.0f} s: {' '.join(argv[-3:])}")
            time.sleep(0.002)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        done = subprocess.CompletedProcess(argv, proc.returncode, out.read(), err.read())
    return wall, usage.ru_maxrss / 1024, done


def measure_check(ctx: Context) -> None:
    cold, warm = [], []
    for _ in range(ctx.repeats):
        env = Env(ctx.base, ctx.library)
        try:
            for bucket in (cold, warm):
                bucket.append(_check(env))
        finally:
            env.close()
    ctx.figures["check_cold_s"] = median(cold)
    ctx.figures["check_warm_s"] = median(warm)
    ctx.details["check_runs"] = {"cold": cold, "warm": warm}


def _check(env: Env) -> float:
    wall, _rss, proc = timed([*cli_argv(), "check", str(env.library), "--json"], env)
    if proc.returncode not in (0, 1) or not proc.stdout.strip().startswith("{"):
        raise NA(f"check failed (exit {proc.returncode}): {proc.stderr.strip()[-200:]}")
    return wall


def measure_check_markdown(ctx: Context) -> None:
    """A cold `tui-reader check` of the library's Markdown files alone."""
    rates, times = [], []
    for _ in range(ctx.repeats):
        env = Env(ctx.base, ctx.library, "*.md")
        try:
            size = _linked_mb(env.library)
            if not size:
                raise NA("the library has no *.md files")
            seconds = _check(env)
        finally:
            env.close()
        times.append(seconds)
        rates.append(size / seconds)
    ctx.figures["check_md_cold_s"] = median(times)
    ctx.figures["check_md_mb_s"] = median(rates)
    ctx.details["check_md_mb"] = size


def _linked_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.iterdir()) / 1e6


def measure_search_cli(ctx: Context) -> None:
    """`tui-reader search QUERY --json` on the built index, each kind of
    query warm (the first call of each is left out), and `grep -ril` over
    the same folder."""
    env = _index_env(ctx)
    every: list[float] = []
    for kind, query in SEARCH_KINDS:
        times = []
        for n in range(ctx.repeats + 1):
            wall, rss, proc = timed([*cli_argv(), "search", query, str(env.library), "--json"], env, 600)
            if proc.returncode != 0 or not proc.stdout.strip().startswith("["):
                raise NA(f"search failed (exit {proc.returncode}): {proc.stderr.strip()[-200:]}")
            if n:
                times.append(wall)
        ctx.figures[f"search_{kind}_s"] = median(times)
        every.extend(times)
    ctx.figures["search_cli_s"] = max(ctx.figures[f"search_{kind}_s"] for kind, _ in SEARCH_KINDS)
    ctx.details["search_cli_runs"] = every
    grep = shutil.which("grep")
    if grep is None:
        ctx.figures["grep_s"] = "n/a: no grep"
        return
    times = []
    for _ in range(ctx.repeats):
        wall, _rss, _proc = timed([grep, "-ril", GREP_WORD, str(ctx.library)], env, 600)
        times.append(wall)
    ctx.figures["grep_s"] = median(times)
    ctx.figures["grep_over_search"] = median(times) / ctx.figures["search_plain_s"]


def measure_index_cli(ctx: Context) -> None:
    """A cold `tui-reader index` as a user runs it: wall time (loading
    included) and the peak RSS of its largest process."""
    env = Env(ctx.base, ctx.library)
    try:
        wall, rss, proc = timed([*cli_argv(), "index", str(env.library)], env, 3600)
        if proc.returncode != 0:
            raise NA(f"index failed (exit {proc.returncode}): {proc.stderr.strip()[-200:]}")
    finally:
        env.close()
    ctx.figures["index_cli_s"] = wall
    ctx.figures["index_cli_rss_mb"] = rss
    ctx.details["index_cli_output"] = (proc.stdout + proc.stderr).strip()[-300:]
