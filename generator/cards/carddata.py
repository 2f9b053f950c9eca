"""What a decision card says, as plain JSON-ready data: the Typst template's only input.

Every value is display text (numbers, ranges, dates and role names already formatted
for the playbook's language). The template sets it as text; nothing here is markup.
Each kind's body comes from `_<kind name>` below; `tests/test_kinds.py` walks them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..model import overlay
from ..model.answers import answer_text
from ..model.kinds import kind_of
from ..model.levels import level_name
from ..model.playbook import (
    Entry,
    EscalationPath,
    FlexibleZone,
    NonNegotiable,
    Playbook,
    QualificationRule,
    Underperformance,
)
from ..site.variants import live_for
from ..text import Text
from .hyphens import breakable

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


def varies_by_level(model: Playbook, level_id: str) -> frozenset[str]:
    """The entries whose content depends on the level `level_id` belongs to: paths whose
    bands vary by its role's levels, zones with freedoms granted from one of them."""
    found = model.level_of(level_id)
    if found is None:
        return frozenset()
    ladder = {lv.id for lv in found[0].levels}
    return frozenset(
        e.id
        for e in model.entries
        if (isinstance(e, EscalationPath) and e.level_role == found[0].id)
        or (isinstance(e, FlexibleZone) and ladder & set(e.freedom_levels))
    )


def marks(model: Playbook, entry: Entry, levelled: bool, fmt: Text) -> list[str]:
    """For whom a card holds: the team that tightened (or added) its entry, and the level
    it was resolved at (`playbook cards --level`) if its content depends on it."""
    t = fmt.t
    found: list[str] = []
    team = overlay.team_of(model, entry)
    if team is not None:
        key = "card_team" if overlay.why(model, entry) else "card_team_own"
        found.append(str(t[key].format(team=team.name)))
    if model.level and levelled:
        found.append(str(t["card_level"].format(level=level_name(model, model.level))))
    return found


def level_lines(model: Playbook, entry: Entry, fmt: Text) -> list[str]:
    """A path whose bands vary by level shows its lowest level's bands; one line per
    higher level says which bands differ there ("Stufe Senior: Account Executive bis 12 %")."""
    if not isinstance(entry, EscalationPath) or not entry.by_level:
        return []
    lowest = entry.by_level[0]

    def rows(bands: Sequence[Any]) -> list[tuple[str, str]]:
        return [(model.role(b.decider).name, fmt.band_range(b, entry.quantity)) for b in bands]

    base = set(rows(lowest.bands))
    lines = []
    for level in entry.by_level[1:]:
        differ = [f"{who} {where}" for who, where in rows(level.bands) if (who, where) not in base]
        if differ:
            name = level_name(model, level.level)
            lines.append(f"{fmt.t['card_level_line'].format(level=name)}: {'; '.join(differ)}")
    return lines


def card(
    model: Playbook,
    entry: Entry,
    number: str,
    short_url: str,
    qr_svg: str,
    fmt: Text,
    for_whom: Sequence[str] = (),
) -> Data:
    """`for_whom`: the card's marks (see `marks`)."""
    t = fmt.t
    kind = kind_of(entry)
    return {
        "number": number,
        "kind": kind.name,
        "kind_label": str(t["kinds"][kind.name]["one"]),
        "colour": kind.colour,
        "icon": icon_svg(entry),
        "title": entry.title,
        "title_breaks": breakable(entry.title, model.language),  # where a long word may break
        "marks": list(for_whom),
        # a non-negotiable's rule says it in full; a path's answer comes from its bands
        "summary": _summary(model, entry, fmt),
        "body": BODIES[kind.name](model, entry, fmt),
        "meta": [
            f"{t['owner']}: {model.role(entry.owner).name}",
            f"{t['last_reviewed']}: {fmt.date(entry.last_reviewed)}",
            f"{model.title} {model.version}",
        ],
        "short_url": short_url.split("://", 1)[-1],
        "qr": qr_svg,
        # what the QR code says, for a screen reader (the PDF's alternative text)
        "qr_alt": str(t["card_qr_alt"]).format(url=short_url),
    }


def _summary(model: Playbook, entry: Entry, fmt: Text) -> str | None:
    if isinstance(entry, NonNegotiable):
        return None
    if isinstance(entry, EscalationPath):
        return answer_text(model, entry, fmt)
    return live_for(model).plain(entry.summary, entry.team)


def _non_negotiable(model: Playbook, e: Entry, fmt: Text) -> Data:
    assert isinstance(e, NonNegotiable)

    def live(text: str) -> str:  # a team's own rule shows the team's values
        return live_for(model).plain(text, e.team)

    return {
        "rule": live(e.rule),
        "instead": live(e.instead) or None,
        "do": [live(x) for x in e.do],
        "dont": [live(x) for x in e.dont],
    }


def _flexible_zone(model: Playbook, e: Entry, fmt: Text) -> Data:
    assert isinstance(e, FlexibleZone)
    return {
        "freedoms": [
            f"{live_for(model).plain(text)} "
            f"({fmt.t['card_from_level'].format(level=level_name(model, level))})"
            if level and model.level_of(level)
            else live_for(model).plain(text)
            for text, level in zip(e.freedoms, e.freedom_levels, strict=False)
        ],
        "bounded_by": [model.entry(i).title for i in e.bounded_by],
        "example": live_for(model).plain(e.examples[0]) if e.examples else None,
    }


def _escalation_path(model: Playbook, e: Entry, fmt: Text) -> Data:
    assert isinstance(e, EscalationPath)

    def names(roles: tuple[str, ...]) -> str:
        return ", ".join(model.role(r).name for r in roles)

    return {
        "quantity": e.quantity.name,
        # bands that vary by level: the lowest level's, and how the others differ
        "level": (
            str(fmt.t["card_as_level"].format(level=level_name(model, e.by_level[0].level)))
            if e.by_level
            else None
        ),
        "levels": level_lines(model, e, fmt),
        "rows": [
            {
                "range": fmt.band_range(b, e.quantity),
                "decider": model.role(b.decider).name,
                "consult": f"{fmt.t['consult']}: {names(b.consult)}" if b.consult else None,
                "channel": b.channel,
                "note": live_for(model).plain(b.note) or None,
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
        "triggers": [live_for(model).plain(tr.description) for tr in e.triggers],
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
