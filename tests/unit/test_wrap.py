"""The line breaker (core.text.wrap_text): exact breaks for Chinese and
Japanese (kinsoku), mixed scripts and long Latin words, and the widths of
every kind of character a digest holds, as a terminal draws them."""

from __future__ import annotations

import json

import pytest

from tui_reader.core.text import break_points, cell_width, clean, wrap_offsets, wrap_text

NO_LINE_STARTS_WITH = "，。、；：！？）」』"
NO_LINE_ENDS_WITH = "（「『"


# --- exact breaks -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "width", "lines"),
    [
        # Chinese breaks between characters.
        ("我们提出了一种新的检测方法", 10, ["我们提出了", "一种新的检", "测方法"]),
        # …but a comma or full stop never starts a line: it goes with the character before.
        ("我们提出了，一种方法。", 10, ["我们提出", "了，一种方", "法。"]),
        ("效果很好！然后", 8, ["效果很", "好！然后"]),
        ("这是：一个；测试、句子", 8, ["这是：一", "个；测", "试、句子"]),
        # An opening bracket never ends a line: it goes with the character after.
        ("在复杂（场景）中", 8, ["在复杂", "（场景）", "中"]),
        ("他说「你好」『再见』", 8, ["他说「你", "好」『再", "见』"]),
        # Mixed text breaks where the script changes when the word does not fit.
        ("基于Transformer的检测", 12, ["基于", "Transformer", "的检测"]),
        ("我们提出了GeoAvatar方法", 12, ["我们提出了", "GeoAvatar方", "法"]),
        # Latin words stay whole…
        ("the quick brown fox jumps over the lazy dog", 10,
         ["the quick", "brown fox", "jumps over", "the lazy", "dog"]),
        # …unless longer than the line.
        ("a supercalifragilistic word", 10, ["a", "supercalif", "ragilistic", "word"]),
        # A hyphenated compound may break after its hyphen.
        ("transformer-based detection", 14, ["transformer-", "based", "detection"]),
        # Newlines end lines; blank lines stay.
        ("one\n\ntwo three", 5, ["one", "", "two", "three"]),
        # Japanese: small kana and the prolonged sound mark never start a line.
        ("コンピューターです", 6, ["コン", "ピュー", "ターで", "す"]),
    ],
)
def test_exact_breaks(text, width, lines):
    assert wrap_text(text, width) == lines


def test_kinsoku_holds_at_every_width_on_real_summaries(databranch):
    texts = []
    for path in sorted(databranch.glob("*_AI_enhanced_Chinese.jsonl"))[:2]:
        for line in path.read_text(encoding="utf-8").splitlines()[:40]:
            try:
                record = json.loads(line)
            except ValueError:
                continue
            ai = record.get("AI") or {}
            texts.extend(clean(v) for v in ai.values() if isinstance(v, str) and v)
    assert len(texts) > 50
    for text in texts:
        for width in (20, 33, 40, 57, 80):
            lines = wrap_text(text, width)
            assert "".join(lines).replace(" ", "") == text.replace(" ", "").replace("\n", "")
            for line in lines:
                assert cell_width(line) <= width
            for before, after in zip(lines, lines[1:]):
                if after:
                    assert after[0] not in NO_LINE_STARTS_WITH, (before, after)
                if before:
                    assert before[-1] not in NO_LINE_ENDS_WITH, (before, after)


def test_breaks_are_uax14_breaks(databranch):
    """Every break offered is one that uniseg's full UAX #14 algorithm allows."""
    from uniseg.linebreak import line_break_boundaries

    path = sorted(databranch.glob("*_AI_enhanced_Chinese.jsonl"))[0]
    checked = 0
    for line in path.read_text(encoding="utf-8").splitlines()[:25]:
        record = json.loads(line)
        for value in (record.get("AI") or {}).values():
            if not isinstance(value, str) or "$" in value or "\\" in value or "+" in value:
                continue
            text = clean(value).replace("\n", " ")
            allowed = set(line_break_boundaries(text))
            extra = [p for p in break_points(text) if p not in allowed]
            assert not extra, [text[max(0, p - 5):p] + "|" + text[p:p + 5] for p in extra]
            checked += 1
    assert checked > 20


def test_offsets_point_into_the_text_and_leave_trailing_spaces_out():
    text = "alpha beta  gamma"
    offsets = wrap_offsets(text, 6)
    assert [text[a:b] for a, b in offsets] == ["alpha", "beta", "gamma"]


def test_a_width_below_one_cell_still_makes_progress():
    assert wrap_text("中文", 1) == ["中", "文"]
    assert wrap_text("abc", 0) == ["a", "b", "c"]


# --- widths ---------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "cells"),
    [
        ("abc", 3),
        ("中文", 4),  # wide CJK
        ("ｶﾀｶﾅ", 4),  # half-width katakana
        ("한국어", 6),  # Hangul syllables
        ("e\u0301", 1),  # a combining mark adds nothing
        ("α-decay", 7),
        ("😀", 2),  # an emoji
        ("…", 1),
    ],
)
def test_widths(text, cells):
    assert cell_width(text) == cells


@pytest.mark.parametrize(
    ("raw", "shown", "cells"),
    [
        ("a\u2764\ufe0fb", "a\u2764b", 3),  # emoji + VS16: 1 cell in tmux, 2 elsewhere: the selector goes
        ("a\u3164b", "ab", 2),  # Hangul filler: 0 cells in Rich, 2 in tmux: it goes
        ("co\u00adoperate", "cooperate", 9),  # soft hyphen: 0 or 1 cell: it goes
        ("\U0001f44d\U0001f3fd", "\U0001f44d", 2),  # skin tone: drawn apart where not joined: it goes
        ("a\u200db", "ab", 2),  # zero-width joiner
    ],
)
def test_characters_terminals_disagree_on_are_dropped(raw, shown, cells):
    assert clean(raw) == shown
    assert cell_width(clean(raw)) == cells


def test_widths_agree_with_wcwidth_the_terminals_table():
    wcwidth = pytest.importorskip("wcwidth")
    samples = ["中文", "ｶﾀｶﾅ", "한국어", "e\u0301", "😀", "α-decay", "（引用）", "a\u2764\ufe0fb", "a\u3164b",
               "co\u00adoperate", "\U0001f44d\U0001f3fd", "基于Transformer的检测"]
    for sample in samples:
        text = clean(sample)
        assert cell_width(text) == wcwidth.wcswidth(text), sample


def test_markdown_exports_wrap_as_the_reader_does():
    from tui_reader.core.state.formats import MD_WIDTH, _md_wrapped

    tldr = "**TL;DR (Chinese):** " + "本文提出一种用于连续图像重建的固定网格局部谱表示方法，" * 6
    lines = _md_wrapped(tldr)
    assert len(lines) > 2
    assert "".join(lines) == tldr
    assert all(cell_width(line) <= MD_WIDTH for line in lines)
    assert not any(line.startswith(tuple(NO_LINE_STARTS_WITH)) for line in lines)
    # A continuation line never turns into a list item.
    lines = _md_wrapped("x " * 40 + "- not a list item 12. nor this")
    assert lines[1].startswith("\\- not")
