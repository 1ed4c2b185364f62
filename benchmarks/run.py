"""Measure tui_reader on synthetic libraries of growing size, or on any
folder such as a real data branch (issues 6, 18, 27).

    python benchmarks/run.py [--papers 1000 10000 75000] [--large] [--library DIR]
                             [--repeats 3] [--only read,index,...] [--json]

The libraries have the shape of a fork's data branch (benchmarks/generate.py,
FORMATS.md §3); 75,000 papers is one real branch, --large adds 150,000.
``--library DIR`` (or ``--path``) measures an existing folder instead: the
producer's real ``data`` branch extracted with ``git archive``.

Each size is generated once into benchmarks/out/ (git-ignored) and reused.
Every measurement runs in a fresh subprocess (benchmarks/probe.py, or the
command itself) with its own XDG_CACHE_HOME / XDG_DATA_HOME /
XDG_CONFIG_HOME, so "cold" means an empty parse cache and no index, and
"warm" means a second start on what the first one left.  A figure whose
part of the app is not there yet reads "n/a: <reason>".  Times are
medians over --repeats runs: machines here are shared and noisy.  No
figure is ever asserted.

Figures (see FIGURES below): cold/warm read; `tui-reader check` cold/warm,
and cold on the Markdown files alone (MB/s); `tui-reader search --json` as
a whole process for plain, phrase, author, Chinese and facet queries,
beside `grep -ril`; the cache folder's size against the library's (and
its parts); cold index build and papers/s, and a cold `tui-reader index`
with its peak RSS; incremental index of one new day; query p50/p95 over a
fixed mix; warm start to the newest day's rows and the first query typed
then; cold start to first rows, to the newest day searchable and to the
whole index ready; the reader's peak RSS; `j` repaint and
search-as-you-type latency, idle and while the index builds.  The last
table column is the growth from the smallest to the largest size divided
by the growth in papers: <= 1 means at most linear.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(REPO))

from benchmarks.bench_env import (  # noqa: E402
    NA,
    Context,
    Env,
    _index_env,
    folder_mb,
    log,
    machine_speed,
    median,
    p95,
    probe,
)
from benchmarks.cli_figures import (  # noqa: E402
    SEARCH_KINDS,
    measure_check,
    measure_check_markdown,
    measure_index_cli,
    measure_search_cli,
)
from benchmarks.generate import GENERATOR_VERSION, MANIFEST, generate_library  # noqa: E402

OUT = REPO / "benchmarks" / "out"
DEFAULT_SIZES = [1000, 10000, 75000]
LARGE_SIZE = 150000
HUGE_SIZE = 300000  # four forks' worth (issue 27, point 3)
TARGET_SIZE = 75000  # the targets (issues 18, 27) apply here: one real data branch


# --- figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    kind: str = "cost"  # "cost" grows with size (time, memory); "rate" is per-second throughput
    target: float | None = None  # issue 27's target (18's where 27 has none) at TARGET_SIZE papers
    better: str = "le"  # the target is an upper ("le") or lower ("ge") bound
    target_large: float | None = None  # the target at LARGE_SIZE, where it differs
    target_huge: float | None = None  # the target at HUGE_SIZE (issue 27: four forks' worth), where it differs


FIGURES: list[Figure] = [
    Figure("read_cold_s", "cold read (load_library, empty cache)", "s"),
    Figure("read_cold_mb_s", "cold read throughput", "MB/s", kind="rate"),
    Figure("read_warm_s", "warm read (load_library, cached)", "s"),
    Figure("check_cold_s", "`tui-reader check --json`, empty cache", "s"),
    Figure("check_warm_s", "`tui-reader check --json`, warm cache", "s", target=0.5),
    Figure("check_md_cold_s", "`tui-reader check`, the Markdown files alone, cold", "s"),
    Figure("check_md_mb_s", "`tui-reader check`, Markdown alone, cold", "MB/s", kind="rate", target=40.0,
           better="ge"),
    Figure("search_cli_s", "`tui-reader search QUERY --json`, slowest kind", "s", target=0.2, target_huge=0.3),
    Figure("search_plain_s", "  search: plain (diffusion)", "s", target=0.2, target_huge=0.3),
    Figure("search_phrase_s", '  search: phrase ("mixture of experts")', "s", target=0.2, target_huge=0.3),
    Figure("search_author_s", "  search: author (author:Wang)", "s", target=0.2, target_huge=0.3),
    Figure("search_chinese_s", "  search: Chinese (扩散模型)", "s", target=0.2, target_huge=0.3),
    Figure("search_facet_s", "  search: facet (has:code)", "s", target=0.2, target_huge=0.3),
    Figure("search_facet_stars_s", "  search: facet (stars:>100)", "s", target=0.2, target_huge=0.3),
    Figure("grep_s", "`grep -ril diffusion` over the folder", "s"),
    Figure("grep_over_search", "grep time / plain search time", "×", kind="rate", target=2.0, better="ge"),
    Figure("cache_mb", "cache folder (parse, library, index)", "MB"),
    Figure("cache_ratio", "cache folder / library size", "×", target=1.0),
    Figure("index_cold_s", "cold index build (update, library loaded)", "s"),
    Figure("index_papers_s", "cold index throughput", "papers/s", kind="rate"),
    Figure("index_cli_s", "cold `tui-reader index` (loading included)", "s"),
    Figure("index_cli_rss_mb", "cold `tui-reader index`, peak RSS (largest process)", "MB", target=300.0),
    Figure("index_incremental_s", "incremental index, one new day", "s", target=3.0),
    Figure("query_p50_ms", "query p50 (fixed mix)", "ms"),
    Figure("query_p95_ms", "query p95 (fixed mix)", "ms", target=30.0),
    Figure("warm_first_paint_s", "warm start to the newest day's rows", "s", target=0.5, target_huge=0.7),
    Figure("first_query_warm_ms", "first query typed right after a warm start", "ms", target=100.0),
    Figure("cold_first_paint_s", "cold start to first rows", "s", target=1.0),
    Figure("cold_newest_searchable_s", "cold start to newest day searchable", "s", target=5.0),
    Figure("cold_index_ready_s", "cold start to the whole index ready (in the app)", "s", target=45.0),
    Figure("status_frozen_s", "cold start: longest unchanged status", "s", target=5.0),
    Figure("rss_mb", "reader peak RSS, warm start (library loaded, index built)", "MB", target=250.0,
           target_large=400.0),
    Figure("rss_cold_mb", "reader peak RSS, cold start (reading, indexing)", "MB", target=250.0,
           target_large=400.0),
    Figure("j_ms", "`j` repaint, median (idle)", "ms", target=30.0),
    Figure("j_p95_ms", "`j` repaint, p95 (idle)", "ms", target=30.0),
    Figure("j_indexing_ms", "`j` repaint, median (index building)", "ms", target=30.0),
    Figure("j_indexing_p95_ms", "`j` repaint, p95 (index building)", "ms", target=30.0),
    Figure("j_day_ms", "`j` repaint in the biggest day's view, median", "ms", target=30.0),
    Figure("j_day_p95_ms", "`j` repaint in the biggest day's view, p95", "ms", target=30.0),
    Figure("triage_ms", "triage key to the next paper painted, median", "ms", target=50.0),
    Figure("triage_p95_ms", "triage key to the next paper painted, p95", "ms", target=50.0),
    Figure("type_ms", "search-as-you-type, last key to results (after keys)", "ms", target=100.0),
    Figure("type_indexing_ms", "search-as-you-type while indexing", "ms", target=100.0),
]
BY_KEY = {f.key: f for f in FIGURES}


# --- libraries and isolated environments --------------------------------------------------


def ensure_library(papers: int, seed: int) -> tuple[Path, Path, dict]:
    """The generated library of ``papers`` unique papers (and its "next
    day" folder), made once and reused while the generator is unchanged."""
    lib = OUT / f"lib-{papers}-s{seed}"
    nxt = OUT / f"lib-{papers}-s{seed}-next"
    manifest_path = lib / MANIFEST
    if manifest_path.exists() and nxt.is_dir():
        try:
            manifest = json.loads(manifest_path.read_text())
            if manifest.get("generator_version") == GENERATOR_VERSION and manifest.get("papers") == papers \
                    and manifest.get("seed") == seed:
                return lib, nxt, manifest
        except ValueError:
            pass
    shutil.rmtree(lib, ignore_errors=True)
    shutil.rmtree(nxt, ignore_errors=True)
    log(f"generating {papers} papers into {lib.relative_to(REPO)} …")
    manifest = generate_library(lib, papers=papers, seed=seed, extra_day_dir=nxt)
    log(f"  {manifest['days']} days, {manifest['bytes'] / 1e6:.0f} MB in {manifest['seconds']:.1f} s")
    return lib, nxt, manifest


# --- the query mix -----------------------------------------------------------------------------


def query_mix(manifest: dict) -> list[dict]:
    """A fixed mix over the generator's vocabulary: frequent and rare
    English words, Chinese words, author:, phrases, prefixes, fuzzy words,
    date ranges, and a few combinations."""
    first = manifest.get("first_date") or "2025-01-06"
    last = manifest.get("last_date") or first
    month = last[:7]
    queries = [
        ("english", "model"), ("english", "diffusion"), ("english", "transformer attention"),
        ("english", "holography"), ("english", "wormhole entropy"), ("english", "beamforming"),
        ("english", "networks"), ("chinese", "扩散模型"), ("chinese", "强化学习"), ("chinese", "黑洞"),
        ("chinese", "注意力机制 检索"), ("chinese", "图神经网络"), ("author", "author:Wang"),
        ("author", "author:Nguyen"), ("author", 'author:"Marc Weber"'), ("phrase", '"chain of thought"'),
        ("phrase", '"mixture of experts"'), ("phrase", '"gauge theory"'), ("prefix", "diffus*"),
        ("prefix", "quant*"), ("prefix", "gravit*"), ("fuzzy", "difusion~"), ("fuzzy", "transfromer~"),
        ("fuzzy", "superconformall~"), ("date", f"date:{first}..{last}"), ("date", f"date:{month}"),
        ("date", f"date:{last}"), ("combined", "cat:cs.LG attention"), ("combined", "diffusion NOT image"),
        ("combined", "title:graph OR title:图"),
    ]
    return [{"kind": kind, "query": query} for kind, query in queries]


# --- measurements ----------------------------------------------------------------------------


def measure_read(ctx: Context) -> None:
    cold, warm, mbs = [], [], []
    for _ in range(ctx.repeats):
        env = Env(ctx.base, ctx.library)
        try:
            first = probe(env, "read")
            second = probe(env, "read")
        finally:
            env.close()
        if first["problems"]:
            ctx.details["read_problems"] = first["problems"]
        cold.append(first["seconds"])
        warm.append(second["seconds"])
        mbs.append(first["bytes"] / 1e6 / first["seconds"])
        ctx.details["library_mb"] = first["bytes"] / 1e6
        ctx.details["entries"] = first["entries"]
        ctx.details["unique_papers"] = first["papers"]
    ctx.figures["read_cold_s"] = median(cold)
    ctx.figures["read_cold_mb_s"] = median(mbs)
    ctx.figures["read_warm_s"] = median(warm)


def measure_index(ctx: Context) -> None:
    env = Env(ctx.base, ctx.library)
    try:
        out = probe(env, "index")
    except NA:
        env.close()
        raise
    ctx.index_env = env
    # What a reader keeps beside the library: parse cache, library cache, index.
    cache = folder_mb(env.root / "cache")
    ctx.figures["cache_mb"] = cache
    library_mb = folder_mb(ctx.library)
    if library_mb:
        ctx.figures["cache_ratio"] = cache / library_mb
    ctx.details["cache_parts_mb"] = {p.name: folder_mb(p) for p in (env.root / "cache").glob("*/*") if p.is_dir()}
    ctx.details.setdefault("unique_papers", out["papers"])
    ctx.details.setdefault("library_mb", library_mb)
    ctx.figures["index_cold_s"] = out["seconds"]
    ctx.figures["index_papers_s"] = out["papers"] / out["seconds"]
    ctx.details["index"] = out


def measure_queries(ctx: Context) -> None:
    env = _index_env(ctx)
    out = probe(env, "queries", "--queries", json.dumps(query_mix(ctx.manifest)), "--repeats", "7")
    ctx.figures["query_p50_ms"] = out["p50_ms"]
    ctx.figures["query_p95_ms"] = out["p95_ms"]
    ctx.details["queries"] = out["queries"]
    errors = [q for q in out["queries"] if q.get("error")]
    if errors:
        ctx.details["query_errors"] = errors


def measure_app_warm(ctx: Context) -> None:
    env = ctx.index_env
    owned = env is None
    if owned:  # no index (yet): warm means a second start on the parse cache
        env = Env(ctx.base, ctx.library)
        probe(env, "read")
    try:
        paints, j, typed, rss, j_day, triage, day_papers = [], [], [], [], [], [], []
        for _ in range(ctx.repeats):
            out = probe(env, "app", "--mode", "warm", "--search", "diffusion", "--presses", "20")
            paints.append(out["first_paint_s"])
            j.extend(out.get("j_ms", [])[1:])  # the first press also focuses/paints the detail view
            rss.append(out["rss_mb"])
            j_day.extend(out.get("j_day_ms", [])[1:])
            triage.extend(out.get("triage_ms", [])[1:])  # the first decision also focuses the pane
            if "day_papers" in out:
                day_papers.append(out["day_papers"])
            search = out.get("search") or {}
            if "latency_ms" in search:
                typed.append(search["latency_ms"])
            elif "na" in search:
                ctx.figures["type_ms"] = "n/a: " + search["na"]
        ctx.figures["warm_first_paint_s"] = median(paints)
        ctx.figures["rss_mb"] = max(rss)
        if j:
            ctx.figures["j_ms"] = median(j)
            ctx.figures["j_p95_ms"] = p95(j)
        if typed:
            ctx.figures["type_ms"] = median(typed)
        if j_day:
            ctx.figures["j_day_ms"] = median(j_day)
            ctx.figures["j_day_p95_ms"] = p95(j_day)
            ctx.details["day_papers"] = day_papers
        if triage:
            ctx.figures["triage_ms"] = median(triage)
            ctx.figures["triage_p95_ms"] = p95(triage)
        ctx.details["warm_paints"] = paints
    finally:
        if owned:
            env.close()


def measure_app_cold(ctx: Context) -> None:
    last = ctx.manifest.get("last_date")
    paints, searchable, ready, j, rss, frozen = [], [], [], [], [], []
    notes = []
    for _ in range(ctx.repeats):
        env = Env(ctx.base, ctx.library)
        try:
            args = ["--mode", "cold", "--presses", "40", "--search", "diffusion"]
            if last:
                args += ["--newest-query", f"date:{last}"]
            out = probe(env, "app", *args, timeout=3600)
        finally:
            env.close()
        paints.append(out["first_paint_s"])
        rss.append(out["rss_mb"])
        if out.get("newest_day_searchable_s") is not None:
            searchable.append(out["newest_day_searchable_s"])
        if out.get("index_ready_s") is not None:
            ready.append(out["index_ready_s"])
        j.extend(out.get("j_while_indexing_ms", [])[1:])
        if out.get("index_status"):
            notes.append(out["index_status"])
        if out.get("status_frozen_s") is not None:
            frozen.append(out["status_frozen_s"])
            ctx.details.setdefault("status", []).append(
                {k: out.get(k) for k in ("status_frozen_s", "status_frozen_text", "status_changes", "status_samples")})
    ctx.figures["cold_first_paint_s"] = median(paints)
    if frozen:
        ctx.figures["status_frozen_s"] = median(frozen)
    reason = "n/a: " + (notes[0] if notes else "the app has no search index yet")
    ctx.figures["cold_newest_searchable_s"] = median(searchable) if searchable else reason
    ctx.figures["cold_index_ready_s"] = median(ready) if ready else reason
    if j:
        ctx.figures["j_indexing_ms"] = median(j)
        ctx.figures["j_indexing_p95_ms"] = p95(j)
    else:
        ctx.figures["j_indexing_ms"] = ctx.figures["j_indexing_p95_ms"] = (
            "n/a: the index was never seen building" if ready else reason)
    ctx.figures["rss_cold_mb"] = max(rss)


def measure_type_while_indexing(ctx: Context) -> None:
    """Typing a query during a cold start, while the index builds."""
    env = Env(ctx.base, ctx.library)
    try:
        out = probe(env, "app", "--mode", "cold", "--presses", "0", "--search", "diffusion", "--typing-early",
                    timeout=3600)
    finally:
        env.close()
    search = out.get("search") or {}
    if "latency_ms" not in search:
        raise NA(search.get("na", "no search result"))
    if not search.get("while_indexing"):
        raise NA("the index was ready before the search was typed")
    ctx.figures["type_indexing_ms"] = search["latency_ms"]


def measure_first_query(ctx: Context) -> None:
    """The first query typed as soon as a warm start shows its rows (the
    index opened, nothing searched yet in that process)."""
    env = _index_env(ctx)
    times = []
    for _ in range(ctx.repeats):
        out = probe(env, "app", "--mode", "warm", "--presses", "0", "--search", "diffusion", "--typing-early")
        search = out.get("search") or {}
        if "latency_ms" not in search:
            raise NA(search.get("na", "no search result"))
        times.append(search["latency_ms"])
    ctx.figures["first_query_warm_ms"] = median(times)
    ctx.details["first_query_runs"] = times


def measure_incremental(ctx: Context) -> None:
    env = _index_env(ctx)
    if ctx.extra is None:
        raise NA("no next day to add (only generated libraries have one)")
    env.link(ctx.extra)
    out = probe(env, "index")
    ctx.figures["index_incremental_s"] = out["seconds"]
    ctx.details["incremental"] = out


MEASUREMENTS: list[tuple[str, Callable[[Context], None], tuple[str, ...]]] = [
    ("read", measure_read, ("read_cold_s", "read_cold_mb_s", "read_warm_s")),
    ("check", measure_check, ("check_cold_s", "check_warm_s")),
    ("checkmd", measure_check_markdown, ("check_md_cold_s", "check_md_mb_s")),
    ("indexcli", measure_index_cli, ("index_cli_s", "index_cli_rss_mb")),
    ("index", measure_index, ("index_cold_s", "index_papers_s", "cache_mb", "cache_ratio")),
    ("search", measure_search_cli, ("search_cli_s", *(f"search_{kind}_s" for kind, _ in SEARCH_KINDS),
                                    "grep_s", "grep_over_search")),
    ("firstquery", measure_first_query, ("first_query_warm_ms",)),
    ("queries", measure_queries, ("query_p50_ms", "query_p95_ms")),
    ("warm", measure_app_warm, ("warm_first_paint_s", "rss_mb", "j_ms", "j_p95_ms", "j_day_ms", "j_day_p95_ms",
                                "triage_ms", "triage_p95_ms", "type_ms")),
    ("cold", measure_app_cold, ("cold_first_paint_s", "cold_newest_searchable_s", "cold_index_ready_s",
                                "j_indexing_ms", "j_indexing_p95_ms", "status_frozen_s", "rss_cold_mb")),
    ("typing", measure_type_while_indexing, ("type_indexing_ms",)),
    ("incremental", measure_incremental, ("index_incremental_s",)),
]


def measure_size(ctx: Context, only: set[str] | None) -> None:
    for name, function, keys in MEASUREMENTS:
        if only and name not in only:
            continue
        log(f"  [{ctx.papers}] {name} …")
        started = time.perf_counter()
        ctx.details.setdefault("loadavg", {})[name] = [round(os.getloadavg()[0], 2)]
        try:
            function(ctx)
        except NA as reason:
            for key in keys:
                ctx.figures.setdefault(key, f"n/a: {reason}")
        except Exception as error:  # noqa: BLE001 - one broken figure must not stop the rest
            for key in keys:
                ctx.figures.setdefault(key, f"n/a: {type(error).__name__}: {error}")
        for key in keys:
            ctx.figures.setdefault(key, "n/a: not measured")
        ctx.details["loadavg"][name].append(round(os.getloadavg()[0], 2))
        log(f"  [{ctx.papers}] {name} done in {time.perf_counter() - started:.1f} s")
    if ctx.index_env is not None:
        ctx.index_env.close()
        ctx.index_env = None


# --- reporting -----------------------------------------------------------------------------------


def scaling(results: list[dict]) -> dict:
    """Growth of each figure from the smallest to the largest size, over the
    growth in papers (cost figures) or its inverse (rates): <= 1 is at most
    linear."""
    if len(results) < 2:
        return {}
    small, large = results[0], results[-1]
    size_ratio = large["papers"] / small["papers"]
    out = {}
    for figure in FIGURES:
        a = small["figures"].get(figure.key)
        b = large["figures"].get(figure.key)
        if not isinstance(a, (int, float)) or not isinstance(b, (int, float)) or a <= 0 or b <= 0:
            continue
        ratio = b / a
        per_paper = (1 / ratio) / size_ratio if figure.kind == "rate" else ratio / size_ratio
        out[figure.key] = {"ratio": ratio, "size_ratio": size_ratio, "vs_linear": per_paper}
    return out


def target_at(figure: Figure, papers: int) -> float | None:
    if papers >= HUGE_SIZE and figure.target_huge is not None:
        return figure.target_huge
    if papers >= LARGE_SIZE and figure.target_large is not None:
        return figure.target_large
    return figure.target


def verdict(figure: Figure, value, papers: int = TARGET_SIZE) -> str:
    target = target_at(figure, papers)
    if target is None or not isinstance(value, (int, float)):
        return ""
    ok = value <= target if figure.better == "le" else value >= target
    return "ok" if ok else "MISSED"


def fmt(value) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "—"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}"


def print_table(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False, width=None if sys.stdout.isatty() else 150)
    results = report["sizes"]
    table = Table(title="tui_reader benchmarks (medians)", title_justify="left")
    table.add_column("figure", no_wrap=True)
    table.add_column("unit", no_wrap=True)
    for result in results:
        table.add_column(f"{result['papers']:,} papers", justify="right", no_wrap=True)
    table.add_column("target", justify="right", no_wrap=True)
    table.add_column("growth/linear", justify="right", no_wrap=True)
    target_size = next((r for r in results if r["papers"] == TARGET_SIZE), results[-1] if results else None)
    reasons: dict[str, int] = {}
    for figure in FIGURES:
        cells = []
        for result in results:
            value = result["figures"].get(figure.key, "—")
            style = ""
            if (result is target_size or target_at(figure, result["papers"]) != figure.target) \
                    and verdict(figure, value, result["papers"]) == "MISSED":
                style = "bold red"
            if isinstance(value, str) and value.startswith("n/a"):
                number = reasons.setdefault(value, len(reasons) + 1)
                cells.append(Text(f"n/a [{number}]", style="dim"))
                continue
            cells.append(Text(fmt(value), style=style))
        target = "" if figure.target is None else ("≤ " if figure.better == "le" else "≥ ") + fmt(figure.target)
        if figure.target_large is not None:
            target += f" (≤ {fmt(figure.target_large)} at {LARGE_SIZE // 1000}k)"
        if figure.target_huge is not None:
            target += f" (≤ {fmt(figure.target_huge)} at {HUGE_SIZE // 1000}k)"
        growth = report["scaling"].get(figure.key)
        growth_text = Text("")
        if growth:
            growth_text = Text(f"{growth['vs_linear']:.2f}", style="red" if growth["vs_linear"] > 1.2 else "")
        table.add_row(figure.label, figure.unit, *cells, target, growth_text)
    console.print(table)
    for reason, number in reasons.items():
        console.print(Text(f"[{number}] {reason}", style="dim"), soft_wrap=True)
    for result in results:
        d = result["details"]
        bits = [f"{result['papers']:,} papers: {d.get('library_mb', 0):.0f} MB, {d.get('entries', '?')} entries"]
        if d.get("query_errors"):
            bits.append(f"{len(d['query_errors'])} queries failed, e.g. {d['query_errors'][0]['query']!r}: "
                        f"{d['query_errors'][0]['error']}")
        if d.get("cache_parts_mb"):
            parts = sorted(d["cache_parts_mb"].items(), key=lambda kv: -kv[1])
            bits.append("cache: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in parts))
        loads = [x for pair in d.get("loadavg", {}).values() for x in pair]
        if loads:
            bits.append(f"load average {min(loads):.1f}–{max(loads):.1f}")
        if loads and max(loads) > (os.cpu_count() or 1):
            bits.append(f"machine busy: load average up to {max(loads):.1f} on {os.cpu_count()} CPUs, "
                        "figures are inflated")
        console.print(Text("  ".join(bits), style="dim"), soft_wrap=True)
    machine = report.get("machine", {})
    if "loop_s" in machine:
        console.print(Text(f"machine: {machine['cpus']} CPUs, Python {machine['python']}; 10^7 additions in "
                           f"{machine['loop_s']:.3f} s, a process importing textual.app in "
                           f"{machine['import_textual_s']:.3f} s (medians of 5; start and query times follow "
                           "these from one machine to another)", style="dim"), soft_wrap=True)
    if target_size is not None:
        console.print(Text(f"Targets (issues 18, 27) apply at {target_size['papers']:,} papers; missed ones are red. "
                           "growth/linear = (figure growth) / (paper growth) from the smallest to the largest "
                           "size, rates inverted: <= 1 means at most linear.", style="dim"), soft_wrap=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, nargs="+", default=None,
                        help=f"unique papers per library (default {' '.join(map(str, DEFAULT_SIZES))})")
    parser.add_argument("--large", action="store_true", help=f"add {LARGE_SIZE:,} papers")
    parser.add_argument("--huge", action="store_true", help=f"add {HUGE_SIZE:,} papers (four forks' worth)")
    parser.add_argument("--library", "--path", dest="path", action="append", default=[], metavar="DIR",
                        help="measure an existing folder (a real data branch) instead of generated ones "
                             "(repeatable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure; medians are reported")
    parser.add_argument("--only", default="", help="comma-separated: " + ",".join(m[0] for m in MEASUREMENTS))
    parser.add_argument("--json", action="store_true", help="print one JSON object with every figure")
    args = parser.parse_args(argv)
    only = {x.strip() for x in args.only.split(",") if x.strip()} or None
    if only and only - {m[0] for m in MEASUREMENTS}:
        parser.error(f"unknown measurement: {', '.join(sorted(only - {m[0] for m in MEASUREMENTS}))}")

    OUT.mkdir(parents=True, exist_ok=True)
    speed = machine_speed()
    base = Path(tempfile.mkdtemp(prefix="tui-bench-"))
    contexts: list[Context] = []
    try:
        if args.path:
            for folder in args.path:
                path = Path(folder).resolve()
                manifest = {}
                if (path / MANIFEST).exists():
                    manifest = json.loads((path / MANIFEST).read_text())
                papers = manifest.get("papers") or 0
                contexts.append(Context(papers, path, None, manifest, base, args.repeats))
        else:
            sizes = sorted(set(args.papers or DEFAULT_SIZES) | ({LARGE_SIZE} if args.large else set())
                           | ({HUGE_SIZE} if args.huge else set()))
            for papers in sizes:
                lib, nxt, manifest = ensure_library(papers, args.seed)
                contexts.append(Context(papers, lib, nxt, manifest, base, args.repeats))
        results = []
        for ctx in contexts:
            log(f"measuring {ctx.library} …")
            measure_size(ctx, only)
            if not ctx.papers:
                ctx.papers = ctx.details.get("unique_papers") or 0
            results.append({"papers": ctx.papers, "path": str(ctx.library), "figures": ctx.figures,
                            "details": ctx.details})
    finally:
        for ctx in contexts:
            if ctx.index_env is not None:
                ctx.index_env.close()
        shutil.rmtree(base, ignore_errors=True)
    results.sort(key=lambda r: r["papers"])
    report = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], **speed},
        "repeats": args.repeats,
        "sizes": results,
        "targets": {f.key: {"target": f.target, "unit": f.unit, "bound": f.better} for f in FIGURES if f.target},
        "scaling": scaling(results),
    }
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_table(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
