"""Validated sources -> the model (`model/playbook.py`). Call only when validation found none
of its errors."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import levelmaps
from ..model.dates import review_due
from ..model.kinds import BY_NAME, ENTRY_KINDS
from ..model.levelmaps import Ladders
from ..model.playbook import (
    Case,
    Criterion,
    Entry,
    EscalationPath,
    FileOwners,
    Level,
    NonNegotiable,
    Onboarding,
    OnboardingStep,
    Playbook,
    Role,
    SelfCheck,
    Team,
    Term,
    Tightening,
    Trigger,
    Week,
    as_tuple,
)
from ..parse import Source


def _entry_fields(
    d: dict[str, Any], kind: str, file: str, today: dt.date, default_interval: int, team: str = ""
) -> dict[str, Any]:
    interval = d.get("review_interval_months", default_interval)
    due = review_due(d["last_reviewed"], interval)
    assert due is not None  # validated
    return {
        "kind": kind,
        "id": d["id"],
        "title": d["title"],
        "summary": d["summary"],
        "owner": d["owner"],
        "last_reviewed": dt.date.fromisoformat(d["last_reviewed"]),
        "review_due": due,
        "overdue": due < today,
        "tags": as_tuple(d, "tags"),
        "keywords": as_tuple(d, "keywords"),
        "related": as_tuple(d, "related"),
        "file": file,
        "status": d.get("status", "active"),
        "successor": d.get("successor"),
        "previous_ids": as_tuple(d, "previous_ids"),
        "cases": tuple(Case(**c) for c in d.get("cases", ())),
        "team": team,
        "effective": dt.date.fromisoformat(d["effective"]) if "effective" in d else None,
        "upcoming": None,
    }


def _entry(source: Source, today: dt.date, default_interval: int, ladders: Ladders) -> Entry:
    base = _entry_fields(source.data, source.kind, source.file, today, default_interval)
    return BY_NAME[source.kind].model.from_data(source.data, base, ladders)


def _role(r: dict[str, Any]) -> Role:
    levels = tuple(
        Level(
            lv["id"],
            lv["name"],
            lv["reached_by"],
            lv.get("confirmed_by"),
            as_tuple(lv, "see"),
            lv.get("onboarding", False),
        )
        for lv in r.get("levels", ())
    )
    return Role(
        r["id"], r["name"], r["description"], r.get("escalates_to"), as_tuple(r, "handles"), levels
    )


def _tightening_fields(
    item: dict[str, Any], entry: Entry | None, ladders: Ladders
) -> tuple[tuple[str, Any], ...]:
    """A team's values for one entry, as model values (see `model/overlay.py` for their use)."""
    fields: list[tuple[str, Any]] = []
    if "bands" in item and isinstance(entry, EscalationPath):
        band_fields = EscalationPath.band_fields(item["bands"], entry.quantity.minimum, ladders)
        fields += list(band_fields.items())
    if "freedoms" in item:
        freedoms = [f if isinstance(f, dict) else {"freedom": f} for f in item["freedoms"]]
        fields.append(("freedoms", tuple(f["freedom"] for f in freedoms)))
        fields.append(("freedom_levels", tuple(f.get("from_level") for f in freedoms)))
    if "triggers" in item:
        fields.append(
            ("triggers", tuple(Trigger(**{"description": "", **t}) for t in item["triggers"]))
        )
    if "criteria" in item:
        fields.append(("criteria", tuple(Criterion(**c) for c in item["criteria"])))
    for name in ("bounded_by", "disqualifiers", "optional_min"):
        if name in item:
            value = item[name]
            fields.append((name, tuple(value) if isinstance(value, list) else value))
    return tuple(fields)


def _team(
    source: Source,
    entries: dict[str, Entry],
    today: dt.date,
    default_interval: int,
    ladders: Ladders,
) -> Team:
    d = source.data
    return Team(
        id=d["id"],
        name=d["name"],
        description=d["description"],
        owner=d["owner"],
        file=source.file,
        tightenings=tuple(
            Tightening(
                item["entry"],
                item["why"],
                _tightening_fields(item, entries.get(item["entry"]), ladders),
                source.value_span(("tighten", i)).line,
            )
            for i, item in enumerate(d.get("tighten", ()))
        ),
        non_negotiables=tuple(
            NonNegotiable.from_data(
                n,
                _entry_fields(n, "non_negotiable", source.file, today, default_interval, d["id"]),
            )
            for n in d.get("non_negotiables", ())
        ),
    )


def _onboarding(d: dict[str, Any]) -> Onboarding:
    weeks = tuple(
        Week(
            w["week"],
            w["title"],
            w["goal"],
            tuple(
                OnboardingStep(
                    s["title"],
                    as_tuple(s, "entries"),
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
    ladders = levelmaps.ladders(settings)
    entries = sorted(
        (
            _entry(s, today, default_interval, ladders)
            for k in ENTRY_KINDS
            for s in by_kind.get(k, [])
        ),
        key=lambda e: (ENTRY_KINDS.index(e.kind), e.title.lower(), e.id),
    )
    entries = [e for e in entries if preview or e.status != "draft"]
    glossary = by_kind.get("glossary", [])
    onboarding = by_kind.get("onboarding", [])
    terms = [
        Term(
            t["id"], t["term"], t.get("abbreviation", ""), t["definition"], as_tuple(t, "synonyms")
        )
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
        roles=tuple(_role(r) for r in settings["roles"]),
        entries=tuple(entries),
        terms=tuple(sorted(terms, key=lambda t: t.term.lower())),
        onboarding=_onboarding(onboarding[0].data) if onboarding else None,
        review_interval_months=default_interval,
        owners=FileOwners(**settings.get("owners", {})),
        repo_url=settings.get("repo_url", "").rstrip("/"),
        public=settings.get("public", False) is True,
        teams=tuple(
            sorted(
                (
                    _team(s, {e.id: e for e in entries}, today, default_interval, ladders)
                    for s in by_kind.get("team", [])
                ),
                key=lambda t: (t.name.lower(), t.id),
            )
        ),
    )
