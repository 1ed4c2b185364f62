"""How well search ranks what a person means (issue 16): precision@3 and MRR
over a judged query set.

    python benchmarks/relevance.py [--verbose] [--json]

``benchmarks/relevance_set.json`` holds the judged queries: English,
Chinese, hyphenated, misspelled, author and field queries, each with the
papers a person would expect in the top three, over two libraries: the real
slices of ``../shared/samples`` (markdown, jsonl, databranch, loaded as one
library) and a synthetic library (``benchmarks/generate.py``, 1,500 papers,
seed 16, generated into ``benchmarks/out/``); with ``--library DIR``, the
producer's real data branch too (issue 27: its queries name a rule for the
papers they expect, see ``expected``; no test uses it).

Each query runs twice, the way the app runs it:

* ``enter``: as the command line and the search box after Enter run it;
* ``typing``: as typed into the search box, key by key, the last word still
  being typed (``as_you_type=True``), as the results look before Enter.

precision@3 = expected papers in the top 3 / min(3, papers expected);
MRR = mean of 1 / rank of the first expected paper (0 when none in the top
20).  A query with no result whose "did you mean" suggestion exists is
judged on the suggestion's results (the app runs it with one key).
``tests/index/test_relevance.py`` fails when a figure drops below the one
recorded there.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if __package__ in (None, ""):
    sys.path.insert(0, str(REPO))

SET = REPO / "benchmarks" / "relevance_set.json"
SAMPLES = REPO.parent / "shared" / "samples"
OUT = REPO / "benchmarks" / "out"
MODES = ("enter", "typing")
DEPTH = 20  # ranks looked at for MRR


@dataclass
class Outcome:
    query: str
    kind: str
    library: str
    mode: str
    top: list[str]
    expect: list[str]
    error: str | None = None

    @property
    def precision(self) -> float:
        wanted = set(self.expect)
        return sum(1 for pid in self.top[:3] if pid in wanted) / min(3, len(wanted))

    @property
    def reciprocal(self) -> float:
        wanted = set(self.expect)
        for rank, pid in enumerate(self.top[:DEPTH], 1):
            if pid in wanted:
                return 1.0 / rank
        return 0.0


@dataclass
class Figures:
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, mode: str, kind: str | None = None) -> tuple[float, float, int]:
        chosen = [o for o in self.outcomes if o.mode == mode and (kind is None or o.kind == kind)]
        if not chosen:
            return 0.0, 0.0, 0
        return (sum(o.precision for o in chosen) / len(chosen), sum(o.reciprocal for o in chosen) / len(chosen),
                len(chosen))


def judged() -> dict:
    return json.loads(SET.read_text("utf-8"))


def synthetic_library(base: Path | None = None) -> Path:
    """The synthetic library of the judged set (generated once, reused)."""
    from benchmarks import generate, generate_v1

    spec = judged()["synthetic"]
    # The judged set names papers of one generated library: the generator
    # that made it (version 1 is kept frozen for this) makes it again.
    generator = {1: generate_v1, generate.GENERATOR_VERSION: generate}.get(spec["generator_version"])
    GENERATOR_VERSION, MANIFEST, generate_library = (
        generate.GENERATOR_VERSION, generate.MANIFEST, generate.generate_library) if generator is None else (
        generator.GENERATOR_VERSION, generator.MANIFEST, generator.generate_library)
    if generator is None:
        raise SystemExit(
            f"benchmarks/generate.py is at version {GENERATOR_VERSION}, the judged set was made with "
            f"{spec['generator_version']}: judge the synthetic queries again"
        )
    folder = (base or OUT) / f"relevance-{spec['papers']}-s{spec['seed']}"
    manifest = folder / MANIFEST
    if manifest.exists():
        try:
            data = json.loads(manifest.read_text())
            if data.get("generator_version") == GENERATOR_VERSION and data.get("papers") == spec["papers"]:
                return folder
        except ValueError:
            pass
    generate_library(folder, papers=spec["papers"], seed=spec["seed"])
    return folder


def open_library(paths: list[Path], cache: Path, keep: bool = False):
    """(library, an up-to-date SearchIndex) for ``paths``; ``keep``: the
    library's parse and library caches in ``cache`` too (a big library)."""
    from tui_reader.core.index import SearchIndex
    from tui_reader.core.loader import load_library

    library = load_library(paths, cache) if keep else load_library(paths, cache_dir=None, parallel=False)
    index = SearchIndex.open(library.key, cache)
    index.update(library)
    return library, index


def expected(item: dict, library=None) -> list[str]:
    """The papers a judged query expects: listed, or (``expect_rule``, the
    real branch's queries) the papers of ``library`` whose title matches
    the rule or whose abstract matches it at least twice."""
    if "expect" in item:
        return item["expect"]
    rule = re.compile(item["expect_rule"], re.IGNORECASE)
    return [pid for pid, p in library.papers.items() if rule.search(p.title) or len(rule.findall(p.abstract)) >= 2]


def evaluate(indexes: dict, modes=MODES, libraries: dict | None = None) -> Figures:
    """Run every judged query on ``indexes`` ({"samples": index,
    "synthetic": index, "realbranch": index}; a library left out is
    skipped); ``libraries``: the loaded libraries of rule-judged ones."""
    figures = Figures()
    for item in judged()["queries"]:
        index = indexes.get(item["library"])
        if index is None:
            continue
        expect = expected(item, (libraries or {}).get(item["library"]))
        for mode in modes:
            result = index.search(item["query"], limit=DEPTH, as_you_type=(mode == "typing"))
            if not result.ids and getattr(result, "suggestion", None):
                # "did you mean": one key runs the suggestion, as a reader would
                result = index.search(result.suggestion, limit=DEPTH)
            figures.outcomes.append(Outcome(item["query"], item["kind"], item["library"], mode,
                                            list(result.ids or []), expect, result.error))
    return figures


def report(figures: Figures, verbose: bool = False) -> str:
    lines = []
    for library in sorted({o.library for o in figures.outcomes}):
        mine = Figures([o for o in figures.outcomes if o.library == library])
        lines.append(f"{library}: " + ", ".join(
            f"{mode} P@3 {mine.of(mode)[0]:.4f} MRR {mine.of(mode)[1]:.4f}" for mode in MODES)
            + f" ({mine.of(MODES[0])[2]} queries)")
    kinds = sorted({o.kind for o in figures.outcomes})
    lines.append(f"{'':10} " + "  ".join(f"{m + ' P@3':>10} {m + ' MRR':>10}" for m in MODES) + "   queries")
    for kind in [*kinds, None]:
        cells = []
        count = 0
        for mode in MODES:
            p, r, count = figures.of(mode, kind)
            cells.append(f"{p:10.4f} {r:10.4f}")
        lines.append(f"{kind or 'all':10} " + "  ".join(cells) + f"   {count}")
    if verbose:
        lines.append("")
        for o in figures.outcomes:
            mark = "ok" if o.precision == 1.0 else ("--" if o.reciprocal == 0 else "..")
            lines.append(f"{mark} {o.mode:6} {o.library:9} {o.kind:8} P@3={o.precision:.2f} RR={o.reciprocal:.2f} "
                         f"{o.query!r}" + (f"  error: {o.error}" if o.error else ""))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="one line per query and mode")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--library", metavar="DIR", help="the producer's real data branch: its judged queries too")
    parser.add_argument("--cache", metavar="DIR", help="the real branch's cache folder, kept between runs "
                                                       "(default: a temporary one)")
    args = parser.parse_args(argv)
    if not SAMPLES.is_dir():
        raise SystemExit(f"{SAMPLES} is not there")
    with tempfile.TemporaryDirectory(prefix="relevance-") as tmp:
        _, samples = open_library([SAMPLES], Path(tmp) / "a")
        _, synthetic = open_library([synthetic_library()], Path(tmp) / "b")
        indexes, libraries = {"samples": samples, "synthetic": synthetic}, {}
        if args.library:
            cache = Path(args.cache) if args.cache else Path(tmp) / "c"
            libraries["realbranch"], indexes["realbranch"] = open_library([Path(args.library)], cache, keep=True)
        try:
            figures = evaluate(indexes, libraries=libraries)
        finally:
            for index in indexes.values():
                index.close()
    if args.json:
        out = {mode: dict(zip(("p3", "mrr", "queries"), figures.of(mode))) for mode in MODES}
        print(json.dumps(out))
    else:
        print(report(figures, args.verbose))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
