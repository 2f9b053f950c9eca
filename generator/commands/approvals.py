"""`playbook approvals`: the approval gate of a pull request (changes/approvals.py).

It reads files only (what `playbook diff --format json` printed, the reviews and the
team members as GitHub's API returns them), so the workflow can fetch them with its own
token and nothing of the pull request runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path
from typing import Any

from ..changes.approvals import Waiting, gate
from ..errors import Problem, UsageError
from ..source.load import display_path
from ..text import markdown_text, terminal_safe
from . import options

NAME = "approvals"
HELP = "whether each change the policy holds back has its owner's approving review"
MAX_BYTES = 64 * 1024 * 1024


def add_arguments(parser: argparse.ArgumentParser) -> None:
    # read for nothing: the annotations name each file from here, as validate does
    options.add_source(parser)
    parser.add_argument(
        "--diff", type=Path, required=True, help="what `playbook diff --format json` printed"
    )
    parser.add_argument(
        "--reviews",
        type=Path,
        required=True,
        help="the pull request's reviews (GitHub API: GET /repos/OWNER/REPO/pulls/N/reviews)",
    )
    parser.add_argument(
        "--members",
        type=Path,
        help="JSON: each team handle (@org/team) with its members' logins",
    )
    parser.add_argument("--author", default="", help="the pull request's author (never approves)")
    parser.add_argument(
        "--head-sha",
        default="",
        help="the pull request's head commit: only approvals of that commit count",
    )
    parser.add_argument(
        "--fail-on",
        choices=["loosening", "any-approval"],
        default="loosening",
        help="which changes need an approval: loosenings (default), or every change the "
        "policy asks the owner to approve",
    )
    options.add_format(parser, "the changes waiting and approved")


def _json(path: Path | None, what: str, default: Any) -> Any:
    if path is None:
        return default
    try:
        if path.stat().st_size > MAX_BYTES:
            raise UsageError(f"{path} is larger than {MAX_BYTES // 2**20} MB: not {what}")
        return json.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UsageError(f"cannot read {what} from {path}: {error}") from None


def run(args: argparse.Namespace) -> int:
    changes = _json(args.diff, "the diff", [])
    reviews = _json(args.reviews, "the reviews", [])
    members = _json(args.members, "the team members", {})
    if not (isinstance(changes, list) and isinstance(reviews, list)):
        raise UsageError("--diff and --reviews each hold a JSON list")
    if not isinstance(members, dict):
        raise UsageError("--members holds a JSON object: team handle -> list of logins")
    waiting = gate(
        changes, reviews, members, author=args.author, fail_on=args.fail_on, head_sha=args.head_sha
    )
    missing = [w for w in waiting if not w.approved_by]
    if args.format == "json":
        print(json.dumps([dataclasses.asdict(w) for w in waiting], ensure_ascii=False, indent=2))
    elif args.format == "markdown":
        print("\n".join(f"- {markdown_text(_line(item))}" for item in waiting))
    else:
        for item in waiting:
            print(terminal_safe(_line(item)))
    if args.format == "github" and missing:
        folder = options.source_path(args)
        options.report([_problem(w, folder) for w in missing], "github")
    if missing:
        options.shout(f"{len(missing)} of {len(waiting)} change(s) wait for an approving review")
        return options.EXIT_APPROVAL
    options.say(f"every change that needs one has its approval ({len(waiting)})")
    return options.EXIT_OK


def _who(item: Waiting) -> str:
    return f"{item.owner} ({' '.join(item.handles)})" if item.handles else item.owner


def _line(item: Waiting) -> str:
    if item.approved_by:
        return f"approved: {item.title} ({item.verdict}) by @{item.approved_by} for {_who(item)}"
    return f"waiting: {item.title} ({item.verdict}) needs an approving review by {_who(item)}"


def _problem(item: Waiting, folder: Path) -> Problem:
    if not item.handles:
        hint = f"give the role {item.owner} `handles:` in playbook.yml, so someone can approve"
    elif item.unknown_teams:
        hint = (
            f"the members of {', '.join(item.unknown_teams)} could not be read: give the job "
            "a token that may read the organisation's teams (secret PLAYBOOK_GATE_TOKEN)"
        )
    else:
        hint = "a member of the handles approves the pull request; the check then runs again"
    return Problem(
        display_path(folder / item.file),
        1,
        1,
        "approval-missing",
        f"{item.title}: a {item.verdict} that needs an approving review by {_who(item)}",
        hint,
    )
