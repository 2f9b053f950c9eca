"""`playbook export`: the decision matrix for the tools where deals are made."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError, require_known
from ..history.effective import in_force
from ..model import matrix
from ..runtime.output import marked_file, replace_file
from ..source.check import check
from . import options
from .build import matrix_of, source_epoch

NAME = "export"
HELP = "the decision matrix (every path's bands for every team and level) as data"
FORMATS = ("json", "csv")  # the file's format (dmn and opa follow: issue 27)
# in every file this command wrote, by format: an export it wrote may be replaced
MARKS = {
    "json": f'"format": "{matrix.FORMAT}"'.encode(),
    "csv": ",".join(matrix.CSV_COLUMNS).encode(),
}
MAX_BYTES = 256 * 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    parser.add_argument(
        "--to",
        choices=FORMATS,
        default="json",
        help="the file's format: json (decisions.json, schemas/decisions.schema.json), csv "
        "(a row per path, team, level and band: the README names the columns)",
    )
    parser.add_argument(
        "--team",
        default=None,
        type=options.name,
        help="only the organisation's answers and this team's (default: every team's)",
    )
    options.add_out(parser, None, "the file to write (default: stdout)", metavar="FILE")
    options.add_strict(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    out: Path | None = args.out
    if out is not None:
        _writable(out, folder, MARKS[args.to])
    today = options.today(args)
    checked = check(folder, today, strict=args.strict)
    effective, later = in_force(checked.model, folder, today)  # the versions in force today
    problems = (*checked.problems, *later)
    if args.team is not None:
        require_known([args.team], {t.id for t in effective.teams}, "team")
    data = matrix_of(folder, effective, source_epoch(folder, effective), args.team)
    text = matrix.matrix_csv(data) if args.to == "csv" else matrix.as_json(data)
    options.report(problems, args.format)
    if out is None:
        print(text, end="")
        return options.EXIT_OK
    out.parent.mkdir(parents=True, exist_ok=True)
    replace_file(out, text)
    options.say(f"wrote {out}: {len(effective.teams)} team(s), as of {today.isoformat()}")
    return options.EXIT_OK


def _writable(out: Path, folder: Path, mark: bytes) -> None:
    """A file this command may write: not a folder, not inside the playbook, not a file
    someone else made (an export it wrote before may be replaced)."""
    if out.is_dir() or not out.name:
        raise UsageError(f"--out {out} is a folder: name a file, e.g. decisions.json")
    options.replaceable_file(out, folder, "export", lambda p: marked_file(p, mark, MAX_BYTES))
