"""An approval matrix as csv, read with the position of every cell.

Two layouts are read (README, "Where deals are made"):
- the export's own (`playbook export --format csv`, `model.matrix.CSV_COLUMNS`): columns
  are found by their names, in any order; `path_id`, `unit`, `above`, `up_to` and
  `decider_role_id` are required, the others optional;
- the simple one a CRM admin keeps by hand: `path`, `from`, `to`, `unit`, `role`, and
  optionally `level` and `team`. `from` is exclusive like `above` (empty: from the
  minimum), `to` inclusive like `up_to` (empty: no end).

What comes out is plain data in the decision matrix's shape (a list of bands per path,
team and level) with the row and column of each cell, so every problem names the cell:
a number cell holding text, an unknown role, level or team, a unit that changes within
one path, and gaps and overlaps between the bands of one path, team and level.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from ..errors import Failure, Problem
from ..model.playbook import EscalationPath, Playbook

UNITS = ("percent", "eur", "days", "months", "count")  # the schema's (a test holds them)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # an entry id (schemas/defs.schema.json)
MAX_CELLS = 200_000  # more is not an approval matrix; refused before any work

EXPORT_REQUIRED = ("path_id", "unit", "above", "up_to", "decider_role_id")
SIMPLE = {  # the simple layout's names for the export's columns
    "path": "path_id",
    "from": "above",
    "to": "up_to",
    "unit": "unit",
    "role": "decider_role_id",
    "level": "level_id",
    "team": "team_id",
}
SIMPLE_REQUIRED = ("path", "from", "to", "unit", "role")
NUMBERS = ("above", "up_to", "response_time_hours")
KNOWN = (
    "path_id", "path_title", "unit", "team_id", "level_id", "band", "above", "up_to",
    "decider_role_id", "decider_role_name", "decider_handles", "consult_role_ids",
    "inform_role_ids", "response_time_hours", "channel", "playbook_version",
)  # fmt: skip


_Report = Callable[[int, int, str, str, str], None]  # line, column, rule, message, hint


class Unclosed(Failure):
    """Raised when a quoted cell runs to the end of the file (by `cells`; `read` turns it
    into a problem at the cell)."""

    def __init__(self, line: int, column: int) -> None:
        super().__init__(line, column)
        self.line, self.column = line, column


@dataclass(frozen=True)
class Cell:
    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Row:
    """One band as a row gives it: its cells by (export) column name."""

    cells: dict[str, Cell]
    line: int  # where the row starts

    def text(self, name: str) -> str:
        cell = self.cells.get(name)
        return cell.text.strip() if cell else ""

    def at(self, name: str) -> tuple[int, int]:
        cell = self.cells.get(name)
        return (cell.line, cell.column) if cell else (self.line, 1)


@dataclass(frozen=True)
class RowBand:
    above: float | None
    up_to: float | None
    decider: str
    consult: tuple[str, ...]
    inform: tuple[str, ...]
    response_time_hours: int | None  # None: the row does not say
    channel: str
    row: Row


@dataclass
class Read:
    """A matrix read from csv: the bands per (path, team, level), in the rows' order."""

    layout: str  # "export" or "simple"
    bands: dict[tuple[str, str, str], list[RowBand]] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    units: dict[str, str] = field(default_factory=dict)
    first_row: dict[str, Row] = field(default_factory=dict)  # each path's first row
    columns: set[str] = field(default_factory=set)  # the (export's names of the) columns given
    # the tables with a row that gave no band: their gaps would follow from its problem
    broken: set[tuple[str, str, str]] = field(default_factory=set)
    problems: list[Problem] = field(default_factory=list)


def cells(text: str) -> Iterator[tuple[int, list[Cell]]]:
    """The records of RFC 4180 csv, each cell with its line and column (1-based, as an
    editor shows them); a record's line is where it starts. Quoted cells may hold commas,
    doubled quotes and line breaks."""
    line, column = 1, 1
    i, n = 0, len(text)
    while i < n:
        start_line = line
        record: list[Cell] = []
        while True:
            cell_line, cell_column = line, column
            value: list[str] = []
            if i < n and text[i] == '"':
                i, column = i + 1, column + 1
                closed = False
                while i < n:
                    ch = text[i]
                    if ch == '"':
                        if i + 1 < n and text[i + 1] == '"':
                            value.append('"')
                            i, column = i + 2, column + 2
                            continue
                        i, column = i + 1, column + 1
                        closed = True
                        break
                    value.append(ch)
                    i += 1
                    if ch == "\n":
                        line, column = line + 1, 1
                    else:
                        column += 1
                if not closed:
                    raise Unclosed(cell_line, cell_column)
                while i < n and text[i] not in ",\r\n":  # text after a closing quote: kept
                    value.append(text[i])
                    i, column = i + 1, column + 1
            else:
                while i < n and text[i] not in ",\r\n":
                    value.append(text[i])
                    i, column = i + 1, column + 1
            record.append(Cell("".join(value), cell_line, cell_column))
            if i < n and text[i] == ",":
                i, column = i + 1, column + 1
                continue
            break
        if i < n and text[i] == "\r":
            i += 1
        if i < n and text[i] == "\n":
            i += 1
        line, column = line + 1, 1
        yield start_line, record


def read(
    file: str,
    text: str,
    *,
    roles: set[str] | None,
    levels: set[str] | None,
    teams: set[str] | None,
    bounds: dict[str, tuple[float, float | None]] | None = None,
) -> Read:
    """Read an approval matrix; `roles`, `levels` and `teams` are the ids the playbook
    knows, `bounds` each known path's minimum and maximum (the first band starts at the
    minimum; the last ends at the maximum or stays open). None: any id of that kind."""
    found = Read(layout="export")

    def problem(line: int, column: int, rule: str, message: str, hint: str) -> None:
        found.problems.append(Problem(file, line, column, rule, message, hint))

    try:
        _read_records(found, cells(text.removeprefix("\ufeff")), problem, roles, levels, teams)
    except Unclosed as error:
        problem(
            error.line, error.column, "matrix-quote", "this quoted cell is never closed",
            'end it with `"` (a quote inside a cell is written twice: `""`)',
        )  # fmt: skip
        return found
    for (path, team, level), bands in found.bands.items():
        if (path, team, level) not in found.broken:
            _gaps(path, team, level, bands, (bounds or {}).get(path), problem)
    return found


def read_for(file: str, text: str, model: Playbook, *, known_ids: bool = True) -> Read:
    """`read` with the ids and ranges `model` (the organisation's playbook) knows;
    `known_ids=False`: any role, level and team id is taken (a copy kept elsewhere may
    name ones the playbook no longer has: a difference, not a reading problem)."""
    return read(
        file, text,
        roles={r.id for r in model.roles} if known_ids else None,
        levels={lv.id for lv in model.levels_of(model.rep_role)} if known_ids else None,
        teams={t.id for t in model.teams} if known_ids else None,
        bounds={
            p.id: (p.quantity.minimum, p.quantity.maximum)
            for p in model.entries if isinstance(p, EscalationPath)
        },
    )  # fmt: skip


def start(band: RowBand) -> float:
    """Where a band starts, to sort by (the first band, with no `above`, first)."""
    return -math.inf if band.above is None else band.above


def _read_records(
    found: Read,
    records: Iterator[tuple[int, list[Cell]]],
    problem: _Report,
    roles: set[str] | None,
    levels: set[str] | None,
    teams: set[str] | None,
) -> None:
    header = next(records, None)
    if header is None or not any(c.text.strip() for c in header[1]):
        problem(1, 1, "matrix-header", "the file is empty", _header_hint())
        return
    names = [c.text.strip().lower() for c in header[1]]
    twice = next(
        (c for i, c in enumerate(header[1]) if names[i] and names[i] in names[:i]), None
    )  # (empty names, as spreadsheets save trailing columns, are no column)
    if twice is not None:
        problem(
            twice.line, twice.column, "matrix-header",
            f"the column `{_shown(twice.text.strip())}` is named twice",
            "keep one column of each name",
        )  # fmt: skip
        return
    if all(name in names for name in EXPORT_REQUIRED):
        columns = {name: index for index, name in enumerate(names) if name in KNOWN}
    elif all(name in names for name in SIMPLE_REQUIRED):
        found.layout = "simple"
        columns = {SIMPLE[name]: index for index, name in enumerate(names) if name in SIMPLE}
    else:
        required = (*EXPORT_REQUIRED,) if "path_id" in names else SIMPLE_REQUIRED
        missing = [name for name in required if name not in names]
        hint = _header_hint()
        if len(names) == 1 and ";" in names[0]:
            hint = "the cells are separated by `;`: save the file as csv with commas (UTF-8)"
        problem(header[0], 1, "matrix-header", f"the header lacks {', '.join(missing)}", hint)
        return
    found.columns = set(columns)
    seen_cells = 0
    broken = found.broken
    for line, record in records:
        seen_cells += len(record)
        if seen_cells > MAX_CELLS:
            problem(line, 1, "matrix-size", f"more than {MAX_CELLS} cells", "split the file")
            break
        if all(not c.text.strip() for c in record):
            continue  # a blank line
        by_name = {name: record[index] for name, index in columns.items() if index < len(record)}
        row = Row(by_name, line)
        band = _band(row, problem, roles)
        path, team, level = row.text("path_id"), row.text("team_id"), row.text("level_id")
        if band is None:
            broken.add((path, team, level))  # its gaps would follow from this row's problem
            continue
        for value, what, known, column in (
            (team, "team", teams, "team_id"),
            (level, "level", levels, "level_id"),
        ):
            if value and known is not None and value not in known:
                listed = ", ".join(sorted(known)) or "none"
                problem(
                    *row.at(column), "matrix-unknown", f"unknown {what} `{_shown(value)}`",
                    f"use one the playbook knows ({listed}), or leave it empty for every {what}",
                )  # fmt: skip
                band = None
                broken.add((path, team, level))
        unit = row.text("unit")
        if unit and unit not in UNITS:
            problem(
                *row.at("unit"), "matrix-unit", f"unknown unit `{_shown(unit)}`",
                f"use one of {', '.join(UNITS)}",
            )  # fmt: skip
        elif path in found.units and unit != found.units[path]:
            problem(
                *row.at("unit"), "matrix-unit",
                f"{_shown(path)} is in `{found.units[path]}` above, here in `{_shown(unit)}`",
                "one path has one unit: convert the values",
            )  # fmt: skip
        elif unit:
            found.units.setdefault(path, unit)
        if band is None:
            continue
        found.first_row.setdefault(path, row)
        if row.text("path_title"):
            found.titles.setdefault(path, defused(row.text("path_title")))
        found.bands.setdefault((path, team, level), []).append(band)


def _band(row: Row, problem: _Report, roles: set[str] | None) -> RowBand | None:
    path = row.text("path_id")
    ok = True
    if not SLUG.fullmatch(path) or not 2 <= len(path) <= 64:
        what = f"`{_shown(path)}` is not a valid path id" if path else "no path id"
        problem(
            *row.at("path_id"), "matrix-id", what,
            "name the escalation path by its id: 2 to 64 lower-case letters, digits and "
            "single hyphens, e.g. rabatt-freigabe",
        )  # fmt: skip
        return None
    numbers: dict[str, float | None] = {}
    for name in NUMBERS:
        raw = row.text(name)
        if not raw:
            numbers[name] = None
            continue
        value = _number(raw)
        if value is None:
            problem(
                *row.at(name), "matrix-number", f"`{_shown(raw)}` in {name} is not a number",
                "write digits with a dot for decimals and no unit or thousands mark, "
                "e.g. 15 or 250000 or 12.5",
            )  # fmt: skip
            ok = False
        numbers[name] = value
    decider = row.text("decider_role_id")
    if not decider or (roles is not None and decider not in roles):
        listed = ", ".join(sorted(roles or ()))
        what = f"unknown role `{_shown(decider)}`" if decider else "no deciding role"
        problem(
            *row.at("decider_role_id"), "matrix-unknown", what,
            f"use a role id of the playbook's roles: {listed}",
        )  # fmt: skip
    listed_roles: dict[str, tuple[str, ...]] = {}
    for name in ("consult_role_ids", "inform_role_ids"):
        ids = tuple(row.text(name).split())
        unknown = [r for r in ids if roles is not None and r not in roles]
        if unknown:
            problem(
                *row.at(name), "matrix-unknown",
                f"unknown role {', '.join(f'`{_shown(r)}`' for r in unknown)} in {name}",
                "name role ids separated by spaces: " + ", ".join(sorted(roles or ())),
            )  # fmt: skip
        listed_roles[name] = ids
    hours = numbers["response_time_hours"]
    if hours is not None and (hours < 0 or hours != int(hours)):
        problem(
            *row.at("response_time_hours"), "matrix-number",
            "response_time_hours is a whole number of hours, 0 or more", "e.g. 24",
        )  # fmt: skip
        ok = False
    if not ok:  # a number it cannot read: no band (a role it does not know: still one)
        return None
    return RowBand(
        above=numbers["above"],
        up_to=numbers["up_to"],
        decider=decider,
        consult=listed_roles["consult_role_ids"],
        inform=listed_roles["inform_role_ids"],
        response_time_hours=None if hours is None else int(hours),
        channel=defused(row.text("channel")),
        row=row,
    )


def _gaps(
    path: str,
    team: str,
    level: str,
    bands: list[RowBand],
    bound: tuple[float, float | None] | None,
    problem: _Report,
) -> None:
    """Gaps and overlaps between the bands of one path, team and level (rows in any
    order: they are sorted by where they start)."""
    where = _where(path, team, level)
    ordered = sorted(bands, key=start)
    for band in ordered:
        if band.above is not None and band.up_to is not None and band.up_to <= band.above:
            problem(
                *band.row.at("up_to"), "matrix-band",
                f"{where}: the band ends ({_num(band.up_to)}) where it starts or before "
                f"({_num(band.above)})",
                "up_to must be greater than above",
            )  # fmt: skip
    first = ordered[0]
    if first.above is not None and (bound is None or first.above != bound[0]):
        problem(
            *first.row.at("above"), "matrix-gap",
            f"{where}: no band holds the values up to {_num(first.above)}",
            "leave `above` empty on the first band (it starts at the minimum)",
        )  # fmt: skip
    for before, after in itertools.pairwise(ordered):
        if before.up_to is None:
            problem(
                *after.row.at("above"), "matrix-overlap",
                f"{where}: this band overlaps the open band of line {before.row.line}",
                f"give line {before.row.line} an `up_to`, or remove this row",
            )  # fmt: skip
        elif after.above is None or after.above < before.up_to:
            shown = "the minimum" if after.above is None else _num(after.above)
            problem(
                *after.row.at("above"), "matrix-overlap",
                f"{where}: this band starts at {shown}, inside the band of row "
                f"{before.row.line} (up to {_num(before.up_to)})",
                f"start it where line {before.row.line} ends: above = {_num(before.up_to)}",
            )  # fmt: skip
        elif after.above > before.up_to:
            problem(
                *after.row.at("above"), "matrix-gap",
                f"{where}: no band holds the values above {_num(before.up_to)} up to "
                f"{_num(after.above)}",
                f"start this band where line {before.row.line} ends: above = "
                f"{_num(before.up_to)}",
            )  # fmt: skip
    last = ordered[-1]
    maximum = bound[1] if bound else None
    if last.up_to is not None and maximum is not None and last.up_to < maximum:
        problem(
            *last.row.at("up_to"), "matrix-gap",
            f"{where}: no band holds the values above {_num(last.up_to)} (the path goes up "
            f"to {_num(maximum)})",
            f"end the last band at {_num(maximum)}, or leave its up_to empty",
        )  # fmt: skip


def defused(text: str) -> str:
    """A text cell as it was before the export defused it: the `'` it put before a text a
    spreadsheet would run as a formula taken off (any other `'` is the text's own)."""
    if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r"):
        return text[1:]
    return text


def _where(path: str, team: str, level: str) -> str:
    parts = [_shown(path)]
    if team:
        parts.append(f"team {_shown(team)}")
    if level:
        parts.append(f"level {_shown(level)}")
    return ", ".join(parts)


NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def _number(raw: str) -> float | None:
    """A number as csv tools write it: ASCII digits, a dot for decimals (no `_`, no
    digits of other scripts, no NaN or infinity)."""
    text = raw.strip().removeprefix("'")
    if not NUMBER.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def _num(value: float) -> str:
    return f"{value:g}" if value != int(value) else str(int(value))


def _shown(text: str) -> str:
    """A cell's text for a message: short, one line (the terminal sanitises the rest)."""
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= 60 else one_line[:57] + "..."


def _header_hint() -> str:
    return (
        "start with the header of `playbook export --format csv` (path_id, unit, above, "
        "up_to, decider_role_id, ...) or of the simple layout: path, from, to, unit, role"
    )
