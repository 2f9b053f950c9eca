"""The approval policy (`generator/changes/policy.py`): one case per row of the table.

Each case edits the sample playbook's model in one way and checks what the diff makes
of it: a loosening, a change of wording, or nothing to approve (tightening).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

from sales_playbook.changes import policy
from sales_playbook.changes.compare import compare
from sales_playbook.model.levels import at_level
from sales_playbook.model.playbook import Entry, Playbook, Tightening
from sales_playbook.source import check

from .conftest import SAMPLE, TODAY

Pair = tuple[Playbook, Playbook]


@cache
def sample() -> Playbook:
    return check.check(SAMPLE, TODAY).model


@cache
def flat() -> Playbook:
    """The sample at level `zertifiziert`: the paths that vary by level have plain bands
    (the discount path's are 10 / 15 / 25 / 100 %), so the band cases edit them directly."""
    return at_level(sample(), "zertifiziert")


def base(entry_id: str) -> Playbook:
    return flat() if getattr(find(sample(), entry_id), "by_level", ()) else sample()


def find(model: Playbook, entry_id: str) -> Any:
    return next(e for e in model.entries if e.id == entry_id)


def put(model: Playbook, entry_id: str, **changes: Any) -> Playbook:
    entries = tuple(
        dataclasses.replace(e, **changes) if e.id == entry_id else e for e in model.entries
    )
    return dataclasses.replace(model, entries=entries)


def drop(model: Playbook, entry_id: str) -> Playbook:
    return dataclasses.replace(model, entries=tuple(e for e in model.entries if e.id != entry_id))


def copy(model: Playbook, entry_id: str) -> Playbook:
    """The model with a new entry of the same kind, clearly not a rename."""
    new = dataclasses.replace(
        find(model, entry_id), id="ganz-neu", title="Ganz neu", summary="Etwas völlig anderes."
    )
    return dataclasses.replace(model, entries=(*model.entries, new))


def edit(entry_id: str, **changes: Any) -> Callable[[], Pair]:
    return lambda: (sample(), put(sample(), entry_id, **changes))


def change(entry_id: str, name: str, how: Callable[[Any], Any]) -> Callable[[], Pair]:
    """Edit one field of an entry with `how(old value)`."""

    def pair() -> Pair:
        old = base(entry_id)
        return old, put(old, entry_id, **{name: how(getattr(find(old, entry_id), name))})

    return pair


def item(entry_id: str, name: str, index: int, **changes: Any) -> Callable[[], Pair]:
    """Edit one record in a list field of an entry (a band, criterion, trigger, step)."""

    def how(records: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(
            dataclasses.replace(r, **changes) if i == index else r for i, r in enumerate(records)
        )

    return change(entry_id, name, how)


def reverse(case: Callable[[], Pair]) -> Callable[[], Pair]:
    return lambda: case()[::-1]


def retire(entry_id: str) -> Callable[[], Pair]:
    return edit(entry_id, status="retired")


def add(entry_id: str) -> Callable[[], Pair]:
    return lambda: (sample(), copy(sample(), entry_id))


def remove(entry_id: str) -> Callable[[], Pair]:
    return lambda: (sample(), drop(sample(), entry_id))


def rename() -> Pair:
    """`keine-nebenabreden` renamed, with every reference to it updated."""
    old = sample()

    def moved(refs: tuple[str, ...]) -> tuple[str, ...]:
        return tuple("nebenabreden" if r == "keine-nebenabreden" else r for r in refs)

    entries = []
    for e in old.entries:
        changes: dict[str, Any] = {"related": moved(e.related)}
        if hasattr(e, "bounded_by"):
            changes["bounded_by"] = moved(e.bounded_by)
        if e.id == "keine-nebenabreden":
            changes["id"] = "nebenabreden"
        entries.append(dataclasses.replace(e, **changes))
    return old, dataclasses.replace(old, entries=tuple(entries))


def split_band() -> Pair:
    """Band 2 of the discount path (10-15 %, Teamleitung) split at 12 %: 12-15 % go up."""
    old = flat()
    path = find(old, "rabatt-freigabe")
    first, second, *rest = path.bands
    lower = dataclasses.replace(second, up_to=12)
    upper = dataclasses.replace(path.bands[2], above=12, lower=12, up_to=15)
    return old, put(old, path.id, bands=(first, lower, upper, *rest))


def move_edge(edge: float) -> Callable[[], Pair]:
    """The edge between bands 1 and 2 of the discount path moved from 10 % to `edge`."""

    def pair() -> Pair:
        old = flat()
        path = find(old, "rabatt-freigabe")
        first, second, *rest = path.bands
        bands = (
            dataclasses.replace(first, up_to=edge),
            dataclasses.replace(second, above=edge, lower=edge),
            *rest,
        )
        return old, put(old, path.id, bands=bands)

    return pair


def range_to(maximum: float) -> Callable[[], Pair]:
    def pair() -> Pair:
        old = flat()
        path = find(old, "rabatt-freigabe")
        bands = (*path.bands[:-1], dataclasses.replace(path.bands[-1], up_to=maximum))
        quantity = dataclasses.replace(path.quantity, maximum=maximum)
        return old, put(old, path.id, bands=bands, quantity=quantity)

    return pair


def trigger(comparison: str, threshold: float) -> Callable[[], Pair]:
    """The quarter's target trigger (below 70 %) with `comparison`, its threshold moved."""

    def pair() -> Pair:
        base = item("leistungsschwaeche", "triggers", 2, comparison=comparison)()[1]
        path = find(base, "leistungsschwaeche")
        moved = (*path.triggers[:2], dataclasses.replace(path.triggers[2], threshold=threshold))
        return base, put(base, path.id, triggers=moved)

    return pair


def role(role_id: str = "teamleitung", **changes: Any) -> Callable[[], Pair]:
    def pair() -> Pair:
        old = sample()
        roles = tuple(
            dataclasses.replace(r, **changes) if r.id == role_id else r for r in old.roles
        )
        return old, dataclasses.replace(old, roles=roles)

    return pair


def settings(**changes: Any) -> Callable[[], Pair]:
    return lambda: (sample(), dataclasses.replace(sample(), **changes))


def later_review(entry_id: str, days: int) -> Callable[[], Pair]:
    """The entry's own review interval changed: its review falls due `days` later."""
    return change(entry_id, "review_due", lambda due: due + dt.timedelta(days=days))


def self_check(answer: str) -> Callable[[], Pair]:
    """The first self-check of the onboarding answered otherwise."""

    def step(s: Any) -> Any:
        return dataclasses.replace(s, check=dataclasses.replace(s.check, answer=answer))

    def on(ws: tuple[Any, ...]) -> tuple[Any, ...]:
        week = next(i for i, w in enumerate(ws) if any(x.check for x in w.steps))
        at = next(i for i, x in enumerate(ws[week].steps) if x.check)
        steps = list(ws[week].steps)
        steps[at] = step(steps[at])
        return (*ws[:week], dataclasses.replace(ws[week], steps=tuple(steps)), *ws[week + 1 :])

    return weeks(on)


def owners(**changes: Any) -> Callable[[], Pair]:
    """Another owner for a file that is no entry (`owners:` in playbook.yml)."""
    return lambda: (
        sample(),
        dataclasses.replace(sample(), owners=dataclasses.replace(sample().owners, **changes)),
    )


def onboarding(how: Callable[[Any], Any]) -> Callable[[], Pair]:
    return lambda: (sample(), dataclasses.replace(sample(), onboarding=how(sample().onboarding)))


def weeks(how: Callable[[tuple[Any, ...]], tuple[Any, ...]]) -> Callable[[], Pair]:
    return onboarding(lambda o: dataclasses.replace(o, weeks=how(o.weeks)))


def first_week_steps(how: Callable[[tuple[Any, ...]], tuple[Any, ...]]) -> Callable[[], Pair]:
    def on(ws: tuple[Any, ...]) -> tuple[Any, ...]:
        return (dataclasses.replace(ws[0], steps=how(ws[0].steps)), *ws[1:])

    return weeks(on)


def plus(text: str) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    return lambda items: (*items, text)


def first_reworded(items: tuple[str, ...]) -> tuple[str, ...]:
    return (items[0] + " Ausnahmen nur schriftlich.", *items[1:])


def appended(text: str) -> Callable[[str], str]:
    return lambda old: f"{old} {text}"


def levels(how: Callable[[tuple[Any, ...]], tuple[Any, ...]]) -> Callable[[], Pair]:
    """The rep role's levels (einsteiger, zertifiziert, senior) edited."""

    def pair() -> Pair:
        old = sample()
        roles = tuple(
            dataclasses.replace(r, levels=how(r.levels)) if r.levels else r for r in old.roles
        )
        return old, dataclasses.replace(old, roles=roles)

    return pair


def level(index: int, **changes: Any) -> Callable[[], Pair]:
    return levels(
        lambda ls: tuple(dataclasses.replace(x, **changes) if i == index else x
                         for i, x in enumerate(ls))
    )  # fmt: skip


def freedom_from(level_id: str | None) -> Callable[[], Pair]:
    """The free pilot of `kreative-loesungen` (from `senior`) granted from `level_id`."""
    return change("kreative-loesungen", "freedom_levels", lambda ls: (*ls[:-1], level_id))


def teams(how: Callable[[tuple[Any, ...]], tuple[Any, ...]]) -> Callable[[], Pair]:
    return lambda: (sample(), dataclasses.replace(sample(), teams=how(sample().teams)))


def team_owner(role_id: str) -> Callable[[], Pair]:
    return teams(lambda ts: (dataclasses.replace(ts[0], owner=role_id),))


def tightenings(how: Callable[[tuple[Any, ...]], tuple[Any, ...]]) -> Callable[[], Pair]:
    return teams(lambda ts: (dataclasses.replace(ts[0], tightenings=how(ts[0].tightenings)),))


STRICTER_QUALIFICATION = Tightening("lead-zu-opportunity", "Strenger.", (("optional_min", 2),), 1)

NN, FZ, EP, QR = "keine-nebenabreden", "experimente", "rabatt-freigabe", "lead-zu-opportunity"
UP = "leistungsschwaeche"

CASES: dict[tuple[str, str, str], Callable[[], Pair]] = {
    ("entry", "owner", "changed"): edit(NN, owner="teamleitung"),
    ("entry", "entry", "renamed"): rename,
    ("entry", "summary", "reworded"): change(NN, "summary", appended("Bis 20 % geht immer.")),
    ("entry", "review_due", "raised"): later_review(NN, 365),
    ("entry", "review_due", "lowered"): later_review(NN, -180),
    ("non_negotiable", "entry", "added"): add(NN),
    ("non_negotiable", "entry", "removed"): remove("crm-pflege"),
    ("non_negotiable", "status", "retired"): retire(NN),
    ("non_negotiable", "status", "reactivated"): reverse(retire(NN)),
    ("non_negotiable", "rule", "reworded"): change(NN, "rule", appended("Immer.")),
    ("non_negotiable", "on_breach", "reworded"): change(NN, "on_breach", appended("Sofort.")),
    ("non_negotiable", "dont", "removed"): change(NN, "dont", lambda d: d[1:]),
    ("non_negotiable", "dont", "added"): change(NN, "dont", plus("Rabatte per Chat zusagen.")),
    ("non_negotiable", "dont", "reworded"): change(NN, "dont", first_reworded),
    ("non_negotiable", "do", "removed"): change(NN, "do", lambda d: d[1:]),
    ("non_negotiable", "do", "added"): change(NN, "do", plus("Im Zweifel fragen.")),
    ("non_negotiable", "do", "reworded"): change(NN, "do", first_reworded),
    ("non_negotiable", "instead", "reworded"): change(
        "crm-pflege", "instead", appended("Oder später.")
    ),
    ("non_negotiable", "instead", "added"): reverse(edit("crm-pflege", instead="")),
    ("non_negotiable", "instead", "removed"): edit("crm-pflege", instead=""),
    ("non_negotiable", "applies_to", "removed"): change(NN, "applies_to", lambda r: r[1:]),
    ("non_negotiable", "applies_to", "added"): change(NN, "applies_to", plus("finanzen")),
    ("flexible_zone", "entry", "added"): add(FZ),
    ("flexible_zone", "entry", "removed"): remove(FZ),
    ("flexible_zone", "status", "retired"): retire(FZ),
    ("flexible_zone", "status", "reactivated"): reverse(retire(FZ)),
    ("flexible_zone", "freedoms", "added"): change(FZ, "freedoms", plus("Eigene Preise.")),
    ("flexible_zone", "freedoms", "removed"): change(FZ, "freedoms", lambda f: f[1:]),
    ("flexible_zone", "freedoms", "reworded"): change(FZ, "freedoms", first_reworded),
    ("flexible_zone", "bounded_by", "removed"): change(FZ, "bounded_by", lambda b: b[1:]),
    ("flexible_zone", "bounded_by", "added"): change(FZ, "bounded_by", plus(NN)),
    ("flexible_zone", "experiments", "removed"): edit(FZ, experiments=None),
    ("flexible_zone", "freedom_levels", "lowered"): freedom_from("zertifiziert"),
    ("flexible_zone", "freedom_levels", "raised"): reverse(freedom_from(None)),
    ("flexible_zone", "delegation", "raised"): edit(FZ, delegation="delegate"),
    ("flexible_zone", "delegation", "lowered"): edit(FZ, delegation="tell"),
    ("flexible_zone", "time_box", "reworded"): change(
        FZ, "experiments", lambda x: dataclasses.replace(x, time_box="Höchstens acht Wochen.")
    ),
    ("flexible_zone", "stop_condition", "reworded"): change(
        FZ, "experiments", lambda x: dataclasses.replace(x, stop_condition="Nie.")
    ),
    ("escalation_path", "entry", "added"): add(EP),
    ("escalation_path", "entry", "removed"): remove(EP),
    ("escalation_path", "status", "retired"): retire(EP),
    ("escalation_path", "bands", "lower_role"): move_edge(12),
    ("escalation_path", "bands", "higher_role"): split_band,
    ("escalation_path", "bands", "other_role"): item(
        "zahlungsziel-freigabe", "bands", 3, decider="vertriebsleitung"
    ),
    ("escalation_path", "quantity", "widened"): range_to(120),
    ("escalation_path", "quantity", "narrowed"): range_to(90),
    ("escalation_path", "consult", "removed"): item(EP, "bands", 2, consult=()),
    ("escalation_path", "consult", "added"): item(EP, "bands", 0, consult=("finanzen",)),
    ("escalation_path", "inform", "removed"): item(EP, "bands", 2, inform=()),
    ("escalation_path", "inform", "added"): item(
        EP, "bands", 0, inform=("teamleitung", "finanzen")
    ),
    ("escalation_path", "note", "reworded"): item(EP, "bands", 3, note="Jede Begründung genügt."),
    ("escalation_path", "delegation", "raised"): edit(EP, delegation="delegate"),
    ("escalation_path", "delegation", "lowered"): edit(EP, delegation="consult"),
    ("qualification_rule", "entry", "added"): add(QR),
    ("qualification_rule", "entry", "removed"): remove(QR),
    ("qualification_rule", "status", "retired"): retire(QR),
    ("qualification_rule", "criteria", "removed_required"): change(QR, "criteria", lambda c: c[1:]),
    ("qualification_rule", "criteria", "removed_optional"): change(
        QR, "criteria", lambda c: c[:-1]
    ),
    ("qualification_rule", "criteria", "added"): change(
        QR, "criteria", lambda c: (*c, dataclasses.replace(c[0], id="neu", question="Neu?"))
    ),
    ("qualification_rule", "criteria", "made_optional"): item(QR, "criteria", 0, required=False),
    ("qualification_rule", "criteria", "made_required"): item(QR, "criteria", 4, required=True),
    ("qualification_rule", "question", "reworded"): item(QR, "criteria", 3, question="Budget?"),
    ("qualification_rule", "evidence", "reworded"): item(
        QR, "criteria", 0, evidence="Mündliche Aussage genügt."
    ),
    ("qualification_rule", "optional_min", "lowered"): edit(QR, optional_min=0),
    ("qualification_rule", "optional_min", "raised"): edit(QR, optional_min=2),
    ("qualification_rule", "disqualifiers", "removed"): change(
        QR, "disqualifiers", lambda d: d[1:]
    ),
    ("qualification_rule", "disqualifiers", "added"): change(
        QR, "disqualifiers", plus("Kein Bedarf.")
    ),
    ("qualification_rule", "disqualifiers", "reworded"): change(
        QR, "disqualifiers", first_reworded
    ),
    ("underperformance", "entry", "added"): add(UP),
    ("underperformance", "entry", "removed"): remove(UP),
    ("underperformance", "triggers", "removed"): change(UP, "triggers", lambda t: t[1:]),
    ("underperformance", "triggers", "added"): change(
        UP, "triggers", lambda t: (*t, dataclasses.replace(t[0], id="neu", description="Neu."))
    ),
    ("underperformance", "threshold", "below_lowered"): trigger("below", 60),
    ("underperformance", "threshold", "below_raised"): trigger("below", 80),
    ("underperformance", "threshold", "above_raised"): trigger("above", 80),
    ("underperformance", "threshold", "above_lowered"): trigger("above", 60),
    ("underperformance", "threshold", "drops_by_raised"): trigger("drops_by", 80),
    ("underperformance", "threshold", "drops_by_lowered"): trigger("drops_by", 60),
    ("underperformance", "threshold", "rises_by_raised"): trigger("rises_by", 80),
    ("underperformance", "threshold", "rises_by_lowered"): trigger("rises_by", 60),
    ("underperformance", "threshold", "changed"): item(
        UP, "triggers", 0, unit="percent", threshold=1
    ),
    ("underperformance", "comparison", "reworded"): item(UP, "triggers", 0, comparison="above"),
    ("underperformance", "metric", "reworded"): item(UP, "triggers", 0, metric="Anzahl Anrufe"),
    ("underperformance", "period", "longer"): item(UP, "triggers", 0, periods=3, period="month"),
    ("underperformance", "period", "shorter"): item(UP, "triggers", 0, periods=1),
    ("underperformance", "time_frame_weeks", "raised"): item(UP, "steps", 1, time_frame_weeks=12),
    ("underperformance", "time_frame_weeks", "lowered"): item(UP, "steps", 1, time_frame_weeks=4),
    ("underperformance", "steps", "removed"): change(UP, "steps", lambda s: s[:-1]),
    ("playbook", "handles", "added"): role(handles=("@nordlicht/sales-teamleads", "@x/y")),
    ("playbook", "handles", "removed"): role(handles=()),
    ("playbook", "handles", "reworded"): role(handles=("@nordlicht/teamleads",)),
    ("playbook", "owners", "changed"): owners(glossary="vertrieb"),
    ("playbook", "levels", "added"): levels(
        lambda ls: (*ls, dataclasses.replace(ls[-1], id="meister", name="Meister:in"))
    ),
    ("playbook", "levels", "removed"): levels(lambda ls: ls[:-1]),  # the top level
    ("playbook", "levels", "removed_lowest"): levels(lambda ls: ls[1:]),
    ("playbook", "levels", "reordered"): levels(lambda ls: (ls[0], ls[2], ls[1])),
    ("playbook", "reached_by", "reworded"): level(2, reached_by="Zwei gute Quartale."),
    ("playbook", "confirmed_by", "raised"): level(1, confirmed_by="vertriebsleitung"),
    ("playbook", "confirmed_by", "lowered"): level(2, confirmed_by="teamleitung"),
    ("playbook", "confirmed_by", "changed"): level(1, confirmed_by="finanzen"),
    ("playbook", "confirmed_by", "removed"): level(2, confirmed_by=None),
    ("playbook", "confirmed_by", "added"): level(0, confirmed_by="teamleitung"),
    ("playbook", "escalates_to", "raised"): role(escalates_to="geschaeftsfuehrung"),
    ("playbook", "escalates_to", "lowered"): role("finanzen", escalates_to="vertriebsleitung"),
    ("playbook", "escalates_to", "changed"): role(escalates_to="finanzen"),
    ("playbook", "escalates_to", "removed"): role(escalates_to=None),
    ("playbook", "escalates_to", "added"): role("geschaeftsfuehrung", escalates_to="revops"),
    ("playbook", "roles", "added"): lambda: (
        sample(),
        dataclasses.replace(
            sample(),
            roles=(
                *sample().roles,
                dataclasses.replace(sample().roles[-1], id="dealdesk", name="Deal Desk"),
            ),
        ),
    ),
    ("playbook", "roles", "removed"): lambda: (
        sample(),
        dataclasses.replace(sample(), roles=sample().roles[:-1]),
    ),
    ("playbook", "public", "on"): settings(public=True),
    ("playbook", "public", "off"): reverse(settings(public=True)),
    ("playbook", "onboarding", "off"): level(1, onboarding=False),
    ("playbook", "onboarding", "on"): level(2, onboarding=True),
    ("escalation_path", "unit", "reworded"): change(
        "zahlungsziel-freigabe", "quantity", lambda q: dataclasses.replace(q, unit="eur")
    ),
    ("escalation_path", "name", "reworded"): change(
        EP, "quantity", lambda q: dataclasses.replace(q, name=q.name + " pro Jahr")
    ),
    ("underperformance", "owner", "raised"): item(UP, "steps", 0, owner="vertriebsleitung"),
    ("underperformance", "owner", "lowered"): item(UP, "steps", 2, owner="teamleitung"),
    ("underperformance", "owner", "changed"): item(UP, "steps", 0, owner="finanzen"),
    ("team", "owner", "raised"): team_owner("geschaeftsfuehrung"),
    ("team", "owner", "lowered"): team_owner("teamleitung"),
    ("team", "owner", "changed"): team_owner("finanzen"),
    ("playbook", "review_interval_months", "raised"): settings(review_interval_months=24),
    ("playbook", "review_interval_months", "lowered"): settings(review_interval_months=6),
    ("team", "team", "added"): teams(
        lambda ts: (*ts, dataclasses.replace(ts[0], id="kommunen", name="Kommunen"))
    ),
    ("team", "team", "removed"): teams(lambda ts: ()),
    ("team", "tightenings", "added"): tightenings(lambda ts: (*ts, STRICTER_QUALIFICATION)),
    ("team", "tightenings", "removed"): tightenings(lambda ts: ts[:-1]),
    ("onboarding", "onboarding", "removed"): onboarding(lambda o: None),
    ("onboarding", "weeks", "removed"): weeks(lambda w: w[:-1]),
    ("onboarding", "weeks", "added"): weeks(lambda w: (*w, dataclasses.replace(w[-1], week=9))),
    ("onboarding", "steps", "removed"): first_week_steps(lambda s: s[1:]),
    ("onboarding", "steps", "added"): first_week_steps(
        lambda s: (*s, dataclasses.replace(s[0], title="Neu"))
    ),
    ("onboarding", "answer", "reworded"): self_check("Rabatte über 15 % gibst du selbst."),
}


def test_every_row_of_the_policy_has_a_case() -> None:
    assert {(k, f, e) for k, f, e, _ in policy.rows()} == set(CASES)


@pytest.mark.parametrize(("kind", "name", "event", "verdict"), policy.rows())
def test_policy_row(kind: str, name: str, event: str, verdict: policy.Verdict) -> None:
    old, new = CASES[(kind, name, event)]()
    changes = compare(old, new)
    assert changes, "the edit must show"
    worst = max((policy.Verdict(c.approval) for c in changes), key=lambda v: v.weight)
    assert worst == verdict, [(c.title, c.sentences, c.approval) for c in changes]
    assert all(c.needs_approval == policy.Verdict(c.approval).needs_approval for c in changes)
    assert all(len(c.verdicts) == len(c.sentences) for c in changes)


def test_rename_with_references_updated_is_only_a_rename() -> None:
    changes = compare(*rename())
    assert [(c.change, c.sentences) for c in changes] == [
        ("renamed", ("Umbenannt: „keine-nebenabreden“ heißt jetzt „nebenabreden“.",))
    ]


def test_a_split_band_says_which_values_move_to_whom() -> None:
    (change,) = compare(*split_band())
    assert change.needs_approval is False
    assert change.sentences == (
        "Über 12\u00a0% bis 15\u00a0%: jetzt entscheidet Vertriebsleitung "
        "(vorher Teamleitung Vertrieb).",
    )
    assert change.verdicts == ("tightening",)


def test_bands_merged_into_one_say_each_range_that_moved_once() -> None:
    old = flat()
    path = find(old, "rabatt-freigabe")
    last = dataclasses.replace(path.bands[-1], above=None, lower=0)
    (change,) = compare(old, put(old, path.id, bands=(last,)))
    deciders = [b.decider for b in path.bands[:-1]]
    assert len(change.sentences) == len(set(deciders))  # one per range, none for the rest
    assert all("jetzt entscheidet Geschäftsführung" in s for s in change.sentences)
    assert change.approval == "tightening"


def test_entry_is_not_touched() -> None:  # the helpers leave the sample alone
    assert isinstance(find(sample(), NN), Entry)
    assert compare(sample(), sample()) == []


def test_raising_one_levels_limit_is_a_loosening() -> None:
    """Zertifiziert decides discounts up to 11 % instead of 10 %: a loosening at that level."""
    old = sample()
    path = find(old, EP)
    by_level = list(path.by_level)
    first, second, *rest = by_level[1].bands
    by_level[1] = dataclasses.replace(
        by_level[1],
        bands=(dataclasses.replace(first, up_to=11),
               dataclasses.replace(second, above=11, lower=11), *rest),
    )  # fmt: skip
    (change,) = compare(old, put(old, EP, by_level=tuple(by_level)))
    assert change.needs_approval and change.approval == "loosening"
    assert change.sentences == (
        "Auf Stufe Zertifiziert: Über 10\u00a0% bis 11\u00a0%: jetzt entscheidet "
        "Account Executive (vorher Teamleitung Vertrieb).",
    )
    (back,) = compare(put(old, EP, by_level=tuple(by_level)), old)
    assert not back.needs_approval  # lowering it again tightens


def test_a_team_that_lowers_its_own_tightening_loosens_for_that_team() -> None:
    """The public-sector team lets seniors decide discounts up to 9 % instead of 8 %."""
    old = sample()
    team = old.teams[0]
    tightening = next(t for t in team.tightenings if t.entry == EP)
    fields = dict(tightening.fields)
    by_level = list(fields["by_level"])
    first, second, *rest = by_level[2].bands
    by_level[2] = dataclasses.replace(
        by_level[2],
        bands=(dataclasses.replace(first, up_to=9),
               dataclasses.replace(second, above=9, lower=9), *rest),
    )  # fmt: skip
    fields["by_level"] = tuple(by_level)
    looser = dataclasses.replace(tightening, fields=tuple(fields.items()))
    new_team = dataclasses.replace(
        team, tightenings=tuple(looser if t is tightening else t for t in team.tightenings)
    )
    (change,) = compare(old, dataclasses.replace(old, teams=(new_team,)))
    assert (change.kind, change.id, change.title) == (
        "team",
        "oeffentlicher-sektor.yml",
        "Team „Öffentlicher Sektor“",
    )
    assert change.approval == "loosening"
    assert change.owner == "Vertriebsleitung"
    assert change.sentences == (
        "Rabattfreigabe: Auf Stufe Senior: Über 8\u00a0% bis 9\u00a0%: jetzt entscheidet "
        "Account Executive (vorher Teamleitung Vertrieb).",
    )


def test_a_freedom_granted_from_a_lower_level_says_so() -> None:
    (change,) = compare(*freedom_from("zertifiziert")())
    assert change.sentences == (
        "Freiheit „Kostenlose Pilotphasen bis zu drei Monaten.“: jetzt ab Stufe Zertifiziert "
        "(vorher ab Stufe Senior).",
    )
    (change,) = compare(*freedom_from(None)())
    assert "jetzt für alle Stufen (vorher ab Stufe Senior)" in change.sentences[0]


def test_cases_from_practice_show_and_need_no_approval() -> None:
    old = sample()
    cases = find(old, EP).cases
    new = put(old, EP, cases=(*cases[1:], dataclasses.replace(cases[0], right="Frag nach.")))
    (change,) = compare(old, new)
    assert not change.needs_approval
    assert any(s.startswith("Fall aus der Praxis „Ein Bestandskunde") for s in change.sentences)
