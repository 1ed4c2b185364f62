"""Rich renderables for paper text.  Paper text is untrusted: it only ever
enters ``Text`` objects as plain strings, never as markup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.text import Text

from tui_reader.core.latex import readable
from tui_reader.core.model import SUMMARY_FIELDS, SUMMARY_LABELS, Paper, language_marker
from tui_reader.core.signals import signals_of
from tui_reader.core.text import clean, cut, more, one_line

Spans = Callable[[str], list[tuple[int, int]]]
# What the detail view shows of one field at most (the parsers keep more, for
# search): a 50 MB title must not cost seconds per key.
DISPLAY_TITLE = 12_000
DISPLAY_FIELD = 20_000
DISPLAY_AUTHORS = 2_000
MATCH_STYLE = "bold reverse"


def safe(text: str) -> Text:
    """Plain, literal text: brackets stay brackets, controls are gone."""
    return Text(clean(text))


def _highlighted(text: str, spans: Spans | None, style: str = "") -> Text:
    result = Text(clean(text), style=style)
    if spans:
        for start, end in spans(result.plain):
            result.stylize(MATCH_STYLE, start, end)
    return result


@dataclass
class DetailState:
    """What the detail view shows besides the paper itself."""

    mode: str = "summary"  # "summary" or "abstract"
    language: str = ""  # preferred summary language
    bookmarked: bool = False
    read: bool = False
    tags: list[str] = field(default_factory=list)
    note: str = ""
    spans: Spans | None = None
    interests: str = ""  # which interests match, where
    muted: str = ""  # the mute rules that hide it


def missing_summary_text(paper: Paper) -> str:
    if paper.failed:
        return "summary failed: the producer's LLM call failed for this paper"
    return "no AI summary (dropped by the producer)"


def signals_block(paper: Paper) -> Text:
    """What the producer's fields and the authors' comment say: venue and
    acceptance, code (stars, last update), project page, counts, links,
    the comment itself, and a summary that failed or is missing.  A block
    of its own, so the detail's first screen can place it."""
    found = signals_of(paper)
    out = Text()
    if found.venue or found.accepted:
        line = Text()
        if found.accepted:
            line.append("✓ accepted", style="bold green")
        if found.venue:
            if found.accepted:
                line.append("  ")
            line.append(found.venue, style="bold")
        out.append_text(line)
        out.append("\n")
    if found.code_url:
        out.append("code ", style="dim")
        out.append(found.code_url, style="underline")
        if found.stars is not None:
            out.append(f"  ★ {found.stars}")
        if found.code_updated:
            out.append(f"  · updated {found.code_updated}", style="dim")
        if found.code_from in ("comment", "abstract"):
            out.append(f"  (from the {found.code_from})", style="dim")
        out.append("   c: open", style="dim")
        out.append("\n")
    if found.project_url:
        out.append("project ", style="dim")
        out.append(found.project_url, style="underline")
        out.append("   W: open", style="dim")
        out.append("\n")
    for link in found.links:
        out.append("link ", style="dim")
        out.append(link, style="underline")
        out.append("\n")
    counts = []
    if found.pages is not None:
        counts.append(f"{found.pages} pages")
    if found.figures is not None:
        counts.append(f"{found.figures} figures" if found.figures != 1 else "1 figure")
    if counts:
        out.append("  ·  ".join(counts), style="dim")
        out.append("\n")
    if paper.comment:
        out.append("comment ", style="dim")
        out.append_text(safe(cut(paper.comment, DISPLAY_FIELD)))
        out.append("\n")
    if not paper.summaries:
        out.append("⚠ " if paper.failed else "∅ ", style="bold yellow")
        out.append(missing_summary_text(paper) + "; the abstract is shown", style="yellow")
        out.append("\n")
    return out


def badges(paper: Paper) -> str:
    """The list row's compact signals: venue, ★ stars or a code mark
    (``CVPR'26 ★120``, ``ICLR'26 </>``); "" when there are none."""
    found = signals_of(paper)
    parts = []
    if found.venue_name:
        name = found.venue_name if len(found.venue_name) <= 9 else found.venue_name[:8] + "…"
        name = f"{name}'{found.year % 100:02d}" if found.year else name
        parts.append(name + ("W" if found.venue.endswith("Workshop") else ""))
    if found.stars is not None:
        stars = found.stars
        parts.append(f"★{stars}" if stars < 1000 else f"★{stars / 1000:.1f}k".replace(".0k", "k"))
    elif found.code_url:
        parts.append("</>")
    return " ".join(parts)


def _shown(text: str) -> str:
    """A long field, readable, cut at DISPLAY_FIELD characters."""
    if len(text) <= DISPLAY_FIELD:
        return readable(text)
    return readable(text[:DISPLAY_FIELD]) + " " + more(len(text) - DISPLAY_FIELD)


def language_switch(paper: Paper, shown: str) -> Text:
    """``中文 | EN`` with the shown language marked."""
    text = Text()
    for index, language in enumerate(paper.summaries):
        if index:
            text.append(" | ", style="dim")
        marker = language_marker(language)
        if language == shown:
            text.append(f"[{marker}]", style="bold")
        else:
            text.append(marker, style="dim")
    return text


def detail_text(paper: Paper, state: DetailState) -> Text:
    spans = state.spans
    out = Text()
    title = one_line(readable(paper.title[:DISPLAY_TITLE]))
    if len(paper.title) > DISPLAY_TITLE:
        title += " " + more(len(paper.title) - DISPLAY_TITLE)
    out.append_text(_highlighted(title, spans, "bold"))
    out.append("\n")
    if paper.authors:
        authors = ", ".join(paper.authors[:DISPLAY_AUTHORS])
        if len(paper.authors) > DISPLAY_AUTHORS:
            authors += " " + more(len(paper.authors) - DISPLAY_AUTHORS, "authors")
        out.append_text(_highlighted(cut(authors, DISPLAY_FIELD * 2), spans, "italic"))
        out.append("\n")
    out.append("\n")

    meta = Text(style="dim")
    meta.append(f"{paper.id}{paper.version}")
    if paper.dates:
        meta.append("  ·  seen " + ", ".join(paper.dates))
    if paper.undated:
        meta.append("  ·  in an undated file")
    out.append_text(meta)
    out.append("\n")
    if paper.categories:
        cats = Text()
        cats.append(paper.categories[0], style="bold")
        for category in paper.categories[1:]:
            cats.append(f"  {category}")
        out.append_text(cats)
        out.append("\n")
    out.append("abs ", style="dim")
    out.append(paper.abs_link, style="underline")
    out.append("   pdf ", style="dim")
    out.append(paper.pdf_link, style="underline")
    out.append("\n")
    out.append_text(signals_block(paper))
    status = []
    if state.bookmarked:
        status.append("★ bookmarked")
    if state.tags:
        status.append("tags: " + ", ".join(f"#{t}" for t in state.tags))
    status.append("read" if state.read else "unread")
    out.append("  ·  ".join(status), style="dim")
    out.append("\n")
    if state.interests:
        out.append("◆ interests: ", style="bold")
        out.append_text(safe(state.interests))
        out.append("\n")
    if state.muted:
        out.append("⊘ muted by: ", style="bold")
        out.append_text(safe(state.muted))
        out.append("\n")
    if state.note:
        out.append("note: ", style="bold")
        out.append_text(safe(state.note))
        out.append("\n")
    out.append("\n")

    chosen = paper.summary(state.language)
    if state.mode == "abstract" or chosen is None:
        header = Text("Abstract", style="bold underline")
        if chosen is None and state.mode != "abstract":
            header.append("  (summary failed)" if paper.failed else "  (no AI summary)", style="dim")
        elif chosen is not None:
            header.append("   a: summary", style="dim")
        out.append_text(header)
        out.append("\n")
        out.append_text(_highlighted(_shown(paper.abstract) or "(no abstract)", spans))
        out.append("\n")
        return out

    language, summary = chosen
    header = Text("Summary ", style="bold underline")
    header.append_text(language_switch(paper, language))
    header.append("   a: abstract" + ("   l: language" if len(paper.summaries) > 1 else ""), style="dim")
    out.append_text(header)
    out.append("\n")
    for name in SUMMARY_FIELDS:
        value = getattr(summary, name)
        if not value:
            continue
        out.append("\n")
        out.append(SUMMARY_LABELS[name], style="bold")
        out.append("\n")
        out.append_text(_highlighted(_shown(value), spans))
        out.append("\n")
    return out
