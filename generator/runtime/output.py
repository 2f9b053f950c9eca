"""Writing output: files replaced whole, and trees swapped in whole.

A failed build never leaves a half-written `site/`: everything is built in a sibling
temporary folder and only renamed into place when complete.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from ..errors import UsageError
from .files import read_regular

# Every folder this tool makes carries this file; only such folders are ever replaced.
MARKER = ".playbook-output"
MARKER_TEXT = "Made by `playbook`: the next build replaces this folder whole.\n"


def mark(folder: Path) -> None:
    (folder / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def marked_file(path: Path, mark: bytes, max_bytes: int) -> bool:
    """Whether `path` is a regular file (not a link) of at most `max_bytes` that holds
    `mark`: a single file this tool wrote, and may replace."""
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode) or info.st_size > max_bytes:
            return False
        return mark in path.read_bytes()
    except OSError:
        return False


def is_ours(folder: Path) -> bool:
    return (folder / MARKER).is_file() and not (folder / MARKER).is_symlink()


def check_target(target: Path, option: str, source: Path, repository: Path | None) -> None:
    """Refuse an output folder whose replacement would destroy data, before anything is touched.

    Refused: the filesystem root, the playbook folder, its repository, the current folder
    or anything that contains one of them; a folder inside the playbook folder; a file;
    a folder with files in it that this tool did not make; a link, or a folder holding
    one anywhere inside (a branch can commit `build/preview/docs -> elsewhere`: replacing
    the folder would write or delete there). `repository`: the top of the git checkout
    the playbook folder is in, None outside one.
    """
    if target.is_symlink():
        raise UsageError(f"{option} {target} is a link; choose a folder of its own")
    where = target.resolve()
    protected = {
        Path(where.anchor): "the filesystem root",
        source.resolve(): "the playbook folder",
        Path.cwd().resolve(): "the current folder",
    }
    if repository is not None:
        protected.setdefault(repository.resolve(), "the repository")
    for place, name in sorted(protected.items(), key=lambda item: where != item[0]):
        if where == place or where in place.parents:
            what = "is" if where == place else "contains"
            raise UsageError(
                f"{option} {target} {what} {name}: replacing it would destroy data; "
                "choose a folder of its own"
            )
    if source.resolve() in where.parents:
        raise UsageError(f"{option} {target} lies inside the playbook folder; choose one outside")
    if where.exists() and not where.is_dir():
        raise UsageError(f"{option} {target} is a file; choose a folder")
    if where.is_dir() and not is_ours(where) and any(where.iterdir()):
        raise UsageError(
            f"{option} {target} holds files that playbook did not make; "
            "choose a new or empty folder, or move those files away"
        )
    link = first_link(where) if where.is_dir() else None
    if link is not None:
        raise UsageError(
            f"{option} {target} holds a link, {link}: playbook writes and deletes through "
            "no link; remove it (or the whole folder, which playbook makes again)"
        )


def first_link(folder: Path) -> Path | None:
    """The first link anywhere inside `folder` (links are not followed), or None."""
    for top, folders, files in os.walk(folder):
        for name in sorted(folders + files):
            if os.path.islink(os.path.join(top, name)):
                return Path(top, name)
    return None


def remove_stale(target: Path) -> None:
    """Remove temporary folders a killed build left beside `target` (only ours)."""
    remove_left(target.parent, f".{target.name}-*-*")


def remove_left(folder: Path, pattern: str) -> None:
    """Remove the folders in `folder` matching `pattern` that are ours (marked, no link)."""
    for path in folder.glob(pattern):
        if path.is_dir() and not path.is_symlink() and is_ours(path):
            shutil.rmtree(path, ignore_errors=True)


def missing_folders(folder: Path) -> list[Path]:
    """`folder` and those of its parents that do not exist yet, deepest first."""
    return [f for f in (folder, *folder.parents) if not f.exists()]


def make_folder(folder: Path) -> None:
    """Create `folder` and any missing parents, marking each one made as ours."""
    missing = missing_folders(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for made in missing:
        mark(made)


@contextmanager
def undone_on_failure(*folders: Path) -> Iterator[None]:
    """Remove those of `folders` (and their parents) made in the block again if it fails and
    leaves them empty but for our marker."""
    missing = {f for folder in folders for f in missing_folders(folder)}
    try:
        yield
    except BaseException:
        for folder in sorted(missing, key=lambda f: len(f.parts), reverse=True):
            if folder.is_dir() and all(p.name == MARKER for p in folder.iterdir()):
                shutil.rmtree(folder, ignore_errors=True)
        raise


def temp_sibling(target: Path, what: str = "new") -> Path:
    """A fresh folder of ours beside `target` (`.<name>-<what>-…`), after removing those
    a killed build left there."""
    make_folder(target.parent)
    remove_stale(target)
    new = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-{what}-")).resolve()
    try:
        mark(new)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    return new


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` with the complete folder `new`."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-old-"))
        try:
            mark(old)
            os.replace(target, old / target.name)
        except BaseException:
            shutil.rmtree(old, ignore_errors=True)
            raise
    try:
        os.replace(new, target)
    except BaseException:
        if old is not None:  # put the previous folder back
            os.replace(old / target.name, target)
            shutil.rmtree(old, ignore_errors=True)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def write_files(files: Mapping[str, str | bytes], folder: Path, reuse: Path | None = None) -> None:
    """Write `files` into `folder`; one that `reuse` (the previous build's folder) holds
    with the same content is linked instead, which is much cheaper than writing it."""
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        if reuse is None or not _linked(reuse / relative, data, path):
            path.write_bytes(data)


def _linked(previous: Path, data: bytes, path: Path) -> bool:
    """Hard-link `previous` at `path` if it is a plain file holding `data` (no link
    followed, no FIFO waited on: the build folder may come from anywhere)."""
    try:
        if read_regular(previous, len(data)) != data:
            return False
        os.link(previous, path, follow_symlinks=False)
        return True
    except OSError:
        return False  # gone, unreadable, or links not supported here: write it


def _umask() -> int:
    """This process's umask, read without setting it (os.umask would, for a moment, in
    every thread); 0o022 where the system does not tell."""
    try:
        for line in Path("/proc/self/status").read_text("ascii").splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def replace_file(path: Path, content: str | bytes) -> None:
    """Write `path` whole: a reader sees the old file or the new one, never half. The
    new file is made beside it under a fresh name (O_EXCL: never through a link someone
    left there), then renamed over `path` (a link at `path` is replaced, not followed)."""
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    temp = Path(name)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        try:  # the mode the file had, else what a new file gets (mkstemp's is 0o600)
            mode = stat.S_IMODE(os.lstat(path).st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


@contextmanager
def building(target: Path) -> Iterator[Path]:
    """A fresh folder to fill; swapped in for `target` on success, removed on failure."""
    new = temp_sibling(target)
    new.chmod(0o755)
    try:
        yield new
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    swap_in(new, target)


@contextmanager
def beside(target: Path, what: str) -> Iterator[Path]:
    """A fresh folder beside `target` (the same file system: its files can be moved into
    the folder `building(target)` fills), removed at the end of the block."""
    folder = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-{what}-"))
    try:
        mark(folder)
        yield folder.resolve()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_tree(files: Mapping[str, str | bytes], target: Path) -> None:
    with building(target) as folder:
        write_files(files, folder)
