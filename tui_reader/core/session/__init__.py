"""The reader's parts, each owning one concern's state, Textual-free and
unit-tested like :mod:`tui_reader.core.listing`:

* :class:`~.search.SearchSession`: the query, its scope, its results and
  suggestion, one search at a time;
* :class:`~.library.LibrarySession`: the library and its loading phases, the
  index and its build, followed forks' new days;
* :class:`~.discovery.DiscoverySession`: interest, mute and saved-search
  matches, Suggested, more like this, and the learned ranking;
* :class:`~.position.ReadingPosition`: what the list shows, where Escape goes
  back to, how the detail shows a paper, the selection, session restore.

The UI's widgets start the workers that call into these parts and show what
they post; the main screen only routes messages between them."""

from tui_reader.core.session.discovery import DiscoverySession
from tui_reader.core.session.library import LibrarySession
from tui_reader.core.session.position import ReadingPosition
from tui_reader.core.session.search import SearchRun, SearchSession

__all__ = ["DiscoverySession", "LibrarySession", "ReadingPosition", "SearchRun", "SearchSession"]
