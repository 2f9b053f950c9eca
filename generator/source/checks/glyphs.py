"""Text the cards cannot print: characters the shipped card fonts have no glyph for.

The cards and the poster are typeset with the fonts in `site_templates/cards/fonts`
(DejaVu Sans) and no system font, so that a deck comes out the same everywhere. DejaVu
covers Latin, Greek, Cyrillic and many symbols, but no Chinese, Japanese or Korean, no
Thai, no Devanagari: such text would print as empty boxes. The site is not affected
(browsers fall back to a font of the reader's system), so this is a warning naming the
field, at the first such character.
"""

from __future__ import annotations

import struct
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from ...errors import Problem
from ...parse import Source
from ...resources import template_dir
from ..textfields import Positions, texts

# print as nothing, or change a neighbour: never a glyph of their own
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Zs", "Mn", "Me"})


def font_files() -> list[Path]:
    return sorted((template_dir() / "cards" / "fonts").glob("*.ttf"))


@cache
def printable() -> frozenset[int]:
    """The code points every shipped card font has a glyph for (regular, bold, oblique:
    any text may be set in any of them)."""
    covered: frozenset[int] | None = None
    for path in font_files():
        found = frozenset(code_points(path.read_bytes()))
        covered = found if covered is None else covered & found
    return covered or frozenset()


def code_points(font: bytes) -> Iterator[int]:
    """The characters a TrueType font maps to a glyph: its Unicode cmap (format 12 or 4)."""
    count = struct.unpack_from(">H", font, 4)[0]
    tables = {
        font[12 + 16 * i : 16 + 16 * i]: struct.unpack_from(">I", font, 20 + 16 * i)[0]
        for i in range(count)
    }
    cmap = tables[b"cmap"]
    subtables = {
        struct.unpack_from(">HH", font, cmap + 4 + 8 * i): cmap
        + struct.unpack_from(">I", font, cmap + 8 + 8 * i)[0]
        for i in range(struct.unpack_from(">H", font, cmap + 2)[0])
    }
    if (3, 10) in subtables:
        yield from _format12(font, subtables[(3, 10)])
    else:
        yield from _format4(font, subtables[(3, 1)])


def _format12(font: bytes, at: int) -> Iterator[int]:
    groups = struct.unpack_from(">I", font, at + 12)[0]
    for i in range(groups):
        start, end, glyph = struct.unpack_from(">III", font, at + 16 + 12 * i)
        yield from (c for c in range(start, end + 1) if glyph + c - start)


def _format4(font: bytes, at: int) -> Iterator[int]:
    segments = struct.unpack_from(">H", font, at + 6)[0] // 2
    ends = struct.unpack_from(f">{segments}H", font, at + 14)
    starts = struct.unpack_from(f">{segments}H", font, at + 16 + 2 * segments)
    deltas = struct.unpack_from(f">{segments}h", font, at + 16 + 4 * segments)
    offsets_at = at + 16 + 6 * segments
    offsets = struct.unpack_from(f">{segments}H", font, offsets_at)
    for i, (start, end) in enumerate(zip(starts, ends, strict=True)):
        for c in range(start, min(end, 0xFFFE) + 1):
            if offsets[i] == 0:
                glyph = (c + deltas[i]) & 0xFFFF
            else:
                where = offsets_at + 2 * i + offsets[i] + 2 * (c - start)
                glyph = struct.unpack_from(">H", font, where)[0]
                glyph = (glyph + deltas[i]) & 0xFFFF if glyph else 0
            if glyph:
                yield c


def unprintable(text: str) -> list[int]:
    """Where `text` has a character no card font can print."""
    if text.isascii():
        return []
    covered = printable()
    return [
        i
        for i, char in enumerate(text)
        if ord(char) not in covered
        and unicodedata.category(char) not in INVISIBLE_CATEGORIES
        and not 0xFE00 <= ord(char) <= 0xFE0F  # variation selectors
    ]


def card_glyphs(source: Source, positions: Positions) -> list[Problem]:
    """One warning per text field with characters the cards cannot print."""
    problems = []
    for path, text in texts(source):
        found = unprintable(text)
        if not found:
            continue
        chars = "".join(dict.fromkeys(text[i] for i in found))
        shown = chars if len(chars) <= 8 else chars[:8] + "…"
        scripts = sorted({_script(c) for c in chars})
        problems.append(
            positions.problem(
                source, path, text, found[0], found[0] + 1,
                "card-glyphs",
                f"the card font has no glyph for {shown!r} ({', '.join(scripts)}): cards "
                "and the delegation board would print empty boxes here, and their PDFs could "
                "not claim PDF/UA-1 (the site shows it)",
                "write this text in a script the card font covers (Latin, Greek, Cyrillic), "
                "or keep it out of the texts that go on cards",
                "warning",
            )
        )  # fmt: skip
    return problems


def _script(char: str) -> str:
    """A reader's name for a character's script: the first word of its Unicode name
    ("CJK", "Thai", "Devanagari"), or "symbol" for an emoji or a sign."""
    if unicodedata.category(char).startswith("S"):
        return "symbol"
    word = unicodedata.name(char, f"U+{ord(char):04X}").split(" ")[0]
    return word if len(word) <= 3 else word.title()
