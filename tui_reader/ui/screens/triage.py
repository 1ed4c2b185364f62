"""Triage mode (``v``): one paper at a time, one key per decision.

keep (y or b) bookmarks it, skip (n or s) marks it read, later (w or l)
puts it in the reading queue (Later), mute (x) adds a mute rule like it and skips
it; u takes the last decision back (several levels).  A progress line
counts what is left at the reader's pace; a summary ends the pass.  The
screen gets the papers, the store and the rule editor, never the
main screen, and returns what it did through ``dismiss``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from tui_reader.core.discovery import MUTE as MUTE_RULE
from tui_reader.core.discovery.phrases import key_phrase
from tui_reader.core.model import Paper
from tui_reader.core.state import StateError, StateStore
from tui_reader.core.triage import KEEP, LATER, MUTE, SKIP, Triage
from tui_reader.ui.render import DetailState
from tui_reader.ui.rules import RuleEditor
from tui_reader.ui.widgets.detail import DetailView
from tui_reader.ui.widgets.key_footer import KeyFooter

if TYPE_CHECKING:
    from tui_reader.core.index import SearchIndex


@dataclass
class TriageResult:
    decided: int
    summary: str
    last: str | None  # the id of the paper the pass stopped at
    pace: float | None = None  # seconds a paper at the end of the pass (None: too few decisions)


class TriageScreen(Screen[TriageResult]):
    BINDINGS = [
        Binding("y,b", "decide('keep')", "Keep", priority=True, id="triage.keep"),
        Binding("n,s", "decide('skip')", "Skip", priority=True, id="triage.skip"),
        Binding("w,l", "decide('later')", "Later", priority=True, id="triage.later"),
        Binding("x", "mute", "Mute like this", priority=True, id="triage.mute"),
        Binding("u", "undo", "Undo", priority=True, id="triage.undo"),
        Binding("a", "toggle_abstract", "Abstract/summary", priority=True, id="triage.abstract"),
        Binding("o", "open_abs", "Open abs page", show=False, id="triage.open_abs"),
        Binding("escape,q", "leave", "Leave triage", priority=True, id="triage.leave"),
    ]

    def __init__(self, papers: list[Paper], title: str, store: StateStore, rules: RuleEditor,
                 detail_state: Callable[[Paper], DetailState], index: SearchIndex | None = None) -> None:
        super().__init__()
        self.session = Triage(list(papers))
        self.index = index  # counts what a mute rule would hide
        self.title_text = title
        self.store = store
        self.rules = rules
        self.detail_state = detail_state
        self.mode = "summary"

    def compose(self) -> ComposeResult:
        yield Static("", id="triage-progress")
        yield DetailView(id="triage-detail")
        yield Static(Text("y keep · n skip · w later · x mute like this · u undo · a abstract · escape leave",
                          style="dim"), id="triage-keys")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.detail.focus()
        self.paint()

    @property
    def detail(self) -> DetailView:
        return self.query_one("#triage-detail", DetailView)

    def paint(self) -> None:
        session = self.session
        progress = Text(f"Triage · {self.title_text} · ", style="bold")
        progress.append(session.progress())
        self.query_one("#triage-progress", Static).update(progress, layout=False)
        paper = session.current
        if paper is None:
            self.detail.show(None, DetailState())
            body = self.detail.query_one("#detail-body", Static)
            done = Text("Done: ", style="bold")
            done.append(session.summary())
            done.append("\n\nu takes the last decision back · escape returns to the list", style="dim")
            body.update(done)
            return
        state = self.detail_state(paper)
        state.mode = self.mode
        self.detail.show(paper, state)

    # --- decisions ----------------------------------------------------------------

    def _write(self, change, *args):
        try:
            return True, change(*args)
        except StateError as error:
            self.notify(f"Not saved: {error}", severity="error", markup=False, timeout=6)
            return False, None

    def _mark_read(self, paper: Paper) -> Callable[[], None] | None:
        if self.store.is_read(paper.id):
            return None
        ok, _ = self._write(self.store.mark_read, [paper.id], True, False)
        return (lambda: self._write(self.store.mark_read, [paper.id], False, False)) if ok else None

    def _record(self, paper: Paper, kind: str) -> list[Callable[[], None]]:
        """The decision as a label the ranking learns from; undo takes it out."""
        ok, token = self._write(self.store.record_decision, paper.id, kind)
        return [lambda: self._write(self.store.remove_decision, token)] if ok else []

    def action_decide(self, kind: str) -> None:
        paper = self.session.current
        if paper is None:
            return
        if self.store.read_only:
            self.notify("The state store is read-only: decisions cannot be saved.", severity="error", timeout=4)
            return
        undos: list[Callable[[], None]] = []
        if kind == KEEP and not self.store.is_bookmarked(paper.id):
            ok, _ = self._write(self.store.add_bookmark, paper)
            if not ok:
                return
            undos.append(lambda: self._write(self.store.remove_bookmark, paper.id))
        if kind == LATER:
            ok, added = self._write(self.store.queue_add, paper.id)
            if not ok:
                return
            if added:
                undos.append(lambda: self._write(self.store.queue_remove, paper.id))
        else:
            undo_read = self._mark_read(paper)
            if undo_read is not None:
                undos.append(undo_read)
        undos.extend(self._record(paper, kind))
        self.session.decide(kind, lambda: [undo() for undo in reversed(undos)])
        self.paint()

    def action_mute(self) -> None:
        paper = self.session.current
        if paper is None:
            return
        value = key_phrase(paper.title)  # the most specific rule it suggests, never its whole category

        def done(text: str | None) -> None:
            if not text or not text.strip() or self.session.current is not paper:
                return
            rule = self.rules.add(MUTE_RULE, text)
            if rule is None:
                return
            undo_read = self._mark_read(paper)
            undo_label = self._record(paper, MUTE)

            def undo() -> None:
                self.rules.remove(rule)
                if undo_read is not None:
                    undo_read()
                for step in undo_label:
                    step()

            self.session.decide(MUTE, undo)
            self.paint()

        from tui_reader.ui.rules import RULE_HINT
        from tui_reader.ui.screens.dialogs import TextPromptScreen

        self.app.push_screen(TextPromptScreen("Mute papers like this one (and skip it)", value, RULE_HINT,
                                              self.rules.counter(MUTE_RULE, self.index)), done)

    def action_undo(self) -> None:
        decision = self.session.undo()
        if decision is None:
            self.notify("Nothing to undo in this pass.", timeout=2)
            return
        self.notify(f"Undone: {decision.kind} of {decision.paper.id}", markup=False, timeout=2)
        self.paint()

    def action_toggle_abstract(self) -> None:
        self.mode = "abstract" if self.mode == "summary" else "summary"
        self.paint()

    def action_open_abs(self) -> None:
        paper = self.session.current
        if paper is not None:
            self.app.open_url(paper.abs_link)

    def action_leave(self) -> None:
        session = self.session
        current = session.current
        last = current.id if current is not None else (session.papers[-1].id if session.papers else None)
        self.dismiss(TriageResult(len(session.decisions), session.summary(), last, session.pace()))


__all__ = ["KEEP", "LATER", "SKIP", "TriageResult", "TriageScreen"]
