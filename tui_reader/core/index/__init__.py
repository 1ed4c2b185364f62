"""Full-text search over a library: a Whoosh index, one per library.

No Textual here (the core stays UI-free); every call is safe from a thread
worker, and the big build runs in spawned processes.

API (what the UI and the CLI call)::

    from tui_reader.core.index import SearchIndex, StateFilter, highlight, fragment

    ix = SearchIndex.open(library.key, cache_dir)       # never raises on a bad index
    ix.notices        -> list[str]   human messages: rebuilt, read-only, temporary...
    ix.read_only      -> bool        another instance holds the index: search only

    report = ix.update(library, progress=lambda done, total: ...)
        UpdateReport(added, removed, files_changed, files_removed, seconds,
                     searchable_after, processes, skipped, cancelled)
        Incremental: only papers of new/changed files are (re)indexed, papers of
        files that are gone are dropped.  Thousands of papers: the newest day
        is committed first (searchable_after), the rest is built in two spawned
        processes.  Call it from a thread worker.

    ix.cancel(for_good=False)   from any thread; returns at once
        The running update() (or the next one, if none is running) stops
        within a fraction of a second: between batches of 200 papers, or, in
        the worker phase, its processes are terminated.  It returns an
        UpdateReport with ``cancelled=True`` (no exception).  What it had
        committed stays (usually the newest day) and the index is
        consistent; the next update() indexes the rest.  One cancel() stops
        one update(); for_good=True (the app quitting) stops every later one.
        update() calls from several threads run one after the other.

    result = ix.search(text, limit=200, as_you_type=False, state=None, within=None, cancelled=None,
                       budget=None)
        SearchResult(ids, scores, error, terms, seconds, suggestion, notes, cancelled, cut_off)
        ids        list of paper ids, best first; None for an empty query
                   (meaning: no filter, show everything)
        error      a message for a query that cannot be read (never raises)
        terms      MatchTerms for highlight()/fragment()
        as_you_type=True: the last word, unless followed by a space, is being
        typed: 3+ letters also match the most frequent index terms it
        starts; 1-2 letters are matched against titles/authors in memory
        (a prefix table update() builds).

        within: only these paper ids (a day, a category, a saved view).
        cancelled: () -> bool, polled between posting lists; a cancelled
        search returns SearchResult(cancelled=True).
        budget: seconds (INTERACTIVE_BUDGET, 0.5, for the reader); a query
        that would take longer is cut off: SearchResult(ids=[], cut_off=True)
        with a note that says so, within the budget.
        suggestion: for a query with few or no results, the query with its
        likely typos corrected ("did you mean"), from the library's words.
        state: a StateFilter for is:bookmarked / is:unread / is:read / tag:NAME.

How a search runs: query.py parses the text (a pure parser, no Whoosh:
its table FIELDS says what each ``name:`` is), engine.py evaluates the tree
(the one engine: posting lists of the catch-all field ``all``, whose
weights are precomputed BM25F parts, combined as {docnum: score} dicts;
phrases and CJK words checked against the papers' text in memory; fields
read their own lists).  whoosh_compat.py is the one module that touches
Whoosh's private parts (the postings format, block reads, the commit of
worker-built segments), with a version check.

    ix.close()   (or use ``with``)

    highlight(text, terms) -> list[(start, end)]          spans to emphasise
    fragment(text, terms, width=160) -> Fragment(text, spans)   an excerpt

Query language (also in the README): plain words (all must match; BM25F,
title weighted above the rest), "quoted phrases", prefix*, fuzzy~ (or ~2),
OR, NOT / -word, parentheses, fields title: author: abstract: tldr: method:
result: motivation: conclusion: cat: (cat:cs.LG, cat:cs.*) id: date:
(date:2026-03, date:2026-01-01..2026-01-31), is:bookmarked, is:unread, tag:NAME.
"""

from tui_reader.core.index import whoosh_compat  # noqa: F401 - first: imports Whoosh lean (see there)
from tui_reader.core.index.highlight import Fragment, fragment, highlight
from tui_reader.core.index.query import MatchTerms, QueryError
from tui_reader.core.index.schema import SCHEMA_VERSION
from tui_reader.core.index.searching import INTERACTIVE_BUDGET
from tui_reader.core.index.store import SearchIndex, SearchResult, StateFilter, UpdateReport

__all__ = [
    "INTERACTIVE_BUDGET",
    "SCHEMA_VERSION",
    "Fragment",
    "MatchTerms",
    "QueryError",
    "SearchIndex",
    "SearchResult",
    "StateFilter",
    "UpdateReport",
    "fragment",
    "highlight",
]
