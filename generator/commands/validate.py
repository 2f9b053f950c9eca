"""`playbook validate`: check the sources; write nothing."""

from __future__ import annotations

import argparse

from ..source.check import check
from ..text import terminal_safe
from . import options

NAME = "validate"
HELP = "check the sources; write nothing"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_source(parser)
    options.add_strict(parser)
    options.add_config(parser)
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    result = check(folder, options.today(args), strict=args.strict, site_config=args.config)
    options.report(result.problems, args.format)
    for source in result.sources:
        options.detail(f"checked {terminal_safe(source.file)} ({source.kind})")
    options.say(f"{folder}: {result.summary}")
    return options.EXIT_OK
