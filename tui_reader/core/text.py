"""Text helpers shared by the parsers, the CLI and the UI: making untrusted
paper text safe to print, telling a summary's language, dates in file names.
"""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

# Terminal escape sequences: CSI (ESC [ ... final), OSC (ESC ] ... BEL or ST),
# DCS/SOS/PM/APC strings, and two-character ESC sequences.
_ESCAPES = re.compile(
    r"""
    \x1b\[[0-?]*[ -/]*[@-~]?          # CSI
  | \x9b[0-?]*[ -/]*[@-~]?            # 8-bit CSI
  | \x1b[\]P^_X][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?   # OSC, DCS, PM, APC, SOS
  | \x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?           # 8-bit OSC
  | \x1b[ -/]*[0-~]?                  # other ESC sequences
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, and invisible
# format characters that reorder or hide text (bidi overrides, zero width),
# and lone surrogates (JSON "\\ud800" escapes), which cannot be printed.
# Also the invisible characters whose width terminals disagree on, so that
# a row measured here is as wide as the terminal draws it (a border never
# shifts): the soft hyphen (0 or 1 cell), the Hangul fillers (0 or 2),
# variation selectors (an emoji with VS16 is 1 or 2 cells) and emoji skin
# tone modifiers (drawn on their own by terminals that do not join them).
# Every format character (general category Cf) goes, whatever the block:
# the Arabic letter mark U+061C reorders text like a bidi control, the tag
# characters U+E0000-E007F hide text, and the rest are as invisible (a test
# holds this list to unicodedata's).
_FORMAT_BMP = (
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb"
)
_FORMAT_ASTRAL = (
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e007f"
)
FORMAT_CHARACTERS = _FORMAT_BMP + _FORMAT_ASTRAL
_CONTROLS_BMP = "\x00-\x08\x0b-\x1f\x7f-\x9f\u00ad\u115f\u1160\u3164\ud800-\udfff\ufe00-\ufe0f\uffa0" + _FORMAT_BMP
_CONTROLS = re.compile("[" + _CONTROLS_BMP + "\U0001f3fb-\U0001f3ff" + _FORMAT_ASTRAL + "]")
_NEEDS_CLEANING = re.compile(_CONTROLS.pattern + "|\t")
# The same test, fast (issue 27: the astral ranges above made every search
# walk a list of ranges per character, 3x slower): ASCII text needs only
# its control bytes looked for; other text is first searched with the BMP
# characters (a bitmap) and any astral character, and only a hit is
# checked against the exact set.
_ASCII_NEEDS_CLEANING = re.compile("[\x00-\x09\x0b-\x1f\x7f]")
_MAYBE_NEEDS_CLEANING = re.compile("[\t" + _CONTROLS_BMP + "\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    """Remove terminal control sequences and invisible control characters.

    Keeps newlines and turns tabs into spaces; everything else printable stays
    exactly as it was (brackets included: markup safety is the renderer's
    job, done by never interpreting paper text as markup).
    """
    if text.isascii():
        if _ASCII_NEEDS_CLEANING.search(text) is None:
            return text
    else:
        maybe = _MAYBE_NEEDS_CLEANING.search(text)
        if maybe is None or _NEEDS_CLEANING.search(text, maybe.start()) is None:
            return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPES.sub("", text)
    text = text.replace("\t", " ")
    return _CONTROLS.sub("", text)


def more(count: int, what: str = "characters") -> str:
    """The marker put where text was cut: ``… (1,234 more characters)``."""
    return f"… ({count:,} more {what})"


def cut(text: str, limit: int) -> str:
    """``text`` up to ``limit`` characters, then a :func:`more` marker."""
    if len(text) <= limit:
        return text
    return text[:limit] + " " + more(len(text) - limit)


def one_line(text: str) -> str:
    """Collapse whitespace (newlines included) to single spaces."""
    return " ".join(text.split())


# --- language detection -------------------------------------------------

# Compiled on first use (wide character ranges cost ~6 ms to compile, and
# a command-line search never detects a language).
@lru_cache(maxsize=1)
def _script_patterns() -> tuple[re.Pattern, ...]:
    return (re.compile(r"[\u3040-\u30ff]"),  # kana
            re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"),  # han
            re.compile(r"[\uac00-\ud7af\u1100-\u11ff]"),  # hangul
            re.compile(r"[\u0400-\u04ff]"),  # cyrillic
            re.compile(r"[a-zA-Z\u00c0-\u024f]+"))  # a Latin word

_STOPWORDS: dict[str, frozenset[str]] = {
    # "a" matters: without it a short English summary ("a learned token
    # replaces padding") scores higher as Portuguese, whose list has "a".
    "English": frozenset("the a and of to in is for with that this are on by we as an from".split()),
    "French": frozenset("le la les des et est une dans pour que sur par avec du au sont".split()),
    "German": frozenset("der die das und ist ein eine mit für auf den von zu sich nicht dem".split()),
    "Spanish": frozenset("el la los las y es una en para que por con del se al un".split()),
    "Portuguese": frozenset("o a os as e é um uma em para que por com do da dos não".split()),
    "Italian": frozenset("il lo la gli le e è un una per che con del della sono di".split()),
}


def detect_language(text: str) -> str:
    """Guess the language an LLM summary was written in.

    Returns ``"Chinese"``, ``"Japanese"``, ``"Korean"``, ``"Russian"``, a
    Latin-script language found by stop words (``"English"`` and a few
    others), or ``"Other"``.
    """
    sample = text[:2000]
    if not sample.strip():
        return "Other"
    kana_re, han_re, hangul_re, cyrillic_re, word_re = _script_patterns()
    kana = len(kana_re.findall(sample))
    han = len(han_re.findall(sample))
    hangul = len(hangul_re.findall(sample))
    cyrillic = len(cyrillic_re.findall(sample))
    words = word_re.findall(sample)
    latin = sum(len(w) for w in words)
    scripts = {"Japanese": kana * 3 + (han if kana else 0), "Chinese": han if not kana else 0,
               "Korean": hangul, "Russian": cyrillic}
    best = max(scripts, key=scripts.__getitem__)
    # CJK characters carry a word each, Latin letters about a fifth of one.
    if scripts[best] * 4 >= latin and scripts[best] > 0:
        return best
    if not words:
        return "Other"
    lowered = [w.lower() for w in words[:400]]
    scores = {lang: sum(1 for w in lowered if w in stop) for lang, stop in _STOPWORDS.items()}
    lang = max(scores, key=scores.__getitem__)
    if scores[lang] == 0:
        return "English" if all(ord(c) < 128 for c in sample) else "Other"
    return lang


# --- dates ----------------------------------------------------------------

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def impossible_date_in_name(name: str) -> str:
    """A ``YYYY-MM-DD`` in a file name that is no real date (``2026-02-30``),
    when the name holds no real one; else ``""``."""
    if date_from_name(name):
        return ""
    match = _DATE_IN_NAME.search(name)
    return match[0] if match else ""


def date_from_name(name: str) -> str:
    """The ``YYYY-MM-DD`` date in a file name, or ``""`` when it holds none
    (a file is never dated by today's clock)."""
    for match in _DATE_IN_NAME.finditer(name):
        try:
            return _dt.date(int(match[1]), int(match[2]), int(match[3])).isoformat()
        except ValueError:
            continue
    return ""


# --- widths and line breaking -------------------------------------------------

def cell_width(text: str) -> int:
    """Terminal cells ``text`` takes: wide CJK 2, combining marks 0, an emoji
    2.  Rich's table, which is the one Textual lays rows out with (and agrees
    with wcwidth, the table terminals follow, on all that ``clean`` keeps)."""
    return _cell_len(text)


def _cell_len(text: str) -> int:
    # Rich and uniseg are imported on first use (then this name is Rich's
    # own function): a command-line search never measures nor wraps a line,
    # and they were ~60 ms of its start.
    global _cell_len
    from rich.cells import cell_len

    _cell_len = cell_len
    return cell_len(text)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Where to cut ``text`` into lines at most ``width`` cells wide, as
    ``(start, end)`` offsets into it (the spaces a line ends with are left
    out).  Newlines end lines.  Breaks follow Unicode line breaking (UAX #14,
    from ``uniseg``): Chinese and Japanese break between characters but never
    before ``，。、；：！？）」』`` or after ``（「『`` (kinsoku), Latin words
    stay whole unless longer than a line, and mixed text breaks where the
    script changes.  Cached per text and width."""
    return list(_wrap_offsets(text, max(1, width)))


def wrap_text(text: str, width: int) -> list[str]:
    """``text`` as lines at most ``width`` cells wide (see ``wrap_offsets``)."""
    return [text[start:end] for start, end in _wrap_offsets(text, max(1, width))]


@lru_cache(maxsize=8192)
def _wrap_offsets(text: str, width: int) -> tuple[tuple[int, int], ...]:
    lines: list[tuple[int, int]] = []
    start = 0
    for paragraph in text.split("\n"):
        end = start + len(paragraph)
        if _cell_len(paragraph) <= width:
            lines.append((start, start + len(paragraph.rstrip(" "))))
        else:
            lines.extend(_wrap_paragraph(paragraph, start, width))
        start = end + 1
    return tuple(lines)


# Unicode line breaking (UAX #14).  The classes come from uniseg's tables
# (current Unicode); the rules are UAX #14's pair table, applied here in
# one pass because uniseg's own rule engine costs ~140 µs a character
# (200 ms for one abstract), too slow for a keypress.  The unit tests hold
# these breaks against uniseg's full algorithm on real digests.
_NO_BREAK_BEFORE = frozenset("CL CP EX IS SY NS CJ BA HY GL WJ ZW IN PO CM ZWJ".split())
_NO_BREAK_AFTER = frozenset("OP GL WJ PR BB ZW".split())
_NOT_AFTER_SPACE = frozenset("CL CP EX IS SY WJ ZW GL".split())
_ALNUM = frozenset("AL HL NU AI XX SA".split())
_class_cache: dict[str, str] = {}


def _break_class(char: str) -> str:
    cls = _class_cache.get(char)
    if cls is None:
        from uniseg.linebreak import line_break

        cls = line_break(char).name
        if cls == "QU":  # quotation marks: an opening one never ends a line, a closing one never starts one
            category = unicodedata.category(char)
            cls = "OP" if category == "Pi" else "CL" if category == "Pf" else "QU"
        elif cls in ("H2", "H3", "JL", "JV", "JT", "EB", "EM"):
            cls = "ID"
        elif cls == "OP" and unicodedata.east_asian_width(char) in "FW":
            cls = "OPW"  # a wide opening bracket: a word before it may end a line (LB30)
        elif cls == "CP" and unicodedata.east_asian_width(char) in "FW":
            cls = "CL"
        _class_cache[char] = cls
    return cls


def break_points(text: str) -> list[int]:
    """Offsets where a line may begin (UAX #14 with kinsoku), 0 excluded."""
    points: list[int] = []
    before = ""  # the class of the last character that is not a space
    space = False
    for index, char in enumerate(text):
        cls = _break_class(char)
        if cls == "SP":
            space = bool(before)
            continue
        if cls in ("CM", "ZWJ") and before:
            continue  # combining marks go with their base
        if before:
            if space:
                allowed = cls not in _NOT_AFTER_SPACE and before not in ("OP", "OPW")
            elif cls in _NO_BREAK_BEFORE or cls == "QU" or before in _NO_BREAK_AFTER or before in ("OPW", "QU"):
                allowed = False
            elif before in _ALNUM:
                allowed = cls not in _ALNUM and cls not in ("OP", "PR")
            elif before == "CP" or before == "IS":
                allowed = cls not in _ALNUM and cls != "PR"
            elif before == "B2":
                allowed = cls != "B2"
            elif before == "SY" or before == "HY":
                allowed = cls != "NU"
            else:
                allowed = True
            if allowed:
                points.append(index)
        before = cls
        space = False
    return points


def _units(text: str) -> list[str]:
    """``text`` cut at every break point: each piece stays on one line."""
    units: list[str] = []
    start = 0
    for point in break_points(text):
        units.append(text[start:point])
        start = point
    units.append(text[start:])
    return units


def _wrap_paragraph(paragraph: str, offset: int, width: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    line_start = offset  # where the line being filled starts
    line_cells = 0  # its cells without trailing spaces
    pending = 0  # its trailing spaces, kept in case another unit fits
    position = offset
    for unit in _units(paragraph):
        unit_start = position
        position += len(unit)
        body = unit.rstrip(" ")
        spaces = len(unit) - len(body)
        cells = _cell_len(body)
        if line_cells and line_cells + pending + cells <= width:
            line_cells += pending + cells
            pending = spaces
            continue
        if line_cells:
            lines.append((line_start, line_start + _chars_for(paragraph, offset, line_start, unit_start)))
        # The unit starts a line; a unit wider than a line (a long word, a
        # URL) is cut where the cells run out, whole characters only.
        line_start = unit_start
        while cells > width:
            from rich.cells import chop_cells

            piece = chop_cells(body, width)[0] or body[0]  # a wide character on a 1-cell line: alone
            lines.append((line_start, line_start + len(piece)))
            line_start += len(piece)
            body = body[len(piece):]
            cells = _cell_len(body)
        line_cells = cells
        pending = spaces
        if not body:  # only spaces were left
            line_cells = 0
    if line_cells or not lines:
        lines.append((line_start, line_start + _line_length(paragraph, offset, line_start)))
    return lines


def _chars_for(paragraph: str, offset: int, line_start: int, line_end: int) -> int:
    """The line from ``line_start`` to ``line_end`` without its trailing spaces."""
    return len(paragraph[line_start - offset:line_end - offset].rstrip(" "))


def _line_length(paragraph: str, offset: int, line_start: int) -> int:
    return len(paragraph[line_start - offset:].rstrip(" "))


def phrase_spans(text: str, phrases: Iterable[str]) -> list[tuple[int, int]]:
    """Where each of ``phrases`` stands in ``text``, case folded: Latin
    words at word boundaries (``graph`` not inside ``paragraph``), Chinese
    and Japanese anywhere.  For highlighting the interest words and a
    paper's reasons; sorted, overlaps left as they are."""
    folded = text.casefold()
    spans = []
    for phrase in {p.casefold().strip() for p in phrases if p and p.strip()}:
        start = folded.find(phrase)
        while start >= 0:
            end = start + len(phrase)
            before = folded[start - 1] if start else " "
            after = folded[end] if end < len(folded) else " "
            latin = phrase[0].isascii() and phrase[0].isalnum()
            if not latin or (not before.isalnum() and not after.isalnum()):
                spans.append((start, end))
            start = folded.find(phrase, end)
    return sorted(spans)
