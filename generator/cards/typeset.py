"""Typst, the card engine: card data (JSON) + `site_templates/cards/*.typ` -> PDF.

The data reaches the templates as one JSON string in `sys.inputs`, so no text from a
playbook is ever Typst code. Only the fonts shipped with the package (and Typst's own)
are used: a deck comes out the same on every machine.

`typeset` lays out a group of cards, one per page (`deck.typ`). A card whose words need
more room than the card has is found after layout: a `<card-end>` marker ends each
card's words, and its position is read back from the finished document. The decks are
joined from such groups without Typst (cards/pdf_join.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ..errors import Failure, Problem
from ..model.playbook import Playbook
from ..resources import template_dir

ENDS = "query(<card-end>).map(it => (it.value, it.location().position().y.mm()))"
TOLERANCE_MM = 0.05


@dataclass(frozen=True)
class Typeset:
    pdf: bytes
    overflows: dict[str, float]  # card number -> how many mm its words overflow
    # card number -> how many mm its title's widest unbreakable piece is too wide for the
    # card even at the smallest title size (site_templates/cards/fit.typ)
    wide: dict[str, float] = field(default_factory=dict)


class EngineError(Failure):
    """Raised when Typst rejects a card template: a bug in the templates, never caused by a
    playbook. Every caller turns it into a problem that carries Typst's own message."""


def _folder() -> Path:
    return template_dir() / "cards"


@cache
def engine() -> str:
    """The engine, its version and a digest of the templates and fonts: what a cached
    card page depends on besides its data."""
    digest = hashlib.sha256(version("typst").encode())
    for path in sorted(_folder().rglob("*")):
        if path.suffix in (".typ", ".ttf"):
            digest.update(path.relative_to(_folder()).as_posix().encode())
            digest.update(path.read_bytes())
    return f"typst {version('typst')} {digest.hexdigest()[:16]}"


@cache
def _fonts() -> Any:
    import typst

    return typst.Fonts(include_system_fonts=False, font_paths=[str(_folder() / "fonts")])


def _compiler(source: Path | bytes, root: Path, data: dict[str, Any]) -> Any:
    import typst

    return typst.Compiler(
        str(source) if isinstance(source, Path) else source,
        root=str(root),
        font_paths=_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )


def _stamp(epoch: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.UTC)


def typeset(data: dict[str, Any], epoch: int) -> Typeset:
    """Cards, one per page (`deck.typ`); `epoch` dates the PDF (reproducible)."""
    # where each card's words end, read from the finished layout (no second pass)
    pdf, ends = typeset_one("deck.typ", data, epoch, ENDS)
    overflows = {
        str(end["number"]): y - float(end["limit"])
        for end, y in ends
        if y > float(end["limit"]) + TOLERANCE_MM
    }
    wide = {
        str(end["number"]): float(end["wide"])
        for end, _ in ends
        if float(end["wide"]) > TOLERANCE_MM
    }
    return Typeset(pdf, overflows, wide)


def typeset_one(template: str, data: dict[str, Any], epoch: int, query: str) -> tuple[bytes, Any]:
    """One document from `template` (beside `deck.typ`, e.g. the board's poster) and what
    `query` reads back from its finished layout (as JSON)."""
    import typst

    compiler = _compiler(_folder() / template, _folder(), data)
    try:
        # tagged and accessible (PDF/UA-1): title, language, headings, the QR code's text
        try:
            pdf = compiler.compile(format="pdf", timestamp=_stamp(epoch), pdf_standards=["ua-1"])
        except typst.TypstError as error:
            if not unreadable(f"{error.message}\n{error.diagnostic}"):
                raise
            # a character no card font shows (validate warns: `card-glyphs`): the PDF is
            # still tagged, but cannot claim PDF/UA-1; one emoji must not stop a build
            pdf = compiler.compile(format="pdf", timestamp=_stamp(epoch))
        found = json.loads(compiler.eval(query, format="json"))
    except typst.TypstError as error:
        raise EngineError(f"{error.message}\n{error.diagnostic}") from None
    assert isinstance(pdf, bytes)
    return pdf, found


def layout_epoch(model: Playbook, epoch: int | None) -> int:
    """A PDF's date: given, or the newest review (the same sources, the same PDF)."""
    if epoch is not None:
        return epoch
    newest = max((e.last_reviewed for e in model.entries), default=dt.date(2000, 1, 1))
    return int(dt.datetime.combine(newest, dt.time(), dt.UTC).timestamp())


UNREADABLE = re.compile(r'PDF/UA-1 error: the text `"(.*?)"`')


def unreadable(message: str) -> bool:
    """Whether Typst's PDF/UA-1 check refused a text no font can show: the one way a
    playbook's words can stop an accessible PDF."""
    return UNREADABLE.search(message) is not None


def engine_problem(template: str, what: str, message: str) -> Problem:
    """A template that Typst could not lay out: the tool's fault, never the playbook's."""
    return Problem(
        f"site_templates/cards/{template}",
        1,
        1,
        "card-engine",
        f"the {what} template failed: {message}",
        "this is a bug in the tool, not in the playbook: please report it",
    )
