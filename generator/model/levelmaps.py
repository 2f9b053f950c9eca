"""Autonomy levels in raw source data: a path's bands as they hold at one level.

An escalation band's `above`, `up_to` and `decider` may each be a mapping by level of one
role (`{einsteiger: 5, zertifiziert: 10, senior: 12}`). The lowest level must be named; a
level left out takes the value of the level below it. A band that is empty at a level
(its edges meet) is left out there, so the bands above shift with the rep's own band.

Pure functions over raw source data: the checks read it defensively, the model is built
from it once it is valid. `model/levels.py` does the same for the model.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

JsonPath = tuple[str | int, ...]
EDGES = ("above", "up_to", "decider")
# level id -> (its role, that role's level ids lowest first)
Ladders = Mapping[str, tuple[str, tuple[str, ...]]]


def ladders(settings: Any) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Every level named in `playbook.yml`'s raw data, with its role and that role's ladder."""
    found: dict[str, tuple[str, tuple[str, ...]]] = {}
    roles = settings.get("roles") if isinstance(settings, dict) else None
    for role in roles if isinstance(roles, list) else []:
        if not isinstance(role, dict) or not isinstance(role.get("id"), str):
            continue
        levels = role["levels"] if isinstance(role.get("levels"), list) else []
        ids = tuple(
            lv["id"] for lv in levels if isinstance(lv, dict) and isinstance(lv.get("id"), str)
        )
        for level in ids:
            found.setdefault(level, (role["id"], ids))
    return found


def level_keys(bands: Any) -> Iterator[tuple[JsonPath, str]]:
    """Every level named in a path's band mappings, with where it stands."""
    for i, band in enumerate(bands if isinstance(bands, list) else []):
        if not isinstance(band, dict):
            continue
        for name in EDGES:
            value = band.get(name)
            if isinstance(value, dict):
                for key in value:
                    yield ("bands", i, name, key), str(key)


def ladder_of(bands: Any, known: Ladders) -> tuple[str, tuple[str, ...]] | None:
    """The role (and its ladder) a path's bands vary by: that of the first known level."""
    for _, key in level_keys(bands):
        if key in known:
            return known[key]
    return None


def pick(value: Any, ladder: tuple[str, ...], level: str) -> tuple[Any, str | None]:
    """A mapping's value at `level` (the nearest level at or below it), and its key."""
    if not isinstance(value, dict):
        return value, None
    found: tuple[Any, str | None] = (None, None)
    for step in ladder[: ladder.index(level) + 1]:
        if step in value:
            found = (value[step], step)
    return found


def resolve(
    bands: Any, ladder: tuple[str, ...], level: str
) -> tuple[list[dict[str, Any]], dict[JsonPath, JsonPath]]:
    """The bands at `level` as plain data, and where each resolved value stands in the
    source (`("bands", 1, "up_to")` -> `("bands", 1, "up_to", "senior")`)."""
    resolved: list[dict[str, Any]] = []
    origin: dict[JsonPath, JsonPath] = {}
    for i, band in enumerate(bands if isinstance(bands, list) else []):
        if not isinstance(band, dict):
            resolved.append(band)
            continue
        plain = dict(band)
        places: dict[str, JsonPath] = {}
        for name in EDGES:
            if name in band:
                value, key = pick(band[name], ladder, level)
                if value is None:
                    del plain[name]
                else:
                    plain[name] = value
                places[name] = ("bands", i, name) if key is None else ("bands", i, name, key)
        above, up_to = plain.get("above"), plain.get("up_to")
        if _number(above) and _number(up_to) and above == up_to and i > 0:
            continue  # empty at this level: the bands above shift down
        n = len(resolved)
        origin[("bands", n)] = ("bands", i)
        for name, place in places.items():
            origin[("bands", n, name)] = place
        resolved.append(plain)
    return resolved, origin


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
