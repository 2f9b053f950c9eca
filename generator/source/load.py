"""The playbook folder -> its sources: every file found, read and parsed (`parse.py`).

Problems are returned as values, never raised, so every file gets checked: files too
large, not UTF-8, links, stray files and files of no known kind are reported at their
path; each file is read once and only its bytes are trusted (no link is followed).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from ..errors import Problem
from ..model.kinds import BY_FOLDER
from ..parse import Source, parse

MAX_BYTES = 1024 * 1024
SINGLE_FILES: dict[str, str] = {
    "playbook.yml": "playbook",
    "glossary.yml": "glossary",
    "onboarding.yml": "onboarding",
}
YAML_SUFFIXES = (".yml", ".yaml")
TEAMS_FOLDER = "teams"  # team overlays: `teams/<team>.yml`


def display_path(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _decode(file: str, raw: bytes) -> str | Problem:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = error.start - (before.rfind(b"\n") + 1) + 1
        return Problem(
            file,
            line,
            column,
            "not-utf8",
            f"file is not valid UTF-8 (byte 0x{raw[error.start]:02x})",
            "save the file as UTF-8",
        )


FileKey = tuple[str, str, str]  # path, kind, path inside the playbook


class FileMemo(dict[FileKey, tuple[bytes, "Source | list[Problem]"]]):
    """What each file held and gave when last read: the live preview reads every file on
    every save, and parses only those whose bytes changed. (A build keeps it on disk:
    `source/memo.py`: `StoredFiles`.)"""

    def recall(self, key: FileKey, raw: bytes) -> Source | list[Problem] | None:
        held = self.get(key)
        return held[1] if held is not None and held[0] == raw else None

    def keep(self, key: FileKey, raw: bytes, result: Source | list[Problem]) -> None:
        self[key] = (raw, result)


def load_file(
    path: Path, kind: str, relative: str = "", memo: FileMemo | None = None
) -> Source | list[Problem]:
    try:
        info = path.lstat()
    except OSError as error:
        return [_unreadable(display_path(path), error)]
    if stat.S_ISLNK(info.st_mode):
        return [_link(display_path(path), path)]
    if not stat.S_ISREG(info.st_mode):
        return [_not_a_file(display_path(path))]
    size = info.st_size
    if size > MAX_BYTES:
        return [
            Problem(
                display_path(path),
                1,
                1,
                "file-too-large",
                f"file is {size:,} bytes, more than the {MAX_BYTES:,} allowed",
                "split it up: one entry per file",
            )
        ]
    try:
        raw = path.read_bytes()
    except OSError as error:
        return [_unreadable(display_path(path), error)]
    key = (str(path), kind, relative)
    known = memo.recall(key, raw) if memo is not None else None
    if known is not None:
        return known
    result = _parsed(display_path(path), raw, kind, relative)
    if memo is not None:
        memo.keep(key, raw, result)
    return result


def _parsed(file: str, raw: bytes, kind: str, relative: str) -> Source | list[Problem]:
    text = _decode(file, raw)
    if isinstance(text, Problem):
        return [text]
    result = parse(file, text, kind)
    if isinstance(result, Source) and relative:
        return replace(result, relative=relative)
    return result


def discover(root: Path) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """Find every source file below `root` with its kind; report files that fit no kind."""
    found: list[tuple[Path, str]] = []
    problems: list[Problem] = []
    if not (root / "playbook.yml").is_file():
        problems.append(
            Problem(
                display_path(root / "playbook.yml"),
                1,
                1,
                "missing-file",
                "no playbook.yml in this folder",
                "point the command at the playbook folder, or create playbook.yml",
            )
        )
        if not any((root / folder).is_dir() for folder in BY_FOLDER):
            return found, problems  # not a playbook at all: don't read through it
    for path, error in _walk(root):
        relative = path.relative_to(root)
        if error is not None:
            problems.append(_unreadable(display_path(path), error))
        elif path.is_symlink():
            problems.append(_link(display_path(path), path))
        elif not path.is_file():
            problems.append(_not_a_file(display_path(path)))
        else:
            kind = _kind_of(relative)
            if kind is None:
                problems.append(_stray_file(path, relative))
            else:
                found.append((path, kind))
    return found, problems


def _walk(root: Path) -> Iterator[tuple[Path, OSError | None]]:
    """Every non-hidden path below `root` but folders, sorted; links are not followed."""
    errors: list[OSError] = []
    entries: list[Path] = []
    for folder, folders, files in os.walk(root, onerror=errors.append, followlinks=False):
        here = Path(folder)
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        entries += [here / f for f in folders if (here / f).is_symlink()]
        entries += [here / f for f in files if not f.startswith(".")]
    for error in errors:
        if error.filename and Path(error.filename) != root:
            yield Path(error.filename), error
    for path in sorted(entries):
        yield path, None


def _unreadable(file: str, error: OSError) -> Problem:
    return Problem(
        file,
        1,
        1,
        "unreadable",
        f"cannot be read: {error.strerror or error}",
        "check the file's permissions; playbook only reads it",
    )


def _link(file: str, path: Path) -> Problem:
    return Problem(
        file,
        1,
        1,
        "symlink",
        f"is a link (to `{os.readlink(path)}`); playbook reads only files inside its folder",
        "replace the link with a copy of the file itself",
    )


def _not_a_file(file: str) -> Problem:
    return Problem(
        file,
        1,
        1,
        "not-a-file",
        "is not a regular file (a pipe, socket or device)",
        "remove it from the playbook folder",
    )


def _kind_of(relative: Path) -> str | None:
    if len(relative.parts) == 1:
        return SINGLE_FILES.get(relative.name)
    if len(relative.parts) == 2 and relative.suffix in YAML_SUFFIXES:
        if relative.parts[0] == TEAMS_FOLDER:
            return "team"
        kind = BY_FOLDER.get(relative.parts[0])
        return kind.name if kind else None
    return None


def _stray_file(path: Path, relative: Path) -> Problem:
    folders = ", ".join(f"`{f}/`" for f in BY_FOLDER)
    folders += f"; team overlays into `{TEAMS_FOLDER}/`"
    singles = ", ".join(f"`{f}`" for f in SINGLE_FILES)
    return Problem(
        display_path(path),
        1,
        1,
        "unknown-file",
        f"`{relative.as_posix()}` belongs to no kind of playbook source",
        f"entries go as .yml files into {folders}; at the top level only {singles}",
    )


@dataclass(frozen=True)
class Loaded:
    sources: list[Source]
    problems: list[Problem]
    unreadable: list[tuple[str, str]]  # (kind, file stem) of files that could not be read


def load_playbook(root: Path, memo: FileMemo | None = None) -> Loaded:
    """Every source below `root`; `memo` keeps what each file gave (see FileMemo)."""
    files, problems = discover(root)
    sources: list[Source] = []
    unreadable: list[tuple[str, str]] = []
    if memo is not None:  # forget files that are gone
        for key in memo.keys() - {(str(path), kind, _relative(root, path)) for path, kind in files}:
            del memo[key]
    for path, kind in files:
        result = load_file(path, kind, _relative(root, path), memo)
        if isinstance(result, Source):
            sources.append(result)
        else:
            problems.extend(result)
            unreadable.append((kind, path.stem))
    return Loaded(sources, problems, unreadable)


def _relative(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
