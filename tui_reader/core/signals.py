"""What a researcher picks papers by, read from what the producer wrote:
the authors' arXiv ``comment`` (venue and year, accepted or not, page and
figure counts, project page and code links) and the producer's
``code_url``/``code_stars``/``code_last_update`` fields.  Plain data, no
Textual; computed once per paper, on first use (:func:`signals_of`).

Venue rules (a venue is what the paper was accepted at, never what it was
submitted to):

- a known venue (``CVPR``, ``NeurIPS``, ``ICLR`` ... see ``KNOWN_VENUES``)
  with its year when one is next to it (``CVPR 2026``, ``EMNLP2025``,
  ``MM '25``, ``ECML_PKDD'26``), else any capitalised acronym directly
  followed by a year (``ICANN 2026``, ``SOICT 2025``);
- a qualifier after it (``Oral``, ``Spotlight``, ``Poster``, ``Highlight``,
  ``Findings``, ``Demo``, ``Industry Track``, ``Datasets and Benchmarks``,
  ``Main``), and ``Workshop`` when its sentence speaks of a workshop (or
  ``AI4CC@CVPR``, ``ICCVW``);
- a venue in a sentence that says ``submitted``, ``under review``,
  ``rejected`` (and says no ``accepted``) is not taken.

``accepted`` is true when the comment says accepted / to appear /
published / presented, or names a venue as above without saying it is
only submitted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tui_reader.core import links
from tui_reader.core.model import Paper

# Venues by the name shown, with the spellings that mean them (lowercase).
KNOWN_VENUES: dict[str, tuple[str, ...]] = {
    "CVPR": ("cvpr",), "ICCV": ("iccv",), "ECCV": ("eccv",), "WACV": ("wacv",), "BMVC": ("bmvc",),
    "NeurIPS": ("neurips", "nips"), "ICLR": ("iclr",), "ICML": ("icml",), "AAAI": ("aaai",),
    "IJCAI": ("ijcai",), "AISTATS": ("aistats",), "UAI": ("uai",), "COLT": ("colt",), "TMLR": ("tmlr",),
    "JMLR": ("jmlr",), "ACL": ("acl",), "EMNLP": ("emnlp",), "NAACL": ("naacl",), "EACL": ("eacl",),
    "COLING": ("coling",), "COLM": ("colm",), "AACL": ("aacl",), "Interspeech": ("interspeech",),
    "ICASSP": ("icassp",), "KDD": ("kdd",), "WWW": ("www", "thewebconf"), "SIGIR": ("sigir",),
    "WSDM": ("wsdm",), "CIKM": ("cikm",), "RecSys": ("recsys",), "ICDM": ("icdm",), "ICDE": ("icde",),
    "VLDB": ("vldb",), "SIGMOD": ("sigmod",), "SIGGRAPH Asia": ("siggraph asia",),
    "SIGGRAPH": ("siggraph",), "ACM MM": ("acm mm", "acm multimedia", "mm"), "MICCAI": ("miccai",),
    "MIDL": ("midl",), "ICRA": ("icra",), "IROS": ("iros",), "RSS": ("rss",), "CoRL": ("corl",),
    "ICME": ("icme",), "ICIP": ("icip",), "ICPR": ("icpr",), "IJCNN": ("ijcnn",), "ECAI": ("ecai",),
    "ICDAR": ("icdar",), "IGARSS": ("igarss",), "CHI": ("chi",), "UIST": ("uist",), "ICSE": ("icse",),
    "ECML PKDD": ("ecml pkdd", "ecml_pkdd", "ecml-pkdd", "ecml"), "3DV": ("3dv",), "TPAMI": ("tpami", "pami"),
    "IJCV": ("ijcv",), "TIP": ("tip",), "TOG": ("tog",), "ICONIP": ("iconip",), "ICANN": ("icann",),
    "EC": ("ec",),
}
_SPELLING = {spelling: name for name, spellings in KNOWN_VENUES.items() for spelling in spellings}
# Spellings that are common words or too short to trust alone: only with a year next to them.
_NEEDS_YEAR = {"mm", "ec", "tip", "tog", "rss", "chi", "colt", "uai", "www", "ecml"}
# Capitalised words followed by a year that are publishers or places, not venues.
_NOT_VENUES = {"IEEE", "ACM", "SPIE", "MDPI", "IOP", "LNCS", "CEUR", "PMLR", "AIP", "APS", "USA", "UK",
               "EU", "PRL", "PRD", "LA-UR", "CMS", "ATLAS", "LHCB", "ALICE", "PHD", "MSC", "TIFR"}

_QUALIFIERS = (
    ("Datasets and Benchmarks", r"datasets?\s*(?:and|&)\s*benchmarks?"),
    ("Industry Track", r"industry\s+track"),
    ("Oral", r"oral"), ("Spotlight", r"spotlight"), ("Highlight", r"highlight"), ("Poster", r"poster"),
    ("Findings", r"findings"), ("Demo", r"demo(?:nstration)?s?"), ("Main", r"main(?:\s*conference)?\b"),
)
_QUALIFIER_RE = re.compile(r"\W{0,3}(?:(?:track|paper|conference|the|\(|\[)\W{0,3}){0,2}("
                           + "|".join(f"(?:{p})" for _, p in _QUALIFIERS) + r")\b", re.IGNORECASE)

_YEAR_AFTER = re.compile(r"\)?[\s_\-]?(?:'|’)?\s?((?:19|20)\d\d|\d\d)\b")
_ACCEPT = re.compile(
    r"\b(?:accepted|acceptance|to\s+appear|will\s+appear|appear(?:s|ed)?\s+in|published|"
    r"presented|camera[\s-]?ready|in\s+proceedings|proceedings\s+of|in\s+press)\b",
    re.IGNORECASE)
_PENDING = re.compile(
    r"\b(?:submitted|submission|under\s+(?:review|consideration|submission)|in\s+review|"
    r"underreview|rejected|review(?:ing)?)\b", re.IGNORECASE)
_NOT_ACCEPTED = re.compile(r"\b(?:not|never|partially)\s+(?:yet\s+)?accepted\b|\bacceptance\s+(?:rate|test|criteri)",
                           re.IGNORECASE)
_COLOCATED = re.compile(r"co-?\s?located\s+(?:with|at)\b", re.IGNORECASE)
_WORKSHOP = re.compile(r"\bworkshops?\b|\bwksp\b", re.IGNORECASE)
_CHALLENGE = re.compile(r"\bchallenge\b", re.IGNORECASE)

_PAGES = re.compile(r"(?<![\w.-])(\d{1,4})\s*(?:\+\s*(\d{1,4})\s*)?(?:mdpi\s+|total\s+)?pages?\b"
                    r"|\bpages?\s+(\d{1,4})\b", re.IGNORECASE)
_FIGURES = re.compile(r"(?<![\w.-])(\d{1,4}|no)\s*(?:eps\s+|color\s+|colour\s+)?(?:figures?|figs?\b\.?|pictures)",
                      re.IGNORECASE)

_URL = re.compile(r"""(?:\\url\{)?(https?://[^\s<>"'{}\\]+)""", re.IGNORECASE)
_CODE_HOSTS = ("github.com", "gitlab.com", "codeberg.org", "bitbucket.org")
_PROJECT_LABEL = re.compile(r"(?:project|paper|demo)?\s*(?:page|website|webpage|site|homepage)\s*(?:is\s+)?"
                            r"(?:available\s+)?(?:at|see|:)?\s*:?\s*$", re.IGNORECASE)

_CAPITALS = re.compile(r"[A-Z]")  # every venue is written with a capital: none, no venue to look for
_SENTENCE = re.compile(r"(?<=[.;!?])\s+(?=[A-Z0-9(])|;\s*|\.\s+")


@dataclass(frozen=True, slots=True)
class Signals:
    """What the comment and the code fields say about a paper."""

    venue: str = ""  # "CVPR 2026", "ICLR 2026 Oral", "NeurIPS 2025 Datasets and Benchmarks"
    venue_name: str = ""  # "CVPR"
    year: int | None = None
    accepted: bool = False
    pages: int | None = None
    figures: int | None = None
    project_url: str = ""
    code_url: str = ""  # a repository: the producer's code_url, else one from the comment or abstract
    code_from: str = ""  # "producer", "comment" or "abstract"
    stars: int | None = None
    code_updated: str = ""  # YYYY-MM-DD of the code's last commit
    links: tuple[str, ...] = ()  # every other https link of the comment

    @property
    def has_code(self) -> bool:
        return bool(self.code_url)


EMPTY = Signals()


# --- links ------------------------------------------------------------------------

def safe_link(url: str) -> str:
    """``url`` when it may go to a browser or the clipboard (core.links: one
    plain https line, a host name, no user-info), else "".  Code hosts given
    as http are upgraded (they serve https only); trailing punctuation of
    the sentence around a link is not part of it."""
    url = url.strip().rstrip(".,;:)]}>'\"")
    if url.lower().startswith("http://"):
        host = url[7:].split("/", 1)[0].lower()
        if host.removeprefix("www.") not in _CODE_HOSTS:
            return ""
        url = "https://" + url[7:]
    return url if links.is_safe(url) else ""


def _host(url: str) -> str:
    return url[8:].split("/", 1)[0].split(":", 1)[0].lower().removeprefix("www.")


def code_repository(url: str) -> str:
    """``https://github.com/owner/repo`` (from a longer link into the repo),
    or "" when ``url`` is not a repository on a code host."""
    url = safe_link(url)
    if not url or _host(url) not in _CODE_HOSTS:
        return ""
    parts = [p for p in url[8:].split("?", 1)[0].split("#", 1)[0].split("/") if p]
    if len(parts) < 3:
        return ""
    repo = parts[2].removesuffix(".git")
    return f"https://{parts[0].lower().removeprefix('www.')}/{parts[1]}/{repo}" if repo else ""


def _links(text: str) -> list[tuple[int, str]]:
    found = []
    for match in _URL.finditer(text):
        url = safe_link(match.group(1))
        if url:
            found.append((match.start(), url))
    return found


# --- the comment ------------------------------------------------------------------


def _year(text: str, start: int) -> tuple[int | None, int]:
    """A year right after position ``start`` ("2026", " 2026", "'26", "25"
    when written "WMT25"), and where it ends."""
    match = _YEAR_AFTER.match(text, start)
    if not match:
        return None, start
    digits = match.group(1) or match.group(2)
    year = int(digits)
    if len(digits) == 2:
        year += 2000
    if not 1980 <= year <= 2099:
        return None, start
    return year, match.end()


_TOKEN = re.compile(r"[A-Z][A-Za-z0-9+&]*?(?=(?:19|20)?\d\d\b|[^A-Za-z0-9+&]|$)"
                    r"(?:\s(?:Asia|PKDD|MM|Multimedia)(?![A-Za-z]))?")


def _venues(sentence: str) -> list[tuple[int, str, int | None, int, bool]]:
    """(position, name, year, end, known) of each venue named in a
    sentence, known venues first."""
    found = []
    for match in _TOKEN.finditer(sentence):
        raw = match.group(0)
        word = raw.lower()
        start, end = match.start(), match.end()
        workshop_suffix = False
        if sentence[start:start + 9].lower() == "ecml_pkdd":
            word, end = "ecml pkdd", start + 9
        elif sentence[max(0, start - 5):start].lower() == "ecml_":
            continue
        name = _SPELLING.get(word)
        if name is None and " " in word:  # "ACM MM" matched, or "ICCV Asia"-like noise
            first = word.split(" ", 1)[0]
            name = _SPELLING.get(first)
            if name is not None:
                end = start + len(first)
        if name is None and word.endswith("w") and _SPELLING.get(word[:-1]) and word[:-1] not in _NEEDS_YEAR:
            name, workshop_suffix = _SPELLING[word[:-1]], True  # ICCVW, CVPRW
        year, after = _year(sentence, end)
        if name is not None:
            if (word in _NEEDS_YEAR or word.split(" ")[0] in _NEEDS_YEAR) and year is None:
                # "MM" alone is no venue, "ACM MM" is
                if not (word.startswith("acm ") and name == "ACM MM"):
                    continue
            if name == "ACM MM" and word in ("mm",) and not re.search(r"acm\s*$", sentence[:start], re.IGNORECASE):
                if year is None:
                    continue
            if raw.islower() and len(raw) <= 4:
                continue  # "acl" in running text is not a venue; venues are written in capitals
            found.append((start, name + (" W" if workshop_suffix else ""), year, after if year else end, True))
            continue
        # An unknown acronym with a year next to it: "ICANN 2026", "SOICT 2025"
        upper = sum(1 for c in raw if c.isupper())
        if year is not None and upper >= 2 and raw[0].isupper() and raw.upper() not in _NOT_VENUES \
                and 3 <= len(raw) <= 12 and " " not in raw:
            found.append((start, raw, year, after, False))
    # Known venues first ("the HECKTOR 2025 challenge ... at MICCAI 2025"),
    # but a venue the paper's is only co-located with comes last
    # ("WMT25, co-located with EMNLP 2025").
    found.sort(key=lambda venue: (bool(_COLOCATED.search(sentence, 0, venue[0])), not venue[4]))
    return found


def _counts(bare: str, lowered: str) -> tuple[int | None, int | None]:
    """(pages, figures) a comment gives (the largest of each), or None."""
    pages = None
    for match in _PAGES.finditer(bare) if "page" in lowered else ():
        if match.group(3):
            value = int(match.group(3))
        else:
            value = int(match.group(1)) + (int(match.group(2)) if match.group(2) else 0)
        if 0 < value < 10000:
            pages = value if pages is None else max(pages, value)
    figures = None
    for match in _FIGURES.finditer(bare) if ("fig" in lowered or "picture" in lowered) else ():
        value = 0 if match.group(1).lower() == "no" else int(match.group(1))
        figures = value if figures is None else max(figures, value)
    return pages, figures


def _sorted_links(links: list[tuple[int, str]], bare: str) -> tuple[str, str, list[str]]:
    """(project page, code repository, the other links) of a comment's
    links (position, URL): the first repository is the code, the first
    link labelled as a project page (or on github.io) the project."""
    project = code = ""
    others: list[str] = []
    for position, url in links:
        repository = code_repository(url)
        if repository and not code:
            code = repository
            continue
        label = bare[max(0, position - 40):position]
        if not project and (_PROJECT_LABEL.search(label) or _host(url).endswith(".github.io")):
            project = url
            continue
        if url not in others and url != code:
            others.append(url)
    return project, code, others


def parse_comment(comment: str) -> Signals:
    """Venue, acceptance, page and figure counts and links of one comment."""
    if not comment:
        return EMPTY
    text = " ".join(comment.split())
    lowered = text.lower()
    has_links = "http" in lowered
    links = _links(text) if has_links else []
    # Links out of the way of the venue and count patterns ("github.io/iccv2025").
    bare = _URL.sub(lambda m: " " * len(m.group(0)), text) if has_links else text

    accepted_anywhere = bool(_ACCEPT.search(bare)) and not _NOT_ACCEPTED.search(bare)
    venue = name = ""
    year: int | None = None
    accepted_venue = False
    for sentence in _SENTENCE.split(bare) if _CAPITALS.search(bare) else ():
        if not sentence:
            continue
        says_accepted = bool(_ACCEPT.search(sentence)) and not _NOT_ACCEPTED.search(sentence)
        pending = bool(_PENDING.search(sentence))
        if pending and not says_accepted:
            continue
        for position, found_name, found_year, end, _known in _venues(sentence):
            if pending and says_accepted:
                # "accepted at CVPR workshop 2024, submitted to IJCV": the
                # venue after "accepted", not the one after "submitted";
                # "Submitted to INLG 2025 (accepted)" is accepted there.
                before = sentence[:position]
                last_accept = max((m.end() for m in _ACCEPT.finditer(before)), default=-1)
                last_pending = max((m.end() for m in _PENDING.finditer(before)), default=-1)
                if last_accept >= 0 and last_pending > last_accept:
                    continue
            workshop = found_name.endswith(" W")
            found_name = found_name.removesuffix(" W")
            if "@" in sentence[max(0, position - 1):position]:
                workshop = True
            parts = [found_name]
            if found_year:
                parts.append(str(found_year))
            qualifier = _QUALIFIER_RE.match(sentence, end)
            if workshop or _WORKSHOP.search(sentence):
                parts.append("Workshop")
            elif qualifier:
                label = next(label for label, pattern in _QUALIFIERS
                             if re.fullmatch(pattern, qualifier.group(1), re.IGNORECASE))
                parts.append(label)
            elif _CHALLENGE.search(sentence):
                parts.append("Challenge")
            venue, name, year = " ".join(parts), found_name, found_year
            accepted_venue = True
            break
        if venue:
            break

    pages, figures = _counts(bare, lowered)
    project, code, others = _sorted_links(links, bare)
    return Signals(
        venue=venue, venue_name=name, year=year, accepted=accepted_anywhere or accepted_venue,
        pages=pages, figures=figures, project_url=project, code_url=code,
        code_from="comment" if code else "", links=tuple(others),
    )


# --- the paper ----------------------------------------------------------------------


def compute(paper: Paper) -> Signals:
    """A paper's signals: the comment's, with the producer's code fields."""
    found = parse_comment(paper.comment)
    code, code_from = "", ""
    producer = safe_link(paper.code_url)
    if producer:
        repository = code_repository(producer)
        if repository:
            code, code_from = producer, "producer"
    if not code and found.code_url:
        code, code_from = found.code_url, "comment"
    if not code:
        repository = abstract_code(paper)
        if repository:
            code, code_from = repository, "abstract"
    project = found.project_url
    if not project and producer and not code_repository(producer):
        project = producer  # the producer's code_url holds a *.github.io page when no repo was found
    stars = paper.code_stars if code_from == "producer" else None
    updated = paper.code_updated if code_from == "producer" else ""
    if (found is EMPTY and not code and not project):
        return EMPTY
    return Signals(
        venue=found.venue, venue_name=found.venue_name, year=found.year, accepted=found.accepted,
        pages=found.pages, figures=found.figures, project_url=project, code_url=code, code_from=code_from,
        stars=stars, code_updated=updated, links=found.links,
    )


def code_in_abstract(abstract: str) -> str:
    """The first code repository the abstract links to ("" none): kept on
    a paper whose abstract is on disk (Paper.abstract_code)."""
    if abstract and "github" in abstract.lower():
        for _position, url in _links(abstract):
            repository = code_repository(url)
            if repository:
                return repository
    return ""


def abstract_code(paper: Paper) -> str:
    """The code repository the paper's abstract links to ("" none): kept
    on the paper while its abstract is on disk, else looked for in it."""
    found = paper.abstract_code
    return code_in_abstract(paper.abstract) if found is None else found


def signals_of(paper: Paper) -> Signals:
    """The paper's signals, computed on first use and kept on the paper."""
    found = paper.signals
    if found is None:
        found = paper.signals = compute(paper)
    return found  # type: ignore[return-value]


def summary_state(paper: Paper) -> str:
    """"ok", "failed" (the producer's placeholders) or "missing" (only in raw files)."""
    if paper.has_summary:
        return "ok"
    return "failed" if paper.failed else "missing"


def facet_fields(paper: Paper) -> dict[str, object]:
    """The facets of a paper as plain JSON values (``search --json``)."""
    found = signals_of(paper)
    return {
        "venue": found.venue,
        "year": found.year,
        "accepted": found.accepted,
        "code_url": found.code_url,
        "code_from": found.code_from,
        "stars": found.stars,
        "code_updated": found.code_updated,
        "project_url": found.project_url,
        "pages": found.pages,
        "figures": found.figures,
        "summary": summary_state(paper),
        "languages": paper.languages,
    }
