"""Show simple LaTeX readably in a terminal: ``$\\alpha$-decay`` becomes
``α-decay`` and ``\\textit{Nature}`` becomes ``Nature``.  Anything not
understood is left as written, so nothing is ever lost."""

from __future__ import annotations

import re

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
_BLACKBOARD = {c: chr(0x1D538 + i) for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
_BLACKBOARD.update({"C": "ℂ", "H": "ℍ", "N": "ℕ", "P": "ℙ", "Q": "ℚ", "R": "ℝ", "Z": "ℤ"})
_SUPERSCRIPTS = str.maketrans("0123456789+-=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")
_SUBSCRIPTS = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SCRIPT_SAFE_SUP = set("0123456789+-=()n")
_SCRIPT_SAFE_SUB = set("0123456789+-=()")

# Text-style commands whose argument is shown as is.
_STYLE_COMMANDS = (
    "textit|textbf|emph|mathrm|mathbf|mathit|mathsf|mathtt|text|textrm|texttt|textsf|"
    "operatorname|boldsymbol|bm|mathcal|mathscr|mathfrak|underline|overline|hat|tilde|bar|vec|widetilde|widehat"
)
_STYLE = re.compile(r"\\(?:" + _STYLE_COMMANDS + r")\s*\{([^{}]*)\}")
_MATHBB = re.compile(r"\\mathbb\s*\{([A-Za-z])\}")
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


def _math(body: str) -> str:
    for _ in range(3):  # nested simple constructs
        before = body
        body = _STYLE.sub(r"\1", body)
        body = _OLD_STYLE.sub(r"\1", body)
        body = _MATHBB.sub(lambda m: _BLACKBOARD.get(m[1], m[1]), body)
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


def readable(text: str) -> str:
    """Make simple LaTeX in ``text`` readable; leave the rest untouched."""
    if "$" not in text and "\\" not in text:
        return text
    text = _MATH.sub(_math_or_money, text)
    # Text-mode commands outside math.
    for _ in range(2):
        before = text
        text = _STYLE.sub(r"\1", text)
        if text == before:
            break
    return text
