"""The change log: what each recent commit touching the playbook folder meant.

Each revision is exported and checked once. They are exported in turn into one scratch
folder and validated with one shared memo, so a file that several revisions hold
unchanged is parsed and checked on its own only once. The checks across files run for
every revision.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from dataclasses import replace
from pathlib import Path

from ..changes.compare import EntryChange, compare
from ..errors import Problem
from ..source.load import display_path
from . import git
from .models import ModelsAt
from .releases import Release
from .revisions import empty_playbook, inside_folder

HISTORY_LIMIT = 50  # commits read for the change log, its feed and the entries' history


def shallow_history(root: Path) -> Problem:
    """The warning a build gives in a shallow clone, where it leaves out the pages made
    from the history: its oldest commit would read as the one that made everything."""
    return Problem(
        display_path(root),
        1,
        1,
        "shallow-history",
        "the git history here is shallow (a clone with --depth): the change log, the feed "
        "and each entry's history were left out",
        "fetch the whole history: `git fetch --unshallow` (actions/checkout: `fetch-depth: 0`)",
        "warning",
    )


def changelog(root: Path, today: dt.date, limit: int = HISTORY_LIMIT) -> list[Release]:
    """The meaning of each recent commit touching `root`, newest first (empty outside git).

    When the history holds no more than `limit` commits, the oldest (which created the
    playbook) is included as well, marked `first`: everything in it is new. Not in a
    shallow clone, whose oldest commit only looks like the first.
    """
    commits = git.commits(root, limit + 1)
    releases: list[Release] = []
    with tempfile.TemporaryDirectory() as scratch:
        model_at = ModelsAt(root, today, Path(scratch))

        def inside(changes: list[EntryChange], old: str, new: str) -> list[EntryChange]:
            """Files relative to the playbook folder, not to this run's scratch folder: the
            same on every build (the change log's page is cached by what it is made of)."""
            return [
                replace(
                    c,
                    file=inside_folder(
                        c.file, model_at.folder(old if c.change == "removed" else new)
                    ),
                )
                for c in changes
            ]

        def release(commit: git.Commit, changes: list[EntryChange], first: bool) -> None:
            if changes:
                releases.append(
                    Release(
                        commit.date, commit.subject, tuple(changes), commit.id, commit.time, first
                    )
                )

        for newer, older in itertools.pairwise(commits):
            before, after = model_at(older.id), model_at(newer.id)
            if before and after:
                release(newer, inside(compare(before, after), older.id, newer.id), False)
        if commits and len(commits) <= limit and not git.shallow(root):
            oldest = commits[-1]
            created = model_at(oldest.id)
            if created:
                changes = compare(empty_playbook(created), created)
                release(oldest, inside(changes, oldest.id, oldest.id), True)
    return releases
