"""The variants the site carries for each team and level (generator/site/views.py), and the
decision helper's data for them: without a browser (tests/test_trust_browser.py shows them)."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from sales_playbook.model.matrix import decision_matrix
from sales_playbook.model.playbook import Playbook
from sales_playbook.site import render, scripts
from sales_playbook.site.views import role_in_teams, views

from .conftest import SampleBuild
from .test_matrix import helper_paths

TEAM = "oeffentlicher-sektor"
HOSTILE = "</script><img src=x onerror=alert(1)>"


def helper_data(model: Playbook) -> dict[str, Any]:
    """window.playbookDecisions, with the decision matrix as `matrix` (the helper's bands)."""
    script = scripts.decisions_script(model)
    data: dict[str, Any] = json.loads(
        script.removeprefix("window.playbookDecisions = ").rstrip().rstrip(";")
    )
    return {**data, "matrix": decision_matrix(model)}


def test_one_view_per_team_and_level_and_the_one_without_a_level_shows_without_a_choice(
    sample: SampleBuild,
) -> None:
    found = views(sample.result.model)
    assert [(v.team.id if v.team else "", v.level, v.unset) for v in found] == [
        (team, level, level == "")
        for team in ("", TEAM)
        for level in ("", "einsteiger", "zertifiziert", "senior")
    ]
    # no level chosen, the organisation's: shown without a choice (and indexed)
    assert [v.default for v in found] == [True] + [False] * 7
    assert "pb-view-nolevel" in found[0].classes and "pb-view-level--" not in found[0].classes
    assert len({v.classes for v in found}) == 8
    levelled = [v for v in found if not v.unset]
    rabatt = [v.model.entry("rabatt-freigabe") for v in levelled]
    assert [p.bands[0].up_to for p in rabatt] == [5, 10, 12, 3, 5, 8]  # type: ignore[attr-defined]
    assert [p.team for p in rabatt] == ["", "", "", TEAM, TEAM, TEAM]
    # the view without a level keeps every level's bands
    unset = found[0].model.entry("rabatt-freigabe")
    assert [lb.level for lb in unset.by_level] == ["einsteiger", "zertifiziert", "senior"]  # type: ignore[attr-defined]


def test_a_role_page_gets_what_each_team_holds_stricter_for_the_role(
    sample: SampleBuild,
) -> None:
    found = role_in_teams(sample.result.model, "vertrieb")
    assert [v.level_name for v in found] == ["", "Einsteiger:in", "Zertifiziert", "Senior"]
    # no level chosen: each level's range, labelled where the levels differ
    assert [(r.path.id, r.range.replace("\xa0", " ")) for r in found[0].rows][:2] == [
        ("rabatt-freigabe", "bis 3 % (Stufe Einsteiger:in)"),
        ("rabatt-freigabe", "bis 5 % (Stufe Zertifiziert)"),
    ]
    zertifiziert = found[2]
    assert zertifiziert.team_name == "Öffentlicher Sektor"
    assert [(r.path.id, r.range.replace("\xa0", " ")) for r in zertifiziert.rows] == [
        ("rabatt-freigabe", "bis 5 %"),
        ("zahlungsziel-freigabe", "bis 30 Tage"),
    ]
    assert [z.id for z in zertifiziert.zones] == ["kreative-loesungen"]
    assert [n.id for n in zertifiziert.rules] == ["vergabeverfahren-einhalten"]
    assert dict(zertifiziert.tightened)["Rabattfreigabe"].startswith("Öffentliche Auftraggeber")
    assert role_in_teams(sample.result.model, "recht") == ()  # nothing stricter for it


def test_the_helper_gets_each_levels_bands_and_each_teams_stricter_paths(
    sample: SampleBuild,
) -> None:
    data = helper_data(sample.result.model)
    assert data["levels"] == [
        {"id": "einsteiger", "name": "Einsteiger:in"},
        {"id": "zertifiziert", "name": "Zertifiziert"},
        {"id": "senior", "name": "Senior"},
    ]
    [team] = data["teams"]
    assert (team["id"], team["name"]) == (TEAM, "Öffentlicher Sektor")
    shown = helper_paths(data, ["", TEAM])
    rabatt = next(p for p in shown[""] if p["id"] == "rabatt-freigabe")
    assert [(lb["level"], lb["own"].replace("\xa0", " ")) for lb in rabatt["by_level"]] == [
        ("einsteiger", "bis 5 %"),
        ("zertifiziert", "bis 10 %"),
        ("senior", "bis 12 %"),
    ]
    assert rabatt["team"] == ""
    stricter = [p for p in shown[TEAM] if p["team"]]
    assert [p["id"] for p in stricter] == ["rabatt-freigabe", "zahlungsziel-freigabe"]
    assert all(p["team"] == TEAM and p["why"] for p in stricter)
    assert list(data["tightened"][TEAM]) == ["rabatt-freigabe", "zahlungsziel-freigabe"]


def test_hostile_team_texts_stay_text(sample: SampleBuild) -> None:
    model = sample.result.model
    team = model.teams[0]
    tightenings = tuple(dataclasses.replace(t, why=HOSTILE) for t in team.tightenings)
    hostile = dataclasses.replace(
        model,
        teams=(dataclasses.replace(team, name=HOSTILE, tightenings=tightenings),),
    )
    assert "<" not in scripts.decisions_script(hostile)
    docs = render.render_docs(hostile)
    for page in ("index.md", "roles/vertrieb.md", "roles/teamleitung.md"):
        assert HOSTILE not in docs[page], page
        assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in docs[page], page
