"""TODO docstring."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..errors import Problem
from ..model.overlay import SOURCE_FIELD, tightened  # MOVED
from ..model.playbook import Playbook, Tightening
from ..parse import Source


def loosenings(playbook: Playbook, sources: list[Source]) -> Iterator[Problem]:
    """`overlay-loosens` for every field of every overlay that the diff's policy calls a
    loosening, at the field's line, with the diff's own sentence saying what and how much."""
    from ..changes.diff import loosening_sentences  # the diff imports the model only: no cycle

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
