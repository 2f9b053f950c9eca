"""Reading the card PDFs Typst writes, just enough to copy their pages into a deck.

A part is one group's PDF: a classic cross-reference table, one object per `obj`. Only
the few objects that hold the structure (trailer, catalog, page tree, pages) are parsed;
every other object is copied as bytes, its references renumbered on the way (`copy`),
its stream data untouched. Strings and comments are skipped while looking for
references, so no text can pass for one. Anything else (object streams, a
cross-reference stream, a page without its own boxes) is a `PartError`: the parts
come from our own templates, so that is a bug, never a playbook's doing.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

from ..errors import Failure

DELIMITED = rb"[^\s()<>\[\]{}/%]"  # a character that belongs to a number, name or keyword
TOKEN = re.compile(
    rb"\s*(?:(%[^\r\n]*)|(<<)|(>>)|(<[^<>]*>)|(\()|(\[)|(\])|(/" + DELIMITED + rb"*)|("
    + DELIMITED + rb"+))"
)  # fmt: skip
# what matters while copying: strings and comments (skipped), dictionaries (counted), references
SCAN = re.compile(
    rb"(\()|(%)|(<<)|(>>)|<[^<>]*>|(?<!" + DELIMITED + rb")(\d+)\s+(\d+)\s+R(?!" + DELIMITED + rb")"
)
REF_TAIL = re.compile(rb"\s+(\d+)\s+R(?!" + DELIMITED + rb")")
STRING_PART = re.compile(rb"[()\\]")
SPACE = re.compile(rb"\s*")
HEADER = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
XREF_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])")
XREF_SECTION = re.compile(rb"\s*(\d+) (\d+)\s")


class PartError(Failure):
    """Raised when a part is not a PDF of the shape Typst writes; the deck reports it as a
    problem."""


@dataclass(frozen=True)
class Ref:
    number: int


Value: TypeAlias = "Ref | bytes | list[Value] | dict[bytes, Value]"
Renumber = Callable[[int], int]


def _string_end(data: bytes, pos: int) -> int:
    """The position after the literal string that starts at `data[pos]` (`(`)."""
    depth = 0
    while True:
        found = STRING_PART.search(data, pos)
        if found is None:
            raise PartError("a string does not end")
        char, pos = found.group(), found.end()
        if char == b"\\":
            pos += 1
        elif char == b"(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return pos


def copy(data: bytes, start: int, end: int, number: Renumber) -> tuple[bytes, int]:
    """`data[start:end]` with each reference renumbered by `number`, up to the end of the
    first complete value if it is a dictionary (where a stream may follow); and where it
    stopped."""
    out: list[bytes] = []
    pos = done = start
    depth = 0
    starts_dict = data.startswith(b"<<", start)
    while True:
        found = SCAN.search(data, pos, end)
        if found is None:
            break
        string, comment, opens, closes, old = found.group(1, 2, 3, 4, 5)
        if string:
            pos = _string_end(data, found.start())
        elif comment:
            line_end = data.find(b"\n", found.end(), end)
            pos = end if line_end < 0 else line_end
        elif old:
            out += [data[done : found.start()], b"%d 0 R" % number(int(old))]
            pos = done = found.end()
        else:  # a dictionary's bounds, or a hex string (skipped)
            depth += 1 if opens else -1 if closes else 0
            pos = found.end()
            if starts_dict and depth == 0:
                break
    out.append(data[done:pos])
    return b"".join(out), pos


def _value(data: bytes, pos: int) -> tuple[Value, int]:
    """One value from `data[pos:]` (a small structural object) and the position after it."""
    token = TOKEN.match(data, pos)
    if token is None:
        raise PartError("unexpected end of an object")
    comment, opens, _, hexa, string, array, _, name, word = token.groups()
    pos = token.end()
    if comment:
        return _value(data, pos)
    if opens:
        return _dictionary(data, pos)
    if array:
        items: list[Value] = []
        while not (close := TOKEN.match(data, pos)) or not close.group(7):
            item, pos = _value(data, pos)
            items.append(item)
        return items, close.end()
    if string:
        end = _string_end(data, token.start(5))
        return data[token.start(5) : end], end
    if word and word.isdigit():  # a number, or the start of a reference
        ref = REF_TAIL.match(data, pos)
        if ref:
            return Ref(int(word)), ref.end()
    if hexa or name or word:
        return token.group(token.lastindex or 0), pos
    raise PartError("unexpected token in an object")


def _dictionary(data: bytes, pos: int) -> tuple[dict[bytes, Value], int]:
    entries: dict[bytes, Value] = {}
    while True:
        token = TOKEN.match(data, pos)
        if token is None:
            raise PartError("a dictionary does not end")
        if token.group(3):
            return entries, token.end()
        if not token.group(8):
            raise PartError("a dictionary key is not a name")
        entries[token.group(8)], pos = _value(data, token.end())


class Part:
    """One PDF, its objects found by the cross-reference table."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offsets = self._xref()
        # each object ends where the next begins (or the table)
        starts = [*sorted(self.offsets.values()), self.xref_at]
        following = dict(itertools.pairwise(starts))
        self.ends = {n: following.get(at, len(data)) for n, at in self.offsets.items()}
        trailer = self.data.find(b"trailer", self.xref_at)
        if trailer < 0:
            raise PartError("no trailer")
        self.trailer, _ = _value(data, trailer + len(b"trailer"))

    def _xref(self) -> dict[int, int]:
        try:
            start = int(self.data[self.data.rindex(b"startxref") + 9 :].split()[0])
        except (ValueError, IndexError):
            raise PartError("no startxref") from None
        self.xref_at = start
        if not self.data.startswith(b"xref", start):
            raise PartError("not a classic cross-reference table")
        offsets: dict[int, int] = {}
        pos = start + 4
        while section := XREF_SECTION.match(self.data, pos):
            first, count = int(section.group(1)), int(section.group(2))
            pos = section.end()
            for index in range(count):
                entry = XREF_ENTRY.match(self.data, pos)
                if entry is None:
                    raise PartError("a broken cross-reference table")
                if entry.group(3) == b"n":
                    offsets[first + index] = int(entry.group(1))
                pos = self.data.find(b"\n", entry.end()) + 1
        return offsets

    def body(self, number: int) -> tuple[int, int]:
        """Where object `number`'s value starts, and where its `endobj` is: the last one
        before the next object (stream data may hold anything)."""
        if number not in self.offsets:
            raise PartError(f"object {number} is missing")
        header = HEADER.match(self.data, self.offsets[number])
        if header is None or int(header.group(1)) != number:
            raise PartError(f"object {number} is not where the table says")
        end = self.data.rfind(b"endobj", header.end(), self.ends[number])
        if end < 0:
            raise PartError(f"object {number} does not end")
        start = SPACE.match(self.data, header.end())
        assert start is not None  # \s* always matches
        return start.end(), end

    def copied(self, number: int, renumber: Renumber) -> bytes:
        """Object `number`'s value, its references renumbered, its stream data as it is."""
        start, end = self.body(number)
        value, stop = copy(self.data, start, end, renumber)
        return value + self.data[stop:end].rstrip()

    def parsed(self, number: int) -> Value:
        start, _ = self.body(number)
        value, _ = _value(self.data, start)
        return value

    def dictionary(self, ref: Value | None) -> dict[bytes, Value]:
        value = self.parsed(ref.number) if isinstance(ref, Ref) else ref
        if not isinstance(value, dict):
            raise PartError("a dictionary was expected")
        return value

    def pages(self) -> list[int]:
        """The numbers of the page objects, in order."""
        catalog = self.dictionary(self.dictionary(self.trailer).get(b"/Root"))
        return self._kids(catalog.get(b"/Pages"), depth=0)

    def _kids(self, node: Value | None, depth: int) -> list[int]:
        if not isinstance(node, Ref) or depth > 32:
            raise PartError("a broken page tree")
        entries = self.dictionary(node)
        if entries.get(b"/Type") == b"/Page":
            return [node.number]
        kids = entries.get(b"/Kids")
        if not isinstance(kids, list):
            raise PartError("a page tree node without kids")
        return [page for kid in kids for page in self._kids(kid, depth + 1)]


def dump(value: Value, renumber: Renumber) -> bytes:
    """A parsed value written back, its references renumbered."""
    if isinstance(value, Ref):
        return b"%d 0 R" % renumber(value.number)
    if isinstance(value, list):
        return b"[" + b" ".join(dump(item, renumber) for item in value) + b"]"
    if isinstance(value, dict):
        return b"<<" + b"".join(k + b" " + dump(v, renumber) for k, v in value.items()) + b">>"
    return value
