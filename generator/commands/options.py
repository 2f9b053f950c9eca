"""Option groups shared by the commands that honour them, and what they print."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem, UsageError
from ..history import git
from ..report import FORMATS, format_text
from ..runtime.output import check_target

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_APPROVAL = 0, 1, 2, 3


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def output_folder(target: Path, option: str, source: Path) -> None:
    """Refuse an output folder whose replacement would destroy data (`check_target`); the
    repository the playbook folder is in is protected too."""
    repository = git.toplevel(source) if source.is_dir() else None
    check_target(target, option, source, repository)


class Once(argparse.Action):
    """An option given at most once: a second value is a usage error, not a silent
    override (`--level senior --level einsteiger` would otherwise keep the last)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        if getattr(namespace, self.dest, None) is not None:
            parser.error(f"{option_string} is given twice: give it once")
        setattr(namespace, self.dest, values)


def name(text: str) -> str:
    """A team or level id: an empty one would silently mean the organisation's view."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty (leave the option out instead)")
    return text


def add_source(parser: argparse.ArgumentParser, *, positional: bool = True) -> None:
    help_text = "the playbook folder (default: playbook)"
    if positional:
        parser.add_argument(
            "source", nargs="?", type=Path, default=Path("playbook"), help=help_text
        )
    else:
        parser.add_argument("--source", type=Path, default=Path("playbook"), help=help_text)


def add_config(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--config",
        type=Path,
        default=None,
        metavar="MKDOCS_YML",
        help="the organisation's site settings (default: mkdocs.yml beside the playbook folder)",
    )


def add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today", type=_date, default=None, help="date for review checks (YYYY-MM-DD)"
    )


def add_strict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


def add_format(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=sorted(FORMATS),
        default="text",
        help="how problems are printed: text (people), github (annotations), json (tools)",
    )


def today(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def source(args: argparse.Namespace) -> Path:
    """The playbook folder named on the command line; a usage error if there is none."""
    folder: Path = args.source
    if not folder.is_dir():
        what = "a file, not a folder" if folder.exists() else "not there"
        raise UsageError(
            f"{folder} is {what}: name the playbook folder (the one holding playbook.yml), "
            "or run the command beside it"
        )
    return folder


def report(problems: Sequence[Problem], form: str) -> None:
    """Text goes to stderr; machine formats go to stdout, where tools read them."""
    if form not in FORMATS:  # a command's own output format, e.g. diff's markdown
        form = "json" if form == "json" else "text"
    if form == "text":
        if problems:
            print(format_text(problems), file=sys.stderr)
    else:
        print(FORMATS[form](problems))


def say(message: str) -> None:
    """A status line for people, on stderr."""
    print(message, file=sys.stderr)
