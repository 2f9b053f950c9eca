"""`playbook schemas`: the JSON Schemas of this version, for editors and other tools."""

from __future__ import annotations

import argparse

from ..errors import UsageError
from ..resources import schema_dir
from . import options

NAME = "schemas"
HELP = "print where the schemas are, or copy them into a folder (--out schemas)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    options.add_out(
        parser, None, "copy the schemas of this version into FOLDER (only *.schema.json is "
        "replaced); without it, print where they are", old="--write", metavar="FOLDER",
    )  # fmt: skip


def run(args: argparse.Namespace) -> int:
    if args.out is None:
        print(schema_dir())
        return options.EXIT_OK
    from ..authoring import starter

    try:
        written = starter.write_schemas(args.out)
    except starter.StarterError as error:
        raise UsageError(str(error)) from None
    for path in written:
        options.detail(f"wrote {path}")
    options.say(f"wrote {len(written)} schemas into {args.out}")
    return options.EXIT_OK
