"""Generate a synthetic library in the shape of a fork's ``data`` branch.

Writes what the producer's branch holds (../shared/FORMATS.md §2-3; the
upstream branch: 74,728 papers, 1,001 files, 600 MB over 410 days):

* per calendar day a raw crawl ``YYYY-MM-DD.jsonl`` (cross-listed papers in
  it twice) and ``YYYY-MM-DD_AI_enhanced_<Language>.jsonl``; the Markdown
  digest ``YYYY-MM-DD.md`` only for the newest 40% of the days;
* 180-340 papers listed an announcement day; weekends and holidays repeat
  the last digest (four identical digests over a long weekend); with those
  copies about a third of all entries repeat a paper seen before;
* ~15% of the papers only in raw files, a few with the placeholder texts
  of a failed summary; comments on about half (page counts, acceptances
  such as ``Accepted at CVPR 2026`` or ``ICLR 2026 (Oral)``, github.com
  links); ``code_url`` / ``code_stars`` / ``code_last_update`` on ~10% of
  the newer days' papers;
* summaries in Chinese (as upstream), or English, or mixed; English
  abstracts of 150-250 words, some with 2-3 paragraphs; titles with
  brackets and LaTeX, 17 categories over many archives plus cross-lists;
* a Zipf-like vocabulary of several hundred English and Chinese technical
  terms, grouped by field, so that searches hit realistic numbers of papers.

Deterministic for a seed.  Usage::

    python benchmarks/generate.py OUT_DIR --papers 75000 [--days D] [--seed S]
        [--formats markdown,jsonl] [--language Chinese|English|mixed]

or ``from benchmarks.generate import generate_library`` (its keywords set
every share above).
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``benchmarks`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import vocab as V

MANIFEST = ".benchmark-library.json"  # hidden: the loader skips dot files
GENERATOR_VERSION = 2  # 2: the shape of a real data branch (FORMATS.md §3)
START_DATE = dt.date(2025, 1, 6)  # a Monday; digests exist on weekdays
SUMMARY_KEYS = ("tldr", "motivation", "method", "result", "conclusion")
# What the producer writes in every AI field when its LLM call fails (FORMATS.md §3).
FAILED_SUMMARY = {
    "tldr": "Summary generation failed",
    "motivation": "Motivation analysis unavailable",
    "method": "Method extraction failed",
    "result": "Result analysis unavailable",
    "conclusion": "Conclusion extraction failed",
}
MD_LABELS = {"motivation": "Motivation", "method": "Method", "result": "Result", "conclusion": "Conclusion"}


# --- sampling helpers --------------------------------------------------------------


class Zipf:
    """Draw words with a Zipf-like law (weight 1/(rank+q)^s) over a shuffled list."""

    __slots__ = ("words", "cum")

    def __init__(self, words: list[str], rng: random.Random, s: float = 1.05, q: float = 2.7,
                 weights: list[float] | None = None) -> None:
        words = list(dict.fromkeys(words))
        rng.shuffle(words)
        self.words = words
        if weights is None:
            weights = [1.0 / (rank + q) ** s for rank in range(1, len(words) + 1)]
        self.cum = list(itertools.accumulate(weights))

    def take(self, rng: random.Random, k: int) -> list[str]:
        return rng.choices(self.words, cum_weights=self.cum, k=k)

    def one(self, rng: random.Random) -> str:
        return self.words[bisect.bisect(self.cum, rng.random() * self.cum[-1])]


def mixed(parts: list[tuple[Zipf, float]]) -> Zipf:
    """One sampler over several, each given a share of the total mass."""
    out = Zipf.__new__(Zipf)
    words: list[str] = []
    weights: list[float] = []
    for sampler, share in parts:
        prev = 0.0
        total = sampler.cum[-1]
        for word, cum in zip(sampler.words, sampler.cum):
            words.append(word)
            weights.append((cum - prev) / total * share)
            prev = cum
    out.words = words
    out.cum = list(itertools.accumulate(weights))
    return out


def wrap(text: str, width: int = 80, first_indent: str = "") -> list[str]:
    """Greedy word wrap (much faster than textwrap for this job)."""
    lines: list[str] = []
    current = first_indent
    bare = True
    for word in text.split(" "):
        if not word:
            continue
        if not bare and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        elif bare:
            current += word
            bare = False
        else:
            current += " " + word
    if not bare:
        lines.append(current)
    return lines


def title_case(word: str, first: bool) -> str:
    if not first and word in ("of", "and", "for", "with", "in", "on", "the", "a", "via", "to"):
        return word
    if word[:1] == "$" or any(c.isupper() for c in word):
        return word
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


# --- the vocabulary -----------------------------------------------------------------


class Vocabulary:
    def __init__(self, rng: random.Random) -> None:
        general = Zipf(V.GENERAL, rng)
        function = Zipf(V.FUNCTION_WORDS, rng, s=0.8)
        self.field_terms = {name: Zipf(words, rng) for name, words in V.FIELDS.items()}
        self.function = function
        # Content words of running text: 55% field terms, 45% general terms.
        self.text = {name: mixed([(terms, 0.55), (general, 0.45)]) for name, terms in self.field_terms.items()}
        # Titles: content words only.
        self.title = {name: mixed([(terms, 0.6), (general, 0.4)]) for name, terms in self.field_terms.items()}
        zh_general = Zipf(V.CHINESE["general"], rng, s=1.0)
        zh_glue = Zipf(V.CHINESE_GLUE, rng, s=0.6)
        # Chinese summaries: 22% glue words, 40% field terms, 38% shared terms.
        self.chinese = {name: mixed([(Zipf(V.CHINESE[name], rng, s=1.0), 0.40), (zh_general, 0.38), (zh_glue, 0.22)])
                        for name in V.FIELDS}
        self.categories = list(V.CATEGORIES)
        self.category_cum = list(itertools.accumulate(w for _, w in V.CATEGORIES.values()))


# --- papers -------------------------------------------------------------------------


@dataclass(slots=True)
class Paper:
    id: str
    index: int
    title: str
    json_title: str  # the same title as the crawl writes it (long ones wrapped)
    authors: list[str]
    categories: list[str]
    field: str
    abstract: list[str]  # paragraphs
    comment: str | None
    name: str  # the method's made-up name, for summaries
    code: tuple[str, int | None, str | None] | None  # (code_url, code_stars, code_last_update)
    raw_only: bool = False  # the producer dropped it from every enhanced file
    failed: bool = False  # its LLM call failed: placeholder text in every AI field
    json_summary: str = ""  # the abstract wrapped as the crawl writes it (made on first use)
    ai: dict[str, dict[str, str]] = field(default_factory=dict)  # language -> summary


class Generator:
    def __init__(self, seed: int, papers: int) -> None:
        self.rng = random.Random(seed)
        self.vocab = Vocabulary(self.rng)
        self.authors = self._author_pool(max(600, min(60000, papers // 2 + 500)))

    # names -----------------------------------------------------------------------

    def _author_pool(self, size: int) -> Zipf:
        rng = self.rng
        names: set[str] = set()
        pool: list[str] = []
        while len(pool) < size:
            first = rng.choice(V.FIRST_NAMES)
            last = rng.choice(V.LAST_NAMES)
            roll = rng.random()
            if roll < 0.12:
                name = f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
            elif roll < 0.2:
                name = f"{first[0]}. {last}"
            elif roll < 0.25:
                name = f"{first} {rng.choice(V.LAST_NAMES)} {last}"
            else:
                name = f"{first} {last}"
            if name not in names:
                names.add(name)
                pool.append(name)
        return Zipf(pool, rng, s=0.9, q=10.0)

    def _author_list(self) -> list[str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.001:
            count = rng.randint(200, 800)  # a collaboration paper
        elif roll < 0.03:
            count = rng.randint(10, 30)
        else:
            count = min(1 + int(rng.expovariate(0.28)), 12)
        return list(dict.fromkeys(self.authors.take(rng, count)))

    def _method_name(self) -> str:
        rng = self.rng
        name = rng.choice(V.NAME_PREFIXES) + rng.choice(V.NAME_SUFFIXES)
        if rng.random() < 0.25:
            name += f"-{rng.randint(1, 9)}"
        return name

    # text --------------------------------------------------------------------------

    def _title(self, field_name: str, name: str) -> str:
        rng = self.rng
        words = self.vocab.title[field_name].take(rng, rng.randint(5, 11))
        glue = ("for", "via", "with", "of", "in", "and")
        out: list[str] = []
        for i, word in enumerate(words):
            if 0 < i < len(words) - 1 and rng.random() < 0.22:
                out.append(rng.choice(glue))
            out.append(word)
        roll = rng.random()
        if roll < 0.04:
            out.insert(rng.randrange(len(out)), rng.choice(V.LATEX_BITS))
        elif roll < 0.08:
            out.insert(rng.randrange(len(out) + 1), rng.choice(V.TITLE_ODDITIES))
        text = " ".join(title_case(w, i == 0) for i, w in enumerate(out))
        if rng.random() < 0.3:
            text = f"{name}: {text}"
        if rng.random() < 0.03:
            text = rng.choice(V.TITLE_PREFIXES) + text
        return text

    def _english(self, field_name: str, words: int, name: str, openers: list[str], latex: bool) -> str:
        """Sentences of about ``words`` words: content terms with function
        words between them, an opener phrase, now and then a number, the
        method's name or a LaTeX bit."""
        rng = self.rng
        random_ = rng.random
        content = self.vocab.text[field_name].take(rng, max(4, int(words * 0.6)))
        glue = self.vocab.function.take(rng, len(content))
        sentences: list[str] = []
        i = 0
        while i < len(content):
            length = rng.randint(7, 15)
            chunk: list[str] = []
            for j in range(i, min(i + length, len(content))):
                if chunk and random_() < 0.65:
                    chunk.append(glue[j])
                chunk.append(content[j])
            i += length
            roll = random_()
            if roll < 0.12:
                chunk[rng.randrange(len(chunk))] = name
            elif roll < 0.2:
                chunk[rng.randrange(len(chunk))] = f"{rng.uniform(0.5, 99.5):.1f}%"
            elif latex and roll < 0.3:
                chunk[rng.randrange(len(chunk))] = rng.choice(V.LATEX_BITS)
            if random_() < 0.6:
                sentences.append(f"{rng.choice(openers)} {' '.join(chunk)}.")
            else:
                first = chunk[0]
                chunk[0] = first[:1].upper() + first[1:]
                sentences.append(" ".join(chunk) + ".")
        return " ".join(sentences)

    def _abstract(self, paper_field: str, name: str, code: tuple | None) -> list[str]:
        rng = self.rng
        total = rng.randint(150, 250)
        latex = paper_field in ("hep", "math", "physics", "astro")
        roll = rng.random()
        parts = 1 if roll < 0.85 else (2 if roll < 0.96 else 3)
        sizes = [total // parts] * parts
        paragraphs = [self._english(paper_field, n, name, V.OPENERS, latex) for n in sizes]
        if code is not None:
            lead = self.rng.choice(("The code is available at", "Code is available at", "Code:"))
            paragraphs[-1] += f" {lead} {code[0]}"
        return paragraphs

    def _chinese(self, field_name: str, chars: int, name: str | None) -> str:
        rng = self.rng
        tokens = self.vocab.chinese[field_name].take(rng, chars // 2)
        out: list[str] = []
        length = 0
        clause = 0
        limit = 4 + int(rng.random() * 5)
        if name is not None:
            out.append(name)
        for token in tokens:
            out.append(token)
            length += len(token)
            clause += 1
            if length >= chars:
                break
            if clause >= limit:
                out.append("，" if rng.random() < 0.8 else "。")
                clause = 0
                limit = 4 + int(rng.random() * 5)
        return "".join(out) + "。"

    def _summary(self, paper: Paper, language: str) -> dict[str, str]:
        rng = self.rng
        name = paper.name
        if language == "Chinese":
            f = paper.field
            ai = {
                "tldr": self._chinese(f, rng.randint(60, 120), name if rng.random() < 0.5 else None),
                "motivation": self._chinese(f, rng.randint(45, 85), None),
                "method": self._chinese(f, rng.randint(55, 100), name if rng.random() < 0.3 else None),
                "result": self._chinese(f, rng.randint(45, 90), None),
                "conclusion": self._chinese(f, rng.randint(45, 75), name if rng.random() < 0.3 else None),
            }
            if rng.random() < 0.15:  # an inline numbered list, as the LLM often writes
                steps = [self._chinese(f, rng.randint(18, 30), None)[:-1] for _ in range(rng.randint(2, 4))]
                ai["method"] = self._chinese(f, 20, None)[:-1] + "：" + "；".join(
                    f"{i}）{s}" for i, s in enumerate(steps, 1)) + "。"
        else:
            latex = paper.field in ("hep", "math", "physics", "astro")
            ai = {
                key: self._english(paper.field, rng.randint(*span), name, V.EN_AI_OPENERS[key], latex)
                for key, span in (("tldr", (40, 80)), ("motivation", (22, 40)), ("method", (28, 50)),
                                  ("result", (25, 45)), ("conclusion", (24, 40)))
            }
        roll = rng.random()
        if roll < 0.04:  # a numbered list over several lines
            ai["method"] += "\n" + "\n".join(
                f"{i}. {self._english(paper.field, rng.randint(8, 14), name, ['Then'], False)}" for i in (1, 2, 3))
        elif roll < 0.045:  # display LaTeX
            ai["result"] += "\n\\begin{cases} x_{t+1} = f(x_t) \\\\ y_t = g(x_t) \\end{cases}\n" + (
                "该结果成立。" if language == "Chinese" else "The bound holds.")
        return ai

    def _counts(self) -> str:
        rng = self.rng
        parts = [f"{rng.randint(4, 60)} pages"]
        if rng.random() < 0.75:
            parts.append(f"{rng.randint(1, 20)} figures")
        if rng.random() < 0.35:
            parts.append(f"{rng.randint(1, 9)} tables")
        return ", ".join(parts)

    def _comment(self, code: tuple | None) -> str | None:
        """The authors' arXiv comment, in the proportions of the upstream
        branch (FORMATS.md §3): about half of the papers have one; one
        paper in eight mentions an acceptance (CVPR the most named), one in
        thirty-five a github.com link the producer never took as code_url."""
        rng = self.rng
        roll = rng.random()
        if roll < 0.48:
            return None
        year = rng.choice((2025, 2026, 2026))
        if roll < 0.75:  # page, figure and table counts
            text = self._counts()
            return text if rng.random() < 0.9 else text + ". Preprint, under review"
        if roll < 0.88:  # an acceptance
            venue = "CVPR" if rng.random() < 0.22 else rng.choice(V.VENUES)
            shape = rng.random()
            if shape < 0.35:
                text = f"Accepted at {venue} {year}"
            elif shape < 0.55:
                text = f"Accepted to {venue} {year} Main. {self._counts()}"
            elif shape < 0.7:
                text = f"{venue} {year} ({rng.choice(('Oral', 'Spotlight', 'Poster', 'Highlight'))})"
            elif shape < 0.85:
                text = f"This work has been accepted at {venue} {year}. {self._counts()}"
            else:
                text = f"Camera-ready version for {venue} {year}"
            return text
        if roll < 0.91 and code is None:  # a code link only in the comment
            user = rng.choice(V.LAST_NAMES).lower()
            repo = f"{rng.choice(V.NAME_PREFIXES).lower()}{rng.randint(1, 99)}"
            if rng.random() < 0.5:
                return f"Code: https://github.com/{user}-lab/{repo}"
            return f"{self._counts()}. Code and models will be available at\n  https://github.com/{user}/{repo}"
        user = rng.choice(V.LAST_NAMES).lower()
        return f"Project page: https://{user}.github.io/{rng.choice(V.NAME_PREFIXES).lower()}/"

    def paper(self, arxiv_id: str, index: int, code_share: float = 0.1, raw_only: float = 0.0,
              failed: float = 0.0) -> Paper:
        """A new paper; ``code_share`` of papers get code fields, ``raw_only``
        never make it into an enhanced file, ``failed`` get placeholders."""
        rng = self.rng
        vocab = self.vocab
        main = vocab.categories[bisect.bisect(vocab.category_cum, rng.random() * vocab.category_cum[-1])]
        field_name = V.CATEGORIES[main][0]
        categories = [main]
        for _ in range(min(int(rng.expovariate(1.1)), 3)):
            extra = rng.choice(V.CROSS_LISTS[field_name])
            if extra not in categories:
                categories.append(extra)
        name = self._method_name()
        code = None
        if rng.random() < code_share:
            url = f"https://github.com/{rng.choice(V.LAST_NAMES).lower()}/{name.lower()}"
            if rng.random() < 0.05:
                url = f"https://{rng.choice(V.LAST_NAMES).lower()}.github.io/{name.lower()}"
            stars = last = None
            if rng.random() < 0.7:  # the producer's GitHub look-up succeeded
                stars = min(int(rng.expovariate(1 / 25)), 20000) if rng.random() < 0.97 else rng.randint(500, 9000)
                last = (START_DATE + dt.timedelta(days=rng.randint(0, 600))).isoformat()
            code = (url, stars, last)
        title = self._title(field_name, name)
        json_title = title
        if len(title) > 80 and rng.random() < 0.3:
            json_title = "\n  ".join(wrap(title, 78))
        return Paper(
            id=arxiv_id,
            index=index,
            title=title,
            json_title=json_title,
            authors=self._author_list(),
            categories=categories,
            field=field_name,
            abstract=self._abstract(field_name, name, code),
            comment=self._comment(code),
            name=name,
            code=code,
            raw_only=rng.random() < raw_only,
            failed=rng.random() < failed,
        )

    def summary(self, paper: Paper, language: str) -> dict[str, str]:
        if paper.failed:
            return FAILED_SUMMARY
        ai = paper.ai.get(language)
        if ai is None:
            ai = paper.ai[language] = self._summary(paper, language)
        return ai


# --- rendering ----------------------------------------------------------------------


def render_markdown(day: list[tuple[Paper, str]], summaries: list[dict[str, str]]) -> str:
    """One day's Markdown digest; ``day`` is (paper, version) in digest order."""
    sections: dict[str, list[int]] = {}
    for i, (paper, _) in enumerate(day):
        sections.setdefault(paper.categories[0], []).append(i)
    order = [c for c in V.CATEGORIES if c in sections]
    out = ["<div id=toc></div>\n\n# Table of Contents\n\n"]
    for category in order:
        out.append(f"- [{category}](#{category}) [Total: {len(sections[category])}]\n")
    out.append("\n\n")
    number = 0
    for category in order:
        out.append(f"<div id='{category}'></div>\n\n# {category} [[Back]](#toc)\n\n")
        for i in sections[category]:
            paper, version = day[i]
            ai = summaries[i]
            number += 1
            abstract = paper.abstract[0]
            if len(paper.abstract) > 1:
                abstract += "".join("\n  " + p for p in paper.abstract[1:])
            out.append(
                f"### [{number}] [{paper.title}](https://arxiv.org/abs/{paper.id}{version})\n"
                f"*{','.join(paper.authors)}*\n\n"
                f"Main category: {category}\n\n"
                f"TL;DR: {ai['tldr']}\n\n\n"
                "<details>\n  <summary>Details</summary>\n"
                f"Motivation: {ai['motivation']}\n\n"
                f"Method: {ai['method']}\n\n"
                f"Result: {ai['result']}\n\n"
                f"Conclusion: {ai['conclusion']}\n\n"
                f"Abstract: {abstract}\n\n"
                "</details>\n\n\n"
            )
    text = "".join(out)
    return text[:-2]  # the producer ends the file right after the last </details>


def json_record(paper: Paper, version: str, ai: dict[str, str] | None) -> str:
    """One JSONL line, keys in the producer's order; the code fields only
    in enhanced records (the raw crawl has none)."""
    if not paper.json_summary:
        paragraphs = [wrap(p, 80, "  " if i else "") for i, p in enumerate(paper.abstract)]
        paper.json_summary = "\n".join(line for lines in paragraphs for line in lines)
    record: dict[str, object] = {
        "id": paper.id,
        "categories": paper.categories,
        "pdf": f"https://arxiv.org/pdf/{paper.id}{version}",
        "abs": f"https://arxiv.org/abs/{paper.id}{version}",
        "authors": paper.authors,
        "title": paper.json_title,
        "comment": paper.comment,
        "summary": paper.json_summary,
    }
    if ai is not None and paper.code is not None:
        record["code_url"] = paper.code[0]
        if paper.code[1] is not None:
            record["code_stars"] = paper.code[1]
            record["code_last_update"] = paper.code[2]
    if ai is not None:
        record["AI"] = ai
    return json.dumps(record)


# --- planning days ----------------------------------------------------------------------


def plan_new_per_day(rng: random.Random, papers: int, days: int | None,
                     per_day: tuple[int, int], repeat_share: float) -> list[int]:
    """How many new (first-seen) papers each announcement day brings; sums
    to ``papers``.  ``days`` fixes the number of announcement days; else a
    day lists ``per_day`` papers, of which ``repeat_share`` are repeats."""
    if papers <= 0:
        return [0] * (days or 1)
    if days:
        days = max(1, min(days, papers))
        weights = [rng.uniform(0.75, 1.25) for _ in range(days)]
        total = sum(weights)
        counts = [max(1, int(papers * w / total)) for w in weights]
        diff = papers - sum(counts)
        i = 0
        while diff != 0:  # fix the rounding, keeping every day non-empty
            j = i % days
            if diff > 0:
                counts[j] += 1
                diff -= 1
            elif counts[j] > 1:
                counts[j] -= 1
                diff += 1
            i += 1
        return counts
    counts = []
    left = papers
    low, high = per_day
    while left > 0:
        new = max(1, round(rng.randint(low, high) * (1 - repeat_share)))
        new = min(new, left)
        counts.append(new)
        left -= new
    if len(counts) > 1 and counts[-1] < low // 2:
        tail = counts.pop()
        counts[-1] += tail
    return counts


def plan_calendar(rng: random.Random, announcing: int | None, days: int | None,
                  weekend_repeats: bool) -> tuple[list[dt.date], list[bool]]:
    """Calendar days from START_DATE and whether each is an announcement
    day.  The producer's job runs every day but arXiv announces nothing at
    weekends and on holidays: such a day's digest is a copy of the last
    one (FORMATS.md §3: 2026-06-19 … 2026-06-22 are four copies).  Either
    ``days`` calendar days, or as many as it takes to hold ``announcing``
    announcement days."""
    dates: list[dt.date] = []
    announce: list[bool] = []
    day = START_DATE
    while (len(dates) < days) if days else (sum(announce) < (announcing or 1)):
        is_new = not weekend_repeats or not dates or (day.weekday() < 5 and rng.random() >= 0.03)
        dates.append(day)
        announce.append(is_new)
        day += dt.timedelta(days=1)
    return dates, announce


def generate_library(
    out_dir: str | os.PathLike[str],
    papers: int = 1000,
    days: int | None = None,
    seed: int = 0,
    formats: tuple[str, ...] | list[str] = ("markdown", "jsonl"),
    language: str = "Chinese",
    per_day: tuple[int, int] = (180, 340),
    repeat_share: float = 0.08,
    extra_day_dir: str | os.PathLike[str] | None = None,
    *,
    markdown_share: float = 0.4,
    weekend_repeats: bool = True,
    raw_only_share: float = 0.155,
    failed_share: float = 0.0015,
    raw_duplicates: float = 0.25,
    code_days_share: float = 0.45,
    code_share: float = 0.1,
) -> dict:
    """Write a library of ``papers`` unique papers into ``out_dir``, in the
    shape of a fork's ``data`` branch (FORMATS.md §3); every share below is
    of the upstream branch unless changed:

    * per calendar day a raw ``YYYY-MM-DD.jsonl`` and an enhanced
      ``YYYY-MM-DD_AI_enhanced_<Language>.jsonl``; a Markdown digest only
      for the newest ``markdown_share`` of the days (with ``formats``
      holding both; Markdown alone writes it every day);
    * ``weekend_repeats``: at weekends and on holidays the digest is a copy
      of the last announcement day's (its papers in another order);
    * ``raw_only_share`` of the papers only in raw files (the producer
      dropped them from the enhanced file), ``failed_share`` with the
      placeholder texts of a failed LLM call in every AI field;
    * ``repeat_share`` of an announcement day's listing repeats a paper of
      an earlier day (with the weekend copies, about a third of all
      entries are repeats); ``raw_duplicates`` of a raw file's papers are
      listed twice in it (cross-listed, crawled in two categories);
    * comments on about half of the papers (page counts, acceptances,
      github.com links); code fields (``code_url``, ``code_stars``,
      ``code_last_update``, enhanced records only) on ``code_share`` of the
      papers of the newest ``code_days_share`` of the days.

    ``days`` fixes the number of calendar days (else ``per_day`` papers are
    listed an announcement day).  ``language`` is ``"Chinese"`` (the
    upstream branch), ``"English"``, or ``"mixed"`` (Chinese on ~80% of
    days, English on the rest, a few days with both enhanced files).  With
    ``extra_day_dir``, one more announcement day (its own new papers plus
    repeats) is written there: the "next day" for incremental-update
    benchmarks.  Returns a summary (also written to
    ``out_dir/.benchmark-library.json``).
    """
    started = time.perf_counter()
    formats = tuple(formats)
    unknown = set(formats) - {"markdown", "jsonl"}
    if unknown:
        raise ValueError(f"unknown formats: {', '.join(sorted(unknown))}")
    if language not in ("mixed", "Chinese", "English"):
        raise ValueError("language must be mixed, Chinese or English")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    gen = Generator(seed, papers)
    rng = gen.rng
    # Apart, so that a seed makes the same papers whatever the formats.
    dup_rng = random.Random(seed * 7919 + 1)
    if "jsonl" not in formats:
        raw_only_share = 0.0  # no raw file to hold them: every paper is in the Markdown

    if days:
        dates, announce = plan_calendar(rng, None, days, weekend_repeats)
        new_counts = plan_new_per_day(rng, papers, sum(announce), per_day, repeat_share)
    else:
        new_counts = plan_new_per_day(rng, papers, None, per_day, repeat_share)
        dates, announce = plan_calendar(rng, len(new_counts), None, weekend_repeats)
    announce_days = [c for c, flag in enumerate(announce) if flag]
    new_counts += [0] * (len(announce_days) - len(new_counts))
    if extra_day_dir is not None:
        day = dates[-1] + dt.timedelta(days=1)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        dates.append(day)
        announce.append(True)
        announce_days.append(len(dates) - 1)
        new_counts.append(max(1, min(new_counts[-1] or 1, round(sum(per_day) / 2 * (1 - repeat_share)))))
    n_days = len(dates)
    main_days = n_days - (1 if extra_day_dir is not None else 0)
    markdown_from = main_days - round(main_days * markdown_share) if "jsonl" in formats else 0
    code_from = main_days - round(main_days * code_days_share)

    # Languages per announcement day: (Markdown/main language, extra JSONL language or None).
    languages: dict[int, tuple[str, str | None]] = {}
    for c in announce_days:
        if language == "mixed":
            main = "Chinese" if rng.random() < 0.8 else "English"
            other = ("English" if main == "Chinese" else "Chinese") if rng.random() < 0.07 else None
        else:
            main, other = language, None
        languages[c] = (main, other)

    # Plan first (ids, when each paper is listed again), then write day by
    # day, making each paper on its first day and dropping it after its
    # last, so memory stays flat however big the library.
    listings: dict[int, list[str]] = {c: [] for c in announce_days}  # ids first listed that day
    repeats: dict[int, list[tuple[str, str]]] = {c: [] for c in announce_days}  # (id, version)
    raw_only_rate: dict[int, float] = {}
    month_next: dict[str, int] = {}
    repeated = 0
    for k, (c, count) in enumerate(zip(announce_days, new_counts)):
        # Some days the producer's content check drops many papers, some none.
        raw_only_rate[c] = min(0.9, rng.uniform(0, 2 * raw_only_share))
        month = dates[c].strftime("%y%m")  # ids are YYMM.NNNNN, increasing within a month
        seq = month_next.get(month, rng.randint(1, 400))
        later = len(announce_days) - 1 - k
        for _ in range(count):
            seq += 1 + (rng.random() < 0.3) * rng.randint(1, 4)
            arxiv_id = f"{month}.{seq:05d}"
            listings[c].append(arxiv_id)
            if later > 0 and rng.random() < repeat_share:
                repeated += 1
                step = min(later, 1 + int(rng.expovariate(0.6)))
                repeats[announce_days[k + step]].append((arxiv_id, "v2" if rng.random() < 0.3 else ""))
                if step < later and rng.random() < 0.1:  # listed a third time
                    step2 = step + 1 + min(later - step - 1, int(rng.expovariate(0.6)))
                    repeats[announce_days[k + step2]].append((arxiv_id, ""))
        month_next[month] = seq
    # The day each paper is last listed (copies included): it is let go after.
    last_day: dict[str, int] = {}
    source = 0
    for c in range(n_days):
        if announce[c]:
            source = c
        for arxiv_id in listings[source]:
            last_day[arxiv_id] = c
        for arxiv_id, _ in repeats[source]:
            last_day[arxiv_id] = c

    live: dict[str, Paper] = {}
    index = 0
    files: list[str] = []
    total_bytes = 0
    entries = {"raw": 0, "enhanced": 0, "markdown": 0}
    counted = {"raw_only": 0, "failed": 0, "code": 0, "comment": 0, "repeated_entries": 0, "copy_days": 0}
    extra_files: list[str] = []
    day: list[tuple[Paper, str]] = []
    main_language, other_language = language if language != "mixed" else "Chinese", None
    for c in range(n_days):
        extra = extra_day_dir is not None and c == n_days - 1
        target = Path(extra_day_dir) if extra else out
        target.mkdir(parents=True, exist_ok=True)
        if announce[c]:
            for arxiv_id in listings[c]:
                paper = live[arxiv_id] = gen.paper(arxiv_id, index, code_share if c >= code_from else 0.0,
                                                   raw_only_rate[c], failed_share)
                index += 1
                if not extra:
                    counted["raw_only"] += paper.raw_only
                    counted["failed"] += paper.failed
                    counted["code"] += paper.code is not None and not paper.raw_only
                    counted["comment"] += paper.comment is not None
            day = [(live[i], "") for i in listings[c]] + [(live[i], v) for i, v in repeats[c]]
            # Digest order: by id (repeats are older ids).
            day.sort(key=lambda item: item[0].id)
            main_language, other_language = languages[c]
        else:  # a weekend or holiday: the last digest again, in another order
            day = day[:]
            rng.shuffle(day)
            counted["copy_days"] += 1
        # Summaries of the raw-only papers too, whatever the formats, so a
        # seed makes the same papers in every format.
        keep = [not p.raw_only for p, _ in day]
        enhanced = [item for item, kept in zip(day, keep) if kept]
        summaries = [ai for ai, kept in zip([gen.summary(p, main_language) for p, _ in day], keep) if kept]
        if other_language is not None:
            other_summaries = [ai for ai, kept in zip([gen.summary(p, other_language) for p, _ in day], keep) if kept]
        stamp = dates[c].isoformat()
        written: list[tuple[str, str, str, int]] = []  # (name, text, kind, entries)
        if "markdown" in formats and c >= markdown_from:
            written.append((f"{stamp}.md", render_markdown(enhanced, summaries), "markdown", len(enhanced)))
        if "jsonl" in formats:
            raw = [json_record(p, v, None) for p, v in day]
            for i in range(len(raw) - 1, -1, -1):  # cross-listed papers crawled twice
                if dup_rng.random() < raw_duplicates:
                    raw.insert(dup_rng.randint(i + 1, len(raw)), raw[i])
            written.append((f"{stamp}.jsonl", "\n".join(raw) + "\n", "raw", len(raw)))
            lines = [json_record(p, v, ai) for (p, v), ai in zip(enhanced, summaries)]
            written.append((f"{stamp}_AI_enhanced_{main_language}.jsonl", "\n".join(lines) + "\n",
                            "enhanced", len(lines)))
            if other_language is not None:
                lines = [json_record(p, v, ai) for (p, v), ai in zip(enhanced, other_summaries)]
                written.append((f"{stamp}_AI_enhanced_{other_language}.jsonl", "\n".join(lines) + "\n",
                                "enhanced", len(lines)))
        for name, text, kind, count in written:
            if not count:
                continue  # the producer writes no empty digest
            data = text.encode("utf-8")
            (target / name).write_bytes(data)
            if extra:
                extra_files.append(str(target / name))
            else:
                files.append(name)
                total_bytes += len(data)
                entries[kind] += count
        if not extra:
            counted["repeated_entries"] += len(day) - (len(listings[c]) if announce[c] else 0)
        for paper, _ in day:
            if last_day[paper.id] == c:
                del live[paper.id]
        del summaries, written, enhanced
        other_summaries = []

    summary = {
        "generator_version": GENERATOR_VERSION,
        "papers": papers,
        "days": main_days,
        "announcement_days": sum(announce[:main_days]),
        "seed": seed,
        "formats": list(formats),
        "language": language,
        "per_day": list(per_day),
        "entries": entries,
        "entries_total": sum(entries.values()),
        "listed": sum(len(listings[c]) + len(repeats[c]) for c in announce_days if c < main_days),
        "repeated_papers": repeated if extra_day_dir is None else None,
        "repeated_entries": counted["repeated_entries"],
        "copy_days": counted["copy_days"],
        "raw_only_papers": counted["raw_only"],
        "failed_papers": counted["failed"],
        "code_papers": counted["code"],
        "comment_papers": counted["comment"],
        "markdown_from": dates[markdown_from].isoformat() if markdown_from < main_days else "",
        "first_date": dates[0].isoformat() if main_days else "",
        "last_date": dates[main_days - 1].isoformat() if main_days else "",
        "languages": {dates[c].isoformat(): [lang for lang in languages[c] if lang]
                      for c in announce_days if c < main_days},
        "files": len(files),
        "bytes": total_bytes,
        "extra_day": (
            {"date": dates[-1].isoformat(), "files": extra_files, "new_papers": new_counts[-1]}
            if extra_day_dir is not None else None
        ),
        "seconds": round(time.perf_counter() - started, 3),
    }
    (out / MANIFEST).write_text(json.dumps(summary, indent=1) + "\n", encoding="utf-8")
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate a synthetic library of daily arXiv digests.")
    parser.add_argument("out_dir", metavar="OUT_DIR")
    parser.add_argument("--papers", type=int, default=1000, help="number of unique papers (default 1000)")
    parser.add_argument("--days", type=int, default=None,
                        help="number of calendar days (default: 180-340 papers listed an announcement day)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default="markdown,jsonl", help="comma-separated: markdown,jsonl")
    parser.add_argument("--language", default="Chinese", choices=("mixed", "Chinese", "English"),
                        help="summary language (default Chinese, as upstream)")
    parser.add_argument("--extra-day", metavar="DIR", default=None,
                        help="also write one more day into DIR (for incremental-update benchmarks)")
    args = parser.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    summary = generate_library(args.out_dir, papers=args.papers, days=args.days, seed=args.seed,
                               formats=formats, language=args.language, extra_day_dir=args.extra_day)
    print(f"{summary['papers']} papers over {summary['days']} days, {summary['files']} files, "
          f"{summary['bytes'] / 1e6:.1f} MB in {summary['seconds']:.1f} s -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
