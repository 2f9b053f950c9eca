"""Option groups shared by the commands that honour them, and what they print."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError
from ..history import git
from ..report import FORMAT_NAMES, FORMATS, colour, format_text
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


class Renamed(argparse.Action):
    """An option's old name, hidden from `--help` and kept for one release: it works as the
    new name does and says, on stderr, what to write instead."""

    def __init__(self, *args: Any, new: str = "", **kwargs: Any) -> None:
        self.new = new
        super().__init__(*args, **kwargs)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        if option_string not in getattr(namespace, "renamed", ()):
            note(f"{option_string} is now {self.new}: the old name goes in the next release")
        namespace.renamed = (*getattr(namespace, "renamed", ()), option_string)
        setattr(namespace, self.dest, values)


def add_renamed(parser: argparse.ArgumentParser, old: str, new: str, **kwargs: Any) -> None:
    """Keep `old` working as a hidden alias of the option `new`."""
    dest = new.lstrip("-").replace("-", "_")
    parser.add_argument(
        old, dest=dest, action=Renamed, new=new, default=argparse.SUPPRESS,
        help=argparse.SUPPRESS, **kwargs,
    )  # fmt: skip


SOURCE_HELP = "the playbook folder (default: playbook)"


def add_source(parser: argparse.ArgumentParser) -> None:
    """The playbook folder: an optional positional, `playbook` when left out. Commands
    that take other positionals put it last (`playbook new KIND ID [SOURCE]`); `--source`
    is its old name."""
    parser.add_argument("source", nargs="?", type=Path, default=Path("playbook"), help=SOURCE_HELP)


def add_source_alias(parser: argparse.ArgumentParser) -> None:
    """`--source DIR`, the old spelling where the folder was an option (new, rename, diff)."""
    parser.add_argument(
        "--source", dest="source_option", type=Path, action=Renamed, new="SOURCE (positional)",
        default=None, help=argparse.SUPPRESS,
    )  # fmt: skip


def add_out(
    parser: argparse.ArgumentParser,
    default: Path | None,
    help: str,
    *,
    old: str = "",
    metavar: str = "PATH",
) -> None:
    """`--out`: the one name for any file or folder a command writes; `old` its former name."""
    parser.add_argument("--out", type=Path, default=default, metavar=metavar, help=help)
    if old:
        add_renamed(parser, old, "--out", type=Path, metavar=metavar)


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


FORMAT_HELP = (
    "text (people), json (tools), github (annotations in a GitHub Actions log), "
    "markdown (a pull-request comment)"
)


def add_format(parser: argparse.ArgumentParser, what: str = "problems") -> None:
    """`--format`, the same four choices wherever a command prints problems or a report."""
    parser.add_argument(
        "--format",
        choices=FORMAT_NAMES,
        default="text",
        help=f"how {what} are printed: {FORMAT_HELP}",
    )


def today(args: argparse.Namespace) -> dt.date:
    return args.today or dt.date.today()


def source(args: argparse.Namespace) -> Path:
    """The playbook folder named on the command line; a usage error if there is none."""
    folder: Path = source_path(args)
    if not folder.is_dir():
        what = "a file, not a folder" if folder.exists() else "not there"
        raise UsageError(
            f"{folder} is {what}: name the playbook folder (the one holding playbook.yml), "
            "or run the command beside it"
        )
    return folder


def source_path(args: argparse.Namespace) -> Path:
    """The folder given positionally, or by its old option `--source`; not both."""
    given: Path | None = getattr(args, "source_option", None)
    if given is None:
        folder: Path = args.source
        return folder
    if args.source != Path("playbook") and args.source != given:
        raise UsageError("name the playbook folder once: as SOURCE, not also as --source")
    return given


def report(problems: Sequence[Problem], form: str) -> None:
    """Problems as text go to stderr, for people; the other formats go to stdout, where
    tools read them."""
    if form == "text":
        if problems:
            print(format_text(problems, colour=colour(sys.stderr)), file=sys.stderr)
    else:
        print(FORMATS[form](problems))


# How much the status lines say: -1 with -q (problems and results only), 0 by default,
# 1 and more with -v. Set once by the command line before a command runs.
VERBOSITY = [0]


def say(message: str) -> None:
    """A status line for people, on stderr; -q leaves it out."""
    if VERBOSITY[0] >= 0:
        print(message, file=sys.stderr)


def detail(message: str) -> None:
    """A line only -v prints (what was read, written, how long it took), on stderr."""
    if VERBOSITY[0] >= 1:
        print(message, file=sys.stderr)


def note(message: str) -> None:
    """A note -q does not silence (a renamed option), on stderr."""
    print(f"playbook: note: {message}", file=sys.stderr)
