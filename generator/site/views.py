"""What the site shows for each choice a rep makes on it: a team (the team switch) and
an autonomy level (asked by the decision helper).

Pages carry every variant; each is a block with classes naming its team and level
(`pb-view-team--<team>`, `pb-view-level--<level>`, or `pb-view-nolevel` for a reader who
has chosen no level), and the early script (`assets/javascripts/team-view.js`) shows the
one chosen on the device. The organisation's view with no level chosen shows without
script: where a limit differs by level, that view states it for every level, so no
single level's value is ever shown unlabelled as the reader's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..model.levels import at_level
from ..model.overlay import apply, why
from ..model.playbook import Entry, EscalationPath, FlexibleZone, NonNegotiable, Playbook, Team
from ..text import Text

ORG = "org"  # the class name of the organisation's view (team ids are slugs)
ANY = "any"  # a block that holds at every level
NOLEVEL = "pb-view-nolevel"  # the class of a view for a reader who has chosen no level


@dataclass(frozen=True)
class View:
    """The playbook as one team holds it at one level of the rep role."""

    team: Team | None  # None: the whole organisation
    level: str  # a level id of the rep role; "" when it has none or none is chosen
    level_name: str
    model: Playbook  # the effective playbook: tightened for the team, resolved at the level
    classes: str  # the block's classes (see the module's docstring)
    unset: bool = False  # the rep role has levels, and the reader has chosen none

    @property
    def default(self) -> bool:
        """Whether it is the view shown without a choice (and the one search indexes)."""
        return "pb-view--default" in self.classes.split()

    def why(self, entry_id: str) -> str:
        """The team's reason for tightening an entry; "" when it holds as the organisation's."""
        return why(self.model, self.model.entry(entry_id))


def view_classes(team: str, level: str, default: bool, unset: bool = False) -> str:
    """The classes of a view's block; `unset`: the view of a reader who chose no level."""
    chosen = NOLEVEL if unset else f"pb-view-level--{level or ANY}"
    classes = f"pb-view pb-view-team--{team or ORG} {chosen}"
    return classes + " pb-view--default" if default else classes


def merge_classes(classes: Sequence[str]) -> str:
    """One block's classes for several views at one level (their teams differ): it is
    shown for each of them (team-view.js selects a team class and a level class)."""
    words: list[str] = []
    for each in classes:
        words += [w for w in each.split() if w not in words]
    default = "pb-view--default"
    return " ".join([w for w in words if w != default] + ([default] if default in words else []))


def views(model: Playbook, by_level: bool = True) -> tuple[View, ...]:
    """Every team's view (the organisation's first): where the rep role has levels, first
    the view of a reader who has chosen none (the effective playbook with every level's
    bands, shown per level), then each level's (lowest first); with `by_level` False, one
    view per team (levels left as they are)."""
    levels = model.levels_of(model.rep_role) if by_level else ()
    found = []
    own = model.team_named(model.team) if model.team else None  # a team's own site
    for team in (own,) if own else (None, *model.teams):
        effective = apply(model, team.id) if team and not own else model
        team_id = team.id if team else ""
        if levels:
            found.append(
                View(team, "", "", effective, view_classes(team_id, "", team is own, True), True)
            )
        for level in levels or (None,):
            resolved = at_level(effective, level.id) if level else effective
            default = team is own and level is None
            found.append(
                View(
                    team=team,
                    level=level.id if level else "",
                    level_name=level.name if level else "",
                    model=resolved,
                    classes=view_classes(team_id, level.id if level else "", default),
                )
            )
    return tuple(found)


@dataclass(frozen=True)
class TeamRow:
    """A band a role takes part in, as a team holds it stricter than the organisation."""

    path: EscalationPath
    range: str  # the band's range at the view's level, in words
    decider: str  # role id
    response_time_hours: int


@dataclass(frozen=True)
class RoleInTeam:
    """What a team holds stricter for one role, at one level: for its role page (plain
    values, not the view's playbook, so the page's cache key holds only what it shows)."""

    team_name: str
    level_name: str  # "" when the rep role has no levels
    classes: str  # the block's classes (see the module's docstring)
    rows: tuple[TeamRow, ...]  # bands of tightened paths the role takes part in
    zones: tuple[FlexibleZone, ...]  # tightened zones (the rep role's)
    rules: tuple[NonNegotiable, ...]  # the team's own non-negotiables that apply to the role
    tightened: tuple[tuple[str, str], ...]  # (entry title, the team's reason)


def role_in_teams(model: Playbook, role_id: str) -> tuple[RoleInTeam, ...]:
    """For each team and level, what the team holds stricter for a role; only views
    where the team changes something for it."""
    found: list[RoleInTeam] = []
    every = views(model)
    for view in every:
        if view.team is None:
            continue
        if view.unset:  # no level chosen: each level's rows, labelled where they differ
            found += _unset_role_in_team(view, [v for v in every if v.team == view.team], role_id)
        else:
            found += role_in_teams_at(view, role_id)
    return tuple(found)


def role_in_teams_at(view: View, role_id: str) -> list[RoleInTeam]:
    """What one team's view holds stricter for a role ([] where it changes nothing)."""
    if view.team is None:
        return []
    fmt = Text(view.model.language)
    team_nns = {n.id for n in view.team.non_negotiables}
    rows: list[TeamRow] = []
    entries: list[Entry] = []
    for e in view.model.in_force:
        if not e.team:
            continue
        if isinstance(e, EscalationPath):
            mine = [
                TeamRow(e, fmt.band_range(b, e.quantity), b.decider, b.response_time_hours)
                for b in e.bands
                if role_id in (b.decider, *b.consult, *b.inform)
            ]
            if mine:
                rows += mine
                entries.append(e)
        elif isinstance(e, FlexibleZone) and role_id == view.model.rep_role:
            entries.append(e)
    zones = tuple(e for e in entries if isinstance(e, FlexibleZone))
    rules = tuple(
        e
        for e in view.model.in_force
        if isinstance(e, NonNegotiable) and e.id in team_nns and role_id in e.applies_to
    )
    if not (rows or zones or rules):
        return []
    tightened = tuple((e.title, view.why(e.id)) for e in entries if e.id not in team_nns)
    return [
        RoleInTeam(
            view.team.name, view.level_name, view.classes, tuple(rows), zones, rules, tightened
        )
    ]


def _unset_role_in_team(view: View, same_team: list[View], role_id: str) -> list[RoleInTeam]:
    """The role's team block for a reader who has chosen no level: the rows of every
    level, each labelled with its level where the levels differ."""
    levelled = [v for v in same_team if not v.unset]
    blocks = {v.level: b for v in levelled for b in role_in_teams_at(v, role_id)}
    if not blocks:
        return []
    label = Text(view.model.language).t["ref_by_level"]
    rows: list[TeamRow] = []
    seen: list[TeamRow] = []
    for v in levelled:
        block = blocks.get(v.level)
        for row in block.rows if block else ():
            everywhere = all(
                row in (blocks[w.level].rows if w.level in blocks else ()) for w in levelled
            )
            if everywhere:
                if row not in seen:
                    seen.append(row)
                    rows.append(row)
                continue
            rows.append(
                TeamRow(
                    row.path,
                    label.format(value=row.range, level=v.level_name),
                    row.decider,
                    row.response_time_hours,
                )
            )
    first = next(iter(blocks.values()))
    return [
        RoleInTeam(
            first.team_name,
            "",
            view.classes,
            tuple(rows),
            first.zones,
            first.rules,
            first.tightened,
        )
    ]
