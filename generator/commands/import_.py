"""`playbook import`: escalation paths from the approval matrix an organisation has."""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..authoring import importer
from ..errors import PlaybookError, Problem, UsageError
from ..model import matrix
from ..model.playbook import EscalationPath, Playbook
from ..runtime.files import read_regular
from ..runtime.output import replace_file
from ..source import matrix_csv
from ..source.check import check
from . import options
from .matrix_check import read_text

NAME = "import"
HELP = "escalation paths from an approval matrix (csv), checked before anything is written"
MAX_BYTES = 32 * 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "matrix", type=Path, metavar="MATRIX.csv",
        help="the matrix: `playbook export --format csv`'s columns, or path, from, to, unit, "
        "role (README: Where deals are made)",
    )  # fmt: skip
    options.add_source(parser)
    parser.add_argument(
        "--force", action="store_true",
        help="replace the bands of paths the playbook has (everything else in their files "
        "stays); without it they are left alone and named",
    )  # fmt: skip
    parser.add_argument(
        "--owner", default=None, metavar="ROLE",
        help="the owner of each new path (default: the role deciding its highest band)",
    )  # fmt: skip
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    csv_file: Path = args.matrix
    text = read_text(csv_file, "the matrix")
    today = options.today(args)
    model = check(folder, today, preview=True).model  # drafts too: their ids are taken
    if args.owner is not None and args.owner not in {r.id for r in model.roles}:
        known = ", ".join(sorted(r.id for r in model.roles))
        raise UsageError(f"unknown role {args.owner} for --owner; known: {known}")
    name = str(csv_file)
    found = matrix_csv.read_for(name, text, model)
    if found.problems:
        raise PlaybookError(found.problems)
    existing = {
        p.id: (_relative(p.file, folder), _text_of(Path(p.file)))
        for p in model.entries
        if isinstance(p, EscalationPath) and p.id in {k[0] for k in found.bands}
    }
    plan = importer.plan(
        found, model, existing, source_name=name, force=args.force, owner=args.owner,
        today=today,
    )  # fmt: skip
    if plan.problems:
        raise PlaybookError(plan.problems)
    for relative in plan.files:
        _inside(folder, relative)
    warnings = _try(folder, plan.files, found, today, name)
    options.report(warnings, args.format)
    for relative, content in plan.files.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, content)
    for path_id in plan.created:
        print(folder / importer.PATHS_FOLDER / f"{path_id}.yml")
    options.say(
        f"imported {len(found.bands)} band table(s) from {name}: {len(plan.created)} path(s) "
        f"written new, {len(plan.replaced)} with their bands replaced"
    )
    return options.EXIT_OK


def _text_of(path: Path) -> str:
    """An escalation path's file as validation just read it (a regular file, UTF-8)."""
    content = read_regular(path, MAX_BYTES)
    if content is None:
        raise UsageError(f"{path} changed while importing: import again")
    return content.decode("utf-8")


def _inside(folder: Path, relative: str) -> None:
    """Refuse to write through a link: each folder on the way to the file is a real
    folder inside the playbook folder (or not there yet), and the file no link."""
    path = folder
    for part in Path(relative).parts:
        path = path / part
        if path.is_symlink():
            raise UsageError(
                f"{path} is a link: import writes only into the playbook folder's own files; "
                "replace the link with the folder or file itself"
            )


def _relative(file: str, folder: Path) -> str:
    return Path(file).resolve().relative_to(folder.resolve()).as_posix()


def _try(
    folder: Path, files: dict[str, str], found: matrix_csv.Read, today: dt.date, name: str
) -> list[Problem]:
    """Check the playbook as it would be, in a scratch copy: the usual problems (at the
    real folder's paths), and that it gives every row's answer. Returns the warnings."""
    rows = {
        relative: found.first_row[Path(relative).stem]
        for relative in files
        if Path(relative).stem in found.first_row
    }
    with tempfile.TemporaryDirectory(prefix="playbook-import-") as scratch:
        copy = Path(scratch) / folder.resolve().name
        shutil.copytree(folder, copy, symlinks=True, ignore=_not_regular)
        for relative, content in files.items():
            (copy / relative).parent.mkdir(parents=True, exist_ok=True)
            (copy / relative).write_text(content, "utf-8")
        try:
            checked = check(copy, today, preview=True)  # drafts too, as the playbook was read
        except PlaybookError as error:
            raise PlaybookError(_moved(error.problems, copy, folder, rows, name)) from None
        differences = _differences(checked.model, found, name)
        if differences:
            raise PlaybookError(differences)
        # the warnings of what it writes (the others `validate` gives as before)
        moved = _moved(checked.problems, copy, folder, rows, name)
        return [p for p in moved if p.file == name]


def _not_regular(where: str, names: list[str]) -> list[str]:
    """What the scratch copy leaves out: anything but folders, files and links (a pipe or
    a socket, which no playbook holds and copying would block on)."""
    base = Path(where)
    return [
        n for n in names
        if not ((base / n).is_symlink() or (base / n).is_dir() or (base / n).is_file())
    ]  # fmt: skip


def _moved(
    problems: Iterable[Problem],
    copy: Path,
    folder: Path,
    rows: dict[str, matrix_csv.Row],
    name: str,
) -> list[Problem]:
    """Problems in the scratch copy, at the playbook folder's files; a problem in a file
    import writes at the csv row its path starts on (that file is not there to open)."""
    moved = []
    for p in problems:
        try:
            relative = Path(p.file).resolve().relative_to(copy.resolve()).as_posix()
        except ValueError:
            moved.append(p)
            continue
        row = rows.get(relative)
        if row is None:
            moved.append(dataclasses.replace(p, file=(folder / relative).as_posix()))
            continue
        line, column = row.at("path_id")
        moved.append(dataclasses.replace(
            p, file=name, line=line, column=column, end_column=None, json_path="$",
            message=f"{p.message} (in {relative} as import would write it, line {p.line})",
        ))  # fmt: skip
    return moved


def _differences(model: Playbook, found: matrix_csv.Read, name: str) -> list[Problem]:
    """Rows the playbook would not give as they are: a team's (import writes only the
    organisation's bands), or the bands without a level where the levels differ."""
    data = matrix.decision_matrix(model)
    answers: dict[tuple[str, str, str], list[dict[str, Any]]] = {
        (p["id"], a["team"], a["level"]): a["bands"] for p in data["paths"] for a in p["answers"]
    }
    problems = []
    for (path, team, level), rows in found.bands.items():
        want = [(b.above, b.up_to, b.decider) for b in sorted(rows, key=matrix_csv.start)]
        held = answers.get((path, team, level))
        got = [(b["above"], b["up_to"], b["decider"]["id"]) for b in held or []]
        if held is None or want != got:
            first = min(rows, key=lambda b: b.row.line)
            line, column = first.row.at("team_id" if team else "level_id")
            gives = "; ".join(_said(b) for b in got) or "no bands"
            if team:
                hint = (
                    f"a team's bands are its overlay's: tighten {path} in the team's file "
                    f"(teams/{team}.yml); import writes the organisation's bands"
                )
            elif held is None:
                hint = f"the playbook has no bands for {path} at this level: check its level"
            elif not level:
                hint = (
                    "without a level, a path that varies by level holds its lowest level's "
                    "bands: give these rows the lowest level's values"
                )
            else:
                hint = "give each level's rows the bands that level has"
            problems.append(Problem(
                name, line, column, "import-differs",
                f"the playbook would give {gives} here, not what these rows say", hint,
            ))  # fmt: skip
    return problems


def _said(band: tuple[Any, Any, str]) -> str:
    above, up_to, decider = band
    low = "" if above is None else f"above {above:g} "
    high = "" if up_to is None else f"up to {up_to:g} "
    return f"{low}{high}{decider}".strip()
