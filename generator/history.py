"""What changed recently, from the git history of the playbook folder."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Change:
    file: str  # relative to the playbook folder
    date: dt.date
    subject: str


def recent_changes(root: Path, limit: int = 30) -> list[Change] | None:
    """The newest commit touching each file, newest first; None outside a git checkout."""
    try:
        done = subprocess.run(
            ["git", "log", "--relative", "--name-only", "--format=%x1e%ct%x1f%s", "--", "."],
            cwd=root,
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0 or not done.stdout.strip():
        return None
    changes: list[Change] = []
    seen: set[str] = set()
    for record in done.stdout.split("\x1e")[1:]:
        head, *files = [line for line in record.splitlines() if line.strip()]
        stamp, _, subject = head.partition("\x1f")
        day = dt.datetime.fromtimestamp(int(stamp), dt.UTC).date()
        for file in files:
            if file not in seen and (root / file).exists():
                seen.add(file)
                changes.append(Change(file, day, subject))
    return changes[:limit]
