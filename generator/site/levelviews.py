"""Autonomy levels and cases from practice as the pages show them: model -> views.

Pure functions over the model; the templates format what they return (ranges, names).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..model.levels import level_bands
from ..model.playbook import Band, Case, Entry, EscalationPath, Level, Onboarding, Playbook


@dataclass(frozen=True)
class GridRow:
    """A value range and, for each level, the role that decides in it."""

    span: Band  # only its edges count (`above`, `up_to`, `lower`)
    deciders: tuple[str | None, ...]  # per level; None where no band holds the range


@dataclass(frozen=True)
class LevelGrid:
    """A levelled path's bands side by side: who decides each value range at each level."""

    role: str  # the role whose levels the bands vary by
    levels: tuple[Level, ...]
    rows: tuple[GridRow, ...]


def level_grid(model: Playbook, path: EscalationPath) -> LevelGrid | None:
    """The path's deciders by value range and level; None for a path that has no levels.

    The ranges are cut at every edge any level has, and neighbours that every level
    decides alike are joined again.
    """
    if not path.by_level or path.level_role is None:
        return None
    levels = tuple(level for level, _ in level_bands(model, path))
    bands = {lb.level: lb.bands for lb in path.by_level}
    every = [b for lb in path.by_level for b in lb.bands]
    edges = sorted({b.up_to for b in every if b.up_to is not None})
    spans: list[tuple[float | None, float | None]] = []
    lower: float | None = None
    for edge in edges:
        spans.append((lower, edge))
        lower = edge
    if any(b.up_to is None for b in every):
        spans.append((lower, None))
    rows: list[GridRow] = []
    for above, up_to in spans:
        deciders = tuple(_decider(bands[lv.id], above, up_to) for lv in levels)
        if rows and rows[-1].deciders == deciders:
            joined = dataclasses.replace(rows[-1].span, up_to=up_to)
            rows[-1] = GridRow(joined, deciders)
            continue
        span = dataclasses.replace(
            every[0],
            above=above,
            up_to=up_to,
            lower=path.quantity.minimum if above is None else above,
        )
        rows.append(GridRow(span, deciders))
    return LevelGrid(path.level_role, levels, tuple(rows))


def _decider(bands: tuple[Band, ...], above: float | None, up_to: float | None) -> str | None:
    """Who decides the range (above, up_to] (from the minimum where `above` is None)."""
    for band in bands:
        starts = band.above is None or (above is not None and above >= band.above)
        ends = band.up_to is None or (up_to is not None and up_to <= band.up_to)
        if starts and ends:
            return band.decider
    return None


@dataclass(frozen=True)
class LevelView:
    """A level of a role with the entries that belong to reaching it."""

    level: Level
    see: tuple[Entry, ...]


def level_views(model: Playbook, role_id: str) -> tuple[LevelView, ...]:
    return tuple(
        LevelView(lv, tuple(model.entry(i) for i in lv.see)) for lv in model.levels_of(role_id)
    )


@dataclass(frozen=True)
class LevelDecides:
    """What a role with levels decides on one path at each of its levels."""

    path: EscalationPath
    bands: tuple[tuple[Band, ...], ...]  # per level of the role, lowest first


def level_decides(model: Playbook, role_id: str) -> tuple[LevelDecides, ...]:
    """The paths that vary by the role's levels, with the bands it decides at each."""
    return tuple(
        LevelDecides(
            path, tuple(tuple(b for b in lb.bands if b.decider == role_id) for lb in path.by_level)
        )
        for path in model.of_kind("escalation_path")
        if isinstance(path, EscalationPath) and path.level_role == role_id and path.by_level
    )


@dataclass(frozen=True)
class RoleBand:
    """A band a role decides, is consulted or informed on; for a path that varies by
    level, the levels it holds at (empty: at every level, or the path has none)."""

    path: EscalationPath
    band: Band
    levels: tuple[Level, ...] = ()


def role_bands(model: Playbook, role_id: str, relation: str) -> tuple[RoleBand, ...]:
    """The bands where the role `relation`s ("decides", "consult", "inform"): a band that
    holds at only some levels is shown once, with those levels."""
    found: list[RoleBand] = []
    for path in model.of_kind("escalation_path"):
        if not isinstance(path, EscalationPath):
            continue
        if not path.by_level or path.level_role is None:
            found += [RoleBand(path, b) for b in path.bands if _holds(b, role_id, relation)]
            continue
        held: dict[Band, list[Level]] = {}
        for level, bands in level_bands(model, path):
            for band in bands:
                if _holds(band, role_id, relation):
                    held.setdefault(band, []).append(level)
        everywhere = len(path.by_level)
        found += [
            RoleBand(path, band, () if len(levels) == everywhere else tuple(levels))
            for band, levels in held.items()
        ]
    return tuple(found)


def _holds(band: Band, role_id: str, relation: str) -> bool:
    if relation == "decides":
        return band.decider == role_id
    return role_id in getattr(band, relation)


@dataclass(frozen=True)
class CaseCheck:
    """A self-check drawn from a case: the situation asks, what is right and why answer."""

    entry: Entry
    case: Case


@dataclass(frozen=True)
class LevelGain:
    """What the next level decides on a path that the level held does not."""

    path: EscalationPath
    now: tuple[Band, ...]  # the rep's own bands at the level held
    then: tuple[Band, ...]  # ... and at the next level


@dataclass(frozen=True)
class OnboardingView:
    """The onboarding page's view of levels: the one a new hire holds, the next one and
    what it needs; and for each step without its own check, checks drawn from cases."""

    held: Level | None
    next: Level | None
    gains: tuple[LevelGain, ...]
    drawn: tuple[tuple[tuple[CaseCheck, ...], ...], ...]  # per week, per step


def onboarding_view(model: Playbook, track: Onboarding) -> OnboardingView:
    levels = model.levels_of(model.rep_role)
    held = levels[0] if levels else None
    following = levels[1:]
    by_onboarding = [lv for lv in following if lv.onboarding]
    upcoming = by_onboarding[0] if by_onboarding else (following[0] if following else None)
    gains: tuple[LevelGain, ...] = ()
    if held is not None and upcoming is not None:
        gains = tuple(
            LevelGain(d.path, d.bands[levels.index(held)], d.bands[levels.index(upcoming)])
            for d in level_decides(model, model.rep_role)
            if d.bands[levels.index(held)] != d.bands[levels.index(upcoming)]
        )
    drawn = tuple(
        tuple(() if step.check else _checks(model, step.entries) for step in week.steps)
        for week in track.weeks
    )
    return OnboardingView(held, upcoming, gains, drawn)


def _checks(model: Playbook, entry_ids: tuple[str, ...]) -> tuple[CaseCheck, ...]:
    entries = (model.entry(i) for i in entry_ids)
    return tuple(CaseCheck(e, c) for e in entries if e.in_force for c in e.cases)
