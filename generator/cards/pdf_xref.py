"""Where a PDF's objects are: its cross-reference sections, newest first.

A PDF lists its objects in a classic table (`xref`) or, from PDF 1.5, in a
cross-reference stream (/Type/XRef: rows of /W byte widths for the /Index ranges,
usually Flate-compressed with a PNG predictor). An object is at an offset in the file,
or the n-th in an object stream (/Type/ObjStm). An incremental update appends a
section whose /Prev is the one before, and a hybrid file's table names a stream
(/XRefStm) with the objects only PDF 1.5 readers see. The newest entry for a number
wins, a free one too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeAlias

from .pdf_streams import decoded, raw
from .pdf_values import HEADER, PartError, Value, value

XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])[ \r\n]*")
XREF_SECTION = re.compile(rb"\s*(\d+)[ \t]+(\d+)[ \t]*[\r\n]+")
TRAILER = re.compile(rb"\s*trailer")
MOST_SECTIONS = 256  # a /Prev chain longer than this is taken for a loop


@dataclass(frozen=True)
class InFile:
    offset: int


@dataclass(frozen=True)
class InStream:
    stream: int  # the object stream's number
    index: int  # the object's place in it


Location: TypeAlias = "InFile | InStream | None"  # None: free


@dataclass(frozen=True)
class Xref:
    locations: dict[int, InFile | InStream]
    trailer: dict[bytes, Value]  # the newest section's (its /Root, /Info)
    # every offset any section names, and where each section is: where an object ends
    starts: frozenset[int]


def read(data: bytes) -> Xref:
    """The objects' locations, from the last `startxref` back through every update."""
    try:
        start = int(data[data.rindex(b"startxref") + 9 :].split()[0])
    except (ValueError, IndexError):
        raise PartError("no startxref") from None
    locations: dict[int, Location] = {}
    starts: set[int] = set()
    trailer: dict[bytes, Value] | None = None
    pending, seen = [start], set[int]()
    while pending:
        at = pending.pop(0)
        if at in seen or len(seen) >= MOST_SECTIONS:
            raise PartError("the cross-reference sections run in a loop")
        seen.add(at)
        starts.add(at)
        entries, section = _section(data, at)
        trailer = section if trailer is None else trailer
        for number, where in entries:
            locations.setdefault(number, where)
            if isinstance(where, InFile):
                starts.add(where.offset)
        # a hybrid file's stream comes before the older sections
        pending = [*_offsets(section, b"/XRefStm"), *_offsets(section, b"/Prev"), *pending]
    assert trailer is not None  # one section at least
    found = {number: where for number, where in locations.items() if where is not None}
    return Xref(found, trailer, frozenset(starts))


def _offsets(section: dict[bytes, Value], key: bytes) -> list[int]:
    offset = section.get(key)
    if offset is None:
        return []
    if not isinstance(offset, bytes) or not offset.isdigit():
        raise PartError(f"a cross-reference {key.decode()} is not an offset")
    return [int(offset)]


Entries: TypeAlias = "list[tuple[int, Location]]"


def _section(data: bytes, at: int) -> tuple[Entries, dict[bytes, Value]]:
    """One section's entries and its trailer (a stream's dictionary is its trailer)."""
    if data.startswith(b"xref", at):
        return _table(data, at + 4)
    header = HEADER.match(data, at)
    if header is None:
        raise PartError("no cross-reference table or stream where startxref says")
    section, pos = value(data, header.end())
    if not isinstance(section, dict) or section.get(b"/Type") != b"/XRef":
        raise PartError("no cross-reference table or stream where startxref says")
    length = section.get(b"/Length")
    if not isinstance(length, bytes) or not length.isdigit():
        raise PartError("a cross-reference stream without its length")
    rows = decoded(section, raw(data, pos, int(length)))
    return list(_rows(section, rows)), section


def _table(data: bytes, pos: int) -> tuple[Entries, dict[bytes, Value]]:
    entries: Entries = []
    while section := XREF_SECTION.match(data, pos):
        first, count = int(section.group(1)), int(section.group(2))
        pos = section.end()
        for index in range(count):
            entry = XREF_ENTRY.match(data, pos)
            if entry is None:
                raise PartError("a broken cross-reference table")
            used = entry.group(3) == b"n"
            entries.append((first + index, InFile(int(entry.group(1))) if used else None))
            pos = entry.end()
    found = TRAILER.match(data, pos)
    if found is None:
        raise PartError("no trailer")
    trailer, _ = value(data, found.end())
    if not isinstance(trailer, dict):
        raise PartError("no trailer")
    return entries, trailer


def _numbers(section: dict[bytes, Value], key: bytes) -> list[int] | None:
    found = section.get(key)
    if found is None:
        return None
    if not isinstance(found, list) or not all(isinstance(v, bytes) and v.isdigit() for v in found):
        raise PartError(f"a cross-reference stream's {key.decode()} is not numbers")
    return [int(v) for v in found if isinstance(v, bytes)]


def _rows(section: dict[bytes, Value], rows: bytes) -> Iterator[tuple[int, Location]]:
    """A cross-reference stream's entries: (type, field 2, field 3) rows of /W widths,
    numbered by the /Index ranges (default: 0 to /Size)."""
    widths = _numbers(section, b"/W")
    if widths is None or len(widths) != 3:
        raise PartError("a cross-reference stream without /W")
    total = section.get(b"/Size")
    if not isinstance(total, bytes) or not total.isdigit():
        raise PartError("a cross-reference stream without /Size")
    index = _numbers(section, b"/Index") or [0, int(total)]
    row = sum(widths)
    at = 0
    for first, count in zip(index[::2], index[1::2], strict=True):
        for number in range(first, first + count):
            if at + row > len(rows):
                raise PartError("a cross-reference stream ends early")
            fields, pos = [], at
            for width in widths:
                fields.append(int.from_bytes(rows[pos : pos + width], "big"))
                pos += width
            kind = fields[0] if widths[0] else 1
            at += row
            if kind == 1:
                yield number, InFile(fields[1])
            elif kind == 2:
                yield number, InStream(fields[1], fields[2])
            else:  # free, or a type no reader knows: the null object
                yield number, None
