"""Reading keys: summary/abstract, language, days, sort, links, random,
problems, the tree.  Each acts on the main screen's highlighted paper."""

from __future__ import annotations

import random as _random
from typing import TYPE_CHECKING

from textual.binding import Binding

from tui_reader.core.listing import SORTS
from tui_reader.core.signals import signals_of

if TYPE_CHECKING:
    from tui_reader.ui.screens.main import MainScreen

BINDINGS = [
    Binding("slash", "search", "Search", id="reader.search"),
    Binding("a", "toggle_abstract", "Abstract/summary", id="reader.abstract"),
    Binding("l", "next_language", "Language", id="reader.language"),
    Binding("left_square_bracket", "day(-1)", "Prev day", show=False, id="reader.prev_day"),
    Binding("right_square_bracket", "day(1)", "Next day", show=False, id="reader.next_day"),
    Binding("o", "open_link('abs')", "Open abs page", show=False, id="reader.open_abs"),
    Binding("O", "open_link('pdf')", "Open PDF", show=False, id="reader.open_pdf"),
    Binding("W", "open_link('project')", "Open project page", show=False, id="reader.open_project"),
    Binding("y", "copy_link", "Copy link", show=False, id="reader.copy_link"),
    Binding("Y", "copy_bibtex", "Copy BibTeX", show=False, id="reader.copy_bibtex"),
    Binding("r", "random", "Random paper", show=False, id="reader.random"),
    Binding("s", "cycle_sort", "Sort", show=False, id="reader.sort"),
    Binding("p", "problems", "Problems", show=False, id="reader.problems"),
    Binding("backslash", "toggle_tree", "Show/hide tree", show=False, id="reader.toggle_tree"),
    Binding("equals_sign", "cycle_split", "Wider list / wider detail", show=False, id="reader.split"),
    Binding("z", "zoom", "Zoom the detail", show=False, id="reader.zoom"),
    Binding("A", "toggle_authors", "All authors / fold", show=False, id="reader.authors"),
]
SPLITS = ("", "-list-wide", "-detail-wide")  # = cycles: as it was, a wider list, a wider detail
SPLIT_NAMES = {"": "List and detail as they were.", "-list-wide": "Wider list.", "-detail-wide": "Wider detail."}


def toggle_abstract(screen: MainScreen) -> None:
    screen.mode = "abstract" if screen.mode == "summary" else "summary"
    screen.show_detail()


def next_language(screen: MainScreen) -> None:
    paper = screen.paper_list.current
    if paper is None:
        return
    languages = paper.languages
    if len(languages) < 2:
        only = languages[0] if languages else "no"
        screen.notify(f"This paper has only one summary language ({only}).", markup=False, timeout=3)
        return
    chosen = paper.summary(screen.language)
    shown = chosen[0] if chosen else languages[0]
    screen.language = languages[(languages.index(shown) + 1) % len(languages)]
    screen.mode = "summary"
    store = screen.store
    if store is not None and not store.read_only:
        store.set_pref("language", screen.language)
    screen.show_detail(keep_scroll=True)


def random_paper(screen: MainScreen) -> None:
    papers = screen.paper_list.papers
    if papers:
        screen.paper_list.move_to(_random.randrange(len(papers)))


def cycle_sort(screen: MainScreen) -> None:
    state = screen.state
    choices = [c for c in SORTS if (c != "relevance" or state.search is not None)
               and (c != "interests" or screen.discovery.interests)]
    sort = choices[(choices.index(state.sort) + 1) % len(choices)] if state.sort in choices else choices[0]
    screen.show(state.with_(sort=sort))
    screen.notify(f"Sorted by {sort}.", timeout=2)


def open_link(screen: MainScreen, which: str) -> None:
    paper = screen.paper_list.current
    if paper is None:
        return
    if which == "project":
        url = signals_of(paper).project_url
        if not url:
            screen.notify("This paper has no project page.", markup=False, timeout=3)
            return
    else:
        url = paper.pdf_link if which == "pdf" else paper.abs_link
    screen.app.open_url(url)
    screen.notify(f"Opening {url}", markup=False, timeout=3)


def copy_link(screen: MainScreen) -> None:
    paper = screen.paper_list.current
    if paper is None:
        return
    screen.app.copy_to_clipboard(paper.abs_link)
    screen.notify(f"Copied {paper.abs_link}", markup=False, timeout=3)


def copy_bibtex(screen: MainScreen) -> None:
    paper = screen.paper_list.current
    if paper is None:
        return
    from tui_reader.core.state.export import bibtex_entry

    screen.app.copy_to_clipboard(bibtex_entry(paper))
    screen.notify("Copied a BibTeX entry for " + paper.id, markup=False, timeout=3)


def problems(screen: MainScreen) -> None:
    from tui_reader.ui.screens.problems import ProblemsScreen

    screen.app.push_screen(ProblemsScreen(screen.library.problems if screen.library else []))


def toggle_tree(screen: MainScreen) -> None:
    screen.toggle_class("-tree-hidden")
    if screen.has_class("-tree-hidden") and screen.tree.has_focus:
        screen.paper_list.focus()


# --- the layout: =, z, d (the list's own key) ---------------------------------------

def restore_view(screen: MainScreen) -> None:
    """The split and the row height the reader chose last time."""
    store = screen.store
    if store is None:
        return
    try:
        split = store.get_pref("split", "")
        rows = store.get_pref("rows", 1)
    except Exception:
        return
    if split in SPLITS:
        _set_split(screen, split)
    if rows in (1, 2):
        screen.paper_list.set_row_height(rows)


def save_pref(screen: MainScreen, name: str, value) -> None:
    store = screen.store
    if store is not None and not store.read_only:
        try:
            store.set_pref(name, value)
        except Exception:
            pass


def _set_split(screen: MainScreen, split: str) -> None:
    for name in SPLITS:
        if name:
            screen.set_class(name == split, name)
    screen.split = split


def cycle_split(screen: MainScreen) -> None:
    split = SPLITS[(SPLITS.index(screen.split) + 1) % len(SPLITS)]
    _set_split(screen, split)
    save_pref(screen, "split", split)
    screen.notify(SPLIT_NAMES[split], timeout=2)


def zoom(screen: MainScreen) -> None:
    """The detail alone on the screen, and back."""
    zoomed = not screen.has_class("-zoom")
    screen.set_class(zoomed, "-zoom")
    if zoomed:
        screen.detail.focus()
    else:
        screen.paper_list.focus()


def toggle_authors(screen: MainScreen) -> None:
    """All of the highlighted paper's authors, or the first three again."""
    paper = screen.paper_list.current
    if paper is None:
        return
    screen.authors_open = None if screen.authors_open == paper.id else paper.id
    screen.show_detail(keep_scroll=True)
