"""A mute or interest rule a paper suggests: a key phrase of its title,
the most specific words it holds (never its whole category, which would
hide half a day)."""

from __future__ import annotations

import re

from tui_reader.core.latex import readable

# Words that make no rule on their own.
STOPWORDS = frozenset("""
a an and are as at be based by can do for from how in into is it its of on or our over the their this to
towards toward under using via vs what when where which while with without we you your not new via beyond
through via learning model models method methods approach approaches framework study analysis data
paper results efficient effective improving improved improve large scale towards
""".split())
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")


def _words(text: str) -> list[str]:
    return _WORD.findall(readable(text))


def _content(words: list[str]) -> list[str]:
    return [w for w in words if w.lower() not in STOPWORDS and len(w) > 1]


def key_phrase(title: str) -> str:
    """The title's most specific phrase: its name before a colon when it is
    one to three words (``NavFormer: …`` → ``NavFormer``), else the longest
    run of two or three content words, else its longest content word."""
    head, colon, _rest = title.partition(":")
    if colon:
        named = _words(head)
        if 1 <= len(named) <= 3 and _content(named):
            return " ".join(named)
    words = _words(title)
    runs: list[list[str]] = [[]]
    for word in words:
        if word.lower() in STOPWORDS or len(word) < 2:
            runs.append([])
        else:
            runs[-1].append(word)
    phrases = [run[i:i + size] for run in runs for size in (3, 2) for i in range(len(run) - size + 1)]
    if phrases:
        best = max(phrases, key=lambda p: (len(p) == 2, sum(len(w) for w in p)))
        return " ".join(best)
    content = _content(words)
    return max(content, key=len) if content else ""
