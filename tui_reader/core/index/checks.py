"""Checks of a paper's text that the index cannot answer (it holds no
positions): a phrase's words in order, an author's name, a CJK word."""

from __future__ import annotations

import re

from tui_reader.core.index import analysis
from tui_reader.core.index.query import Word


def is_plain(node) -> bool:
    """A word of any text field, as typed (no field, prefix or fuzzy)."""
    return isinstance(node, Word) and node.field is None and not node.prefix and not node.fuzzy


def terms_of(text: str, stem: bool) -> list[str]:
    """A query word's index terms (the CJK rules, once): a lone character
    ending a CJK run after other terms ("Transformer的") starts a run in
    the text, where no unigram holds it: left out."""
    terms = analysis.query_terms(text, stem)
    if len(terms) > 1 and len(terms[-1]) == 1 and analysis.is_cjk(terms[-1]):
        terms = terms[:-1]
    return terms


def name_check(terms: list[str]):
    """check(author) -> bool: the author's name holds ``terms`` (unstemmed
    words) in order, next to each other; a one-letter term is an initial
    and stands for any word it starts."""
    n = len(terms)

    def check(author: str) -> bool:
        words = [w for w in (analysis.word_term(m, False) for m in _WORDS.findall(author)) if w]
        for i in range(len(words) - n + 1):
            for k, term in enumerate(terms):
                w = words[i + k]
                if w != term and not (len(term) == 1 and w.startswith(term)):
                    break
            else:
                return True
        return False

    return check


_WORDS = re.compile(r"[^\W_]+")
def quick_check(text: str, terms: list[str], stem: bool):
    """A check of a field's text for a plain word or phrase (its ``terms``)
    that does not analyse the whole text: a CJK run is a substring; an
    English word or phrase is found by a regex, each hit analysed.  None:
    no quick check for this text."""
    if analysis.is_cjk(text):
        if analysis.CJK_RUN.fullmatch(text) and len(text) >= 2 and analysis.query_terms(text, stem) == terms:
            return lambda hay: text in hay
        return None
    if analysis.query_terms(text, stem) != terms:
        return None
    if not stem:
        return None
    return phrase_check(text, lambda found: analysis.query_terms(found, stem) == terms)


def consecutive(text: str, words: list[str], stem: bool) -> bool:
    """``words`` (index terms) at consecutive positions of ``text``, as
    analysis numbers them (what a Whoosh phrase query matched)."""
    poses, _ = analysis.positions(text, stem)
    first = poses.get(words[0])
    if not first:
        return False
    rest = []
    for w in words[1:]:
        found = poses.get(w)
        if not found:
            return False
        rest.append(set(found))
    return any(all(p + i in later for i, later in enumerate(rest, 1)) for p in first)


# What a case-insensitive regex takes for an ASCII letter and str.lower()
# does not give as one (re matches dotless i and long s to i and s; "İ".lower()
# is two characters).  Checked over all of Unicode: with these folded first,
# a text's lowercase has its length and, wherever re.IGNORECASE matches an
# ASCII letter or digit, that letter or digit.
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})


def _lowered(hay: str) -> str:
    if hay.isascii():
        return hay.lower()
    if "\u0130" in hay or "\u0131" in hay or "\u017f" in hay:
        hay = hay.translate(_FOLD)
    return hay.lower()


def phrase_check(text: str, accept):
    """check(hay) -> bool: does ``accept(m.group(0))`` hold for one of the
    matches ``pattern.finditer(hay)`` gives (:func:`phrase_parts`'s regex)?
    The same matches, found faster: every match begins with the first
    word's stem (ASCII) and holds every word's, so the regex is tried only
    where the lowercased text has the first stem, and not at all when a stem
    is missing; ``accept`` runs once per distinct match.  None: no pattern
    for this text."""
    built = phrase_parts(text)
    if built is None:
        return None
    pattern, stems = built
    first = stems[0]
    match = pattern.match
    seen: dict[str, bool] = {}

    def accepted(found: str) -> bool:
        ok = seen.get(found)
        if ok is None:
            ok = seen[found] = bool(accept(found))
        return ok

    def check(hay: str) -> bool:
        low = _lowered(hay)
        if len(low) != len(hay):  # never, by _FOLD; then the plain scan
            return any(accepted(m.group(0)) for m in pattern.finditer(hay))
        for stem in stems:
            if stem not in low:
                return False
        end = 0  # finditer goes on after a match: none overlaps it
        i = low.find(first)
        while i != -1:
            if i >= end:
                m = match(hay, i)  # the lookbehind still sees hay[i - 1]
                if m is not None:
                    if accepted(m.group(0)):
                        return True
                    end = m.end()
            i = low.find(first, i + 1)
        return False

    return check


def phrase_parts(text: str):
    """(a regex finding a phrase's words in a text, in order, each word
    stretched to any ending (stems) and stop words allowed between; the
    lowercase ASCII stem each of its words starts with) or None."""
    words = [m.group(0) for m in analysis.TOKEN.finditer(text)]
    parts = []
    stems: list[str] = []
    for w in words:
        norm = analysis._normalize(w)
        if norm in analysis.STOP_WORDS:
            continue
        if not norm.isascii() or not norm.isalnum():
            return None
        stem = analysis.word_term(w, True)
        if not stem or not norm.startswith(stem[: max(1, len(stem) - 1)]):
            return None
        stems.append(stem[: max(1, len(stem) - 1)])
        parts.append(re.escape(stems[-1]) + r"\w*")
    if not parts:
        return None
    gap = r"(?:[\W_]+(?:" + "|".join(sorted(analysis.STOP_WORDS)) + r")\b)*[\W_]+"
    return re.compile(r"(?<!\w)" + gap.join(parts) + r"(?!\w)", re.IGNORECASE), stems
