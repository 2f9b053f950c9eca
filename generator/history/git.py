"""Every call to git, in one place.

Names from the command line never reach git as options: a revision is refused if it
starts with `-`, resolved to a commit id with `--end-of-options`, and only that id is
passed on. Every failure is a `GitError` with git's own last line of complaint.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Failure

TIMEOUT_S = 60


class GitError(Failure):
    """Raised when git is missing or fails, or a revision name is not safe to pass on."""

    exit_code = 2


def _run(args: list[str], cwd: Path) -> bytes:
    if not cwd.is_dir():
        raise GitError(f"{cwd} is not a folder")
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=TIMEOUT_S
        )
    except FileNotFoundError:
        raise GitError("git is not installed") from None
    except (OSError, subprocess.SubprocessError) as error:
        raise GitError(f"git {args[0]}: {error}") from None
    if done.returncode != 0:
        lines = done.stderr.decode(errors="replace").strip().splitlines()
        raise GitError(lines[-1] if lines else f"git {args[0]} failed")
    return done.stdout


def toplevel(path: Path) -> Path | None:
    """The top of the git checkout holding `path`, or None outside one."""
    folder = path if path.is_dir() else path.parent
    try:
        return Path(_run(["rev-parse", "--show-toplevel"], folder).decode().strip()).resolve()
    except GitError:
        return None


def resolve(revision: str, cwd: Path) -> str:
    """The commit id a revision names; refuses names git could read as options."""
    if not revision or revision.startswith("-") or any(c in revision for c in "\0\n\r"):
        raise GitError(f"`{revision}` is not a revision name (it must not start with `-`)")
    try:
        out = _run(["rev-parse", "--verify", "--end-of-options", f"{revision}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"`{revision}` is not a folder, nor a commit in this repository") from None
    return out.decode().strip()


def export(
    revision: str, source: Path, target: Path, skipped: list[str] | None = None
) -> Path | None:
    """Unpack the folder `source` as of `revision` into `target`; return where it is, or
    None if the folder did not exist yet at that revision.

    Only regular files and folders are unpacked: links (which a playbook never needs)
    are left out, so no committed link can point outside `target`.
    """
    top = toplevel(source)
    if top is None:
        raise GitError(f"`{revision}` is not a folder, and {source} is not in a git checkout")
    commit = resolve(revision, source)
    relative = source.resolve().relative_to(top).as_posix() or "."
    try:
        _run(["cat-file", "-e", f"{commit}:{'' if relative == '.' else relative}"], top)
    except GitError:
        return None
    archive = _run(["archive", "--format=tar", commit, "--", relative], top)

    def files_only(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
        if not (member.isfile() or member.isdir()):
            if skipped is not None:
                skipped.append(member.name)
            return None
        return tarfile.data_filter(member, path)

    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter=files_only)
    return target / relative


@dataclass(frozen=True)
class Commit:
    id: str
    time: int  # seconds since the epoch
    subject: str
    files: tuple[str, ...] = ()  # relative to the folder asked about

    @property
    def date(self) -> dt.date:
        return dt.datetime.fromtimestamp(self.time, dt.UTC).date()


def commits(folder: Path, limit: int | None = None, *, files: bool = False) -> list[Commit]:
    """The newest commits touching `folder`, newest first; empty outside a git checkout."""
    args = ["log", "--relative", "--format=%x1e%H%x1f%ct%x1f%s"]
    if limit is not None:
        args.append(f"--max-count={limit}")
    if files:
        args.append("--name-only")
    try:
        out = _run([*args, "--", "."], folder).decode(errors="replace")
    except GitError:
        return []
    found = []
    for record in out.split("\x1e")[1:]:
        head, *names = [line for line in record.splitlines() if line.strip()]
        commit, stamp, subject = head.split("\x1f", 2)
        found.append(Commit(commit, int(stamp), subject, tuple(names)))
    return found


def path_from_top(path: Path) -> str | None:
    """`path` relative to the top of its checkout (`/`-separated), None outside one."""
    top = toplevel(path)
    if top is None:
        return None
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return None


@dataclass(frozen=True)
class Tag:
    name: str  # `v1.2`
    commit: str  # the commit it names (annotated tags peeled)
    time: int  # the commit's time, seconds since the epoch


def version_tags(folder: Path) -> list[Tag]:
    """The tags `v*` of the checkout holding `folder`, oldest first; empty outside one."""
    fields = "%(refname:short)%1f%(objectname)%1f%(*objectname)"
    try:
        out = _run(["for-each-ref", f"--format={fields}", "refs/tags/v*"], folder).decode()
    except GitError:
        return []
    tags = []
    for line in out.splitlines():
        name, commit, peeled = line.split("\x1f")
        target = peeled or commit
        try:
            stamp = int(_run(["show", "-s", "--format=%ct", target], folder).decode().strip())
        except (GitError, ValueError):
            continue  # a tag of something other than a commit
        tags.append(Tag(name, target, stamp))
    return sorted(tags, key=lambda t: (t.time, t.name))


def reachable(folder: Path, commit: str) -> set[str]:
    """The commits touching `folder` that `commit` contains (itself included)."""
    try:
        out = _run(["rev-list", "--end-of-options", commit, "--", "."], folder).decode()
    except GitError:
        return set()
    return set(out.split())
