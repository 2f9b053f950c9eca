"""Autonomy levels and team overlays in the model: the playbook at a level, in a team."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sales_playbook.model.levelmaps import resolve
from sales_playbook.model.levels import at_level
from sales_playbook.model.overlay import apply, why
from sales_playbook.model.playbook import EscalationPath, FlexibleZone, NonNegotiable, Playbook
from sales_playbook.source.assemble import build_model
from sales_playbook.source.check import validate
from sales_playbook.source.validate import default_interval

from .conftest import SAMPLE, TODAY


@pytest.fixture(scope="module")
def sample() -> Playbook:
    sources, problems = validate(SAMPLE, TODAY)
    assert [p for p in problems if p.severity == "error"] == []
    return build_model(sources, TODAY, default_interval(sources))


def own_limit(path: EscalationPath, role: str) -> float | None:
    """The top of the range `role` decides from the bottom up."""
    first = path.bands[0]
    return first.up_to if first.decider == role else None


def path(model: Playbook, entry_id: str) -> EscalationPath:
    entry = model.entry(entry_id)
    assert isinstance(entry, EscalationPath)
    return entry


def test_the_sample_rep_has_three_levels_that_others_confirm(sample: Playbook) -> None:
    rep = sample.role(sample.rep_role)
    assert [lv.id for lv in rep.levels] == ["einsteiger", "zertifiziert", "senior"]
    assert rep.levels[0].confirmed_by is None
    assert [lv.confirmed_by for lv in rep.levels[1:]] == ["teamleitung", "vertriebsleitung"]
    assert rep.levels[1].see == ("onboarding-zertifizierung",) and rep.levels[1].onboarding


def test_a_path_has_the_bands_of_every_level_and_the_lowest_by_default(sample: Playbook) -> None:
    rabatt = path(sample, "rabatt-freigabe")
    assert rabatt.level_role == "vertrieb"
    limits = {lb.level: lb.bands[0].up_to for lb in rabatt.by_level}
    assert limits == {"einsteiger": 5, "zertifiziert": 10, "senior": 12}
    assert own_limit(rabatt, "vertrieb") == 5  # no level chosen: what everyone may do
    for lb in rabatt.by_level:  # the team lead's band starts where the rep's ends
        assert lb.bands[1].above == lb.bands[0].up_to and lb.bands[1].up_to == 15


def test_certification_before_own_payment_terms(sample: Playbook) -> None:
    terms = path(sample, "zahlungsziel-freigabe")
    deciders = {lb.level: (lb.bands[0].decider, lb.bands[0].up_to) for lb in terms.by_level}
    assert deciders == {
        "einsteiger": ("teamleitung", 30),
        "zertifiziert": ("vertrieb", 30),
        "senior": ("vertrieb", 45),
    }


def test_the_playbook_at_a_level(sample: Playbook) -> None:
    senior = at_level(sample, "senior")
    assert senior.level == "senior"
    assert own_limit(path(senior, "rabatt-freigabe"), "vertrieb") == 12
    assert path(senior, "rabatt-freigabe").by_level == ()
    zone = senior.entry("kreative-loesungen")
    assert isinstance(zone, FlexibleZone)
    assert "Kostenlose Pilotphasen bis zu drei Monaten." in zone.freedoms
    beginner = at_level(sample, "einsteiger").entry("kreative-loesungen")
    assert isinstance(beginner, FlexibleZone)
    assert "Kostenlose Pilotphasen bis zu drei Monaten." not in beginner.freedoms
    assert len(beginner.freedoms) == len(zone.freedoms) - 1
    assert at_level(sample, "no-such-level") is sample


def test_the_playbook_in_a_team_is_tightened_and_says_by_whom(sample: Playbook) -> None:
    team = apply(sample, "oeffentlicher-sektor")
    assert team.team == "oeffentlicher-sektor"
    rabatt = path(team, "rabatt-freigabe")
    assert rabatt.team == "oeffentlicher-sektor"
    assert {lb.level: lb.bands[0].up_to for lb in rabatt.by_level} == {
        "einsteiger": 3,
        "zertifiziert": 5,
        "senior": 8,
    }
    assert "Vergaberecht" in why(team, rabatt) or "Auftraggeber" in why(team, rabatt)
    zone = team.entry("kreative-loesungen")
    assert isinstance(zone, FlexibleZone)
    assert len(zone.freedoms) == 2
    assert zone.bounded_by[-1] == "vergabeverfahren-einhalten"  # added to the org's bounds
    own = team.entry("vergabeverfahren-einhalten")
    assert isinstance(own, NonNegotiable) and own.team == "oeffentlicher-sektor"
    untouched = team.entry("messaging")
    assert untouched.team == "" and why(team, untouched) == ""
    # the organisation's playbook is not changed, and has no team rule
    assert path(sample, "rabatt-freigabe").bands[0].up_to == 5
    assert "vergabeverfahren-einhalten" not in {e.id for e in sample.entries}
    assert apply(sample, "no-such-team") is sample


def test_levels_and_teams_combine(sample: Playbook) -> None:
    both = at_level(apply(sample, "oeffentlicher-sektor"), "senior")
    assert own_limit(path(both, "rabatt-freigabe"), "vertrieb") == 8
    assert own_limit(path(both, "zahlungsziel-freigabe"), "vertrieb") == 30  # not 45


def test_a_band_empty_at_a_level_is_left_out_and_the_bands_above_shift() -> None:
    bands = [
        {"up_to": {"neu": 10, "senior": 15}, "decider": "rep"},
        {"above": {"neu": 10, "senior": 15}, "up_to": 15, "decider": "lead"},
        {"above": 15, "decider": "chef"},
    ]
    senior, origin = resolve(bands, ("neu", "mittel", "senior"), "senior")
    assert [b["decider"] for b in senior] == ["rep", "chef"]
    assert origin[("bands", 1)] == ("bands", 2)  # problems point into the source
    assert origin[("bands", 0, "up_to")] == ("bands", 0, "up_to", "senior")
    middle, _ = resolve(bands, ("neu", "mittel", "senior"), "mittel")  # takes `neu`'s 10
    assert [(b.get("above"), b.get("up_to")) for b in middle] == [(None, 10), (10, 15), (15, None)]


def test_a_higher_level_that_decides_less_is_an_error_naming_both_levels_and_the_range(
    tmp_path: Path,
) -> None:
    root = tmp_path / "playbook"
    shutil.copytree(SAMPLE, root)
    file = root / "escalation-paths" / "rabatt-freigabe.yml"
    text = file.read_text("utf-8").replace("senior: 12}", "senior: 8}")
    file.write_text(text, "utf-8")
    _, problems = validate(root, TODAY)
    found = [p for p in problems if p.rule == "level-not-monotonic"]
    assert len(found) == 1, [str(p) for p in problems]
    assert "`senior`" in found[0].message and "`zertifiziert`" in found[0].message
    assert "above 8 % up to 10 %" in found[0].message
    line = text.splitlines()[found[0].line - 1]
    assert "senior: 8" in line and found[0].file.endswith("rabatt-freigabe.yml")
