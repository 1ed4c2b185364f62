"""Bookmarks, tags, notes and read marks (``b t e m n M u``).  The store
(tui_reader.core.state) does the writing, one transaction per change; a
failed write becomes a notice, never a crash."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.binding import Binding

from tui_reader.core.model import Paper
from tui_reader.core.state import StateError, StateStore
from tui_reader.core.text import one_line
from tui_reader.ui.screens.dialogs import ConfirmScreen, NoteScreen, TextPromptScreen

if TYPE_CHECKING:
    from tui_reader.ui.screens.main import MainScreen

T = TypeVar("T")

BINDINGS = [
    Binding("b", "toggle_bookmark", "Bookmark", id="state.bookmark"),
    Binding("t", "edit_tags", "Tags", show=False, id="state.tags"),
    Binding("e", "edit_note", "Note", show=False, id="state.note"),
    Binding("m", "toggle_read", "Read/unread", show=False, id="state.read"),
    Binding("n", "next_unread", "Next unread", show=False, id="state.next_unread"),
    Binding("M", "mark_all_read", "Mark all read", show=False, id="state.mark_all_read"),
    Binding("u", "undo", "Undo", show=False, id="state.undo"),
]


def writable_store(screen: MainScreen) -> StateStore | None:
    store = screen.store
    if store is None:
        screen.notify("Bookmarks and read marks are switched off.", severity="warning", timeout=3)
        return None
    if store.read_only:
        screen.notify("The state store is read-only: this change cannot be saved.", severity="error", timeout=4)
        return None
    return store


def attempt(screen: MainScreen, change: Callable[..., T], *args) -> tuple[bool, T | None]:
    """Run one store change; a failed write (disk full, store locked by
    another process for too long) becomes a message.  Returns (ok, result)."""
    try:
        return True, change(*args)
    except StateError as error:
        screen.notify(f"Not saved: {error}", severity="error", markup=False, timeout=6)
        return False, None


def current(screen: MainScreen) -> Paper | None:
    paper = screen.paper_list.current
    if paper is None:
        screen.notify("No paper selected.", timeout=2)
    return paper


def toggle_bookmark(screen: MainScreen) -> None:
    store = writable_store(screen)
    paper = current(screen) if store else None
    if store is None or paper is None:
        return
    ok, added = attempt(screen, store.toggle_bookmark, paper)
    if ok:
        screen.notify(("Bookmarked " if added else "Removed bookmark ") + paper.id, markup=False, timeout=2)
        screen.after_state_change()


def edit_tags(screen: MainScreen) -> None:
    store = writable_store(screen)
    paper = current(screen) if store else None
    if store is None or paper is None:
        return
    bookmark = store.bookmark(paper.id)

    def done(value: str | None) -> None:
        if value is None:
            return
        ok, tags = attempt(screen, store.set_tags, paper, value)
        if ok:
            screen.notify(f"Tags of {paper.id}: " + (", ".join(tags or []) or "none"), markup=False, timeout=3)
            screen.after_state_change()

    title = f"Tags for {one_line(paper.title)[:60]} (comma separated; tagging bookmarks the paper)"
    screen.app.push_screen(TextPromptScreen(title, ", ".join(bookmark.tags) if bookmark else ""), done)


def edit_note(screen: MainScreen) -> None:
    store = writable_store(screen)
    paper = current(screen) if store else None
    if store is None or paper is None:
        return
    bookmark = store.bookmark(paper.id)

    def done(value: str | None) -> None:
        if value is None:
            return
        ok, _ = attempt(screen, store.set_note, paper, value)
        if ok:
            screen.notify(f"Note saved for {paper.id}", markup=False, timeout=2)
            screen.after_state_change()

    title = f"Note on {one_line(paper.title)[:70]}"
    screen.app.push_screen(NoteScreen(title, bookmark.note if bookmark else ""), done)


def toggle_read(screen: MainScreen) -> None:
    store = writable_store(screen)
    paper = current(screen) if store else None
    if store is None or paper is None:
        return
    ok, now_read = attempt(screen, store.toggle_read, paper.id)
    if ok:
        screen.reading.set_by_hand(paper.id)  # no automatic mark while it stays shown
        screen.notify(f"Marked {'read' if now_read else 'unread'}", timeout=2)
        screen.after_state_change()


def next_unread(screen: MainScreen) -> None:
    papers = screen.paper_list.papers
    if not papers:
        return
    read = screen.store.read_ids() if screen.store is not None else frozenset()
    start = screen.paper_list.cursor
    count = len(papers)
    for step in range(1, count + 1):
        index = (start + step) % count
        if papers[index].id not in read:
            screen.paper_list.move_to(index)
            return
    screen.notify("No unread paper in this list.", timeout=2)


def mark_all_read(screen: MainScreen) -> None:
    store = writable_store(screen)
    papers = list(screen.paper_list.papers)
    if store is None or not papers:
        return

    def done(answer: bool | None) -> None:
        if answer:
            ok, changed = attempt(screen, store.mark_read, [p.id for p in papers])
            if ok:
                screen.notify(f"Marked {changed} papers read (u undoes).", timeout=3)
                screen.after_state_change()

    screen.app.push_screen(ConfirmScreen(f"Mark all {len(papers)} papers in this list read?"), done)


def undo(screen: MainScreen) -> None:
    store = writable_store(screen)
    if store is None:
        return
    ok, description = attempt(screen, store.undo)
    if not ok:
        return
    if description is None:
        screen.notify("Nothing to undo.", timeout=2)
        return
    screen.notify(f"Undone: {description}", markup=False, timeout=3)
    screen.after_state_change()
