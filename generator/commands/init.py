"""`playbook init`: a new playbook repository that an organisation owns."""

from __future__ import annotations

import argparse
import shlex
from pathlib import Path

from ..errors import UsageError
from . import options

NAME = "init"
HELP = "create a new playbook repository: starter playbook, site settings, hook, CI"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "directory", type=Path, metavar="DIR", help="the folder to create (or an empty one)"
    )
    parser.add_argument(
        "--sample", action="store_true", help="copy the full German sample, not the starter"
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="write into a folder that is not empty (existing files are never overwritten)",
    )


def run(args: argparse.Namespace) -> int:
    from ..authoring import install, starter

    try:
        # how the new repository installs the tool: as this one was installed
        how = install.current_install()
        written = starter.init_project(
            args.directory, sample=args.sample, force=args.force, install=how
        )
    except (starter.StarterError, install.InstallError) as error:
        raise UsageError(str(error)) from None
    for path in written:
        print(path)
    if how.warning:
        options.warn(how.warning)
    options.say(
        f"created {len(written)} files in {args.directory}. Next: "
        f"cd {shlex.quote(str(args.directory))} && playbook build   (then open site/index.html)"
    )
    return options.EXIT_OK
