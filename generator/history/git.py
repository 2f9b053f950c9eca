"""Every call to git, in one place.

Names from the command line never reach git as options: a revision is refused if it
starts with `-`, resolved to a commit id with `--end-of-options`, and only that id is
passed on. Every failure is a `GitError` with git's own last line of complaint.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import Failure
from ..parse import CONTROL

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
        raise GitError(f"`{revision}` is not a commit in this repository") from None
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
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar:
            _unpack(tar, member, target, skipped)
    return target / relative


def _unpack(
    tar: tarfile.TarFile, member: tarfile.TarInfo, target: Path, skipped: list[str] | None
) -> None:
    """One member of a commit's archive into `target`: a regular file or a folder with a
    plain relative name, nothing else (a link, a device, `..`, an absolute name), each
    file newly made (no link followed). Not `extractall(filter=...)`: Debian 12's Python
    3.11.2 has no filters."""
    parts = PurePosixPath(member.name).parts
    plain = bool(parts) and not member.name.startswith("/") and ".." not in parts
    if not (plain and (member.isfile() or member.isdir())):
        if skipped is not None:
            skipped.append(member.name)
        return
    path = target.joinpath(*parts)
    if member.isdir():
        path.mkdir(parents=True, exist_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    data = tar.extractfile(member)
    assert data is not None  # a regular file's
    with data, path.open("xb") as file:
        shutil.copyfileobj(data, file)


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
    """The newest commits touching `folder` along the first-parent line, newest first;
    empty outside a git checkout.

    Each is compared with its first parent: a merge is credited with what it brought to
    the branch, and the commits of a merged branch are not listed on their own, so two
    neighbours in the list hold the folder as it was before and after one change.
    Fields and file names are read NUL-separated (`-z`): no subject or file name can
    forge a record, and a subject's control characters are replaced by spaces.
    """
    args = ["log", "-z", "--first-parent", "--relative", "--format=%x00%H%x00%ct%x00%s"]
    if limit is not None:
        args.append(f"--max-count={limit}")
    if files:
        args.append("--name-only")
    try:
        out = _run([*args, "--", "."], folder).decode(errors="replace")
    except GitError:
        return []
    return _records(out.split("\0"))


def _records(tokens: list[str]) -> list[Commit]:
    """`\0id\0time\0subject`, then (with --name-only) `\nfile\0file\0...`: an empty
    token starts a record (no file name is empty, no subject holds a NUL)."""
    found = []
    at = 0
    while at + 3 < len(tokens):
        if tokens[at]:
            at += 1  # not a record's start: cannot happen with the format above
            continue
        commit, stamp, subject = tokens[at + 1 : at + 4]
        at += 4
        names: list[str] = []
        while at < len(tokens) and tokens[at]:
            names.append(tokens[at].removeprefix("\n") if not names else tokens[at])
            at += 1
        found.append(Commit(commit, int(stamp), plain_subject(subject), tuple(names)))
    return found


def plain_subject(subject: str) -> str:
    """A commit subject as plain text: control characters (escape sequences, separators
    a reader could be fooled by) become spaces."""
    return " ".join(CONTROL.sub(" ", subject).split())


def shallow(folder: Path) -> bool:
    """Whether the checkout holding `folder` is a shallow clone: its oldest commits lack
    their parents, so the history read from it is cut short."""
    try:
        return _run(["rev-parse", "--is-shallow-repository"], folder).decode().strip() == "true"
    except GitError:
        return False


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
        out = _run(
            ["rev-list", "--first-parent", "--end-of-options", commit, "--", "."], folder
        ).decode()
    except GitError:
        return set()
    return set(out.split())
