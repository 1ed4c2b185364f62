"""``tui-reader rank [PATH...] [--day DAY | --since Nd] [--tag TAG] [--limit N] [--json] [--explain ID]``:
a day's papers (default: the newest day) best first, by the model learned
from the reader's decisions (see ``tui-reader decisions``), with the terms
that weighed most.  Trains first when the model is missing or stale and
says so on stderr; before 20 decisions and 5 keeps it ranks by interests
and bookmarks and says so.  ``--json``: one list of objects with ``id``,
``title``, ``score`` (0..1), ``why`` (strings), ``dates``, ``model``.
``--explain ID``: the weights behind that paper's score.  Exit codes: 0,
1 (nothing to rank, an unknown paper or tag), 2 (usage)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys

from rich.table import Table
from rich.text import Text

from tui_reader.commands.common import (
    library_paths,
    stderr_console,
    stdout_console,
    usage_error,
    writable_cache_dir,
)
from tui_reader.core.latex import readable
from tui_reader.core.text import clean, one_line

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}$")
_SINCE = re.compile(r"(\d{1,4})d?$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="digest files or folders (default: the configured library, else the embedded samples)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--day", default="", metavar="DAY",
                      help="the papers of DAY (YYYY-MM-DD; default: the newest day)")
    when.add_argument("--since", default="", metavar="Nd", help="the papers of the library's last N days (7d)")
    parser.add_argument("--tag", default="", help="rank by the model of this tag (a tag with at least 5 papers)")
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the best N")
    parser.add_argument("--json", action="store_true", help="print exactly one JSON document on stdout")
    parser.add_argument("--explain", default="", metavar="ID", help="print the weights behind this paper's score")
    parser.add_argument("--retrain", action="store_true", help="train the model again even when it is current")


def run(args: argparse.Namespace) -> int:
    if args.day and not _DAY.match(args.day):
        return usage_error(f"rank: {args.day!r} is not a day (YYYY-MM-DD)")
    if args.since and not _SINCE.match(args.since):
        return usage_error(f"rank: --since takes a number of days such as 7d, not {args.since!r}")
    if args.limit is not None and args.limit < 1:
        return usage_error("rank: --limit must be at least 1")
    from tui_reader.core.loader import load_library
    from tui_reader.core.state import StateStore

    library = load_library(library_paths(args.paths), writable_cache_dir())
    store = StateStore.open()
    try:
        for notice in store.notices:
            _note(f"tui-reader: {notice}", "yellow")
        return _rank(store, library, args)
    finally:
        store.close()


def _note(message: str, style: str = "") -> None:
    stderr_console().print(Text(clean(message), style=style), soft_wrap=True)


def _model(store, library, args):
    from tui_reader.core import ranking
    from tui_reader.core.ranking.labels import gather

    cache = writable_cache_dir()
    if gather(store).ready():
        reason = "asked to retrain" if args.retrain else ranking.stale_reason(store, cache)
        if reason:
            _note(f"tui-reader: training the ranking model ({reason})…", "dim")
    model, status, trained = ranking.ensure_model(store, library, cache, force=args.retrain)
    if model is None or trained:
        _note(f"tui-reader: {status}" + (" — ranking by interests and bookmarks" if model is None else ""),
              "yellow" if model is None else "dim")
    return model


def _selected(library, args) -> list:
    papers = library.sorted_papers()
    if args.day:
        return [p for p in papers if args.day in p.dates]
    dates = library.dates()
    if not dates:
        return papers
    newest = dt.date.fromisoformat(dates[0])
    if args.since:
        first = (newest - dt.timedelta(days=int(_SINCE.match(args.since).group(1)) - 1)).isoformat()
        return [p for p in papers if p.dates and p.dates[-1] >= first]
    return [p for p in papers if dates[0] in p.dates]


def _rank(store, library, args) -> int:
    model = _model(store, library, args)
    from tui_reader.core.state.snapshot import normalize_tag

    tag = normalize_tag(args.tag) or None
    if tag and (model is None or tag not in model.linear):
        known = ", ".join(model.tags) if model is not None and model.tags else "none yet"
        _note(f"tui-reader: no model for tag {tag!r} (a tag needs at least 5 papers; tags with a model: {known})",
              "red")
        return 1
    if args.explain:
        return _explain(model, library, args.explain, tag, args.json)
    papers = _selected(library, args)
    if not papers:
        _note(f"tui-reader: no papers on {args.day}" if args.day else "tui-reader: no papers to rank", "red")
        return 1
    if model is not None:
        ranked = model.rank(papers, tag)[: args.limit]
        rows = [(p, s, model.why(p, 5, tag)) for p, s in ranked]
        name = f"tag:{tag}" if tag else "reader"
    else:
        from tui_reader.core.ranking import cold_start

        cold = cold_start(store, papers, library)
        rows = [(p, s, cold.reasons.get(p.id, [])) for p, s in cold.rank(papers)[: args.limit]]
        name = "cold-start"
    if args.json:
        json.dump([{"id": p.id, "title": _title(p), "score": round(s, 4), "why": [clean(w) for w in why],
                    "dates": p.dates, "model": name} for p, s, why in rows], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    table = Table(show_edge=False, pad_edge=False, box=None)
    table.add_column("score", no_wrap=True)
    table.add_column("id", no_wrap=True)
    table.add_column("title", ratio=3)
    table.add_column("why", ratio=2)
    for paper, score, why in rows:
        table.add_row(Text(f"{score:.2f}"), Text(paper.id, style="bold"), Text(_title(paper)),
                      Text(", ".join(clean(w) for w in why), style="cyan"))
    stdout_console().print(table)
    return 0


def _title(paper) -> str:
    return one_line(clean(readable(paper.title)))


def _explain(model, library, raw_id: str, tag: str | None, as_json: bool) -> int:
    from tui_reader.core.state.snapshot import arxiv_id_in

    paper_id = arxiv_id_in(raw_id)
    if paper_id is None:
        return usage_error(f"rank: {clean(raw_id)!r} is not an arXiv id")
    paper = library.papers.get(paper_id)
    if paper is None:
        _note(f"tui-reader: {paper_id} is not in the library", "red")
        return 1
    if model is None:
        _note("tui-reader: no model yet: nothing to explain", "red")
        return 1
    found = model.explain(paper, tag)
    if as_json:
        json.dump({"id": found.paper_id, "title": _title(paper), "model": found.model, "score": round(found.score, 4),
                   "margin": found.margin, "intercept": found.intercept,
                   "terms": [{"term": t.term, "shown": clean(t.shown), "weight": t.weight, "tfidf": t.tfidf,
                              "contribution": t.contribution} for t in found.terms]},
                  sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    out = stdout_console()
    out.print(Text(f"{paper.id}  {_title(paper)}", style="bold"), soft_wrap=True)
    out.print(Text(f"score {found.score:.3f} = logistic({found.margin:+.3f}); intercept {found.intercept:+.3f}; "
                   f"model {found.model}"))
    table = Table(show_edge=False, pad_edge=False, box=None)
    for column in ("term", "weight", "tf-idf", "contribution"):
        table.add_column(column, justify="left" if column == "term" else "right")
    shown = [t for t in found.terms if t.contribution > 0][:15] + [t for t in found.terms if t.contribution < 0][:10]
    for t in shown:
        table.add_row(Text(clean(t.shown) + ("" if t.shown == t.term else f" ({clean(t.term)})")),
                      Text(f"{t.weight:+.3f}"), Text(f"{t.tfidf:.3f}"),
                      Text(f"{t.contribution:+.4f}", style="green" if t.contribution > 0 else "red"))
    out.print(table)
    return 0
