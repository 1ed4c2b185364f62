"""Rich renderables for paper text.  Paper text is untrusted: it only ever
enters ``Text`` objects as plain strings, never as markup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

from tui_reader.core.latex import readable
from tui_reader.core.model import SUMMARY_FIELDS, SUMMARY_LABELS, Paper, language_marker
from tui_reader.core.signals import signals_of
from tui_reader.core.text import cell_width, clean, cut, more, one_line, wrap_offsets

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
    all_authors: bool = False  # unfolded (A)
    score: float | None = None  # the learned ranking's, 0..1 (None: not scored)
    why: list[str] = field(default_factory=list)  # the terms that weighed most (or the interests, at cold start)
    like: list[str] = field(default_factory=list)  # titles of kept papers most like it
    picked_by: list[str] = field(default_factory=list)  # teammates whose shared picks hold it


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
    if not paper.has_summary:
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
    for index, language in enumerate(paper.languages):
        if index:
            text.append(" | ", style="dim")
        marker = language_marker(language)
        if language == shown:
            text.append(f"[{marker}]", style="bold")
        else:
            text.append(marker, style="dim")
    return text


AUTHORS_FOLD = 8  # more authors than this fold to the first AUTHORS_SHOWN
AUTHORS_SHOWN = 3
META_CATEGORIES = 3  # categories in the meta row; all of them under the reading


def _link_style(url: str) -> Style | str:
    """A clickable link (OSC 8) only for a plain single-line https URL."""
    if url.startswith("https://") and url.isprintable() and " " not in url and len(url) < 500:
        return Style(underline=True, link=url)
    return "underline"


def _days(paper: Paper) -> str:
    if not paper.dates:
        return "undated" if paper.undated else ""
    if len(paper.dates) <= 2:
        return ", ".join(paper.dates)
    first, last = paper.dates[0], paper.dates[-1]
    if first[:4] == last[:4]:
        last = last[5:]  # 2026-06-19 … 06-22
    return f"{first} … {last} ({len(paper.dates)} days)"


def title_section(paper: Paper, state: DetailState) -> Text:
    title = one_line(readable(paper.title[:DISPLAY_TITLE]))
    if len(paper.title) > DISPLAY_TITLE:
        title += " " + more(len(paper.title) - DISPLAY_TITLE)
    text = _highlighted(title, state.spans, "bold")
    text.append("\n")
    return text


def meta_section(paper: Paper, state: DetailState) -> Text:
    """One row: id · day(s) · categories · abs pdf code."""
    meta = Text(style="dim")
    meta.append(f"{paper.id}{paper.version}")
    days = _days(paper)
    if days:
        meta.append(" · " + days)
    if paper.categories:
        meta.append(" · ")
        meta.append(clean(paper.categories[0]), style="bold")
        for category in paper.categories[1:META_CATEGORIES]:
            meta.append(" " + clean(category))
        if len(paper.categories) > META_CATEGORIES:
            meta.append(f" +{len(paper.categories) - META_CATEGORIES}")
    meta.append(" · ")
    meta.append("abs", style=_link_style(paper.abs_link))
    meta.append(" ")
    meta.append("pdf", style=_link_style(paper.pdf_link))
    code = paper.code_link  # only a plain https URL (core.links)
    if code is not None:
        meta.append(" ")
        meta.append("code" if code.kind == "code" else "page", style=_link_style(code.url))
    meta.append("\n")
    return meta


def signals_section(paper: Paper, state: DetailState) -> Text | None:
    """Venue, acceptance, stars (core.signals)."""
    text = signals_block(paper)
    return text if text.plain else None


def authors_section(paper: Paper, state: DetailState) -> Text | None:
    """The authors; more than AUTHORS_FOLD fold to ``A, B, C … and 487 more``."""
    if not paper.authors:
        return None
    count = len(paper.authors)
    folded = count > AUTHORS_FOLD and not state.all_authors
    shown = [one_line(readable(a)) for a in paper.authors[:AUTHORS_SHOWN if folded else DISPLAY_AUTHORS]]
    text = _highlighted(cut(", ".join(shown), DISPLAY_FIELD * 2), state.spans, "italic")
    if folded:
        text.append(f" … and {count - AUTHORS_SHOWN} more", style="italic")
        text.append("  (A: all)", style="dim")
    elif count > DISPLAY_AUTHORS:
        text.append(" " + more(count - DISPLAY_AUTHORS, "authors"), style="italic")
    text.append("\n")
    return text


def state_section(paper: Paper, state: DetailState) -> Text | None:
    """The reader's own marks: bookmark, tags, interests, mutes, note."""
    out = Text()
    status = []
    if state.bookmarked:
        status.append("★ bookmarked")
    if state.tags:
        status.append("tags: " + ", ".join(f"#{clean(t)}" for t in state.tags))
    if status:
        status.append("read" if state.read else "unread")
        out.append("  ·  ".join(status), style="dim")
        out.append("\n")
    if state.interests:
        out.append("◆ interests: ", style="bold")
        out.append_text(safe(state.interests))
        out.append("\n")
    if state.score is not None:
        out.append(f"for you {state.score:.2f}", style="bold")
        if state.why:
            out.append(" · why: ", style="bold")
            out.append_text(safe(", ".join(state.why)))
        out.append("\n")
        for title in state.like[:2]:
            out.append("  like: ", style="dim")
            out.append_text(safe(one_line(title)[:120]))
            out.append("\n")
    if state.picked_by:
        out.append("picked by ", style="bold")
        out.append_text(safe(", ".join(state.picked_by)))
        out.append("\n")
    if state.muted:
        out.append("⊘ muted by: ", style="bold")
        out.append_text(safe(state.muted))
        out.append("\n")
    if state.note:
        out.append("note: ", style="bold")
        out.append_text(safe(state.note))
        out.append("\n")
    return out if out.plain else None


def body_section(paper: Paper, state: DetailState) -> Text:
    """The summary (TL;DR first) or the abstract."""
    spans = state.spans
    out = Text("\n")
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
    header.append("   a: abstract" + ("   l: language" if len(paper.languages) > 1 else ""), style="dim")
    out.append_text(header)
    out.append("\n")
    first = True
    for name in SUMMARY_FIELDS:
        value = getattr(summary, name)
        if not value:
            continue
        if first:  # the TL;DR on the line of its label: the first screen holds more of it
            out.append(SUMMARY_LABELS[name], style="bold")
            out.append("  ")
            first = False
        else:
            out.append("\n")
            out.append(SUMMARY_LABELS[name], style="bold")
            out.append("\n")
        out.append_text(_highlighted(_shown(value), spans))
        out.append("\n")
    return out


def links_section(paper: Paper, state: DetailState) -> Text:
    """The full links and the arXiv comment, below the reading."""
    out = Text("\n")
    if len(paper.categories) > META_CATEGORIES:
        out.append("categories ", style="dim")
        out.append(" ".join(clean(c) for c in paper.categories))
        out.append("\n")
    code = paper.code_link
    code_row = ("code" if code.kind == "code" else "project page", code.url) if code is not None else ("", "")
    for label, url in (("abs", paper.abs_link), ("pdf", paper.pdf_link), code_row):
        if url:
            out.append(f"{label} ", style="dim")
            out.append(clean(url), style=_link_style(url))
            out.append("\n")
    if paper.comment:
        out.append("comment ", style="dim")
        out.append_text(safe(cut(paper.comment, DISPLAY_FIELD)))
        out.append("\n")
    return out


# The detail, top to bottom.  A new block (signals: venue, acceptance,
# stars) is one more function here; the first screen must keep the TL;DR.
SECTIONS: list[Callable[[Paper, DetailState], Text | None]] = [
    title_section,
    meta_section,
    signals_section,
    authors_section,
    state_section,
    body_section,
    links_section,
]


def detail_text(paper: Paper, state: DetailState) -> Text:
    out = Text()
    for section in SECTIONS:
        text = section(paper, state)
        if text is not None:
            out.append_text(text)
    return out


class Wrapped:
    """A Text drawn in lines cut where its language allows (``wrap_offsets``:
    Chinese between characters with kinsoku, Latin at spaces), not where
    Rich would (spaces only: a Chinese run jumped whole to the next line)."""

    def __init__(self, text: Text) -> None:
        self.text = text

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = self.text
        for start, end in wrap_offsets(text.plain, options.max_width):
            yield from text[start:end].render(console, end="")
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        widest = max((cell_width(line) for line in self.text.plain.split("\n")), default=0)
        return Measurement(1, min(widest, options.max_width))
