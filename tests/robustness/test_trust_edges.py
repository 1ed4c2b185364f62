"""Issue 28, points 6 (invisible format characters) and 7 (a command line
that cannot do what was asked says so).  Each test failed on the code
before the fix."""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

import pytest

from tui_reader.cli import main
from tui_reader.core.loader import load_library
from tui_reader.core.text import clean

TAGGED = "Hidden \U000e0049\U000e0047\U000e004e\U000e004f\U000e0052\U000e0045 words"  # "IGNORE" in tag characters


def test_every_format_character_is_stripped() -> None:
    kept = [f"U+{code:04X}" for code in range(sys.maxunicode + 1)
            if unicodedata.category(chr(code)) == "Cf" and clean(f"a{chr(code)}b") != "ab"]
    assert kept == []
    assert clean("\u061c" + TAGGED + "\U000e0001\U000e007f") == "Hidden  words"


def test_arabic_letter_mark_and_tags_never_reach_the_library(tmp_path: Path) -> None:
    record = {"id": "2601.00001", "title": "Left\u061cRight " + TAGGED, "authors": ["A\u061cB"],
              "categories": ["cs.LG"], "summary": "Abstract \U000e0041.", "AI": {"tldr": "T\U000e0020L;DR"}}
    path = tmp_path / "2026-01-02_AI_enhanced_English.jsonl"
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    [paper] = load_library([str(tmp_path)]).papers.values()
    shown = [paper.title, *paper.authors, paper.abstract, paper.summaries["English"].tldr]
    assert shown == ["LeftRight Hidden words", "AB", "Abstract .", "TL;DR"]


@pytest.mark.parametrize("command", ["search", "stats"])
def test_a_library_that_is_not_there_is_an_error(command: str, tmp_path: Path, isolated_dirs, capsys) -> None:
    missing = str(tmp_path / "no" / "such" / "path")
    argv = ["search", "model", missing, "--json"] if command == "search" else ["stats", missing]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert f"{missing}: no such file or folder" in captured.err
    if command == "search":
        assert json.loads(captured.out) == []


def test_check_json_escapes_tag_characters_as_surrogate_pairs(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "2026-01-02\U000e0041.jsonl").write_text("not json\n", encoding="utf-8")
    main(["check", str(folder), "--json", "--no-cache"])
    out = capsys.readouterr().out
    assert "\U000e0041" not in out and "\\udb40\\udc41" in out
    assert "2026-01-02\U000e0041.jsonl" in json.dumps(json.loads(out), ensure_ascii=False)


def test_nul_padding_after_valid_records_keeps_what_parses(tmp_path: Path) -> None:
    """Issue 28.6: a file padded with NULs (a crash, a full disk) after a
    valid first record lost that record as "binary file"."""
    from tui_reader.core.reader import read_file

    record = {"id": "2601.00001", "title": "Kept Before The Zeros", "authors": ["A"], "categories": ["cs.LG"],
              "summary": "s", "AI": {"tldr": "t"}}
    jsonl = tmp_path / "2026-01-02_AI_enhanced_English.jsonl"
    jsonl.write_bytes((json.dumps(record) + "\n").encode() + b"\x00" * 65536)
    result = read_file(str(jsonl))
    assert [e.title for e in result.entries] == ["Kept Before The Zeros"]
    assert [p.message for p in result.problems] == ["NUL byte in a text file; ignored"]
    markdown = tmp_path / "2026-01-21.md"
    day = (Path(__file__).parents[1] / "fixtures" / "multiday" / "2026-01-21.md").read_bytes()
    markdown.write_bytes(day + b"\x00" * 20000)
    assert len(read_file(str(markdown)).entries) == len(read_file(str(Path(__file__).parents[1] / "fixtures"
                                                                       / "multiday" / "2026-01-21.md")).entries)
    zeros = tmp_path / "2026-01-03.md"
    zeros.write_bytes(b"\x00" * 20000)
    assert "binary" in read_file(str(zeros)).problems[0].message  # nothing but padding: still not a digest


def _slow_clean(text: str) -> str:
    """clean() as it was before its fast path: the exact test, always."""
    from tui_reader.core import text as module

    if not module._NEEDS_CLEANING.search(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = module._ESCAPES.sub("", text)
    return module._CONTROLS.sub("", text.replace("\t", " "))


def test_clean_fast_path_matches_the_exact_test() -> None:
    """Every character that needs cleaning, alone and among ASCII, CJK and
    astral text, cleans as the exact (slow) test would (issue 27)."""
    import random

    pieces = ["abc", "摘要", "é", "\U0001f600", "\U0001d400", "\n", " ", "x" * 50]
    special = [chr(c) for c in range(0x110000)
               if not 0xD800 <= c <= 0xDFFF and _slow_clean(f"a{chr(c)}b") != f"a{chr(c)}b"]
    special += ["\ud800", "\udfff", "\x1b[31m", "\x1b]8;;x\x07", "\r\n"]
    for char in special:
        for around in ("", "abc", "摘要", "\U0001f600"):
            sample = around + char + around
            assert clean(sample) == _slow_clean(sample), repr(sample)
    rng = random.Random(27)
    for _ in range(3000):
        sample = "".join(rng.choice(pieces + special) for _ in range(rng.randint(0, 8)))
        assert clean(sample) == _slow_clean(sample), repr(sample)
