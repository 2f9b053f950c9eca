"""`playbook build`: validate, then build the site and the card decks."""

from __future__ import annotations

import argparse
from pathlib import Path

from .. import pipeline
from ..output import check_target
from . import options

NAME = "build"
HELP = "validate, then build the site and the decision cards"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    parser.add_argument(
        "--site-dir", type=Path, default=Path("site"), help="where the site goes (default: site)"
    )
    parser.add_argument(
        "--build-dir",
        type=Path,
        default=Path("build"),
        help="where the generated MkDocs project goes (default: build)",
    )
    parser.add_argument("--preview", action="store_true", help="include drafts, marked as such")
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="leave out the pages made from git history (a plain export)",
    )
    parser.add_argument(
        "--team",
        default=None,
        help="build one team's site: the playbook as it holds in that team (teams/<team>.yml)",
    )
    options.add_strict(parser)
    options.add_config(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    check_target(args.site_dir, "--site-dir", folder)
    check_target(args.build_dir, "--build-dir", folder)
    site, work = args.site_dir.resolve(), args.build_dir.resolve()
    if site == work or site in work.parents or work in site.parents:
        raise options.UsageError("--site-dir and --build-dir must be separate folders")
    result = pipeline.build(
        folder,
        args.site_dir,
        args.build_dir,
        options.today(args),
        strict=args.strict,
        preview=args.preview,
        history=not args.no_history,
        site_config=args.config,
        team=args.team,
    )
    options.report(result.problems, args.format)
    options.say(f"built {args.site_dir}: {result.summary}")
    return options.EXIT_OK
