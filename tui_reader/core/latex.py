"""Show simple LaTeX readably in a terminal: ``$\\alpha$-decay`` becomes
``α-decay`` and ``\\textit{Nature}`` becomes ``Nature``.  Anything not
understood is left as written, so nothing is ever lost."""

from __future__ import annotations

import re
import unicodedata

_SYMBOLS: dict[str, str] = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "φ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π",
    "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    # Operators and relations
    "times": "×", "cdot": "·", "pm": "±", "mp": "∓", "leq": "≤", "le": "≤", "geq": "≥",
    "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡",
    "propto": "∝", "infty": "∞", "partial": "∂", "nabla": "∇", "sum": "∑", "prod": "∏",
    "int": "∫", "oint": "∮", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆",
    "supset": "⊃", "cup": "∪", "cap": "∩", "emptyset": "∅", "forall": "∀", "exists": "∃",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒", "Leftarrow": "⇐",
    "leftrightarrow": "↔", "mapsto": "↦", "langle": "⟨", "rangle": "⟩", "ell": "ℓ",
    "hbar": "ℏ", "otimes": "⊗", "oplus": "⊕", "circ": "∘", "star": "⋆", "dagger": "†",
    "ldots": "…", "dots": "…", "cdots": "⋯", "sqrt": "√", "log": "log", "ln": "ln",
    "exp": "exp", "sin": "sin", "cos": "cos", "max": "max", "min": "min", "lim": "lim",
    "%": "%", "&": "&", "_": "_", "#": "#", "$": "$", "{": "{", "}": "}", ",": " ", ";": " ",
    "quad": " ", "qquad": "  ",
}
_SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SCRIPT_SAFE_SUP = set("0123456789+-=()n")
_SCRIPT_SAFE_SUB = set("0123456789+-=()")

# Text-style commands whose argument is shown as is.
_STYLE_COMMANDS = (
    "textit|textbf|emph|mathrm|mathbf|mathit|mathsf|mathtt|text|textrm|texttt|textsf|"
    "operatorname|boldsymbol|bm|underline"
)
# Accents over one letter become the letter with a combining mark (\bar{q}
# → q̄); over more letters, a bar or line goes over each, other accents
# stay as written.
_ACCENTS = {
    "bar": "\u0304", "overline": "\u0305", "hat": "\u0302", "widehat": "\u0302", "tilde": "\u0303",
    "widetilde": "\u0303", "vec": "\u20d7", "dot": "\u0307", "ddot": "\u0308", "check": "\u030c",
    "breve": "\u0306", "acute": "\u0301", "grave": "\u0300",
}
_OVER_EACH = {"bar", "overline"}
_ACCENT = re.compile(r"\\(" + "|".join(sorted(_ACCENTS, key=len, reverse=True)) + r")\s*(?:\{([^{}]*)\}|([A-Za-z0-9]))")
# Text accents in names and words: \"o → ö, \'e → é, \c{c} → ç.
_TEXT_ACCENTS = {'"': "\u0308", "'": "\u0301", "`": "\u0300", "^": "\u0302", "~": "\u0303", "=": "\u0304",
                 ".": "\u0307", "u": "\u0306", "v": "\u030c", "H": "\u030b", "c": "\u0327", "k": "\u0328"}
_TEXT_ACCENT = re.compile(r"\\([\"'`^~=.]|[uvHck](?=\s*\{))\s*(?:\{\\?([A-Za-z])\}|([A-Za-z]))")
_LETTER_STYLES = {
    # \mathcal / \mathscr: script capitals; \mathfrak: Fraktur; \mathbb: double-struck.
    "mathcal": (0x1D49C, {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ"}),
    "mathscr": (0x1D49C, {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ"}),
    "mathfrak": (0x1D504, {"C": "ℭ", "H": "ℌ", "I": "ℑ", "R": "ℜ", "Z": "ℨ"}),
    "mathbb": (0x1D538, {"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"}),
}
_LETTERS = re.compile(r"\\(mathcal|mathscr|mathfrak|mathbb)\s*(?:\{([A-Za-z0-9 ]*)\}|([A-Za-z]))")
_DASHES = re.compile(r"(?<![-!<])-{2,3}(?![->])")
_STYLE = re.compile(r"\\(?:" + _STYLE_COMMANDS + r")\s*\{([^{}]*)\}")
_FRAC = re.compile(r"\\[dt]?frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}")
_SQRT = re.compile(r"\\sqrt\s*\{([^{}]*)\}")
_COMMAND = re.compile(r"\\([A-Za-z]+|[%&_#${},;])")
_SUP = re.compile(r"\^(?:\{([^{}]*)\}|([0-9n+\-]))")
_SUB = re.compile(r"_(?:\{([^{}]*)\}|([0-9]))")
_MATH = re.compile(r"(?<!\\)\$\$?([^$]+?)\$\$?")
_OLD_STYLE = re.compile(r"\{\\(?:cal|bf|it|rm|sf|tt|em)\s+([^{}]*)\}")
_MATHY = re.compile(r"[\\^_{}=<>]")


def _script(match: re.Match[str], safe: set[str], table: dict[int, str], mark: str) -> str:
    body = match[1] if match[1] is not None else match[2]
    if body and all(c in safe for c in body):
        return body.translate(table)
    return f"{mark}{body}" if len(body) == 1 else f"{mark}({body})"


def _letters(match: re.Match[str]) -> str:
    body = match[2] if match[2] is not None else match[3]
    start, holes = _LETTER_STYLES[match[1]]
    out = []
    for char in body:
        if char in holes:
            out.append(holes[char])
        elif "A" <= char <= "Z":
            out.append(chr(start + ord(char) - ord("A")))
        elif match[1] == "mathbb" and char.isdigit():
            out.append(chr(0x1D7D8 + int(char)))
        elif char == " ":
            continue
        else:
            return match[0]  # lower case and the rest: as written
    return "".join(out)


def _accent(match: re.Match[str]) -> str:
    body = match[2] if match[2] is not None else match[3]
    body = _COMMAND.sub(lambda m: _SYMBOLS.get(m[1], m[0]), body.strip())
    mark = _ACCENTS[match[1]]
    if len(body) == 1:
        return body + mark
    if match[1] in _OVER_EACH and body and "\\" not in body:
        return "".join(c + mark for c in body)
    return match[0]


def _text_accent(match: re.Match[str]) -> str:
    letter = match[2] or match[3]
    return unicodedata.normalize("NFC", letter + _TEXT_ACCENTS[match[1]])


def _math(body: str) -> str:
    for _ in range(3):  # nested simple constructs
        before = body
        body = _STYLE.sub(r"\1", body)
        body = _OLD_STYLE.sub(r"\1", body)
        body = _LETTERS.sub(_letters, body)
        body = _ACCENT.sub(_accent, body)
        body = _SUP.sub(lambda m: _script(m, _SCRIPT_SAFE_SUP, _SUPERSCRIPTS, "^"), body)
        body = _SUB.sub(lambda m: _script(m, _SCRIPT_SAFE_SUB, _SUBSCRIPTS, "_"), body)
        body = _FRAC.sub(lambda m: f"{m[1]}/{m[2]}" if len(m[1]) + len(m[2]) < 8 else f"({m[1]})/({m[2]})", body)
        body = _SQRT.sub(r"√(\1)", body)
        if body == before:
            break
    body = _COMMAND.sub(lambda m: _SYMBOLS.get(m[1], m[0]), body)
    body = _SUP.sub(lambda m: _script(m, _SCRIPT_SAFE_SUP, _SUPERSCRIPTS, "^"), body)
    body = _SUB.sub(lambda m: _script(m, _SCRIPT_SAFE_SUB, _SUBSCRIPTS, "_"), body)
    return body


def _math_or_money(match: re.Match[str]) -> str:
    body = match[1]
    # "$5 and $10" is money, not math: math has LaTeX syntax or is short.
    if _MATHY.search(body) or len(body.strip()) <= 3:
        return _math(body)
    return match[0]


def _text_mode(text: str) -> str:
    """Outside math: text accents, styles, accents, dashes."""
    if "\\" in text:
        text = _TEXT_ACCENT.sub(_text_accent, text)
        for _ in range(2):
            before = text
            text = _STYLE.sub(r"\1", text)
            text = _LETTERS.sub(_letters, text)
            text = _ACCENT.sub(_accent, text)
            if text == before:
                break
    if "--" in text:
        text = _DASHES.sub(lambda m: "—" if len(m[0]) == 3 else "–", text)
    return text


def readable(text: str) -> str:
    """Make simple LaTeX in ``text`` readable; leave the rest untouched."""
    if "$" not in text and "\\" not in text and "--" not in text:
        return text
    if "$" not in text:
        return _text_mode(text)
    # Math is made readable on its own; dashes and text commands only outside it.
    out = []
    position = 0
    for match in _MATH.finditer(text):
        out.append(_text_mode(text[position:match.start()]))
        out.append(_math_or_money(match))
        position = match.end()
    out.append(_text_mode(text[position:]))
    return "".join(out)
