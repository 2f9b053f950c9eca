"""`playbook codeowners`: CODEOWNERS lines from the roles' handles."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import ownership, pipeline
from ..output import replace_file
from . import options

NAME = "codeowners"
HELP = "CODEOWNERS lines from the roles' handles"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    text = ownership.codeowners(pipeline.check(options.source(args), options.today(args)).model)
    if args.output:
        output: Path = args.output
        if output.is_dir() or not output.name or output.name in (".", ".."):
            raise options.UsageError(f"--output {output} is a folder; name a file, e.g. CODEOWNERS")
        if output.exists() and not _ours(output):
            raise options.UsageError(
                f"{output} exists and was not written by `playbook codeowners`; "
                "move it away or name another file"
            )
        replace_file(output, text)
        options.say(f"wrote {args.output}")
    else:
        print(text, end="")
    return options.EXIT_OK


def _ours(path: Path) -> bool:
    """A file this command wrote before (its first line says so), safe to replace."""
    if path.is_symlink() or not path.is_file():
        return False
    try:
        with path.open(encoding="utf-8", errors="replace") as file:
            return file.readline().startswith(ownership.HEADER)
    except OSError:
        return False
