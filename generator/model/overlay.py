"""Team overlays: a team's effective playbook, and whether an overlay loosens anything.

A team (`playbook/teams/<team>.yml`) replaces an entry's bands, freedoms or triggers with
stricter ones, adds bounds, criteria and disqualifiers, and adds non-negotiables of its
own. Whether that tightens is not decided here: the diff compares the organisation's
entry with the team's, and the policy table (`changes/policy.py`) that judges every pull request
judges the overlay too. Whatever it calls a loosening is an `overlay-loosens` error.
"""

from __future__ import annotations

import dataclasses

from ..errors import require_known
from . import overlay
from .kinds import ENTRY_KINDS
from .playbook import Entry, Playbook, Team, Tightening

ADDED = frozenset({"bounded_by", "criteria", "disqualifiers"})  # the team's items come on top
# which field of an overlay's item each model field comes from
SOURCE_FIELD = {"by_level": "bands", "level_role": "bands", "freedom_levels": "freedoms"}


def tightened(entry: Entry, tightening: Tightening, team: str) -> Entry:
    """An entry as it holds in a team."""
    changes = {}
    for name, value in tightening.fields:
        if name in ADDED:
            value = getattr(entry, name) + tuple(v for v in value if v not in getattr(entry, name))
        changes[name] = value
    return dataclasses.replace(entry, **changes, team=team)


def apply(playbook: Playbook, team_id: str) -> Playbook:
    """The playbook as it holds in a team: its tightened entries (each marked with the
    team), plus the team's own non-negotiables. Unknown teams give the playbook as it is."""
    team = playbook.team_named(team_id)
    if team is None:
        return playbook
    by_entry = {t.entry: t for t in team.tightenings}
    entries = [
        tightened(e, by_entry[e.id], team.id) if e.id in by_entry else e for e in playbook.entries
    ]
    entries += team.own_rules
    entries.sort(key=lambda e: (ENTRY_KINDS.index(e.kind), e.title.lower(), e.id))
    return dataclasses.replace(playbook, entries=tuple(entries), team=team.id)


def team_of(playbook: Playbook, entry: Entry) -> Team | None:
    """The team that tightened or added an entry in this (effective) playbook."""
    return playbook.team_named(entry.team) if entry.team else None


def why(playbook: Playbook, entry: Entry) -> str:
    """The team's reason for tightening an entry; "" for its own or untouched entries."""
    team = team_of(playbook, entry)
    found = team and next((t for t in team.tightenings if t.entry == entry.id), None)
    return found.why if found else ""


def team_view(model: Playbook, team: str | None) -> Playbook:
    """The team's effective playbook (`--team`); a usage error naming the known teams."""
    if not team:
        return model
    require_known([team], {t.id for t in model.teams}, "team")
    return overlay.apply(model, team)
