"""Validation: load every source, check its schema and its meaning, collect all problems."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from . import checks, links, schema
from .errors import Problem
from .kinds import ENTRY_KINDS
from .load import Source, load_playbook

DEFAULT_REVIEW_INTERVAL = 12


def default_interval(sources: list[Source]) -> int:
    for source in sources:
        if source.kind == "playbook" and isinstance(source.data, dict):
            defaults = source.data.get("defaults")
            value = defaults.get("review_interval_months") if isinstance(defaults, dict) else None
            if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 36:
                return value
    return DEFAULT_REVIEW_INTERVAL


def validate(root: Path, today: dt.date) -> tuple[list[Source], list[Problem]]:
    """Every problem in every file under `root`, sorted by file and position."""
    loaded = load_playbook(root)
    sources, problems = loaded.sources, loaded.problems
    files_of_kind = Counter(source.kind for source in sources)
    for source in sources:
        problems += schema.check(source, fast=files_of_kind[source.kind] >= schema.FAST_FROM)
        problems += links.check(source)
    # a broken entry file is reported once; references to it are not errors too
    known = {stem: kind for kind, stem in loaded.unreadable if kind in ENTRY_KINDS}
    known |= {
        Path(s.file).stem: s.kind
        for s in sources
        if s.kind in ENTRY_KINDS
        and not (isinstance(s.data, dict) and isinstance(s.data.get("id"), str))
    }
    problems += checks.check_all(sources, today, default_interval(sources), known)
    return sources, _without_shadowed_warnings(problems)


def _without_shadowed_warnings(problems: list[Problem]) -> list[Problem]:
    """Drop a warning where an error already points at the same place."""
    error_at = {(p.file, p.line, p.column) for p in problems if p.severity == "error"}
    kept = [
        p for p in problems if p.severity == "error" or (p.file, p.line, p.column) not in error_at
    ]
    return sorted(set(kept))
