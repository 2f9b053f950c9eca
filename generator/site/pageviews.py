"""What the start page and the role pages show, as plain data for their templates: band
rows, each role's part, the start page's lists and "your range" for each view."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model.answers import merged
from ..model.kinds import ENTRY_KINDS
from ..model.playbook import (
    Band,
    Entry,
    EscalationPath,
    FlexibleZone,
    NonNegotiable,
    Playbook,
    Role,
    Underperformance,
)
from ..text import Text
from .levelviews import (
    LevelDecides,
    LevelView,
    RoleBand,
    level_decides,
    level_grid,
    level_views,
    role_bands,
)
from .views import View, view_classes, views


@dataclass(frozen=True)
class BandRow:
    path: EscalationPath
    band: Band
    index: int
    # with no level chosen, where levels decide a range differently: (level name, role id)
    by_level: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class RoleView:
    """Everything one role decides, is consulted or informed on, and owns."""

    role: Role
    decides: tuple[RoleBand, ...]
    consulted: tuple[RoleBand, ...]
    informed: tuple[RoleBand, ...]
    levels: tuple[LevelView, ...]  # the role's autonomy levels, lowest first
    by_level: tuple[LevelDecides, ...]  # a role with levels: what it decides at each
    owns: tuple[Any, ...]
    zones: tuple[FlexibleZone, ...]  # the decision zones: the rep role's own
    rules: tuple[NonNegotiable, ...]
    steps: tuple[tuple[Underperformance, Any], ...]
    escalates_to: Role | None


def band_rows(model: Playbook) -> tuple[BandRow, ...]:
    return tuple(
        BandRow(path, band, i)
        for path in model.of_kind("escalation_path")
        if isinstance(path, EscalationPath)
        for i, band in enumerate(path.bands)
    )


def role_view(model: Playbook, role: Role) -> RoleView:
    by_level = level_decides(model, role.id) if role.levels else ()
    shown = {row.path.id for row in by_level}  # what varies by its levels is shown there
    return RoleView(
        role=role,
        decides=tuple(r for r in role_bands(model, role.id, "decides") if r.path.id not in shown),
        consulted=role_bands(model, role.id, "consult"),
        informed=role_bands(model, role.id, "inform"),
        levels=level_views(model, role.id),
        by_level=by_level,
        owns=tuple(e for e in model.in_force if e.owner == role.id),
        zones=tuple(
            e for e in model.in_force if isinstance(e, FlexibleZone) and role.id == model.rep_role
        ),
        rules=tuple(
            e for e in model.in_force if isinstance(e, NonNegotiable) and role.id in e.applies_to
        ),
        steps=tuple(
            (e, step)
            for e in model.in_force
            if isinstance(e, Underperformance)
            for step in e.steps
            if step.owner == role.id
        ),
        escalates_to=model.role(role.escalates_to) if role.escalates_to else None,
    )


START_LIST = 12  # entries per list on the start page; the overviews list them all


@dataclass(frozen=True)
class StartView:
    """What the start page shows: the first entries of each kind and how many there are."""

    lists: dict[str, tuple[Entry, ...]]
    totals: dict[str, int]
    rows: tuple[BandRow, ...]  # the bands of the escalation paths shown
    rep_rows: tuple[BandRow, ...]  # bands a rep decides alone
    rep_total: int


def start_view(model: Playbook) -> StartView:
    rows = band_rows(model)
    shown_paths = {p.id for p in model.of_kind("escalation_path")[:START_LIST]}
    rep_rows = tuple(r for r in rows if r.band.decider == model.rep_role)
    return StartView(
        lists={kind: model.of_kind(kind)[:START_LIST] for kind in ENTRY_KINDS},
        totals={kind: len(model.of_kind(kind)) for kind in ENTRY_KINDS},
        rows=tuple(r for r in rows if r.path.id in shown_paths),
        rep_rows=rep_rows[:START_LIST],
        rep_total=len(rep_rows),
    )


@dataclass(frozen=True)
class YourRange:
    """What the rep decides alone on a path, in words; with no level chosen and levels
    that differ, every level's range, labelled."""

    path: EscalationPath
    ranges: tuple[tuple[str, str], ...]  # (level name or "", range)


def unset_rows(model: Playbook, path: EscalationPath) -> tuple[BandRow, ...]:
    """A levelled path's value ranges with who decides them at each level (one grid of
    levels, for a reader who has chosen none); a range all levels decide alike is a
    plain row."""
    grid = level_grid(model, path)
    if grid is None:
        return tuple(BandRow(path, b, i) for i, b in enumerate(path.bands))
    rows = []
    for i, row in enumerate(grid.rows):
        deciders = tuple(d for d in row.deciders if d is not None)
        band = dataclasses.replace(row.span, decider=deciders[0] if deciders else "")
        same = len(set(row.deciders)) == 1 and deciders
        levelled = tuple(
            (lv.name, d) for lv, d in zip(grid.levels, row.deciders, strict=True) if d is not None
        )
        rows.append(BandRow(path, band, i, () if same else levelled))
    return tuple(rows)


def your_ranges(model: Playbook, levels: Sequence[View], path: EscalationPath) -> YourRange:
    fmt = Text(model.language)

    def own(m: Playbook) -> str:
        held = m.entry(path.id)
        assert isinstance(held, EscalationPath)
        found = [fmt.band_range(b, held.quantity) for b in held.bands if b.decider == m.rep_role]
        return ", ".join(found) or str(fmt.t["ref_nothing"])

    ranges = merged(tuple((v.level_name, own(v.model)) for v in levels))
    if len(ranges) == 1:
        ranges = (("", ranges[0][1]),)
    return YourRange(path, ranges)


@dataclass(frozen=True)
class StartVariant:
    """The start page's parts that depend on the rep's team and level (see views.py)."""

    view: View
    start: StartView
    yours: tuple[YourRange, ...]  # what the rep decides alone, path by path
    team_rules: tuple[NonNegotiable, ...]  # the team's own non-negotiables
    varying_zones: frozenset[str]  # zones whose freedoms differ between views: listed
    first_of_team: bool  # the team's first view: parts that do not vary by level go here
    team_classes: str  # the classes of such a part


def start_views(model: Playbook) -> tuple[StartVariant, ...]:
    found = views(model)
    zone_ids = {z.id for v in found for z in v.model.of_kind("flexible_zone")}
    varying = frozenset(
        i for i in zone_ids if len({getattr(v.model.entry(i), "freedoms", ()) for v in found}) > 1
    )
    seen: set[str] = set()
    variants = []
    for v in found:
        team = v.team.id if v.team else ""
        start = start_view(v.model)
        if v.unset:  # every level's value, labelled: a grid of levels per path
            levelled = [w for w in found if w.team == v.team and not w.unset]
            paths = v.model.of_kind("escalation_path")[:START_LIST]
            rows = tuple(
                r for p in paths if isinstance(p, EscalationPath) for r in unset_rows(v.model, p)
            )
            yours = tuple(
                your_ranges(v.model, levelled, p)
                for p in v.model.of_kind("escalation_path")
                if isinstance(p, EscalationPath)
                and any(b.decider == v.model.rep_role for b in p.every_band)
            )
            start = dataclasses.replace(start, rows=rows)
        else:
            yours = tuple(
                YourRange(
                    r.path, (("", Text(v.model.language).band_range(r.band, r.path.quantity)),)
                )
                for r in start.rep_rows
            )
        variants.append(
            StartVariant(
                view=v,
                start=start,
                yours=yours[:START_LIST],
                team_rules=tuple(n for n in (v.team.own_rules if v.team else ())),
                varying_zones=varying,
                first_of_team=team not in seen,
                team_classes=view_classes(team, "", not team),
            )
        )
        seen.add(team)
    return tuple(variants)
