"""Card pages from many PDFs -> one deck, streamed: each part is read, copied and let go.

Typst lays out the cards in groups (one PDF each, possibly cached). A deck is those
pages joined (`cards`: one card to a page, its bleed, crop marks and TrimBox kept) or
put n-up on sheets (`sheets`: each card page becomes a Form XObject, clipped to its trim
and framed by a dashed cut line, all of it inside the sheet's safe margin). Nothing is
laid out again, and one part is held at a time: the objects a page needs are written out
as soon as it is read, renumbered, and the page tree follows at the end. The same parts
give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

from .pdf_parts import Part, PartError, Ref, Value, dump
from .pdf_tags import Tags

PT_PER_MM = 72 / 25.4
CUT_LINE_MM = 0.2
CUT_LINE = b"q 0.6 G %.2f w [1.7 1.7] 0 d %%s re S Q\n" % (CUT_LINE_MM * PT_PER_MM)  # dashed, #999

__all__ = ["PartError", "Sheets", "cards", "grid", "scale", "sheets"]


@dataclass(frozen=True)
class Sheets:
    """n-up on sheets: up to `per_sheet` cards of `card_mm` in `cols` columns, centred,
    none of them nearer than `safe_mm` to the sheet's edge."""

    card_mm: tuple[float, float]
    sheet_mm: tuple[float, float]
    cols: int
    per_sheet: int
    safe_mm: float = 0.0


def scale(layout: Sheets) -> float:
    """How much the cards shrink on the sheet (1: not at all) so that a full sheet's grid
    keeps `safe_mm` clear round it (the cut lines' ink included)."""
    (width, height), (sheet_w, sheet_h) = layout.card_mm, layout.sheet_mm
    rows = -(-layout.per_sheet // layout.cols)
    edge = layout.safe_mm + CUT_LINE_MM / 2 if layout.safe_mm else 0.0
    room_w, room_h = sheet_w - 2 * edge, sheet_h - 2 * edge
    return min(1.0, room_w / (layout.cols * width), room_h / (rows * height))


def grid(count: int, layout: Sheets) -> list[tuple[float, float]]:
    """Lower-left corner (pt, from the sheet's lower left) of each of `count` cards."""
    factor = scale(layout)
    width, height = (v * factor for v in layout.card_mm)
    sheet_w, sheet_h = layout.sheet_mm
    rows = -(-count // layout.cols)
    left = (sheet_w - layout.cols * width) / 2
    top = (sheet_h - rows * height) / 2
    return [
        (
            (left + (i % layout.cols) * width) * PT_PER_MM,
            (sheet_h - top - (i // layout.cols + 1) * height) * PT_PER_MM,
        )
        for i in range(count)
    ]


class _Writer:
    """A PDF written object by object into memory; besides it, only offsets are kept."""

    def __init__(self) -> None:
        self.out = io.BytesIO()
        self.digest = hashlib.sha256()
        self.offsets: list[int] = [0]  # by object number; 0 heads the free list
        self._put(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")

    def _put(self, data: bytes) -> None:
        self.out.write(data)
        self.digest.update(data)

    def reserve(self) -> int:
        self.offsets.append(-1)
        return len(self.offsets) - 1

    def write(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.out.tell()
        self._put(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def add(self, body: bytes) -> int:
        number = self.reserve()
        self.write(number, body)
        return number

    def finish(self, root: int, info: int) -> bytes:
        assert all(at >= 0 for at in self.offsets), "every number handed out is written"
        start = self.out.tell()
        table = [b"xref\n0 %d\n0000000000 65535 f \n" % len(self.offsets)]
        table += [b"%010d 00000 n \n" % at for at in self.offsets[1:]]
        self._put(b"".join(table))
        tag = self.digest.hexdigest()[:32].encode()  # reproducible: a digest of the body
        self._put(
            b"trailer\n<</Size %d/Root %d 0 R/Info %d 0 R/ID[<%s><%s>]>>\nstartxref\n%d\n%%%%EOF\n"
            % (len(self.offsets), root, info, tag, tag, start)
        )
        return self.out.getvalue()


class _Copy:
    """One part's objects copied into a writer, each once, under a new number; its
    structure elements as `tags` copies them."""

    def __init__(self, writer: _Writer, part: Part, tags: Tags) -> None:
        self.writer, self.part, self.tags = writer, part, tags
        self.numbers: dict[int, int] = {}
        self.pending: list[int] = []

    def number(self, old: int) -> int:
        """The object's number in the writer; it is written by the next `flush`."""
        if old not in self.numbers:
            self.numbers[old] = self.writer.reserve()
            self.pending.append(old)
        return self.numbers[old]

    def value(self, value: Value) -> bytes:
        return dump(value, self.number)

    def flush(self) -> None:
        while self.pending:
            old = self.pending.pop()
            body = self.tags.element(self, old)
            self.writer.write(self.numbers[old], body or self.part.copied(old, self.number))


Placed = Iterator[tuple[_Copy, int, dict[bytes, Value], int]]


def _pages(
    parts: Iterable[bytes], writer: _Writer, tags: Tags, place: Callable[[_Copy, list[int]], None]
) -> Placed:
    """Each part's pages: (copier, old number, page, offset of its parent-tree keys).
    `place` gives the part's pages their new numbers before anything is copied (the
    structure elements name the pages they are on)."""
    for data in parts:
        part = Part(data)
        copier = _Copy(writer, part, tags)
        numbers = part.pages()
        place(copier, numbers)
        base = tags.take(copier)
        for number in numbers:
            page = part.dictionary(Ref(number))
            if b"/Resources" not in page:  # inherited from the page tree: not Typst's way
                raise PartError("a page without resources of its own")
            _box(page, b"/MediaBox")
            yield copier, number, page, base
            copier.flush()


def _key(page: dict[bytes, Value], base: int) -> bytes:
    """The page's parent-tree key, moved past the previous parts'."""
    key = page.get(b"/StructParents")
    if not isinstance(key, bytes) or not key.isdigit():
        raise PartError("a tagged page without its parent-tree key")
    return b"%d" % (int(key) + base)


def _box(page: dict[bytes, Value], name: bytes) -> list[float]:
    box = page.get(name) or page.get(b"/MediaBox")
    if not isinstance(box, list) or len(box) != 4 or not all(isinstance(v, bytes) for v in box):
        raise PartError("a page without a MediaBox of its own")
    try:
        return [float(v) for v in box if isinstance(v, bytes)]
    except ValueError:
        raise PartError("a page box is not four numbers") from None


def _numbers(values: Iterable[float]) -> bytes:
    return b"[" + b" ".join(b"%.4f" % v for v in values) + b"]"


def _text(value: str) -> bytes:
    """A PDF text string: UTF-16BE with its byte order mark, in hex."""
    return b"<FEFF" + value.encode("utf-16-be").hex().upper().encode() + b">"


def _close(
    writer: _Writer, tree: int, kids: Sequence[int], title: str, epoch: int, tags: Tags
) -> bytes:
    refs = b" ".join(b"%d 0 R" % kid for kid in kids)
    writer.write(tree, b"<</Type/Pages/Count %d/Kids[%s]>>" % (len(kids), refs))
    tagged = tags.close(title, epoch)
    catalog = writer.add(b"<</Type/Catalog/Pages %d 0 R%s>>" % (tree, tagged))
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("D:%Y%m%d%H%M%SZ").encode()
    info = writer.add(
        b"<</Title%s/Creator(playbook)/CreationDate(%s)/ModDate(%s)>>"
        % (_text(title), stamp, stamp)
    )
    return writer.finish(catalog, info)


def cards(parts: Iterable[bytes], title: str, epoch: int, bleed_mm: float = 0.0) -> bytes:
    """The parts' pages one after another, with their boxes; a page that has a TrimBox
    gets a BleedBox `bleed_mm` round it (the crop marks lie beyond, up to the MediaBox)."""
    writer = _Writer()
    tree = writer.reserve()
    tags = Tags(writer)
    kids: list[int] = []

    def place(copier: _Copy, pages: list[int]) -> None:
        copier.numbers.update({page: writer.reserve() for page in pages})

    for copier, number, page, base in _pages(parts, writer, tags, place):
        entries = {k: v for k, v in page.items() if k != b"/Parent"}
        entries[b"/StructParents"] = _key(page, base)
        if b"/TrimBox" in page and b"/BleedBox" not in page:
            trim, bleed = _box(page, b"/TrimBox"), bleed_mm * PT_PER_MM
            entries[b"/BleedBox"] = _numbers(
                (trim[0] - bleed, trim[1] - bleed, trim[2] + bleed, trim[3] + bleed)
            )
        body = copier.value(entries)
        kids.append(copier.numbers[number])
        writer.write(kids[-1], body[:-2] + b"/Parent %d 0 R>>" % tree)
    return _close(writer, tree, kids, title, epoch, tags)


def sheets(parts: Iterable[bytes], layout: Sheets, title: str, epoch: int) -> bytes:
    """The parts' pages `layout.per_sheet` to a sheet, each cut to its TrimBox."""
    writer = _Writer()
    tree = writer.reserve()
    tags = Tags(writer, sheets=True)
    kids: list[int] = []
    forms: list[tuple[int, list[float]]] = []
    placed = 0

    def place(copier: _Copy, pages: list[int]) -> None:
        """Each card page onto its sheet; its content becomes a form (numbers reserved)."""
        nonlocal placed
        tags.streams.clear()
        for page in pages:
            if placed % layout.per_sheet == 0:
                kids.append(writer.reserve())
            content = copier.part.dictionary(Ref(page)).get(b"/Contents")
            if not isinstance(content, Ref):
                raise PartError("a card page's contents are not one stream")
            copier.numbers[page] = kids[placed // layout.per_sheet]
            copier.numbers[content.number] = writer.reserve()
            tags.streams[page] = content.number
            placed += 1

    written = 0
    for copier, _, page, base in _pages(parts, writer, tags, place):
        forms.append((_form(writer, copier, page, _key(page, base)), _box(page, b"/TrimBox")))
        if len(forms) == layout.per_sheet:
            _sheet(writer, kids[written], tree, forms, layout)
            forms, written = [], written + 1
    if forms:
        _sheet(writer, kids[written], tree, forms, layout)
    return _close(writer, tree, kids, title, epoch, tags)


def _form(writer: _Writer, copier: _Copy, page: dict[bytes, Value], key: bytes) -> int:
    """The page's content as a Form XObject with the page's resources and parent-tree
    `key` (its marked content is the structure's); its number, reserved by `place`."""
    content = page.get(b"/Contents")
    if not isinstance(content, Ref):
        raise PartError("a card page's contents are not one stream")
    stream = copier.part.copied(content.number, copier.number)
    if not stream.startswith(b"<<"):
        raise PartError("a card page's contents are not a stream")
    keys = b"/Type/XObject/Subtype/Form/BBox%s/Resources %s/StructParents %s" % (
        _numbers(_box(page, b"/MediaBox")),
        copier.value(page.get(b"/Resources", {})),
        key,
    )
    number = copier.numbers[content.number]
    writer.write(number, b"<<" + keys + stream[2:])
    return number


def _sheet(
    writer: _Writer,
    number: int,
    tree: int,
    forms: Sequence[tuple[int, list[float]]],
    layout: Sheets,
) -> None:
    """Sheet `number` (reserved): its cards, clipped to their trims, and the cut lines
    (marked as artifacts: not content)."""
    drawing, cuts, names = bytearray(), bytearray(), bytearray()
    factor = scale(layout)
    for index, ((form, trim), (x, y)) in enumerate(
        zip(forms, grid(len(forms), layout), strict=True)
    ):
        names += b"/C%d %d 0 R" % (index, form)
        width, height = (trim[2] - trim[0]) * factor, (trim[3] - trim[1]) * factor
        box = b"%.3f %.3f %.3f %.3f" % (x, y, width, height)
        move = b"%.5f 0 0 %.5f %.3f %.3f cm" % (
            factor,
            factor,
            x - trim[0] * factor,
            y - trim[1] * factor,
        )
        drawing += b"q %s re W n %s /C%d Do Q\n" % (box, move, index)
        cuts += CUT_LINE % box
    data = zlib.compress(bytes(drawing + b"/Artifact BMC\n" + cuts + b"EMC\n"), 6)
    content = writer.add(
        b"<</Length %d/Filter/FlateDecode>>\nstream\n%s\nendstream" % (len(data), data)
    )
    width, height = (v * PT_PER_MM for v in layout.sheet_mm)
    writer.write(
        number,
        b"<</Type/Page/Parent %d 0 R/MediaBox%s/Resources<</XObject<<%s>>>>/Contents %d 0 R"
        b"/Tabs/S>>" % (tree, _numbers((0, 0, width, height)), bytes(names), content),
    )
