"""Reading keys: summary/abstract, language, days, sort, links, random,
problems, the tree.  Each acts on the main screen's highlighted paper."""

from __future__ import annotations

import random as _random
from typing import TYPE_CHECKING

from textual.binding import Binding

from tui_reader.core.listing import sort_label
from tui_reader.core.session.position import SPLITS
from tui_reader.core.signals import signals_of
from tui_reader.core.state import StateError
from tui_reader.core.views import QUEUE

if TYPE_CHECKING:
    from tui_reader.ui.panes import Panes

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
SPLIT_NAMES = {"": "List and detail as they were.", "-list-wide": "Wider list.", "-detail-wide": "Wider detail."}


def toggle_abstract(p: Panes) -> None:
    p.place.toggle_mode()
    p.show_detail()


def next_language(p: Panes) -> None:
    paper = p.papers.current
    if paper is None:
        return
    language = p.place.next_language(paper)
    if language is None:
        only = paper.languages[0] if paper.languages else "no"
        p.notify(f"This paper has only one summary language ({only}).", timeout=3)
        return
    p.save_pref("language", language)
    p.show_detail(keep_scroll=True)


def random_paper(p: Panes) -> None:
    papers = p.papers.papers
    if papers:
        p.papers.move_to(_random.randrange(len(papers)))


def cycle_sort(p: Panes) -> None:
    sort = p.place.next_sort(interests=bool(p.found.found.interests), ranked=p.found.any_score())
    p.show(p.state.with_(sort=sort))
    p.notify(f"Sorted by {sort_label(p.state)}.", timeout=2)


def open_link(p: Panes, which: str) -> None:
    paper = p.papers.current
    if paper is None:
        return
    if which == "project":
        url = signals_of(paper).project_url
        if not url:
            p.notify("This paper has no project page.", timeout=3)
            return
    else:
        url = paper.pdf_link if which == "pdf" else paper.abs_link
    p.open_url(url)


def copy_link(p: Panes) -> None:
    paper = p.papers.current
    if paper is None:
        return
    p.app.copy_to_clipboard(paper.abs_link)
    p.notify(f"Copied {paper.abs_link}", timeout=3)


def copy_bibtex(p: Panes) -> None:
    paper = p.papers.current
    if paper is None:
        return
    from tui_reader.core.state.export import bibtex_entry

    p.app.copy_to_clipboard(bibtex_entry(paper))
    p.notify("Copied a BibTeX entry for " + paper.id, timeout=3)


def problems(p: Panes) -> None:
    from tui_reader.ui.screens.problems import ProblemsScreen

    p.app.push_screen(ProblemsScreen(p.lib.library.problems if p.lib.library else []))


def toggle_tree(p: Panes) -> None:
    p.host.toggle_class("-tree-hidden")
    if p.host.has_class("-tree-hidden") and p.tree.has_focus:
        p.papers.focus()


# --- the layout: =, z, d (the list's own key) ---------------------------------------

def restore_view(p: Panes) -> None:
    """The split and the row height the reader chose last time."""
    store = p.store
    if store is None:
        return
    try:
        split = store.get_pref("split", "")
        rows = store.get_pref("rows", 1)
    except StateError:
        return
    if split in SPLITS:
        _set_split(p, split)
    if rows in (1, 2):
        p.papers.set_row_height(rows)


def _set_split(p: Panes, split: str) -> None:
    for name in SPLITS:
        if name:
            p.host.set_class(name == split, name)
    p.place.split = split


def cycle_split(p: Panes) -> None:
    split = p.place.next_split()
    _set_split(p, split)
    p.save_pref("split", split)
    p.notify(SPLIT_NAMES[split], timeout=2)


def zoom(p: Panes) -> None:
    """The detail alone on the screen, and back."""
    zoomed = not p.host.has_class("-zoom")
    p.host.set_class(zoomed, "-zoom")
    if zoomed:
        p.detail.focus()
    else:
        p.papers.focus()


def toggle_authors(p: Panes) -> None:
    """All of the highlighted paper's authors, or the first three again."""
    paper = p.papers.current
    if paper is None:
        return
    p.place.toggle_authors(paper.id)
    p.show_detail(keep_scroll=True)


# --- where the reader goes: /, [ ], the tree ------------------------------------------------


def focus_search(p: Panes) -> None:
    """/: to the search box; on a query, the cursor at its end to refine it."""
    search = p.search_bar.input
    search.focus()
    search.cursor_position = len(search.value)


def node_chosen(p: Panes, key: str, open_it: bool) -> None:
    """A node chosen in the tree (enter opens it: the list gets the focus)."""
    if key == QUEUE:
        p.remember()
    if p.search.active:
        p.leave_search(redisplay=False)
    if key != p.state.node or p.state.search is not None:
        p.show_node(key)
    if open_it:
        p.papers.focus()


def day(p: Panes, step: int) -> None:
    """``[`` / ``]``: the previous / next day (the same category of it on a
    category of a day).  From a node that is not a day, go to the day of
    the highlighted paper first."""
    view = p.lib.view
    if view is None or not view.days:
        return
    key = p.state.node
    if view.day_of(key) and p.state.search is None:
        target = view.neighbour_day(key, step)
        _, _, rest = key.partition("/")
        if target is not None and rest:
            # The same category on that day, when the day has it.
            candidate = f"{target}/{rest}"
            target = candidate if view.by_day_category.get((target[4:], rest[4:])) else target
    else:
        paper = p.papers.current
        latest = paper.latest_date if paper is not None and paper.latest_date else view.days[0]
        target = f"day:{latest}"
        if key.startswith("cat:") and p.state.search is None and view.by_day_category.get((latest, key[4:])):
            target = f"day:{latest}/{key}"  # a category stays a category: on the paper's day
    if target is None:
        p.notify("No more days that way.", timeout=2)
        return
    p.go_to(target, focus=False)
