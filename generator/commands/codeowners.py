"""`playbook codeowners`: CODEOWNERS lines from the roles' handles and `owners:`."""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import difflib
import sys
from pathlib import Path

from ..authoring import codeowners as owners_file
from ..errors import PlaybookError, UsageError
from ..runtime.output import replace_file
from ..source.check import check
from . import options

NAME = "codeowners"
HELP = "CODEOWNERS lines from the roles' handles"
DEFAULT = Path(".github/CODEOWNERS")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    options.add_out(
        parser, None, f"write to this file instead of stdout (with --check: the file to "
        f"compare, default {DEFAULT})", old="--output", metavar="FILE",
    )  # fmt: skip
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 and show a diff when the file is not what would be written",
    )
    options.add_strict(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    source = options.source(args)
    output: Path | None = args.out or (DEFAULT if args.check else None)
    if output is not None and (output.is_dir() or not output.name or output.name in (".", "..")):
        raise UsageError(f"--out {output} is a folder; name a file, e.g. CODEOWNERS")
    today = options.today(args)
    try:
        checked = check(source, today, strict=args.strict, preview=True)  # drafts too
    except PlaybookError as error:
        if not args.check:
            raise
        # --check runs beside `playbook validate` (the pre-commit hooks, CI), which reports
        # these problems: named once here, so that each is printed once
        options.shout(
            f"{source}: {len(error.problems)} problem(s) in the playbook; `playbook validate"
            f"{' --strict' if args.strict else ''}` shows them. {output} was not compared"
        )
        return options.EXIT_PROBLEMS
    made = owners_file.codeowners(checked.model, source, output or DEFAULT)
    problems = list(made.problems)
    if args.strict:
        problems = [dataclasses.replace(p, severity="error") for p in problems]
    if output is None:  # stdout holds the file: problems in any format go to stderr
        with contextlib.redirect_stdout(sys.stderr):
            options.report(problems, args.format)
    else:
        options.report(problems, args.format)
    if args.strict and problems:
        return options.EXIT_PROBLEMS
    if args.check:
        assert output is not None
        return _check(output, made.text)
    if output is not None:
        current = _current(output)
        if current is not None and not _ours(output, current):
            raise UsageError(
                f"{output} exists and is no CODEOWNERS file `playbook codeowners` wrote into; "
                "move it away or name another file"
            )
        try:
            output.parent.mkdir(parents=True, exist_ok=True)  # e.g. .github/ in a new repository
        except OSError as error:
            raise UsageError(f"cannot make the folder {output.parent}: {error}") from None
        replace_file(output, owners_file.with_block(current, made.text))
        options.say(f"wrote {output}")
    else:
        print(made.text, end="")
    return options.EXIT_OK


def _current(path: Path) -> str | None:
    """The file's text; None if there is none. A link or something unreadable is refused."""
    if path.is_symlink() or (path.exists() and not path.is_file()):
        raise UsageError(f"{path} is a link or no file; name the CODEOWNERS file itself")
    try:
        return path.read_text("utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot read {path}: {error}") from None


def _check(path: Path, wanted: str) -> int:
    """Exit 0 when the managed block in `path` is what would be written; else 1 and a
    unified diff of the block (the organisation's own lines are never compared)."""
    whole = _current(path)
    current = owners_file.block_of(whole) if whole is not None else None
    if current is None and whole is not None and whole.startswith(owners_file.HEADER):
        current = whole  # written whole by an older version
    if current == wanted:
        options.say(f"{path} is up to date")
        return options.EXIT_OK
    lines = difflib.unified_diff(
        (current or "").splitlines(keepends=True),
        wanted.splitlines(keepends=True),
        fromfile=f"{path} (committed)" if current is not None else "/dev/null",
        tofile=f"{path} (from playbook.yml and the entries)",
    )
    sys.stdout.writelines(lines)
    what = "is missing" if current is None else "is out of date"
    options.shout(f"{path} {what}: run `playbook codeowners --out {path}` and commit the result")
    return options.EXIT_PROBLEMS


def _ours(path: Path, text: str) -> bool:
    """A file this command may write into: one with its managed block, one it wrote whole
    before, or a CODEOWNERS file of the organisation's (the block goes at its end)."""
    return (
        owners_file.block_of(text) is not None
        or text.startswith(owners_file.HEADER)
        or path.name == "CODEOWNERS"
    )
