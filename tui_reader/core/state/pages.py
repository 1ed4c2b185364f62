"""Reading records straight from a damaged SQLite file's pages, for
salvage: when a table's root or inner page is garbage, SQL reaches none
of the rows below it, though the pages that hold them are whole.

Follows the SQLite file format (https://www.sqlite.org/fileformat.html):
every b-tree page's cells are decoded (overflow chains followed), pages
on the free list are left out (they hold rows deleted on purpose), and
nothing here raises for bad bytes: a cell that does not decode is skipped.
No Textual, no sqlite3 (the file is past what sqlite3 reads).
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

_INDEX_LEAF, _INDEX_INTERIOR, _TABLE_LEAF = 0x0A, 0x02, 0x0D
MAX_PAGES = 1_000_000  # a state store of 4 GB: far beyond any, never walked


def _varint(data: bytes, at: int) -> tuple[int, int]:
    """(value, position after it) of the varint at ``at``."""
    value = 0
    for i in range(8):
        byte = data[at + i]
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    return (value << 8) | data[at + 8], at + 9


def _value(serial: int, data: bytes, at: int) -> tuple[object, int]:
    sizes = {1: 1, 2: 2, 3: 3, 4: 4, 5: 6, 6: 8}
    if serial == 0:
        return None, at
    if serial in sizes:
        size = sizes[serial]
        return int.from_bytes(data[at:at + size], "big", signed=True), at + size
    if serial == 7:
        return struct.unpack(">d", data[at:at + 8])[0], at + 8
    if serial in (8, 9):
        return serial - 8, at
    if serial >= 12:
        size = (serial - 12) // 2
        raw = data[at:at + size]
        if len(raw) != size:
            raise ValueError("cut short")
        return (raw.decode("utf-8") if serial % 2 else raw), at + size
    raise ValueError("reserved serial type")


def decode_record(payload: bytes) -> tuple:
    """The column values of one record (raises ValueError when garbled)."""
    try:
        header_size, at = _varint(payload, 0)
        serials = []
        while at < header_size:
            serial, at = _varint(payload, at)
            serials.append(serial)
        at = header_size
        values = []
        for serial in serials:
            value, at = _value(serial, payload, at)
            values.append(value)
    except (IndexError, UnicodeDecodeError, struct.error) as error:
        raise ValueError(str(error)) from None
    if at > len(payload):
        raise ValueError("cut short")
    return tuple(values)


class PageFile:
    """The pages of one database file (its bytes)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.size = int.from_bytes(data[16:18], "big") if len(data) >= 100 else 0
        if self.size == 1:
            self.size = 65536
        if self.size < 512 or self.size & (self.size - 1):
            self.size = 0  # not a database header: nothing to read
        reserved = data[20] if len(data) > 20 else 0
        self.usable = self.size - reserved
        self.count = min(len(data) // self.size, MAX_PAGES) if self.size else 0

    def page(self, number: int) -> bytes:
        return self.data[(number - 1) * self.size:number * self.size]

    def free_pages(self) -> set[int]:
        """The pages on the free list (trunks and leaves), as far as it reads."""
        found: set[int] = set()
        trunk = int.from_bytes(self.data[32:36], "big") if self.size else 0
        while 0 < trunk <= self.count and trunk not in found:
            found.add(trunk)
            page = self.page(trunk)
            leaves = int.from_bytes(page[4:8], "big")
            for i in range(min(leaves, (self.usable - 8) // 4)):
                found.add(int.from_bytes(page[8 + 4 * i:12 + 4 * i], "big"))
            trunk = int.from_bytes(page[0:4], "big")
        return found

    def records(self) -> Iterator[tuple]:
        """Every record every b-tree page holds (index and table pages),
        free pages left out."""
        free = self.free_pages()
        for number in range(1, self.count + 1):
            if number in free:
                continue
            yield from self._page_records(number)

    def _page_records(self, number: int) -> Iterator[tuple]:
        page = self.page(number)
        start = 100 if number == 1 else 0
        kind = page[start] if len(page) > start else 0
        if kind not in (_INDEX_LEAF, _INDEX_INTERIOR, _TABLE_LEAF):
            return
        header = 12 if kind == _INDEX_INTERIOR else 8
        cells = int.from_bytes(page[start + 3:start + 5], "big")
        for i in range(min(cells, self.size // 4)):
            at = start + header + 2 * i
            offset = int.from_bytes(page[at:at + 2], "big")
            try:
                yield decode_record(self._payload(page, offset, kind))
            except (ValueError, IndexError):
                continue

    def _payload(self, page: bytes, offset: int, kind: int) -> bytes:
        at = offset + (4 if kind == _INDEX_INTERIOR else 0)
        size, at = _varint(page, at)
        if kind == _TABLE_LEAF:
            _rowid, at = _varint(page, at)
        usable = self.usable
        most = (usable - 35) if kind == _TABLE_LEAF else ((usable - 12) * 64 // 255 - 23)
        if size <= most:
            return page[at:at + size]
        least = (usable - 12) * 32 // 255 - 23
        local = least + (size - least) % (usable - 4)
        if local > most:
            local = least
        payload = bytearray(page[at:at + local])
        overflow = int.from_bytes(page[at + local:at + local + 4], "big")
        seen: set[int] = set()
        while len(payload) < size and 0 < overflow <= self.count and overflow not in seen:
            seen.add(overflow)
            chunk = self.page(overflow)
            payload += chunk[4:usable][: size - len(payload)]
            overflow = int.from_bytes(chunk[0:4], "big")
        if len(payload) < size:
            raise ValueError("overflow chain cut short")
        return bytes(payload)
