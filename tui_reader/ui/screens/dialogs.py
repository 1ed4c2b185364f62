"""Small modal dialogs: confirm, a one-line prompt, a note editor.
Each returns its answer through ``dismiss`` (None when cancelled)."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static, TextArea


class ConfirmScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog small-dialog"):
            yield Static(Text(self.question, style="bold"))
            yield Static(Text("y / enter: yes    n / escape: no", style="dim"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class TextPromptScreen(ModalScreen[str | None]):
    """One line to type.  With ``counter``, a line under it says what the
    text would do (how many papers a rule hides), counted in a worker as
    it is typed.  Keys typed before the box has the focus go into it."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="prompt.cancel")]
    AUTO_FOCUS = "#prompt-input"

    def __init__(self, title: str, value: str = "", hint: str = "",
                 counter: Callable[[str], str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.hint = hint
        self.counter = counter

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog small-dialog"):
            yield Static(Text(self.title_text, style="bold"))
            yield Input(value=self.value, id="prompt-input")
            if self.counter is not None:
                yield Static("", id="prompt-count", markup=False)
            yield Static(Text(self.hint or "enter: save    escape: cancel", style="dim"))

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.counter is not None:
            self.count(self.value)

    def on_key(self, event: events.Key) -> None:
        field = self.query_one(Input)
        if not field.has_focus and event.is_printable and event.character:
            field.focus()
            field.insert_text_at_cursor(event.character)
            event.stop()

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.counter is not None:
            self.count(event.value)

    @work(thread=True, exclusive=True, group="prompt-count", exit_on_error=False, description="counting")
    def count(self, text: str) -> None:
        assert self.counter is not None
        said = self.counter(text)
        self.app.call_from_thread(self._show_count, text, said)

    def _show_count(self, text: str, said: str) -> None:
        if self.is_mounted and self.query_one(Input).value == text:
            self.query_one("#prompt-count", Static).update(Text(said, style="italic"))

    @property
    def count_text(self) -> str:
        """What the count line says now."""
        return str(self.query_one("#prompt-count", Static).render()) if self.counter is not None else ""

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class NoteScreen(ModalScreen[str | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def __init__(self, title: str, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.title_text, style="bold"), classes="dialog-title")
            yield TextArea(self.note, id="note-editor", soft_wrap=True)
            yield Static(Text("ctrl+s: save    escape: cancel", style="dim"))

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.focus()
        editor.move_cursor(editor.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        self.dismiss(None)
