"""The trends screen (``T``): papers per day and per category, the most
frequent title terms, and one term's papers per day as a sparkline and a
bar chart; filtered by a day range and categories.  The figures are
computed by tui_reader.core.trends in a thread worker."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Sparkline, Static
from textual.worker import Worker

from tui_reader.core.model import Paper
from tui_reader.core.text import clean
from tui_reader.core.trends import Selection, Trends, compute, parse_categories
from tui_reader.ui.widgets.key_footer import KeyFooter
from tui_reader.ui.workers import report_failure

_DAY = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?$")
BAR_WIDTH = 36
MAX_DAYS_SHOWN = 60


@dataclass
class TrendsComputed(Message):
    trends: Trends
    key: tuple


def _bar(count: int, most: int, style: str) -> Text:
    return Text("█" * max(1 if count else 0, round(count / most * BAR_WIDTH)) if most else "", style=style)


def bars(title: str, rows: list[tuple[str, int]], style: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold", show_header=False, box=None,
                  padding=(0, 1, 0, 0), expand=False)
    table.add_column("name", no_wrap=True)
    table.add_column("bar", no_wrap=True)
    table.add_column("count", justify="right")
    most = max((n for _, n in rows), default=0)
    for name, count in rows:
        table.add_row(Text(clean(name)), _bar(count, most, style), Text(str(count)))
    return table


class TrendsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "close", "Close", id="trends.close"),
    ]

    def __init__(self, papers: list[Paper], start: str = "", end: str = "", categories: str = "",
                 term: str = "") -> None:
        super().__init__()
        self.papers = papers
        self.initial = (start, end, categories, term)
        self.trends: Trends | None = None
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        start, end, categories, term = self.initial
        with Horizontal(id="trends-filters"):
            yield Input(start, placeholder="from YYYY-MM-DD", id="trends-from")
            yield Input(end, placeholder="to YYYY-MM-DD", id="trends-to")
            yield Input(categories, placeholder="categories: cs.CV, cs.*", id="trends-categories")
            yield Input(term, placeholder="term (default: the top one)", id="trends-term")
        with VerticalScroll(id="trends-body"):
            yield Static(Text("Computing…", style="dim"), id="trends-summary", classes="trends-section")
            yield Static("", id="trends-term-title")
            yield Sparkline([0], id="trends-spark")
            yield Static("", id="trends-term-days", classes="trends-section")
            yield Static("", id="trends-days", classes="trends-section")
            yield Static("", id="trends-categories-chart", classes="trends-section")
            yield Static("", id="trends-terms", classes="trends-section")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#trends-body").focus()
        self.recompute()

    def selection(self) -> tuple[Selection, str, str]:
        """The filters typed; a third value says what was ignored and why."""
        start = self.query_one("#trends-from", Input).value.strip()
        end = self.query_one("#trends-to", Input).value.strip()
        problems = []
        if start and not _DAY.match(start):
            problems.append(f"{start!r} is not a day")
            start = ""
        if end and not _DAY.match(end):
            problems.append(f"{end!r} is not a day")
            end = ""
        if end and len(end) < 10:  # 2026-03 means up to the month's end
            end = end + "-99" if len(end) == 7 else end + "-99-99"
        categories = parse_categories(self.query_one("#trends-categories", Input).value)
        term = self.query_one("#trends-term", Input).value.strip()
        return Selection(start, end, categories), term, "; ".join(problems)

    @on(Input.Changed)
    def on_filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(0.25, self.recompute)

    @on(Input.Submitted)
    def on_filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.recompute()

    def recompute(self) -> None:
        selection, term, problems = self.selection()
        if problems:
            self.notify(problems, severity="warning", markup=False, timeout=3)
        self.run_trends(selection, term)

    @work(thread=True, exclusive=True, group="trends", exit_on_error=False, description="computing trends")
    def run_trends(self, selection: Selection, term: str) -> None:
        trends = compute(self.papers, selection, term=term, top=25)
        self.post_message(TrendsComputed(trends, (selection.start, selection.end, selection.categories, term)))

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        report_failure(self, event)

    def on_trends_computed(self, message: TrendsComputed) -> None:
        trends = message.trends
        self.trends = trends
        summary = Text(f"{trends.papers} papers", style="bold")
        if trends.days:
            first, last = next(iter(trends.days)), next(reversed(trends.days))
            summary.append(f" on {len(trends.days)} days, {first} to {last}", style="bold")
        summary.append("   type in the boxes above to filter · escape: back", style="dim")
        self.query_one("#trends-summary", Static).update(summary)
        series = trends.series[-MAX_DAYS_SHOWN:]
        spark = self.query_one("#trends-spark", Sparkline)
        if trends.term:
            title = Text("Papers with ", style="bold")
            title.append(clean(trends.term), style="bold yellow")
            title.append(" in the title, per day", style="bold")
            if len(trends.series) > len(series):
                title.append(f" (last {MAX_DAYS_SHOWN})", style="dim")
            self.query_one("#trends-term-title", Static).update(title)
            spark.data = [n for _, n in series] or [0]
            spark.display = True
            self.query_one("#trends-term-days", Static).update(bars("", series, "yellow"))
        else:
            self.query_one("#trends-term-title", Static).update(Text("No title terms here.", style="dim"))
            spark.display = False
            self.query_one("#trends-term-days", Static).update("")
        days = list(trends.days.items())[-MAX_DAYS_SHOWN:]
        self.query_one("#trends-days", Static).update(bars("Papers per day", days, "cyan") if days else
                                                      Text("No dated papers here.", style="dim"))
        self.query_one("#trends-categories-chart", Static).update(
            bars("Papers per category", trends.categories[:20], "green"))
        self.query_one("#trends-terms", Static).update(bars("Most frequent title terms", trends.terms, "magenta"))

    def action_close(self) -> None:
        self.dismiss(None)
