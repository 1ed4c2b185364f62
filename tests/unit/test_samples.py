"""The embedded samples ship whole: every file is package data, the dated
slice stays small, and the producer's license and attribution travel with it."""

from __future__ import annotations

import fnmatch
import tomllib

from tests.support import EMBEDDED, REPO


def test_every_sample_file_is_package_data() -> None:
    patterns = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"][
        "package-data"]["tui_reader"]
    files = [p.relative_to(EMBEDDED.parent).as_posix() for p in EMBEDDED.rglob("*") if p.is_file()]
    assert files and all(any(fnmatch.fnmatchcase(f, pattern) for pattern in patterns) for f in files), files


def test_the_dated_slice_is_small_and_attributed() -> None:
    slice_files = sorted(p.name for p in (EMBEDDED / "databranch").iterdir())
    assert {"2026-06-19.md", "2026-06-19_AI_enhanced_Chinese.jsonl", "2026-06-20.md"} <= set(slice_files)
    assert sum(p.stat().st_size for p in EMBEDDED.rglob("*") if p.is_file()) < 2_000_000
    readme = (EMBEDDED / "README.txt").read_text(encoding="utf-8")
    assert "dw-dengwei/daily-arXiv-ai-enhanced" in readme and "LICENSE-producer" in readme
    assert (EMBEDDED / "LICENSE-producer").read_text(encoding="utf-8").startswith("Modified Apache License")
