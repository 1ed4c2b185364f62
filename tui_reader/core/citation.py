"""What a reference manager wants to know about a paper beyond the digest's
fields: the venue it was accepted at and a DOI (both read from the authors'
comment, else the abstract), author names split into family and given
names, and the date it was issued.  Pure functions, no I/O.

The venue reading here is deliberately small (an acceptance phrase, or a
known conference acronym with a year at the start of the comment); a fuller
signal reader may replace :func:`venue_of` without changing its contract:
plain single-line text or ``""``."""

from __future__ import annotations

import re

from tui_reader.core.text import clean, one_line

_ACCEPTED = re.compile(
    r"(?i)\b(?:accepted|to\s+appear|published|presented|present)\s+"
    r"(?:as\s+an?\s+\w+\s+(?:paper\s+)?)?(?:for\s+(?:publication|presentation)\s+)?"
    r"(?:at|by|to|in|for|on)\s+(?:the\s+)?(?P<venue>.+)"
)
# Where a venue phrase stops: a sentence end, a page count, a parenthesis
# that is not the venue's own acronym, a semicolon.
_MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_VENUE_END = re.compile(
    r"(?:[.!](?=\s+[A-Z][a-z]{2,}\b(?!\.))|[.!]\s*$|[.!]\s+[a-z]|;|,\s+(?=[a-z])"
    r"|\s*[,(]?\s*\d+\s*(?:pages|pp\.|figures)|\s+-\s+|\s*\(?(?i:oral|poster|spotlight|highlight)\b"
    rf"|\s+(?:and|which|where|under|with|as|on|in)\s+(?=[a-z]|(?:{_MONTHS})\b))"
)
_LEADING_ACRONYM = re.compile(r"^\s*(?P<venue>[A-Z][A-Za-z]*[A-Z]{2,}[A-Za-z]*\s*'?(?:19|20)\d{2})\b")
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")

_DOI = re.compile(r"(?i)(?:doi\s*[:=]?\s*|doi\.org/)(10\.\d{4,9}/[^\s\"'<>{}]+)")
# DOIs of data and software archives name a data set, not the paper.
_DATA_PREFIXES = ("10.5281/", "10.6084/", "10.5061/", "10.17632/", "10.7910/", "10.24433/")


def venue_of(comment: str) -> str:
    """The venue the comment says the paper was accepted at (``"CVPR
    2026"``, ``"IEEE Transactions on Communications"``), else ``""``."""
    text = one_line(clean(comment or ""))
    if not text:
        return ""
    match = _ACCEPTED.search(text)
    if match:
        venue = match["venue"]
        # "the 2026 IEEE International Conference on X, Y, and Z (SMC 2026)":
        # the acronym in parentheses is what a reference list shows.
        named = re.match(r"^[^.;()]{0,160}\(([A-Z][A-Za-z]*[A-Z]\w*\s*(?:19|20)\d{2})\)", venue)
        if named:
            return named[1]
        end = _VENUE_END.search(venue)
        if end:
            venue = venue[: end.start()]
        venue = venue.strip(" ,:;!.-/").strip()
        # "IROS 2025 (IEEE/RSJ International Conference on ...)": the short name.
        short = re.match(r"^(\S.{0,40}?(?:19|20)\d{2})\s+\(", venue)
        if short:
            venue = short[1]
        # "the 2026 IEEE International Conference on X (SMC 2026)": the
        # acronym in parentheses is what a reference list shows.
        inner = re.search(r"\(([A-Z][A-Za-z]*[A-Z]\w*\s*(?:19|20)\d{2})\)$", venue)
        if inner:
            venue = inner[1]
        if venue.count("(") != venue.count(")"):
            venue = venue.split("(")[0].strip()
        return venue[:120] if len(venue) >= 3 else ""
    match = _LEADING_ACRONYM.match(text)
    return match["venue"] if match else ""


def doi_of(*texts: str) -> str:
    """The first DOI named in the texts (``doi:``, ``DOI`` or a doi.org
    link), data-archive DOIs left out; ``""`` when none."""
    for text in texts:
        for match in _DOI.finditer(clean(text or "")):
            doi = match[1].rstrip(".,;:)]")
            if not doi.startswith(_DATA_PREFIXES):
                return doi
    return ""


_PARTICLES = ("van", "von", "de", "der", "den", "da", "del", "della", "di", "du", "le", "la")


def split_name(name: str) -> tuple[str, str]:
    """``(family, given)``; ``("", name)`` means "use the name as it is"
    (a single word, a name in a script without spaces, an organisation)."""
    name = one_line(clean(name))
    if "," in name:
        family, given = name.split(",", 1)
        return family.strip(), given.strip()
    if " and " in f" {name.lower()} ":
        return "", name
    parts = name.split()
    if len(parts) < 2:
        return "", name
    # Particles stay with the family name: "Ludwig van Beethoven".
    index = len(parts) - 1
    while index > 1 and parts[index - 1].lower() in _PARTICLES:
        index -= 1
    return " ".join(parts[index:]), " ".join(parts[:index])


_NEW_STYLE = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}")
_OLD_STYLE = re.compile(r"/(\d{2})(\d{2})\d{3}$")


def issued(paper_id: str, dates: list[str]) -> tuple[int, ...]:
    """(year, month[, day]): the year and month the arXiv id encodes (what
    arXiv's own citation gives), with the day of the first digest that held
    the paper when it falls in that month; for ids without a date, the
    first digest's day.  ``()`` when nothing is known."""
    days = [tuple(int(p) for p in m.groups()) for m in (re.match(r"^(\d{4})-(\d{2})-(\d{2})$", d) for d in dates) if m]
    match = _NEW_STYLE.match(paper_id) or _OLD_STYLE.search(paper_id)
    if match:
        yy = int(match[1])
        year = 2000 + yy if _NEW_STYLE.match(paper_id) else (1900 + yy if yy >= 91 else 2000 + yy)
        month = int(match[2])
        for day in days:
            if day[:2] == (year, month):
                return day
        return (year, month) if 1 <= month <= 12 else (year,)
    return days[0] if days else ()
