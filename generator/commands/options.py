"""Option groups shared by the commands that honour them, and what they print."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import Problem, UsageError
from ..history import git
from ..report import FORMAT_NAMES, FORMATS, colour, format_text
from ..report import VERBOSITY as VERBOSITY  # what the commands print, re-exported
from ..report import detail as detail
from ..report import note as note
from ..report import say as say
from ..report import shout as shout
from ..report import warn as warn
from ..runtime.output import check_target

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, EXIT_APPROVAL = 0, 1, 2, 3


def _path(text: str) -> Path:
    """A path to write to: an empty one would mean the current folder."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty: name a file or folder")
    return Path(text)


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


def name(text: str) -> str:
    """A team or level id: an empty one would silently mean the organisation's view."""
    if not text.strip():
        raise argparse.ArgumentTypeError("must not be empty (leave the option out instead)")
    return text


class Given(argparse.Action):
    """An option that may be given once, under one of its names (`--out`, or its old name):
    a second value is a usage error, not a silent override."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[object] | None,
        option_string: str | None = None,
    ) -> None:
        given: dict[str, str] = getattr(namespace, "given_options", {})
        if self.dest in given:
            first = given[self.dest]
            if first == option_string:
                parser.error(f"{option_string} is given twice: give it once")
            parser.error(f"{first} and {option_string} name the same thing: give one of them")
        namespace.given_options = {**given, self.dest: option_string or ""}
        setattr(namespace, self.dest, values)


# `--level senior --level einsteiger` would otherwise keep the last
Once = Given


class Renamed(Given):
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
        super().__call__(parser, namespace, values, option_string)
        note(f"{option_string} is now {self.new}: the old name goes in the next release")


def add_renamed(parser: argparse.ArgumentParser, old: str, new: str, **kwargs: Any) -> None:
    """Keep `old` working as a hidden alias of the option `new`."""
    dest = new.lstrip("-").replace("-", "_")
    parser.add_argument(
        old, dest=dest, action=Renamed, new=new, default=argparse.SUPPRESS,
        help=argparse.SUPPRESS, **kwargs,
    )  # fmt: skip


SOURCE_HELP = "the playbook folder (default: playbook)"
DEFAULT_SOURCE = Path("playbook")


def add_source(parser: argparse.ArgumentParser) -> None:
    """The playbook folder: an optional positional, `playbook` when left out. Commands
    that take other positionals put it last (`playbook new KIND ID [SOURCE]`); `--source`
    is its old name."""
    parser.add_argument(
        "source", nargs="?", type=Path, default=None, metavar="SOURCE", help=SOURCE_HELP
    )  # None: not given (`source_path` makes it `playbook`)


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
    parser.add_argument(
        "--out", type=_path, default=default, metavar=metavar, help=help, action=Given
    )
    if old:
        add_renamed(parser, old, "--out", type=_path, metavar=metavar)


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
        "--today", type=_date, default=None,
        help="the day to check reviews against (YYYY-MM-DD; default: today)",
    )  # fmt: skip


def add_strict(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--strict", action="store_true", help="fail on warnings too")


FORMAT_HELP = (
    "text (people), json (tools), github (annotations in a GitHub Actions log), "
    "markdown (a pull-request comment)"
)


def add_format(parser: argparse.ArgumentParser, what: str = "problems", markdown: str = "") -> None:
    """`--format`, the same four choices wherever a command prints problems or a report;
    `markdown`: what the Markdown is for, where it is not a pull-request comment."""
    text = FORMAT_HELP.replace("a pull-request comment", markdown) if markdown else FORMAT_HELP
    parser.add_argument(
        "--format",
        choices=FORMAT_NAMES,
        default="text",
        help=f"how {what} are printed: {text}",
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
    positional: Path | None = args.source
    if given is None:
        return positional or DEFAULT_SOURCE
    if positional is not None:
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


def replaceable_file(out: Path, folder: Path, command: str, ours: Callable[[Path], bool]) -> None:
    """Refuse `--out` where writing would destroy data: inside the playbook folder, a link,
    or a file that `playbook COMMAND` did not make (`ours` says which it made)."""
    if folder.resolve() in out.resolve().parents:
        raise UsageError(f"--out {out} is inside the playbook folder: write it elsewhere")
    if out.is_symlink() or (out.exists() and not ours(out)):
        raise UsageError(
            f"--out {out} is a file `playbook {command}` did not make: replacing it would "
            "destroy data; choose another file name (or remove that file first)"
        )
