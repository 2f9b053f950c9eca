"""`playbook export`: the decision matrix for the tools where deals are made."""

from __future__ import annotations

import argparse
import hashlib
from pathlib import Path

from ..errors import UsageError, require_known
from ..history.effective import in_force
from ..model import dmn, matrix, rego
from ..runtime.files import read_regular
from ..runtime.output import replace_file, write_tree
from ..source.check import check
from . import matrix_check, options
from .build import matrix_of, source_epoch

NAME = "export"
HELP = "the decision matrix (every path's bands for every team and level) as data"
FORMATS = ("json", "csv", "dmn", "opa")  # what the tools where deals are made load
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
    if args.check is not None and (out is not None or args.file_format != "json"):
        raise UsageError(
            "--check compares and writes nothing (it reads the file's own format): "
            "leave --out and --format out"
        )
    if args.check is None and args.file_format == "opa":
        if out is None:
            raise UsageError("--format opa writes a folder (a bundle): name it with --out DIR")
        options.output_folder(out, "--out", folder)
    elif args.check is None and out is not None:
        _writable(out, folder)
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
    replace_file(receipt(out), _digest(text.encode("utf-8")))
    options.say(f"wrote {out}: {what}")
    return options.EXIT_OK


WRITERS = {"json": matrix.as_json, "csv": matrix.matrix_csv, "dmn": dmn.matrix_dmn}


def receipt(out: Path) -> Path:
    """Where export notes what it wrote to `out`: a hidden file beside it holding the
    digest of the bytes it wrote. A file whose bytes still have that digest is one this
    command wrote and no one changed since: it may be replaced."""
    return out.with_name(f".{out.name}.playbook-export")


def _digest(content: bytes) -> str:
    return f"sha256 {hashlib.sha256(content).hexdigest()}\n"


def _written_by_export(path: Path) -> bool:
    noted = read_regular(receipt(path), 1024)
    content = read_regular(path, MAX_BYTES)
    return (
        noted is not None
        and content is not None
        and noted.decode("ascii", "replace") == _digest(content)
    )


def _writable(out: Path, folder: Path) -> None:
    """A file this command may write: not a folder, not inside the playbook, not a file
    someone else made or changed since (an export it wrote, unchanged, may be replaced;
    a hand-kept copy in the same layout may not)."""
    if out.is_dir() or not out.name:
        raise UsageError(f"--out {out} is a folder: name a file, e.g. decisions.json")
    options.replaceable_file(out, folder, "export", _written_by_export)
    if receipt(out).is_symlink() or receipt(out).is_dir():
        raise UsageError(f"{receipt(out)} is not a file export wrote: remove it first")
