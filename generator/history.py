"""What changed recently, from the git history of the playbook folder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from . import git


@dataclass(frozen=True)
class Change:
    file: str  # relative to the playbook folder
    date: dt.date
    subject: str


def recent_changes(root: Path, limit: int = 30) -> list[Change] | None:
    """The newest commit touching each file, newest first; None outside a git checkout."""
    commits = git.commits(root, files=True)
    if not commits:
        return None
    changes: list[Change] = []
    seen: set[str] = set()
    for commit in commits:
        for file in commit.files:
            if file not in seen and (root / file).exists():
                seen.add(file)
                changes.append(Change(file, commit.date, commit.subject))
    return changes[:limit]
