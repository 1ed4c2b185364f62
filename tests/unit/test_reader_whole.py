"""The whole-file read of core.reader gives what the line-by-line read
gives: the same entries, problems and digest (issue 27's fast path)."""

from __future__ import annotations

import dataclasses

import pytest

from tests.support import EMBEDDED
from tui_reader.core import reader


def _both(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    fast = reader.parse_bytes(data, "x/2026-01-02.md")
    with monkeypatch.context() as patch:
        patch.setattr(reader._Reading, "take", lambda self, data: False)
        slow = reader.parse_bytes(data, "x/2026-01-02.md")
    return fast, slow


def _inputs() -> list[bytes]:
    samples = [path.read_bytes() for path in sorted(EMBEDDED.rglob("*")) if path.suffix in (".md", ".jsonl")]
    head = samples[0]
    return samples + [
        b"", b"\n", b"\n\n", head + b"\n\n", head.rstrip(b"\n"), b"\xef\xbb\xbf" + head,
        head.replace(b"\n", b"\r\n"), head + b"\x00\x00", head[:1000] + b"\xff" + head[1000:],
        head.replace(b"\n", b"\n\t\x1b[31m", 5), b"\xef\xbb\xbf", b"### [1] [T](https://arxiv.org/abs/2601.00001)\n",
    ]


@pytest.mark.parametrize("index", range(len(_inputs())))
def test_whole_file_read_matches_line_by_line(index: int, monkeypatch: pytest.MonkeyPatch) -> None:
    fast, slow = _both(_inputs()[index], monkeypatch)
    assert dataclasses.asdict(fast) == dataclasses.asdict(slow)
