"""Discovery: interests that rise to the top, mute rules, more like this,
saved searches and trends.  No Textual here; everything that touches the
search index is meant to run in a thread worker.

API::

    from tui_reader.core.discovery import Rule, SavedSearch, parse_rule, compute, Discovery

    rule = parse_rule("interest", "author:Ada Lovelace")   # RuleError for nonsense
    rule.query()                     # the one index query of the rule
    found = compute(index, interests, mutes, saved, state=store)   # Discovery
    found.matched                    # id -> interests that match it
    found.muted                      # id -> mute rules that hide it
    found.saved                      # saved search name -> ids, best first
    found.reason(paper)              # "diffusion: title, abstract" (lazy, cached)

Similarity (``L``, the Suggested node) is in
:mod:`tui_reader.core.index.similar`; trends in :mod:`tui_reader.core.trends`.
"""

from tui_reader.core.discovery.engine import Discovery, compute, where
from tui_reader.core.discovery.rules import (
    AUTHOR,
    CATEGORY,
    INTEREST,
    KEYWORD,
    MUTE,
    Rule,
    RuleError,
    SavedSearch,
    parse_rule,
    rule_query,
)

__all__ = [
    "AUTHOR",
    "CATEGORY",
    "INTEREST",
    "KEYWORD",
    "MUTE",
    "Discovery",
    "Rule",
    "RuleError",
    "SavedSearch",
    "compute",
    "parse_rule",
    "rule_query",
    "where",
]
