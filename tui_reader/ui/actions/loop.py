"""The daily reading loop (issue 14): repeats hidden or shown, triage,
the reading queue ("later"), "New since last time", the code link, the
jump-to-node prompt, Escape back to where the reader was, and moving
through papers or panes without leaving the pane the reader is in."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui_reader.core.listing import ListState
from tui_reader.core.model import Paper
from tui_reader.core.signals import signals_of
from tui_reader.core.text import one_line
from tui_reader.core.views import ALL, LIKE_PREFIX, NEW, QUEUE
from tui_reader.ui.actions.marks import attempt, writable_store

if TYPE_CHECKING:
    from tui_reader.ui.screens.main import MainScreen

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

# Views Escape leaves, back to where the reader was.
_AWAY = (LIKE_PREFIX, QUEUE)


def remember(screen: MainScreen) -> None:
    """Before leaving for search results, more like this or the queue:
    where Escape comes back to."""
    state = screen.state
    if state.search is not None or state.node.startswith(_AWAY):
        return  # already away: Escape goes back to where that started
    current = screen.paper_list.current
    screen.back = [(state, current.id if current else None)]


def back(screen: MainScreen) -> None:
    state = screen.state
    if state.search is None and not screen.search_query and not state.node.startswith(_AWAY):
        return
    if screen.back:
        previous, paper = screen.back.pop()
    else:
        previous, paper = ListState(node=ALL, sort=state.sort), None
    if screen.search_query or state.search is not None:
        screen._leave_search(redisplay=False)
    screen.tree.select_key(previous.node)
    screen.show(previous.with_(search=None), keep=paper, keep_current=False)
    screen.paper_list.focus()


def toggle_repeats(screen: MainScreen) -> None:
    hide = not screen.state.hide_repeats
    screen.show(screen.state.with_(hide_repeats=hide))
    screen.notify("Repeats of earlier days hidden." if hide else "Repeats of earlier days shown (marked “seen”).",
                  timeout=2)


def later(screen: MainScreen) -> None:
    """Put the highlighted paper in the reading queue, or take it out."""
    paper = screen.paper_list.current
    store = writable_store(screen)
    if paper is None or store is None:
        return
    ok, added = attempt(screen, store.queue_add, paper.id)
    if not ok:
        return
    if added:
        screen.notify(f"For later: {paper.id} (the Later node lists them; u undoes)", markup=False, timeout=2)
    else:
        ok, _ = attempt(screen, store.queue_remove, paper.id)
        if not ok:
            return
        screen.notify(f"Taken out of Later: {paper.id}", markup=False, timeout=2)
    screen.after_state_change()
    if screen.state.node == QUEUE:
        screen.show()


def triage(screen: MainScreen) -> None:
    from tui_reader.ui.screens.triage import TriageResult, TriageScreen

    store = writable_store(screen)
    shown = screen.shown
    if store is None or shown is None:
        return
    papers = list(screen.paper_list.papers)
    if not papers:
        screen.notify("Nothing to triage here.", timeout=2)
        return
    # From the highlighted paper on: a pass picks up where the reader is.
    start = screen.paper_list.cursor
    papers = papers[start:] if start < len(papers) else papers

    def done(result: TriageResult | None) -> None:
        screen.after_state_change()
        screen.show(keep=result.last if result else None, keep_current=result is None)
        if result is not None and result.decided:
            screen.notify(f"Triage: {result.summary}", markup=False, timeout=6)
        check_new_done(screen)

    title = shown.label if screen.state.search is None else f"search “{one_line(screen.state.search.query)[:30]}”"
    screen.app.push_screen(TriageScreen(papers, title, store, screen.rules, screen.detail_state), done)


def check_new_done(screen: MainScreen) -> None:
    """The reader went through everything new: the next "New since last
    time" starts after today's newest day."""
    from tui_reader.core.listing import new_papers

    store, view = screen.store, screen.view
    if store is None or view is None or not view.days or store.read_only:
        return
    read = store.read_ids()
    queued = set(store.queue_ids())
    if all(p.id in read or p.id in queued for p in new_papers(view, screen.new_since)):
        if screen.new_since != view.days[0]:
            screen.new_since = view.days[0]
            store.set_pref(NEW_SINCE, screen.new_since)


# --- the code link ---------------------------------------------------------------------

def code_link(paper: Paper) -> str | None:
    """The paper's code (core.signals: its ``code_url``, else a code-forge
    link of its comment, then its abstract), else its project page; only
    what core.links lets through."""
    found = signals_of(paper)
    return found.code_url or found.project_url or None


def open_code(screen: MainScreen) -> None:
    paper = screen.paper_list.current
    if paper is None:
        return
    url = code_link(paper)
    if url is None:
        screen.notify("No code link for this paper.", timeout=2)
        return
    screen.app.open_url(url)
    screen.notify(f"Opening {url}", markup=False, timeout=3)


# --- moving -------------------------------------------------------------------------------


def step_paper(screen: MainScreen, step: int) -> None:
    """Next / previous paper, whichever pane has the focus (reading in the
    detail pane goes on there)."""
    papers = screen.paper_list
    papers.move_to(papers.cursor + step)


def cycle_focus(screen: MainScreen, step: int) -> None:
    """Tab / shift+Tab: tree → list → detail (the search box only by ``/``)."""
    panes = [w for w in (screen.tree, screen.paper_list, screen.detail) if w.display and w.styles.display != "none"]
    if screen.has_class("-tree-hidden"):
        panes = [w for w in panes if w is not screen.tree]
    focused = screen.focused
    index = panes.index(focused) if focused in panes else (0 if step > 0 else 1)
    panes[(index + step) % len(panes)].focus()


def jump(screen: MainScreen) -> None:
    """A small prompt: type part of a day or category, enter goes there."""
    from tui_reader.ui.screens.jump import JumpScreen

    view = screen.view
    if view is None:
        return
    choices = [(f"day:{d}", d) for d in view.days]
    choices += [(f"cat:{c}", c) for c in sorted(view.by_category)]
    choices += [(f"archive:{a}", f"{a} (archive)") for a in sorted(view.archives)]
    choices = [(NEW, "New since last time"), (QUEUE, "Later"), *choices]

    def done(key: str | None) -> None:
        if key and screen.tree.has_key(key):
            screen.go_to(key)

    screen.app.push_screen(JumpScreen(choices), done)


def first_use(screen: MainScreen) -> None:
    """The first start on a library has no "last time": what is there now
    is the library, and New starts after its newest day."""
    view, store = screen.view, screen.store
    if screen.new_since is None and view is not None and view.days and store is not None and not store.read_only:
        screen.new_since = view.days[0]
        store.set_pref(NEW_SINCE, screen.new_since)


def open_new_at_start(screen: MainScreen) -> bool:
    """At start: open "New since last time" when it holds unread papers."""
    from tui_reader.core.listing import new_papers

    view, store = screen.view, screen.store
    if view is None or store is None:
        return False
    read = store.read_ids()
    return any(p.id not in read for p in new_papers(view, screen.new_since))
