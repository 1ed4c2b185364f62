"""A hostile digest, in both formats: every paper field holds markup,
terminal control sequences, invisible characters, or is absurdly long.

"pwned" only ever appears *inside* a control sequence (a title change, a
clipboard write, an OSC 8 link target), so if the word reaches a widget, an
export or the terminal, a sequence got through."""

from __future__ import annotations

import json
from pathlib import Path

PAYLOAD = "pwned"
# Each part is visible text wrapped around a sequence that must vanish.
MARKUP = "[bold red]x[/] [link=https://evil.example]click[/link] [/] [@click=app.quit]q[/]"
CONTROLS = (
    "\x1b]0;pwned-title\x07"  # OSC 0: set the window title
    "\x1b]52;c;cHduZWQ=\x07"  # OSC 52: write "pwned" to the clipboard
    "\x1b[2J"  # CSI: clear the screen
    "\x1b]8;;https://pwned.example/\x1b\\osc8link\x1b]8;;\x1b\\"  # OSC 8 hyperlink
    "\x07"  # BEL
    "\x9b31m"  # 8-bit CSI
    "\x1b]0;pwned-st\x9c"  # OSC ended by an 8-bit ST
)
INVISIBLE = "zero\u200bwidth \u202eevil-rtl\u202c \u2066iso\u2069 bom\ufeff"
EVIL = f"{MARKUP} {CONTROLS} {INVISIBLE}"

# What must survive, literally, in every field holding EVIL.
LITERALS = ("[bold red]x[/]", "[link=https://evil.example]click[/link]", "[/]", "[@click=app.quit]q[/]")
VISIBLE = ("osc8link", "zerowidth", "evil-rtl", "iso")
# What must never get through.
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\x9c", "\u200b", "\u202e", "\u2066", "\ufeff", PAYLOAD)

HOSTILE_ID = "2603.66601"
LONG_ID = "2603.66602"
LONG_TITLE = "A " + "Very " * 2000 + "Long Title [end]"
MANY_AUTHORS = [f"Author{i} [b]{i}[/b]" for i in range(1500)]
DATE = "2026-03-05"

FIELDS = ("tldr", "motivation", "method", "result", "conclusion")


def _md_paper(number: int, paper_id: str, title: str, authors: list[str], category: str,
              ai: dict[str, str], abstract: str) -> str:
    return (
        f"### [{number}] [{title}](https://arxiv.org/abs/{paper_id})\n"
        f"*{','.join(authors)}*\n\n"
        f"Main category: {category}\n\n"
        f"TL;DR: {ai['tldr']}\n\n\n"
        "<details>\n  <summary>Details</summary>\n"
        f"Motivation: {ai['motivation']}\n\n"
        f"Method: {ai['method']}\n\n"
        f"Result: {ai['result']}\n\n"
        f"Conclusion: {ai['conclusion']}\n\n"
        f"Abstract: {abstract}\n\n"
        "</details>\n\n\n"
    )


def ai_fields(tag: str) -> dict[str, str]:
    return {name: f"{name.upper()}-{tag} {EVIL}" for name in FIELDS}


def markdown_digest() -> str:
    head = (
        "<div id=toc></div>\n\n# Table of Contents\n\n"
        "- [cs.CL](#cs.CL) [Total: 2]\n\n\n"
        "<div id='cs.CL'></div>\n\n# cs.CL [[Back]](#toc)\n\n"
    )
    return (
        head
        + _md_paper(1, HOSTILE_ID, f"Hostile Title {EVIL}", [f"Mallory {EVIL}", "Eve [i]x[/i]"], "cs.CL",
                    ai_fields("md"), f"ABSTRACT {EVIL}")
        + _md_paper(2, LONG_ID, LONG_TITLE, MANY_AUTHORS, "cs.CL", ai_fields("long"), "Long abstract. " * 500)
    )


def jsonl_digest() -> str:
    records = [
        {
            "id": HOSTILE_ID,
            "title": f"Hostile Title {EVIL}",
            "authors": [f"Mallory {EVIL}", "Eve [i]x[/i]"],
            "categories": ["cs.CL", f"cs.AI{CONTROLS}", "[bold]cs.XX[/]"],
            "summary": f"ABSTRACT {EVIL}",
            "abs": f"https://arxiv.org/abs/{HOSTILE_ID}",
            "pdf": f"https://arxiv.org/pdf/{HOSTILE_ID}",
            "comment": f"COMMENT {EVIL}",
            "AI": ai_fields("jsonl"),
        },
        {
            "id": LONG_ID,
            "title": LONG_TITLE,
            "authors": MANY_AUTHORS,
            "categories": ["cs.CL"],
            "summary": "Long abstract. " * 500,
            "comment": None,
            "AI": ai_fields("long"),
        },
    ]
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def write_markdown(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{DATE}.md"
    path.write_text(markdown_digest(), encoding="utf-8")
    return path


def write_jsonl(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{DATE}_AI_enhanced_English.jsonl"
    path.write_text(jsonl_digest(), encoding="utf-8")
    return path


def assert_clean(text: str, where: str = "") -> None:
    for bad in FORBIDDEN:
        assert bad not in text, f"{bad!r} reached {where or 'the output'}"
