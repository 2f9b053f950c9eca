"""`playbook schemas`: the JSON Schemas of this version, for editors and other tools."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import UsageError
from ..resources import schema_dir
from . import options

NAME = "schemas"
HELP = "print where the schemas are, or copy them into a folder (--write schemas)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--write",
        type=Path,
        metavar="FOLDER",
        help="copy the schemas of this version into FOLDER (only *.schema.json is replaced)",
    )


def run(args: argparse.Namespace) -> int:
    if args.write is None:
        print(schema_dir())
        return options.EXIT_OK
    from ..authoring import starter

    try:
        written = starter.write_schemas(args.write)
    except starter.StarterError as error:
        raise UsageError(str(error)) from None
    options.say(f"wrote {len(written)} schemas into {args.write}")
    return options.EXIT_OK
