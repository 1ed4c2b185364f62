"""Make the embedded samples' real dated slice (tui_reader/samples/databranch/)
from the producer's files in ``../shared/samples/databranch/``.

    python -m benchmarks.sample_slice [SOURCE] [TARGET]

Whole papers only, in the producer's own order: for 2026-06-19 the first
few papers of each category section of its Markdown digest and the same
papers from its raw and ``_AI_enhanced_Chinese`` JSONL; 2026-06-20
is the weekend's repeat of the same papers (so *seen* shows), taken from
that day's own files; 2025-10-09 is an older JSONL-only day with the
producer's failed summaries and a few papers only its raw file holds (the
producer dropped their summary).  The Markdown's running numbers and its table
of contents are rewritten to the papers kept.  The result stays well under
2 MB.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PER_SECTION = {"cs.CV": 14, "cs.CL": 9, "cs.GT": 2, "cs.CE": 2, "cs.IT": 2, "cs.AI": 11}
RAW_ONLY = 4  # papers of the old day only in the raw file
OLD_DAY, OLD_PAPERS = "2025-10-09", 24
DAY, REPEAT = "2026-06-19", "2026-06-20"

_SECTION = re.compile(r"^<div id='([^']+)'></div>\s*$")
_PAPER = re.compile(r"^### \[(\d+)\] ")
_ID = re.compile(r"\]\(https?://arxiv\.org/abs/([^)\s]+?)(?:v\d+)?\)\s*$")


def md_sections(text: str) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(category, section head, [(paper id, paper block)]) in file order."""
    sections: list[tuple[str, list[str], list[tuple[str, list[str]]]]] = []
    for line in text.splitlines(keepends=True):
        section = _SECTION.match(line)
        if section:
            sections.append((section.group(1), [line], []))
        elif sections and _PAPER.match(line):
            match = _ID.search(line.rstrip("\n"))
            sections[-1][2].append((match.group(1) if match else "", [line]))
        elif sections:
            papers = sections[-1][2]
            (papers[-1][1] if papers else sections[-1][1]).append(line)
    return [(cat, "".join(head), [(pid, "".join(block)) for pid, block in papers]) for cat, head, papers in sections]


def md_slice(text: str, keep: set[str]) -> str:
    """The digest with only the papers in ``keep``, renumbered, its table of contents rewritten."""
    sections = md_sections(text)
    head = text[: text.index("<div id='")] if "<div id='" in text else ""
    toc_end = head.index("# Table of Contents") if "# Table of Contents" in head else 0
    kept = [(cat, section_head, [b for pid, b in papers if pid in keep]) for cat, section_head, papers in sections]
    kept = [k for k in kept if k[2]]
    out = [head[:toc_end], "# Table of Contents\n\n"]
    out += [f"- [{cat}](#{cat}) [Total: {len(blocks)}]\n" for cat, _, blocks in kept]
    out.append("\n\n")
    number = 0
    for _cat, section_head, blocks in kept:
        out.append(section_head)
        for block in blocks:
            number += 1
            out.append(_PAPER.sub(f"### [{number}] ", block, count=1))
    return "".join(out)


def jsonl_slice(path: Path, keep: set[str]) -> str:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if line.strip() and json.loads(line).get("id") in keep)


def ids_of(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def chosen_ids(source: Path) -> set[str]:
    sections = md_sections((source / f"{DAY}.md").read_text(encoding="utf-8"))
    return {pid for cat, _, papers in sections for pid, _ in papers[: PER_SECTION.get(cat, 1)]}


def old_ids(source: Path) -> set[str]:
    enhanced = (source / f"{OLD_DAY}_AI_enhanced_Chinese.jsonl").read_text(encoding="utf-8").splitlines()
    failed = [json.loads(line)["id"] for line in enhanced if "Summary generation failed" in line]
    enhanced_ids = [json.loads(line)["id"] for line in enhanced if line.strip()]
    raw_only = [pid for pid in ids_of(source / f"{OLD_DAY}.jsonl") if pid not in set(enhanced_ids)]
    return set(failed) | set(enhanced_ids[:OLD_PAPERS]) | set(raw_only[:RAW_ONLY])


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent.parent
    source = Path(argv[0]) if argv else here.parent / "shared" / "samples" / "databranch"
    target = Path(argv[1]) if len(argv) > 1 else here / "tui_reader" / "samples" / "databranch"
    target.mkdir(parents=True, exist_ok=True)
    keep = chosen_ids(source)
    for day in (DAY, REPEAT):
        (target / f"{day}.md").write_text(md_slice((source / f"{day}.md").read_text(encoding="utf-8"), keep),
                                          encoding="utf-8")
        for suffix in ("", "_AI_enhanced_Chinese"):
            name = f"{day}{suffix}.jsonl"
            (target / name).write_text(jsonl_slice(source / name, keep), encoding="utf-8")
    old = old_ids(source)
    for suffix in ("", "_AI_enhanced_Chinese"):
        name = f"{OLD_DAY}{suffix}.jsonl"
        (target / name).write_text(jsonl_slice(source / name, old), encoding="utf-8")
    total = sum(p.stat().st_size for p in target.iterdir())
    print(f"{len(keep)} papers on {DAY} and {REPEAT}, {len(old)} on {OLD_DAY}: {total / 1e6:.2f} MB in {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
