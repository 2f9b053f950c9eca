"""`playbook diff`: what a change means, entry by entry."""

from __future__ import annotations

import argparse
import datetime as dt
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..changes.compare import EntryChange, compare, contradicted, needs, unchanged_file
from ..changes.formats import format_github, format_json, format_markdown, format_text
from ..errors import PlaybookError, Problem, UsageError
from ..history.revisions import empty_playbook, inside_folder, side
from ..model.playbook import Playbook
from ..source import drift
from ..source.check import check
from ..source.load import display_path, load_file
from . import options

NAME = "diff"
HELP = "what a change means: the playbook against a git revision or another folder"
# the command line speaks English, whatever the playbook's language; the site speaks the
# playbook's (its page of news says the same sentences in it)
LANGUAGE = "en"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # SOURCE, and before it (the old form, kept for one release) BASE [HEAD] as positionals
    parser.add_argument("source", nargs="*", type=str, metavar="SOURCE", help=options.SOURCE_HELP)
    parser.add_argument(
        "--base", metavar="REV", help="the git revision to compare with, e.g. origin/main"
    )
    parser.add_argument(
        "--head", metavar="REV", help="the git revision to compare (default: SOURCE as it is)"
    )
    parser.add_argument(
        "--base-dir", type=Path, metavar="DIR", help="compare with this folder, not a revision"
    )
    parser.add_argument(
        "--head-dir", type=Path, metavar="DIR", help="compare this folder, not a revision"
    )
    options.add_source_alias(parser)
    options.add_format(parser, "the changes")
    parser.usage = (
        "%(prog)s [-h] [-q | -v] (--base REV | --base-dir DIR) [--head REV | --head-dir DIR]\n"
        "       [--format FORMAT] [--fail-on {loosening,any-approval}] [--today TODAY] [SOURCE]"
    )
    parser.add_argument(
        "--fail-on",
        choices=["loosening", "any-approval"],
        default=None,
        help="exit 3 when a change loosens a rule (loosening), or needs the owner's approval "
        "for any reason, a change of wording included (any-approval); for a required CI check",
    )
    options.add_today(parser)


def _positionals(args: argparse.Namespace) -> None:
    """SOURCE; or, as before, BASE [HEAD] with `--source` (given neither --base nor
    --base-dir): then a note says how to write it now."""
    given: list[str] = args.source
    if args.base is not None or args.base_dir is not None or not given:
        if len(given) > 1:
            raise UsageError(f"one playbook folder, not {len(given)}: {' '.join(given)}")
        args.source = Path(given[0]) if given else None
        return
    if len(given) > 2:
        raise UsageError("too many arguments: SOURCE, with --base REV or --base-dir DIR")
    args.base, args.head = given[0], given[1] if len(given) > 1 else args.head
    args.source = None
    head = f" --head {args.head}" if args.head else ""
    options.note(f"BASE [HEAD] are now options: playbook diff --base {args.base}{head}")


def run(args: argparse.Namespace) -> int:
    _positionals(args)
    source: Path = options.source_path(args)
    warnings: list[Problem] = []
    if (args.base is None) == (args.base_dir is None):
        raise UsageError("name the base once: a revision (--base) or a folder (--base-dir)")
    if args.head is not None and args.head_dir is not None:
        raise UsageError("name the head once: a revision (--head) or a folder (--head-dir)")
    base = Spec(args.base, False) if args.base is not None else Spec(str(args.base_dir), True)
    head = (
        Spec(args.head, False) if args.head is not None
        else Spec(str(args.head_dir), True) if args.head_dir is not None
        else None
    )  # fmt: skip
    # an approval gate compares revisions, or folders named as such: never a folder a
    # branch planted under a revision's name
    _, changes = semantic_diff(
        base, head, source, options.today(args), warnings, fallback=args.fail_on is None
    )
    options.report(warnings, "text")  # on stderr, whatever the format of the diff
    head_name = head.name if head else str(source)
    options.detail(f"compared {base.name} with {head_name}: {len(changes)} change(s)")
    if args.format == "json":
        print(format_json(changes))
    elif args.format == "markdown":
        print(format_markdown(changes, LANGUAGE))
    elif args.format == "github":  # annotations name files as validate does: from here
        root = args.head_dir if args.head_dir is not None else source
        here = [replace(c, file=display_path(root / c.file)) for c in changes]
        print(format_github(here, LANGUAGE))
    else:
        print(format_text(changes, LANGUAGE))
    if args.fail_on and any(needs(c, args.fail_on) for c in changes):
        return options.EXIT_APPROVAL
    return options.EXIT_OK


@dataclass(frozen=True)
class Spec:
    """BASE or HEAD as given: a revision's name, or a folder named with --base/head-dir."""

    name: str
    folder: bool


def semantic_diff(
    base: Spec | str,
    head: Spec | str | None,
    source: Path,
    today: dt.date,
    warnings: list[Problem] | None = None,
    *,
    fallback: bool = True,
) -> tuple[Playbook, list[EntryChange]]:
    """Compare BASE with HEAD (git revisions, or folders; HEAD defaults to `source`).

    A plain string is a revision (or, with `fallback`, a path with a `/` that is a folder
    and no revision). `warnings` collects what was left out, e.g. links in a revision.
    """
    said: list[Problem] = [] if warnings is None else warnings
    base = base if isinstance(base, Spec) else Spec(base, False)
    head = head if isinstance(head, Spec) or head is None else Spec(head, False)
    with tempfile.TemporaryDirectory() as scratch:
        base_side = side(
            base.name, source, Path(scratch), said, folder=base.folder, fallback=fallback
        )
        old_root = base_side.folder
        new_root = (
            side(head.name, source, Path(scratch), said, folder=head.folder, fallback=fallback)
            .folder if head else source
        )  # fmt: skip
        if new_root is None:
            raise UsageError(f"`{head and head.name}` has no playbook folder {source}")
        checked = check(new_root, today)
        new = checked.model
        # a revision from before the playbook existed: everything in it is new
        old_checked = check(old_root, today) if old_root else None
        old = old_checked.model if old_checked else empty_playbook(new)
        changes = [
            replace(
                c,
                file=inside_folder(
                    c.file, (old_root or new_root) if c.change == "removed" else new_root
                ),
            )
            for c in compare(old, new, LANGUAGE)
        ]
        # prose that contradicts the bands now, and did not before: to be reviewed, in
        # whichever file it stands (a band moved in one file, a text in another says so)
        before = _contradictions(old_checked.problems, old_root) if old_checked and old_root else {}
        texts: dict[str, list[str]] = {}
        for key, quoted in _contradictions(checked.problems, new_root).items():
            if key not in before:
                texts.setdefault(key[0], []).append(quoted)
        changes = contradicted(
            changes, texts, LANGUAGE, lambda f: unchanged_file(old, new, f, str(new_root), LANGUAGE)
        )
        if base_side.revision:  # a git base: printed cards are at stake
            problems = _undeclared_renames(new, changes, source)
            if problems:
                raise PlaybookError(problems)
    return new, changes


def _contradictions(problems: Sequence[Problem], root: Path) -> dict[tuple[str, str, str], str]:
    """The drift check's findings by (file in the folder, field, words at fault)."""
    found = {}
    for problem in problems:
        if problem.rule == drift.RULE:
            quoted = re.match(r"`([^`]*)`", problem.message)
            words = quoted[1] if quoted else problem.message
            found[(inside_folder(problem.file, root), problem.json_path, words)] = words
    return found


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
