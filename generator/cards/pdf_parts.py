"""Reading the card PDFs Typst writes, just enough to copy their pages into a deck.

A part is one group's PDF. Its objects are found through its cross-reference sections
(pdf_xref.py: classic tables or cross-reference streams, incremental updates too): an
object is at an offset in the file (`n 0 obj` ... `endobj`) or inside an object stream,
which is decoded once and kept while the part is. Only the few objects that hold the
structure (trailer, catalog, page tree, pages) are parsed; every other object is copied
as bytes, its references renumbered (pdf_values.py). What this reader does not
understand (an encrypted part, a filter other than Flate on a stream it must read, a
page without its own boxes) is a `PartError`: the parts come from our own templates, so
that is a bug, never a playbook's doing.
"""

from __future__ import annotations

import itertools
import re

from .pdf_streams import decoded, raw
from .pdf_values import HEADER, SPACE, PartError, Ref, Renumber, Value, copy, dump, value
from .pdf_xref import InFile, InStream, read

__all__ = ["Part", "PartError", "Ref", "Renumber", "Value", "copy", "dump"]

# where an object's value is: (the bytes it is in, where it starts, where it ends)
Span = tuple[bytes, int, int]
PAIRS = re.compile(rb"\s*(\d+)\s+(\d+)")


class Part:
    """One PDF, its objects found by its cross-reference sections."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        xref = read(data)
        if b"/Encrypt" in xref.trailer:
            raise PartError("an encrypted part")
        self.locations, self.trailer = xref.locations, xref.trailer
        # an object in the file ends where the next thing a section names begins
        starts = sorted({*xref.starts, len(data)})
        self.ends = dict(itertools.pairwise(starts))
        self.object_streams: dict[int, tuple[bytes, list[tuple[int, int]]]] = {}

    def body(self, number: int) -> Span:
        """Where object `number`'s value is: in the file, up to its `endobj` (the last one
        before the next object: stream data may hold anything), or in its object stream."""
        where = self.locations.get(number)
        if where is None:
            raise PartError(f"object {number} is missing")
        if isinstance(where, InStream):
            return self._compressed(number, where)
        return self._in_file(number, where)

    def _in_file(self, number: int, where: InFile) -> Span:
        header = HEADER.match(self.data, where.offset)
        if header is None or int(header.group(1)) != number:
            raise PartError(f"object {number} is not where the table says")
        end = self.data.rfind(b"endobj", header.end(), self.ends.get(where.offset, 0))
        if end < 0:
            raise PartError(f"object {number} does not end")
        start = SPACE.match(self.data, header.end())
        assert start is not None  # \s* always matches
        return self.data, start.end(), end

    def _compressed(self, number: int, where: InStream) -> Span:
        data, bounds = self._object_stream(where.stream)
        if where.index >= len(bounds) or bounds[where.index][0] != number:
            raise PartError(f"object {number} is not where the table says")
        _, start = bounds[where.index]
        following = bounds[where.index + 1][1] if where.index + 1 < len(bounds) else len(data)
        begin = SPACE.match(data, start)
        assert begin is not None
        return data, begin.end(), following

    def _object_stream(self, number: int) -> tuple[bytes, list[tuple[int, int]]]:
        """An object stream's data, and each of its objects' number and start."""
        if number not in self.object_streams:
            if not isinstance(self.locations.get(number), InFile):
                raise PartError(f"object stream {number} is missing")
            entries, data = self._stream(number)
            count, first = entries.get(b"/N"), entries.get(b"/First")
            if not (isinstance(count, bytes) and count.isdigit()):
                raise PartError("an object stream without /N")
            if not (isinstance(first, bytes) and first.isdigit()):
                raise PartError("an object stream without /First")
            bounds, pos = [], 0
            for _ in range(int(count)):
                pair = PAIRS.match(data, pos, int(first))
                if pair is None:
                    raise PartError("an object stream's header is broken")
                bounds.append((int(pair.group(1)), int(first) + int(pair.group(2))))
                pos = pair.end()
            self.object_streams[number] = data, bounds
        return self.object_streams[number]

    def _stream(self, number: int) -> tuple[dict[bytes, Value], bytes]:
        data, start, _ = self.body(number)
        entries, pos = value(data, start)
        if not isinstance(entries, dict):
            raise PartError(f"object {number} is not a stream")
        length = entries.get(b"/Length")
        if isinstance(length, Ref):
            length = self.parsed(length.number)
        if not isinstance(length, bytes) or not length.isdigit():
            raise PartError(f"stream {number} without its length")
        return entries, decoded(entries, raw(data, pos, int(length)))

    def stream(self, number: int) -> bytes:
        """Stream `number`'s data, decoded."""
        return self._stream(number)[1]

    def copied(self, number: int, renumber: Renumber) -> bytes:
        """Object `number`'s value, its references renumbered, its stream data as it is."""
        data, start, end = self.body(number)
        copied, stop = copy(data, start, end, renumber)
        return copied + data[stop:end].rstrip()

    def parsed(self, number: int) -> Value:
        data, start, _ = self.body(number)
        parsed, _ = value(data, start)
        return parsed

    def dictionary(self, ref: Value | None) -> dict[bytes, Value]:
        found = self.parsed(ref.number) if isinstance(ref, Ref) else ref
        if not isinstance(found, dict):
            raise PartError("a dictionary was expected")
        return found

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
