"""The playbook as it was at past commits: each exported once into one scratch folder and
checked, for the change log (`changelog.py`) and the versions in force (`effective.py`).

The export always goes to the same paths, so the memo (each file's bytes and what they
gave) serves every revision: a file unchanged since the last revision is not parsed again.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from ..errors import PlaybookError
from ..model.playbook import Playbook
from ..source.check import check
from ..source.validate import Memo
from . import git


class ModelsAt:
    """`models(commit)`: the playbook at that commit, None where it did not exist yet or no
    longer validates; `folder(commit)`: where it was exported (files relative to it)."""

    def __init__(self, root: Path, today: dt.date, scratch: Path) -> None:
        self.root, self.today, self.scratch = root, today, scratch
        self.revision = scratch / "revision"  # the same paths each time: the memo's keys
        self.memo = Memo()
        self.models: dict[str, Playbook | None] = {}
        self.folders: dict[str, Path] = {}

    def __call__(self, commit: str) -> Playbook | None:
        if commit not in self.models:
            shutil.rmtree(self.revision, ignore_errors=True)
            try:
                folder = git.export(commit, self.root, self.revision)
                model = check(folder, self.today, memo=self.memo).model if folder else None
                self.models[commit] = model
                self.folders[commit] = folder or self.scratch
            except (PlaybookError, git.GitError):
                self.models[commit] = None  # an old version that no longer validates
        return self.models[commit]

    def folder(self, commit: str) -> Path:
        return self.folders.get(commit, self.scratch)
