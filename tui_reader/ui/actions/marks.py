"""Bookmarks, tags, notes and read marks (``b t e m n M u``).  The store
(tui_reader.core.state) does the writing, one transaction per change; a
failed write becomes a notice, never a crash."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui_reader.core.text import one_line
from tui_reader.ui.screens.dialogs import ConfirmScreen, NoteScreen, TextPromptScreen

if TYPE_CHECKING:
    from tui_reader.ui.panes import Panes

BINDINGS = [
    Binding("b", "toggle_bookmark", "Bookmark", id="state.bookmark"),
    Binding("t", "edit_tags", "Tags", show=False, id="state.tags"),
    Binding("e", "edit_note", "Note", show=False, id="state.note"),
    Binding("m", "toggle_read", "Read/unread", show=False, id="state.read"),
    Binding("n", "next_unread", "Next unread", show=False, id="state.next_unread"),
    Binding("M", "mark_all_read", "Mark all read", show=False, id="state.mark_all_read"),
    Binding("u", "undo", "Undo", show=False, id="state.undo"),
]


def toggle_bookmark(p: Panes) -> None:
    store = p.writable_store()
    paper = p.current_or_say() if store else None
    if store is None or paper is None:
        return
    ok, added = p.attempt(store.toggle_bookmark, paper)
    if ok:
        p.notify(("Bookmarked " if added else "Removed bookmark ") + paper.id, timeout=2)
        p.after_state_change()


def edit_tags(p: Panes) -> None:
    store = p.writable_store()
    paper = p.current_or_say() if store else None
    if store is None or paper is None:
        return
    bookmark = store.bookmark(paper.id)

    def done(value: str | None) -> None:
        if value is None:
            return
        ok, tags = p.attempt(store.set_tags, paper, value)
        if ok:
            p.notify(f"Tags of {paper.id}: " + (", ".join(tags or []) or "none"), timeout=3)
            p.after_state_change()

    title = f"Tags for {one_line(paper.title)[:60]} (comma separated; tagging bookmarks the paper)"
    p.app.push_screen(TextPromptScreen(title, ", ".join(bookmark.tags) if bookmark else ""), done)


def edit_note(p: Panes) -> None:
    store = p.writable_store()
    paper = p.current_or_say() if store else None
    if store is None or paper is None:
        return
    bookmark = store.bookmark(paper.id)

    def done(value: str | None) -> None:
        if value is None:
            return
        ok, _ = p.attempt(store.set_note, paper, value)
        if ok:
            p.notify(f"Note saved for {paper.id}", timeout=2)
            p.after_state_change()

    title = f"Note on {one_line(paper.title)[:70]}"
    p.app.push_screen(NoteScreen(title, bookmark.note if bookmark else ""), done)


def toggle_read(p: Panes) -> None:
    store = p.writable_store()
    paper = p.current_or_say() if store else None
    if store is None or paper is None:
        return
    ok, now_read = p.attempt(store.toggle_read, paper.id)
    if ok:
        p.reading.set_by_hand(paper.id)  # no automatic mark while it stays shown
        p.notify(f"Marked {'read' if now_read else 'unread'}", timeout=2)
        p.after_state_change()


def next_unread(p: Panes) -> None:
    papers = p.papers.papers
    if not papers:
        return
    read = p.store.read_ids() if p.store is not None else frozenset()
    start = p.papers.cursor
    count = len(papers)
    for step in range(1, count + 1):
        index = (start + step) % count
        if papers[index].id not in read:
            p.papers.move_to(index)
            return
    p.notify("No unread paper in this list.", timeout=2)


def mark_all_read(p: Panes) -> None:
    store = p.writable_store()
    papers = list(p.papers.papers)
    if store is None or not papers:
        return

    def done(answer: bool | None) -> None:
        if answer:
            ok, changed = p.attempt(store.mark_read, [x.id for x in papers])
            if ok:
                p.notify(f"Marked {changed} papers read (u undoes).", timeout=3)
                p.after_state_change()

    p.app.push_screen(ConfirmScreen(f"Mark all {len(papers)} papers in this list read?"), done)


def undo(p: Panes) -> None:
    store = p.writable_store()
    if store is None:
        return
    ok, description = p.attempt(store.undo)
    if not ok:
        return
    if description is None:
        p.notify("Nothing to undo.", timeout=2)
        return
    p.notify(f"Undone: {description}", timeout=3)
    p.after_state_change()
