"""Where tui_reader keeps its cache, data and config (platformdirs, so the
XDG_* variables move them on Linux).  Nothing is created on import."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP_NAME = "tui-reader"


def cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def config_file() -> Path:
    return config_dir() / "config.toml"


def samples_dir() -> Path:
    """The embedded default library shipped inside the package."""
    return Path(__file__).resolve().parent.parent / "samples"


def export_dir() -> Path:
    """Where exports and digests go unless told: the user's documents
    folder, else downloads, else home (platformdirs), never the folder the
    reader happened to be started in."""
    for folder in (platformdirs.user_documents_dir(), platformdirs.user_downloads_dir()):
        if folder and Path(folder).is_dir():
            return Path(folder)
    return Path.home()
