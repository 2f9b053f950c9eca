"""`playbook review`: entries and files overdue or due for review, by owner."""

from __future__ import annotations

import argparse

from ..authoring import reviews
from ..errors import UsageError
from ..source import check
from . import options

NAME = "review"
HELP = "entries and files (glossary, onboarding, teams) overdue or due for review, by owner"
LANGUAGE = "en"  # the command line speaks English, whatever the playbook's language


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    parser.add_argument(
        "--within", type=int, default=30, metavar="DAYS", help="due within DAYS (default: 30)"
    )
    parser.add_argument(
        "--fail-on-overdue", action="store_true", help="exit 1 when any entry is overdue"
    )
    parser.add_argument("--owner", metavar="ROLE", help="only the entries this role (its id) owns")
    options.add_today(parser)
    options.add_format(parser, "the reviews due", markdown="an issue for the owner")


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.within <= 36500:
        raise UsageError("--within takes a number of days from 0 to 36500")
    today = options.today(args)
    checked = check.check(options.source(args), today)
    model = checked.model
    roles = [r.id for r in model.roles]
    if args.owner is not None and args.owner not in roles:
        raise UsageError(f"--owner {args.owner}: no such role; roles: {', '.join(roles)}")
    files = reviews.file_reviews(model, checked.sources, today, LANGUAGE)
    grouped = reviews.due_reviews(model, today, args.within, args.owner, files)
    if args.format == "json":
        print(reviews.reviews_json(grouped, model))
    elif args.format == "github":
        print(reviews.reviews_github(grouped, model))
    elif args.format == "markdown":
        print(reviews.reviews_markdown(grouped, model, args.owner, LANGUAGE), end="")
    else:
        print(reviews.format_reviews(grouped, args.within, model))
    overdue = any(d.overdue for dues in grouped.values() for d in dues)
    return options.EXIT_PROBLEMS if args.fail_on_overdue and overdue else options.EXIT_OK
