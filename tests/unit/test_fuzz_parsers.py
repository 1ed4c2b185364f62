"""Property tests: no input makes the readers raise, a cut-off digest keeps
every paper that ended before the cut, and JSONL lines in any order load."""

from __future__ import annotations

import json
import random
import re
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.core.model import Entry, Problem
from tui_reader.core.parse_jsonl import parse_jsonl
from tui_reader.core.parse_markdown import parse_markdown
from tui_reader.core.reader import parse_bytes

HERE = Path(__file__).resolve().parent.parent
SEED = HERE.parent / "tui_reader" / "samples" / "000_bb134045811f6403.txt"
SEED_2 = HERE.parent / "tui_reader" / "samples" / "002_c86ff8b9cda3dd17.txt"
TRAPS = HERE / "fixtures" / "markdown" / "traps_2026-01-15.md"
VARIANTS = HERE / "fixtures" / "jsonl" / "variants_2026-01-16.jsonl"
BILINGUAL = HERE / "fixtures" / "bilingual" / "2026-01-20_AI_enhanced_English.jsonl"

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

ARXIV_ID = re.compile(r"\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7}")
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@cache
def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def assert_sane(entries: list[Entry], problems: list[Problem], path: str, text: str) -> None:
    lines = text.count("\n") + 1
    for problem in problems:
        assert problem.file == path
        assert isinstance(problem.line, int) and 0 <= problem.line <= lines + 1, problem
        assert problem.message
    for entry in entries:
        assert ARXIV_ID.fullmatch(entry.id), entry.id
        assert entry.version == "" or re.fullmatch(r"v\d+", entry.version)
        assert entry.title.strip(), entry
        assert 1 <= entry.line <= lines
        texts = [entry.title, *entry.authors, *entry.categories, entry.abstract, entry.comment]
        if entry.summary is not None:
            texts += entry.summary.as_tuple()
        for value in texts:
            assert not UNSAFE.search(value), repr(value)


# --- arbitrary input never raises -----------------------------------------------------

# Lines that steer the Markdown state machine into its less common corners.
MARKDOWN_BITS = [
    "### [1] [", "### [2] [Title](https://arxiv.org/abs/2601.00001)",
    "### [3] [A [b] c](https://arxiv.org/abs/math/0211159v2)",
    "### [4] [No link", "### [5] [Bad](https://arxiv.org/abs/2601.1", "*A,B*", "*", "**", "Main category:",
    "Main category: hep-th",
    "TL;DR:", "TL;DR: x", "Motivation: m", "Method:", "Result: r", "Conclusion: c", "Abstract: a", "  continued",
    "<details>", "</details>", "  <summary>Details</summary>", "<summary", "<div id='cs.LG'></div>",
    "<div id=toc></div>", "<div<![", "<div id=\"\x00\">", "<div id=", "# cs.LG [[Back]](#toc)", "# Table of Contents",
    "- [cs.LG](#cs.LG) [Total: 2]", "- [x](#x) [Total: 99999999999999999999]", "2. item", "\\begin{cases}", "](", "]((",
    "\x1b]0;t\x07", "\x1b[2J", "\r", "\t",
    "", "#", "###", "-", "<", "\ufeff", "\u202e",
]
markdown_lines = st.lists(st.one_of(st.sampled_from(MARKDOWN_BITS), st.text(max_size=40)), max_size=60)


@FUZZ
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    assert_sane(*parse_markdown(text, "f.md"), "f.md", text)
    assert_sane(*parse_jsonl(text, "f.jsonl"), "f.jsonl", text)


@FUZZ
@given(markdown_lines)
def test_markdown_shaped_text_never_raises(lines: list[str]) -> None:
    text = "\n".join(lines)
    entries, problems = parse_markdown(text, "f.md")
    assert_sane(entries, problems, "f.md", text)


@FUZZ
@given(st.binary(max_size=4000))
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    result = parse_bytes(data, "2026-01-01_AI_enhanced_English.jsonl")
    assert result.kind in ("", "markdown", "jsonl")
    assert result.entries or result.problems
    text = data.decode("utf-8", "replace")
    assert_sane(result.entries, result.problems, result.path, text)


@FUZZ
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=20000), st.sampled_from([SEED, TRAPS, VARIANTS]))
def test_real_files_with_bytes_spliced_in_never_raise(junk: bytes, where: int, path: Path) -> None:
    data = path.read_bytes()
    where %= len(data)
    result = parse_bytes(data[:where] + junk + data[where:], path.name)
    assert result.entries  # the damage is local: most of the file still loads


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30))
json_values = st.recursive(
    json_scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12)
FIELDS = ["id", "title", "authors", "categories", "summary", "abs", "pdf", "comment", "AI", "code_url", "code_stars"]
AI_KEYS = ["tldr", "task", "motivation", "method", "result", "conclusion"]
records = st.fixed_dictionaries(
    {},
    optional={
        "id": st.one_of(st.sampled_from(["2601.00001", "2601.00002v3", "math/0211159", "hep-th/9901001v2", "", "x"]),
                        json_values),
        "title": st.one_of(st.text(), json_values),
        "authors": json_values,
        "categories": st.one_of(st.lists(st.sampled_from(["cs.LG", "hep-th", "q-bio.NC", "68T07", "I.2.7"])),
                                json_values),
        "summary": st.one_of(st.text(), json_values),
        "abs": st.one_of(st.just("https://arxiv.org/abs/2601.00009"), json_values),
        "comment": json_values,
        "AI": st.one_of(st.dictionaries(st.sampled_from(AI_KEYS), json_values), json_values),
        "code_stars": json_values,
    },
)


@FUZZ
@given(st.lists(st.one_of(records.map(json.dumps), st.text(max_size=50)), max_size=30))
def test_json_shaped_lines_never_raise(lines: list[str]) -> None:
    text = "\n".join(lines)
    entries, problems = parse_jsonl(text, "f.jsonl")
    assert_sane(entries, problems, "f.jsonl", text)
    assert len(entries) <= len(lines)


# --- truncation ------------------------------------------------------------------------


@cache
def paper_spans(path: Path) -> tuple[tuple[int, int, int], ...]:
    """Independently of the parser: for each paper, (header offset, offset just
    past its </details>, header line number)."""
    text = read(path)
    spans = []
    for match in re.finditer(r"^### \[\d+\] \[", text, re.M):
        end = text.index("</details>", match.start()) + len("</details>")
        spans.append((match.start(), end, text.count("\n", 0, match.start()) + 1))
    return tuple(spans)


@cache
def full_parse(path: Path) -> dict[str, Entry]:
    entries, problems = parse_markdown(read(path), path.name)
    assert problems == []
    return {e.id: e for e in entries}


def check_cut(path: Path, cut: int) -> None:
    text = read(path)
    full = full_parse(path)
    entries, problems = parse_markdown(text[:cut], path.name)
    assert_sane(entries, problems, path.name, text[:cut])
    ordered = list(full.values())
    complete = [i for i, (_, end, _) in enumerate(paper_spans(path)) if end <= cut]
    # every paper that ended before the cut is read exactly as from the whole file
    assert [e for e in entries[: len(complete)]] == [ordered[i] for i in complete]
    # and nothing else but, at most, the paper the cut went through
    rest = entries[len(complete):]
    assert len(rest) <= 1
    started = [(start, line) for start, end, line in paper_spans(path) if start < cut < end]
    for entry in rest:
        assert started and entry.line == started[0][1]
        assert entry.id == ordered[len(complete)].id
        assert entry.title == ordered[len(complete)].title
    if started:
        start, line = started[0]
        if re.match(r"### \[\d+\] \[", text[start:cut]):  # the header is recognisable: it must be reported
            assert any(p.line == line for p in problems), (cut, problems)


@FUZZ
@given(st.data())
def test_truncated_seed_keeps_every_paper_before_the_cut(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from([SEED, SEED_2, TRAPS]))
    check_cut(path, data.draw(st.integers(min_value=0, max_value=len(read(path)))))


def test_truncation_sweep_over_the_trap_file() -> None:
    text = read(TRAPS)
    cuts = set(range(0, len(text), 7))
    for start, end, _ in paper_spans(TRAPS):  # every character of every header, and around </details>
        header_end = text.index("\n", start)
        cuts.update(range(start, header_end + 2))
        cuts.update(range(end - len("</details>"), end + 2))
    for cut in sorted(cuts):
        check_cut(TRAPS, cut)


def test_truncation_sweep_over_a_seed() -> None:
    rng = random.Random(20260115)
    spans = paper_spans(SEED)
    for start, end, _ in spans:
        for cut in (start, start + 12, start + rng.randrange(1, end - start), end - 3, end, end + 1):
            check_cut(SEED, cut)


@FUZZ
@given(st.integers(min_value=0, max_value=SEED.stat().st_size))
def test_truncated_bytes_mid_character(cut: int) -> None:
    data = SEED.read_bytes()[:cut]
    result = parse_bytes(data, SEED.name)
    complete = sum(1 for _, end, _ in paper_spans(SEED) if len(read(SEED)[:end].encode()) <= cut)
    assert len(result.entries) >= complete
    full = list(full_parse(SEED).values())
    assert result.entries[:complete] == full[:complete]


# --- JSONL in any order ----------------------------------------------------------------------


@cache
def jsonl_lines(path: Path) -> tuple[str, ...]:
    return tuple(line for line in read(path).split("\n") if line.strip())


@FUZZ
@given(st.data())
def test_shuffled_and_duplicated_jsonl_lines(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from([VARIANTS, BILINGUAL]))
    lines = list(jsonl_lines(path))
    chosen = data.draw(st.lists(st.sampled_from(lines), max_size=40))
    chosen = data.draw(st.permutations(chosen))
    entries, problems = parse_jsonl("\n".join(chosen), path.name)
    reference, reference_problems = parse_jsonl("\n".join(lines), path.name)
    good = {e.line: e for e in reference}
    bad = {p.line for p in reference_problems}
    expected_entries = [good[lines.index(line) + 1] for line in chosen if lines.index(line) + 1 in good]
    assert [(e.id, e.title, e.summary) for e in entries] == [(e.id, e.title, e.summary) for e in expected_entries]
    # lines that were bad in the file are bad wherever they go; an empty choice is one problem
    assert len(problems) == (sum(1 for line in chosen if lines.index(line) + 1 in bad) or (0 if chosen else 1))


def test_shuffled_real_jsonl_file(embedded_samples: Path, tmp_path: Path) -> None:
    lines = list(jsonl_lines(BILINGUAL)) * 3
    random.Random(7).shuffle(lines)
    entries, problems = parse_jsonl("\n".join(lines), "x.jsonl")
    assert problems == [] and len(entries) == 6 and {e.id for e in entries} == {"2601.00401", "2601.00402"}


@pytest.mark.parametrize("fraction", [0.001, 0.01, 0.1, 0.3, 0.5, 0.77, 0.999])
def test_jsonl_cut_mid_line(fraction: float) -> None:
    text = read(VARIANTS)
    cut = int(len(text) * fraction)
    entries, problems = parse_jsonl(text[:cut], "v.jsonl")
    assert_sane(entries, problems, "v.jsonl", text[:cut])
    whole_lines = text[:cut].count("\n")
    reference = [e for e in parse_jsonl(text, "v.jsonl")[0] if e.line <= whole_lines]
    assert entries[: len(reference)] == reference
