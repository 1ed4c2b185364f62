"""``config.toml``: library paths, summary language, theme, key overrides.

A broken file never stops the app: the problem is reported with its line
and the defaults are used.  Example::

    library = ["~/arxiv-digests/data"]   # folders, or git URLs of forks to follow
    language = "English"        # summary language shown first
    theme = "gruvbox"
    mark_read = "open"          # when a paper counts as read: "open", "highlight", "manual"
    mark_read_delay = 1.5       # "highlight": seconds on a paper before it counts as read
    [keys]                      # binding id = key(s)
    "state.bookmark" = "B"
    [[commands]]                # a key that runs your program (core/user_commands.py)
    name = "Add to Zotero"
    key = "Z"
    input = "ris"
    argv = ["curl", "-sSf", "--data-binary", "@-", "http://127.0.0.1:23119/connector/import"]
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from tui_reader.core import paths
from tui_reader.core.follow import is_git_url
from tui_reader.core.follow_days import github_repository, source_url
from tui_reader.core.text import clean

# What ``tui-reader config --init`` writes: every setting, commented out (the
# defaults apply until a line is uncommented).
DEFAULT_CONFIG = """\
# tui-reader's configuration (TOML). Every setting is commented out: the
# defaults apply. Uncomment a line to change it; `tui-reader config` checks
# the file and shows what is in effect.

# What `tui-reader` opens without a PATH: folders of digests, and git URLs of
# forks to follow (kept up to date in the background; see `tui-reader follow`).
# library = ["~/arxiv/data", "https://github.com/dw-dengwei/daily-arXiv-ai-enhanced"]

# The summary language shown first (Chinese, English, ...; `l` switches).
# language = "English"

# A Textual theme (ctrl+p in the reader lists them).
# theme = "gruvbox"

# When a paper counts as read: "open" (enter, or the detail pane on it),
# "highlight" (also after mark_read_delay seconds on it), "manual" (only m).
# mark_read = "open"
# mark_read_delay = 1.5

# Keys of your own: binding id = key(s); `?` in the reader lists the ids.
# [keys]
# "reader.random" = "R"
# "state.bookmark" = "B"

# A key that runs a program of yours with the paper on its standard input
# (input: "json", the default, "bibtex", "ris", "csl-json", "csv" or "markdown").
# [[commands]]
# name = "Add to Zotero"
# key = "Z"
# input = "ris"
# argv = ["curl", "-sSf", "--data-binary", "@-", "http://127.0.0.1:23119/connector/import"]
"""

KNOWN_KEYS = ("library", "language", "theme", "mark_read", "mark_read_delay", "keys", "commands", "serve_token")
MARK_READ = ("open", "highlight", "manual")


@dataclass
class Settings:
    library: list[str] = field(default_factory=list)
    follow: list[str] = field(default_factory=list)  # library entries that name a git URL (core.follow)
    language: str = ""
    theme: str = ""
    mark_read: str = "open"
    mark_read_delay: float = 1.5
    keys: dict[str, str] = field(default_factory=dict)
    commands: list = field(default_factory=list)  # UserCommand: [[commands]] (core/user_commands.py)
    serve_token: str = ""  # the token `tui-reader serve` asks for (default: a new random one per start)


@dataclass
class Config:
    path: Path
    exists: bool
    settings: Settings
    errors: list[str] = field(default_factory=list)
    key_lines: dict[str, int] = field(default_factory=dict)  # binding id -> line of its override

    def where(self, binding_id: str) -> str:
        """``file:line`` of a key override, for messages."""
        return f"{self.path}:{self.key_lines.get(binding_id, 1)}"


def _unsafe(value: str) -> bool:
    """Control characters or escape sequences (a title change, a clipboard
    write): such a value is never used, and never printed as it is."""
    return clean(value) != value or "\n" in value


def shown(value: object) -> str:
    """A config value as it may be printed: repr-escaped when unsafe."""
    text = str(value)
    return text if not _unsafe(text) else repr(text)


def _line_of(error: tomllib.TOMLDecodeError) -> int:
    match = re.search(r"line (\d+)", str(error))
    return int(match[1]) if match else 1


def _line_of_key(text: str, key: str) -> int:
    for number, line in enumerate(text.splitlines(), start=1):
        if re.match(rf"\s*\"?{re.escape(key)}\"?\s*=", line) or line.strip() == f"[{key}]":
            return number
    return 1


def load_config(path: Path | None = None) -> Config:
    path = path or paths.config_file()
    settings = Settings()
    config = Config(path=path, exists=path.is_file(), settings=settings)
    if not config.exists:
        return config
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        config.errors.append(f"{path}:1: cannot read config: {error}")
        return config
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        config.errors.append(f"{path}:{_line_of(error)}: invalid TOML ({error}); using defaults")
        return config

    def bad(key: str, message: str) -> None:
        config.errors.append(f"{path}:{_line_of_key(text, key)}: {message}")

    for key in data:
        if key not in KNOWN_KEYS:
            bad(key, f"unknown setting {shown(key)!r} ignored (known: {', '.join(KNOWN_KEYS)})")
    library = data.get("library")
    if isinstance(library, str):
        library = [library]
    if library is not None:
        if isinstance(library, list) and all(isinstance(p, str) for p in library):
            if any(_unsafe(p) for p in library):
                bad("library", "'library' holds control characters; ignored")
            else:
                # A git URL, or OWNER/NAME of GitHub that is no folder here, is a fork to follow.
                fork = [is_git_url(p) or github_repository(p) for p in library]
                settings.library = [str(Path(p).expanduser()) for p, f in zip(library, fork) if not f]
                settings.follow = [source_url(p) for p, f in zip(library, fork) if f]
        else:
            bad("library", "'library' must be a path or a list of paths; ignored")
    for key in ("language", "theme", "serve_token"):
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, str) and _unsafe(value):
            bad(key, f"{key!r} holds control characters ({shown(value)}); ignored")
        elif isinstance(value, str):
            setattr(settings, key, value)
        else:
            bad(key, f"{key!r} must be a string; ignored")
    mark_read = data.get("mark_read")
    if mark_read is not None:
        if mark_read in MARK_READ:
            settings.mark_read = mark_read
        else:
            bad("mark_read", f"'mark_read' must be one of {', '.join(MARK_READ)}; using \"open\"")
    delay = data.get("mark_read_delay")
    if delay is not None:
        if isinstance(delay, (int, float)) and not isinstance(delay, bool) and 0 <= delay <= 3600:
            settings.mark_read_delay = float(delay)
        else:
            bad("mark_read_delay", "'mark_read_delay' must be a number of seconds (0-3600); ignored")
    if "commands" in data:
        from tui_reader.core.user_commands import parse_commands

        settings.commands, problems = parse_commands(data["commands"], text, path)
        config.errors.extend(problems)
    keys = data.get("keys")
    if keys is not None:
        if isinstance(keys, dict):
            for binding_id, key_value in keys.items():
                config.key_lines[binding_id] = _line_of_key(text, binding_id)
                if _unsafe(binding_id) or (isinstance(key_value, str) and _unsafe(key_value)):
                    bad(binding_id, f"key override {shown(binding_id)} = {shown(key_value)} holds control "
                                    "characters; ignored")
                elif isinstance(key_value, str) and key_value.strip():
                    settings.keys[binding_id] = key_value.strip()
                else:
                    bad(binding_id, f"key for {binding_id!r} must be a non-empty string; ignored")
        else:
            bad("keys", "'keys' must be a table of binding id = key; ignored")
    return config
