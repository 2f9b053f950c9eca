"""The delegation board as a poster PDF: board data -> `cards/board.typ` (Typst) -> PDF.

A3 landscape by default, A2 on request. The text takes the largest size at which the
whole board fits on one page (a board of a few decisions large, filling the page), down
to a smallest readable size; a board that does not
fit even then is an error naming the decisions that fall off the page (or the columns
that do not fit side by side). It is never cut off or continued on a second page.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any, Protocol

from .. import __version__
from ..errors import PlaybookError, Problem
from ..model.playbook import EscalationPath, Playbook
from ..site.board import DELEGATION, DELEGATION_COLOURS, Board, board
from ..text import Text
from .hyphens import WIDE_TITLE_HINT, breakable
from .spacing import unbroken_data
from .typeset import (
    EngineError,
    engine,
    engine_problem,
    layout_epoch,
    typeset_one,
)

PAPERS_MM = {"a3": (420.0, 297.0), "a2": (594.0, 420.0)}  # landscape: width, height
MARGIN_MM = 10.0
DECISION_SHARE = 0.16  # of the page's width, for the decisions' column
DECISION_WIDE_SHARE = 0.25  # at most, beside few roles (`decision_share`)
FONT_MAX_PT = {"a3": 10.0, "a2": 14.0}  # the usual text size; header and legend's size
FONT_TOP_PT = {"a3": 28.0, "a2": 40.0}  # a board of a few decisions is printed up to this
FONT_MIN_PT = 6.0  # below this a poster on the wall cannot be read
COLUMN_MIN_MM = 18.0  # a role's column narrower than this holds a word or two a line
SITE_FILE = "cards/delegation-board.pdf"

QUERY = (
    "(size: query(<board-size>).map(it => it.value),"
    " rows: query(<board-row>).map(it => (it.value, it.location().page())),"
    " end: query(<board-end>).map(it => it.location().page()),"
    " wide: query(<board-wide>).map(it => it.value))"
)


class Store(Protocol):
    """Where a laid-out poster is kept between builds (see `runtime/cache.py`)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


@dataclass(frozen=True)
class Poster:
    pdf: bytes
    font_pt: float  # the text size it was laid out at


def poster_data(model: Playbook, shown: Board, paper: str) -> dict[str, Any]:
    """Everything `board.typ` needs, as plain data; no line break between a number and its
    unit (`spacing.py`)."""
    fmt = Text(model.language)
    t = fmt.t
    width, height = PAPERS_MM[paper]

    def step(key: str | None) -> dict[str, Any] | None:
        if key is None:
            return None
        fill, ink = DELEGATION_COLOURS[key]
        level = t["delegation_levels"][key]
        n = DELEGATION.index(key) + 1
        return {"key": key, "n": n, "name": level["name"], "text": level["text"]} | {
            "fill": fill,
            "ink": ink,
        }

    return unbroken_data({
        "title": f"{t['board']['title']} \u2013 {model.title}",
        "lead": t["board"]["lead"],
        # as of the newest review: a date means something even for a fresh starter ("Stand 1"
        # did not); the version follows it
        "note": t["board"]["poster_note"].format(
            date=fmt.date(newest_review(model)), version=model.version, site=model.site_url
        ),
        "language": model.language,
        "labels": {
            "decision": t["board"]["decision"],
            "delegation": t["board"]["delegation"],
            "legend": t["board"]["legend"],
        },
        "options": {
            "width": width,
            "height": height,
            "margin": MARGIN_MM,
            "decision_width": round((width - 2 * MARGIN_MM) * decision_share(shown), 3),
            "font_max": FONT_MAX_PT[paper],
            "font_top": FONT_TOP_PT[paper],
            "font_min": FONT_MIN_PT,
        },
        "columns": [c.label for c in shown.columns],
        "rows": [
            {
                "title": row.entry.title,
                "title_breaks": breakable(row.entry.title, model.language),
                "quantity": row.entry.quantity.name
                if isinstance(row.entry, EscalationPath)
                else t["kinds"]["flexible_zone"]["one"],
                "delegation": step(row.delegation),
                "cells": [[{"part": p, "text": w} for p, w in c.pieces] for c in row.cells],
            }
            for row in shown.rows
        ],
        "legend": [step(key) for key in DELEGATION],
    }, frozenset({"options"}))  # fmt: skip


def newest_review(model: Playbook) -> dt.date:
    """The day the board's content was last reviewed (the poster's "Stand")."""
    return max((e.last_reviewed for e in model.entries), default=dt.date(2000, 1, 1))


def decision_share(shown: Board) -> float:
    """The decisions' column's share of the width: wider beside a few roles' columns (up
    to an even share) so that a board printed large keeps its titles' words whole."""
    return min(DECISION_WIDE_SHARE, max(DECISION_SHARE, 1 / (len(shown.columns) + 1)))


def _too_wide(model: Playbook, shown: Board, paper: str) -> Problem | None:
    width = PAPERS_MM[paper][0] - 2 * MARGIN_MM
    room = width * (1 - decision_share(shown))
    fitting = int(room // COLUMN_MIN_MM)
    if len(shown.columns) <= fitting:
        return None
    return Problem(
        "playbook.yml",
        1,
        1,
        "board-overflow",
        f"the delegation board does not fit on one {paper.upper()} page: its "
        f"{len(shown.columns)} role columns need {len(shown.columns) * COLUMN_MIN_MM:.0f} mm "
        f"side by side, the page has room for {fitting} ({room:.0f} mm)",
        "print it larger (`playbook board --paper a2`) or combine roles",
    )


def lay_out(
    model: Playbook, paper: str = "a3", epoch: int | None = None, *, one_page: bool = True
) -> Poster:
    """The poster; raises PlaybookError if the board does not fit on one page.

    Without `one_page` (the site's copy), a board too large for one page is laid out at
    the smallest size over as many pages as it takes: a large playbook's site still
    builds, and `playbook board` says what does not fit."""
    shown = board(model, teams=False)  # one board: no team's beside it
    wide = _too_wide(model, shown, paper)
    if wide and one_page:
        raise PlaybookError([wide])
    data = poster_data(model, shown, paper)
    try:
        pdf, found = typeset_one("board.typ", data, layout_epoch(model, epoch), QUERY)
    except EngineError as error:
        raise PlaybookError([engine_problem("board.typ", "board", str(error))]) from None
    if found["wide"]:  # a title no size fits across its column: on any paper, any copy
        titles = [_wide_title_problem(shown, w["row"], w["over"]) for w in found["wide"]]
        raise PlaybookError(titles)
    size = found["size"][0]
    fallen = [index for index, page in found["rows"] if page > 1]
    if one_page and (fallen or any(page > 1 for page in found["end"])):
        raise PlaybookError([_overflow_problem(shown, fallen, paper, size["room"])])
    return Poster(pdf, float(size["size"]))


def _overflow_problem(shown: Board, fallen: list[int], paper: str, room_mm: float) -> Problem:
    first = shown.rows[fallen[0]].entry if fallen else shown.rows[-1].entry
    count = len(fallen) or 1
    return Problem(
        first.file,
        1,
        1,
        "board-overflow",
        f"the delegation board does not fit on one {paper.upper()} page even at "
        f"{FONT_MIN_PT:g} pt: {count} of its {len(shown.rows)} decisions, from "
        f"„{first.title}“ on, fall off the page ({room_mm:.0f} mm of height for the table)",
        "print it larger (`playbook board --paper a2`) or shorten the cells' texts",
    )


def _wide_title_problem(shown: Board, row: int, over_mm: float) -> Problem:
    entry = shown.rows[row].entry
    return Problem(
        entry.file,
        1,
        1,
        "board-overflow",
        f"the delegation board's title \u201c{entry.title}\u201d does not fit across its "
        f"column even at the smallest size: a word is {over_mm:.1f} mm too wide",
        WIDE_TITLE_HINT,
    )


def site_key(model: Playbook, epoch: int | None = None) -> str:
    """The cache key of the site's poster: everything it is laid out from."""
    data = json.dumps(
        poster_data(model, board(model, teams=False), "a3"), sort_keys=True, ensure_ascii=False
    )
    digest = hashlib.sha256()
    for part in (__version__, engine(), "board", str(layout_epoch(model, epoch)), data):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()


def site_pdf(model: Playbook, epoch: int | None = None) -> bytes:
    """The A3 poster the site links from its board page (over more pages if need be)."""
    return lay_out(model, "a3", epoch, one_page=False).pdf


def site_files(
    model: Playbook, epoch: int | None = None, store: Store | None = None
) -> dict[str, str | bytes]:
    """The site's poster, from `store` if unchanged."""
    key = site_key(model, epoch)
    cached = store.get(key) if store else None
    if cached is None:
        cached = site_pdf(model, epoch)
        if store:
            store.put(key, cached)
    return {SITE_FILE: cached}
