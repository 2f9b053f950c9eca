"""Drift between a matrix kept elsewhere (a CRM's approval rules, an old export) and the
playbook's bands today: `playbook export --check FILE`.

Bands are compared by value range, as the diff compares versions (changes/paths.py):
both sides are cut at every edge either has, and each range whose decider differs gets
one sentence ("Rabattfreigabe, as Senior: above 12 % up to 14 %: the file says Account
Executive, the playbook Teamleitung Vertrieb"). Plain data in, sentences out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..text import Text
from .paths import probe_points, value_span

LANGUAGE = "en"  # as the diff speaks (changes/compare.py)

Edges = tuple[float | None, float | None, str]  # above (exclusive), up_to (inclusive), decider


@dataclass(frozen=True)
class Difference:
    path: str
    team: str
    level: str
    line: int  # where the file gives this table (0: it does not)
    text: str


def differences(
    kept: dict[tuple[str, str, str], tuple[list[Edges], int]],
    matrix: dict[str, Any],
) -> list[Difference]:
    """What differs between `kept` (each path, team and level's bands, and the line the
    file gives them on) and `matrix` (model.matrix.decision_matrix), for every team and
    level the playbook has: where the file has no table of its own for one, its table for
    every team (`""`) or every level (`""`) is what it enforces there. A path, team or
    level only one side has differs too."""
    fmt = Text(LANGUAGE)
    paths = {p["id"]: p for p in matrix["paths"]}
    roles = {r["id"]: r["name"] for r in matrix["roles"]}
    levels = {lv["id"]: lv["name"] for lv in matrix["levels"]}
    teams = {t["id"]: t["name"] for t in matrix["teams"]}
    held = {
        (p["id"], a["team"], a["level"]): [
            (b["above"], b["up_to"], b["decider"]["id"]) for b in a["bands"]
        ]
        for p in matrix["paths"]
        for a in p["answers"]
    }
    found: list[Difference] = []
    for (path_id, team, level), (_, line) in kept.items():  # what the file has, we do not
        path = paths.get(path_id)
        if path is None:
            text = f"{path_id}: the file has this path, the playbook has none by that id"
            found.append(Difference(path_id, team, level, line, text))
        elif (path_id, team, level) not in held:
            where = _where(path["title"], teams.get(team, team), levels.get(level, level))
            text = f"{where}: the playbook has no such team or level"
            found.append(Difference(path_id, team, level, line, text))
    given = {p for p, _, _ in kept}
    for (path_id, team, level), ours in held.items():
        if path_id not in given:
            continue
        # a table the file does not have: its rules for every team or every level hold
        theirs = next(
            (kept[k] for k in ((path_id, team, level), (path_id, team, ""),
                               (path_id, "", level), (path_id, "", "")) if k in kept),
            None,
        )  # fmt: skip
        path = paths[path_id]
        where = _where(path["title"], teams.get(team, team), levels.get(level, level))
        if theirs is None:
            text = f"{where}: the playbook has rules here, the file has none"
            found.append(Difference(path_id, team, level, 0, text))
            continue
        bands, line = theirs
        for text in _moves(bands, ours, path["quantity"], fmt, roles):
            found.append(Difference(path_id, team, level, line, f"{where}: {text}"))
    for path_id, path in paths.items():
        if path_id not in given:
            text = f"{path['title']} ({path_id}): the playbook has this path, the file has none"
            found.append(Difference(path_id, "", "", 0, text))
    return found


def _where(title: str, team: str, level: str) -> str:
    text = title
    if team:
        text += f" in team {team}"
    if level:
        text += f", as {level}"
    return text


def _decider(bands: Sequence[Edges], value: float, minimum: float, maximum: float | None) -> str:
    """Who decides `value` by `bands` ("": no one). Unlike `model.bands.find_band`, a first
    band with an `above` starts there: a file kept elsewhere may leave a gap."""
    if value < minimum or (maximum is not None and value > maximum):
        return ""
    for above, up_to, decider in bands:
        starts = value >= minimum if above is None else value > above
        if starts and (up_to is None or value <= up_to):
            return decider
    return ""


def _moves(
    kept: list[Edges],
    ours: list[Edges],
    quantity: dict[str, Any],
    fmt: Text,
    roles: dict[str, str],
) -> list[str]:
    minimum: float = quantity["minimum"]
    maximum: float | None = quantity["maximum"]
    unit: str = quantity["unit"]
    found = {minimum, *(e for bands in (kept, ours) for b in bands for e in b[:2] if e is not None)}
    if maximum is not None:
        found.add(maximum)
    edges, points = probe_points(found)
    runs: list[tuple[int, int, str, str]] = []
    for index, value in enumerate(points):
        theirs = _decider(kept, value, minimum, None)  # the file's: beyond our maximum too
        mine = _decider(ours, value, minimum, maximum)
        if theirs == mine:
            continue
        if runs and runs[-1][1] + 1 == index and runs[-1][2:] == (theirs, mine):
            runs[-1] = (runs[-1][0], index, theirs, mine)
        else:
            runs.append((index, index, theirs, mine))
    texts = []
    for first, last, theirs, mine in runs:
        span = value_span(fmt.t, fmt.t["diff"], edges, points, first, last,
                          lambda v: fmt.amount(v, unit))  # fmt: skip
        if last % 2 == 1 and last // 2 + 1 >= len(edges):
            span += " and more"  # beyond the last edge either side has
        file_says = roles.get(theirs, theirs) if theirs else "no one (no band)"
        we_say = roles.get(mine, mine) if mine else "no one (no band)"
        texts.append(f"{span}: the file says {file_says}, the playbook {we_say}")
    return texts
