"""What a decision card says, as plain JSON-ready data: the Typst template's only input.

Every value is display text (numbers, ranges, dates and role names already formatted
for the playbook's language). The template sets it as text; nothing here is markup.
Each kind's body comes from `_<kind name>` below; `tests/test_kinds.py` walks them.
"""

from __future__ import annotations

from typing import Any

from .kinds import kind_of
from .model import (
    Entry,
    EscalationPath,
    FlexibleZone,
    NonNegotiable,
    Playbook,
    QualificationRule,
    Underperformance,
)
from .text import Text

Data = dict[str, Any]

LABELS = (
    "instead",
    "freedoms",
    "bounded_by",
    "examples",
    "decider",
    "response_time",
    "required",
    "triggers",
    "steps",
)


def labels(fmt: Text) -> dict[str, str]:
    """The UI texts the card templates use."""
    return {key: str(fmt.t[key]) for key in LABELS}


def icon_svg(entry: Entry) -> str:
    """The kind's icon as a small SVG (a path from the registry, not from the playbook)."""
    path = kind_of(entry).icon
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24">'
        f'<path fill="#ffffff" d="{path}"/></svg>'
    )


def card(
    model: Playbook, entry: Entry, number: str, short_url: str, qr_svg: str, fmt: Text
) -> Data:
    t = fmt.t
    kind = kind_of(entry)
    return {
        "number": number,
        "kind": kind.name,
        "kind_label": str(t["kinds"][kind.name]["one"]),
        "colour": kind.colour,
        "icon": icon_svg(entry),
        "title": entry.title,
        # a non-negotiable's rule says it in full
        "summary": None if isinstance(entry, NonNegotiable) else entry.summary,
        "body": BODIES[kind.name](model, entry, fmt),
        "meta": [
            f"{t['owner']}: {model.role(entry.owner).name}",
            f"{t['last_reviewed']}: {fmt.date(entry.last_reviewed)}",
            f"{model.title} {model.version}",
        ],
        "short_url": short_url.split("://", 1)[-1],
        "qr": qr_svg,
    }


def _non_negotiable(model: Playbook, e: Entry, fmt: Text) -> Data:
    assert isinstance(e, NonNegotiable)
    return {"rule": e.rule, "instead": e.instead or None, "do": list(e.do), "dont": list(e.dont)}


def _flexible_zone(model: Playbook, e: Entry, fmt: Text) -> Data:
    assert isinstance(e, FlexibleZone)
    return {
        "freedoms": list(e.freedoms),
        "bounded_by": [model.entry(i).title for i in e.bounded_by],
        "example": e.examples[0] if e.examples else None,
    }


def _escalation_path(model: Playbook, e: Entry, fmt: Text) -> Data:
    assert isinstance(e, EscalationPath)

    def names(roles: tuple[str, ...]) -> str:
        return ", ".join(model.role(r).name for r in roles)

    return {
        "quantity": e.quantity.name,
        "rows": [
            {
                "range": fmt.band_range(b, e.quantity),
                "decider": model.role(b.decider).name,
                "consult": f"{fmt.t['consult']}: {names(b.consult)}" if b.consult else None,
                "channel": b.channel,
                "note": b.note or None,
                "time": fmt.hours(b.response_time_hours),
            }
            for b in e.bands
        ],
    }


def _qualification_rule(model: Playbook, e: Entry, fmt: Text) -> Data:
    assert isinstance(e, QualificationRule)
    return {
        "stages": f"{e.stage_from} → {e.stage_to}",
        "criteria": [{"question": c.question, "required": c.required} for c in e.criteria],
        "pass_rule": (
            fmt.count(e.optional_min, "pass_rule") if e.optional_min else fmt.t["pass_rule_all"]
        ),
    }


def _underperformance(model: Playbook, e: Entry, fmt: Text) -> Data:
    assert isinstance(e, Underperformance)
    return {
        "triggers": [tr.description for tr in e.triggers],
        "steps": [
            {
                "name": s.name,
                "who": f"{model.role(s.owner).name}, {fmt.count(s.time_frame_weeks, 'weeks')}",
            }
            for s in e.steps
        ],
    }


BODIES = {
    "non_negotiable": _non_negotiable,
    "flexible_zone": _flexible_zone,
    "escalation_path": _escalation_path,
    "qualification_rule": _qualification_rule,
    "underperformance": _underperformance,
}
