"""How well the learned ranking finds what a reader keeps (issue 26): simulated
readers triage the first days of a window through the real command line,
the model ranks the following days, and each day's would-be-kept papers are
looked for at the top.

    python benchmarks/rank_eval.py --library PATH [--train-days 20] [--test-days 10]
        [--first] [--topics diffusion,graph-neural,...] [--no-perf] [--json OUT]

A reader is a rule on title + abstract that the model never sees (a regex
topic), with noise: an off-topic paper kept with p = 0.05, an on-topic one
skipped with p = 0.1.  Its decisions on the training days' new papers go in
through ``tui-reader decisions import`` (its own XDG dirs in a temp dir);
each test day is ranked by ``tui-reader rank FILES --day D --json`` (the
first call trains).  Only a day's new papers count (a paper first listed
that day, not decided on before); repeated weekend digests are not days.

Per topic and averaged: recall@10% (the share of the day's on-topic papers
in its top 10 %) and precision@10, for the model, the digest's own order,
Suggested (likeness to the reader's keeps: the cold start) and an interest
of the topic's words (the cold start with an interest typed, which knows
more than the model is told).  Then the timings: training on 10,000
decisions, ranking a 500-paper day, the worker's peak RSS, the model file's
size, with the load average.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui_reader.core.discovery.rules import INTEREST, KEYWORD, Rule
from tui_reader.core.loader import load_library, newest_first
from tui_reader.core.ranking.cold import cold_scores

# name -> (regex on title + abstract, interest words for the "interest" column)
TOPICS: dict[str, tuple[str, str]] = {
    "diffusion": (r"\bdiffusion (model|polic|transformer)s?\b", "diffusion model"),
    "reinforcement-learning": (r"\breinforcement learning\b", "reinforcement learning"),
    "llm-agent": (r"\b(LLM|language[- ]model)[- ](based )?agents?\b", "LLM agent"),
    "point-cloud": (r"\bpoint[- ]clouds?\b", "point cloud"),
    "medical-image": (r"\bmedical[- ]imag(e|es|ing)\b|\bradiolog", "medical image"),
    "autonomous-driving": (r"\bautonomous[- ]driving\b|\bself-driving\b", "autonomous driving"),
    "gaussian-splatting": (r"\bgaussian[- ]splatting\b|\b3DGS\b", "gaussian splatting"),
    "remote-sensing": (r"\bremote[- ]sensing\b|\bsatellite imag", "remote sensing"),
    "speech": (r"\bspeech\b", "speech"),
    "retrieval-augmented": (r"\bretrieval[- ]augmented\b|\bRAG\b", "retrieval augmented"),
    "hallucination": (r"\bhallucinat", "hallucination"),
}
# For benchmarks/generate.py's libraries: their text is a word salad of its
# vocabulary (benchmarks/vocab.py), where the topics above are rarer or far
# commoner; these words each hold 1.5-5 % of its papers (measured on a
# 9,000-paper library, seed 26), one or two per field.
GENERATOR_TOPICS: dict[str, tuple[str, str]] = {
    "federated": (r"\bfederated\b", "federated"),
    "gnn": (r"\bGNNs?\b", "GNN"),
    "stereo": (r"\bstereo\b", "stereo"),
    "gpu": (r"\bGPUs?\b", "GPU"),
    "qcd": (r"\bQCD\b", "QCD"),
    "sheaf-cohomology": (r"\bsheaf\b|\bcohomology\b", "cohomology"),
    "metasurface": (r"\bmetasurfaces?\b", "metasurface"),
    "eeg": (r"\bEEG\b", "EEG"),
    "redshift": (r"\bredshift\b", "redshift"),
    "mimo": (r"\bMIMO\b", "MIMO"),
}
KEEP_OFF_TOPIC = 0.05
SHARE_RANGE = (0.01, 0.06)  # topics whose share of a day is in this range make the average (issue 26)
SKIP_ON_TOPIC = 0.1
_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


def files_by_day(library: Path) -> dict[str, list[str]]:
    days: dict[str, list[str]] = {}
    for path in sorted(library.rglob("*")):
        found = _DATE.search(path.name)
        if found and path.is_file() and not path.name.startswith("."):
            days.setdefault(found.group(1), []).append(str(path))
    return days


def choose_days(library: Path, cache: Path, train: int, test: int, first: bool):
    """(train days, test days, {day: new papers}, papers by id) over a window
    of announcement days (days whose digest is not a repeat)."""
    days = files_by_day(library)
    order = sorted(days)
    window = order[: (train + test) * 2] if first else order[-(train + test) * 2:]
    files = [f for d in window for f in days[d]]
    lib = load_library(files, cache)
    new: dict[str, list] = {}
    for paper in sorted(lib.papers.values(), key=newest_first):
        if paper.dates:
            new.setdefault(paper.dates[0], []).append(paper)
    counts = sorted(len(v) for v in new.values())
    floor = max(5, counts[len(counts) // 2] // 5) if counts else 5
    real = [d for d in sorted(new) if len(new[d]) >= floor]
    if len(real) < train + test:
        train = max(1, (len(real) * 2) // 3)
        test = len(real) - train
    chosen = real[: train + test] if first else real[-(train + test):]
    for papers in new.values():
        papers.sort(key=lambda p: p.order)  # the digest's order (of the paper's latest day)
    return chosen[:train], chosen[train:], new, days, lib.papers


def on_topic(pattern: re.Pattern, paper) -> bool:
    return bool(pattern.search(paper.title + "\n" + paper.abstract))


def metrics(ranked_ids: list[str], truth: set[str]) -> tuple[float | None, float | None]:
    """(recall in the top 10 %, precision@10); None when the day has no on-topic paper."""
    if not truth or not ranked_ids:
        return None, None
    top = ranked_ids[: max(1, math.ceil(len(ranked_ids) * 0.1))]
    recall = len(truth.intersection(top)) / len(truth)
    precision = len(truth.intersection(ranked_ids[:10])) / min(10, len(ranked_ids))
    return recall, precision


def cli(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui_reader", *args], env=env, capture_output=True, text=True,
                          check=False)


def run_reader(name: str, pattern: re.Pattern, words: str, train_days, test_days, new, days, seed: int) -> dict:
    """One simulated reader: decisions through the CLI, rankings back."""
    rng = random.Random(f"{seed}:{name}")
    lines, kept, decided = [], [], set()
    for day in train_days:
        for paper in new[day]:
            topical = on_topic(pattern, paper)
            keep = rng.random() >= SKIP_ON_TOPIC if topical else rng.random() < KEEP_OFF_TOPIC
            lines.append(f"{paper.id}\t{'keep' if keep else 'skip'}")
            decided.add(paper.id)
            if keep:
                kept.append(paper)
    interest = [Rule(INTEREST, KEYWORD, words)]
    scores: dict[str, list[tuple]] = {k: [] for k in ("model", "digest", "suggested", "interest")}
    with tempfile.TemporaryDirectory(prefix=f"rank-eval-{name}-") as tmp:
        env = dict(os.environ, XDG_DATA_HOME=f"{tmp}/d", XDG_CACHE_HOME=f"{tmp}/c", XDG_CONFIG_HOME=f"{tmp}/cfg")
        decisions = Path(tmp) / "decisions.tsv"
        decisions.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        result = cli(["decisions", "import", str(decisions)], env)
        if result.returncode:
            raise SystemExit(f"decisions import failed: {result.stderr}")
        train_files = [f for d in train_days for f in days[d]]
        train_seconds = None
        for number, day in enumerate(test_days):
            files = (train_files if number == 0 else []) + days[day]
            started = time.perf_counter()
            result = cli(["rank", *files, "--day", day, "--json"], env)
            if number == 0:
                train_seconds = time.perf_counter() - started
            if result.returncode:
                raise SystemExit(f"rank failed on {day}: {result.stderr}")
            papers = [p for p in new[day] if p.id not in decided]
            wanted = {p.id for p in papers}
            truth = {p.id for p in papers if on_topic(pattern, p)}
            ranked = [row["id"] for row in json.loads(result.stdout) if row["id"] in wanted]
            scores["model"].append(metrics(ranked, truth))
            scores["digest"].append(metrics([p.id for p in papers], truth))
            for column, rules in (("suggested", []), ("interest", interest)):
                cold = cold_scores(papers, rules, kept if column == "suggested" else [])
                scores[column].append(metrics([p.id for p, _ in cold.rank(papers)], truth))
    summary = {"keeps": len(kept), "decisions": len(lines), "first_rank_seconds": train_seconds}
    for column, rows in scores.items():
        recalls = [r for r, _ in rows if r is not None]
        precisions = [p for _, p in rows if p is not None]
        summary[column] = (mean(recalls), mean(precisions))
    return summary


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:.2f}"


def print_table(results: dict[str, dict], shares: dict[str, float]) -> None:
    columns = ("model", "digest", "suggested", "interest")
    head = f"{'topic':24} {'share':>6} {'keeps':>5}  " + "  ".join(f"{c + ' r@10%':>15} {'P@10':>5}" for c in columns)
    print(head)
    print("-" * len(head))
    for name, row in results.items():
        cells = "  ".join(f"{fmt(row[c][0]):>15} {fmt(row[c][1]):>5}" for c in columns)
        print(f"{name:24} {shares[name] * 100:5.1f}% {row['keeps']:>5}  {cells}")
    in_range = {n: r for n, r in results.items() if SHARE_RANGE[0] <= shares[n] <= SHARE_RANGE[1]}
    for label, rows in ((f"average ({len(in_range)} in 1-6 %)", in_range), ("average (all)", results)):
        if not rows or (label.startswith("average (all)") and len(rows) == len(in_range)):
            continue
        averages = "  ".join(
            f"{fmt(mean([r[c][0] for r in rows.values() if r[c][0] is not None])):>15} "
            f"{fmt(mean([r[c][1] for r in rows.values() if r[c][1] is not None])):>5}" for c in columns)
        print(f"{label:37}  {averages}")


def perf_child(library: str, cache: str, out: str) -> None:
    """In its own process (for a clean peak RSS): train on up to 10,000
    decisions, rank a 500-paper day, save the model; print JSON."""
    from tui_reader.core.ranking import storage
    from tui_reader.core.ranking.labels import Labels
    from tui_reader.core.ranking.train import train

    days = files_by_day(Path(library))
    files = [f for d in sorted(days)[-60:] for f in days[d]]
    lib = load_library(files, Path(cache))
    papers = sorted(lib.papers.values(), key=newest_first)
    rng = random.Random(7)
    pattern = re.compile(TOPICS["diffusion"][0], re.IGNORECASE)
    pool = papers[500:10_500]
    labels = Labels(decided=len(pool))
    for paper in pool:
        keep = on_topic(pattern, paper) or rng.random() < 0.05
        labels.targets[paper.id] = (1 if keep else 0, 1.0)
    labels.keeps = sum(1 for y, _ in labels.targets.values() if y)
    labels.negatives = len(pool) - labels.keeps
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started, cpu = time.perf_counter(), time.process_time()
    model = train(labels, lib.papers)
    train_seconds, train_cpu = time.perf_counter() - started, time.process_time() - cpu
    day = papers[:500]
    model._cache.clear()  # a cold rank: tokenising included
    started, cpu = time.perf_counter(), time.process_time()
    model.rank(day)
    rank_cold, rank_cpu = time.perf_counter() - started, time.process_time() - cpu
    started = time.perf_counter()
    model.rank(day)
    rank_warm = time.perf_counter() - started
    size = storage.save(model, Path(out))
    started = time.perf_counter()
    loaded, _ = storage.load(Path(out))
    load_seconds = time.perf_counter() - started
    print(json.dumps({
        "decisions": len(pool), "vocabulary": len(model.vocabulary), "train_seconds": train_seconds,
        "train_cpu_seconds": train_cpu, "rank_500_cold_cpu_seconds": rank_cpu,
        "rank_500_cold_seconds": rank_cold, "rank_500_warm_seconds": rank_warm, "load_seconds": load_seconds,
        "model_bytes": size, "rss_before_train_mb": before / 1024,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "loaded": loaded is not None,
    }))


def perf(library: Path, cache: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="rank-perf-") as tmp:
        result = subprocess.run([sys.executable, __file__, "--perf-child", str(library), "--cache", str(cache),
                                 "--out", f"{tmp}/model.npz"], capture_output=True, text=True, check=False)
    if result.returncode:
        print("perf failed:", result.stderr[-2000:])
        return
    data = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"\ntraining on {data['decisions']:,} decisions: {data['train_seconds']:.2f} s wall, "
          f"{data['train_cpu_seconds']:.2f} s CPU (vocabulary {data['vocabulary']:,} terms)")
    print(f"ranking a 500-paper day: {data['rank_500_cold_seconds'] * 1000:.0f} ms cold (tokenising; "
          f"{data['rank_500_cold_cpu_seconds'] * 1000:.0f} ms CPU), "
          f"{data['rank_500_warm_seconds'] * 1000:.0f} ms warm; loading the model {data['load_seconds'] * 1000:.0f} ms")
    print(f"worker peak RSS {data['peak_rss_mb']:.0f} MB (library loaded: {data['rss_before_train_mb']:.0f} MB); "
          f"model file {data['model_bytes'] / 1e6:.1f} MB")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--library", required=False, help="a data branch folder (data/*.jsonl, *.md)")
    parser.add_argument("--train-days", type=int, default=20)
    parser.add_argument("--test-days", type=int, default=10)
    parser.add_argument("--first", action="store_true", help="the library's first days (default: its last ones)")
    parser.add_argument("--topics", default="", help="comma-separated names of the topic set's topics (default: all)")
    parser.add_argument("--topic-set", choices=("real", "generator"), default="real",
                        help="the topics for a real data branch, or for a benchmarks/generate.py library")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--cache", default="", help="parse cache dir for this script's own loading")
    parser.add_argument("--no-perf", action="store_true")
    parser.add_argument("--json", default="", metavar="OUT")
    parser.add_argument("--perf-child", default="", help=argparse.SUPPRESS)
    parser.add_argument("--out", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    cache = Path(args.cache or tempfile.mkdtemp(prefix="rank-eval-cache-"))
    if args.perf_child:
        perf_child(args.perf_child, str(cache), args.out)
        return 0
    if not args.library:
        parser.error("--library is required")
    library = Path(args.library)
    started = time.perf_counter()
    train_days, test_days, new, days, _papers = choose_days(library, cache, args.train_days, args.test_days, args.first)
    topics = GENERATOR_TOPICS if args.topic_set == "generator" else TOPICS
    names = [n for n in (args.topics.split(",") if args.topics else topics) if n]
    print(f"library {library}: train on {len(train_days)} days ({train_days[0]} … {train_days[-1]}), "
          f"test on {len(test_days)} ({test_days[0]} … {test_days[-1]})" if test_days else "not enough days")
    if not test_days:
        return 1
    shares = {}
    for name in names:
        pattern = re.compile(topics[name][0], re.IGNORECASE)
        per_day = [sum(on_topic(pattern, p) for p in new[d]) / len(new[d]) for d in train_days + test_days]
        shares[name] = sum(per_day) / len(per_day)
    results = {}
    for name in names:
        pattern = re.compile(topics[name][0], re.IGNORECASE)
        results[name] = run_reader(name, pattern, topics[name][1], train_days, test_days, new, days, args.seed)
    print(f"\nr@10% = share of a day's would-be-kept papers in its top 10 %; P@10 = precision at 10 "
          f"(noise: keep off-topic p={KEEP_OFF_TOPIC}, skip on-topic p={SKIP_ON_TOPIC})\n")
    print_table(results, shares)
    print(f"\nfirst rank call (trains): {mean([r['first_rank_seconds'] for r in results.values()]):.1f} s on average; "
          f"evaluation {time.perf_counter() - started:.0f} s")
    if not args.no_perf:
        perf(library, cache)
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.json:
        Path(args.json).write_text(json.dumps({"shares": shares, "results": results}, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
