"""`playbook new`: a valid, commented skeleton entry."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from ..authoring import scaffold
from ..errors import UsageError
from ..runtime.output import replace_file
from ..source.check import check
from . import options

NAME = "new"
HELP = "write a valid, commented skeleton entry"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", metavar="KIND", help="e.g. non-negotiables, escalation-paths")
    parser.add_argument("id", metavar="ID", help="the new entry's id (lower-case slug)")
    options.add_source(parser)
    options.add_source_alias(parser)
    parser.add_argument("--owner", help="owner role (default: the rep role's escalation)")
    options.add_today(parser)
    options.add_format(parser)


def run(args: argparse.Namespace) -> int:
    folder = options.source(args)
    path = new_entry(folder, args.kind, args.id, args.owner, options.today(args))
    print(path)  # stdout: the file made, for `$EDITOR "$(playbook new …)"`
    options.say(f"created {path}: fill in the TODOs, then run `playbook validate`")
    return options.EXIT_OK


def new_entry(root: Path, kind_name: str, entry_id: str, owner: str | None, today: dt.date) -> Path:
    """Write a skeleton entry that passes validation; never overwrite."""
    try:
        kind = scaffold.kind_of(kind_name)
        model = check(root, today, preview=True).model
        roles = {r.id: r for r in model.roles}
        if owner is not None and owner not in roles:
            raise UsageError(f"unknown role {owner}; known: {', '.join(sorted(roles))}")
        owner = owner or roles[model.rep_role].escalates_to or model.rep_role
        path = scaffold.target(root, kind, entry_id)
        if any(e.id == entry_id for e in model.entries):
            raise UsageError(f"`{entry_id}` is the id of an entry already; choose another id")
        if any(entry_id in e.previous_ids for e in model.entries):
            raise UsageError(
                f"`{entry_id}` was the id of an entry before (its old links lead there); "
                "choose another id"
            )
        text = scaffold.skeleton(model, kind, entry_id, owner, today)
    except scaffold.ScaffoldError as error:
        raise UsageError(str(error)) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, text)
    return path
