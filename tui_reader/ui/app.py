"""The Textual App: thin.  It owns the theme, the keymap, the help screen
and the command palette; the main screen does the reading."""

from __future__ import annotations

import functools
import sys
from collections import deque
from collections.abc import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from tui_reader.core.memory import release
from tui_reader.core.pace import Pace
from tui_reader.core.state import StateError
from tui_reader.core.user_commands import stop_all
from tui_reader.ui.context import ReaderContext
from tui_reader.ui.screens.help import HelpScreen, bindings_of
from tui_reader.ui.screens.main import MainScreen

SWITCH_INTERVAL = 0.001  # seconds; Python's default is 0.005


@functools.cache
def _browser_here() -> bool:
    import webbrowser

    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


class ReaderApp(App[None]):
    CSS_PATH = "app.tcss"
    TITLE = "tui-reader"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("q", "quit", "Quit", id="app.quit"),
        Binding("question_mark", "help", "Help", id="app.help"),
        # The footer shows the palette's key on its own: not a second time here.
        Binding("ctrl+p", "command_palette", "Commands", show=False, id="app.commands"),
    ]

    def __init__(self, context: ReaderContext) -> None:
        super().__init__()
        self.context = context
        self.main_screen = MainScreen(context)
        self._quitting = False  # q was pressed: later keys are swallowed (see run_action)
        # Every notice shown, newest last (tests and the status read it; toasts expire).
        self.notices_shown: deque[str] = deque(maxlen=500)
        # Background warm-ups wait while keys come (core.pace).
        self.pace = Pace()

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.pace.touched()
        await super().on_event(event)

    def open_url(self, url: str, *, new_tab: bool = True) -> bool:
        """Open ``url`` in the browser; False (and a notice) where there is
        none to open it (a terminal over ssh, a server): never "Opening…"
        for nothing."""
        if not self.is_web and not _browser_here():
            self.notify(f"No web browser here to open {url} (y copies the link).", severity="warning",
                        markup=False, timeout=6)
            return False
        super().open_url(url, new_tab=new_tab)
        return True

    def notify(self, message, *, title: str = "", severity="information", timeout=None, markup: bool = True) -> None:
        self.notices_shown.append(str(message))
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    def on_mount(self) -> None:
        # Loading and indexing threads share the GIL with the event loop: hand
        # it over every 1 ms instead of 5 so keys and paints wait less.
        sys.setswitchinterval(SWITCH_INTERVAL)
        store = self.context.store
        theme = self.context.config.settings.theme
        if store is not None:
            theme = store.get_pref("theme", None) or theme
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            self.context.notices.append(f"Unknown theme {theme!r}; using the default.")
        if self.context.config.settings.keys:
            keys, errors = self.checked_keymap(self.context.config.settings.keys)
            self.context.notices.extend(errors)
            self.set_keymap(keys)
        self.push_screen(self.main_screen)

    def checked_keymap(self, overrides: dict[str, str]) -> tuple[dict[str, str], list[str]]:
        """The ``[keys]`` overrides that work, and why the others were ignored
        (``file:line: ...``, see ui.keymap)."""
        from tui_reader.ui.keymap import Scope, check_keymap
        from tui_reader.ui.screens.main import MainScreen
        from tui_reader.ui.screens.triage import TriageScreen
        from tui_reader.ui.widgets.category_tree import CategoryTree
        from tui_reader.ui.widgets.detail import DetailView
        from tui_reader.ui.widgets.paper_list import PaperList
        from tui_reader.ui.widgets.search_bar import SearchBar

        def scope(cls) -> Scope:
            merged = cls._merge_bindings().key_to_bindings.values()
            return Scope(cls.__name__, tuple(b for group in merged for b in group))

        scopes = [scope(cls) for cls in (MainScreen, PaperList, DetailView, CategoryTree, SearchBar)]
        return check_keymap(overrides, scopes, scope(type(self)), self.context.config.where,
                            modal=[scope(TriageScreen)])

    async def run_action(self, action, default_namespace=None, namespaces=None) -> bool:
        # Once quitting, keys typed right after q (e, t, x...) would act on
        # widgets being torn down (NoMatches): they are swallowed instead.
        if self._quitting:
            return True
        return await super().run_action(action, default_namespace, namespaces)

    def on_unmount(self) -> None:
        stop_all()  # [[commands]] programs still running end with the reader
        release()  # the library frozen out of the garbage collector's sight
        if self.context.follows:
            from tui_reader.core import follow

            follow.stop_all()  # a fork's git fetch still running ends with the reader

    def watch_theme(self, theme: str) -> None:
        store = self.context.store
        if store is not None and self.is_running and not getattr(store, "read_only", False):
            try:
                store.set_pref("theme", theme)
            except StateError:
                pass

    def help_sections(self) -> list[tuple[str, list[tuple[str, str]]]]:
        screen = self.main_screen
        keymap = self._keymap
        display = self.get_key_display
        from types import SimpleNamespace

        from textual.binding import BindingsMap

        from tui_reader.ui.screens.triage import TriageScreen

        triage = SimpleNamespace(_bindings=BindingsMap(TriageScreen.BINDINGS))
        sections = [
            ("Daily reading", bindings_of(screen, keymap, display, prefix="loop.")),
            ("Triage (v)", bindings_of(triage, keymap, display)),
            ("For you", bindings_of(screen, keymap, display, prefix="rank.")),
            ("Reading", bindings_of(screen, keymap, display, prefix="reader.")),
            ("Bookmarks and read marks", bindings_of(screen, keymap, display, prefix="state.")),
            ("Discovery", bindings_of(screen, keymap, display, prefix="discover.")),
            ("Select, export, digest", bindings_of(screen, keymap, display, prefix="share.")),
            ("Your commands (config.toml)", bindings_of(screen, keymap, display, prefix="commands.")),
            ("Paper list", bindings_of(screen.paper_list, keymap, display)),
            ("Detail view", bindings_of(screen.detail, keymap, display)),
            ("Category tree", bindings_of(screen.tree, keymap, display)),
            ("Search box", bindings_of(screen.search_bar, keymap, display)
             + bindings_of(screen, keymap, display, prefix="search.")),
            ("Everywhere", bindings_of(self, keymap, display)),
        ]
        return [(title, rows) for title, rows in sections if rows]

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.help_sections()))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Textual's commands, then each of the reader's once (a binding
        with two keys, ``j,down``, is one command, not two)."""
        seen: set[str] = set()
        for command in super().get_system_commands(screen):
            seen.add(command.title.casefold())
            yield command
        main = self.main_screen
        saved = main.panes.found.found.saved_searches
        for node in (main, main.paper_list, main.detail):
            for _key, binding in node._bindings:
                description = binding.description
                if (binding.id or "").startswith("discover.saved_"):
                    # The keys 1-9: only those with a saved search behind them, by its name.
                    number = int(binding.id.rsplit("_", 1)[1])
                    if number > len(saved):
                        continue
                    description = f"Saved search {number}: {saved[number - 1].name}"
                if not description or description.casefold() in seen:
                    continue
                seen.add(description.casefold())
                action = binding.action
                yield SystemCommand(
                    description,
                    f"{description} ({self.get_key_display(binding)})",
                    lambda node=node, action=action: self.call_later(self.run_action, action, node),
                )

    async def action_quit(self) -> None:
        if self._quitting:
            return
        self._quitting = True
        if self.context.follows:
            from tui_reader.core import follow

            follow.stop_all()  # a fork's git fetch still running ends with the reader
        self.main_screen.save_session()
        for index in self.main_screen.panes.lib.indexes():
            # A build in progress stops between batches and keeps what it
            # committed; the next start indexes the rest.  A search under
            # way stops too: quitting never waits for one.
            index.cancel(for_good=True)
        self.exit()
