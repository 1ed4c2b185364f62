"""What run.py's measurements share: an isolated environment per run,
the child processes that measure, the medians (split out of run.py)."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class NA(Exception):
    """A figure that cannot be measured (yet); the message says why."""


class Env:
    """An isolated XDG home, and a library folder of hard links inside it
    (so a day can be added for the incremental figure without touching the
    generated library); ``pattern``: only the files it matches (*.md)."""

    def __init__(self, base: Path, library: Path, pattern: str = "*") -> None:
        self.root = Path(tempfile.mkdtemp(prefix="env-", dir=base))
        self.vars = dict(os.environ)
        # A user's install has its bytecode; without it every start compiles
        # tui_reader's modules again (about 45 ms of a 0.25 s search).
        self.vars.pop("PYTHONDONTWRITEBYTECODE", None)
        for name in ("CACHE", "DATA", "CONFIG"):
            folder = self.root / name.lower()
            folder.mkdir()
            self.vars[f"XDG_{name}_HOME"] = str(folder)
        self.vars["PYTHONPATH"] = str(REPO) + os.pathsep + self.vars.get("PYTHONPATH", "")
        self.library = self.root / "library"
        self.library.mkdir()
        self.link(library, pattern)

    def link(self, folder: Path, pattern: str = "*") -> None:
        for path in sorted(folder.glob(pattern)):
            if path.is_file() and not path.name.startswith("."):
                # Hard links: the reader skips a symbolic link that leads out
                # of the library folder (a copy where links cannot be made).
                target = self.library / path.name
                try:
                    os.link(path.resolve(), target)
                except OSError:
                    shutil.copy2(path, target)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def run_child(env: Env, argv: list[str], timeout: float = 1800) -> tuple[dict, float]:
    """Run one measurement process; returns its JSON and its wall time."""
    vars_ = dict(env.vars)
    started = time.perf_counter()
    vars_["BENCH_T0"] = repr(started)
    try:
        proc = subprocess.run(argv, cwd=REPO, env=vars_, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise NA(f"timed out after {timeout:.0f} s: {' '.join(argv[-3:])}") from None
    wall = time.perf_counter() - started
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
        raise NA(f"child failed (exit {proc.returncode}): {' | '.join(tail)[:300]}")
    return json.loads(lines[-1]), wall


def probe(env: Env, what: str, *args: str, timeout: float = 1800) -> dict:
    out, wall = run_child(env, [PYTHON, "-m", "benchmarks.probe", what, str(env.library), *args], timeout)
    if "na" in out:
        raise NA(out["na"])
    out["wall"] = wall
    return out


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def median(values: list[float]) -> float:
    return statistics.median(values)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    k = (len(ordered) - 1) * 0.95
    lo = int(k)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


@dataclass
class Context:
    papers: int
    library: Path
    extra: Path | None
    manifest: dict
    base: Path
    repeats: int
    figures: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)
    index_env: Env | None = None


def cli_argv() -> list[str]:
    exe = str(Path(PYTHON).with_name("tui-reader"))
    return [exe] if os.path.exists(exe) else [PYTHON, "-m", "tui_reader"]


def folder_mb(folder: Path) -> float:
    total = 0
    for root, _dirs, files in os.walk(folder):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total / 1e6


def _index_env(ctx: Context) -> Env:
    if ctx.index_env is None:
        raise NA("needs the cold index built first")
    return ctx.index_env


def machine_speed(runs: int = 5) -> dict:
    """How fast this machine runs Python, for comparing figures taken on
    different machines (the same code's start and query times follow it):
    the median of ``runs`` times of a fixed loop (10^7 additions) and of a
    process that imports Textual's App."""
    loops, imports = [], []
    for _ in range(runs):
        started = time.perf_counter()
        sum(range(10**7))
        loops.append(time.perf_counter() - started)
        started = time.perf_counter()
        subprocess.run([PYTHON, "-c", "import textual.app"], cwd=REPO, check=False)
        imports.append(time.perf_counter() - started)
    return {"loop_s": round(median(loops), 3), "import_textual_s": round(median(imports), 3)}

