"""The paper list: a virtual list (Line API) that renders only the visible
rows, so 40,000 papers paint as fast as 40."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui_reader.core.latex import readable
from tui_reader.core.model import Paper
from tui_reader.core.text import one_line
from tui_reader.ui.render import badges

Spans = Callable[[str], list[tuple[int, int]]]


class PaperList(ScrollView, can_focus=True):
    """One row per paper: marks, date, main category, title, first author."""

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--cursor-blur",
        "paper-list--date",
        "paper-list--repeat",
        "paper-list--category",
        "paper-list--author",
        "paper-list--badge",
        "paper-list--read",
        "paper-list--mark",
        "paper-list--match",
        "paper-list--interest",
        "paper-list--muted",
        "paper-list--empty",
        "paper-list--selected",
    }

    BINDINGS = [
        Binding("j,down", "cursor_down", "Down", show=False, id="list.down"),
        Binding("k,up", "cursor_up", "Up", show=False, id="list.up"),
        Binding("g,home", "first", "Top", show=False, id="list.top"),
        Binding("G,end", "last", "Bottom", show=False, id="list.bottom"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="list.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="list.half_up"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="list.page_up"),
        Binding("enter", "open", "Open", show=False, id="list.open"),
    ]

    @dataclass
    class Highlighted(Message):
        """The cursor is on another paper (or the list emptied: None);
        ``moved``: the reader moved it (not a new list put in front of them)."""

        paper_list: PaperList
        paper: Paper | None
        moved: bool = False

        @property
        def control(self) -> PaperList:
            return self.paper_list

    @dataclass
    class Opened(Message):
        """Enter on a paper: read it in the detail view."""

        paper_list: PaperList
        paper: Paper

        @property
        def control(self) -> PaperList:
            return self.paper_list

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.papers: list[Paper] = []
        self.cursor = 0
        self.empty_text = "No papers here."
        self.bookmarked: set[str] = set()
        self.read: set[str] = set()
        self.matched: set[str] | dict = set()  # ids to mark as matching an interest
        self.muted: set[str] | dict = set()  # ids hidden by a mute rule, shown dimmed when revealed
        self.reason: Callable[[Paper], str] | None = None  # which interest matched, where
        self.title_spans: Spans | None = None
        self.selected: set[str] = set()  # ids selected for export, a digest or a command
        self.day = ""  # a day's digest: rows dated by it, papers first seen earlier marked as repeats
        self._cache: dict[tuple, Strip] = {}

    # --- data -------------------------------------------------------------------

    @property
    def current(self) -> Paper | None:
        if 0 <= self.cursor < len(self.papers):
            return self.papers[self.cursor]
        return None

    def set_papers(self, papers: list[Paper], keep: str | None = None, title_spans: Spans | None = None,
                   empty_text: str = "No papers here.", day: str = "") -> None:
        """Replace the rows; keep the cursor on paper ``keep`` when it is there."""
        self.papers = papers
        self.title_spans = title_spans
        self.day = day
        self.empty_text = empty_text
        self._cache.clear()
        cursor = 0
        if keep is not None:
            for index, paper in enumerate(papers):
                if paper.id == keep:
                    cursor = index
                    break
        self.virtual_size = Size(self.size.width, len(papers))
        self.cursor = cursor
        self.scroll_to(y=max(0, cursor - self.size.height // 2), animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def set_selected(self, selected: set[str]) -> None:
        """Papers selected (space, V): a mark column shows while any is."""
        self.selected = selected
        self._cache.clear()
        self.refresh()

    def set_marks(self, bookmarked: set[str], read: set[str]) -> None:
        self.bookmarked = bookmarked
        self.read = read
        self._cache.clear()
        self.refresh()

    def set_discovery(self, matched, muted, reason: Callable[[Paper], str] | None) -> None:
        """Interest matches (with the reason shown in the row) and mute
        matches; containers of ids, looked up for the visible rows only."""
        self.matched = matched
        self.muted = muted
        self.reason = reason
        self._cache.clear()
        self.refresh()

    def move_to(self, index: int) -> None:
        if not self.papers:
            return
        index = max(0, min(index, len(self.papers) - 1))
        if index == self.cursor:
            return
        old = self.cursor
        self.cursor = index
        self._refresh_row(old)
        self._refresh_row(index)
        self._scroll_cursor_into_view()
        self.post_message(self.Highlighted(self, self.current, moved=True))

    def select_id(self, paper_id: str) -> bool:
        for index, paper in enumerate(self.papers):
            if paper.id == paper_id:
                self.move_to(index)
                return True
        return False

    # --- actions ------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.papers) - 1)

    def action_half_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.size.height // 2))

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.size.height - 1))

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self, self.current))

    def on_click(self, event: events.Click) -> None:
        index = int(self.scroll_y) + event.y
        if 0 <= index < len(self.papers):
            if index == self.cursor and event.chain > 1:
                self.action_open()
            self.move_to(index)

    # --- rendering ----------------------------------------------------------------

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.papers))
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self) -> None:
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        self._cache = {k: v for k, v in self._cache.items() if k[0] != index}
        self.refresh(Region(0, index - int(self.scroll_y), self.size.width, 1))

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = int(self.scroll_y) + y
        base = self.rich_style
        if not self.papers:
            if y == 0:
                style = self.get_component_rich_style("paper-list--empty")
                return Strip([Segment(set_cell_size(" " + self.empty_text, width), base + style)], width)
            return Strip.blank(width, base)
        if index >= len(self.papers):
            return Strip.blank(width, base)
        paper = self.papers[index]
        key = (index, width, index == self.cursor and self.has_focus, index == self.cursor,
               paper.id in self.bookmarked, paper.id in self.read, paper.id in self.matched,
               paper.id in self.muted, self.reason, bool(self.selected), paper.id in self.selected)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_row(paper, index, width, base)
            if len(self._cache) > 500:
                self._cache.clear()
            self._cache[key] = strip
        return strip

    def on_focus(self) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor)

    def _render_row(self, paper: Paper, index: int, width: int, base: Style) -> Strip:
        is_cursor = index == self.cursor
        row_style = base
        if is_cursor:
            name = "paper-list--cursor" if self.has_focus else "paper-list--cursor-blur"
            row_style = base + self.get_component_rich_style(name)
        read = paper.id in self.read
        mark_style = row_style + self.get_component_rich_style("paper-list--mark")
        segments: list[Segment] = []
        used = 3
        if self.selected:
            # One cell for the selection, only while there is one, so the
            # rows of a reader who never selects stay as they were.
            segments.append(Segment("✓" if paper.id in self.selected else " ",
                                    mark_style + self.get_component_rich_style("paper-list--selected")))
            used += 1
        marks = ("★" if paper.id in self.bookmarked else " ") + (" " if read else "•")
        matched = paper.id in self.matched
        muted = paper.id in self.muted
        if matched:
            marks = marks[0] + "◆"
        if muted:
            marks = marks[0] + "⊘"
            row_style = row_style + self.get_component_rich_style("paper-list--muted")
        segments.append(Segment(marks + " ", mark_style))
        show_date = width >= 50
        show_category = width >= 64
        show_author = width >= 96
        if show_date:
            first = paper.first_date
            if self.day and first and first < self.day:
                # A repeat of an earlier day's digest: the day it was first seen.
                seen = f"seen {first[5:]}" if first[:4] == self.day[:4] else f"seen {first[:4]}"
                segments.append(Segment(f"{seen:<10} ", row_style + self.get_component_rich_style("paper-list--repeat")))
            else:
                date = self.day or paper.latest_date or "undated"
                segments.append(Segment(f"{date:<10} ", row_style + self.get_component_rich_style("paper-list--date")))
            used += 11
        if show_category:
            category = set_cell_size(paper.main_category, 11)
            segments.append(Segment(category + " ", row_style + self.get_component_rich_style("paper-list--category")))
            used += 12
        author_width = 20 if show_author else 0
        title_width = max(1, width - used - author_width - (1 if show_author else 0))
        # Venue, stars or a code mark (core.signals): a compact segment after the title.
        badge = badges(paper) if show_date else ""
        badge_width = min(cell_len(badge) + 1, 18) if badge else 0
        title_width = max(1, title_width - badge_width)
        reason = one_line(self.reason(paper)) if matched and self.reason is not None and show_category else ""
        reason_width = min(cell_len(reason) + 3, max(12, title_width // 3)) if reason else 0
        title_width = max(1, title_width - reason_width)
        title_style = row_style + (self.get_component_rich_style("paper-list--read") if read and not is_cursor else Style())
        segments.extend(self._title_segments(paper, title_width, title_style))
        if badge_width:
            segments.append(Segment(set_cell_size(" " + badge, badge_width),
                                    row_style + self.get_component_rich_style("paper-list--badge")))
        if reason_width:
            text = " ◆ " + reason
            if cell_len(text) > reason_width:
                text = set_cell_size(text, reason_width - 1) + "…"
            segments.append(Segment(set_cell_size(text, reason_width),
                                    row_style + self.get_component_rich_style("paper-list--interest")))
        if show_author:
            author = set_cell_size(one_line(paper.first_author_et_al()), author_width)
            segments.append(Segment(" " + author, row_style + self.get_component_rich_style("paper-list--author")))
        strip = Strip(segments)
        return strip.crop_extend(0, width, row_style)

    def _title_segments(self, paper: Paper, width: int, style: Style) -> list[Segment]:
        title = one_line(readable(paper.title[:2000]))  # a row shows a few hundred cells at most
        spans = self.title_spans(title) if self.title_spans else []
        if cell_len(title) > width:
            title = set_cell_size(title, max(0, width - 1)) + "…"
        else:
            title = set_cell_size(title, width)
        if not spans:
            return [Segment(title, style)]
        match_style = style + self.get_component_rich_style("paper-list--match")
        segments: list[Segment] = []
        position = 0
        for start, end in sorted(spans):
            if start < position or start >= len(title):
                continue
            if start > position:
                segments.append(Segment(title[position:start], style))
            segments.append(Segment(title[start:end], match_style))
            position = end
        if position < len(title):
            segments.append(Segment(title[position:], style))
        return segments
