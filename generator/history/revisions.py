"""A playbook folder as of a git revision, for comparing two versions of it.

A revision is exported into a scratch folder (links left out); a file's path is then
given relative to the playbook folder, the same for folders and revisions.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Problem, UsageError
from ..model.playbook import Playbook
from . import git


@dataclass(frozen=True)
class Side:
    """One side of a comparison: a revision's playbook folder exported, or a folder."""

    folder: Path | None  # None: the revision predates the playbook folder
    revision: bool


def side(
    spec: str,
    source: Path,
    scratch: Path,
    warnings: list[Problem],
    *,
    folder: bool = False,
    fallback: bool = True,
) -> Side:
    """What `spec` names. A git revision, whatever folders exist: a branch can add a folder
    named `origin/main`, and it must not stand in for the revision. A folder when `folder`
    says so (`--base-dir`), or, with `fallback`, when `spec` holds a `/`, is a folder and
    no revision (with a warning)."""
    if folder:
        if not Path(spec).is_dir():
            raise UsageError(f"{spec} is not a folder")
        return Side(Path(spec), revision=False)
    require_folder(source)
    try:
        git.resolve(spec, source)
        refused = None
    except git.GitError as error:
        refused = error
    if refused is None:
        if Path(spec).exists():
            warnings.append(_warning(spec, "ambiguous-revision", "is a revision and a path: "
                                     "compared with the revision, the path was ignored",
                                     "name a folder with --base-dir or --head-dir"))  # fmt: skip
        return Side(revision_folder(spec, source, scratch, warnings), revision=True)
    if fallback and "/" in spec and Path(spec).is_dir():
        warnings.append(_warning(spec, "folder-not-revision", "is no revision here: compared "
                                 "with the folder of that name",
                                 "say so with --base-dir or --head-dir"))  # fmt: skip
        return Side(Path(spec), revision=False)
    raise UsageError(
        f"{refused}; to compare with a folder, name it with --base-dir or --head-dir"
        + ("" if fallback else " (--fail-on compares revisions, or folders named so)")
    )


def require_folder(source: Path) -> None:
    """The playbook folder is a folder, or a usage error says so."""
    if not source.is_dir():
        raise UsageError(f"{source} is not a folder: name the playbook folder (SOURCE)")


def _warning(spec: str, rule: str, message: str, hint: str) -> Problem:
    return Problem(spec, 1, 1, rule, f"`{spec}` {message}", hint, "warning")


def revision_folder(
    spec: str, source: Path, scratch: Path, warnings: list[Problem] | None = None
) -> Path | None:
    """The playbook folder as of the revision `spec`, exported into `scratch`; None if the
    revision predates it."""
    require_folder(source)
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
