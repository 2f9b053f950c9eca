"""Command line: parse the arguments, run the command, turn failures into exit codes.

Each command lives in `commands/` and declares only the options it honours.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import __version__
from .commands import COMMANDS, options
from .errors import Failure, PlaybookError
from .text import terminal_safe


class HelpWithDefaults(argparse.HelpFormatter):
    """Help that names each option's default where it has one worth saying (not off,
    not none), unless its text already does."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        # (0.0 == False: compared by identity, so that a 0 mm bleed still says its default)
        worth = default is not None and default is not False
        worth = worth and default not in (argparse.SUPPRESS, "", [], ())
        if worth and action.option_strings and "default" not in text and "%(default)" not in text:
            return f"{text} (default: %(default)s)" if text else "default: %(default)s"
        return action.help


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="playbook",
        description="A sales organisation's operating principles as a site and decision cards.",
    )
    root.add_argument("--version", action="version", version=f"playbook {__version__}")
    commands = root.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(
            command.NAME,
            help=command.HELP,
            description=command.HELP,
            formatter_class=HelpWithDefaults,
            parents=[_common()],
        )
        # every option that takes one value takes it once: a second is a usage error,
        # not a silent override (`--format json --format text`)
        sub.register("action", None, options.Given)
        sub.register("action", "store", options.Given)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return root


def _common() -> argparse.ArgumentParser:
    """What every command takes: how much its status lines say."""
    common = argparse.ArgumentParser(add_help=False)
    talk = common.add_mutually_exclusive_group()
    talk.add_argument(
        "-q", "--quiet", action="store_const", const=-1, dest="verbosity", default=None,
        help="print only problems and results, no status lines",
    )  # fmt: skip
    talk.add_argument(
        "-v", "--verbose", action="count", dest="verbosity",
        help="say more: what is read and written",
    )  # fmt: skip
    return common


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    options.VERBOSITY[0] = args.verbosity or 0
    try:
        return _run(args)
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return options.EXIT_PROBLEMS


def _run(args: argparse.Namespace) -> int:
    try:
        code: int = args.run(args)
        return code
    except PlaybookError as error:
        options.report(error.problems, getattr(args, "format", "text"))
        if getattr(args, "format", "text") == "text":
            options.say("nothing was written.")
        return options.EXIT_PROBLEMS
    except Failure as error:  # each failure knows its exit code (errors.py)
        _error(str(error))
        return error.exit_code
    except BrokenPipeError:  # the reader went away: main() stops quietly
        raise
    except OSError as error:
        where = f": {error.filename}" if error.filename else ""
        _error(f"{error.strerror or error}{where}")
        return options.EXIT_PROBLEMS
    except KeyboardInterrupt:
        _error("interrupted")
        return 130


def _error(message: str) -> None:
    """A failure, on stderr whatever -q says; the text made safe for a terminal."""
    print(f"playbook: error: {terminal_safe(message)}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
