"""Reader for the producer's JSONL files (see FORMATS.md, section 2)."""

from __future__ import annotations

import json
import re

from tui_reader.core.model import Entry, Problem, Summary, split_arxiv_id
from tui_reader.core.placeholders import scrub
from tui_reader.core.text import clean, detect_language

_LANGUAGE_IN_NAME = re.compile(r"_AI_enhanced_([A-Za-z][A-Za-z\-]*)", re.IGNORECASE)
_decode = json.JSONDecoder().decode
# arXiv categories (cs.LG, hep-th, cond-mat.stat-mech); the crawl also lists
# MSC and ACM classes (68T07, I.2.7;) in the same field, which are dropped.
_ARXIV_CATEGORY = re.compile(r"[a-z]+(?:-[a-z]+)?(?:\.[A-Za-z]+(?:-[a-z]+)?)?")


def language_from_name(name: str) -> str:
    match = _LANGUAGE_IN_NAME.search(name)
    return match[1].capitalize() if match else ""


def looks_like_jsonl(text: str) -> bool:
    """JSON objects one a line: most of the first few non-blank lines open
    one (so neither a damaged first line of a JSONL file nor a stray ``{``
    at the top of a Markdown digest decides the format alone)."""
    lines = first_lines(text, 20)
    if not lines:
        return False
    objects = sum(1 for line in lines if line.startswith("{"))
    return objects * 2 >= len(lines)


def first_lines(text: str, count: int, width: int = 200) -> list[str]:
    """The first ``count`` non-blank lines of ``text``, each cut to its first
    ``width`` characters: a long junk first line must not hide the lines
    after it (as ``text[:20000]`` did)."""
    lines: list[str] = []
    start = 0
    while len(lines) < count and start < len(text):
        end = text.find("\n", start)
        if end < 0:
            end = len(text)
        line = text[start:min(end, start + width)].strip()
        if line:
            lines.append(line)
        start = end + 1
    return lines


def _title(value: object) -> str | None:
    """A title is text (a number or a list of text pieces at a push); None
    for anything else (an object, a list of objects): never a Python repr."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return _text(" ".join(value))
    if isinstance(value, (str, int, float)) and not isinstance(value, bool):
        return _text(value)
    return None


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return clean(value.strip())
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list):
        return clean("\n".join(str(v) for v in value if isinstance(v, (str, int, float))
                               and not isinstance(v, bool)).strip())
    return ""


def reflow(text: str) -> str:
    """Undo arXiv's hard line breaks: a line that starts indented opens a new
    paragraph (that is how arXiv marks them); other breaks become spaces."""
    if "\n" not in text:
        return text
    paragraphs: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if paragraphs and paragraphs[-1]:
                paragraphs.append("")
            continue
        if not paragraphs or line[:1].isspace() or not paragraphs[-1]:
            if paragraphs and not paragraphs[-1]:
                paragraphs[-1] = line.strip()
            else:
                paragraphs.append(line.strip())
        else:
            paragraphs[-1] += " " + line.strip()
    return "\n".join(p for p in paragraphs if p)


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        names = (" ".join(clean(n).split()) for n in value.split(","))
        return [n for n in names if n]
    if isinstance(value, list):
        names = (" ".join(clean(str(n)).split()) for n in value
                 if isinstance(n, (str, int)) and not isinstance(n, bool))
        return [n for n in names if n]
    return []


def _stars(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(value: object) -> str:
    """code_last_update: a YYYY-MM-DD date (a longer timestamp is cut to its day)."""
    if isinstance(value, str):
        match = _DAY.match(value.strip())
        if match:
            return match[0]
    return ""


def _record_id(record: dict) -> tuple[str, str] | None:
    """(arXiv id, version) from the record's ``id``, else its ``abs`` or ``pdf`` link."""
    raw_id = record.get("id")
    ident = split_arxiv_id(str(raw_id)) if isinstance(raw_id, (str, int, float)) and str(raw_id).strip() else None
    if ident is None:
        for key in ("abs", "pdf"):
            if isinstance(record.get(key), str):
                ident = split_arxiv_id(record[key])
                if ident:
                    break
    return ident


def _summary(ai: dict, name_language: str, detected: str) -> tuple[Summary | None, str, str]:
    """(the summary or None, the language it failed in or "", the file's
    detected language): the language is detected once a file, from its
    first summary, when the file's name does not give it."""
    values = [_text(ai.get(key)) for key in ("tldr", "motivation", "method", "result", "conclusion")]
    if not values[0]:
        values[0] = _text(ai.get("task"))
    values, did_fail = scrub(values)
    failed = (name_language or "unknown") if did_fail else ""
    if not any(values):
        return None, failed, detected
    if not name_language and not detected:
        detected = detect_language(values[0] + "\n" + values[1] + "\n" + values[2])
    return Summary(*values), failed, detected


def parse_jsonl(text: str, path: str, name_language: str = "") -> tuple[list[Entry], list[Problem]]:
    """Parse one JSONL file; a bad line becomes a problem, the rest loads."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    detected = ""
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = _decode(line)
        except (ValueError, RecursionError) as error:  # RecursionError: absurdly deep nesting
            message = str(error).split(":")[0]
            problems.append(Problem(path, number, f"invalid JSON ({message}); line skipped"))
            continue
        if not isinstance(record, dict):
            problems.append(Problem(path, number, f"expected a JSON object, found {type(record).__name__}; skipped"))
            continue
        ident = _record_id(record)
        if ident is None:
            problems.append(Problem(path, number, "paper has no arXiv id; skipped"))
            continue
        arxiv_id, version = ident
        raw_title = _title(record.get("title"))
        if raw_title is None:
            kind = type(record.get("title")).__name__
            problems.append(Problem(path, number, f"{arxiv_id}: the title is a JSON {kind}, not text; skipped"))
            continue
        title = " ".join(raw_title.split())
        if not title:
            problems.append(Problem(path, number, f"{arxiv_id} has no title; skipped"))
            continue

        summary = None
        language = ""
        failed = ""
        ai = record.get("AI")
        if isinstance(ai, dict):
            summary, failed, detected = _summary(ai, name_language, detected)
            if summary is not None:
                language = name_language or detected
        elif ai is not None:
            problems.append(Problem(path, number,
                                    f"{arxiv_id}: 'AI' is a {type(ai).__name__}, not an object; summary skipped"))

        categories = _names(record.get("categories"))
        if not categories and isinstance(record.get("category"), str):
            categories = _names(record["category"])
        abs_url = _text(record.get("abs")) or f"https://arxiv.org/abs/{arxiv_id}"
        pdf_url = _text(record.get("pdf")) or f"https://arxiv.org/pdf/{arxiv_id}{version}"
        entries.append(
            Entry(
                id=arxiv_id,
                version=version,
                title=title,
                authors=_names(record.get("authors")),
                categories=[c for c in categories if _ARXIV_CATEGORY.fullmatch(c)],
                abstract=reflow(_text(record.get("summary"))),
                abs_url=abs_url,
                pdf_url=pdf_url,
                comment=" ".join(_text(record.get("comment")).split()),
                code_url=_text(record.get("code_url")),
                code_stars=_stars(record.get("code_stars")),
                language=language,
                summary=summary,
                line=number,
                code_updated=_day(record.get("code_last_update")),
                failed=failed,
            )
        )
    if not entries and not problems:
        problems.append(Problem(path, 1, "no papers found in this JSONL file"))
    return entries, problems
