"""`playbook rename`: a new id for an entry, keeping its old links and card number."""

from __future__ import annotations

import argparse

from ..authoring import rename
from . import options

NAME = "rename"
HELP = "give an entry a new id: references updated, old links and card short links redirect"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the entry's current id")
    parser.add_argument("new", metavar="NEW", help="its new id (lower-case slug)")
    options.add_source(parser)
    options.add_source_alias(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    done = rename.rename(folder, args.old, args.new, options.today(args))
    print(done.new_path)  # stdout: each file written, the renamed entry first
    for path in done.updated:
        print(path)
    options.say(f"renamed {done.old_path} -> {done.new_path} (`{args.old}` kept in previous_ids)")
    for path in done.updated:
        options.detail(f"updated references in {path}")
    if done.updated:
        options.say(f"updated references in {len(done.updated)} file(s)")
    return options.EXIT_OK
