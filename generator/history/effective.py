"""Entries whose new version takes effect later (`effective:`): the version in force today.

A leader merges a change ahead of its date ("from 1 January seniors decide up to 13 %").
Until that day, the site, the cards, the board and the helper show the version in force,
the newest one in the history (first-parent line) whose own `effective` had come, and it
announces the next one: the semantic diff between the two, dated ("ab 01.01.2027: …").
An entry that is new and not yet in effect is left out until its day. On that day a
build switches by itself: nothing but the date changes.

Outside a git checkout there is no earlier version to keep: the new one shows, with a
warning (`effective-without-history`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

from ..changes.compare import compare
from ..errors import Problem
from ..model.playbook import Entry, Playbook, Upcoming
from . import git
from .models import ModelsAt


def waiting(model: Playbook, today: dt.date) -> dict[str, Entry]:
    """The entries whose version takes effect after `today`, by id."""
    return {e.id: e for e in model.entries if e.effective is not None and e.effective > today}


def in_force(model: Playbook, root: Path, today: dt.date) -> tuple[Playbook, list[Problem]]:
    """`model` as it holds on `today`: each entry not in effect yet replaced by the version
    in force (carrying the next one as `upcoming`), or left out if it has none."""
    later = waiting(model, today)
    if not later:
        return model, []
    commits = git.commits(root)
    if not commits:
        return model, [_no_history(e) for e in later.values()]
    found = _versions_in_force(commits, root, today, set(later))
    kept = []
    for entry in model.entries:
        if entry.id not in later:
            kept.append(entry)
            continue
        old = found.get(entry.id)
        if old is not None:  # else new and not yet in effect: left out until its day
            kept.append(dataclasses.replace(old, file=entry.file))
    before = dataclasses.replace(model, entries=tuple(kept))
    said = {  # what changes for someone; examples and cases are not announced
        c.id: c.weighed for c in compare(before, model)
    }
    entries = []
    for entry in before.entries:
        new = later.get(entry.id)
        if new is not None and new.effective is not None:
            upcoming = Upcoming(new.effective, tuple(said.get(entry.id, ())))
            entry = dataclasses.replace(entry, upcoming=upcoming)
        entries.append(entry)
    return dataclasses.replace(model, entries=tuple(entries)), []


def _versions_in_force(
    commits: list[git.Commit], root: Path, today: dt.date, ids: set[str]
) -> dict[str, Entry | None]:
    """For each of `ids`, the newest committed version whose own date had come (None: it
    had none, it is new)."""
    found: dict[str, Entry | None] = {}
    with tempfile.TemporaryDirectory() as scratch:
        model_at = ModelsAt(root, today, Path(scratch))
        for commit in commits:
            todo = ids - found.keys()
            if not todo:
                break
            old = model_at(commit.id)
            if old is None and commit.id not in model_at.folders:
                continue  # a version that no longer validates: look further back
            for entry_id in todo:
                entry = old.find(entry_id) if old else None
                if entry is None:
                    found[entry_id] = None  # not there yet: nothing was in force
                elif entry.effective is None or entry.effective <= today:
                    found[entry_id] = entry
    return found


def _no_history(entry: Entry) -> Problem:
    return Problem(
        entry.file,
        1,
        1,
        "effective-without-history",
        f"`{entry.id}` takes effect on {entry.effective}, but without a git history there "
        "is no earlier version to show until then: the new one shows now",
        "build from a git checkout with its history (fetch-depth: 0 in CI)",
        severity="warning",
    )
