"""The producer's signals: venue, acceptance, counts and links read from
real arXiv comments, the code fields, and the failure placeholders.

``data/comment_signals.txt`` holds, for 331 real comments of
../shared/samples (by arXiv id), the values a reader takes from them,
written by reading each comment: ``id|venue|accepted|pages|figures|code|project``.
"""

from __future__ import annotations

import json

import pytest

from tests.support import SHARED_SAMPLES, TESTS
from tui_reader.core.model import Paper
from tui_reader.core.placeholders import is_placeholder, scrub
from tui_reader.core.signals import EMPTY, code_repository, compute, parse_comment, safe_link, signals_of

EXPECTED = TESTS / "unit" / "data" / "comment_signals.txt"


def _sample_comments() -> dict[str, str]:
    comments: dict[str, str] = {}
    for path in sorted(SHARED_SAMPLES.glob("*/*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue
            if isinstance(record, dict) and record.get("comment"):
                comments.setdefault(str(record["id"]).split("v")[0], record["comment"])
    return comments


def _expected() -> list[tuple]:
    rows = []
    for line in EXPECTED.read_text(encoding="utf-8").splitlines():
        ident, venue, accepted, pages, figures, code, project = line.split("|")
        rows.append((ident, venue, accepted == "1", int(pages) if pages else None,
                     int(figures) if figures else None, code, project))
    return rows


@pytest.fixture(scope="module")
def comments() -> dict[str, str]:
    if not SHARED_SAMPLES.is_dir():
        pytest.skip("../shared/samples is not beside this checkout")
    return _sample_comments()


def test_at_least_200_real_comments_are_checked(comments):
    rows = _expected()
    assert len(rows) >= 200
    assert all(row[0] in comments for row in rows)


@pytest.mark.parametrize("row", _expected(), ids=lambda row: row[0])
def test_comment_signals(comments, row):
    ident, venue, accepted, pages, figures, code, project = row
    found = parse_comment(comments[ident])
    assert (found.venue, found.accepted, found.pages, found.figures, found.code_url, found.project_url) == (
        venue, accepted, pages, figures, code, project)


def test_venue_parts_for_facets():
    found = parse_comment("Accepted at ICLR 2026 (Oral). Project page: https://x.github.io/p")
    assert (found.venue, found.venue_name, found.year) == ("ICLR 2026 Oral", "ICLR", 2026)
    found = parse_comment("NeurIPS 2025 Datasets and Benchmarks Track")
    assert found.venue == "NeurIPS 2025 Datasets and Benchmarks"
    assert parse_comment("Accepted at CVPR 2026").venue == "CVPR 2026"
    assert parse_comment("Accepted at CVPR 2026 (Highlight)").venue == "CVPR 2026 Highlight"


def test_submitted_and_rejected_name_no_venue():
    for text in ("Submitted to CVPR 2026", "Under review at ICLR 2026", "Rejected from ICML 2026",
                 "EMNLP 2025 Industry Track submission"):
        found = parse_comment(text)
        assert (found.venue, found.accepted) == ("", False), text


def test_other_links_are_kept_and_unsafe_ones_dropped():
    found = parse_comment("Data: https://huggingface.co/datasets/a/b ; see http://example.org/x and "
                          "https://evil.example/\x1b[31m")
    assert found.links == ("https://huggingface.co/datasets/a/b",)  # http and control characters: dropped
    assert safe_link("javascript:alert(1)") == ""
    assert safe_link("https://a.b/c\nd") == ""
    assert safe_link("http://github.com/a/b") == "https://github.com/a/b"
    assert safe_link("http://example.org/") == ""
    assert code_repository("https://github.com/o/r/tree/main/src") == "https://github.com/o/r"
    assert code_repository("https://github.com/o") == ""
    assert code_repository("https://o.github.io/r") == ""


def _paper(**values) -> Paper:
    paper = Paper("2601.00001", title="t")
    for name, value in values.items():
        setattr(paper, name, value)
    return paper


def test_code_from_the_producer_first_then_the_comment_then_the_abstract():
    paper = _paper(code_url="https://github.com/a/b", code_stars=120, code_updated="2026-06-01",
                   comment="Code: https://github.com/c/d")
    found = compute(paper)
    assert (found.code_url, found.code_from, found.stars, found.code_updated) == (
        "https://github.com/a/b", "producer", 120, "2026-06-01")
    found = compute(_paper(comment="Code: https://github.com/c/d", abstract="see https://github.com/e/f"))
    assert (found.code_url, found.code_from, found.stars) == ("https://github.com/c/d", "comment", None)
    found = compute(_paper(abstract="Code is at https://github.com/e/f."))
    assert (found.code_url, found.code_from) == ("https://github.com/e/f", "abstract")
    # The producer's code_url may be a project page (*.github.io) when no repository was found.
    found = compute(_paper(code_url="https://e.github.io/f", code_stars=3))
    assert (found.code_url, found.project_url, found.stars) == ("", "https://e.github.io/f", None)
    assert compute(_paper()) is EMPTY


def test_signals_are_computed_once():
    paper = _paper(comment="Accepted to ECCV 2026")
    first = signals_of(paper)
    assert signals_of(paper) is first
    assert first.venue == "ECCV 2026"


# --- failure placeholders -------------------------------------------------------

UPSTREAM = ["Summary generation failed", "Motivation analysis unavailable", "Method extraction failed",
            "Result analysis unavailable", "Conclusion extraction failed"]


@pytest.mark.parametrize("text", UPSTREAM + [
    "Task description failed",  # older producer versions (task before tldr)
    "Tóm tắt thất bại", "Phân tích động lực không khả dụng", "Trích xuất phương pháp thất bại",  # Vietnamese fork
    "摘要生成失败", "动机分析不可用", "方法提取失败", "结果分析不可用。", "结论提取失败",  # Chinese
    "要約の生成に失敗しました", "動機の分析は利用できません", "手法の抽出に失敗しました",  # Japanese
    "요약 생성 실패", "방법 추출 실패",  # Korean
    "summary generation failed.", "  SUMMARY GENERATION FAILED ",
    "Zusammenfassung fehlgeschlagen", "Échec de la génération du résumé",
    "总结生成失败", "结果分析失败",  # wordings seen nowhere but made of the same words
])
def test_placeholders_are_recognised(text):
    assert is_placeholder(text)


@pytest.mark.parametrize("text", [
    "The method fails on long inputs, which motivates a new analysis of the results.",
    "本文提出一种方法，分析了现有方法失败的原因。",
    "既存手法が失敗する原因を分析し、新しい手法を提案する。",
    "Result", "方法", "",
    "We show that summary generation failed in 30% of cases with the baseline model and propose a fix.",
])
def test_real_text_is_not_a_placeholder(text):
    assert not is_placeholder(text)


def test_scrub_blanks_placeholders_and_tells_a_failed_summary():
    assert scrub(UPSTREAM) == (["", "", "", "", ""], True)
    kept, failed = scrub(["A real TL;DR.", "Motivation analysis unavailable", "Real method.", "", ""])
    assert (kept, failed) == (["A real TL;DR.", "", "Real method.", "", ""], False)
    assert scrub(["", "", "", "", ""]) == (["", "", "", "", ""], False)
