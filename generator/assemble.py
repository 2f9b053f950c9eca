"""Validated sources -> the model (`model.py`). Call only when validation found no error."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .checks import review_due
from .kinds import BY_NAME, ENTRY_KINDS
from .load import Source
from .model import (
    Entry,
    FileOwners,
    Onboarding,
    OnboardingStep,
    Playbook,
    Role,
    SelfCheck,
    Term,
    Week,
    _t,
)


def _entry_fields(source: Source, today: dt.date, default_interval: int) -> dict[str, Any]:
    d = source.data
    interval = d.get("review_interval_months", default_interval)
    due = review_due(d["last_reviewed"], interval)
    assert due is not None  # validated
    return {
        "kind": source.kind,
        "id": d["id"],
        "title": d["title"],
        "summary": d["summary"],
        "owner": d["owner"],
        "last_reviewed": dt.date.fromisoformat(d["last_reviewed"]),
        "review_due": due,
        "overdue": due < today,
        "tags": _t(d, "tags"),
        "keywords": _t(d, "keywords"),
        "related": _t(d, "related"),
        "file": source.file,
        "status": d.get("status", "active"),
        "successor": d.get("successor"),
        "previous_ids": _t(d, "previous_ids"),
    }


def _entry(source: Source, today: dt.date, default_interval: int) -> Entry:
    base = _entry_fields(source, today, default_interval)
    return BY_NAME[source.kind].model.from_data(source.data, base)


def _onboarding(d: dict[str, Any]) -> Onboarding:
    weeks = tuple(
        Week(
            w["week"],
            w["title"],
            w["goal"],
            tuple(
                OnboardingStep(
                    s["title"],
                    _t(s, "entries"),
                    s["goal"],
                    SelfCheck(**s["check"]) if "check" in s else None,
                )
                for s in w["steps"]
            ),
        )
        for w in d["weeks"]
    )
    return Onboarding(d["title"], d.get("intro", ""), weeks)


def build_model(
    sources: list[Source], today: dt.date, default_interval: int, *, preview: bool = False
) -> Playbook:
    """Turn validated sources into the model. Call only when validation found no error.

    Drafts are left out unless `preview` is set.
    """
    by_kind: dict[str, list[Source]] = {}
    for source in sources:
        by_kind.setdefault(source.kind, []).append(source)
    settings = by_kind["playbook"][0].data
    entries = sorted(
        (_entry(s, today, default_interval) for k in ENTRY_KINDS for s in by_kind.get(k, [])),
        key=lambda e: (ENTRY_KINDS.index(e.kind), e.title.lower(), e.id),
    )
    entries = [e for e in entries if preview or e.status != "draft"]
    glossary = by_kind.get("glossary", [])
    onboarding = by_kind.get("onboarding", [])
    terms = [
        Term(t["id"], t["term"], t.get("abbreviation", ""), t["definition"], _t(t, "synonyms"))
        for t in (glossary[0].data["terms"] if glossary else [])
    ]
    return Playbook(
        title=settings["title"],
        organisation=settings["organisation"],
        description=settings.get("description", ""),
        language=settings["language"],
        site_url=settings["site_url"],
        version=settings["version"],
        rep_role=settings["defaults"]["rep_role"],
        roles=tuple(
            Role(r["id"], r["name"], r["description"], r.get("escalates_to"), _t(r, "handles"))
            for r in settings["roles"]
        ),
        entries=tuple(entries),
        terms=tuple(sorted(terms, key=lambda t: t.term.lower())),
        onboarding=_onboarding(onboarding[0].data) if onboarding else None,
        review_interval_months=default_interval,
        owners=FileOwners(**settings.get("owners", {})),
        repo_url=settings.get("repo_url", "").rstrip("/"),
    )
