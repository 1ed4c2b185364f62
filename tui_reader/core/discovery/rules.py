"""Interests, mute rules and saved searches as plain data, and how a rule
the user typed (``diffusion``, ``author:Yann LeCun``, ``cat:cs.CV``) becomes
one query of the search index.  No Textual, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui_reader.core.text import clean, one_line

INTEREST = "interest"
MUTE = "mute"
KINDS = (INTEREST, MUTE)

KEYWORD = "keyword"
AUTHOR = "author"
CATEGORY = "category"
FIELDS = (KEYWORD, AUTHOR, CATEGORY)

MAX_VALUE = 200  # characters kept of a typed rule or a saved search's name
_CATEGORY = re.compile(r"[A-Za-z][A-Za-z\-]*(?:\.[A-Za-z\-]+)?\*?$|[A-Za-z][A-Za-z\-]*\.\*$")
_PREFIXES = {"author": AUTHOR, "authors": AUTHOR, "cat": CATEGORY, "category": CATEGORY,
             "keyword": KEYWORD, "word": KEYWORD}


class RuleError(ValueError):
    """A typed rule that cannot be used; the message is for the user."""


@dataclass(frozen=True, slots=True)
class Rule:
    """An interest or a mute rule: a keyword, an author or a category."""

    kind: str  # INTEREST or MUTE
    field: str  # KEYWORD, AUTHOR or CATEGORY
    value: str
    added_at: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the rule (the store compares values case-insensitively)."""
        return (self.kind, self.field, self.value.casefold())

    @property
    def label(self) -> str:
        """How the rule is shown and typed: ``diffusion``, ``author:Ada Lovelace``."""
        if self.field == KEYWORD:
            return self.value
        return f"{'cat' if self.field == CATEGORY else 'author'}:{self.value}"

    def query(self) -> str:
        """The search-index query that finds the papers of this rule: one
        query, matched in every field and language through the index's
        analysis (stems, CJK bigrams), never by substring."""
        return rule_query(self.field, self.value)


@dataclass(frozen=True, slots=True)
class SavedSearch:
    name: str
    query: str
    position: int = 0


def normalize_value(text: str) -> str:
    return one_line(clean(text or "")).strip()[:MAX_VALUE]


def parse_rule(kind: str, text: str) -> Rule:
    """``author:NAME``, ``cat:CATEGORY`` (``cat:cs.*`` for an archive) or a
    keyword (one word or a phrase).  Raises :class:`RuleError`."""
    if kind not in KINDS:
        raise RuleError(f"unknown rule kind {kind!r}")
    value = normalize_value(text)
    field = KEYWORD
    head, sep, rest = value.partition(":")
    if sep and head.strip().lower() in _PREFIXES:
        field = _PREFIXES[head.strip().lower()]
        value = rest.strip()
    value = value.strip('"').strip()
    if not value:
        raise RuleError("type a keyword, author:NAME or cat:CATEGORY")
    if field == CATEGORY and not _CATEGORY.match(value):
        raise RuleError(f"{value!r} is not an arXiv category (like cs.CV, or cs.* for all of cs)")
    if field == KEYWORD and not re.search(r"\w", value):
        raise RuleError("a keyword needs at least one letter or digit")
    return Rule(kind, field, value)


def _quoted(value: str) -> str:
    # Inside quotes every word is literal: operators, fields and parentheses
    # a user typed stay words.  Quotes themselves cannot be escaped: drop them.
    return '"' + " ".join(value.replace('"', " ").split()) + '"'


def rule_query(field: str, value: str) -> str:
    if field == CATEGORY:
        return "cat:" + value
    if field == AUTHOR:
        return "author:" + _quoted(value)
    return _quoted(value)
