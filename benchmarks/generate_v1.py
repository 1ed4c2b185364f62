"""The first synthetic library generator (GENERATOR_VERSION 1), frozen.

benchmarks/generate.py now writes libraries in the shape of a real data
branch (version 2).  This copy stays, byte for byte the generator it was,
because benchmarks/relevance_set.json judged queries against a library it
made (same seed, same papers); nothing else should use it.

The original description follows.  Generate a realistic synthetic library of daily arXiv digests.

Writes, per day, the producer's Markdown digest ``YYYY-MM-DD.md`` and the JSONL
pair ``YYYY-MM-DD.jsonl`` (raw crawl) + ``YYYY-MM-DD_AI_enhanced_<Language>.jsonl``,
in the layouts described in ../shared/FORMATS.md and seen in the samples:

* 300-800 papers a day by default, about a third of the papers listed again
  on a later day (same arXiv id, sometimes a new version);
* summaries in Chinese on most days, English on the others (or one language
  throughout), with the lengths of real LLM summaries;
* English abstracts of 150-250 words, some with 2-3 paragraphs;
* titles with brackets and LaTeX, 17 categories over many archives plus
  cross-lists, author names with diacritics, the odd 500-author paper;
* a Zipf-like vocabulary of several hundred English and Chinese technical
  terms, grouped by field, so that searches hit realistic numbers of papers.

Deterministic for a seed.  Usage::

    python benchmarks/generate.py OUT_DIR --papers 40000 [--days D] [--seed S]
        [--formats markdown,jsonl] [--language mixed|Chinese|English]

or ``from benchmarks.generate import generate_library``.
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
GENERATOR_VERSION = 1
START_DATE = dt.date(2025, 1, 6)  # a Monday; digests exist on weekdays
SUMMARY_KEYS = ("tldr", "motivation", "method", "result", "conclusion")
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
    code: tuple[str, int] | None
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

    def _abstract(self, paper_field: str, name: str, code: tuple[str, int] | None) -> list[str]:
        rng = self.rng
        total = rng.randint(150, 250)
        latex = paper_field in ("hep", "math", "physics", "astro")
        roll = rng.random()
        parts = 1 if roll < 0.85 else (2 if roll < 0.96 else 3)
        sizes = [total // parts] * parts
        paragraphs = [self._english(paper_field, n, name, V.OPENERS, latex) for n in sizes]
        if code is not None:
            paragraphs[-1] += f" The code is available at {code[0]}."
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

    def _comment(self) -> str | None:
        rng = self.rng
        roll = rng.random()
        if roll < 0.45:
            return None
        if roll < 0.75:
            return f"{rng.randint(4, 60)} pages, {rng.randint(1, 20)} figures"
        if roll < 0.9:
            return (f"Accepted to {rng.choice(V.VENUES)} {rng.choice((2025, 2026))}. "
                    f"{rng.randint(6, 12)} pages, {rng.randint(2, 9)} figures, {rng.randint(1, 6)} tables")
        return "Code and models will be available at\n  https://github.com/" + (
            f"{rng.choice(V.LAST_NAMES).lower()}-lab/{rng.choice(V.NAME_PREFIXES).lower()}{rng.randint(1, 99)}")

    def paper(self, arxiv_id: str, index: int) -> Paper:
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
        if rng.random() < 0.08:
            code = (f"https://github.com/{rng.choice(V.LAST_NAMES).lower()}/{name.lower()}", rng.randint(0, 3000))
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
            comment=self._comment(),
            name=name,
            code=code,
        )

    def summary(self, paper: Paper, language: str) -> dict[str, str]:
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
    if paper.code is not None:
        record["code_url"] = paper.code[0]
        record["code_stars"] = paper.code[1]
        record["code_last_update"] = "2025-12-01"
    if ai is not None:
        record["AI"] = ai
    return json.dumps(record)


# --- planning days ----------------------------------------------------------------------


def weekdays(start: dt.date, count: int) -> list[dt.date]:
    out: list[dt.date] = []
    day = start
    while len(out) < count:
        if day.weekday() < 5:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def plan_new_per_day(rng: random.Random, papers: int, days: int | None,
                     per_day: tuple[int, int]) -> list[int]:
    """How many new (first-seen) papers each day brings; sums to ``papers``."""
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
        # About a quarter of a day's listing is repeats, so new = 3/4 of it.
        new = max(1, round(rng.randint(low, high) * 0.75))
        new = min(new, left)
        counts.append(new)
        left -= new
    if len(counts) > 1 and counts[-1] < low // 2:
        tail = counts.pop()
        counts[-1] += tail
    return counts


def generate_library(
    out_dir: str | os.PathLike[str],
    papers: int = 1000,
    days: int | None = None,
    seed: int = 0,
    formats: tuple[str, ...] | list[str] = ("markdown", "jsonl"),
    language: str = "mixed",
    per_day: tuple[int, int] = (300, 800),
    repeat_share: float = 1 / 3,
    extra_day_dir: str | os.PathLike[str] | None = None,
) -> dict:
    """Write a library of ``papers`` unique papers into ``out_dir``.

    ``language`` is ``"mixed"`` (Chinese on ~80% of days, English on the rest,
    a few days with both enhanced JSONL files), ``"Chinese"`` or ``"English"``.
    With ``extra_day_dir``, one more day (its own new papers plus repeats) is
    written there: the "next day" for incremental-update benchmarks.
    Returns a summary (also written to ``out_dir/.benchmark-library.json``).
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

    new_counts = plan_new_per_day(rng, papers, days, per_day)
    if extra_day_dir is not None:
        new_counts.append(max(1, min(new_counts[-1], round(sum(per_day) / 2 * 0.75))))
    n_days = len(new_counts)
    dates = weekdays(START_DATE, n_days)

    # Languages per day: (Markdown/main language, extra JSONL language or None).
    languages: list[tuple[str, str | None]] = []
    for _ in range(n_days):
        if language == "mixed":
            main = "Chinese" if rng.random() < 0.8 else "English"
            other = ("English" if main == "Chinese" else "Chinese") if rng.random() < 0.07 else None
        else:
            main, other = language, None
        languages.append((main, other))

    # Plan first (ids and when each paper is listed again), then write day by
    # day, making each paper on its first day and dropping it after its last,
    # so memory stays flat however big the library.
    listings: list[list[str]] = [[] for _ in range(n_days)]  # ids first listed that day
    repeats: list[list[tuple[str, str]]] = [[] for _ in range(n_days)]  # (id, version)
    last_day: dict[str, int] = {}
    month_next: dict[str, int] = {}
    repeated = 0
    for d, count in enumerate(new_counts):
        month = dates[d].strftime("%y%m")  # ids are YYMM.NNNNN, increasing within a month
        seq = month_next.get(month, rng.randint(1, 400))
        later = n_days - 1 - d
        for _ in range(count):
            seq += 1 + (rng.random() < 0.3) * rng.randint(1, 4)
            arxiv_id = f"{month}.{seq:05d}"
            listings[d].append(arxiv_id)
            last_day[arxiv_id] = d
            if later > 0 and rng.random() < repeat_share:
                repeated += 1
                step = min(later, 1 + int(rng.expovariate(0.6)))
                repeats[d + step].append((arxiv_id, "v2" if rng.random() < 0.3 else ""))
                last_day[arxiv_id] = d + step
                if step < later and rng.random() < 0.1:  # listed a third time
                    step2 = step + 1 + min(later - step - 1, int(rng.expovariate(0.6)))
                    repeats[d + step2].append((arxiv_id, ""))
                    last_day[arxiv_id] = d + step2
        month_next[month] = seq

    live: dict[str, Paper] = {}
    index = 0
    repeated_entries = 0
    files: list[str] = []
    total_bytes = 0
    entries = 0
    extra_files: list[str] = []
    for d in range(n_days):
        target = out if (extra_day_dir is None or d < n_days - 1) else Path(extra_day_dir)
        target.mkdir(parents=True, exist_ok=True)
        for arxiv_id in listings[d]:
            live[arxiv_id] = gen.paper(arxiv_id, index)
            index += 1
        day = [(live[i], "") for i in listings[d]] + [(live[i], v) for i, v in repeats[d]]
        # Digest order: sections by category, then by id (repeats are older ids).
        day.sort(key=lambda item: item[0].id)
        main_language, other_language = languages[d]
        summaries = [gen.summary(p, main_language) for p, _ in day]
        if other_language is not None:  # made whatever the formats, so a seed gives the same papers
            other_summaries = [gen.summary(p, other_language) for p, _ in day]
        stamp = dates[d].isoformat()
        written: list[tuple[str, str]] = []
        if "markdown" in formats:
            written.append((f"{stamp}.md", render_markdown(day, summaries)))
        if "jsonl" in formats:
            written.append((f"{stamp}.jsonl", "\n".join(json_record(p, v, None) for p, v in day) + "\n"))
            lines = [json_record(p, v, ai) for (p, v), ai in zip(day, summaries)]
            written.append((f"{stamp}_AI_enhanced_{main_language}.jsonl", "\n".join(lines) + "\n"))
            if other_language is not None:
                lines = [json_record(p, v, ai) for (p, v), ai in zip(day, other_summaries)]
                written.append((f"{stamp}_AI_enhanced_{other_language}.jsonl", "\n".join(lines) + "\n"))
        for name, text in written:
            data = text.encode("utf-8")
            (target / name).write_bytes(data)
            if target == out:
                files.append(name)
                total_bytes += len(data)
            else:
                extra_files.append(str(target / name))
        if target == out:
            entries += len(day)
            repeated_entries += len(repeats[d])
        for paper, _ in day:
            if last_day[paper.id] == d:
                del live[paper.id]
        del day, summaries, written
        other_summaries = []


    main_days = n_days - (1 if extra_day_dir is not None else 0)
    summary = {
        "generator_version": GENERATOR_VERSION,
        "papers": papers,
        "days": main_days,
        "seed": seed,
        "formats": list(formats),
        "language": language,
        "per_day": list(per_day),
        "entries_per_format": entries,
        "repeated_papers": repeated if extra_day_dir is None else None,
        "repeated_entries": repeated_entries,
        "first_date": dates[0].isoformat() if main_days else "",
        "last_date": dates[main_days - 1].isoformat() if main_days else "",
        "languages": {dates[d].isoformat(): [name for name in languages[d] if name] for d in range(main_days)},
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
    parser.add_argument("--days", type=int, default=None, help="number of days (default: 300-800 papers a day)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--formats", default="markdown,jsonl", help="comma-separated: markdown,jsonl")
    parser.add_argument("--language", default="mixed", choices=("mixed", "Chinese", "English"))
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
