"""An entry's life: review dates (due, overdue, in the future), status and successor,
drafts no published page may link to, non-negotiables the onboarding must cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from ...errors import Problem
from ...model.dates import review_due
from ...model.kinds import ENTRY_KINDS
from ...parse import Source
from .data import as_dict
from .refs import entry_sites

ACTUAL_DATE = "use the date the entry was actually reviewed"


def review(source: Source, today: dt.date, default_interval: int) -> Iterator[Problem]:
    data = as_dict(source.data)
    reviewed_kinds = (*ENTRY_KINDS, "glossary", "onboarding", "team")  # all that goes stale
    if source.kind not in reviewed_kinds or not isinstance(data.get("last_reviewed"), str):
        return
    interval = data.get("review_interval_months")
    interval = interval if isinstance(interval, int) and interval > 0 else default_interval
    due = review_due(data["last_reviewed"], interval)
    try:
        reviewed = dt.date.fromisoformat(data["last_reviewed"])
    except ValueError:  # not a date: the schema says so
        return
    if due is None:  # the next review would fall after the year 9999
        yield source.problem(
            ("last_reviewed",),
            "bad-value",
            f"the next review, {interval} months after {reviewed.isoformat()}, would fall "
            "after the year 9999",
            ACTUAL_DATE,
        )
        return
    if reviewed > today:
        yield source.problem(
            ("last_reviewed",),
            "review-in-future",
            f"last review {reviewed.isoformat()} is in the future (today is {today.isoformat()})",
            ACTUAL_DATE,
        )
    elif due < today:
        yield source.problem(
            ("last_reviewed",),
            "stale-review",
            f"review overdue since {due.isoformat()} (every {interval} months)",
            "review it with its owner and update `last_reviewed`",
            severity="warning",
        )


def lifecycle(source: Source, statuses: dict[str, Any]) -> Iterator[Problem]:
    """Drafts are invisible to published pages; retired entries point to their successor."""
    data = as_dict(source.data)
    status = data.get("status", "active") if source.kind in ENTRY_KINDS else "active"
    successor = data.get("successor")
    if isinstance(successor, str) and status != "retired":
        yield source.problem(
            ("successor",),
            "bad-value",
            "only a retired entry has a successor",
            "set `status: retired`, or remove `successor`",
            at_key=True,
        )
    if isinstance(successor, str) and successor == data.get("id"):
        yield source.problem(("successor",), "bad-value", "an entry cannot succeed itself", "")
    if status == "draft":
        return
    for path, ref, _ in entry_sites(source):
        target = statuses.get(ref) if isinstance(ref, str) else None
        if target == "draft":
            yield source.problem(
                path,
                "draft-reference",
                f"`{ref}` is a draft: published pages cannot link to it",
                "publish the draft (status: active) or remove the reference",
            )
        elif target == "retired" and status == "active" and path[0] != "successor":
            yield source.problem(
                path,
                "retired-reference",
                f"`{ref}` is retired",
                "point to its successor instead",
                severity="warning",
            )


def onboarding_coverage(sources: list[Source]) -> Iterator[Problem]:
    """Every active non-negotiable is linked from an onboarding step (when there is one)."""
    onboarding = [s for s in sources if s.kind == "onboarding" and isinstance(s.data, dict)]
    if not onboarding:
        return
    file = onboarding[0].relative or "onboarding.yml"
    linked = {ref for s in onboarding for _, ref, _ in entry_sites(s) if isinstance(ref, str)}
    for source in sources:
        data = as_dict(source.data)
        entry_id = data.get("id")
        if (
            source.kind == "non_negotiable"
            and isinstance(entry_id, str)
            and data.get("status", "active") == "active"
            and entry_id not in linked
        ):
            yield source.problem(
                ("id",),
                "onboarding-coverage",
                f"the non-negotiable `{entry_id}` is linked from no onboarding step",
                f"add `{entry_id}` to a step's `entries` in {file}",
                severity="warning",
            )
