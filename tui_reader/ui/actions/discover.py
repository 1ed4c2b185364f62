"""Discovery keys: interests, mute rules, more like this, saved searches
and trends (issue 8).  The matching is core code (tui_reader.core.discovery,
tui_reader.core.index.similar) that the main screen runs in workers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from tui_reader.core.discovery import INTEREST, MUTE
from tui_reader.core.discovery.phrases import key_phrase
from tui_reader.core.text import one_line
from tui_reader.core.views import ALL, INTERESTS, LIKE_PREFIX, SAVED_PREFIX, SUGGESTED
from tui_reader.ui.screens.dialogs import TextPromptScreen

if TYPE_CHECKING:
    from tui_reader.ui.messages import DiscoveryReady, SimilarDone, SuggestedReady
    from tui_reader.ui.panes import Panes

BINDINGS = [
    Binding("L", "more_like", "More like this", id="discover.more_like"),
    Binding("i", "discovery", "Interests, mutes, saved searches", show=False, id="discover.interests"),
    Binding("I", "add_interest", "Add an interest", show=False, id="discover.add_interest"),
    Binding("x", "add_mute", "Mute (hide) papers like…", show=False, id="discover.mute"),
    Binding("X", "toggle_muted", "Show/hide muted papers", show=False, id="discover.reveal"),
    Binding("S", "save_search", "Save this search", show=False, id="discover.save_search"),
    Binding("T", "trends", "Trends", show=False, id="discover.trends"),
] + [
    Binding(str(n), f"saved_search({n})", f"Saved search {n}", show=False, id=f"discover.saved_{n}")
    for n in range(1, 10)
]

def selected_words(p: Panes) -> str:
    try:
        text = p.host.get_selected_text() or ""
    except Exception:  # noqa: BLE001 - no selection support in this terminal
        return ""
    return one_line(text).strip()[:80]


def more_like(p: Panes) -> None:
    paper = p.papers.current
    if paper is None:
        p.notify("No paper selected.", timeout=2)
        return
    if p.lib.index is None:
        p.notify("The search index is still opening; try again in a moment.", timeout=3)
        return
    p.librarian.find_similar(paper)


def toggle_muted(p: Panes) -> None:
    p.show(p.state.with_(show_muted=not p.state.show_muted))
    p.rebuild_tree()  # the counts honour what the lists show
    if not p.found.found.mutes:
        p.notify("No mute rules yet: press x to hide papers by keyword, author or category.", timeout=3)


def saved_search(p: Panes, number: int) -> None:
    searches = p.found.found.saved_searches
    if p.store is not None and not searches:
        searches = p.store.saved_searches()
    if number > len(searches):
        p.notify(f"No saved search {number}: search (/) and press S to save one.", timeout=3)
        return
    p.go_to(SAVED_PREFIX + searches[number - 1].name)


def save_search(p: Panes) -> None:
    store = p.writable_store()
    if store is None:
        return
    query = p.search.query
    if not query:
        p.notify("Search first (/), then press S to save the query.", timeout=3)
        return

    def done(name: str | None) -> None:
        if name is None or not name.strip():
            return
        ok, new = p.attempt(store.save_search, name, query)
        if ok:
            p.notify(("Saved the search " if new else "Updated the saved search ") + one_line(name.strip()),
                          timeout=3)
            p.librarian.refresh_discovery()

    p.app.push_screen(TextPromptScreen("Save this search as", one_line(query)[:40],
                                            "a name for the tree and the keys 1-9 · enter: save · escape: cancel"),
                           done)


def add_interest(p: Panes) -> None:
    paper = p.papers.current
    value = selected_words(p)
    if not value and paper is not None and paper.authors:
        value = "author:" + one_line(paper.authors[0])
    p.rules.prompt(INTEREST, value, index=p.lib.index)


def add_mute(p: Panes) -> None:
    """x: a mute rule from the words selected, else the most specific
    phrase of the title (never the whole category), with how many papers
    it would hide."""
    paper = p.papers.current
    value = selected_words(p) or (key_phrase(paper.title) if paper is not None else "")
    p.rules.prompt(MUTE, value, index=p.lib.index)


def open_dialog(p: Panes) -> None:
    from tui_reader.ui.screens.interests import DiscoveryScreen

    if p.store is None:
        p.notify("Interests and mute rules need the state store, which is switched off.", timeout=3)
        return

    def done(open_search: str | None) -> None:
        if open_search:
            p.go_to(SAVED_PREFIX + open_search)
        elif p.state.node.startswith(SAVED_PREFIX) and p.store is not None and \
                p.state.node[len(SAVED_PREFIX):] not in {s.name for s in p.store.saved_searches()}:
            p.go_to(ALL)  # the saved search shown was removed

    p.app.push_screen(DiscoveryScreen(p.store, p.found.found, p.rules), done)


def trends(p: Panes) -> None:
    from tui_reader.ui.screens.trends import TrendsScreen

    if p.lib.view is None:
        return
    key = p.state.node
    if "cat:" in key:
        category = key.rsplit("cat:", 1)[1]
    elif key.startswith("archive:"):
        category = key[len("archive:"):]
    else:
        category = ""
    p.app.push_screen(TrendsScreen(p.lib.view.papers, categories=category))


# --- results from the librarian's workers ------------------------------------------------------


def state_changed(p: Panes) -> None:
    """Bookmarks or read marks changed: Suggested again when bookmarks did,
    and saved searches that filter on reading state, a moment later (a run
    of keys costs one refresh)."""
    if p.store is None or p.lib.index is None:
        return
    if p.found.bookmarks_changed(len(p.store.bookmarked_ids())):
        p.later("suggested", 0.6, p.librarian.refresh_suggested)
        if p.found.ranked and p.found.model is None:
            p.later("rank", 0.8, p.librarian.rank)  # cold start: For you ranks by the bookmarks too
    if p.found.saved_need_state():
        p.later("saved", 1.0, p.librarian.refresh_discovery)


def discovery_ready(p: Panes, message: DiscoveryReady) -> None:
    from tui_reader.ui.screens.interests import DiscoveryScreen

    found = message.discovery
    changed, errors = p.found.take(found)
    p.papers.set_discovery(found.matched, found.muted, found.reason)
    for label, error in errors.items():  # said once is enough
        p.notify(f"{label}: {error}", severity="warning", timeout=5)
    p.rebuild_tree()
    if changed and p.found.ranked and p.found.model is None:
        p.librarian.rank()  # cold start: For you ranks by the interests
    node = p.state.node
    if p.lib.view is not None and (changed or node.startswith(SAVED_PREFIX) or node == INTERESTS):
        p.redisplay()
    if isinstance(p.app.screen, DiscoveryScreen):
        p.app.screen.show_matches(found)


def suggested_ready(p: Panes, message: SuggestedReady) -> None:
    p.found.suggested = message.ids
    p.rebuild_tree()
    if p.state.node == SUGGESTED:
        p.redisplay()


def similar_done(p: Panes, message: SimilarDone) -> None:
    p.found.similar = (message.paper_id, message.ids)
    p.remember()
    if p.search.active:
        p.leave_search(redisplay=False)
    p.show_node(LIKE_PREFIX + message.paper_id)
    p.papers.focus()
    p.notify(f"{len(message.ids)} papers like {message.paper_id} ({message.seconds * 1000:.0f} ms)", timeout=3)
