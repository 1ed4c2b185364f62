"""The main screen's actions, by topic: one small module each.

Each function takes the :class:`~tui_reader.ui.screens.main.MainScreen` it
acts for and does one thing a key asks (bookmark, open a link, add a mute
rule...); the screen's ``action_*`` methods call them, so the screen itself
only routes messages and runs workers.  Each module lists its ``BINDINGS``."""
