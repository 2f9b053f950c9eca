"""Whether a team overlay loosens the organisation's entry: `overlay-loosens` problems.

An overlay may only tighten. What counts as looser is the change policy's word (the one
`playbook diff` uses), so this check runs on the model, not on raw data: `source/check.py`
runs it once the sources are free of errors, on the model it builds anyway.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

from ..changes.compare import loosening_sentences
from ..errors import Problem
from ..model.overlay import SOURCE_FIELD, tightened
from ..model.playbook import Playbook, Tightening
from ..parse import Source


def loosenings(playbook: Playbook, sources: list[Source]) -> Iterator[Problem]:
    """`overlay-loosens` for every field of every overlay that the diff's policy calls a
    loosening, at the field's line, with the diff's own sentence saying what and how much."""
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
                # a problem's words: English, as every message (the values stay as written)
                for sentence in loosening_sentences(playbook, after, entry, "en"):
                    yield source.problem(
                        ("tighten", i, field),
                        "overlay-loosens",
                        f"the team `{team.id}` would loosen `{entry.id}`: {sentence}",
                        "an overlay may only tighten: lower band edges, move a band to a "
                        "higher decider, remove freedoms, add bounds, criteria or stricter "
                        "triggers; loosen it in the organisation's entry instead",
                        at_key=True,
                    )
