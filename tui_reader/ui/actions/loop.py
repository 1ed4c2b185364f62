"""The daily reading loop (issue 14): repeats hidden or shown, triage,
the reading queue ("later"), "New since last time", the code link, the
jump-to-node prompt, Escape back to where the reader was, and moving
through papers or panes without leaving the pane the reader is in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui_reader.core.model import Paper
from tui_reader.core.signals import signals_of
from tui_reader.core.text import one_line
from tui_reader.core.views import NEW, QUEUE
from tui_reader.ui.actions import sync

if TYPE_CHECKING:
    from tui_reader.ui.panes import Panes

PACE_PREF = "triage.pace"  # seconds a paper, from the last triage session (a reading budget's pace)
NEW_SINCE = "new_since"  # pref: the newest day the reader went through to the end

BINDINGS = [
    Binding("v", "triage", "Triage", id="loop.triage"),
    Binding("w", "later", "Later (queue)", show=False, id="loop.later"),
    Binding("H", "toggle_repeats", "Hide/show repeats", show=False, id="loop.repeats"),
    Binding("c", "open_code", "Open code", show=False, id="loop.open_code"),
    Binding("f", "jump", "Jump to a day or category", show=False, id="loop.jump"),
    Binding("J", "step_paper(1)", "Next paper (any pane)", show=False, id="loop.next_paper"),
    Binding("K", "step_paper(-1)", "Previous paper (any pane)", show=False, id="loop.prev_paper"),
    Binding("escape", "back", "Back from search, like this, Later", show=False, id="loop.back"),
    Binding("tab", "cycle_focus(1)", "Next pane", show=False, id="loop.next_pane"),
    Binding("shift+tab", "cycle_focus(-1)", "Previous pane", show=False, id="loop.prev_pane"),
]

def back(p: Panes) -> None:
    """Escape: from search results, more like this or Later back to where
    the reader was."""
    if not p.place.away and not p.search.active:
        return
    previous, paper = p.place.go_back()
    if p.search.active or p.state.search is not None:
        p.leave_search(redisplay=False)
    p.tree.select_key(previous.node)
    p.show(previous, keep=paper, keep_current=False)
    p.papers.focus()


def toggle_repeats(p: Panes) -> None:
    hide = not p.state.hide_repeats
    p.show(p.state.with_(hide_repeats=hide))
    p.notify("Repeats of earlier days hidden." if hide else "Repeats of earlier days shown (marked “seen”).",
             timeout=2)


def later(p: Panes) -> None:
    """Put the highlighted paper in the reading queue, or take it out."""
    paper = p.papers.current
    store = p.writable_store()
    if paper is None or store is None:
        return
    ok, added = p.attempt(store.queue_add, paper.id)
    if not ok:
        return
    if added:
        p.notify(f"For later: {paper.id} (the Later node lists them; u undoes)", timeout=2)
    else:
        ok, _ = p.attempt(store.queue_remove, paper.id)
        if not ok:
            return
        p.notify(f"Taken out of Later: {paper.id}", timeout=2)
    p.after_state_change()
    if p.state.node == QUEUE:
        p.show()


def triage(p: Panes) -> None:
    """v: one pass through the list, from its first undecided paper (a
    second v goes on where the last pass stopped)."""
    store = p.writable_store()
    shown = p.place.shown
    if store is None or shown is None:
        return
    papers = list(p.papers.papers)
    if not papers:
        p.notify("Nothing to triage here.", timeout=2)
        return
    decided = store.decided_ids()
    start = next((i for i, paper in enumerate(papers) if paper.id not in decided), None)
    if start is None:
        p.notify("Every paper here has a decision; triage goes through them again.", timeout=3)
        start = 0
    title = shown.label if p.state.search is None else f"search “{one_line(p.state.search.query)[:30]}”"
    open_triage(p, papers[start:], title)


def open_triage(p: Panes, papers: list, title: str, after: str = "") -> None:
    """Triage ``papers``; when it ends the list shows where it stopped, the
    ranking learns from the decisions, and ``after`` (what a budget left
    unseen) is said with the summary."""
    from tui_reader.ui.screens.triage import TriageResult, TriageScreen

    store = p.store
    assert store is not None

    def done(result: TriageResult | None) -> None:
        p.after_state_change()
        p.show(keep=result.last if result else None, keep_current=result is None)
        if result is not None and result.decided:
            p.notify(f"Triage: {result.summary}" + (f" · {after}" if after else ""), timeout=8)
            if result.pace is not None:
                p.save_pref(PACE_PREF, round(result.pace, 1))
            p.librarian.rank()  # learn from the decisions, in the background
            sync.start(p)  # and carry them to the other devices
        elif after:
            p.notify(after, timeout=6)
        check_new_done(p)

    p.app.push_screen(TriageScreen(papers, title, store, p.rules, p.detail_state, p.lib.index), done)


def check_new_done(p: Panes) -> None:
    """The reader went through everything new: the next "New since last
    time" starts after today's newest day."""
    from tui_reader.core.listing import new_papers

    store, view = p.store, p.lib.view
    if store is None or view is None or not view.days or store.read_only:
        return
    read = store.read_ids()
    queued = set(store.queue_ids())
    if all(x.id in read or x.id in queued for x in new_papers(view, p.place.new_since)):
        if p.place.new_since != view.days[0]:
            p.place.new_since = view.days[0]
            store.set_pref(NEW_SINCE, p.place.new_since)


# --- the code link ---------------------------------------------------------------------

def code_link(paper: Paper) -> str | None:
    """The paper's code (core.signals: its ``code_url``, else a code-forge
    link of its comment, then its abstract), else its project page; only
    what core.links lets through."""
    found = signals_of(paper)
    return found.code_url or found.project_url or None


def open_code(p: Panes) -> None:
    paper = p.papers.current
    if paper is None:
        return
    url = code_link(paper)
    if url is None:
        p.notify("No code link for this paper.", timeout=2)
        return
    p.open_url(url)


# --- moving -------------------------------------------------------------------------------


def step_paper(p: Panes, step: int) -> None:
    """Next / previous paper, whichever pane has the focus (reading in the
    detail pane goes on there)."""
    papers = p.papers
    papers.move_to(papers.cursor + step)


def cycle_focus(p: Panes, step: int) -> None:
    """Tab / shift+Tab: tree → list → detail (the search box only by ``/``)."""
    panes = [w for w in (p.tree, p.papers, p.detail) if w.display and w.styles.display != "none"]
    if p.host.has_class("-tree-hidden"):
        panes = [w for w in panes if w is not p.tree]
    focused = p.host.focused
    index = panes.index(focused) if focused in panes else (0 if step > 0 else 1)
    panes[(index + step) % len(panes)].focus()


def jump(p: Panes) -> None:
    """A small prompt: type part of a day or category, enter goes there."""
    from tui_reader.ui.screens.jump import JumpScreen

    view = p.lib.view
    if view is None:
        return
    choices = [(f"day:{d}", d) for d in view.days]
    choices += [(f"cat:{c}", c) for c in sorted(view.by_category)]
    choices += [(f"archive:{a}", f"{a} (archive)") for a in sorted(view.archives)]
    choices = [(NEW, "New since last time"), (QUEUE, "Later"), *choices]

    def done(key: str | None) -> None:
        if key and p.tree.has_key(key):
            p.go_to(key)

    p.app.push_screen(JumpScreen(choices), done)


def first_use(p: Panes) -> None:
    """The first start on a library has no "last time": what is there now
    is the library, and New starts after its newest day.  The embedded
    samples are the exception: a newcomer's first screen is a real day, so
    their newest day that brought anything new is what is New."""
    view, store = p.lib.view, p.store
    if p.place.new_since is None and view is not None and view.days and store is not None and not store.read_only:
        days = view.days  # newest first
        since = days[0]
        if p.context.source == "samples":
            fresh = next((i for i, day in enumerate(days) if any(x.dates[0] == day for x in view.by_day[day])), 0)
            since = days[fresh + 1] if fresh + 1 < len(days) else "0000-00-00"
        p.place.new_since = since
        store.set_pref(NEW_SINCE, since)


def open_new_at_start(p: Panes) -> bool:
    """At start: open "New since last time" when it holds unread papers."""
    from tui_reader.core.listing import new_papers

    view, store = p.lib.view, p.store
    if view is None or store is None:
        return False
    read = store.read_ids()
    return any(paper.id not in read for paper in new_papers(view, p.place.new_since))
