"""The paper list: a virtual list (Line API) that renders only the visible
rows, so 40,000 papers paint as fast as 40.

A row is a list of ``Part``s laid out left to right (``row_parts``).  The
title takes the row's spare cells; when the row is too narrow, parts give
way in the order of their ``steps``: first the authors, then the interest
reason, the title down to ``TITLE_LEAST`` cells, badges, the date, the
category, and last the rest of the title.  Parts have fixed widths, so columns line up.  A new column (a badge, a
selection mark) is one more ``Part`` with its own keep value."""

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
from tui_reader.core.text import clean, one_line, wrap_offsets
from tui_reader.ui.render import badges

Spans = Callable[[str], list[tuple[int, int]]]

# How long a part stays when the row is short of room: higher stays longer.
KEEP_AUTHORS = 10
KEEP_REASON = 20
KEEP_TITLE_ROOM = 25  # the title's cells beyond TITLE_LEAST
KEEP_BADGES = 30  # i17: venue, ★ stars, code mark
KEEP_DATE = 40
KEEP_CATEGORY = 50
KEEP_TITLE = 90
TITLE_ROOM = 80  # cells of title wanted before the columns after it show
TITLE_LEAST = 50  # cells of title kept before the date and category go
TITLE_ROOM_SECOND = 30  # the rest of a title on a two-line row's second line
AUTHORS_WIDTH = 18
REASON_WIDTH = 14
CATEGORY_WIDTH = 8


@dataclass(frozen=True)
class Part:
    """One segment of a row.  ``steps`` say how it gives way when the row is
    too narrow: ``(floor, keep)`` pairs, it shrinks to ``floor`` cells when
    every part with a lower ``keep`` has given way (floor 0: it goes).
    ``flex``: takes the row's spare cells (the title).  ``spans``: cells to
    show as a search match (character offsets into ``text``)."""

    name: str
    text: str
    style: Style
    steps: tuple[tuple[int, int], ...] = ()
    width: int | None = None  # a fixed column width (padded); None: the text's own
    flex: bool = False
    spans: tuple[tuple[int, int], ...] = ()


def layout(parts: list[Part], width: int) -> list[tuple[Part, int]]:
    """Cells for each part that shows, one space between parts, at most
    ``width`` in all; parts that went are left out."""
    cells = [part.width if part.width is not None else cell_len(part.text) for part in parts]
    shown = [True] * len(parts)
    overflow = sum(cells) + len(parts) - 1 - width
    if overflow > 0:
        steps = sorted((keep, index, floor) for index, part in enumerate(parts) for floor, keep in part.steps)
        for _keep, index, floor in steps:
            if overflow <= 0:
                break
            if not shown[index] or cells[index] <= floor:
                continue
            if floor == 0:  # it goes, with the space before it
                overflow -= cells[index] + 1
                cells[index] = 0
                shown[index] = False
                continue
            take = min(cells[index] - floor, overflow)
            cells[index] -= take
            overflow -= take
    total = sum(c for c, s in zip(cells, shown) if s) + sum(shown) - 1
    if total < width:
        for index, part in enumerate(parts):
            if part.flex and shown[index]:
                cells[index] += width - total
                break
    return [(part, cells[index]) for index, part in enumerate(parts) if shown[index] and cells[index] > 0]


def fit(text: str, cells: int) -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``cells``."""
    if cell_len(text) > cells:
        return set_cell_size(text, max(0, cells - 1)) + "…" if cells > 1 else set_cell_size(text, cells)
    return set_cell_size(text, cells)


class PaperList(ScrollView, can_focus=True):
    """One row per paper (two in the two-line mode): marks, the date when
    the list spans days, the category, the title, the first author."""

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--cursor-blur",
        "paper-list--date",
        "paper-list--repeat",
        "paper-list--category",
        "paper-list--author",
        "paper-list--badge",
        "paper-list--score",
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
        Binding("d", "toggle_rows", "Compact/two-line rows", show=False, id="list.rows"),
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

    @dataclass
    class RowsChanged(Message):
        """The reader switched between compact and two-line rows."""

        paper_list: PaperList
        lines: int

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
        # Without a search: the interest words and the paper's own reasons, highlighted in its title.
        self.paper_spans: Callable[[Paper, str], list[tuple[int, int]]] | None = None
        self.score_text: Callable[[Paper], str | None] | None = None  # the learned ranking's, "87"
        self.selected: set[str] = set()  # ids selected for export, a digest or a command
        self.day = ""  # a day's digest: no date column; papers first seen earlier marked as repeats
        self.row_height = 1  # 1: compact rows; 2: the title wraps over two lines
        self.date_width = 0  # 0: no date column (every paper is of one day)
        self.repeat_width = 0  # a day's repeats: "seen 06-19"; 0 when the day has none
        self.category_width = 0
        self._cache: dict[tuple, list[Strip]] = {}

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
        self._measure_columns()
        cursor = 0
        if keep is not None:
            for index, paper in enumerate(papers):
                if paper.id == keep:
                    cursor = index
                    break
        self.virtual_size = Size(self.size.width, len(papers) * self.row_height)
        self.cursor = cursor
        self.scroll_to(y=max(0, (cursor - self.rows_shown // 2) * self.row_height), animate=False, immediate=True)
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def _measure_columns(self) -> None:
        """The date column only when the papers span days (a day view says
        its day in the tree), ``MM-DD`` when they are of one year; the
        category column as wide as the widest short category."""
        dates: set[str] = set()
        widest = 0
        for paper in self.papers:
            date = paper.latest_date
            if date not in dates:
                dates.add(date)
            if len(dates) > 1 and widest >= CATEGORY_WIDTH:
                break
            widest = max(widest, len(paper.main_category))
        self.repeat_width = 0
        if self.day:
            # A day's digest: the tree and the header say the day; a repeat
            # of an earlier day's digest says when it was first seen.
            self.date_width = 0
            if any(p.first_date and p.first_date < self.day for p in self.papers):
                self.repeat_width = 10
        elif len(dates) <= 1:
            self.date_width = 0
        elif len({d[:4] for d in dates if d}) <= 1 and "" not in dates:
            self.date_width = 5
        else:
            self.date_width = 10
        self.category_width = min(widest, CATEGORY_WIDTH)

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

    def set_ranking(self, score_text: Callable[[Paper], str | None] | None,
                    paper_spans: Callable[[Paper, str], list[tuple[int, int]]] | None) -> None:
        """The score column (while a ranking exists) and what each title
        highlights when no search is shown (interest words, its reasons)."""
        self.score_text = score_text
        self.paper_spans = paper_spans
        self._cache.clear()
        self.refresh()

    def set_row_height(self, lines: int) -> None:
        """1: compact rows; 2: each title wraps over two lines."""
        lines = 2 if lines == 2 else 1
        if lines == self.row_height:
            return
        self.row_height = lines
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.papers) * lines)
        self._scroll_cursor_into_view()
        self.refresh()

    @property
    def rows_shown(self) -> int:
        return max(1, self.size.height // self.row_height)

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
        self.move_to(self.cursor + direction * max(1, self.rows_shown // 2))

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * max(1, self.rows_shown - 1))

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self, self.current))

    def action_toggle_rows(self) -> None:
        self.set_row_height(1 if self.row_height == 2 else 2)
        self.post_message(self.RowsChanged(self, self.row_height))
        self.notify("Two-line rows." if self.row_height == 2 else "Compact rows.", timeout=2)

    def on_click(self, event: events.Click) -> None:
        index = (int(self.scroll_y) + event.y) // self.row_height
        if 0 <= index < len(self.papers):
            if index == self.cursor and event.chain > 1:
                self.action_open()
            self.move_to(index)

    # --- rendering ----------------------------------------------------------------

    def notify_style_update(self) -> None:
        # A new theme (or any CSS change): rows drawn in the old colours go.
        super().notify_style_update()
        self._cache.clear()
        self.refresh()

    def on_resize(self) -> None:
        self._cache.clear()
        self.virtual_size = Size(self.size.width, len(self.papers) * self.row_height)
        self._scroll_cursor_into_view()

    def _scroll_cursor_into_view(self) -> None:
        height = self.row_height
        self.scroll_to_region(Region(0, self.cursor * height, 1, height), animate=False, immediate=True)

    def _refresh_row(self, index: int) -> None:
        self._cache = {k: v for k, v in self._cache.items() if k[0] != index}
        height = self.row_height
        self.refresh(Region(0, index * height - int(self.scroll_y), self.size.width, height))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width  # the scrollbar's column is not the row's
        height = self.row_height
        index, line = divmod(int(self.scroll_y) + y, height)
        base = self.rich_style
        if not self.papers:
            if y == 0:
                style = self.get_component_rich_style("paper-list--empty")
                return Strip([Segment(set_cell_size(" " + self.empty_text, width), base + style)], width)
            return Strip.blank(width, base)
        if index >= len(self.papers):
            return Strip.blank(width, base)
        paper = self.papers[index]
        key = (index, width, height, index == self.cursor and self.has_focus, index == self.cursor,
               paper.id in self.bookmarked, paper.id in self.read, paper.id in self.matched,
               paper.id in self.muted, self.reason, bool(self.selected), paper.id in self.selected)
        strips = self._cache.get(key)
        if strips is None:
            strips = self._render_row(paper, index, width, base)
            if len(self._cache) > 500:
                self._cache.clear()
            self._cache[key] = strips
        return strips[line]

    def on_focus(self) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self) -> None:
        self._refresh_row(self.cursor)

    def _row_style(self, paper: Paper, index: int, base: Style) -> Style:
        row_style = base
        if index == self.cursor:
            name = "paper-list--cursor" if self.has_focus else "paper-list--cursor-blur"
            row_style = base + self.get_component_rich_style(name)
        if paper.id in self.muted:
            row_style = row_style + self.get_component_rich_style("paper-list--muted")
        return row_style

    def row_parts(self, paper: Paper, index: int, row_style: Style) -> tuple[list[Part], list[Part]]:
        """The parts before the title and those after it (in row order)."""
        component = self.get_component_rich_style
        read = paper.id in self.read
        marks = ("★" if paper.id in self.bookmarked else " ") + (" " if read else "•")
        if self.matched or self.muted:
            # A third cell, only while some rule matches, so ◆ and ⊘ never hide the unread mark.
            marks += "⊘" if paper.id in self.muted else "◆" if paper.id in self.matched else " "
        before = [Part("marks", marks, row_style + component("paper-list--mark"))]
        if self.score_text is not None:
            before.append(Part("score", self.score_text(paper) or "", row_style + component("paper-list--score"),
                               steps=((0, KEEP_BADGES + 5),), width=2))
        if self.selected:
            # One cell for the selection, only while there is one, so the
            # rows of a reader who never selects stay as they were.
            before.insert(0, Part("select", "✓" if paper.id in self.selected else " ",
                                  row_style + component("paper-list--mark") + component("paper-list--selected")))
        if self.date_width:
            date = paper.latest_date or "undated"
            date = date[5:] if self.date_width == 5 and paper.latest_date else date
            before.append(Part("date", date, row_style + component("paper-list--date"),
                               steps=((0, KEEP_DATE),), width=self.date_width))
        if self.repeat_width:
            first = paper.first_date
            if first and first < self.day:  # a repeat: only its row gives the column room
                seen = f"seen {first[5:]}" if first[:4] == self.day[:4] else f"seen {first[:4]}"
                before.append(Part("seen", seen, row_style + component("paper-list--repeat"),
                                   steps=((0, KEEP_DATE),), width=self.repeat_width))
        if self.category_width:
            before.append(Part("category", paper.main_category, row_style + component("paper-list--category"),
                               steps=((0, KEEP_CATEGORY),), width=self.category_width))
        after: list[Part] = []
        if self.reason is not None and paper.id in self.matched:  # only rows with a reason give it room
            reason = one_line(clean(self.reason(paper)))
            after.append(Part("reason", reason, row_style + component("paper-list--interest"),
                              steps=((6, KEEP_REASON - 1), (0, KEEP_REASON)), width=REASON_WIDTH))
        badge = badges(paper)  # venue, stars, code mark (core.signals)
        if badge:
            after.append(Part("badges", one_line(clean(badge)), row_style + component("paper-list--badge"),
                              steps=((0, KEEP_BADGES),), width=min(cell_len(badge), 18)))
        author = one_line(clean(paper.first_author_et_al()))
        after.append(Part("authors", author, row_style + component("paper-list--author"),
                          steps=((10, KEEP_AUTHORS - 1), (0, KEEP_AUTHORS)), width=AUTHORS_WIDTH))
        return before, after

    def _title_part(self, title: str, spans: tuple, style: Style, room: int = TITLE_ROOM) -> Part:
        # Every part has a fixed width, the title ``room`` before it takes
        # the spare cells, so all rows lay out alike: columns line up, and a
        # column shows in every row or in none.
        return Part("title", title, style, steps=((min(room, TITLE_LEAST), KEEP_TITLE_ROOM), (1, KEEP_TITLE)),
                    width=room, flex=True, spans=spans)

    def _render_row(self, paper: Paper, index: int, width: int, base: Style) -> list[Strip]:
        row_style = self._row_style(paper, index, base)
        read = paper.id in self.read
        title_style = row_style
        if read and index != self.cursor:
            title_style = row_style + self.get_component_rich_style("paper-list--read")
        title = one_line(clean(readable(paper.title[:2000])))  # a row shows a few hundred cells at most
        if self.title_spans:
            spans = tuple(sorted(self.title_spans(title)))
        else:
            spans = tuple(self.paper_spans(paper, title)) if self.paper_spans else ()
        before, after = self.row_parts(paper, index, row_style)
        if self.row_height == 1:
            parts = before + [self._title_part(title, spans, title_style)] + after
            return [self._strip(parts, width, row_style)]
        # Two lines: the title wrapped over both (as its language wraps),
        # the columns after what is left of it on the second line.
        lead = [part for part in before if part.name in ("select", "marks", "score")]
        columns = [part for part in before if part.name not in ("select", "marks", "score")]
        indent = sum(cell_len(part.text) + 1 for part in lead)
        first_width = max(1, width - indent)
        lines = wrap_offsets(title, first_width)
        cut = lines[1][0] if len(lines) > 1 else len(title)
        first = lead + [Part("title", title[:cut].rstrip(), title_style, flex=True,
                             spans=tuple((a, min(b, cut)) for a, b in spans if a < cut))]
        rest = title[cut:]
        second = [Part("indent", " " * (indent - 1), row_style)] + columns + [
            self._title_part(rest, tuple((max(0, a - cut), b - cut) for a, b in spans if b > cut), title_style,
                             room=TITLE_ROOM_SECOND)
        ] + after
        return [self._strip(first, width, row_style), self._strip(second, width, row_style)]

    def _strip(self, parts: list[Part], width: int, row_style: Style) -> Strip:
        segments: list[Segment] = []
        gap = Segment(" ", row_style)
        for number, (part, cells) in enumerate(layout(parts, width)):
            if number:
                segments.append(gap)
            if part.spans:
                segments.extend(self._spanned(part, cells))
            else:
                segments.append(Segment(fit(part.text, cells), part.style))
        return Strip(segments).crop_extend(0, width, row_style)

    def _spanned(self, part: Part, cells: int) -> list[Segment]:
        text = fit(part.text, cells)
        style = part.style
        match_style = style + self.get_component_rich_style("paper-list--match")
        segments: list[Segment] = []
        position = 0
        for start, end in part.spans:
            if start < position or start >= len(text):
                continue
            if start > position:
                segments.append(Segment(text[position:start], style))
            segments.append(Segment(text[start:end], match_style))
            position = end
        if position < len(text):
            segments.append(Segment(text[position:], style))
        return segments
