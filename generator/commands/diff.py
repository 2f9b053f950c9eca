"""`playbook diff`: what a change means, entry by entry."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import diff, pipeline
from ..errors import Problem
from . import options

NAME = "diff"
HELP = "what a change means: BASE and HEAD are folders or git revisions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", help="folder or git revision, e.g. origin/main")
    parser.add_argument("head", nargs="?", help="folder or git revision (default: the source)")
    options.add_source(parser, positional=False)
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="text (people), markdown (a pull-request comment), json (tools)",
    )
    parser.add_argument(
        "--fail-on",
        choices=["loosening", "any-approval"],
        default=None,
        help="exit 3 when a change loosens a rule (loosening), or needs the owner's approval "
        "for any reason, a change of wording included (any-approval); for a required CI check",
    )
    options.add_today(parser)


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    warnings: list[Problem] = []
    model, changes = pipeline.semantic_diff(
        args.base, args.head, source, options.today(args), warnings
    )
    options.report(warnings, "text")  # on stderr, whatever the format of the diff
    if args.format == "json":
        print(diff.format_json(changes))
    elif args.format == "markdown":
        print(diff.format_markdown(changes, model.language))
    else:
        print(diff.format_text(changes, model.language))
    if args.fail_on and any(diff.needs(c, args.fail_on) for c in changes):
        return options.EXIT_APPROVAL
    return options.EXIT_OK
