"""Checks across sources and of meaning: references, ids, bands, levels, team overlays,
review dates. `check_all` runs them all; `source/validate.py` calls it.

They read raw source data defensively (any part may have the wrong shape, which the
schema check reports), so that every problem in every file is found in one run. One
module per theme: `refs` (ids, references, cycles), `files` (within one file), `bands`,
`levels`, `teams` (overlays), `lifecycle` (reviews, status, drafts), `glyphs` (text the
card fonts cannot print); `data` reads the raw data for all of them.
"""

from __future__ import annotations

import datetime as dt

from ...errors import Problem
from ...model import levelmaps
from ...model.kinds import ENTRY_KINDS
from ...parse import Source
from .. import drift
from ..textfields import Positions
from . import bands, files, glyphs, levels, lifecycle, refs, teams
from .data import as_dict


def check_all(
    sources: list[Source],
    today: dt.date,
    default_interval: int,
    unreadable_entries: dict[str, str] | None = None,
) -> list[Problem]:
    defs = refs.definitions(sources)
    earlier = refs.previous_ids(sources)
    problems = list(refs.duplicate_ids(defs + earlier)) + list(refs.card_number_clashes(defs))
    problems += refs.reserved_ids(defs, earlier)
    has_settings = any(s.kind == "playbook" and isinstance(s.data, dict) for s in sources)
    roles = {d.id for d in defs if d.what == "role"} if has_settings else None
    entries = {
        **(unreadable_entries or {}),
        **{d.id: d.what for d in defs if d.what in ENTRY_KINDS},
    }
    statuses = {
        d.id: as_dict(d.source.data).get("status", "active") for d in defs if d.what in ENTRY_KINDS
    }
    problems += lifecycle.onboarding_coverage(sources)
    problems += drift.check(sources, unreadable_entries)  # prose against the bands
    org_entries = {
        d.id: d.source for d in defs if d.what in ENTRY_KINDS and d.source.kind != "team"
    }
    known_levels = levelmaps.ladders(next((s.data for s in sources if s.kind == "playbook"), None))
    positions = Positions()
    for source in sources:
        problems += files.file_name(source)
        problems += files.placeholder_site_url(source)
        problems += glyphs.card_glyphs(source, positions)
        problems += refs.references(source, roles, entries)
        problems += lifecycle.review(source, today, default_interval)
        problems += files.yaml11_words(source)
        problems += source.warnings
        if source.kind == "escalation_path":
            problems += bands.path_bands(source, known_levels)
        if source.kind == "playbook":
            problems += refs.cycles(source)
            problems += levels.role_levels(source)
        if source.kind == "flexible_zone":
            problems += levels.freedom_levels(source, known_levels, as_dict(source.data), ())
        if source.kind == "team":
            problems += teams.team_overlay(source, known_levels, org_entries)
        problems += files.local_ids(source)
        problems += lifecycle.lifecycle(source, statuses)
    return problems
