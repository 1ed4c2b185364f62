"""Text helpers shared by the parsers, the CLI and the UI: making untrusted
paper text safe to print, telling a summary's language, dates in file names.
"""

from __future__ import annotations

import datetime as _dt
import re

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
_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ud800-\udfff\ufeff\ufff9-\ufffb]"
)
_NEEDS_CLEANING = re.compile(_CONTROLS.pattern + "|\t")


def clean(text: str) -> str:
    """Remove terminal control sequences and invisible control characters.

    Keeps newlines and turns tabs into spaces; everything else printable stays
    exactly as it was (brackets included: markup safety is the renderer's
    job, done by never interpreting paper text as markup).
    """
    if not _NEEDS_CLEANING.search(text):
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

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_WORD = re.compile(r"[a-zA-Z\u00c0-\u024f]+")

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
    kana = len(_KANA.findall(sample))
    han = len(_HAN.findall(sample))
    hangul = len(_HANGUL.findall(sample))
    cyrillic = len(_CYRILLIC.findall(sample))
    words = _WORD.findall(sample)
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
