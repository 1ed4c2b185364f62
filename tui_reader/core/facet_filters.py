"""The facets of the query language, as predicates over papers: what
``has:code``, ``stars:>100``, ``venue:CVPR``, ``is:accepted``,
``no:summary`` and ``lang:Chinese`` mean.  Plain functions, no index: each
reads its value once (raising :class:`FacetError` with a message for the
reader when it cannot) and returns ``paper -> bool``, which the search
engine runs over the library's papers.

=================  ===========================================================
``has:code``       a code repository: the producer's ``code_url``, else a
                   GitHub/GitLab link of the comment or the abstract
``has:summary``    an AI summary in some language (``no:summary``: none,
                   failed or dropped by the producer)
``has:project``    a project page; ``has:venue``, ``has:comment`` likewise
``no:X``           the opposite of ``has:X``
``is:accepted``    the comment says accepted / to appear / published, or
                   names a venue without "submitted" or "under review"
``is:failed``      the producer's LLM call failed (placeholders)
``stars:N``        exactly N stars; ``>N``, ``>=N``, ``<N``, ``<=N``,
                   ``N..`` (at least), ``..N`` (at most), ``N..M``
``venue:CVPR``     the venue's name (``venue:neurips``), its year
                   (``venue:2026``), both (``venue:CVPR2026``) or a word of
                   it (``venue:oral``, ``venue:workshop``)
``lang:Chinese``   a summary in that language (name, marker ``中文`` or
                   code ``zh``)
=================  ===========================================================
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tui_reader.core.model import LANGUAGE_MARKERS, Paper
from tui_reader.core.signals import signals_of

Predicate = Callable[[Paper], bool]


class FacetError(ValueError):
    """A facet value that cannot be read; the message is for the reader."""


_HAS: dict[str, Predicate] = {
    "code": lambda p: bool(signals_of(p).code_url),
    "summary": lambda p: p.has_summary,
    "project": lambda p: bool(signals_of(p).project_url),
    "venue": lambda p: bool(signals_of(p).venue),
    "comment": lambda p: bool(p.comment),
    "stars": lambda p: signals_of(p).stars is not None,
}
_IS: dict[str, Predicate] = {
    "accepted": lambda p: signals_of(p).accepted,
    "failed": lambda p: p.summary_failed,
}
HAS_VALUES = tuple(_HAS)
IS_VALUES = tuple(_IS)


def has(value: str) -> Predicate:
    predicate = _HAS.get(value.strip().lower())
    if predicate is None:
        raise FacetError(f"has:{value}: unknown; try has:{', has:'.join(HAS_VALUES)}")
    return predicate


def no(value: str) -> Predicate:
    try:
        predicate = has(value)
    except FacetError:
        raise FacetError(f"no:{value}: unknown; try no:{', no:'.join(HAS_VALUES)}") from None
    return lambda paper: not predicate(paper)


def is_(value: str) -> Predicate:
    predicate = _IS.get(value.strip().lower())
    if predicate is None:
        # The reader's own marks (is:bookmarked ...) are answered before the facets.
        raise FacetError(f"is:{value}: unknown; try is:bookmarked, is:unread, is:read, is:{', is:'.join(IS_VALUES)}")
    return predicate


_RANGE = re.compile(r"(\d+)?\.\.(\d+)?$")
_COMPARE = re.compile(r"(>=|<=|>|<|=)?(\d+)$")


def number_range(value: str, name: str) -> tuple[int, int]:
    """``>100`` ... ``N..M`` as an inclusive (low, high)."""
    text = value.strip().replace(",", "").replace("_", "")
    match = _RANGE.fullmatch(text)
    if match and (match[1] or match[2]):
        low = int(match[1]) if match[1] else 0
        high = int(match[2]) if match[2] else 10**12
        if low > high:
            raise FacetError(f"{name}:{value}: the range is empty (the first number is bigger)")
        return low, high
    match = _COMPARE.fullmatch(text)
    if not match:
        raise FacetError(f"{name}:{value}: give a number, >N, >=N, <N, <=N, N.., ..N or N..M")
    number = int(match[2])
    return {
        ">": (number + 1, 10**12), ">=": (number, 10**12), "<": (0, number - 1),
        "<=": (0, number),
    }.get(match[1] or "=", (number, number))


def stars(value: str) -> Predicate:
    low, high = number_range(value, "stars")

    def predicate(paper: Paper) -> bool:
        count = signals_of(paper).stars
        return count is not None and low <= count <= high

    return predicate


_VENUE_YEAR = re.compile(r"([a-z][a-z0-9 +&-]*?)\s*'?((?:19|20)\d\d)$")


def venue(value: str) -> Predicate:
    text = " ".join(value.strip().lower().split())
    if not text:
        raise FacetError("venue: needs a name or a year (venue:CVPR, venue:2026)")
    if re.fullmatch(r"(?:19|20)\d\d", text):
        year = int(text)
        return lambda paper: signals_of(paper).year == year
    match = _VENUE_YEAR.fullmatch(text)
    if match:
        name, year = match[1].strip(), int(match[2])

        def named_in(paper: Paper) -> bool:
            found = signals_of(paper)
            return found.year == year and found.venue_name.lower() == name
        return named_in

    def matches(paper: Paper) -> bool:
        found = signals_of(paper)
        if not found.venue:
            return False
        return found.venue_name.lower() == text or text in found.venue.lower().split() \
            or found.venue.lower().startswith(text + " ") or found.venue.lower() == text
    return matches


_LANGUAGE_CODES = {"zh": "Chinese", "cn": "Chinese", "en": "English", "ja": "Japanese", "jp": "Japanese",
                   "ko": "Korean", "fr": "French", "de": "German", "es": "Spanish", "ru": "Russian",
                   "pt": "Portuguese", "it": "Italian", "vi": "Vietnamese"}


def lang(value: str) -> Predicate:
    text = value.strip()
    if not text:
        raise FacetError("lang: needs a language (lang:Chinese, lang:English, lang:ja)")
    wanted = _LANGUAGE_CODES.get(text.lower())
    if wanted is None:
        by_marker = {marker.lower(): name for name, marker in LANGUAGE_MARKERS.items()}
        wanted = by_marker.get(text.lower(), text)
    wanted = wanted.lower()
    return lambda paper: any(language.lower() == wanted for language in paper.languages)


# name -> value -> predicate: the query language's facet fields.
FACETS: dict[str, Callable[[str], Predicate]] = {
    "has": has,
    "no": no,
    "stars": stars,
    "venue": venue,
    "lang": lang,
    "language": lang,
}
