"""Card pages -> A4 sheets with several cards each and cut lines (imposition with pypdf).

Each card page becomes a Form XObject whose bounding box is the card's trim box, so
bleed and crop marks are cut off, and is drawn at its place in the sheet's grid. The
cards are laid out once, by WeasyPrint, for the print-shop deck; the office sheets
only reuse those pages.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence

from pypdf import PageObject, PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    RectangleObject,
    StreamObject,
)

PT_PER_MM = 72 / 25.4
CUT_LINE = b"q 0.6 G 0.57 w [1.7 1.7] 0 d %s re S Q\n"  # 0.2 mm, dashed, grey #999


def grid_positions(
    count: int, card_mm: tuple[float, float], cols: int, sheet_mm: tuple[float, float]
) -> list[tuple[float, float]]:
    """Lower-left corner (mm, from the sheet's lower left) of each card on one sheet.

    The cards are centred on the sheet as a block of `cols` columns and as many rows
    as they fill.
    """
    width, height = card_mm
    rows = math.ceil(count / cols)
    left = (sheet_mm[0] - cols * width) / 2
    top = (sheet_mm[1] - rows * height) / 2
    return [
        (left + (i % cols) * width, sheet_mm[1] - top - (i // cols + 1) * height)
        for i in range(count)
    ]


def impose(
    pdf: bytes, per_sheet: int, cols: int, sheet_mm: tuple[float, float], title: str
) -> tuple[bytes, int]:
    """The card pages of `pdf`, `per_sheet` to a sheet; returns the PDF and its sheet count."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    forms = [_form(writer, page) for page in reader.pages]
    sheets = [forms[i : i + per_sheet] for i in range(0, len(forms), per_sheet)]
    for sheet in sheets:
        _sheet(writer, sheet, cols, sheet_mm)
    writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(sheets)


def _form(writer: PdfWriter, page: PageObject) -> tuple[StreamObject, RectangleObject]:
    """The page as a Form XObject clipped to its trim box, with that box."""
    trim = page.trimbox
    contents = page.get_contents()
    form = DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject(FloatObject(v) for v in trim),
            NameObject("/Resources"): page["/Resources"].clone(writer),
        }
    )
    if "/Group" in page:
        form[NameObject("/Group")] = page["/Group"].clone(writer)
    return form.flate_encode(), trim


def _sheet(
    writer: PdfWriter,
    forms: Sequence[tuple[StreamObject, RectangleObject]],
    cols: int,
    sheet_mm: tuple[float, float],
) -> None:
    sheet = writer.add_blank_page(sheet_mm[0] * PT_PER_MM, sheet_mm[1] * PT_PER_MM)
    card_mm = (float(forms[0][1].width) / PT_PER_MM, float(forms[0][1].height) / PT_PER_MM)
    xobjects = DictionaryObject()
    drawing = bytearray()
    cuts = bytearray()
    for index, ((form, trim), (x_mm, y_mm)) in enumerate(
        zip(forms, grid_positions(len(forms), card_mm, cols, sheet_mm), strict=True)
    ):
        name = f"/Card{index}"
        xobjects[NameObject(name)] = form
        x, y = x_mm * PT_PER_MM, y_mm * PT_PER_MM
        dx, dy = x - float(trim.left), y - float(trim.bottom)
        drawing += b"q 1 0 0 1 %.3f %.3f cm %s Do Q\n" % (dx, dy, name.encode())
        box = b"%.3f %.3f %.3f %.3f" % (x, y, float(trim.width), float(trim.height))
        cuts += CUT_LINE % box
    # cloned into the writer, each form stream becomes an indirect object (as streams must be)
    resources = DictionaryObject({NameObject("/XObject"): xobjects})
    sheet[NameObject("/Resources")] = resources.clone(writer)
    content = DecodedStreamObject()
    content.set_data(bytes(drawing + cuts))
    sheet.replace_contents(content.flate_encode())
