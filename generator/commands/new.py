"""`playbook new`: a valid, commented skeleton entry."""

from __future__ import annotations

import argparse

from .. import pipeline
from . import options

NAME = "new"
HELP = "write a valid, commented skeleton entry"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", help="e.g. non-negotiables, escalation-paths")
    parser.add_argument("id", help="the new entry's id (lower-case slug)")
    options.add_source(parser, positional=False)
    parser.add_argument("--owner", help="owner role (default: the rep role's escalation)")
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    path = pipeline.new_entry(folder, args.kind, args.id, args.owner, options.today(args))
    print(f"created {path}: fill in the TODOs, then run `playbook validate`")
    return options.EXIT_OK
