"""Who looks after what: review reminders per owner, for entries and for the files that
can go stale as well (the glossary, the onboarding, each team's overlay)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import Problem
from ..model.dates import review_due
from ..model.owners import file_owner
from ..model.playbook import Playbook
from ..parse import Source
from ..report import format_github
from ..text import Text, labels, markdown_text, terminal_safe


@dataclass(frozen=True)
class Due:
    """Something its owner reviews: an entry, or a file (the glossary, the onboarding, a
    team's overlay with its own rules)."""

    id: str
    title: str
    file: str
    owner: str  # the role's id
    review_due: dt.date | None  # None: a file never reviewed (no `last_reviewed` yet)
    overdue: bool


REVIEWED_FILES = ("glossary", "onboarding", "team")


def file_reviews(
    model: Playbook, sources: Sequence[Source], today: dt.date, language: str | None = None
) -> list[Due]:
    """The glossary, the onboarding and each team's file, with their owners and the day
    their review falls due (`last_reviewed`, `review_interval_months`)."""
    t = labels(language or model.language)["diff"]
    found = []
    for source in sources:
        data = source.data if isinstance(source.data, dict) else {}
        if source.kind not in REVIEWED_FILES:
            continue
        if source.kind == "team":
            team = next((x for x in model.teams if x.id == data.get("id")), None)
            if team is None:
                continue
            owner, title = team.owner, str(t["team_title"].format(name=team.name))
            ident = team.id
        else:
            owner = file_owner(model, source.kind) or ""
            title, ident = str(t["files"][source.kind]), f"{source.kind}.yml"
        interval = data.get("review_interval_months")
        interval = interval if isinstance(interval, int) else model.review_interval_months
        reviewed = data.get("last_reviewed")
        due = review_due(reviewed, interval) if isinstance(reviewed, str) else None
        # never reviewed: listed for its owner, but not overdue (a playbook from before
        # files had review dates still passes `--fail-on-overdue`)
        found.append(Due(ident, title, source.file, owner, due, due is not None and due < today))
    return found


def due_reviews(
    model: Playbook,
    today: dt.date,
    within_days: int,
    owner: str | None = None,
    files: Sequence[Due] = (),
) -> dict[str, list[Due]]:
    """Entries and `files` overdue or due within `within_days` (a file never reviewed
    first), by owner role name, soonest first; only those of the role `owner` when given."""
    try:
        horizon = today + dt.timedelta(days=within_days)
    except OverflowError:  # past the year 9999: everything is due by then
        horizon = dt.date.max
    # the teams' own rules are reviewed like every entry
    entries = (*model.in_force, *(n for n in model.team_rules if n.in_force))
    items = [
        Due(e.id, e.title, e.file, e.owner, e.review_due, e.review_due < today) for e in entries
    ]
    items += files
    grouped: dict[str, list[Due]] = {}
    for item in sorted(items, key=lambda d: (d.review_due or dt.date.min, d.id)):
        if (item.review_due is None or item.review_due <= horizon) and owner in (None, item.owner):
            grouped.setdefault(model.role(item.owner).name, []).append(item)
    return dict(sorted(grouped.items()))


def _handles(model: Playbook, due: Due) -> str:
    return " ".join(model.role(due.owner).handles) or "(no handle)"


def _when(due: Due) -> str:
    if due.review_due is None:
        return "never reviewed"
    return f"overdue since {due.review_due}" if due.overdue else f"due {due.review_due}"


def format_reviews(grouped: dict[str, list[Due]], within_days: int, model: Playbook) -> str:
    lines: list[str] = []
    for owner, dues in grouped.items():
        lines.append(terminal_safe(owner))
        for due in dues:
            handles = _handles(model, due)
            text = f"  {_when(due):<28} {due.title}  ({due.file})  {handles}"
            lines.append(terminal_safe(text))
    overdue = sum(d.overdue for dues in grouped.values() for d in dues)
    total = sum(len(dues) for dues in grouped.values())
    lines.append(f"{overdue} overdue, {total - overdue} due within {within_days} days")
    return "\n".join(lines)


def reviews_json(grouped: dict[str, list[Due]], model: Playbook) -> str:
    """Due reviews for tools: one object per entry, with its owner's handles."""
    return json.dumps(
        [
            {
                "id": due.id,
                "title": due.title,
                "file": due.file,
                "owner": owner,
                "owner_id": due.owner,
                "handles": list(model.role(due.owner).handles),
                "review_due": due.review_due.isoformat() if due.review_due else None,
                "overdue": due.overdue,
            }
            for owner, dues in grouped.items()
            for due in dues
        ],
        ensure_ascii=False,
        indent=2,
    )


def reviews_github(grouped: dict[str, list[Due]], model: Playbook) -> str:
    """Due reviews as GitHub Actions warnings on the entries' files."""
    return format_github(
        Problem(
            due.file,
            1,
            1,
            "review-overdue" if due.overdue else "review-due",
            f'review of "{due.title}" {_when(due)}',
            f"{owner} ({_handles(model, due)}) reviews it, then sets last_reviewed",
            severity="warning",
        )
        for owner, dues in grouped.items()
        for due in dues
    )


def reviews_markdown(
    grouped: dict[str, list[Due]], model: Playbook, owner: str | None, language: str | None = None
) -> str:
    """Due reviews as Markdown for an issue, one section per owner, in `language` (the
    playbook's, unless given); the owner's handles are mentioned (they are to be notified),
    user text is inert. With nothing due for `owner`, a section that says so."""
    fmt = Text(language or model.language)
    t = labels(language or model.language)["review_issue"]
    if not grouped and owner is not None:
        grouped = {model.role(owner).name: []}
    out: list[str] = []
    for name, dues in grouped.items():
        role = model.role(owner) if owner else model.role(dues[0].owner)
        out += [f"## {markdown_text(t['heading'].format(owner=name))}", ""]
        if not dues:
            out += [t["none"], ""]
            continue
        if role.handles:
            out += [f"{' '.join(role.handles)}: {t['ask']}", ""]
        out += [f"| {t['entry']} | {t['file']} | {t['due']} |", "|---|---|---|"]
        for due in dues:
            if due.review_due is None:
                when = str(t["never"])
            else:
                day = fmt.date(due.review_due)
                when = t["overdue_since" if due.overdue else "due_on"].format(date=day)
            when = f"**{when}**" if due.overdue else when
            path = due.file.replace("`", "")
            out.append(f"| {markdown_text(due.title)} | `{path}` | {when} |")
        overdue = sum(d.overdue for d in dues)
        out += ["", t["count"].format(overdue=overdue, due=len(dues) - overdue), ""]
    return "\n".join(out)
