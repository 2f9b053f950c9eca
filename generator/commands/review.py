"""`playbook review`: entries overdue or due for review, by owner."""

from __future__ import annotations

import argparse

from .. import ownership, pipeline
from . import options

NAME = "review"
HELP = "entries overdue or due for review, by owner"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    parser.add_argument(
        "--within", type=int, default=30, metavar="DAYS", help="due within DAYS (default: 30)"
    )
    parser.add_argument(
        "--fail-on-overdue", action="store_true", help="exit 1 when any entry is overdue"
    )
    options.add_today(parser)
    parser.add_argument(
        "--format",
        choices=["text", "json", "github"],
        default="text",
        help="text (people), json (tools), github (warnings on the files in GitHub Actions)",
    )


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.within <= 36500:
        raise options.UsageError("--within takes a number of days from 0 to 36500")
    today = options.today(args)
    checked = pipeline.check(options.source(args), today)
    grouped = ownership.due_reviews(checked.model, today, args.within)
    if args.format == "json":
        print(ownership.reviews_json(grouped, checked.model))
    elif args.format == "github":
        print(ownership.reviews_github(grouped))
    else:
        print(ownership.format_reviews(grouped, args.within))
    overdue = any(d.overdue for dues in grouped.values() for d in dues)
    return options.EXIT_PROBLEMS if args.fail_on_overdue and overdue else options.EXIT_OK
