"""Which papers each interest, mute rule and saved search holds: one index
query per rule, run together in a worker after the index or the rules
change, and kept as sets the list looks up per visible row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from tui_reader.core.discovery.rules import AUTHOR, CATEGORY, Rule, SavedSearch
from tui_reader.core.model import Paper

# Where a keyword matched, in the order a reader cares about.
PLACES = ("title", "authors", "TL;DR", "abstract", "summary")


@dataclass
class Discovery:
    """The result of :func:`compute` (empty until the index is open)."""

    interests: list[Rule] = field(default_factory=list)
    mutes: list[Rule] = field(default_factory=list)
    saved_searches: list[SavedSearch] = field(default_factory=list)
    matched: dict[str, tuple[Rule, ...]] = field(default_factory=dict)  # id -> interests
    muted: dict[str, tuple[Rule, ...]] = field(default_factory=dict)  # id -> mute rules
    saved: dict[str, list[str]] = field(default_factory=dict)  # name -> ids, best first
    counts: dict[tuple[str, str, str], int] = field(default_factory=dict)  # rule.key -> papers
    errors: dict[str, str] = field(default_factory=dict)  # rule label / search name -> message
    terms: dict[tuple[str, str, str], object] = field(default_factory=dict)  # rule.key -> MatchTerms
    seconds: float = 0.0
    _reasons: dict[str, str] = field(default_factory=dict, repr=False)

    def count(self, rule: Rule) -> int:
        return self.counts.get(rule.key, 0)

    def reason(self, paper: Paper) -> str:
        """Which interests match ``paper`` and where: ``diffusion: title,
        abstract · author:Ada Lovelace``.  Computed for the rows shown only
        (re-running the index's analysis on one paper), then cached."""
        cached = self._reasons.get(paper.id)
        if cached is not None:
            return cached
        parts = []
        for rule in self.matched.get(paper.id, ()):
            if rule.field in (CATEGORY, AUTHOR):
                parts.append(rule.label)
            else:
                places = where(paper, self.terms.get(rule.key))
                parts.append(f"{rule.value}: {', '.join(places)}" if places else rule.value)
        text = " · ".join(parts)
        if len(self._reasons) > 50_000:
            self._reasons.clear()
        self._reasons[paper.id] = text
        return text

    def interest_rank(self, papers: Iterable[Paper]) -> list[Paper]:
        """``papers`` with those matching more interests first (stable)."""
        matched = self.matched
        return sorted(papers, key=lambda p: -len(matched.get(p.id, ())))


def where(paper: Paper, terms) -> list[str]:
    """The places of ``paper`` (title, authors, TL;DR, abstract, the rest of
    the summary; every language) where ``terms`` matched."""
    if not terms:
        return []
    from tui_reader.core.index import highlight

    found = []
    summaries = list(paper.summaries.values())
    texts = {
        "title": [paper.title],
        "authors": [", ".join(paper.authors)],
        "TL;DR": [s.tldr for s in summaries],
        "abstract": [paper.abstract],
        "summary": [t for s in summaries for t in (s.motivation, s.method, s.result, s.conclusion)],
    }
    for place in PLACES:
        if any(text and highlight(text, terms) for text in texts[place]):
            found.append(place)
    return found


def compute(index, interests: list[Rule], mutes: list[Rule], saved: list[SavedSearch], state=None) -> Discovery:
    """Run one index query per interest, mute rule and saved search.  Meant
    for a thread worker; never raises for a bad rule (see ``errors``)."""
    import time

    started = time.perf_counter()
    found = Discovery(list(interests), list(mutes), list(saved))
    if index is None:
        return found
    matched: dict[str, list[Rule]] = {}
    muted: dict[str, list[Rule]] = {}
    for rules, into in ((interests, matched), (mutes, muted)):
        for rule in rules:
            result = index.search(rule.query(), limit=None)
            if result.error:
                found.errors[rule.label] = result.error
                continue
            ids = result.ids or []
            found.counts[rule.key] = len(ids)
            found.terms[rule.key] = result.terms
            for pid in ids:
                into.setdefault(pid, []).append(rule)
    found.matched = {pid: tuple(rules) for pid, rules in matched.items()}
    found.muted = {pid: tuple(rules) for pid, rules in muted.items()}
    for search in saved:
        result = index.search(search.query, limit=None, state=state)
        if result.error:
            found.errors[search.name] = result.error
            found.saved[search.name] = []
        elif result.ids is None:  # an empty query: everything
            found.saved[search.name] = index.indexed_ids()
        else:
            found.saved[search.name] = list(result.ids)
    found.seconds = time.perf_counter() - started
    return found
