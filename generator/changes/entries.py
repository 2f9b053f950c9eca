"""Each kind's own sentences, for the kinds without bands: non-negotiables, flexible zones,
qualification rules and underperformance procedures.

A comparator says what its kind's important fields mean ("Gilt nicht mehr für …",
"Kriterium … ist jetzt Pflicht") and returns the names of the fields it has covered; the
generic comparison (`changes/fields.py`) says the rest. Escalation paths, with their
bands and levels, have a module of their own (`changes/paths.py`).
"""

from __future__ import annotations

from ..model.levels import freedom_rank
from ..model.playbook import Entry, FlexibleZone, NonNegotiable, QualificationRule, Underperformance
from .fields import Comparison
from .notes import Notes, Row, minus, rewordings

DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91}


def non_negotiable(cmp: Comparison, old: Entry, new: Entry, notes: Notes) -> set[str]:
    assert isinstance(old, NonNegotiable) and isinstance(new, NonNegotiable)
    if old.rule != new.rule:
        notes.add(
            cmp.d["rule"].format(new=new.rule, old=old.rule),
            Row(cmp.t["rule"], old.rule, new.rule),
            cmp.judge("rule", "reworded"),
        )
    gone = [r for r in old.applies_to if r not in new.applies_to]
    came = [r for r in new.applies_to if r not in old.applies_to]
    if came:
        notes.add(
            cmp.d["applies_added"].format(roles=cmp.roles(came)),
            Row(cmp.t["applies_to"], "", cmp.roles(came)),
            cmp.judge("applies_to", "added"),
        )
    if gone:
        notes.add(
            cmp.d["applies_removed"].format(roles=cmp.roles(gone)),
            Row(cmp.t["applies_to"], cmp.roles(gone), ""),
            cmp.judge("applies_to", "removed"),
        )
    return {"rule", "applies_to"}


def flexible_zone(cmp: Comparison, old: Entry, new: Entry, notes: Notes) -> set[str]:
    assert isinstance(old, FlexibleZone) and isinstance(new, FlexibleZone)
    _freedoms(cmp, old, new, notes)
    cmp.delegation(old.delegation, new.delegation, notes)
    before = cmp.moved(old.bounded_by)
    label = cmp.label(FlexibleZone, "bounded_by")
    for ref in new.bounded_by:
        if ref not in before:
            title = cmp.title_of(ref)
            notes.add(
                cmp.d["bound_added"].format(title=title),
                Row(label, "", title),
                cmp.judge("bounded_by", "added"),
            )
    for ref in before:
        if ref not in new.bounded_by:
            title = cmp.title_of(ref)
            notes.add(
                cmp.d["bound_removed"].format(title=title),
                Row(label, title, ""),
                cmp.judge("bounded_by", "removed"),
            )
    return {"freedoms", "freedom_levels", "bounded_by", "delegation"}


def _freedoms(cmp: Comparison, old: FlexibleZone, new: FlexibleZone, notes: Notes) -> None:
    """Freedoms added, removed, reworded; and the level each is granted from: granted
    from a lower level (or to everyone) is a loosening, from a higher one a tightening."""
    levels_before = dict(zip(old.freedoms, old.freedom_levels, strict=False))
    levels_after = dict(zip(new.freedoms, new.freedom_levels, strict=False))
    gone, came = minus(old.freedoms, new.freedoms), minus(new.freedoms, old.freedoms)
    pairs = rewordings(gone, came) if cmp.reword else []
    label = cmp.label(FlexibleZone, "freedoms")
    for before, after in pairs:
        notes.add(
            cmp.d["item_reworded"].format(label=label, new=after, old=before),
            Row(label, before, after),
            cmp.judge("freedoms", "reworded"),
        )
    for text in gone:
        notes.add(
            cmp.d["freedom_removed"].format(text=text),
            Row(label, _granted(cmp, text, levels_before.get(text)), ""),
            cmp.judge("freedoms", "removed"),
        )
    for text in came:
        level = levels_after.get(text)
        sentence = cmp.d["freedom_added"].format(text=text)
        if level:
            sentence = f"{sentence[:-1]} ({_from_level(cmp, level)})."
        notes.add(
            sentence,
            Row(label, "", _granted(cmp, text, level)),
            cmp.judge("freedoms", "added"),
        )
    same = [(t, t) for t in new.freedoms if t in levels_before]
    for before, after in [*same, *pairs]:
        _freedom_level(cmp, after, levels_before.get(before), levels_after.get(after), notes)


def _freedom_level(cmp: Comparison, text: str, a: str | None, b: str | None, notes: Notes) -> None:
    if a == b:
        return
    rank_a = freedom_rank(cmp.old, a) if a else -1
    rank_b = freedom_rank(cmp.new, b) if b else -1
    label = f"{cmp.label(FlexibleZone, 'freedom_levels')}: „{text}“"
    old, new = _from_level(cmp, a), _from_level(cmp, b)
    notes.add(
        cmp.d["freedom_level"].format(text=text, new=new, old=old),
        Row(label, old, new),
        cmp.judge("freedom_levels", "lowered" if rank_b < rank_a else "raised"),
    )


def _from_level(cmp: Comparison, level: str | None) -> str:
    """`ab Senior`, or `für alle Stufen` for a freedom without a level."""
    if level is None:
        return str(cmp.d["every_level"])
    found = cmp.new.level_of(level) or cmp.old.level_of(level)
    return str(cmp.d["from_level"].format(level=found[1].name if found else level))


def _granted(cmp: Comparison, text: str, level: str | None) -> str:
    return f"{text} ({_from_level(cmp, level)})" if level else text


def qualification_rule(cmp: Comparison, old: Entry, new: Entry, notes: Notes) -> set[str]:
    assert isinstance(old, QualificationRule) and isinstance(new, QualificationRule)
    d = cmp.d
    before = {c.id: c for c in old.criteria}
    after = {c.id: c for c in new.criteria}
    label = cmp.t["criteria"]

    def kind_of(required: bool) -> str:
        return str(d["required"] if required else d["optional"])

    for cid, c in after.items():
        if cid not in before:
            notes.add(
                d["criterion_added"].format(question=c.question, required=kind_of(c.required)),
                Row(label, "", c.question),
                cmp.judge("criteria", "added"),
            )
    for cid, c in before.items():
        if cid not in after:
            notes.add(
                d["criterion_removed"].format(question=c.question, required=kind_of(c.required)),
                Row(label, c.question, ""),
                cmp.judge("criteria", "removed_required" if c.required else "removed_optional"),
            )
            continue
        now = after[cid]
        if now.required != c.required:
            notes.add(
                d["criterion_required"].format(
                    question=now.question, new=kind_of(now.required), old=kind_of(c.required)
                ),
                Row(f"„{now.question}“", kind_of(c.required), kind_of(now.required)),
                cmp.judge("criteria", "made_optional" if c.required else "made_required"),
            )
        where = cmp.named(cmp.label(QualificationRule, "criteria"), now)
        cmp.fields(c, now, notes, where, skip=("required",))
    if old.optional_min != new.optional_min:
        notes.add(
            d["optional_min"].format(new=new.optional_min, old=old.optional_min),
            Row(label, str(old.optional_min), str(new.optional_min)),
            cmp.judge(
                "optional_min", "lowered" if new.optional_min < old.optional_min else "raised"
            ),
        )
    return {"criteria", "optional_min"}


def underperformance(cmp: Comparison, old: Entry, new: Entry, notes: Notes) -> set[str]:
    assert isinstance(old, Underperformance) and isinstance(new, Underperformance)
    fmt = cmp.fmt
    before = {tr.id: tr for tr in old.triggers}
    after = {tr.id: tr for tr in new.triggers}
    for tid, tr in after.items():
        if tid not in before:
            notes.add(
                cmp.d["trigger_added"].format(description=tr.description or tr.metric),
                Row(cmp.t["triggers"], "", tr.description or tr.metric),
                cmp.judge("triggers", "added"),
            )
            continue
        was = before[tid]
        if (was.threshold, was.unit) != (tr.threshold, tr.unit):
            a, b = fmt.amount(was.threshold, was.unit), fmt.amount(tr.threshold, tr.unit)
            direction = "raised" if tr.threshold > was.threshold else "lowered"
            event = f"{tr.comparison}_{direction}" if was.unit == tr.unit else "changed"
            notes.add(
                cmp.d["trigger"].format(metric=tr.metric, new=b, old=a),
                Row(tr.metric, a, b),
                cmp.judge("threshold", event),
            )
        if (was.periods, was.period) != (tr.periods, tr.period):
            a, b = fmt.period(was.periods, was.period), fmt.period(tr.periods, tr.period)
            longer = tr.periods * DAYS[tr.period] > was.periods * DAYS[was.period]
            notes.add(
                cmp.d["trigger_period"].format(metric=tr.metric, new=b, old=a),
                Row(f"{tr.metric}: {cmp.label(type(tr), 'period')}", a, b),
                cmp.judge("period", "longer" if longer else "shorter"),
            )
        where = cmp.named(cmp.label(Underperformance, "triggers"), tr)
        cmp.fields(was, tr, notes, where, skip=("threshold", "unit", "periods", "period"))
    for tid, tr in before.items():
        if tid not in after:
            notes.add(
                cmp.d["trigger_removed"].format(description=tr.description or tr.metric),
                Row(cmp.t["triggers"], tr.description or tr.metric, ""),
                cmp.judge("triggers", "removed"),
            )
    return {"triggers"}
