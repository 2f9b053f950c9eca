"""Validation: load every source, check its schema and its meaning, collect all problems.

Only what the sources show is checked here: each file on its own (schema, links) and
across files (`checks`). Whether a team overlay loosens needs the model, which only
`check.py` builds: it runs that check on the model it goes on to use.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..model.kinds import ENTRY_KINDS
from ..parse import Source
from . import checks, links, schema
from .load import FileMemo, load_playbook

DEFAULT_REVIEW_INTERVAL = 12


def default_interval(sources: list[Source]) -> int:
    for source in sources:
        if source.kind == "playbook" and isinstance(source.data, dict):
            defaults = source.data.get("defaults")
            value = defaults.get("review_interval_months") if isinstance(defaults, dict) else None
            if isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 36:
                return value
    return DEFAULT_REVIEW_INTERVAL


@dataclass
class Memo:
    """What the files gave when last validated, for the live preview, which validates on
    every save: only files whose bytes changed are parsed and checked on their own again;
    the checks across files run every time."""

    files: FileMemo = field(default_factory=FileMemo)
    # (file, fast) -> the source checked and its problems (schema, links)
    checked: dict[tuple[str, bool], tuple[Source, list[Problem]]] = field(default_factory=dict)

    def problems_of(self, source: Source, fast: bool) -> list[Problem]:
        key = (source.file, fast)
        if key not in self.checked or self.checked[key][0] is not source:
            self.checked[key] = (source, self.own_problems(source, fast))
        return self.checked[key][1]

    def own_problems(self, source: Source, fast: bool) -> list[Problem]:
        return problems_of_file(source, fast)

    def forget_all_but(self, sources: list[Source]) -> None:
        kept = {id(source) for source in sources}
        self.checked = {k: v for k, v in self.checked.items() if id(v[0]) in kept}


def problems_of_file(source: Source, fast: bool) -> list[Problem]:
    """The problems of one file on its own: its schema and its links."""
    return schema.check(source, fast=fast) + links.check(source)


def validate_sources(
    root: Path, today: dt.date, memo: Memo | None = None
) -> tuple[list[Source], list[Problem]]:
    """Every problem the files under `root` show, sorted by file and position; all but
    the overlay check on the model (`check.validate` adds it).

    `memo`: keep what unchanged files gave (see Memo)."""
    loaded = load_playbook(root, memo.files if memo else None)
    sources, problems = loaded.sources, list(loaded.problems)
    files_of_kind = Counter(source.kind for source in sources)
    for source in sources:
        fast = files_of_kind[source.kind] >= schema.FAST_FROM
        problems += memo.problems_of(source, fast) if memo else problems_of_file(source, fast)
    if memo:
        memo.forget_all_but(sources)
    # a broken entry file is reported once; references to it are not errors too
    known = {stem: kind for kind, stem in loaded.unreadable if kind in ENTRY_KINDS}
    known |= {
        Path(s.file).stem: s.kind
        for s in sources
        if s.kind in ENTRY_KINDS
        and not (isinstance(s.data, dict) and isinstance(s.data.get("id"), str))
    }
    problems += checks.check_all(sources, today, default_interval(sources), known)
    return sources, without_shadowed_warnings(problems)


def without_shadowed_warnings(problems: list[Problem]) -> list[Problem]:
    """Drop a warning where an error already points at the same place."""
    error_at = {(p.file, p.line, p.column) for p in problems if p.severity == "error"}
    kept = [
        p for p in problems if p.severity == "error" or (p.file, p.line, p.column) not in error_at
    ]
    return sorted(set(kept))
