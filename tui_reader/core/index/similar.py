"""More like this: papers similar to a paper, or to a set of papers (the
Suggested node), by key terms of the TL;DR and the abstract in every
language, looked up in the catch-all field.  Offline: no model, only the index's own term
statistics (the Bo1 divergence-from-randomness model picks the terms of a
text that are frequent there and rare in the library).

The index stores only ids, so the text comes from the Paper
(``key_terms_from_text``) and results are mapped back to ids through the
``id`` column.  Call from a thread worker.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from tui_reader.core.index import analysis
from tui_reader.core.index.engine import Engine
from tui_reader.core.index.schema import ALL, STEMMED
from tui_reader.core.model import Paper

# The texts whose key terms find similar papers (in the catch-all, which holds them).
FIELDS = ("tldr", "abstract")
# Key terms per field: more terms find closer papers but cost more (an OR of
# them over the library): 8 per field is about 0.5 s on 40,000 papers, 5 about
# 0.2 s (measured on benchmarks/out/lib-40000-s0).
KEY_TERMS = 8
SUGGEST_KEY_TERMS = 5


def paper_text(paper: Paper) -> dict[str, str]:
    """The text of each field of FIELDS: the TL;DR of every language (the
    title too, it is the best summary there is) and the abstract."""
    tldrs = [s.tldr for s in paper.summaries.values() if s.tldr]
    return {"tldr": "\n".join([paper.title, *tldrs]), "abstract": "\n".join([paper.title, paper.abstract])}


@contextmanager
def _open_searcher(index):
    """The one place that reaches into SearchIndex: its current searcher,
    held under the index's lock (searchers are not shared across threads)."""
    with index._mutex:  # see the module docstring
        searcher = index._searcher
        if searcher is None:
            yield None
            return
        yield searcher


def _key_terms(searcher, texts: Iterable[dict[str, str]], numterms: int = KEY_TERMS) -> dict[str, float]:
    """The key terms of ``texts`` (term -> boost): for each of FIELDS, the
    ``numterms`` terms of that text that Bo1 rates most telling against the
    catch-all's document frequencies (the summary fields have no word list
    of their own, schema.CATCH_ONLY); Whoosh's ``Expander`` with ``df``
    for the collection weight."""
    reader = searcher.reader()
    total = max(1, reader.doc_count_all())
    out: dict[str, float] = {}
    for field in FIELDS:
        counts: dict[str, float] = {}
        for text in texts:
            if text.get(field):
                for term, n in analysis.counts(text[field], STEMMED[field]).items():
                    counts[term] = counts.get(term, 0.0) + n
        scored = []
        for term, weight in counts.items():
            try:
                df = reader.doc_frequency(ALL, term.encode("utf-8"))
            except Exception:  # noqa: BLE001 - an empty index
                df = 0
            if df:
                f = df / total
                scored.append((weight * math.log2((1.0 + f) / f) + math.log2(1.0 + f), term))
        if not scored:
            # No word of the text is in the index (a bookmark from another library).
            continue
        best = max(score for score, _ in scored)
        f = best / total
        norm = (best * math.log((1.0 + f) / f) + math.log(1.0 + f)) / math.log(2.0)
        scored.sort(key=lambda x: (-x[0], x[1]))
        for score, term in scored[:numterms]:
            out[term] = out.get(term, 0.0) + score / norm
    return out


def _ids(searcher):
    column = searcher.reader().column_reader("id")

    def lookup(docnum: int) -> str:
        value = column[docnum]
        return value.decode("utf-8") if isinstance(value, bytes) else (value or "")

    return lookup


def _exclude(searcher, ids: Iterable[str]) -> set[int]:
    mask: set[int] = set()
    for pid in ids:
        mask.update(searcher.document_numbers(id=pid))
    return mask


def more_like(index, paper: Paper, limit: int = 50) -> list[tuple[str, float]]:
    """The papers most like ``paper`` (not itself), best first, with scores."""
    return _similar(index, [paper_text(paper)], {paper.id}, limit)


def suggest(index, liked: Iterable[Paper], wanted: set[str] | None = None, limit: int = 100,
            per_paper: int = 60, most: int = 20, cancelled: Callable[[], bool] | None = None,
            ) -> list[tuple[str, float]]:
    """Papers like the ``liked`` ones (bookmarks, newest first), among
    ``wanted`` ids (the unread) when given, best first.  One key-term query
    per liked paper (the ``most`` first ones, a few terms each), each query's
    scores scaled to its best hit and summed, so a paper near several
    bookmarks ranks above a paper near one.  ``cancelled()`` True stops early
    (a newer request is on its way) and returns []."""
    liked = list(liked)[:most]
    exclude = {p.id for p in liked}
    totals: dict[str, float] = {}
    for paper in liked:
        if cancelled is not None and cancelled():
            return []
        hits = _similar(index, [paper_text(paper)], exclude, per_paper if wanted is None else per_paper * 4,
                        SUGGEST_KEY_TERMS)
        if wanted is not None:
            hits = [(pid, s) for pid, s in hits if pid in wanted][:per_paper]
        if not hits:
            continue
        best = hits[0][1] or 1.0
        for pid, score in hits:
            totals[pid] = totals.get(pid, 0.0) + score / best
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    return ranked[:limit]


def _similar(index, texts: list[dict[str, str]], exclude: set[str], limit: int,
             numterms: int = KEY_TERMS) -> list[tuple[str, float]]:
    with _open_searcher(index) as searcher:
        if searcher is None:
            return []
        terms = _key_terms(searcher, texts, numterms)
        if not terms:
            return []
        mask = _exclude(searcher, exclude)
        scores = Engine(searcher).scored(None, terms)
        top = heapq.nsmallest(limit + len(mask), ((-s, d) for d, s in scores.items() if d not in mask))
        results = [(-s, d) for s, d in top]
        lookup = _ids(searcher)
        out: list[tuple[str, float]] = []
        seen = set(exclude)
        for score, docnum in results:
            pid = lookup(docnum)
            if pid and pid not in seen:
                seen.add(pid)
                out.append((pid, float(score)))
        return out[:limit]
