"""The approval gate: does every change the policy holds back have its owner's approval?

Pure: it reads what `playbook diff --format json` printed, the pull request's reviews as
GitHub's API returns them, and the members of the teams named as handles, and says which
changes are approved and which still wait. `playbook approvals` is the command; the
workflow `playbook init` writes runs it as a required check on every pull request.

A change needs approval when its verdict is a loosening (or, with `any-approval`, when it
needs approval at all). It is approved when someone other than the pull request's author,
whose latest review is an approval (a later "changes requested" or a dismissal undoes
it), is one of the approving role's handles: the user `@login`, or a member of the team
`@org/team`. The handles are the role's before the change (`changes/compare.py`), so a
pull request cannot name its own approver.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# review states that count as a reviewer's last word; COMMENTED and PENDING do not
FINAL = frozenset({"APPROVED", "CHANGES_REQUESTED", "DISMISSED"})


@dataclass(frozen=True)
class Waiting:
    """A change the policy holds back, and what became of it."""

    title: str
    file: str
    verdict: str
    owner: str
    handles: tuple[str, ...]
    approved_by: str = ""  # the login whose approval counts; "" while it waits
    unknown_teams: tuple[str, ...] = ()  # team handles whose members could not be read


def latest_states(reviews: Sequence[Mapping[str, Any]], head_sha: str = "") -> dict[str, str]:
    """Each reviewer's last word (login in lower case -> state), in submission order. With
    `head_sha`, an approval of an earlier commit counts for nothing (a loosening pushed
    after an approval of something harmless is not approved)."""
    ordered = sorted(
        (r for r in reviews if isinstance(r, Mapping)),
        key=lambda r: str(r.get("submitted_at") or ""),
    )
    states: dict[str, str] = {}
    for review in ordered:
        user = review.get("user")
        login = user.get("login") if isinstance(user, Mapping) else None
        state = review.get("state")
        if isinstance(login, str) and isinstance(state, str) and state in FINAL:
            stale = state == "APPROVED" and head_sha and review.get("commit_id") != head_sha
            states[login.lower()] = "STALE" if stale else str(state)
    return states


def held_back(change: Mapping[str, Any], fail_on: str) -> bool:
    if fail_on == "loosening":
        return change.get("approval") == "loosening"
    return bool(change.get("needs_approval"))


def gate(
    changes: Sequence[Mapping[str, Any]],
    reviews: Sequence[Mapping[str, Any]],
    members: Mapping[str, Sequence[str]],
    *,
    author: str = "",
    fail_on: str = "loosening",
    head_sha: str = "",
) -> list[Waiting]:
    """Each change held back, with the approval that lets it through (if any); with
    `head_sha`, only approvals of that commit count."""
    approving = {
        login for login, state in latest_states(reviews, head_sha).items() if state == "APPROVED"
    } - {author.lower()}
    result = []
    for change in changes:
        if not isinstance(change, Mapping) or not held_back(change, fail_on):
            continue
        listed_handles = change.get("handles")
        if not isinstance(listed_handles, list | tuple):  # what a diff's JSON holds: a list
            listed_handles = ()
        handles = tuple(h for h in listed_handles if isinstance(h, str))
        by, unknown = "", []
        for handle in handles:
            name = handle.removeprefix("@").lower()
            if "/" in name:
                listed = members.get(handle)
                if not isinstance(listed, list | tuple):  # not read, or not a list of logins
                    unknown.append(handle)
                    continue
                logins = {m.lower() for m in listed if isinstance(m, str)}
            else:
                logins = {name}
            found = sorted(logins & approving)
            if found:
                by = found[0]
                break
        result.append(
            Waiting(
                str(change.get("title", "")),
                str(change.get("file", "")),
                str(change.get("approval", "")),
                str(change.get("owner", "")),
                handles,
                by,
                tuple(unknown) if not by else (),
            )
        )
    return result
