"""`playbook diff`: what a change means, entry by entry."""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..changes.compare import EntryChange, compare, needs
from ..changes.formats import format_json, format_markdown, format_text
from ..errors import PlaybookError, Problem, UsageError
from ..history.revisions import empty_playbook, inside_folder, revision_folder
from ..model.playbook import Playbook
from ..source.check import check
from ..source.load import display_path, load_file
from . import options

NAME = "diff"
HELP = "what a change means: BASE and HEAD are folders or git revisions"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("base", help="folder or git revision, e.g. origin/main")
    parser.add_argument("head", nargs="?", help="folder or git revision (default: the source)")
    options.add_source(parser, positional=False)
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="text (people), markdown (a pull-request comment), json (tools)",
    )
    parser.add_argument(
        "--fail-on",
        choices=["loosening", "any-approval"],
        default=None,
        help="exit 3 when a change loosens a rule (loosening), or needs the owner's approval "
        "for any reason, a change of wording included (any-approval); for a required CI check",
    )
    options.add_today(parser)


def run(args: argparse.Namespace) -> int:
    source: Path = args.source
    warnings: list[Problem] = []
    model, changes = semantic_diff(args.base, args.head, source, options.today(args), warnings)
    options.report(warnings, "text")  # on stderr, whatever the format of the diff
    if args.format == "json":
        print(format_json(changes))
    elif args.format == "markdown":
        print(format_markdown(changes, model.language))
    else:
        print(format_text(changes, model.language))
    if args.fail_on and any(needs(c, args.fail_on) for c in changes):
        return options.EXIT_APPROVAL
    return options.EXIT_OK


def semantic_diff(
    base: str,
    head: str | None,
    source: Path,
    today: dt.date,
    warnings: list[Problem] | None = None,
) -> tuple[Playbook, list[EntryChange]]:
    """Compare BASE with HEAD (folders or git revisions; HEAD defaults to `source`).

    `warnings` collects what was left out, e.g. links in a revision.
    """
    with tempfile.TemporaryDirectory() as scratch:
        old_root = revision_folder(base, source, Path(scratch), warnings)
        new_root = revision_folder(head, source, Path(scratch), warnings) if head else source
        if new_root is None:
            raise UsageError(f"`{head}` has no playbook folder {source}")
        new = check(new_root, today).model
        # a revision from before the playbook existed: everything in it is new
        old = check(old_root, today).model if old_root else empty_playbook(new)
        changes = [
            replace(
                c,
                file=inside_folder(
                    c.file, (old_root or new_root) if c.change == "removed" else new_root
                ),
            )
            for c in compare(old, new)
        ]
        if not Path(base).is_dir():  # a git base: printed cards are at stake
            problems = _undeclared_renames(new, changes, source)
            if problems:
                raise PlaybookError(problems)
    return new, changes


def _undeclared_renames(
    new: Playbook, changes: Sequence[EntryChange], source: Path
) -> list[Problem]:
    """An entry that reappears under a new id without naming the old one in `previous_ids`:
    its card number, the QR codes printed with it and links to its page would all break."""
    problems = []
    for change in changes:
        entry = new.entry(change.id) if change.change == "renamed" else None
        if entry is None or change.old_id in entry.previous_ids:
            continue
        message = (
            f"`{change.old_id}` was renamed to `{change.id}` without `previous_ids`: its card "
            "number, printed QR codes and links to its old page would stop working"
        )
        hint = (
            f"run `playbook rename {change.old_id} {change.id}` on the old version, or add "
            f"`previous_ids: [{change.old_id}]` to this entry"
        )
        file = display_path(source / change.file)
        loaded = load_file(Path(entry.file), entry.kind)
        if isinstance(loaded, list):  # cannot be: it was just validated
            problems.append(Problem(file, 1, 1, "undeclared-rename", message, hint))
        else:
            problem = loaded.problem(("id",), "undeclared-rename", message, hint)
            problems.append(replace(problem, file=file))
    return problems
