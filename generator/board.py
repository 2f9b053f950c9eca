"""The delegation board: who has which part in each decision, as plain data.

Rows are the decisions in force (escalation paths, then flexible zones), columns the
roles; a role with autonomy levels has one column per level. Each cell says the role's
part in words ("entscheidet bis 10 %", "wird konsultiert: …", "entscheidet frei").
The site's board page and the poster PDF (poster.py) both show this data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from .levels import at_level
from .model import Band, Entry, EscalationPath, FlexibleZone, Playbook, Quantity, Role
from .text import Text

# the common seven-step delegation scale, lowest (the leader decides) first
DELEGATION = ("tell", "sell", "consult", "agree", "advise", "inquire", "delegate")
# each step's colour and the ink written on it (contrast at least 4.5:1, see tests);
# board.css has the same colours for the site
DELEGATION_COLOURS = {
    "tell": ("#fde0c5", "#1a1a1a"),
    "sell": ("#facba6", "#1a1a1a"),
    "consult": ("#f8b58b", "#1a1a1a"),
    "agree": ("#c0c7e8", "#1a1a1a"),
    "advise": ("#7986cb", "#1a1a1a"),
    "inquire": ("#3f51b5", "#ffffff"),
    "delegate": ("#1a237e", "#ffffff"),
}

DECIDES, CONSULTED, INFORMED, FREE, LATER = "decides", "consulted", "informed", "free", "later"


@dataclass(frozen=True)
class Column:
    role: Role
    level: str | None  # the level's id for a role with levels
    label: str  # "Account Executive · Einsteiger:in"


@dataclass(frozen=True)
class Cell:
    part: str  # the strongest part: decides, consulted, informed, free, later; "" for none
    pieces: tuple[tuple[str, str], ...] = ()  # each part with its words, strongest first

    @property
    def text(self) -> str:
        """The role's part in words ("entscheidet bis 10 %; wird informiert: …"); "" for none."""
        return "; ".join(words for _, words in self.pieces)


@dataclass(frozen=True)
class Row:
    entry: Entry  # an escalation path or a flexible zone
    delegation: str | None  # one of DELEGATION
    cells: tuple[Cell, ...]  # one per column


@dataclass(frozen=True)
class Board:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]

    @property
    def printable(self) -> bool:
        """Whether the site gets a poster: a board of more decisions than fit an A3 page
        at the smallest size would only print as pages of small type, and laying it out
        costs a large playbook's build seconds and gigabytes (`playbook board` still
        tries, and says what does not fit)."""
        return len(self.rows) <= POSTER_MOST_ROWS and len(self.columns) <= POSTER_MOST_COLUMNS

    @property
    def delegations(self) -> tuple[str, ...]:
        """The steps of the scale the rows use, in the scale's order (for a legend)."""
        used = {row.delegation for row in self.rows}
        return tuple(step for step in DELEGATION if step in used)


NO_CELL = Cell("")
POSTER_MOST_ROWS = 48  # at 6 pt an A3 page holds about this many decisions
POSTER_MOST_COLUMNS = 16  # roles and levels side by side at 18 mm each


def board(model: Playbook) -> Board:
    """The board of `model` (the organisation's playbook or a team's view)."""
    fmt = Text(model.language)
    columns = _columns(model)
    at = {c.level: at_level(model, c.level) for c in columns if c.level}
    rows: list[Row] = []
    for path in model.of_kind("escalation_path"):
        assert isinstance(path, EscalationPath)
        cells = tuple(_path_cell(model, path, column, fmt) for column in columns)
        rows.append(Row(path, path.delegation, cells))
    for zone in model.of_kind("flexible_zone"):
        assert isinstance(zone, FlexibleZone)
        cells = tuple(_zone_cell(model, zone, column, at, fmt) for column in columns)
        rows.append(Row(zone, zone.delegation, cells))
    return Board(columns, tuple(rows))


def _columns(model: Playbook) -> tuple[Column, ...]:
    template = Text(model.language).t["board"]["column"]
    columns: list[Column] = []
    for role in model.roles:
        if not role.levels:
            columns.append(Column(role, None, role.name))
        for level in role.levels:
            label = template.format(role=role.name, level=level.name)
            columns.append(Column(role, level.id, label))
    return tuple(columns)


def _path_cell(model: Playbook, path: EscalationPath, column: Column, fmt: Text) -> Cell:
    """The role's part in `path`; where the bands vary by another role's level, each part
    with the levels it holds at where that differs ("über 5 % bis 15 % (bei Einsteiger:in)")."""
    role = column.role.id
    if not path.by_level:
        return _cell(_parts(path.bands, path.quantity, role, fmt), fmt)
    if path.level_role == role and column.level:
        bands = next(lb.bands for lb in path.by_level if lb.level == column.level)
        return _cell(_parts(bands, path.quantity, role, fmt), fmt)
    names = {lv.id: lv.name for lv in model.levels_of(path.level_role or "")}
    at = [
        (names.get(lb.level, lb.level), _parts(lb.bands, path.quantity, role, fmt))
        for lb in path.by_level
    ]
    parts: dict[str, str] = {}
    for part in PARTS:
        said = [(level, held.get(part, "")) for level, held in at]
        distinct = list(dict.fromkeys(text for _, text in said))
        if distinct == [""]:
            continue
        if len(distinct) == 1:
            parts[part] = distinct[0]
            continue
        parts[part] = ", ".join(
            fmt.t["board"]["at_level"].format(
                range=text, levels=", ".join(lv for lv, other in said if other == text)
            )
            for text in distinct
            if text
        )
    return _cell(parts, fmt)


PARTS = (DECIDES, CONSULTED, INFORMED)


def _parts(bands: Sequence[Band], quantity: Quantity, role: str, fmt: Text) -> dict[str, str]:
    """Each part the role has in these bands, with the ranges it has it for."""
    parts: dict[str, str] = {}
    for part in PARTS:
        held = [i for i, b in enumerate(bands) if role in _holders(b, part)]
        if held:
            ranges = [fmt.band_range(b, quantity) for b in _merged(bands, held)]
            # a count's "keine" reads as "decides nothing" in a cell: "bei 0"
            ranges = [
                fmt.t["board"]["none_range"] if r == fmt.t["none_counted"] else r for r in ranges
            ]
            parts[part] = fmt.t["board"]["and"].join(ranges)
    return parts


def _cell(parts: dict[str, str], fmt: Text) -> Cell:
    if not parts:
        return NO_CELL
    said = tuple((p, fmt.t["board"][p].format(range=parts[p])) for p in PARTS if p in parts)
    return Cell(said[0][0], said)


def _holders(band: Band, part: str) -> tuple[str, ...]:
    if part == DECIDES:
        return (band.decider,)
    return band.consult if part == CONSULTED else band.inform


def _merged(bands: Sequence[Band], held: Sequence[int]) -> list[Band]:
    """Adjacent bands as one range: "über 10 % bis 100 %", not three of them."""
    runs: list[list[int]] = []
    for index in held:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    return [dataclasses.replace(bands[r[0]], up_to=bands[r[-1]].up_to) for r in runs]


def _zone_cell(
    model: Playbook,
    zone: FlexibleZone,
    column: Column,
    at: dict[str, Playbook],
    fmt: Text,
) -> Cell:
    """The rep role decides freely in every zone; a level that is granted only some of a
    zone's freedoms says how many, and from which level on it has all."""
    if column.role.id != model.rep_role:
        return NO_CELL
    t = fmt.t["board"]
    total = len(zone.freedoms)
    granted = total
    if column.level:
        held = at[column.level].entry(zone.id)
        assert isinstance(held, FlexibleZone)
        granted = len(held.freedoms)
    if granted == total:
        return Cell(FREE, ((FREE, t["free"]),))
    whole = _first_level_with_all(model, zone, column, at)
    if granted == 0:
        return Cell(LATER, ((LATER, t["free_from"].format(level=whole)),))
    words = t["free_some"].format(n=granted, total=total, level=whole)
    return Cell(FREE, ((FREE, words),))


def _first_level_with_all(
    model: Playbook, zone: FlexibleZone, column: Column, at: dict[str, Playbook]
) -> str:
    for level in column.role.levels:
        held = at[level.id].entry(zone.id)
        if isinstance(held, FlexibleZone) and len(held.freedoms) == len(zone.freedoms):
            return level.name
    return ""
