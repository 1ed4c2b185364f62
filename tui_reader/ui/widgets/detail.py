"""The detail view of the highlighted paper."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_reader.core.model import Paper
from tui_reader.ui.render import DetailState, Wrapped, detail_text


class DetailView(VerticalScroll, can_focus=True):
    """Title, authors, ids and links, then the summary or the abstract."""

    BINDINGS = [
        Binding("j,down", "scroll_down", "Scroll down", show=False, id="detail.down"),
        Binding("k,up", "scroll_up", "Scroll up", show=False, id="detail.up"),
        Binding("g,home", "scroll_home", "Top", show=False, id="detail.top"),
        Binding("G,end", "scroll_end", "Bottom", show=False, id="detail.bottom"),
        Binding("ctrl+d", "half_page(1)", "Half page down", show=False, id="detail.half_down"),
        Binding("ctrl+u", "half_page(-1)", "Half page up", show=False, id="detail.half_up"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.paper: Paper | None = None
        self.state = DetailState()

    def compose(self):
        yield Static(Text("Select a paper to read it here.", style="dim"), id="detail-body")

    def show(self, paper: Paper | None, state: DetailState, keep_scroll: bool = False) -> None:
        same = paper is not None and self.paper is not None and paper.id == self.paper.id
        self.paper = paper
        self.state = state
        body = self.query_one("#detail-body", Static)
        if paper is None:
            body.update(Text("No paper selected.", style="dim"))
        else:
            body.update(Wrapped(detail_text(paper, state)))
        if not (same and keep_scroll):
            self.scroll_home(animate=False)

    def action_half_page(self, direction: int) -> None:
        self.scroll_relative(y=direction * max(1, self.size.height // 2), animate=False)

    @property
    def text(self) -> str:
        """What the view shows, as plain text (for tests and copying)."""
        if self.paper is None:
            return ""
        return detail_text(self.paper, self.state).plain
