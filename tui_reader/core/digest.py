"""A digest to share: a handout of picked papers (a day's or a week's
interest matches and bookmarks, or the reader's selection), grouped by
interest or tag, as Markdown or a standalone HTML page.  Pure functions of
their input; the CLI (``tui-reader digest``) and the reader build the
groups and write the text.

Each paper shows its title (simple LaTeX rendered), authors, venue, code
link, the TL;DR in the chosen language, optionally the abstract, and its
links.  Paper text is untrusted: Markdown specials are escaped, HTML is
escaped throughout, and only plain ``https://`` links are written."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from tui_reader.core.citation import venue_of
from tui_reader.core.latex import readable
from tui_reader.core.model import Paper
from tui_reader.core.state.export import links_of
from tui_reader.core.state.snapshot import Bookmark
from tui_reader.core.text import clean, one_line

DIGEST_FORMATS = ("md", "html")  # and "atom": core.feeds.digest_feed
MAX_AUTHORS = 8


@dataclass
class DigestItem:
    paper: Paper
    bookmark: Bookmark | None = None
    reasons: list[str] = field(default_factory=list)  # interests it matched


@dataclass
class Digest:
    title: str
    groups: list[tuple[str, list[DigestItem]]]
    language: str = ""  # summary language shown first ("" = the paper's first)
    abstract: bool = False
    subtitle: str = ""

    @property
    def count(self) -> int:
        return sum(len(items) for _, items in self.groups)


def group_picks(
    papers: Iterable[Paper],
    bookmarks: Mapping[str, Bookmark] | None = None,
    interests: Mapping[str, Sequence[str]] | None = None,
    by: str = "auto",
    rest_by_category: bool = False,
) -> list[tuple[str, list[DigestItem]]]:
    """Groups of papers, each paper once.  ``by="tag"``: bookmarks under
    their first tag ("Bookmarked" without one); ``by="interest"``: under the
    first interest it matches; ``"auto"``: bookmarks by tag first, then the
    rest by interest; ``"category"``: by main category.  Papers that fit
    none go under "Other papers".  Groups keep the order of first sight,
    except tags, which are sorted, and "Other papers", which comes last."""
    bookmarks = bookmarks or {}
    interests = interests or {}
    groups: dict[str, list[DigestItem]] = {}
    tag_groups: dict[str, list[DigestItem]] = {}
    other: list[DigestItem] = []
    rest: dict[str, list[DigestItem]] = {}
    for paper in papers:
        mark = bookmarks.get(paper.id)
        reasons = list(interests.get(paper.id, ()))
        item = DigestItem(paper, mark, reasons)
        if by == "category":
            groups.setdefault(paper.main_category or "Uncategorised", []).append(item)
        elif by in ("tag", "auto") and mark is not None:
            tag_groups.setdefault(f"Tag: {mark.tags[0]}" if mark.tags else "Bookmarked", []).append(item)
        elif by in ("interest", "auto") and reasons:
            groups.setdefault(f"Interest: {reasons[0]}", []).append(item)
        elif rest_by_category:
            rest.setdefault(paper.main_category or "Uncategorised", []).append(item)
        else:
            other.append(item)
    ordered = sorted(tag_groups.items(), key=lambda kv: (kv[0] == "Bookmarked", kv[0]))
    ordered += list(groups.items())
    ordered += sorted(rest.items())
    if other:
        ordered.append(("Other papers", other))
    return ordered


# --- what a paper shows ------------------------------------------------------------------------


def _text(value: str) -> str:
    return one_line(readable(clean(value or "")))


def _authors(paper: Paper) -> str:
    names = [one_line(clean(a)) for a in paper.authors if a.strip()]
    if len(names) > MAX_AUTHORS:
        return ", ".join(names[:MAX_AUTHORS]) + f" et al. ({len(names)} authors)"
    return ", ".join(names)


def _tldr(paper: Paper, language: str) -> tuple[str, str]:
    found = paper.summary(language or None)
    if found is None or not found[1].tldr:
        return "", ""
    return found[0], _text(found[1].tldr)


# --- Markdown ------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#~])")


def _md(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_link(label: str, url: str) -> str:
    return f"[{_md(label)}](<{''.join(c if c not in '<> ' else f'%{ord(c):02X}' for c in url)}>)"


def _meta(paper, links: dict[str, str]) -> list[tuple[str, str, str]]:
    """A paper's meta line as (kind, text, url) items, for either format:
    links (url set), the venue, the main category and the day."""
    meta = [("link", f"arXiv:{paper.id}", links["abs"]), ("link", "PDF", links["pdf"])]
    if links["code"]:
        meta.append(("link", "code", links["code"]))
    venue = venue_of(paper.comment)
    if venue:
        meta.append(("venue", venue, ""))
    if paper.main_category:
        meta.append(("text", paper.main_category, ""))
    if paper.latest_date:
        meta.append(("text", paper.latest_date, ""))
    return meta


def to_markdown(digest: Digest) -> str:
    lines = [f"# {_md(_text(digest.title))}", ""]
    if digest.subtitle:
        lines += [_md(_text(digest.subtitle)), ""]
    if not digest.count:
        lines += ["No papers.", ""]
    for name, items in digest.groups:
        lines += [f"## {_md(_text(name))} ({len(items)})", ""]
        for item in items:
            paper = item.paper
            links = links_of(paper)
            lines += [f"### {_md(_text(paper.title) or paper.id)}", ""]
            if paper.authors:
                lines += [f"*{_md(_authors(paper))}*", ""]
            meta = [_md_link(text, url) if url else f"**{_md(text)}**" if kind == "venue" else _md(text)
                    for kind, text, url in _meta(paper, links)]
            lines += [" · ".join(meta), ""]
            language, tldr = _tldr(paper, digest.language)
            if tldr:
                lines += [f"**TL;DR:** {_md(tldr)}", ""]
            if digest.abstract and paper.abstract:
                lines += [f"> {_md(_text(paper.abstract))}", ""]
            extra = []
            if item.reasons:
                extra.append("matches " + ", ".join(_md(_text(r)) for r in item.reasons))
            if item.bookmark is not None and item.bookmark.tags:
                extra.append("tags: " + ", ".join(_md(t) for t in item.bookmark.tags))
            if extra:
                lines += ["*" + "; ".join(extra) + "*", ""]
            if item.bookmark is not None and item.bookmark.note:
                lines += [f"Note: {_md(one_line(clean(item.bookmark.note)))}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


# --- HTML -------------------------------------------------------------------------------------------

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem;
       line-height: 1.45; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid #ccc; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin-bottom: .2rem; } .authors { color: #555; margin: 0; }
.meta { font-size: .9rem; margin: .2rem 0; } .meta span + span::before { content: " · "; color: #999; }
.venue { font-weight: 600; } .tldr { margin: .4rem 0; } .why, .note { font-size: .9rem; color: #555; }
blockquote { color: #444; border-left: 3px solid #ddd; margin: .4rem 0; padding-left: .8rem; }
""".strip()


def _h(text: str) -> str:
    return html.escape(text, quote=True)


def _a(label: str, url: str) -> str:
    return f'<a href="{_h(url)}" rel="noopener noreferrer">{_h(label)}</a>'


def to_html(digest: Digest) -> str:
    title = _h(_text(digest.title))
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           # No scripts, no remote content: a handout, nothing more.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           f"<title>{title}</title>", f"<style>{_CSS}</style>", "</head>", "<body>", f"<h1>{title}</h1>"]
    if digest.subtitle:
        out.append(f"<p>{_h(_text(digest.subtitle))}</p>")
    if not digest.count:
        out.append("<p>No papers.</p>")
    for name, items in digest.groups:
        out.append(f"<section><h2>{_h(_text(name))} ({len(items)})</h2>")
        for item in items:
            paper = item.paper
            links = links_of(paper)
            out.append(f'<article id="{_h("arxiv-" + paper.id)}">')
            out.append(f"<h3>{_h(_text(paper.title) or paper.id)}</h3>")
            if paper.authors:
                out.append(f'<p class="authors">{_h(_authors(paper))}</p>')
            meta = [_a(text, url) if url else f'<span class="venue">{_h(text)}</span>' if kind == "venue" else _h(text)
                    for kind, text, url in _meta(paper, links)]
            out.append('<p class="meta">' + "".join(f"<span>{m}</span>" for m in meta) + "</p>")
            language, tldr = _tldr(paper, digest.language)
            if tldr:
                out.append(f'<p class="tldr" lang="{_h(_lang_code(language))}"><strong>TL;DR:</strong> {_h(tldr)}</p>')
            if digest.abstract and paper.abstract:
                out.append(f"<blockquote>{_h(_text(paper.abstract))}</blockquote>")
            extra = []
            if item.reasons:
                extra.append("matches " + ", ".join(_h(_text(r)) for r in item.reasons))
            if item.bookmark is not None and item.bookmark.tags:
                extra.append("tags: " + ", ".join(_h(t) for t in item.bookmark.tags))
            if extra:
                out.append(f'<p class="why">{"; ".join(extra)}</p>')
            if item.bookmark is not None and item.bookmark.note:
                out.append(f'<p class="note">Note: {_h(one_line(clean(item.bookmark.note)))}</p>')
            out.append("</article>")
        out.append("</section>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


_LANG_CODES = {"Chinese": "zh", "English": "en", "Japanese": "ja", "Korean": "ko", "French": "fr", "German": "de",
               "Spanish": "es", "Russian": "ru", "Portuguese": "pt", "Italian": "it"}


def _lang_code(language: str) -> str:
    return _LANG_CODES.get(language, "und")


def render_digest(digest: Digest, fmt: str) -> str:
    if fmt == "md":
        return to_markdown(digest)
    if fmt == "html":
        return to_html(digest)
    raise ValueError(f"unknown digest format {fmt!r} (known: {', '.join(DIGEST_FORMATS)})")
