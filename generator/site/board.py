"""The delegation board: who has which part in each decision, as plain data.

Rows are the decisions in force (escalation paths, then flexible zones), columns the
roles; a role with autonomy levels has one column per level. Each cell says the role's
part in words ("entscheidet bis 10 %", "wird konsultiert: …", "entscheidet frei") and
at a glance ("bis 10 %", "konsultiert", "frei"; where it differs by another role's level,
one line per level: "E über 5 % bis 15 %"). The organisation's board carries each
team's (its values, cells the team holds stricter marked), each a view block of the
page (site/views.py). The site's board page and the poster PDF (cards/poster.py) show this data.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..model.levels import at_level, path_at_level
from ..model.overlay import apply, why
from ..model.playbook import (
    Band,
    Entry,
    EscalationPath,
    FlexibleZone,
    Level,
    Playbook,
    Quantity,
    Role,
    Team,
)
from ..text import Text
from .views import view_classes

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
    level_name: str = ""  # "Einsteiger:in" for a role with levels


@dataclass(frozen=True)
class LevelKey:
    """A level as a cell names it: short ("E"), its name in the tooltip and the key."""

    id: str
    name: str
    short: str


@dataclass(frozen=True)
class AtLevels:
    """One line of a glance that differs by level: "E über 5 % bis 15 %"."""

    levels: tuple[LevelKey, ...]
    text: str


@dataclass(frozen=True)
class Glance:
    """A part as the cell shows it at a glance: "bis 10 %", "konsultiert", "frei"."""

    part: str
    text: str = ""  # "" where it differs by level: then `levels` says it
    levels: tuple[AtLevels, ...] = ()


@dataclass(frozen=True)
class Cell:
    part: str  # the strongest part: decides, consulted, informed, free, later; "" for none
    pieces: tuple[tuple[str, str], ...] = ()  # each part with its words, strongest first
    glance: tuple[Glance, ...] = ()  # each part short, strongest first
    more: bool = False  # whether the words say more than the glance (the cell opens)
    stricter: bool = False  # on a team's board: the team holds it stricter

    @property
    def text(self) -> str:
        """The role's part in words ("entscheidet bis 10 %; wird informiert: …"); "" for none."""
        return "; ".join(words for _, words in self.pieces)


@dataclass(frozen=True)
class Row:
    entry: Entry  # an escalation path or a flexible zone
    delegation: str | None  # one of DELEGATION
    cells: tuple[Cell, ...]  # one per column
    why: str = ""  # on a team's board: the team's reason for tightening the entry


@dataclass(frozen=True)
class Board:
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    levels: tuple[LevelKey, ...] = ()  # the levels cells name by their short names
    team: Team | None = None  # whose values it shows; None: the organisation's
    classes: str = ""  # its view block's classes (site/views.py)
    teams: tuple[Board, ...] = ()  # on the organisation's board: each team's

    @property
    def views(self) -> tuple[Board, ...]:
        """The page's blocks: this board (shown without a choice), then each team's."""
        return (self, *self.teams)

    @property
    def default(self) -> bool:
        """Whether it is the block shown without a choice (the one search may index)."""
        return "pb-view--default" in self.classes.split()

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

    @property
    def level_keys(self) -> tuple[LevelKey, ...]:
        """The levels named short on this board or a team's, in their order (the key)."""
        found = {key.id: key for shown in self.views for key in shown.levels}
        return tuple(found.values())


NO_CELL = Cell("")
POSTER_MOST_ROWS = 48  # at 6 pt an A3 page holds about this many decisions
POSTER_MOST_COLUMNS = 16  # roles and levels side by side at 18 mm each


def board(model: Playbook, teams: bool = True) -> Board:
    """The board of `model` (the organisation's playbook or a team's own site), shown
    without a choice; with `teams`, each team's board besides (the team switch)."""
    own = model.team_named(model.team) if model.team else None  # a team's own site
    shown = _board(model, None, own)
    shown = dataclasses.replace(shown, classes=view_classes(own.id if own else "", "", True))
    if own or not teams:
        return shown
    found = []
    for team in model.teams:
        held = _board(apply(model, team.id), model, team)
        found.append(
            dataclasses.replace(_stricter(held, shown), classes=view_classes(team.id, "", False))
        )
    return dataclasses.replace(shown, teams=tuple(found))


def _board(model: Playbook, org: Playbook | None, team: Team | None) -> Board:
    """The board of `model`; `org`: the organisation's playbook when `model` is a team's
    view of it (a zone's freedoms count against the organisation's)."""
    fmt = Text(model.language)
    columns = _columns(model)
    at = {c.level: at_level(model, c.level) for c in columns if c.level}
    # the short names of each role's levels ("E" for Einsteiger:in)
    keys = {role.id: _level_keys(role.levels) for role in model.roles if role.levels}
    rows: list[Row] = []
    for path in model.of_kind("escalation_path"):
        assert isinstance(path, EscalationPath)
        cells = tuple(_path_cell(model, path, column, fmt, keys) for column in columns)
        rows.append(Row(path, path.delegation, cells, why(model, path) if team else ""))
    for zone in model.of_kind("flexible_zone"):
        assert isinstance(zone, FlexibleZone)
        base = _base_zone(org, zone)
        cells = tuple(_zone_cell(model, zone, base, column, at, fmt) for column in columns)
        rows.append(Row(zone, zone.delegation, cells, why(model, zone) if team else ""))
    used = {
        key.id: key
        for row in rows
        for cell in row.cells
        for glance in cell.glance
        for line in glance.levels
        for key in line.levels
    }
    order = [lv.id for role in model.roles for lv in role.levels]
    levels = tuple(used[i] for i in order if i in used)
    return Board(columns, tuple(rows), levels, team)


def _base_zone(org: Playbook | None, zone: FlexibleZone) -> FlexibleZone:
    if org is None:
        return zone
    try:
        found = org.entry(zone.id)
    except KeyError:
        return zone
    return found if isinstance(found, FlexibleZone) else zone


def _stricter(held: Board, org: Board) -> Board:
    """A team's board with each cell marked that differs from the organisation's in an
    entry the team tightens (an overlay may only tighten: every difference is stricter)."""
    by_id = {row.entry.id: row for row in org.rows}
    rows = []
    for row in held.rows:
        theirs = by_id.get(row.entry.id)
        if row.entry.team and theirs is not None:
            cells = tuple(
                dataclasses.replace(mine, stricter=True) if mine.pieces != other.pieces else mine
                for mine, other in zip(row.cells, theirs.cells, strict=True)
            )
            row = dataclasses.replace(row, cells=cells)
        rows.append(row)
    return dataclasses.replace(held, rows=tuple(rows))


def _columns(model: Playbook) -> tuple[Column, ...]:
    template = Text(model.language).t["board"]["column"]
    columns: list[Column] = []
    for role in model.roles:
        if not role.levels:
            columns.append(Column(role, None, role.name))
        for level in role.levels:
            label = template.format(role=role.name, level=level.name)
            columns.append(Column(role, level.id, label, level.name))
    return tuple(columns)


def _level_keys(levels: Sequence[Level]) -> dict[str, LevelKey]:
    """Each level with the shortest start of its name that no other level's shares
    ("E", "Z", "S"; "Se" and "Sp" for Senior and Spezialist)."""
    keys = {}
    for level in levels:
        name = level.name.strip() or level.id
        others = [(lv.name.strip() or lv.id) for lv in levels if lv is not level]
        size = next(
            (n for n in range(1, len(name)) if all(o[:n] != name[:n] for o in others)),
            len(name),
        )
        keys[level.id] = LevelKey(level.id, name, name[:size])
    return keys


def _path_cell(
    model: Playbook,
    path: EscalationPath,
    column: Column,
    fmt: Text,
    keys: dict[str, dict[str, LevelKey]],
) -> Cell:
    """The role's part in `path`; where the bands vary by another role's level, each part
    with the levels it holds at where that differs ("über 5 % bis 15 % (bei Einsteiger:in)",
    at a glance "E über 5 % bis 15 %")."""
    role = column.role.id
    if not path.by_level:
        return _cell(_parts(path.bands, path.quantity, role, fmt), fmt)
    if path.level_role == role and column.level:
        bands = path_at_level(path, column.level).bands
        return _cell(_parts(bands, path.quantity, role, fmt), fmt)
    names = {lv.id: lv.name for lv in model.levels_of(path.level_role or "")}
    short = keys.get(path.level_role or "", {})
    at = [(lb.level, _parts(lb.bands, path.quantity, role, fmt)) for lb in path.by_level]
    parts: dict[str, str] = {}
    glances: dict[str, Glance] = {}
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
                range=text,
                levels=", ".join(names.get(lv, lv) for lv, other in said if other == text),
            )
            for text in distinct
            if text
        )

        def key(level: str) -> LevelKey:
            return short.get(level) or LevelKey(level, names.get(level, level), level)

        if part == DECIDES:  # one line for each range, with the levels it holds at
            lines = tuple(
                AtLevels(tuple(key(lv) for lv, other in said if other == text), text)
                for text in distinct
                if text
            )
        elif "" in distinct:  # consulted or informed at some levels only: which
            held_at = tuple(key(lv) for lv, other in said if other)
            lines = (AtLevels(held_at, _glance_word(part, fmt)),)
        else:  # consulted or informed at every level (the ranges are in the words)
            continue
        glances[part] = Glance(part, "", lines)
    return _cell(parts, fmt, glances)


PARTS = (DECIDES, CONSULTED, INFORMED)


def _glance_word(part: str, fmt: Text) -> str:
    return str(fmt.t["board"]["glance"][part])


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


def _cell(parts: dict[str, str], fmt: Text, glances: dict[str, Glance] | None = None) -> Cell:
    """A cell from each part's ranges; at a glance the range the role decides, the word
    for the others (their ranges are in the words), or the given glance of a part."""
    if not parts:
        return NO_CELL
    glances = glances or {}
    said = tuple((p, fmt.t["board"][p].format(range=parts[p])) for p in PARTS if p in parts)
    glance = tuple(
        glances.get(p) or Glance(p, parts[p] if p == DECIDES else _glance_word(p, fmt))
        for p, _ in said
    )
    more = any(p != DECIDES for p, _ in said) or any(g.levels for g in glance)
    return Cell(said[0][0], said, glance, more)


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
    base: FlexibleZone,
    column: Column,
    at: dict[str, Playbook],
    fmt: Text,
) -> Cell:
    """The rep role decides freely in every zone; a level that is granted only some of a
    zone's freedoms says how many, and from which level on it has all. The freedoms count
    against `base`, the organisation's zone (a team may keep only some of them)."""
    if column.role.id != model.rep_role:
        return NO_CELL
    t = fmt.t["board"]
    total = len(base.freedoms)
    granted = _granted(zone, column.level, at)
    if granted >= total:
        return Cell(FREE, ((FREE, t["free"]),), (Glance(FREE, t["glance"]["free"]),))
    whole = _first_level(column, zone, at, lambda n: n >= total)
    if granted == 0:
        later = whole or _first_level(column, zone, at, lambda n: n > 0)
        if not later:
            return NO_CELL
        words = t["free_from"].format(level=later)
        short = t["glance"]["free_from"].format(level=later)
        return Cell(LATER, ((LATER, words),), (Glance(LATER, short),))
    if whole:
        words = t["free_some"].format(n=granted, total=total, level=whole)
    else:
        words = t["free_part"].format(n=granted, total=total)
    short = t["glance"]["free_some"].format(n=granted, total=total)
    return Cell(FREE, ((FREE, words),), (Glance(FREE, short),), True)


def _granted(zone: FlexibleZone, level: str | None, at: dict[str, Playbook]) -> int:
    """How many of the zone's freedoms a level is granted (all, for a role without levels)."""
    if not level:
        return len(zone.freedoms)
    held = at[level].entry(zone.id)
    assert isinstance(held, FlexibleZone)
    return len(held.freedoms)


def _first_level(
    column: Column, zone: FlexibleZone, at: dict[str, Playbook], enough: Callable[[int], bool]
) -> str:
    """The name of the column's role's lowest level granted `enough` of the zone's freedoms."""
    for level in column.role.levels:
        if enough(_granted(zone, level.id, at)):
            return level.name
    return ""
