"""Autonomy levels in the model: the playbook as it holds for one level.

A path whose bands vary by level keeps every level's bands (`by_level`); reading them at one
level happens here, once, for the views and the diff alike. How a level's bands are read
from the source is in `model/levelmaps.py`.
"""

from __future__ import annotations

import dataclasses

from .playbook import Band, EscalationPath, FlexibleZone, Level, Playbook


def at_level(playbook: Playbook, level_id: str) -> Playbook:
    """The playbook as it holds for one level: each path that varies by the level's role
    has that level's bands; each zone has the freedoms granted up to it."""
    found = playbook.level_of(level_id)
    if found is None:
        return playbook
    role, _ = found
    ladder = [lv.id for lv in role.levels]
    rank = ladder.index(level_id)
    entries = []
    for entry in playbook.entries:
        if isinstance(entry, EscalationPath) and entry.level_role == role.id:
            entry = path_at_level(entry, level_id)
        elif isinstance(entry, FlexibleZone) and any(entry.freedom_levels):
            kept = [
                (text, lv)
                for text, lv in zip(entry.freedoms, entry.freedom_levels, strict=True)
                if lv is None or lv not in ladder or ladder.index(lv) <= rank
            ]
            entry = dataclasses.replace(
                entry,
                freedoms=tuple(t for t, _ in kept),
                freedom_levels=tuple(None if lv in ladder else lv for _, lv in kept),
            )
        entries.append(entry)
    return dataclasses.replace(playbook, entries=tuple(entries), level=level_id)


def path_at_level(path: EscalationPath, level_id: str) -> EscalationPath:
    """A path as it holds at one level: that level's bands, or its only bands when they do
    not vary by the level (or the level is not one of its role's)."""
    bands = next((lb.bands for lb in path.by_level if lb.level == level_id), path.bands)
    return dataclasses.replace(path, bands=bands, by_level=(), level_role=None)


def level_bands(playbook: Playbook, path: EscalationPath) -> list[tuple[Level, tuple[Band, ...]]]:
    """Each level a path's bands vary by, with that level's bands, in the path's order
    (its role's ladder); a level the role does not have is left out."""
    named = {lv.id: lv for lv in playbook.levels_of(path.level_role or "")}
    return [(named[lb.level], lb.bands) for lb in path.by_level if lb.level in named]


def path_levels(old: EscalationPath, new: EscalationPath) -> list[str]:
    """The levels either version of a path has bands for, to compare them level by level:
    the new version's in its order (the old one's if only it varies), then any only the
    old one has."""
    levels = [lb.level for lb in new.by_level or old.by_level]
    levels += [lb.level for lb in old.by_level if lb.level not in levels]
    return levels


def freedom_rank(playbook: Playbook, level_id: str | None) -> int:
    """How far up its role's ladder a level stands (0: the lowest; None: everyone)."""
    if level_id is None:
        return 0
    found = playbook.level_of(level_id)
    return [lv.id for lv in found[0].levels].index(level_id) if found else 0


def level_name(playbook: Playbook, level_id: str | None) -> str:
    found = playbook.level_of(level_id) if level_id else None
    return found[1].name if found else ""
