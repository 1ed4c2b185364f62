"""From the reader into a researcher's tools (``space V E D`` and the keys
of ``[[commands]]``): select papers, export the selection, the list or the
bookmarks to a file or the clipboard in any format, a digest of the
selection, and your own commands.  Rendering is in the core
(:mod:`tui_reader.core.state.export`, :mod:`tui_reader.core.digest`,
:mod:`tui_reader.core.user_commands`); files are written and programs run in
thread workers, so no key waits on them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from textual.binding import Binding

from tui_reader.core.digest import Digest, group_picks, render_digest
from tui_reader.core.model import Paper
from tui_reader.core.state.export import file_encoding, records, render, write_atomic
from tui_reader.core.user_commands import UserCommand, payload, run_command
from tui_reader.ui.screens.dialogs import TextPromptScreen
from tui_reader.ui.screens.export import FORMAT_LABELS, ExportRequest, ExportScreen

if TYPE_CHECKING:
    from tui_reader.ui.screens.main import MainScreen

BINDINGS = [
    Binding("space", "toggle_select", "Select", show=False, id="share.select"),
    Binding("V", "select_all", "Select all / none", show=False, id="share.select_all"),
    Binding("E", "export", "Export", show=False, id="share.export"),
    Binding("D", "digest", "Digest of the selection", show=False, id="share.digest"),
]
EXPORT_FORMAT_PREF = "export.format"


# --- selection -------------------------------------------------------------------------------


def selected_papers(screen: MainScreen) -> list[Paper]:
    """The selected papers in the order they were selected (papers no
    longer in the library keep their bookmark's snapshot)."""
    found = []
    by_id = screen.view.by_id if screen.view is not None else {}
    bookmarks = screen.store.bookmarks() if screen.store is not None else []
    snapshots = {b.id: b.snapshot for b in bookmarks}
    for paper_id in screen.selected:
        paper = by_id.get(paper_id)
        if paper is None and snapshots.get(paper_id) is not None:
            paper = snapshots[paper_id].to_paper()
        if paper is not None:
            found.append(paper)
    return found


def show_selection(screen: MainScreen) -> None:
    screen.paper_list.set_selected(set(screen.selected))
    count = len(screen.selected)
    screen._set_status("selection", f"{count} selected (E export, D digest)" if count else None)


def toggle_select(screen: MainScreen) -> None:
    paper = screen.paper_list.current
    if paper is None:
        return
    if paper.id in screen.selected:
        del screen.selected[paper.id]
    else:
        screen.selected[paper.id] = None
    show_selection(screen)
    screen.paper_list.action_cursor_down()  # select a run with space space space


def select_all(screen: MainScreen) -> None:
    papers = screen.paper_list.papers
    if not papers:
        return
    if all(p.id in screen.selected for p in papers):
        for paper in papers:
            screen.selected.pop(paper.id, None)
        screen.notify(f"Cleared the selection of this list ({len(screen.selected)} still selected elsewhere).",
                      timeout=3)
    else:
        for paper in papers:
            screen.selected[paper.id] = None
        screen.notify(f"Selected the {len(papers)} papers of this list; {len(screen.selected)} selected in all.",
                      timeout=3)
    show_selection(screen)


# --- export ------------------------------------------------------------------------------------


def _bookmarks_by_id(screen: MainScreen) -> dict:
    return {b.id: b for b in screen.store.bookmarks()} if screen.store is not None else {}


def export(screen: MainScreen) -> None:
    store = screen.store
    counts = {
        "selection": len(screen.selected),
        "list": len(screen.paper_list.papers),
        "bookmarks": store.bookmark_count() if store is not None else 0,
    }
    scope = "selection" if counts["selection"] else "list"
    fmt = (store.get_pref(EXPORT_FORMAT_PREF, "bibtex") if store is not None else "bibtex") or "bibtex"
    if fmt not in FORMAT_LABELS:
        fmt = "bibtex"

    def done(request: ExportRequest | None) -> None:
        if request is not None:
            _export(screen, request)

    screen.app.push_screen(ExportScreen(counts, scope, fmt, Path.cwd()), done)




def _export(screen: MainScreen, request: ExportRequest) -> None:
    bookmarks = _bookmarks_by_id(screen)
    if request.scope == "bookmarks":
        items = sorted(bookmarks.values(), key=lambda b: (b.added_at, b.id))
        for item in items:  # the freshest copy of a paper the library holds
            paper = screen.view.by_id.get(item.id) if screen.view is not None else None
            if paper is not None:
                item.snapshot = records([paper])[0].snapshot
    else:
        papers = selected_papers(screen) if request.scope == "selection" else list(screen.paper_list.papers)
        items = records(papers, bookmarks)
    if not items:
        screen.notify("Nothing to export.", severity="warning", timeout=3)
        return
    if screen.store is not None and not screen.store.read_only:
        try:
            screen.store.set_pref(EXPORT_FORMAT_PREF, request.format)
        except Exception:
            pass
    text = render(items, request.format, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  title=f"Papers ({request.scope})")
    what = f"{len(items)} paper{'s' if len(items) != 1 else ''} as {FORMAT_LABELS[request.format]}"
    if request.path is None:
        screen.app.copy_to_clipboard(text)
        screen.notify(f"Copied {what} to the clipboard ({len(text.encode()) // 1024 + 1} KB).", markup=False,
                      timeout=4)
        return
    write_file(screen, Path(request.path).expanduser(), text, file_encoding(request.format), what)


def write_file(screen: MainScreen, path: Path, text: str, encoding: str, what: str) -> None:
    def work() -> None:
        try:
            written = write_atomic(path, text, encoding=encoding)
        except OSError as error:
            message = f"Not written: {path}: {error.strerror or error}"
            screen.app.call_from_thread(screen.notify, message, severity="error", markup=False, timeout=6)
            return
        where = str(path) if written == path else f"{path} (→ {written})"
        screen.app.call_from_thread(screen.notify, f"Wrote {what} to {where}", markup=False, timeout=5)

    screen.run_worker(work, thread=True, group="share-write", exit_on_error=False)


# --- digest ------------------------------------------------------------------------------------


def digest(screen: MainScreen) -> None:
    papers = selected_papers(screen)
    scope = "selection"
    if not papers:
        papers, scope = list(screen.paper_list.papers), "list"
    if not papers:
        screen.notify("No papers for a digest: select some with space (V selects the list).", timeout=3)
        return
    name = f"digest-{dt.date.today()}.md"

    def done(value: str | None) -> None:
        if value is None:
            return
        bookmarks = _bookmarks_by_id(screen)
        matched = screen.discovery.matched
        interests = {p.id: [r.label for r in matched[p.id]] for p in papers if p.id in matched}
        fmt = "html" if value.strip().lower().endswith((".html", ".htm")) else "md"
        text = render_digest(Digest(
            title=f"arXiv picks, {dt.date.today()}",
            subtitle=f"{len(papers)} papers selected in tui-reader",
            groups=group_picks(papers, bookmarks, interests),
            language=screen.language,
        ), fmt)
        what = f"a digest of {len(papers)} papers ({'HTML' if fmt == 'html' else 'Markdown'})"
        if not value.strip():
            screen.app.copy_to_clipboard(text)
            screen.notify(f"Copied {what} to the clipboard.", markup=False, timeout=4)
            return
        write_file(screen, Path(value.strip()).expanduser(), text, "utf-8", what)

    title = f"Digest of the {len(papers)} papers of the {scope}: file name (.md or .html)"
    screen.app.push_screen(TextPromptScreen(title, name, "enter: write (empty: copy to the clipboard)    "
                                                        "escape: cancel"), done)


# --- your own commands ---------------------------------------------------------------------------


def run_user_command(screen: MainScreen, command: UserCommand) -> None:
    papers = selected_papers(screen)
    if not papers:
        current = screen.paper_list.current
        papers = [current] if current is not None else []
    if not papers:
        screen.notify(f"{command.name}: no paper highlighted or selected.", timeout=3)
        return
    data = payload(records(papers, _bookmarks_by_id(screen)), command.input)
    count = len(papers)
    screen.notify(f"{command.name}: running with {count} paper{'s' if count != 1 else ''}…", markup=False, timeout=2)

    def work() -> None:
        outcome = run_command(command, data, count)
        screen.app.call_from_thread(screen.notify, outcome.summary, markup=False,
                                    severity="information" if outcome.ok else "error",
                                    timeout=5 if outcome.ok else 8)

    screen.run_worker(work, thread=True, group="user-command", exit_on_error=False)


def bind_user_commands(screen: MainScreen, commands: list[UserCommand]) -> list[str]:
    """Bind each command's key on the screen (id ``commands.<name>``, so
    keymaps and help see it); a key the reader already uses is refused
    with a notice rather than silently shadowing a built-in key."""
    problems = []
    taken = {key for key, bindings in screen._bindings.key_to_bindings.items() if bindings}
    for index, command in enumerate(commands):
        keys = [k.strip() for k in command.key.split(",")]
        clash = [k for k in keys if k in taken]
        if clash:
            problems.append(f"{screen.context.config.path}:{command.line}: [[commands]] {command.name!r}: key {clash[0]!r} is "
                            "already a reader key; command not bound")
            continue
        binding = Binding(command.key, f"user_command({index})", command.name, show=False, id=command.binding_id)
        for key in keys:
            screen._bindings.key_to_bindings.setdefault(key, []).append(
                Binding(key, binding.action, binding.description, show=False, id=binding.id))
            taken.add(key)
    return problems
