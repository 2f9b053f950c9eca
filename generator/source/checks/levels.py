"""Autonomy levels: a path's data seen at one level (`AtLevel`), levels that examples,
cases and freedoms name, levels no one can reach, and a higher level that decides less
than a lower one.

The bands at each level are checked in `bands.py`, through `AtLevel`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ...errors import Problem, Severity
from ...model import levelmaps
from ...model.bands import find_band
from ...parse import JsonPath, Source
from ..suggest import choices
from .data import as_dict, as_list, as_number, as_text, with_unit
from .refs import unknown_reference


class Checked(Protocol):
    """A source, or a source's data seen at one autonomy level (`AtLevel`)."""

    @property
    def data(self) -> Any: ...

    def problem(
        self,
        path: JsonPath,
        rule: str,
        message: str,
        hint: str = "",
        *,
        at_key: bool = False,
        severity: Severity = "error",
    ) -> Problem: ...


@dataclass(frozen=True)
class AtLevel:
    """A path's data as it holds at one level; problems point where that level's value
    stands in the source and say which level they are about."""

    source: Source
    data: Any
    origin: dict[JsonPath, JsonPath]
    level: str
    at: JsonPath = ()  # where the bands stand (a team's overlay: `tighten[i]`)

    def problem(
        self,
        path: JsonPath,
        rule: str,
        message: str,
        hint: str = "",
        *,
        at_key: bool = False,
        severity: Severity = "error",
    ) -> Problem:
        for n in range(len(path), 0, -1):
            if path[:n] in self.origin:
                path = self.origin[path[:n]] + path[n:]
                break
        where = (*self.at, *path) if path and path[0] == "bands" else path
        return self.source.problem(
            where,
            rule,
            f"at level `{self.level}`: {message}" if self.level else message,
            hint,
            at_key=at_key,
            severity=severity,
        )


def item_levels(
    source: Source,
    data: dict[str, Any],
    known: levelmaps.Ladders,
    ladder: tuple[str, tuple[str, ...]] | None,
) -> Iterator[Problem]:
    """The `level` an example or a case names: known, and one the path's bands vary by."""
    for field in ("examples", "cases"):
        for x, item in enumerate(as_list(data.get(field))):
            level = as_dict(item).get("level")
            has = [k for k in ("value", "decider") if k in as_dict(item)]
            if field == "cases" and len(has) == 1:
                missing = "decider" if has == ["value"] else "value"
                yield source.problem(
                    (field, x),
                    "missing-key",
                    f"the case names a `{has[0]}` but no `{missing}`",
                    f"add `{missing}:`; a case names the value and who must decide it, or neither",
                    at_key=True,
                )
            if not isinstance(level, str):
                continue
            path: JsonPath = (field, x, "level")
            if level not in known:
                yield unknown_reference(
                    source, path, level, "level", set(known), "define it in playbook.yml"
                )
            elif ladder is None:
                yield source.problem(
                    path,
                    "bad-value",
                    f"names the level `{level}`, but this path's bands do not vary by level",
                    "remove `level`, or let the bands vary by level",
                )
            elif known[level][0] != ladder[0]:
                yield source.problem(
                    path,
                    "level-mixed-roles",
                    f"`{level}` is a level of `{known[level][0]}`, but this path's bands vary "
                    f"by the levels of `{ladder[0]}`",
                    f"name one of: {choices(ladder[1])}",
                )


def role_levels(source: Source) -> Iterator[Problem]:
    """Every level of a role can be reached: someone other than the role confirms it."""
    for r, role in enumerate(as_list(as_dict(source.data).get("roles"))):
        role_id = as_dict(role).get("id")
        for v, level in enumerate(as_list(as_dict(role).get("levels"))):
            level = as_dict(level)
            name = level.get("id")
            confirmer = level.get("confirmed_by")
            if v > 0 and confirmer is None:
                yield source.problem(
                    ("roles", r, "levels", v),
                    "level-unreachable",
                    f"no role confirms that someone has reached the level `{name}`, so no one "
                    "can reach it",
                    f"add `confirmed_by:` with the role that confirms it, e.g. "
                    f"`{as_dict(role).get('escalates_to') or 'a lead role'}`",
                    at_key=True,
                )
            elif isinstance(confirmer, str) and confirmer == role_id:
                yield source.problem(
                    ("roles", r, "levels", v, "confirmed_by"),
                    "level-unreachable",
                    f"`{role_id}` would confirm its own level `{name}`: no one independent "
                    "confirms it",
                    "name the role that confirms it, e.g. the one it escalates to",
                )


def freedom_levels(
    source: Source, known: levelmaps.Ladders, data: dict[str, Any], at: JsonPath
) -> Iterator[Problem]:
    for i, freedom in enumerate(as_list(data.get("freedoms"))):
        level = as_dict(freedom).get("from_level")
        if isinstance(level, str) and level not in known:
            yield unknown_reference(
                source,
                (*at, "freedoms", i, "from_level"),
                level,
                "level",
                set(known),
                "define it under a role's `levels:` in playbook.yml",
            )


def _decider(data: dict[str, Any], value: float) -> tuple[int | None, Any]:
    quantity = as_dict(data.get("quantity"))
    bands = [as_dict(b) for b in as_list(data.get("bands"))]
    minimum = as_number(quantity.get("minimum"))
    index = find_band(
        value,
        0.0 if minimum is None else minimum,
        as_number(quantity.get("maximum")),
        [(as_number(b.get("above")), as_number(b.get("up_to"))) for b in bands],
    )
    return index, bands[index].get("decider") if index is not None else None


def monotonic(role: str, low: AtLevel, high: AtLevel) -> Iterator[Problem]:
    """What `role` decides at the lower level, it decides at the higher one too."""
    edges: set[float] = set()
    for view in (low, high):
        quantity = as_dict(view.data.get("quantity"))
        edges |= {
            quantity[n] for n in ("minimum", "maximum") if as_number(quantity.get(n)) is not None
        }
        for band in as_list(view.data.get("bands")):
            edges |= {
                band[n] for n in ("above", "up_to") if as_number(as_dict(band).get(n)) is not None
            }
    ordered = sorted(edges)
    # every edge, and a value between each edge and the next: (value, edge index, on the edge)
    points = [
        point
        for i, edge in enumerate(ordered)
        for point in (
            (edge, i, True),
            ((edge + (ordered[i + 1] if i + 1 < len(ordered) else edge + 1)) / 2, i, False),
        )
    ]
    unit = as_text(as_dict(low.data.get("quantity")).get("unit"))
    run: list[tuple[tuple[float, int, bool], int | None]] = []
    for point in [*points, None]:
        if point is not None:
            index, decider = _decider(high.data, point[0])
            if _decider(low.data, point[0])[1] == role and decider != role:
                run.append((point, index))
                continue
        if not run:
            continue
        (first, where), (last, _) = run[0], run[-1]
        start = (
            f"from {with_unit(first[0], unit)}"
            if first[2]
            else f"above {with_unit(ordered[first[1]], unit)}"
        )
        end = (
            f"up to {with_unit(last[0], unit)}"
            if last[2]
            else f"below {with_unit(ordered[last[1] + 1], unit)}"
            if last[1] + 1 < len(ordered)
            else "and above"
        )
        band = where if where is not None else 0
        varies = len(high.origin.get(("bands", band, "decider"), ())) == 4
        moved = "decider" if varies else "above"
        yield high.problem(
            ("bands", band, moved),
            "level-not-monotonic",
            f"`{role}` decides less than at the lower level `{low.level}`: values {start} {end} "
            f"are `{role}`'s to decide at `{low.level}`, but not at `{high.level}`",
            f"a higher level never decides less than a lower one: give `{high.level}` at least "
            f"the range of `{low.level}`",
        )
        run.clear()
