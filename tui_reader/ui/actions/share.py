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
from tui_reader.core.paths import export_dir
from tui_reader.core.state.export import file_encoding, records, render, write_atomic
from tui_reader.core.user_commands import UserCommand, payload, run_command
from tui_reader.ui.screens.dialogs import TextPromptScreen
from tui_reader.ui.screens.export import FORMAT_LABELS, ExportRequest, ExportScreen

if TYPE_CHECKING:
    from tui_reader.ui.panes import Panes

BINDINGS = [
    Binding("space", "toggle_select", "Select", show=False, id="share.select"),
    Binding("V", "select_all", "Select all / none", show=False, id="share.select_all"),
    Binding("E", "export", "Export", show=False, id="share.export"),
    Binding("D", "digest", "Digest of the selection", show=False, id="share.digest"),
]
EXPORT_FORMAT_PREF = "export.format"


# --- selection -------------------------------------------------------------------------------


def selected_papers(p: Panes) -> list[Paper]:
    """The selected papers in the list's order, then those selected in
    other lists in the order chosen (papers no longer in the library keep
    their bookmark's snapshot)."""
    found = []
    by_id = p.lib.view.by_id if p.lib.view is not None else {}
    bookmarks = p.store.bookmarks() if p.store is not None else []
    snapshots = {b.id: b.snapshot for b in bookmarks}
    selected = p.place.selected
    in_list = [x.id for x in p.papers.papers if x.id in selected]
    for paper_id in dict.fromkeys(in_list + list(selected)):
        paper = by_id.get(paper_id)
        if paper is None and snapshots.get(paper_id) is not None:
            paper = snapshots[paper_id].to_paper()
        if paper is not None:
            found.append(paper)
    return found


def show_selection(p: Panes) -> None:
    p.papers.set_selected(set(p.place.selected))
    count = len(p.place.selected)
    p.status.set("selection", f"{count} selected (E export, D digest)" if count else None)


def toggle_select(p: Panes) -> None:
    paper = p.papers.current
    if paper is None:
        return
    p.place.toggle_selected(paper.id)
    show_selection(p)
    p.papers.action_cursor_down()  # select a run with space space space


def select_all(p: Panes) -> None:
    papers = p.papers.papers
    if not papers:
        return
    selected = p.place.selected
    if p.place.select_all([paper.id for paper in papers]):
        p.notify(f"Selected the {len(papers)} papers of this list; {len(selected)} selected in all.", timeout=3)
    else:
        p.notify(f"Cleared the selection of this list ({len(selected)} still selected elsewhere).", timeout=3)
    show_selection(p)


# --- export ------------------------------------------------------------------------------------


def _bookmarks_by_id(p: Panes) -> dict:
    return {b.id: b for b in p.store.bookmarks()} if p.store is not None else {}


def export(p: Panes) -> None:
    store = p.store
    counts = {
        "selection": len(p.place.selected),
        "list": len(p.papers.papers),
        "bookmarks": store.bookmark_count() if store is not None else 0,
    }
    scope = "selection" if counts["selection"] else "list"
    fmt = (store.get_pref(EXPORT_FORMAT_PREF, "bibtex") if store is not None else "bibtex") or "bibtex"
    if fmt not in FORMAT_LABELS:
        fmt = "bibtex"

    def done(request: ExportRequest | None) -> None:
        if request is not None:
            _export(p, request)

    p.app.push_screen(ExportScreen(counts, scope, fmt, export_dir()), done)




def _export(p: Panes, request: ExportRequest) -> None:
    bookmarks = _bookmarks_by_id(p)
    if request.scope == "bookmarks":
        items = sorted(bookmarks.values(), key=lambda b: (b.added_at, b.id))
        for item in items:  # the freshest copy of a paper the library holds
            paper = p.lib.view.by_id.get(item.id) if p.lib.view is not None else None
            if paper is not None:
                item.snapshot = records([paper])[0].snapshot
    else:
        papers = selected_papers(p) if request.scope == "selection" else list(p.papers.papers)
        items = records(papers, bookmarks)
    if not items:
        p.notify("Nothing to export.", severity="warning", timeout=3)
        return
    p.save_pref(EXPORT_FORMAT_PREF, request.format)
    text = render(items, request.format, dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                  title=f"Papers ({request.scope})")
    what = f"{len(items)} paper{'s' if len(items) != 1 else ''} as {FORMAT_LABELS[request.format]}"
    if request.path is None:
        p.app.copy_to_clipboard(text)
        p.notify(f"Copied {what} to the clipboard ({len(text.encode()) // 1024 + 1} KB).",
                      timeout=4)
        return
    write_file(p, Path(request.path).expanduser(), text, file_encoding(request.format), what)


def write_file(p: Panes, path: Path, text: str, encoding: str, what: str) -> None:
    def work() -> None:
        try:
            written = write_atomic(path, text, encoding=encoding)
        except OSError as error:
            message = f"Not written: {path}: {error.strerror or error}"
            p.app.call_from_thread(p.notify, message, severity="error", timeout=6)
            return
        where = str(path) if written == path else f"{path} (→ {written})"
        p.app.call_from_thread(p.notify, f"Wrote {what} to {where}", timeout=5)

    p.librarian.run_worker(work, thread=True, group="share-write", exit_on_error=False)


# --- digest ------------------------------------------------------------------------------------


def digest(p: Panes) -> None:
    papers = selected_papers(p)
    scope = "selection"
    if not papers:
        papers, scope = list(p.papers.papers), "list"
    if not papers:
        p.notify("No papers for a digest: select some with space (V selects the list).", timeout=3)
        return
    name = str(export_dir() / f"digest-{dt.date.today()}.md")

    def done(value: str | None) -> None:
        if value is None:
            return
        bookmarks = _bookmarks_by_id(p)
        matched = p.found.found.matched
        interests = {x.id: [r.label for r in matched[x.id]] for x in papers if x.id in matched}
        fmt = "html" if value.strip().lower().endswith((".html", ".htm")) else "md"
        text = render_digest(Digest(
            title=f"arXiv picks, {dt.date.today()}",
            subtitle=f"{len(papers)} papers selected in tui-reader",
            groups=group_picks(papers, bookmarks, interests),
            language=p.place.language,
        ), fmt)
        what = f"a digest of {len(papers)} papers ({'HTML' if fmt == 'html' else 'Markdown'})"
        if not value.strip():
            p.app.copy_to_clipboard(text)
            p.notify(f"Copied {what} to the clipboard.", timeout=4)
            return
        write_file(p, Path(value.strip()).expanduser(), text, "utf-8", what)

    title = f"Digest of the {len(papers)} papers of the {scope}: file name (.md or .html)"
    p.app.push_screen(TextPromptScreen(title, name, "enter: write (empty: copy to the clipboard)    "
                                                        "escape: cancel"), done)


# --- your own commands ---------------------------------------------------------------------------


def run_user_command(p: Panes, command: UserCommand) -> None:
    papers = selected_papers(p)
    if not papers:
        current = p.papers.current
        papers = [current] if current is not None else []
    if not papers:
        p.notify(f"{command.name}: no paper highlighted or selected.", timeout=3)
        return
    data = payload(records(papers, _bookmarks_by_id(p)), command.input)
    count = len(papers)
    p.notify(f"{command.name}: running with {count} paper{'s' if count != 1 else ''}…", timeout=2)

    def work() -> None:
        outcome = run_command(command, data, count)
        p.app.call_from_thread(p.notify, outcome.summary,
                                    severity="information" if outcome.ok else "error",
                                    timeout=5 if outcome.ok else 8)

    p.librarian.run_worker(work, thread=True, group="user-command", exit_on_error=False)


def run_user_command_number(p: Panes, index: int) -> None:
    """The key of the ``index``-th ``[[commands]]`` entry of config.toml."""
    run_user_command(p, p.context.config.settings.commands[index])


def bind_user_commands(p: Panes, commands: list[UserCommand]) -> list[str]:
    """Bind each command's key on the screen (id ``commands.<name>``, so
    keymaps and help see it); a key the reader already uses is refused
    with a notice rather than silently shadowing a built-in key."""
    problems = []
    taken = {key for key, bindings in p.host._bindings.key_to_bindings.items() if bindings}
    for index, command in enumerate(commands):
        keys = [k.strip() for k in command.key.split(",")]
        clash = [k for k in keys if k in taken]
        if clash:
            problems.append(f"{p.context.config.path}:{command.line}: [[commands]] {command.name!r}: "
                            f"key {clash[0]!r} is already a reader key; command not bound")
            continue
        binding = Binding(command.key, f"user_command({index})", command.name, show=False, id=command.binding_id)
        for key in keys:
            p.host._bindings.key_to_bindings.setdefault(key, []).append(
                Binding(key, binding.action, binding.description, show=False, id=binding.id))
            taken.add(key)
    return problems
