"""A stream's data: found after its dictionary, and decoded where the joiner must read it.

The joiner copies most streams as they are; it reads only cross-reference streams,
object streams and the XMP metadata. Those are written plain or Flate-compressed,
Flate often with a PNG predictor (qpdf, pikepdf and Typst's PDF libraries write
/Predictor 12, `Up`); any other filter is a `PartError`.
"""

from __future__ import annotations

import re
import zlib

from .pdf_values import PartError, Value

STREAM = re.compile(rb"\s*stream(?:\r\n|\n)")


def raw(data: bytes, pos: int, length: int) -> bytes:
    """The `length` bytes of stream data after the dictionary that ends at `pos`."""
    found = STREAM.match(data, pos)
    if found is None or length < 0 or found.end() + length > len(data):
        raise PartError("a stream without its data")
    return data[found.end() : found.end() + length]


def _integer(value: Value | None, default: int) -> int:
    if value is None:
        return default
    if not isinstance(value, bytes) or not value.isdigit():
        raise PartError("a stream parameter is not a number")
    return int(value)


def decoded(entries: dict[bytes, Value], data: bytes) -> bytes:
    """The stream's data with its filters undone (none, or FlateDecode)."""
    filters = entries.get(b"/Filter")
    names = filters if isinstance(filters, list) else [] if filters is None else [filters]
    parameters = entries.get(b"/DecodeParms")
    if isinstance(parameters, list):
        parameters = parameters[0] if parameters else None
    if names == []:
        return data
    if names != [b"/FlateDecode"]:
        raise PartError("a stream the joiner must read is not Flate-compressed")
    try:
        data = zlib.decompress(data)
    except zlib.error:
        raise PartError("a compressed stream is broken") from None
    if not isinstance(parameters, dict):
        return data
    predictor = _integer(parameters.get(b"/Predictor"), 1)
    if predictor == 1:
        return data
    if predictor < 10:
        raise PartError("a stream with a TIFF predictor")
    colours = _integer(parameters.get(b"/Colors"), 1)
    bits = _integer(parameters.get(b"/BitsPerComponent"), 8)
    columns = _integer(parameters.get(b"/Columns"), 1)
    return unpredicted(data, max(1, colours * bits // 8), -(-colours * bits * columns // 8))


def unpredicted(data: bytes, pixel: int, width: int) -> bytes:
    """Rows of `width` bytes, each after its PNG filter byte, unfiltered (`pixel`: bytes
    per pixel, how far back `Sub`, `Average` and `Paeth` look)."""
    out = bytearray()
    previous = bytearray(width)
    for at in range(0, len(data) - width, width + 1):
        kind, row = data[at], bytearray(data[at + 1 : at + 1 + width])
        if kind == 2:  # Up, what qpdf and pikepdf write
            row = bytearray((a + b) & 0xFF for a, b in zip(row, previous, strict=True))
        elif kind in (1, 3, 4):
            for i in range(width):
                left = row[i - pixel] if i >= pixel else 0
                up, corner = previous[i], previous[i - pixel] if i >= pixel else 0
                if kind == 1:
                    add = left
                elif kind == 3:
                    add = (left + up) // 2
                else:
                    add = _paeth(left, up, corner)
                row[i] = (row[i] + add) & 0xFF
        elif kind != 0:
            raise PartError("a stream's PNG predictor is broken")
        out += row
        previous = row
    return bytes(out)


def _paeth(left: int, up: int, corner: int) -> int:
    estimate = left + up - corner
    distances = (abs(estimate - left), abs(estimate - up), abs(estimate - corner))
    return (left, up, corner)[distances.index(min(distances))]
