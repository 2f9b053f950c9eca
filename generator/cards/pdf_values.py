"""PDF syntax, just enough to copy objects: values parsed, references renumbered.

Only the few objects that hold the structure (trailer, catalog, page tree, pages) are
parsed (`value`); every other object is copied as bytes, its references renumbered on
the way (`copy`), its stream data untouched. Strings and comments are skipped while
looking for references, so no text can pass for one.
"""

from __future__ import annotations

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


class PartError(Failure):
    """Raised when a part is not a PDF this reader understands; the deck reports it as a
    problem (the parts come from our own templates: a bug, never a playbook's doing)."""


@dataclass(frozen=True)
class Ref:
    number: int


Value: TypeAlias = "Ref | bytes | list[Value] | dict[bytes, Value]"
Renumber = Callable[[int], int]


def string_end(data: bytes, pos: int) -> int:
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
            pos = string_end(data, found.start())
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


def value(data: bytes, pos: int) -> tuple[Value, int]:
    """One value from `data[pos:]` (a small structural object) and the position after it."""
    token = TOKEN.match(data, pos)
    if token is None:
        raise PartError("unexpected end of an object")
    comment, opens, _, hexa, string, array, _, name, word = token.groups()
    pos = token.end()
    if comment:
        return value(data, pos)
    if opens:
        return _dictionary(data, pos)
    if array:
        items: list[Value] = []
        while not (close := TOKEN.match(data, pos)) or not close.group(7):
            item, pos = value(data, pos)
            items.append(item)
        return items, close.end()
    if string:
        end = string_end(data, token.start(5))
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
        entries[token.group(8)], pos = value(data, token.end())


def dump(value: Value, renumber: Renumber) -> bytes:
    """A parsed value written back, its references renumbered."""
    if isinstance(value, Ref):
        return b"%d 0 R" % renumber(value.number)
    if isinstance(value, list):
        return b"[" + b" ".join(dump(item, renumber) for item in value) + b"]"
    if isinstance(value, dict):
        return b"<<" + b"".join(k + b" " + dump(v, renumber) for k, v in value.items()) + b">>"
    return value
