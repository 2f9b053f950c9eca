"""Team overlays: a team's effective playbook, and whether an overlay loosens anything.

A team (`playbook/teams/<team>.yml`) replaces an entry's bands, freedoms or triggers with
stricter ones, adds bounds, criteria and disqualifiers, and adds non-negotiables of its
own. Whether that tightens is not decided here: the diff compares the organisation's
entry with the team's, and the policy table (`policy.py`) that judges every pull request
judges the overlay too. Whatever it calls a loosening is an `overlay-loosens` error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from .errors import Problem
from .kinds import ENTRY_KINDS
from .load import Source
from .model import Entry, Playbook, Team, Tightening

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


def loosenings(playbook: Playbook, sources: list[Source]) -> Iterator[Problem]:
    """`overlay-loosens` for every field of every overlay that the diff's policy calls a
    loosening, at the field's line, with the diff's own sentence saying what and how much."""
    from .diff import loosening_sentences  # the diff imports the model only: no cycle

    files = {s.file: s for s in sources if s.kind == "team"}
    for team in playbook.teams:
        source = files.get(team.file)
        if source is None:
            continue
        for i, tightening in enumerate(team.tightenings):
            try:
                entry = playbook.entry(tightening.entry)
            except KeyError:
                continue  # reported as an unknown reference
            fields: dict[str, list[tuple[str, object]]] = {}
            for name, value in tightening.fields:
                fields.setdefault(SOURCE_FIELD.get(name, name), []).append((name, value))
            for field, values in fields.items():
                one = Tightening(tightening.entry, tightening.why, tuple(values), tightening.line)
                after = dataclasses.replace(playbook, entries=(tightened(entry, one, team.id),))
                for sentence in loosening_sentences(playbook, after, entry):
                    yield source.problem(
                        ("tighten", i, field),
                        "overlay-loosens",
                        f"the team `{team.id}` would loosen `{entry.id}`: {sentence}",
                        "an overlay may only tighten: lower band edges, move a band to a "
                        "higher decider, remove freedoms, add bounds, criteria or stricter "
                        "triggers; loosen it in the organisation's entry instead",
                        at_key=True,
                    )
