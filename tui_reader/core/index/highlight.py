"""Where a result's matched terms are in a title or a summary, for the UI.

``highlight(text, terms)`` returns character spans; ``fragment(text, terms)``
cuts a short excerpt around the best cluster of matches.  Both re-run the
index's analysis on the text, so English stems (``networks`` for a query
``network``), author names, prefixes and Chinese bigrams all light up
exactly where the index matched them.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui_reader.core.index import analysis
from tui_reader.core.index.query import MatchTerms


def highlight(text: str, terms: MatchTerms | None) -> list[tuple[int, int]]:
    """Sorted, merged ``(start, end)`` spans of ``text`` that matched."""
    if not text or not terms:
        return []
    spans: list[tuple[int, int]] = []
    wanted = terms.terms
    prefixes = tuple(terms.prefixes)
    cjk_terms = [t for t in wanted if analysis.is_cjk(t)]
    for match in analysis.TOKEN.finditer(text):
        word = match.group(2)
        if word is None:
            continue
        stem = analysis.word_term(word, True)
        plain = analysis.word_term(word, False)
        if (stem and stem in wanted) or (plain and plain in wanted) or (
            prefixes and analysis._normalize(word).startswith(prefixes)
        ):
            spans.append((match.start(), match.end()))
    for term in cjk_terms:
        start = text.find(term)
        while start >= 0:
            spans.append((start, start + len(term)))
            start = text.find(term, start + 1)
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True, slots=True)
class Fragment:
    """An excerpt and the spans (relative to ``text``) to highlight in it."""

    text: str
    spans: list[tuple[int, int]]


def fragment(text: str, terms: MatchTerms | None, width: int = 160) -> Fragment:
    """A one-line excerpt of about ``width`` characters around the densest
    run of matches (the start of the text when nothing matched)."""
    flat = " ".join(text.split())
    spans = highlight(flat, terms)
    if len(flat) <= width:
        return Fragment(flat, spans)
    if not spans:
        cut = flat[:width].rsplit(" ", 1)[0] if " " in flat[:width] else flat[:width]
        return Fragment(cut + "…", [])
    # The window holding the most spans, starting at one of them.
    best_start, best_count = spans[0][0], 0
    for i, (start, _) in enumerate(spans):
        count = sum(1 for s, e in spans[i:] if e <= start + width - 20)
        if count > best_count:
            best_start, best_count = start, count
    begin = max(0, best_start - width // 4)
    if begin > 0:
        space = flat.rfind(" ", max(0, begin - 15), best_start)
        if space >= 0 and space < best_start:
            begin = space + 1
    end = min(len(flat), begin + width)
    if end < len(flat):
        space = flat.rfind(" ", begin + width // 2, end)
        if space > 0:
            end = space
    prefix = "…" if begin > 0 else ""
    suffix = "…" if end < len(flat) else ""
    offset = len(prefix) - begin
    out_spans = [
        (max(s, begin) + offset, min(e, end) + offset) for s, e in spans if e > begin and s < end
    ]
    return Fragment(prefix + flat[begin:end] + suffix, out_spans)
