"""What changed, from the git history of the playbook folder: the newest change of each
file, the meaning of each commit grouped by playbook version, and each entry's trail."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..changes.compare import EntryChange
from ..model.kinds import ENTRY_KINDS
from ..model.playbook import Playbook
from ..text import labels
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


@dataclass(frozen=True)
class Release:
    """What one commit meant."""

    date: dt.date
    subject: str
    changes: tuple[EntryChange, ...]
    commit: str = ""  # its full id
    time: int = 0  # seconds since the epoch
    first: bool = False  # the commit that created the playbook: everything in it is new


@dataclass(frozen=True)
class Version:
    """The changes of one playbook version (a tag `v*`), or of one month without tags."""

    label: str
    date: dt.date | None  # the tag's date; None for a month and for what is not tagged yet
    releases: tuple[Release, ...]
    anchor: str  # for links to it


def versions(root: Path, releases: Sequence[Release], language: str) -> list[Version]:
    """`releases` (newest first) grouped by the oldest tag `v*` holding them, newest first;
    by month when the repository has no such tag."""
    t = labels(language)
    tags = git.version_tags(root)
    if not tags:
        months: dict[tuple[int, int], list[Release]] = {}
        for release in releases:
            months.setdefault((release.date.year, release.date.month), []).append(release)
        return [
            Version(
                f"{t['month_names'][month - 1]} {year}", None, tuple(found), f"m{year}-{month:02d}"
            )
            for (year, month), found in months.items()
        ]
    holding = [(tag, git.reachable(root, tag.commit)) for tag in tags]  # oldest first
    groups: dict[str, list[Release]] = {}
    for release in releases:
        tag = next((tag for tag, commits in holding if release.commit in commits), None)
        groups.setdefault(tag.name if tag else "", []).append(release)
    found = []
    if "" in groups:
        found.append(Version(t["unreleased"], None, tuple(groups[""]), "unreleased"))
    for tag in reversed(tags):
        if tag.name in groups:
            day = dt.datetime.fromtimestamp(tag.time, dt.UTC).date()
            anchor = "".join(c if c.isalnum() else "-" for c in tag.name.lower())
            found.append(Version(tag.name, day, tuple(groups[tag.name]), anchor))
    return found


@dataclass(frozen=True)
class Recent:
    """One row of "Zuletzt geändert": an entry or file, and the commit that last changed
    what it says (not the last commit that touched its file), with what that meant."""

    date: dt.date
    subject: str
    commit: str
    id: str  # the entry's id, or the file's name
    title: str  # the entry's title, or the file in words ("Glossar")
    sentences: tuple[str, ...]


def recent(versions: Sequence[Version], limit: int = 30) -> list[Recent]:
    """The newest meaningful change of each entry and file, newest first."""
    rows: list[Recent] = []
    seen: set[str] = set()
    for version in versions:
        for release in version.releases:
            for change in release.changes:
                key = change.file
                if key in seen or not change.sentences:
                    continue
                seen.add(key)
                rows.append(
                    Recent(release.date, release.subject, release.commit, change.id,
                           change.title, change.sentences)
                )  # fmt: skip
    return rows[:limit]


@dataclass(frozen=True)
class Step:
    """One version of one entry: when, what it meant, in which commit."""

    date: dt.date
    subject: str
    commit: str
    sentences: tuple[str, ...]


def trails(model: Playbook, releases: Sequence[Release]) -> dict[str, tuple[Step, ...]]:
    """Each entry's versions, newest first, followed back through renames (`previous_ids`,
    and renames the diff recognised) to the commit that added it."""
    found: dict[str, tuple[Step, ...]] = {}
    for entry in model.entries:
        names = {entry.id, *entry.previous_ids}
        steps: list[Step] = []
        for release in releases:  # newest first
            mine = [
                c
                for c in release.changes
                if c.kind in ENTRY_KINDS and (c.id in names or c.old_id in names)
            ]
            for change in mine:
                if change.old_id:
                    names.add(change.old_id)
            if mine:
                sentences = tuple(s for c in mine for s in c.sentences)
                steps.append(Step(release.date, release.subject, release.commit, sentences))
            if any(c.change == "added" for c in mine):
                break  # its creation: an older entry of the same id is another entry
        if steps:
            found[entry.id] = tuple(steps)
    return found
