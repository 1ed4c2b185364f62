"""Trends of a library: papers per day and per category, the most frequent
title terms over a range, and one term's count over time.  Plain data from
the papers in memory (no index, no Textual); fast enough for a worker on
40,000 papers, and what ``tui-reader stats`` prints.

Terms are the index's English stems (``networks`` and ``network`` count
together) shown in their most frequent spelling; a paper counts once per
term however often its title repeats it.
"""

from __future__ import annotations

import fnmatch
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from tui_reader.core.days import repeats_previous
from tui_reader.core.model import Paper

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*")
# Words of titles that say nothing about a topic.
STOP_WORDS = frozenset(
    """a about above across after against all along also among an and any are as at based be been being between
    beyond both but by can do does for from has have how if in into is it its more most new no non not
    of on one or our over than that the their them then these they this those through to toward towards two under
    up upon use used using via vs we what when where which while who why will with within without you your""".split()
)
_TITLE_TERMS: dict[str, tuple[tuple[str, str], ...]] = {}


@dataclass
class Selection:
    """Which papers trends look at: days from ``start`` to ``end``
    (ISO dates, either open) and categories (``cs.CV``, or ``cs`` / ``cs.*``
    for an archive, or a glob: ``hep-*``; any of a paper's categories)."""

    start: str = ""
    end: str = ""
    categories: tuple[str, ...] = ()

    def day_in(self, day: str) -> bool:
        return bool(day) and (not self.start or day >= self.start) and (not self.end or day <= self.end)

    def category_in(self, paper: Paper) -> bool:
        if not self.categories:
            return True
        categories = [c.lower() for c in paper.categories]
        for wanted in (w.lower() for w in self.categories):
            if any(c in wanted for c in "*?["):  # a glob: cs.*, hep-*, math.[AN]*
                if any(fnmatch.fnmatchcase(c, wanted) for c in categories):
                    return True
            elif any(c == wanted.rstrip(".") or c.split(".")[0] == wanted.rstrip(".") for c in categories):
                return True
        return False


@dataclass
class Trends:
    papers: int = 0  # papers selected
    days: dict[str, int] = field(default_factory=dict)  # day -> papers, oldest first
    categories: list[tuple[str, int]] = field(default_factory=list)  # most papers first
    terms: list[tuple[str, int]] = field(default_factory=list)  # title terms, most papers first
    term: str = ""
    series: list[tuple[str, int]] = field(default_factory=list)  # (day, papers with the term), oldest first

    def as_dict(self) -> dict:
        return {
            "papers": self.papers,
            "days": self.days,
            "categories": dict(self.categories),
            "terms": dict(self.terms),
            "term": {"term": self.term, "days": dict(self.series)} if self.term else None,
        }


def parse_categories(text: str) -> tuple[str, ...]:
    return tuple(c for c in re.split(r"[\s,]+", text.strip()) if c)


def title_terms(paper: Paper) -> tuple[tuple[str, str], ...]:
    """(stem, spelling) of each distinct content word of the title; cached."""
    cached = _TITLE_TERMS.get(paper.id)
    if cached is not None:
        return cached
    from tui_reader.core.index.analysis import word_term

    seen: dict[str, str] = {}
    for match in _WORD.finditer(paper.title):
        word = match.group(0)
        lower = word.lower()
        if len(lower) < 3 or lower in STOP_WORDS or lower.isdigit():
            continue
        stem = word_term(lower, True) if "-" not in lower else lower
        if stem and stem not in seen:
            seen[stem] = lower
    out = tuple(seen.items())
    if len(_TITLE_TERMS) > 500_000:
        _TITLE_TERMS.clear()
    _TITLE_TERMS[paper.id] = out
    return out


def select(papers: Iterable[Paper], selection: Selection) -> list[tuple[Paper, list[str]]]:
    """The papers in the selection, each with its days in the range."""
    out = []
    for paper in papers:
        if not selection.category_in(paper):
            continue
        days = [d for d in paper.dates if selection.day_in(d)]
        if selection.start or selection.end:
            if not days:
                continue
        out.append((paper, days))
    return out


def repeat_days(papers: Iterable[Paper]) -> set[str]:
    """The days whose digest only repeats the day before's (arXiv announces
    nothing at weekends and on holidays; the producer runs anyway)."""
    by_day: dict[str, set[str]] = {}
    for paper in papers:
        for day in paper.dates:
            by_day.setdefault(day, set()).add(paper.id)
    days = sorted(by_day)
    return {day for before, day in zip(days, days[1:]) if repeats_previous(by_day[day], by_day[before])}


def compute(papers: Iterable[Paper], selection: Selection | None = None, term: str = "", top: int = 25) -> Trends:
    """Every figure of the trends screen and ``tui-reader stats``.  ``term``
    (any spelling: ``Networks``) gets its count per day; empty: the top term."""
    selection = selection or Selection()
    papers = list(papers)
    repeats = repeat_days(papers)
    # A weekend's or holiday's copy of the day before is no day of its own.
    chosen = [(paper, [d for d in days if d not in repeats]) for paper, days in select(papers, selection)]
    days: Counter[str] = Counter()
    categories: Counter[str] = Counter()
    terms: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for paper, in_range in chosen:
        days.update(in_range)
        categories.update(set(paper.categories))
        for stem, word in title_terms(paper):
            terms[stem] += 1
            spelling.setdefault(stem, Counter())[word] += 1
    shown = lambda stem: spelling[stem].most_common(1)[0][0]  # noqa: E731
    result = Trends(
        papers=len(chosen),
        days=dict(sorted(days.items())),
        categories=sorted(categories.items(), key=lambda kv: (-kv[1], kv[0])),
        terms=[(shown(s), n) for s, n in sorted(terms.items(), key=lambda kv: (-kv[1], kv[0]))[:top]],
    )
    phrase = _stems(term) if len(term.split()) > 1 else [_stem_of(term)] if term.strip() else []
    if len(phrase) > 1:  # "black hole": the words in that order in the title
        result.term = " ".join(term.lower().split())
        has_term = lambda paper: _holds(_stems(paper.title), phrase)  # noqa: E731
    else:
        wanted = phrase[0] if phrase else (_stem_of(result.terms[0][0]) if result.terms else "")
        result.term = (shown(wanted) if wanted in spelling else term.strip().lower()) if wanted else ""
        has_term = lambda paper: any(stem == wanted for stem, _ in title_terms(paper))  # noqa: E731
    if result.term:
        per_day: Counter[str] = Counter()
        for paper, in_range in chosen:
            if has_term(paper):
                per_day.update(in_range)
        result.series = [(day, per_day.get(day, 0)) for day in result.days]
    return result


def _stems(text: str) -> list[str]:
    """The stems of the words of ``text``, in order (stop words too: a phrase keeps them)."""
    return [_stem_of(match.group(0)) for match in _WORD.finditer(text)]


def _holds(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(words[i:i + n] == phrase for i in range(len(words) - n + 1))


def _stem_of(term: str) -> str:
    from tui_reader.core.index.analysis import word_term

    lower = term.strip().lower()
    return lower if "-" in lower else word_term(lower, True)


SPARKS = " ▁▂▃▄▅▆▇█"


def sparkline(values: list[int]) -> str:
    """One character per value, ``▁`` to ``█`` scaled to the largest."""
    top = max(values, default=0)
    if top <= 0:
        return "▁" * len(values)
    return "".join(SPARKS[max(1, round(v / top * 8))] if v > 0 else "▁" for v in values)
