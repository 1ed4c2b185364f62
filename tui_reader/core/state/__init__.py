"""What the user marks while reading: bookmarks (with tags, a note and a
snapshot of the paper), read marks, preferences and the last session, kept
in one SQLite file in the platformdirs data dir.  No Textual here.

Guarantees
----------
* Every change is one SQLite transaction (WAL mode, ``synchronous=FULL``,
  ``BEGIN IMMEDIATE`` with a busy timeout), made row by row: two processes
  writing at once both keep every change; a process killed mid-write leaves
  the previous state intact.
* A corrupt or foreign file at the store's path is renamed to
  ``state.sqlite3.corrupt-YYYYmmdd-HHMMSS`` (or ``.foreign-...``), never
  deleted or overwritten, and ``notices`` says where it went.  A damaged
  store of ours (failed integrity check, or tables/columns missing for
  its version) has every row that can still be read copied into the new
  store.  Read-only opens never create ``-wal``/``-shm`` files.
* An unwritable data dir (or a store from a newer tui-reader, when the
  tables this version reads are there) opens the store read-only: reads
  work, ``read_only`` is True, ``notices`` says why, and changes raise
  :class:`ReadOnlyError`.
* State is keyed by arXiv id without version (``paper_key``): any method
  taking an id accepts ``"2601.12345v2"`` too.
* Text read from files (imports) and typed notes go through ``clean()``.

API for the UI
--------------
Opening::

    store = StateStore.open(path: Path | None = None)   # default: data dir / "state.sqlite3"
    store.read_only: bool
    store.notices: list[str]        # show each once (corrupt store moved aside, read-only...)
    store.close()                   # also a context manager

Bookmarks (``b``, ``t``, ``e``; the list's mark; the Bookmarks tree node)::

    store.is_bookmarked(id) -> bool
    store.bookmarked_ids() -> frozenset[str]      # cached; cheap to call on every refresh
    store.bookmark_count() -> int                 # cheap
    store.toggle_bookmark(paper: Paper | Snapshot) -> bool     # new state
    store.add_bookmark(paper: Paper | Snapshot) -> bool        # False if it already was
    store.remove_bookmark(id) -> bool                          # False if it was not
    store.bookmark(id) -> Bookmark | None
    store.bookmarks(tag: str | None = None) -> list[Bookmark]  # newest first
    store.set_tags(paper: Paper | Snapshot | str, tags: Iterable[str] | str) -> list[str]
    store.set_note(paper: Paper | Snapshot | str, text: str) -> None
    store.tags() -> dict[str, int]                # tag -> bookmark count, by name
    store.tagged_ids(tag) -> frozenset[str]
    store.refresh_snapshots(papers: Iterable[Paper]) -> int    # after loading a library
    store.merge_bookmarks(items: Iterable[Bookmark]) -> list[tuple[Bookmark, str]]  # imports

  ``set_tags``/``set_note`` bookmark the paper first when it is not (pass the
  Paper, not its id, so the snapshot is kept); ``set_tags`` also takes the
  text a user typed (``"ml, to-read"``) and returns the normalized tags
  (lower case, ``parse_tags``).  A :class:`Bookmark` has ``id``,
  ``added_at`` (ISO UTC), ``tags``, ``note`` and ``snapshot``; a
  :class:`Snapshot` has title, authors, categories, abstract, links, dates
  and the TL;DR per language, and ``snapshot.to_paper()`` gives a Paper to
  show a bookmark whose digest folder is gone.

Reading state (``m``, ``n``, ``M``; the list's mark; the Unread node)::

    store.is_read(id) -> bool
    store.read_ids() -> frozenset[str]            # cached; unread = library ids - read_ids()
    store.unread_ids(ids: Iterable[str]) -> set[str]   # those of ids not marked read
    store.mark_read(ids: Iterable[str], read: bool = True) -> int   # one transaction, one undo step
    store.toggle_read(id) -> bool                 # new state

The reading queue, "Later" (``w``, triage's later; the Later node)::

    store.queue_ids() -> tuple[str, ...]          # cached; first put there first
    store.in_queue(id) -> bool
    store.queue_add(id) -> bool                   # False if it was there; undoable
    store.queue_remove(id) -> bool                # False if it was not; undoable

Triage decisions, the ranking's labels (``tui_reader.core.ranking``)::

    token = store.record_decision(id, kind, tag=None, at=None, source="triage")   # kind: keep|skip|later|mute|read|tag
    store.record_decisions([(id, kind, tag, at), ...], source="import") -> list[int]   # one transaction, one undo step
    store.remove_decision(token) -> bool          # triage's undo: out of the training set too
    store.decisions(id=None) -> Iterator[DecisionRow]   # oldest first; .token .id .kind .tag .at .source
    store.decision_count() -> int
    store.recent_reads(limit) -> list[str]        # latest read marks first (the ranking's weak positives)
    store.decisions_fingerprint() -> str          # changes with any label (decisions, bookmarks, tags, Later, read)

Undo (``u``)::

    store.undo() -> str | None      # what undoing did, e.g. "bookmark removed from 2601.12345"
    store.can_undo() -> bool

  Undo covers this process's changes to bookmarks, tags, notes and read
  marks (100 levels; a bulk ``mark_read`` or an import is one step).
  Preferences and the session are not undo steps.

Preferences and session::

    store.get_pref(key, default=None) -> Any      # JSON values: theme, summary language...
    store.set_pref(key, value) -> bool
    store.save_session(dict) -> bool              # library, tree node, highlighted paper, search, language
    store.load_session() -> dict                  # {} when there is none

  These two writers are best effort: they never raise; when the value cannot
  be saved (read-only) it is kept for this process and they return False.

Errors: every other change raises :class:`StateError` (``str()`` is a
message for the user; :class:`ReadOnlyError` is one) when it cannot be
saved; catch it around key handlers and notify.

Search: ``StateStore`` satisfies the search's ``StateFilter`` protocol
through ``bookmarked_ids()``, ``tagged_ids(tag)``, ``read_ids()`` and
``unread_ids(ids)``.

Citations: :func:`tui_reader.core.state.export.bibtex_entry` builds the
arXiv-style BibTeX entry of one Paper or Snapshot (the ``Y`` key).
"""

from __future__ import annotations

from tui_reader.core.state.export import bibtex_entry, bibtex_key
from tui_reader.core.state.snapshot import (
    Bookmark,
    Snapshot,
    normalize_tag,
    paper_key,
    parse_tags,
)
from tui_reader.core.state.store import (
    SCHEMA_VERSION,
    STORE_NAME,
    ReadOnlyError,
    StateError,
    StateStore,
    default_path,
)

__all__ = [
    "SCHEMA_VERSION",
    "STORE_NAME",
    "Bookmark",
    "ReadOnlyError",
    "Snapshot",
    "StateError",
    "StateStore",
    "bibtex_entry",
    "bibtex_key",
    "default_path",
    "normalize_tag",
    "paper_key",
    "parse_tags",
]
