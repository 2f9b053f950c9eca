"""Who looks after what: review reminders per owner, and a CODEOWNERS file."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from ..errors import Problem
from ..model.playbook import Entry, Playbook
from ..report import format_github
from ..text import Text, labels, markdown_text, terminal_safe


@dataclass(frozen=True)
class Due:
    entry: Entry
    overdue: bool


def due_reviews(
    model: Playbook, today: dt.date, within_days: int, owner: str | None = None
) -> dict[str, list[Due]]:
    """Entries overdue or due within `within_days`, by owner role name, soonest first;
    only those of the role `owner` when given."""
    horizon = today + dt.timedelta(days=within_days)
    grouped: dict[str, list[Due]] = {}
    # the teams' own rules are reviewed like every entry
    entries = (*model.in_force, *(n for n in model.team_rules if n.in_force))
    for entry in sorted(entries, key=lambda e: (e.review_due, e.id)):
        if entry.review_due <= horizon and owner in (None, entry.owner):
            name = model.role(entry.owner).name
            grouped.setdefault(name, []).append(Due(entry, entry.review_due < today))
    return dict(sorted(grouped.items()))


def _handles(model: Playbook, entry: Entry) -> str:
    return " ".join(model.role(entry.owner).handles) or "(no handle)"


def format_reviews(grouped: dict[str, list[Due]], within_days: int, model: Playbook) -> str:
    lines: list[str] = []
    for owner, dues in grouped.items():
        lines.append(terminal_safe(owner))
        for due in dues:
            day = due.entry.review_due
            when = f"overdue since {day}" if due.overdue else f"due {day}"
            handles = _handles(model, due.entry)
            text = f"  {when:<28} {due.entry.title}  ({due.entry.file})  {handles}"
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
                "id": due.entry.id,
                "title": due.entry.title,
                "file": due.entry.file,
                "owner": owner,
                "owner_id": due.entry.owner,
                "handles": list(model.role(due.entry.owner).handles),
                "review_due": due.entry.review_due.isoformat(),
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
            due.entry.file,
            1,
            1,
            "review-overdue" if due.overdue else "review-due",
            f'review of "{due.entry.title}" '
            + (
                f"overdue since {due.entry.review_due}"
                if due.overdue
                else f"due {due.entry.review_due}"
            ),
            f"{owner} ({_handles(model, due.entry)}) reviews it, then sets last_reviewed",
            severity="warning",
        )
        for owner, dues in grouped.items()
        for due in dues
    )


def reviews_markdown(grouped: dict[str, list[Due]], model: Playbook, owner: str | None) -> str:
    """Due reviews as Markdown for an issue, one section per owner, in the playbook's
    language; the owner's handles are mentioned (they are to be notified), user text is
    inert. With nothing due for `owner`, a section that says so."""
    fmt = Text(model.language)
    t = labels(model.language)["review_issue"]
    if not grouped and owner is not None:
        grouped = {model.role(owner).name: []}
    out: list[str] = []
    for name, dues in grouped.items():
        role = model.role(owner) if owner else model.role(dues[0].entry.owner)
        out += [f"## {markdown_text(t['heading'].format(owner=name))}", ""]
        if not dues:
            out += [t["none"], ""]
            continue
        if role.handles:
            out += [f"{' '.join(role.handles)}: {t['ask']}", ""]
        out += [f"| {t['entry']} | {t['file']} | {t['due']} |", "|---|---|---|"]
        for due in dues:
            day = fmt.date(due.entry.review_due)
            when = t["overdue_since" if due.overdue else "due_on"].format(date=day)
            when = f"**{when}**" if due.overdue else when
            path = due.entry.file.replace("`", "")
            out.append(f"| {markdown_text(due.entry.title)} | `{path}` | {when} |")
        overdue = sum(d.overdue for d in dues)
        out += ["", t["count"].format(overdue=overdue, due=len(dues) - overdue), ""]
    return "\n".join(out)
