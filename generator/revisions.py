"""A playbook folder as it was at a git revision, unpacked into a temporary folder."""

from __future__ import annotations

import io
import subprocess
import tarfile
from pathlib import Path


class RevisionError(Exception):
    """Raised when a name is neither a folder nor a git revision of the playbook."""


def _git(args: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False, timeout=60)


def export(revision: str, source: Path, target: Path) -> Path:
    """Unpack `source` as of `revision` into `target`; return the folder that holds it."""
    top = _git(["rev-parse", "--show-toplevel"], source)
    if top.returncode != 0:
        raise RevisionError(f"`{revision}` is not a folder, and {source} is not in a git checkout")
    top_dir = Path(top.stdout.decode().strip()).resolve()
    relative = source.resolve().relative_to(top_dir)
    archive = _git(["archive", "--format=tar", revision, "--", relative.as_posix() or "."], top_dir)
    if archive.returncode != 0:
        message = archive.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(f"`{revision}`: {message[-1] if message else 'not a git revision'}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target / relative


def changed_commits(source: Path, limit: int) -> list[tuple[str, int, str]]:
    """(commit, time, subject) of the newest commits touching `source`, newest first."""
    done = _git(["log", f"-{limit}", "--format=%H%x1f%ct%x1f%s", "--", "."], source)
    if done.returncode != 0:
        return []
    rows = []
    for line in done.stdout.decode(errors="replace").splitlines():
        commit, stamp, subject = line.split("\x1f", 2)
        rows.append((commit, int(stamp), subject))
    return rows
