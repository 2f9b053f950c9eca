"""Command line: arguments -> pipeline -> exit code. The only place that prints problems."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from . import __version__, pipeline
from .errors import PlaybookError, Problem
from .report import format_text

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="playbook", description=__doc__)
    root.add_argument("--version", action="version", version=f"playbook {__version__}")
    commands = root.add_subparsers(dest="command", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("source", nargs="?", type=Path, default=Path("playbook"))
        sub.add_argument("--strict", action="store_true", help="fail on warnings too")
        sub.add_argument(
            "--today", type=_date, default=None, help="date for review checks (YYYY-MM-DD)"
        )

    validate = commands.add_parser("validate", help="check the sources; write nothing")
    common(validate)
    build = commands.add_parser("build", help="validate, then build the site")
    common(build)
    build.add_argument("--site-dir", type=Path, default=Path("site"))
    build.add_argument("--build-dir", type=Path, default=Path("build"))
    return root


def _report(problems: Sequence[Problem]) -> None:
    if problems:
        print(format_text(problems), file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    today = args.today or dt.date.today()
    try:
        if args.command == "validate":
            result = pipeline.check(args.source, today, strict=args.strict)
            _report(result.problems)
            print(f"{args.source}: {result.summary}", file=sys.stderr)
        else:
            result = pipeline.build(
                args.source, args.site_dir, args.build_dir, today, strict=args.strict
            )
            _report(result.problems)
            print(f"built {args.site_dir}: {result.summary}", file=sys.stderr)
    except PlaybookError as error:
        _report(error.problems)
        print("nothing was written.", file=sys.stderr)
        return EXIT_PROBLEMS
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
