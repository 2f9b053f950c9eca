"""A playbook folder as of a git revision, for comparing two versions of it.

A revision is exported into a scratch folder (links left out); a file's path is then
given relative to the playbook folder, the same for folders and revisions.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

from ..errors import Problem, UsageError
from ..model.playbook import Playbook
from . import git


def revision_folder(
    spec: str, source: Path, scratch: Path, warnings: list[Problem] | None = None
) -> Path | None:
    if Path(spec).is_dir():
        return Path(spec)
    if not source.is_dir():
        raise UsageError(f"--source {source} is not a folder: name the playbook folder")
    try:
        links: list[str] = []
        folder = git.export(spec, source, Path(tempfile.mkdtemp(dir=scratch)), links)
        for link in links:
            if warnings is not None:
                warnings.append(
                    Problem(
                        f"{spec}:{link}",
                        1,
                        1,
                        "symlink",
                        f"is a link in revision `{spec}`; it was left out of the comparison",
                        "replace the link with the file itself",
                        "warning",
                    )
                )
        return folder
    except git.GitError as error:
        raise UsageError(str(error)) from None


def empty_playbook(model: Playbook) -> Playbook:
    return replace(model, entries=(), terms=(), onboarding=None)


def inside_folder(file: str, root: Path) -> str:
    """`file` relative to the playbook folder, the same for folders and git revisions."""
    try:
        return Path(file).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return file
