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
        replace_file(args.output, text)
        options.say(f"wrote {args.output}")
    else:
        print(text, end="")
    return options.EXIT_OK
