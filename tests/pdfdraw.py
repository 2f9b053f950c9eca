"""What a PDF page draws, read back with pypdf: paths in page coordinates, their paint,
whether they clip or are dashed; and the fonts the page and its forms use."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from pypdf import PageObject
from pypdf.generic import ContentStream

Colour = tuple[float, ...]


@dataclass
class Path:
    points: list[tuple[float, float]] = field(default_factory=list)
    filled: bool = False
    stroked: bool = False
    clip: bool = False
    fill: Colour = (0.0, 0.0, 0.0)
    dashed: bool = False

    @property
    def xs(self) -> list[float]:
        return [x for x, _ in self.points]

    @property
    def ys(self) -> list[float]:
        return [y for _, y in self.points]


def rgb(colour: str) -> Colour:
    """`#b71c1c` -> (0.718, 0.11, 0.11)."""
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))


PAINT = {b"f": (1, 0), b"F": (1, 0), b"f*": (1, 0), b"S": (0, 1), b"s": (0, 1)}
PAINT |= {b"B": (1, 1), b"B*": (1, 1), b"b": (1, 1), b"b*": (1, 1), b"n": (0, 0)}


Matrix = tuple[float, float, float, float, float, float]


def _times(a: Matrix, b: Matrix) -> Matrix:
    """a, then b (PDF's row-vector convention: a x b)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def drawn(page: PageObject) -> list[Path]:
    """Every path the page paints or clips with (its forms included), in page space."""
    paths: list[Path] = []
    reader = page.pdf

    def run(stream: Any, resources: Any, ctm: Matrix) -> None:
        state: dict[str, Any] = {"cm": ctm, "fill": (0.0, 0.0, 0.0), "dashed": False}
        stack: list[dict[str, Any]] = []
        current = Path()

        def at(x: Any, y: Any) -> tuple[float, float]:
            m, x, y = state["cm"], float(x), float(y)
            return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])

        for args, op in ContentStream(stream, reader).operations:
            if op == b"q":
                stack.append(dict(state))
            elif op == b"Q" and stack:
                state = stack.pop()
            elif op == b"cm":
                state["cm"] = _times(tuple(float(a) for a in args), state["cm"])  # type: ignore[arg-type]
            elif op in (b"rg", b"sc", b"scn") and args and all(_number(a) for a in args):
                values = tuple(round(float(a), 4) for a in args)
                state["fill"] = values * 3 if len(values) == 1 else values
            elif op == b"g" and args:
                state["fill"] = (round(float(args[0]), 4),) * 3
            elif op == b"d" and args:
                state["dashed"] = len(args[0]) > 0
            elif op in (b"m", b"l"):
                current.points.append(at(args[0], args[1]))
            elif op == b"c":
                current.points.append(at(args[4], args[5]))
            elif op == b"re":
                x, y, w, h = (float(a) for a in args)
                current.points += [at(x, y), at(x + w, y), at(x + w, y + h), at(x, y + h)]
            elif op in (b"W", b"W*"):
                current.clip = True
            elif op in PAINT:
                fill, stroke = PAINT[op]
                if current.points:
                    current.filled, current.stroked = bool(fill), bool(stroke)
                    current.fill, current.dashed = state["fill"], state["dashed"]
                    paths.append(current)
                current = Path()
            elif op == b"Do":
                xobject = resources["/XObject"][args[0]].get_object()
                if xobject.get("/Subtype") == "/Form":
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", (1, 0, 0, 1, 0, 0)))
                    inner = xobject.get("/Resources")
                    run(
                        xobject,
                        inner.get_object() if inner else resources,
                        _times(matrix, state["cm"]),
                    )  # type: ignore[arg-type]

    run(page.get_contents(), page["/Resources"].get_object(), (1.0, 0.0, 0.0, 1.0, 0.0, 0.0))
    return paths


def _number(value: Any) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def fonts_of(page: PageObject) -> Iterator[tuple[str, Any]]:
    """(base font name, font descriptor) of each font the page or its forms use."""
    seen: set[int] = set()

    def walk(resources: Any) -> Iterator[tuple[str, Any]]:
        if resources is None or id(resources) in seen:
            return
        seen.add(id(resources))
        resources = resources.get_object()
        for ref in (resources.get("/Font") or {}).values():
            font = ref.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or (font["/DescendantFonts"][0].get_object()["/FontDescriptor"])
            )
            yield str(font["/BaseFont"]), descriptor.get_object()
        for ref in (resources.get("/XObject") or {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":
                yield from walk(xobject.get("/Resources"))

    yield from walk(page.get("/Resources"))


def structure(reader: Any) -> dict[str, Any]:
    """A tagged PDF's structure tree, walked from its root: its elements' types, their
    alternative texts, IDs and the IDs their cells name as headers, and each marked
    content that does not lead back to its element through the parent tree (broken)."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject

    root = reader.trailer["/Root"]["/StructTreeRoot"].get_object()
    nums = root["/ParentTree"]["/Nums"]
    parents = {int(nums[i]): nums[i + 1].get_object() for i in range(0, len(nums), 2)}
    pages = {page.indirect_reference.idnum for page in reader.pages}
    found: dict[str, Any] = {"types": [], "alts": [], "ids": [], "headers": [], "broken": []}

    def owner(holder: Any, mcid: int, element: Any) -> None:
        if parents[int(holder["/StructParents"])][mcid].idnum != element.idnum:
            found["broken"].append((element.idnum, mcid))

    stack: list[tuple[Any, Any, Any]] = [(root.raw_get("/K"), None, None)]
    while stack:
        kid, page, element = stack.pop()
        if isinstance(kid, IndirectObject):
            value = kid.get_object()
            if isinstance(value, DictionaryObject) and value.get("/Type") == "/StructElem":
                on = value.raw_get("/Pg") if "/Pg" in value else page
                if on is not None and on.idnum not in pages:
                    found["broken"].append((kid.idnum, "page"))
                found["types"].append(str(value["/S"]))
                found["alts"] += [str(value["/Alt"])] if "/Alt" in value else []
                found["ids"] += [str(value["/ID"])] if "/ID" in value else []
                for attributes in value.get("/A", []):
                    found["headers"] += [
                        str(h) for h in attributes.get_object().get("/Headers", [])
                    ]
                if "/K" in value:
                    stack.append((value.raw_get("/K"), on, kid))
                continue
            kid = value
        if isinstance(kid, ArrayObject):
            stack += [(item, page, element) for item in kid]
        elif isinstance(kid, NumberObject):
            owner(page.get_object(), int(kid), element)
        elif isinstance(kid, DictionaryObject) and kid.get("/Type") == "/MCR":
            at = kid.raw_get("/Pg") if "/Pg" in kid else page
            if at.idnum not in pages:
                found["broken"].append((element.idnum, "page"))
            holder = kid["/Stm"] if "/Stm" in kid else at.get_object()
            owner(holder, int(kid["/MCID"]), element)
    return found
