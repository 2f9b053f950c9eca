"""`playbook init`: a new repository that an organisation owns, and the schemas copy.

The starter files ship in `site_templates/starter/`. A path part `dot-x` is written as
`.x` (so the package holds no dotfiles, and no `.gitignore` or `.github` of its own), and
a file ending in `.j2` is a Jinja2 template: rendered with how the new repository installs
the tool (`install.py`: as the running tool was installed) and today's date (the starter
entries are reviewed the day they are made). A local wheel is written into `tools/`.
`.github/CODEOWNERS` is made from the playbook, as `playbook codeowners` makes it.

Everything is checked before anything is written, and nothing is ever overwritten: a
failed check or a failed write leaves the target as it was.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import jinja2

from ..errors import Failure
from ..resources import sample_dir, schema_dir, template_dir
from ..runtime.output import marked_file, replace_file
from ..source.check import check
from . import codeowners
from .install import Install, current_install


class StarterError(Failure):
    """Raised when `init` or `schemas --out` cannot write: the target is a file, a folder
    that is not empty (without `force`), holds a file that would be written, or cannot be
    written to. Nothing has been written then."""

    exit_code = 2


def starter_dir() -> Path:
    return template_dir() / "starter"


def _target_name(relative: Path) -> Path:
    parts = ["." + p[4:] if p.startswith("dot-") else p for p in relative.parts]
    if parts[-1].endswith(".j2"):
        parts[-1] = parts[-1][:-3]
    return Path(*parts)


def _files_under(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            yield path


def _plan(sample: bool, today: dt.date, install: Install) -> dict[Path, bytes]:
    """What init writes: relative path -> content (the schemas are added separately)."""
    source = starter_dir()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(source),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
    )
    context = {"install": install, "today": today.isoformat()}
    plan: dict[Path, bytes] = {}
    for path in _files_under(source):
        relative = path.relative_to(source)
        if sample and relative.parts[0] == "playbook":
            continue
        if path.name.endswith(".j2"):
            text = env.get_template(relative.as_posix()).render(context)
            plan[_target_name(relative)] = text.encode("utf-8")
        else:
            plan[_target_name(relative)] = path.read_bytes()
    if sample:
        for path in _files_under(sample_dir()):
            plan[Path("playbook") / path.relative_to(sample_dir())] = path.read_bytes()
    for name, content in install.files.items():  # a local wheel, into tools/
        plan[Path(name)] = content
    plan[CODEOWNERS] = _codeowners(plan, today).encode("utf-8")
    return plan


CODEOWNERS = Path(".github/CODEOWNERS")


def _codeowners(plan: dict[Path, bytes], today: dt.date) -> str:
    """The CODEOWNERS `playbook codeowners` makes of the planned playbook, so that
    `playbook codeowners --check` passes in a new repository."""
    with tempfile.TemporaryDirectory() as folder:
        top = Path(folder)
        for relative, content in plan.items():
            if relative.parts[0] == "playbook":
                (top / relative).parent.mkdir(parents=True, exist_ok=True)
                (top / relative).write_bytes(content)
        checked = check(top / "playbook", today, preview=True)
        return codeowners.codeowners(checked.model, top / "playbook", top / CODEOWNERS, top).text


def _schema_files() -> list[Path]:
    return sorted(schema_dir().glob("*.schema.json"))


SCHEMA_MARK = b'"$comment": "Made by playbook'  # in every schema this version ships
MAX_SCHEMA_BYTES = 1024 * 1024


def _made_by_us(path: Path) -> bool:
    """A regular file (no link) holding a schema some version of playbook wrote."""
    return marked_file(path, SCHEMA_MARK, MAX_SCHEMA_BYTES)


def _check_folder(folder: Path) -> None:
    """`folder` is a folder or can be made one: no file in the way, writable."""
    for candidate in (folder, *folder.parents):
        if candidate.is_dir():
            if not os.access(candidate, os.W_OK | os.X_OK):
                raise StarterError(f"{candidate} is not writable")
            return
        if os.path.lexists(candidate):
            raise StarterError(f"{candidate} is a file, not a folder")


def _check_files(target: Path, relatives: list[Path]) -> None:
    clashes = [rel for rel in relatives if os.path.lexists(target / rel)]
    if clashes:
        listed = ", ".join(str(target / rel) for rel in clashes[:5])
        more = f" and {len(clashes) - 5} more" if len(clashes) > 5 else ""
        verb = "exists" if len(clashes) == 1 else "exist"
        raise StarterError(
            f"{listed}{more} {verb} already; `playbook init` never overwrites a file"
        )
    for rel in relatives:  # a file where a folder is needed
        for parent in (target / rel).parents:
            if parent == target or target not in parent.parents:
                break
            if os.path.lexists(parent) and not parent.is_dir():
                raise StarterError(f"{parent} is a file, not a folder")


def init_project(
    target: Path,
    *,
    sample: bool = False,
    force: bool = False,
    today: dt.date | None = None,
    install: Install | None = None,
) -> list[Path]:
    """Write the starter repository into `target`; return the files written, in order.

    `target` must not exist or be an empty folder; with `force` it may hold files, but
    none that init would write. Raise StarterError (nothing written) otherwise.
    `install`: how the repository installs the tool (default: as the running one was).
    """
    target = Path(target)
    if os.path.lexists(target) and not target.is_dir():
        raise StarterError(f"{target} is a file, not a folder")
    _check_folder(target)
    _outside_playbooks(target)
    if target.is_dir() and any(target.iterdir()) and not force:
        raise StarterError(
            f"{target} is not empty; choose a new folder, or add --force to write into it "
            "(existing files are never overwritten)"
        )
    plan = _plan(sample, today or dt.date.today(), install or current_install())
    schemas = Path("schemas")
    _check_files(target, [*plan, *(schemas / p.name for p in _schema_files())])

    folders = {f for rel in plan for f in (target / rel).parents} | {target / schemas}
    for folder in sorted(f for f in folders if target in f.parents):
        if folder.is_symlink():  # --force: what is there may be anything, a link included
            raise StarterError(
                f"{folder} is a link: init writes through no link; "
                "remove it or choose another folder"
            )
    made = sorted((f for f in folders if not f.exists()), key=lambda f: -len(f.parts))
    written: list[Path] = []
    try:
        for relative, content in plan.items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("xb") as handle:  # never overwrite, even if it appeared meanwhile
                written.append(path)
                handle.write(content)
        written.extend(write_schemas(target / schemas))
    except (OSError, StarterError) as error:
        # the checks made sure no schema file was there: any there now is ours
        written.extend(p for p in (target / schemas).glob("*.schema.json") if p not in written)
        _undo(written, made)
        if isinstance(error, StarterError):
            raise
        raise StarterError(f"cannot write into {target}: {error.strerror or error}") from None
    return written


def _outside_playbooks(folder: Path) -> None:
    """Refuse a folder inside a playbook folder, where files of their own would be strays."""
    for place in (folder.resolve(), *folder.resolve().parents):
        if (place / "playbook.yml").is_file():
            raise StarterError(f"{folder} lies inside the playbook folder {place}; choose another")


def _undo(written: list[Path], made: list[Path]) -> None:
    """Remove what a failed init wrote: its files, then the folders it made (deepest first)."""
    for path in written:
        path.unlink(missing_ok=True)
    for folder in made:
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()


def write_schemas(folder: Path) -> list[Path]:
    """Copy this version's JSON Schemas into `folder`; return the files written.

    Only `*.schema.json` files are written (replacing older copies whole); nothing else in
    the folder is touched.
    """
    folder = Path(folder)
    _check_folder(folder)
    _outside_playbooks(folder)
    if folder.resolve() == Path(folder.resolve().anchor):
        raise StarterError("the filesystem root is no place for schemas; name a folder")
    for source in _schema_files():  # all refused before anything is written
        path = folder / source.name
        if os.path.lexists(path) and not _made_by_us(path):
            raise StarterError(
                f"{path} is not a schema `playbook schemas` wrote (a folder, a link or "
                "another file): replacing it would destroy data; move it away first"
            )
    written: list[Path] = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for source in _schema_files():
            path = folder / source.name
            replace_file(path, source.read_bytes())
            written.append(path)
    except OSError as error:
        raise StarterError(f"cannot write into {folder}: {error.strerror or error}") from None
    return written
