"""The JSONL reader on the shared samples and on a fixture holding every
variant FORMATS.md section 2 warns about."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.support import FIXTURES
from tui_reader.core.model import SUMMARY_FIELDS, Entry
from tui_reader.core.parse_jsonl import language_from_name, looks_like_jsonl, parse_jsonl, reflow
from tui_reader.core.reader import read_file
from tui_reader.core.text import clean

VARIANTS = FIXTURES / "jsonl" / "variants_2026-01-16.jsonl"
ARXIV_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?")


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def by_id(entries: list[Entry]) -> dict[str, Entry]:
    return {e.id: e for e in entries}


# --- shared samples -----------------------------------------------------------------


def test_chinese_enhanced_file(shared_samples: Path) -> None:
    path = shared_samples / "jsonl" / "2025-09-15_AI_enhanced_Chinese.jsonl"
    result = read_file(str(path))
    assert (result.kind, result.date, result.language) == ("jsonl", "2025-09-15", "Chinese")
    assert result.problems == []
    raw = records(path)
    assert len(result.entries) == len(raw) == 139
    for entry, record in zip(result.entries, raw):
        assert entry.id == record["id"]
        assert entry.title == " ".join(record["title"].split())
        assert entry.authors == record["authors"]
        # arXiv categories in the crawl's order; MSC/ACM classes dropped
        assert entry.categories == [c for c in record["categories"] if ARXIV_CATEGORY.fullmatch(c)]
        assert entry.categories[0] == record["categories"][0]
        assert entry.language == "Chinese"
        assert entry.summary is not None
        assert entry.summary.tldr == clean(record["AI"]["tldr"].strip())
        for name in SUMMARY_FIELDS:
            assert getattr(entry.summary, name), (entry.id, name)
        assert " ".join(entry.abstract.split()) == " ".join(record["summary"].split())
    dropped = {c for r in raw for c in r["categories"]} - {c for e in result.entries for c in e.categories}
    assert dropped and all(not ARXIV_CATEGORY.fullmatch(c) for c in dropped)  # e.g. 68T07, I.2.7


def test_raw_and_english_files(shared_samples: Path) -> None:
    raw = read_file(str(shared_samples / "jsonl" / "2026-03-04.jsonl"))
    assert (raw.kind, raw.date, raw.language, raw.problems) == ("jsonl", "2026-03-04", "", [])
    assert len(raw.entries) == 100 and len({e.id for e in raw.entries}) == 65
    assert all(e.summary is None and e.language == "" for e in raw.entries)
    english = read_file(str(shared_samples / "jsonl" / "2026-03-04_AI_enhanced_English.jsonl"))
    assert (english.language, english.problems, len(english.entries)) == ("English", [], 65)
    assert all(e.language == "English" and e.summary and all(e.summary.as_tuple()) for e in english.entries)
    assert {e.id for e in english.entries} == {e.id for e in raw.entries}


# --- the variants fixture ------------------------------------------------------------


@pytest.fixture(scope="module")
def variants() -> tuple[dict[str, Entry], list]:
    entries, problems = parse_jsonl(VARIANTS.read_text(encoding="utf-8"), str(VARIANTS))
    return by_id(entries), problems


def test_variant_problems_name_the_right_lines(variants) -> None:
    entries, problems = variants
    assert [(p.file, p.line) for p in problems] == [(str(VARIANTS), n) for n in (3, 6, 7, 10, 11, 12)]
    messages = [p.message for p in problems]
    assert messages[0].startswith("invalid JSON")
    assert messages[1] == "2601.00106: 'AI' is a str, not an object; summary skipped"
    assert messages[2] == "2601.00107: 'AI' is a list, not an object; summary skipped"
    assert messages[3] == "paper has no arXiv id; skipped"
    assert messages[4] == "2601.00111 has no title; skipped"
    assert messages[5] == "expected a JSON object, found list; skipped"
    # every good line, including those after the bad ones, loaded
    assert list(entries) == [
        "2601.00101", "2601.00102", "2601.00104", "2601.00105", "2601.00106", "2601.00107",
        "2601.00108", "math/0211159", "2601.00114", "2601.00115",
    ]
    assert [e.line for e in entries.values()] == [1, 2, 4, 5, 6, 7, 8, 13, 14, 15]


def test_title_with_latex_and_newlines(variants) -> None:
    entry = variants[0]["2601.00101"]
    assert entry.title == r"Holography of $\mathcal{N}=4$ Super Yang-Mills on $S^3 \times \mathbb{R}$"
    assert entry.categories == ["hep-th", "math-ph", "gr-qc"]
    assert entry.comment == "12 pages, 3 figures"
    assert (entry.code_url, entry.code_stars) == ("https://github.com/example/holo", 42)
    # hard breaks undone; the indented line opened a new paragraph
    assert entry.abstract == "We compute a partition function exactly.\nIn a second paragraph we check it numerically."


def test_task_is_the_old_name_of_tldr(variants) -> None:
    entry = variants[0]["2601.00102"]
    assert entry.version == "v2"
    assert entry.summary.tldr == "The old name of the TL;DR."
    assert entry.summary.conclusion == "task is tldr."
    assert entry.categories == ["stat.ML", "cs.LG"]


@pytest.mark.parametrize("ident", ["2601.00104", "2601.00105", "2601.00106", "2601.00107"])
def test_ai_absent_null_string_or_list_loads_without_summary(variants, ident: str) -> None:
    entry = variants[0][ident]
    assert entry.summary is None and entry.language == ""
    assert entry.title and entry.abstract == "We study a problem and solve it."
    assert entry.authors == ["Ada Lovelace", "Alan Turing"]


def test_missing_ai_keys_keep_the_others(variants) -> None:
    summary = variants[0]["2601.00108"].summary
    assert summary.as_tuple() == ("Only two keys survive.", "", "", "A result.", "")


def test_old_style_id_and_id_from_link(variants) -> None:
    entries = variants[0]
    assert entries["math/0211159"].version == "v2"
    assert entries["math/0211159"].categories == ["math.AG", "math.NT"]
    assert entries["2601.00114"].title == "Id Only In The Abs Link"
    assert entries["2601.00115"].categories == ["cs.LG"]  # 68T07 and I.2.7 are not arXiv categories


def test_language_detected_when_the_name_has_none(variants) -> None:
    assert {e.language for e in variants[0].values() if e.summary} == {"English"}
    zh = FIXTURES / "bilingual" / "2026-01-20_AI_enhanced_Chinese.jsonl"
    entries, problems = parse_jsonl(zh.read_text(encoding="utf-8"), "no-language-in-name.jsonl")
    assert problems == [] and {e.language for e in entries} == {"Chinese"}


def test_jsonl_found_by_content_in_a_file_named_md() -> None:
    result = read_file(str(FIXTURES / "jsonl" / "jsonl_named_2026-01-17.md"))
    assert (result.kind, result.date, result.problems) == ("jsonl", "2026-01-17", [])
    assert [e.id for e in result.entries] == ["2601.00201"]


def test_invalid_lines_do_not_stop_the_file() -> None:
    path = FIXTURES / "bad" / "invalid_lines_2026-01-26.jsonl"
    result = read_file(str(path))
    # a damaged first line must not hide the file from the JSONL reader
    assert result.kind == "jsonl"
    assert [e.id for e in result.entries] == ["2601.01001", "2601.01003", "2601.01005"]
    assert [p.line for p in result.problems] == [1, 3, 5]
    assert all(p.message.startswith("invalid JSON") for p in result.problems)


def test_deeply_nested_line_is_one_problem() -> None:
    good = json.dumps({"id": "2601.00001", "title": "Fine"})
    entries, problems = parse_jsonl("[" * 100_000 + "\n" + "{" * 100_000 + "\n" + good, "deep.jsonl")
    assert [e.id for e in entries] == ["2601.00001"]
    assert [p.line for p in problems] == [1, 2]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"id": 1}\n', True),
        ('\n\n  {"id": 1}\n', True),
        ('garbage\n{"a": 1}\n{"b": 2}\n', True),
        ("### [1] [T](https://arxiv.org/abs/2601.00001)\n", False),
        ("<div id=toc></div>\n{not json}\n# Table of Contents\n- a\n- b\n", False),
        ("", False),
    ],
)
def test_looks_like_jsonl(text: str, expected: bool) -> None:
    assert looks_like_jsonl(text) is expected


def test_field_types_that_are_not_strings() -> None:
    lines = [
        {"id": "2601.00001", "title": ["A", "list", "title"], "authors": "Ada Lovelace, Alan Turing",
         "categories": "cs.LG", "summary": None, "comment": 12, "code_stars": "7"},
        {"id": 2601.00002, "abs": "https://arxiv.org/abs/2601.00002v3", "title": {"not": "text"}},
        {"id": "2601.00003", "title": "Ok", "authors": [None, 3, {"x": 1}, "  Grace   Hopper "],
         "categories": None, "code_stars": True, "AI": {"tldr": ["one", "two"], "method": 5}},
    ]
    entries, problems = parse_jsonl("\n".join(json.dumps(r) for r in lines), "types.jsonl")
    first, third = entries
    assert first.title == "A list title"
    assert first.authors == ["Ada Lovelace", "Alan Turing"]
    assert first.categories == ["cs.LG"] and first.abstract == "" and first.comment == "12"
    assert first.code_stars == 7
    assert [p.line for p in problems] == [2]  # the dict title: no title
    assert third.authors == ["3", "Grace Hopper"]
    assert third.code_stars is None and third.categories == []
    assert third.summary.tldr == "one\ntwo" and third.summary.method == "5"


def test_untrusted_jsonl_text() -> None:
    record = {
        "id": "2601.09999",
        "title": "[bold red]x[/] \x1b]0;title\x07Evil\x1b[2J \x1b]52;c;SGVsbG8=\x07\u202eRTL\u200b\x07",
        "authors": ["\x1b[31mMallory\x1b[0m", "[i]Eve[/i]"],
        "categories": ["cs.CR"],
        "summary": "Hello\x1b]8;;http://evil.example\x1b\\ link\x1b]8;;\x1b\\ there.",
        "AI": {"tldr": "[link=http://x]click[/link]\x9b2J", "motivation": "m", "method": "m", "result": "r",
               "conclusion": "c"},
    }
    (entry,), problems = parse_jsonl(json.dumps(record), "evil.jsonl")
    assert problems == []
    assert entry.title == "[bold red]x[/] Evil RTL"
    assert entry.authors == ["Mallory", "[i]Eve[/i]"]
    assert entry.abstract == "Hello link there."
    assert entry.summary.tldr == "[link=http://x]click[/link]"


def test_reflow() -> None:
    assert reflow("one\ntwo\n  three\nfour") == "one two\nthree four"
    assert reflow("a\n\nb") == "a\nb"
    assert reflow("single line") == "single line"


@pytest.mark.parametrize(
    "name, language",
    [
        ("2026-03-04_AI_enhanced_English.jsonl", "English"),
        ("2025-09-15_AI_enhanced_Chinese.jsonl", "Chinese"),
        ("2025-09-15_ai_enhanced_japanese.jsonl", "Japanese"),
        ("2026-03-04.jsonl", ""),
    ],
)
def test_language_from_name(name: str, language: str) -> None:
    assert language_from_name(name) == language


def test_lone_surrogates_are_dropped() -> None:
    line = '{"id": "2601.00001", "title": "a\\ud800b\\udce9c", "authors": ["\\udfffX"]}'
    (entry,), problems = parse_jsonl(line, "s.jsonl")
    assert problems == [] and entry.title == "abc" and entry.authors == ["X"]
    entry.title.encode("utf-8")  # printable


def test_failure_placeholders_are_no_summary(databranch: Path) -> None:
    """2025-10-09's enhanced file holds two papers whose LLM call failed:
    placeholder text in every AI field, in a Chinese file."""
    result = read_file(str(databranch / "2025-10-09_AI_enhanced_Chinese.jsonl"))
    failed = {e.id: e for e in result.entries if e.failed}
    assert set(failed) == {"2510.06559", "2510.07178"}
    for entry in failed.values():
        assert entry.summary is None and entry.failed == "Chinese"
    assert all(e.summary is not None for e in result.entries if not e.failed)


def test_placeholders_in_other_languages_and_partial_ones() -> None:
    lines = [
        {"id": "2601.00001", "title": "A", "AI": {"tldr": "摘要生成失败", "motivation": "动机分析不可用",
                                                  "method": "方法提取失败", "result": "结果分析不可用",
                                                  "conclusion": "结论提取失败"}},
        {"id": "2601.00002", "title": "B",
         "AI": {"tldr": "要約の生成に失敗しました", "method": "手法の抽出に失敗しました"}},
        {"id": "2601.00003", "title": "C",
         "AI": {"tldr": "A real summary.", "motivation": "Motivation analysis unavailable"}},
        {"id": "2601.00004", "title": "D", "code_url": "https://github.com/a/b", "code_stars": 7,
         "code_last_update": "2026-05-04T10:00:00Z"},
    ]
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    entries, problems = parse_jsonl(text, "2026-01-01_AI_enhanced_Japanese.jsonl", "Japanese")
    assert not problems
    by_id = {e.id: e for e in entries}
    assert by_id["2601.00001"].summary is None and by_id["2601.00001"].failed == "Japanese"
    assert by_id["2601.00002"].summary is None and by_id["2601.00002"].failed
    assert by_id["2601.00003"].summary.tldr == "A real summary."
    assert by_id["2601.00003"].summary.motivation == "" and not by_id["2601.00003"].failed
    assert (by_id["2601.00004"].code_stars, by_id["2601.00004"].code_updated) == (7, "2026-05-04")
