"""`playbook board`: validate, then print the delegation board as a poster (PDF)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import poster
from . import options

NAME = "board"
HELP = "validate, then render the delegation board as a poster (PDF, A3 or A2 landscape)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    parser.add_argument(
        "--out", type=Path, default=Path("delegation-board.pdf"), help="PDF file to write"
    )
    parser.add_argument(
        "--paper", choices=sorted(poster.PAPERS_MM), default="a3", help="paper size, landscape"
    )
    options.add_strict(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    written = poster.write_board(
        folder, args.out, options.today(args), args.paper, strict=args.strict
    )
    options.report(written.problems, args.format)
    options.say(f"wrote {args.out}: {written.summary}")
    return options.EXIT_OK
