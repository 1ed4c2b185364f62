"""BibTeX's text: citation keys (arXiv's style, unique in a file) and
escaping (safe LaTeX only, braces balanced, capitals protected)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from tui_reader.core.latex import _SYMBOLS as _LATEX_SYMBOLS
from tui_reader.core.model import Paper
from tui_reader.core.state.snapshot import Snapshot, paper_key
from tui_reader.core.text import clean, one_line

_KEY_STOPWORDS = frozenset(
    "a an the on of in for to and with from by at as is are via towards toward into over under "
    "do does can what when why how".split()
)
_NEW_STYLE = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}$")
_OLD_STYLE = re.compile(r"/(\d{2})(\d{2})\d{3}$")


def _ascii_word(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isascii() and c.isalnum()).lower()


def _last_name(author: str) -> str:
    author = one_line(author)
    if "," in author:
        return author.split(",", 1)[0]
    parts = author.split()
    return parts[-1] if parts else ""


def year_of(item: Paper | Snapshot) -> str:
    key = paper_key(item.id)
    match = _NEW_STYLE.match(key)
    if match:
        return f"20{match[1]}"
    match = _OLD_STYLE.search(key)
    if match:
        yy = int(match[1])
        return f"{1900 + yy if yy >= 91 else 2000 + yy}"
    return item.dates[0][:4] if item.dates else ""


def bibtex_key(item: Paper | Snapshot) -> str:
    """arXiv-style citation key: first author's last name, year, first
    significant title word, in lower-case ASCII (``hwang2026navformer``)."""
    name = _ascii_word(_last_name(item.authors[0])) if item.authors else ""
    word = ""
    for raw in re.split(r"[\s\-:/]+", _strip_latex(item.title)):
        candidate = _ascii_word(raw)
        if candidate and candidate not in _KEY_STOPWORDS:
            word = candidate
            break
    key = f"{name or 'arxiv'}{year_of(item)}{word}"
    return key if key != "arxiv" else "arxiv" + _ascii_word(paper_key(item.id))


def _strip_latex(text: str) -> str:
    return re.sub(r"\\[a-zA-Z]+|[{}$\\]", " ", text)


def unique_keys(items: Sequence[Paper | Snapshot]) -> list[str]:
    """A key per item, in order; a repeated key gets ``a``, ``b``... (the
    first one keeps the plain key), so keys stay stable as items are added
    at the end."""
    seen: set[str] = set()
    keys = []
    for item in items:
        base = bibtex_key(item)
        key = base
        n = 0
        while key in seen:
            key = base + _letters(n)
            n += 1
        seen.add(key)
        keys.append(key)
    return keys


def _letters(n: int) -> str:
    out = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(ord("a") + rem) + out
    return out


# LaTeX commands a title may keep: text styles, accents, Greek letters and
# math symbols (what the reader renders).  Any other command, ``\input``,
# ``\write18``, ``\catcode``, ``\def``..., is written as text
# (``\textbackslash{}input``), so a title from a digest cannot run anything
# in a LaTeX document that cites it.
_ALLOWED_COMMANDS = frozenset(
    (
        "textit textbf emph mathrm mathbf mathit mathsf mathtt text textrm texttt textsf textsc textsl "
        "textup textnormal textsuperscript textsubscript operatorname boldsymbol bm mathcal mathscr "
        "mathfrak mathbb underline overline hat tilde bar vec widetilde widehat dot ddot check breve "
        "acute grave frac dfrac tfrac sqrt left right big Big bigg Bigg mid vert lvert rvert lVert rVert "
        "ensuremath LaTeX TeX ldots dots cdots vdots ddots textendash textemdash textquotesingle "
        "textbraceleft textbraceright textbackslash backslash prime circ degree textdegree "
        "c v u H r d b t k i j o O l L ss ae AE oe OE aa AA "
        "cal bf it rm sf tt em sc sl mathring overrightarrow overleftarrow leftrightarrow longrightarrow "
        "lceil rceil lfloor rfloor top perp parallel neg lnot land lor wedge vee setminus "
        "uparrow downarrow Uparrow Downarrow hookrightarrow rightleftharpoons "
        "ast bullet diamond triangle nabla square blacksquare checkmark "
        "sim simeq cong asymp preceq succeq prec succ ll gg lesssim gtrsim "
        "aleph beth imath jmath Re Im wp mho varkappa digamma varnothing "
        "arg deg det dim gcd hom inf ker lg liminf limsup Pr sec sinh sup tan tanh cot coth csc "
        "arcsin arccos arctan cosh "
        "mathop mathbin mathrel limits nolimits displaystyle textstyle scriptstyle "
        "quad qquad enspace thinspace"
    ).split()
) | frozenset(name for name in _LATEX_SYMBOLS if name.isalpha())
_SPACING = frozenset(",;:! ")
_ACCENTS = frozenset("'\"`^~=.")
_ESCAPED = frozenset("&%#_${}")


def _tokens(text: str) -> list[tuple[str, str]]:
    """``text`` as (kind, value) tokens: "cmd" (a letter command), "esc"
    (an escaped special), "accent", "space" (a spacing command), "bs2"
    (``\\``), "lone" (a backslash that escapes nothing), "dollar", "char"."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\":
            nxt = text[i + 1] if i + 1 < n else ""
            if nxt.isascii() and nxt.isalpha():
                j = i + 1
                while j < n and text[j].isascii() and text[j].isalpha():
                    j += 1
                out.append(("cmd", text[i + 1:j]))
                i = j
                continue
            if nxt == "\\":
                out.append(("bs2", ""))
            elif nxt in _ESCAPED and nxt:
                out.append(("esc", nxt))
            elif nxt in _ACCENTS and nxt:
                out.append(("accent", nxt))
            elif nxt in _SPACING and nxt:
                out.append(("space", nxt))
            else:
                out.append(("lone", ""))
                i += 1
                continue
            i += 2
            continue
        out.append(("dollar", "") if c == "$" else ("char", c))
        i += 1
    return out


def bibtex_escape(text: str) -> str:
    """Make untrusted text safe inside a BibTeX ``{...}`` value while
    keeping the LaTeX a reader expects (math, text styles, accents):
    ``& % #`` are escaped, and outside ``$...$`` ``_`` and ``^`` too; an
    unpaired ``$`` is escaped; commands outside a known set, ``\\`` and a
    lone backslash are written as text; ``^^`` (TeX's way of writing any
    character, a backslash included) is broken up; a brace without a
    partner becomes ``\textbraceleft{}`` / ``\textbraceright{}``, so braces
    always balance whether a parser counts escaped braces (as BibTeX does)
    or not.  :func:`~tui_reader.core.state.importer.bibtex_unescape`
    undoes it."""
    tokens = _tokens(one_line(clean(text)))
    dollars = [i for i, (kind, _) in enumerate(tokens) if kind == "dollar"]
    literal = {dollars[-1]} if len(dollars) % 2 else set()
    out: list[str] = []
    math = False
    for index, (kind, value) in enumerate(tokens):
        backslash = "\\backslash{}" if math else "\\textbackslash{}"
        if kind == "cmd":
            out.append(f"\\{value}" if value in _ALLOWED_COMMANDS else f"{backslash}{value}")
        elif kind in ("esc", "accent", "space"):
            out.append("\\" + value)
        elif kind == "bs2":
            out.append(backslash * 2)
        elif kind == "lone":
            out.append(backslash)
        elif kind == "dollar":
            if index in literal:
                out.append("\\$")
            else:
                math = not math
                out.append("$")
        elif value in "&%#":
            out.append("\\" + value)
        elif value == "_" and not math:
            out.append("\\_")
        elif value == "^":
            if not math:
                out.append("\\^{}")
            elif index + 1 < len(tokens) and tokens[index + 1] == ("char", "^"):
                out.append("^{}")
            else:
                out.append("^")
        else:
            out.append(value)
    return _balance_braces("".join(out))


# Unicode that pdflatex cannot typeset as it is (Greek, math symbols,
# super- and subscript digits): the command of each, from the reader's own
# table (the first name of a character wins: \\leq before \\le).
_UNICODE_COMMANDS: dict[str, str] = {}
for _name, _char in _LATEX_SYMBOLS.items():
    if _name.isalpha() and len(_char) == 1 and not _char.isascii():
        _UNICODE_COMMANDS.setdefault(_char, _name)
_SCRIPTS = {**{c: ("^", d) for c, d in zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ", "0123456789+-=()n")},
            **{c: ("_", d) for c, d in zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎", "0123456789+-=()")}}


def latex_safe(escaped: str) -> str:
    """Escaped text (:func:`bibtex_escape`) with the Unicode pdflatex
    cannot typeset as commands: inside ``$…$`` ``α`` → ``\\alpha``,
    ``≤`` → ``\\leq``, ``²`` → ``^{2}``; outside, the same in
    ``\\ensuremath{…}`` (``\\textsuperscript{2}``).  Accented letters
    (é, ü) stay: pdflatex reads them as UTF-8."""
    out: list[str] = []
    math = False
    i = 0
    while i < len(escaped):
        c = escaped[i]
        if c == "\\":  # a command or an escaped character, as it is
            j = i + 1
            while j < len(escaped) and escaped[j].isascii() and escaped[j].isalpha():
                j += 1
            out.append(escaped[i:max(j, i + 2)])
            i = max(j, i + 2)
            continue
        if c == "$":
            math = not math
        name = _UNICODE_COMMANDS.get(c)
        if name is not None:
            following = escaped[i + 1:i + 2]
            command = f"\\{name}" + (" " if following.isascii() and following.isalpha() else "")
            out.append(command if math else f"\\ensuremath{{\\{name}}}")
        elif c in _SCRIPTS:
            mark, digit = _SCRIPTS[c]
            word = "textsuperscript" if mark == "^" else "textsubscript"
            out.append(f"{mark}{{{digit}}}" if math else f"\\{word}{{{digit}}}")
        else:
            out.append(c)
        i += 1
    return "".join(out)


_CASE_WORD = re.compile(r"(?<![\\\w])([0-9A-Za-z][\w\-']*)")


def protect_case(escaped: str) -> str:
    """Brace the words of an escaped title that a reference manager must
    not lower-case: acronyms and words with a capital after their first
    letter (``{LLM}``, ``{NavFormer}``, ``{GPT-4o}``, ``{3D}``).  Text in
    braces or math is left as it is."""
    out: list[str] = []
    run: list[str] = []
    depth = 0
    math = False
    i = 0

    def flush() -> None:
        if run:
            out.append(_CASE_WORD.sub(_brace_word, "".join(run)))
            run.clear()

    while i < len(escaped):
        c = escaped[i]
        if c == "\\":
            flush()
            j = i + 1
            if j < len(escaped) and escaped[j].isalpha():
                while j < len(escaped) and escaped[j].isalpha():
                    j += 1
            else:
                j += 1
            out.append(escaped[i:j])
            i = j
            continue
        if c == "$" or c in "{}":
            flush()
            if c == "$":
                math = not math
            depth += c == "{"
            depth -= c == "}"
            out.append(c)
        elif depth == 0 and not math:
            run.append(c)
        else:
            out.append(c)
        i += 1
    flush()
    return "".join(out)


def _brace_word(match: re.Match[str]) -> str:
    word = match[1]
    return "{" + word + "}" if any(c.isupper() for c in word[1:]) else word


def _balance_braces(text: str) -> str:
    # Plain braces pair with plain ones, \{ with \}; any left over is replaced.
    bad: set[int] = set()
    stacks: dict[bool, list[int]] = {False: [], True: []}
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] in "{}\\":
            if text[i + 1] == "{":
                stacks[True].append(i)
            elif text[i + 1] == "}":
                if stacks[True]:
                    stacks[True].pop()
                else:
                    bad.add(i)
            i += 2
            continue
        if c == "{":
            stacks[False].append(i)
        elif c == "}":
            if stacks[False]:
                stacks[False].pop()
            else:
                bad.add(i)
        i += 1
    bad.update(stacks[False])
    bad.update(stacks[True])
    if not bad:
        return text
    out = []
    i = 0
    while i < len(text):
        if i in bad:
            escaped = text[i] == "\\"
            brace = text[i + 1] if escaped else text[i]
            out.append("\\textbraceleft{}" if brace == "{" else "\\textbraceright{}")
            i += 2 if escaped else 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)
