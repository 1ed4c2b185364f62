"""Bookmarks, tags, notes and read marks: the main screen's state actions.

A mixin so the main screen stays a readable go-between; the store itself
(tui_reader.core.state) does the writing, one transaction per change."""

from __future__ import annotations

from tui_reader.core.model import Paper
from tui_reader.core.state import StateError
from tui_reader.core.text import one_line
from tui_reader.ui.screens.dialogs import ConfirmScreen, NoteScreen, TextPromptScreen


class StateActions:
    """Expects ``store``, ``paper_list``, ``notify``, ``after_state_change``."""

    def _writable_store(self):
        store = self.store
        if store is None:
            self.notify("Bookmarks and read marks are switched off.", severity="warning", timeout=3)
            return None
        if getattr(store, "read_only", False):
            self.notify("The state store is read-only: this change cannot be saved.", severity="error", timeout=4)
            return None
        return store

    def _attempt(self, change, *args):
        """Run one store change; a failed write (disk full, store locked by
        another process for too long) becomes a message, never a crash.
        Returns (ok, result)."""
        try:
            return True, change(*args)
        except StateError as error:
            self.notify(f"Not saved: {error}", severity="error", markup=False, timeout=6)
            return False, None

    def _current(self) -> Paper | None:
        paper = self.paper_list.current
        if paper is None:
            self.notify("No paper selected.", timeout=2)
        return paper

    def action_toggle_bookmark(self) -> None:
        store = self._writable_store()
        paper = self._current() if store else None
        if paper is None:
            return
        ok, added = self._attempt(store.toggle_bookmark, paper)
        if not ok:
            return
        self.notify(("Bookmarked " if added else "Removed bookmark ") + paper.id, markup=False, timeout=2)
        self.after_state_change()

    def action_edit_tags(self) -> None:
        store = self._writable_store()
        paper = self._current() if store else None
        if paper is None:
            return
        bookmark = store.bookmark(paper.id)
        current = ", ".join(bookmark.tags) if bookmark else ""

        def done(value: str | None) -> None:
            if value is None:
                return
            ok, tags = self._attempt(store.set_tags, paper, value)
            if not ok:
                return
            self.notify(f"Tags of {paper.id}: " + (", ".join(tags) or "none"), markup=False, timeout=3)
            self.after_state_change()

        title = f"Tags for {one_line(paper.title)[:60]} (comma separated; tagging bookmarks the paper)"
        self.app.push_screen(TextPromptScreen(title, current), done)

    def action_edit_note(self) -> None:
        store = self._writable_store()
        paper = self._current() if store else None
        if paper is None:
            return
        bookmark = store.bookmark(paper.id)

        def done(value: str | None) -> None:
            if value is None:
                return
            ok, _ = self._attempt(store.set_note, paper, value)
            if not ok:
                return
            self.notify(f"Note saved for {paper.id}", markup=False, timeout=2)
            self.after_state_change()

        title = f"Note on {one_line(paper.title)[:70]}"
        self.app.push_screen(NoteScreen(title, bookmark.note if bookmark else ""), done)

    def action_toggle_read(self) -> None:
        store = self._writable_store()
        paper = self._current() if store else None
        if paper is None:
            return
        ok, now_read = self._attempt(store.toggle_read, paper.id)
        if not ok:
            return
        self._manual_read = paper.id  # no automatic mark while it stays shown
        if self._read_timer is not None:
            self._read_timer.stop()
            self._read_timer = None
        self.notify(f"Marked {'read' if now_read else 'unread'}", timeout=2)
        self.after_state_change()

    def action_next_unread(self) -> None:
        store = self.store
        papers = self.paper_list.papers
        if not papers:
            return
        read = store.read_ids() if store is not None else set()
        start = self.paper_list.cursor
        count = len(papers)
        for step in range(1, count + 1):
            index = (start + step) % count
            if papers[index].id not in read:
                self.paper_list.move_to(index)
                return
        self.notify("No unread paper in this list.", timeout=2)

    def action_mark_all_read(self) -> None:
        store = self._writable_store()
        if store is None:
            return
        papers = list(self.paper_list.papers)
        if not papers:
            return

        def done(answer: bool | None) -> None:
            if answer:
                ok, changed = self._attempt(store.mark_read, [p.id for p in papers])
                if not ok:
                    return
                self.notify(f"Marked {changed} papers read (u undoes).", timeout=3)
                self.after_state_change()

        self.app.push_screen(ConfirmScreen(f"Mark all {len(papers)} papers in this list read?"), done)

    def action_undo(self) -> None:
        store = self._writable_store()
        if store is None:
            return
        ok, description = self._attempt(store.undo)
        if not ok:
            return
        if description is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        self.notify(f"Undone: {description}", markup=False, timeout=3)
        self.after_state_change()
