"""The door the UI and the command line use: a model that matches the
store's labels, trained (and saved) when there is none, it is damaged or
foreign, or the labels changed; and the cold-start ranking until there is
enough to learn from."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Sequence
from pathlib import Path

from tui_reader.core.model import Paper
from tui_reader.core.ranking import storage
from tui_reader.core.ranking.cold import ColdScores, cold_scores
from tui_reader.core.ranking.labels import Labels, gather
from tui_reader.core.ranking.model import Model


def ensure_model(store, library, cache_dir: Path | None, force: bool = False) -> tuple[Model | None, str, bool]:
    """``(model or None, status, trained)``.  None with a ``learning: ...``
    status at cold start.  Loads the saved model when its fingerprint is
    the store's; else trains (seconds on 10,000 decisions: call from a
    worker), saves atomically and says why it trained.  Never raises for
    a bad model file."""
    labels = gather(store)
    if not labels.ready():
        return None, labels.status(), False
    papers = getattr(library, "papers", library)
    path = storage.model_path(cache_dir) if cache_dir is not None else None
    reason = "no model yet"
    if path is not None and not force:
        model, reason = storage.load(path)
        if model is not None:
            if model.fingerprint == labels.fingerprint:
                return model, f"for you: {labels.status()}", False
            reason = "the decisions changed since the model was trained"
    elif force:
        reason = "asked to retrain"
    return _train_and_save(labels, papers, store, path, reason)


def _train_and_save(labels: Labels, papers, store, path: Path | None, reason: str) -> tuple[Model | None, str, bool]:
    from tui_reader.core.ranking.train import papers_for, train

    texts = papers_for(labels, papers, store)
    try:
        model = train(labels, texts)
    except ValueError as error:
        return None, f"learning: {error}", False
    status = f"model trained on {len(texts)} papers in {model.seconds:.1f} s ({reason})"
    missing = len(labels.targets) - len(texts)
    if missing:
        status += f"; {missing} labelled papers are in no loaded library"
    if path is not None:
        try:
            storage.save(model, path)
        except OSError as error:
            status += f"; not saved: {error.strerror or error}"
    return model, status, True


def stale_reason(store, cache_dir: Path | None) -> str | None:
    """Why the saved model does not fit the store's labels (None: it fits,
    or it is cold start and no model is wanted).  Reads only the file's
    small ``meta`` entry, without numpy: cheap enough for the start path."""
    fingerprint = store.decisions_fingerprint()
    if cache_dir is None:
        return "no cache dir"
    try:
        with zipfile.ZipFile(storage.model_path(cache_dir)) as archive:
            raw = archive.read("meta.npy")
        header = int.from_bytes(raw[8:10], "little") if raw[6:7] == b"\x01" else int.from_bytes(raw[8:12], "little")
        start = 10 + header if raw[6:7] == b"\x01" else 12 + header
        meta = json.loads(raw[start:].decode("utf-8"))
    except FileNotFoundError:
        return "no model yet"
    except Exception as error:  # noqa: BLE001 - any damage means: rebuild
        return f"the model file is damaged ({type(error).__name__})"
    if not isinstance(meta, dict) or meta.get("format") != storage.FORMAT:
        return "the model file is not a tui-reader model"
    if meta.get("version") != storage.FORMAT_VERSION:
        return f"the model file has format {meta.get('version')!r}, this version reads {storage.FORMAT_VERSION}"
    if meta.get("fingerprint") != fingerprint:
        return "the decisions changed since the model was trained"
    return None


def cold_start(store, papers: Sequence[Paper], library) -> ColdScores:
    """The Suggested-like ranking of ``papers`` from the store's interests
    and bookmarks (those the library holds)."""
    from tui_reader.core.discovery.rules import INTEREST

    held = getattr(library, "papers", library)
    marked = [held[i] for i in sorted(store.bookmarked_ids()) if i in held]
    return cold_scores(papers, store.rules(INTEREST), marked)
