"""Fuzzing the file readers (issue 19): digests and junk of any size, in
any encoding and line-end style, through ``read_file`` from a real file.
Nothing raises, nothing blocks, every field stays within its cap, no
control character survives, and a valid record survives its neighbours.

Everyday: a short run.  The long one (documented in the README)::

    FUZZ_SECONDS=600 nice -n 10 .venv/bin/python -m pytest -m slow -n 0 \
        tests/robustness/test_reader_fuzz.py
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui_reader.core import reader

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff"
                     "\U000e0000-\U000e007f]")
FIELDS = ("tldr", "motivation", "method", "result", "conclusion")

# Any character up to U+2FFFF, and the invisible ones that reorder or hide text (issue 28.6).
HOSTILE = st.sampled_from(["\u061c", "\u2066", "\u202e", "\U000e0001", "\U000e0041", "\U000e007f", "\x00"])
text = st.text(alphabet=st.one_of(st.characters(min_codepoint=0, max_codepoint=0x2FFFF), HOSTILE), max_size=300)
big_text = st.one_of(text, st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=8), st.integers(1, 40_000)))
json_value = st.recursive(st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
                          lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
                          max_leaves=12)


@st.composite
def records(draw) -> dict:
    record = {
        "id": draw(st.one_of(st.just(f"2601.{draw(st.integers(0, 99999)):05d}"), json_value)),
        "title": draw(st.one_of(big_text, json_value)),
        "authors": draw(st.one_of(st.lists(text, max_size=30), json_value,
                                  st.integers(0, 30_000).map(lambda n: ["A"] * n))),
        "categories": draw(st.one_of(st.lists(text, max_size=5), json_value)),
        "summary": draw(st.one_of(big_text, json_value)),
        "abs": draw(st.one_of(text, json_value)),
        "code_url": draw(st.one_of(text, json_value)),
        "comment": draw(st.one_of(text, st.none())),
    }
    if draw(st.booleans()):
        record["AI"] = draw(st.one_of(st.fixed_dictionaries({k: big_text for k in FIELDS}), json_value))
    return record


def markdown(paper: dict) -> str:
    title = paper["title"] if isinstance(paper["title"], str) else "t"
    return (f"### [1] [{title}](https://arxiv.org/abs/{paper['id']})\n*a,b*\n\nMain category: cs.LG\n\n"
            f"TL;DR: {paper['summary'] if isinstance(paper['summary'], str) else ''}\n\n<details>\n"
            f"Abstract: {title}\n</details>\n")


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "latin-1", "cp1252"]
LINE_ENDS = ["\n", "\r\n", "\r"]


@st.composite
def files(draw) -> tuple[bytes, str]:
    kind = draw(st.sampled_from(["jsonl", "markdown", "junk"]))
    if kind == "junk":
        data = draw(st.binary(max_size=5000))
        if draw(st.booleans()):
            data = data * draw(st.integers(1, 2000))  # sizes up to megabytes
        return data, "2026-01-05.md"
    papers = draw(st.lists(records(), min_size=1, max_size=6))
    if kind == "jsonl":
        lines = [json.dumps(p, ensure_ascii=draw(st.booleans())) for p in papers]
        if draw(st.booleans()):
            lines.insert(0, draw(text) * draw(st.integers(1, 5000)))  # a junk first line
        body = "\n".join(lines)
        name = draw(st.sampled_from(["2026-01-05_AI_enhanced_English.jsonl", "2026-02-30.jsonl", "x.txt"]))
    else:
        body = "".join(markdown(p) for p in papers)
        name = draw(st.sampled_from(["2026-01-05.md", "2026-13-01.md", "digest.txt"]))
    body = body.replace("\n", draw(st.sampled_from(LINE_ENDS)))
    encoding = draw(st.sampled_from(ENCODINGS))
    return body.encode(encoding, errors="replace"), name


def check(data: bytes, name: str, folder: Path) -> None:
    path = folder / name
    path.write_bytes(data)
    result = reader.read_file(str(path))
    assert result.path == str(path)
    for problem in result.problems:
        assert problem.message and problem.line >= 0
    for entry in result.entries:
        assert entry.title.strip() and len(entry.title) <= reader.TITLE_LIMIT + 40
        assert len(entry.authors) <= reader.AUTHORS_LIMIT + 1
        assert all(name.strip() for name in entry.authors), entry.authors
        texts = [entry.title, *entry.authors, *entry.categories, entry.abstract, entry.comment]
        if entry.summary is not None:
            texts += entry.summary.as_tuple()
        for value in texts:
            assert isinstance(value, str) and len(value) <= reader.FIELD_LIMIT + 40
            assert not CONTROL.search(value), repr(value[:80])


EVERYDAY = settings(max_examples=60, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


@EVERYDAY
@given(files())
def test_the_readers_take_any_file(tmp_path_factory, sample) -> None:
    check(*sample, tmp_path_factory.mktemp("fuzz"))


@pytest.mark.slow
def test_fuzz_for_a_while(tmp_path) -> None:
    """Rounds of fresh random examples until FUZZ_SECONDS (default 60) pass;
    any failure is shrunk and reported by Hypothesis as usual."""
    budget = float(os.environ.get("FUZZ_SECONDS", "60"))
    started = time.monotonic()
    rounds = 0

    @settings(max_examples=200, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(files())
    def one(sample) -> None:
        with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
            check(*sample, Path(folder))

    while time.monotonic() - started < budget:
        one()
        rounds += 1
    print(f"fuzz: {rounds} rounds of 200 examples in {time.monotonic() - started:.0f} s")


def test_what_the_long_run_found() -> None:
    """Found by the 10-minute run: control characters between spaces made a
    title of one space (cleaned after the whitespace was collapsed)."""
    data = (b"### [1] [\x1a\r\x1b](https://arxiv.org/abs/2601.00000)\n*a,\x1b \x07,b*\n\n"
            b"Main category: cs.LG\n\nTL;DR: x\n\n<details>\nAbstract: y\n</details>\n")
    result = reader.parse_bytes(data, "2026-01-05.md")
    assert result.entries == [] and "has no title" in result.problems[-1].message
    record = json.dumps({"id": "2601.00001", "title": "T", "authors": ["\x1b \x07", "A"]})
    [entry] = reader.parse_bytes(record.encode(), "2026-01-05.jsonl").entries
    assert entry.authors == ["A"]
