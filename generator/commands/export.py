"""`playbook export`: the decision matrix for the tools where deals are made."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError, require_known
from ..history.effective import in_force
from ..model import dmn, matrix, rego
from ..runtime.output import marked_file, replace_file, write_tree
from ..source.check import check
from . import matrix_check, options
from .build import matrix_of, source_epoch

NAME = "export"
HELP = "the decision matrix (every path's bands for every team and level) as data"
FORMATS = ("json", "csv", "dmn", "opa")  # what the tools where deals are made load
# in every file this command wrote, by format: an export it wrote may be replaced (opa
# writes a folder, which carries the marker of every folder playbook makes)
MARKS = {
    "json": f'"format": "{matrix.FORMAT}"'.encode(),
    "csv": ",".join(matrix.CSV_COLUMNS).encode(),
    "dmn": f'exporter="{dmn.EXPORTER}"'.encode(),
}
MAX_BYTES = 256 * 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    # `--format` names the file's format here, not how problems are printed as in the
    # other commands: export prints its problems as text on stderr (tests/test_conventions.py;
    # another dest, so that cli.py reports a failure as text too)
    parser.add_argument(
        "--format",
        dest="file_format",
        choices=FORMATS,
        default="json",
        help="the file's format (default: json): json (decisions.json, "
        "schemas/decisions.schema.json), csv (a row per path, team, level and band), dmn "
        "(DMN 1.3, a decision table per path), opa (an OPA bundle folder: data.json, "
        "policy.rego, policy_test.rego)",
    )
    parser.add_argument(
        "--team",
        default=None,
        type=options.name,
        help="only the organisation's answers and this team's (default: every team's)",
    )
    where = "the file to write (default: stdout); for opa, the bundle's folder"
    options.add_out(parser, None, where, metavar="PATH")
    parser.add_argument(
        "--check", type=Path, default=None, metavar="FILE", action=options.Given,
        help="compare FILE (a csv in either layout, or a decisions.json kept elsewhere, e.g. "
        "the CRM's) with today's bands instead of writing: each difference on stdout, exit 3 "
        "if there is one",
    )  # fmt: skip
    options.add_strict(parser)
    options.add_today(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    out: Path | None = args.out
    if args.check is not None and out is not None:
        raise UsageError("--check compares and writes nothing: leave --out out")
    if args.check is not None:
        pass
    elif args.file_format == "opa":
        if out is None:
            raise UsageError("--format opa writes a folder (a bundle): name it with --out DIR")
        options.output_folder(out, "--out", folder)
    elif out is not None:
        _writable(out, folder, MARKS[args.file_format])
    today = options.today(args)
    checked = check(folder, today, strict=args.strict)
    effective, later = in_force(checked.model, folder, today)  # the versions in force today
    problems = (*checked.problems, *later)
    if args.team is not None:
        require_known([args.team], {t.id for t in effective.teams}, "team")
    data = matrix_of(folder, effective, source_epoch(folder, effective), args.team)
    options.report(problems, "text")
    if args.check is not None:
        return matrix_check.check_file(args.check, effective, data)
    what = f"{len(effective.teams)} team(s), as of {today.isoformat()}"
    if args.file_format == "opa":
        assert out is not None
        write_tree(rego.bundle(data), out)
        options.say(f"wrote {out}/ (an OPA bundle: opa run -b {out}): {what}")
        return options.EXIT_OK
    text = WRITERS[args.file_format](data)
    if out is None:
        print(text, end="")
        return options.EXIT_OK
    out.parent.mkdir(parents=True, exist_ok=True)
    replace_file(out, text)
    options.say(f"wrote {out}: {what}")
    return options.EXIT_OK


WRITERS = {"json": matrix.as_json, "csv": matrix.matrix_csv, "dmn": dmn.matrix_dmn}


def _writable(out: Path, folder: Path, mark: bytes) -> None:
    """A file this command may write: not a folder, not inside the playbook, not a file
    someone else made (an export it wrote before may be replaced)."""
    if out.is_dir() or not out.name:
        raise UsageError(f"--out {out} is a folder: name a file, e.g. decisions.json")
    options.replaceable_file(out, folder, "export", lambda p: marked_file(p, mark, MAX_BYTES))
