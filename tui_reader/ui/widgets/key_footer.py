"""The key bar at the bottom of a screen: Textual's Footer, rebuilt only
when what it shows changes.

Textual's Footer builds a widget per key again on every
``bindings_updated`` signal, which a screen sends on each focus change
(tab between the panes, the search box opening and closing, a dialog
coming and going), even when the keys shown stay the same; each rebuild
mounts and styles a dozen widgets.  This one looks the same and compares
what it would show (the keys, their descriptions, whether each is enabled)
with what it shows, and rebuilds only when they differ.
"""

from __future__ import annotations

from textual.widgets import Footer


class KeyFooter(Footer):
    """A Footer that keeps its keys while the bindings it shows are unchanged."""

    _shown: tuple | None = None

    def _showing(self) -> tuple:
        """What compose() would show now, as a comparable value."""
        if not self._bindings_ready or not self.is_attached:
            return ()
        active = self.screen.active_bindings
        display = self.app.get_key_display
        keys = tuple(
            (binding.key, display(binding), binding.description, binding.action,
             binding.group.description if binding.group else None, enabled, tooltip)
            for (_, binding, enabled, tooltip) in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING) if self.show_command_palette else None
        if palette is not None:
            _, binding, enabled, tooltip = palette
            keys += (("palette", binding.key, binding.description, enabled, tooltip),)
        return keys + ((self.compact, self.app.ENABLE_COMMAND_PALETTE),)

    async def recompose(self) -> None:
        showing = self._showing()
        if showing == self._shown and self.children:
            return
        self._shown = showing
        await super().recompose()


__all__ = ["KeyFooter"]
