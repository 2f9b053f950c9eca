"""Calibrated trust in real headless Chromium, from file://: the decision helper asks the
rep's level once and keeps it on the device, and the team switch shows a team's stricter
values, each marked with the team that tightened it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sales_playbook.commands import build as pipeline

from .conftest import SAMPLE, TODAY, SampleBuild
from .test_browser import helper_answer

TEAM = "oeffentlicher-sektor"


@pytest.fixture(scope="module")
def context(browser: Any) -> Iterator[Any]:
    """One context for the module: what a test chose stays, as on a rep's device."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


@pytest.fixture
def page(context: Any) -> Iterator[Any]:
    page = context.new_page()
    yield page
    page.close()


def open_page(page: Any, sample: SampleBuild, where: str) -> None:
    page.goto((sample.site / where).as_uri())


def visible_texts(page: Any, selector: str) -> list[str]:
    texts: list[str] = page.eval_on_selector_all(
        selector,
        "els => els.filter(e => e.offsetParent !== null)"
        ".map(e => e.innerText.replace(/\\xa0/g, ' '))",
    )
    return texts


def levels_listed(page: Any) -> list[tuple[str, str]]:
    rows: list[list[str]] = page.eval_on_selector_all(
        ".pb-helper__levels li", "lis => lis.map(li => [li.dataset.level, li.dataset.decider])"
    )
    return [(level, decider) for level, decider in rows]


def test_the_helper_asks_the_level_once_remembers_it_and_shows_all_levels(
    page: Any, sample: SampleBuild
) -> None:
    open_page(page, sample, "escalation-paths/rabatt-freigabe.html")
    options = page.eval_on_selector_all(
        ".pb-helper__level-select option", "os => os.map(o => [o.value, o.text])"
    )
    assert options[1:] == [
        ["einsteiger", "Einsteiger:in"],
        ["zertifiziert", "Zertifiziert"],
        ["senior", "Senior"],
    ]
    # no level chosen yet: the answer depends on it, and every level's is shown
    got = helper_answer(page, "12")
    assert (got["state"], got["decider"]) == ("by-level", None)
    assert got["text"].startswith("Das hängt von deiner Stufe ab")
    assert levels_listed(page) == [
        ("einsteiger", "teamleitung"),
        ("zertifiziert", "teamleitung"),
        ("senior", "vertrieb"),
    ]

    page.select_option(".pb-helper__level-select", "zertifiziert")
    got = helper_answer(page, "12")
    assert got["decider"] == "teamleitung"
    assert "Auf Stufe Zertifiziert entscheidest du bis 10 % selbst." in got["text"]
    assert levels_listed(page) == []  # side by side only when asked for

    page.reload()
    assert page.eval_on_selector(".pb-helper__level-select", "s => s.value") == "zertifiziert"
    assert helper_answer(page, "12")["decider"] == "teamleitung"

    page.select_option(".pb-helper__level-select", "senior")
    got = helper_answer(page, "12")
    assert got["decider"] == "vertrieb"
    assert got["text"].startswith("Du entscheidest selbst (bis 12 %)")
    assert "Auf Stufe Senior entscheidest du bis 12 % selbst." in got["text"]

    page.check(".pb-helper__all-levels")
    assert levels_listed(page) == [
        ("einsteiger", "teamleitung"),
        ("zertifiziert", "teamleitung"),
        ("senior", "vertrieb"),
    ]
    current = page.inner_text(".pb-helper__levels-item--current").replace("\xa0", " ")
    assert current == "Senior: du selbst (bis 12 %)"

    # the start page's own limits follow the level chosen
    open_page(page, sample, "index.html")
    [yours] = visible_texts(page, ".pb-yours")
    assert "(Stufe Senior)" in yours
    assert "Rabattfreigabe: bis 12 %" in yours
    assert "Zahlungsziel: bis 45 Tage" in yours
    assert any("Kostenlose Pilotphasen" in t for t in visible_texts(page, ".pb-view li"))
    page.select_option(".pb-helper__level-select", "einsteiger")
    [yours] = visible_texts(page, ".pb-yours")
    assert "Rabattfreigabe: bis 5 %" in yours and "Zahlungsziel" not in yours
    assert not any("Kostenlose Pilotphasen" in t for t in visible_texts(page, ".pb-view li"))


def test_the_team_switch_shows_the_teams_stricter_values_and_why(
    page: Any, sample: SampleBuild
) -> None:
    open_page(page, sample, "index.html")
    switch = "#pb-team-switch"
    assert page.is_visible(switch)
    options = page.eval_on_selector_all(f"{switch} option", "os => os.map(o => o.text)")
    assert options == ["Gesamte Organisation", "Öffentlicher Sektor"]
    page.select_option(".pb-helper__level-select", "zertifiziert")
    assert helper_answer(page, "7 %")["decider"] == "vertrieb"
    assert not page.is_visible(".pb-tightened")

    page.select_option(switch, TEAM)
    got = helper_answer(page, "7 %")
    assert got["decider"] == "teamleitung"  # the team's band reaches 5 % for zertifiziert
    mark = page.locator(".pb-helper__team .pb-tightened")
    assert mark.is_visible() and mark.inner_text() == "verschärft für Öffentlicher Sektor"
    assert "hohe Rabatte müssen prüfbar begründet sein" in got["text"]  # the why, as text
    [yours] = visible_texts(page, ".pb-yours")
    assert "Rabattfreigabe: bis 5 % verschärft" in yours  # short; the team and why on hover
    short = page.locator(".pb-yours .pb-tightened").first
    assert short.get_attribute("title") == (
        "verschärft für Öffentlicher Sektor: Öffentliche Auftraggeber vergleichen Angebote "
        "nach festen Kriterien; hohe Rabatte müssen prüfbar begründet sein."
    )
    assert any(
        "Zusätzlich im Team Öffentlicher Sektor" in t for t in visible_texts(page, ".pb-view")
    )

    page.reload()
    assert page.eval_on_selector(switch, "s => s.value") == TEAM
    assert helper_answer(page, "7 %")["decider"] == "teamleitung"

    # the role page shows what the team holds stricter for the role, with its reason
    open_page(page, sample, "roles/vertrieb.html")
    [block] = visible_texts(page, ".pb-team-role")
    assert "Strenger im Team Öffentlicher Sektor (Stufe Zertifiziert)" in block
    assert "bis 5 %" in block and "Haushaltsrecht bindet" in block

    page.select_option(switch, "")
    assert visible_texts(page, ".pb-team-role") == []
    open_page(page, sample, "index.html")
    assert page.eval_on_selector(switch, "s => s.value") == ""
    assert helper_answer(page, "7 %")["decider"] == "vertrieb"
    [yours] = visible_texts(page, ".pb-yours")
    assert "Rabattfreigabe: bis 10 %" in yours and "verschärft" not in yours


def test_without_storage_the_choices_last_for_the_page(browser: Any, sample: SampleBuild) -> None:
    context = browser.new_context()
    context.add_init_script(
        "Object.defineProperty(window, 'localStorage', "
        "{get() { throw new DOMException('blocked', 'SecurityError'); }});"
    )
    page = context.new_page()
    try:
        open_page(page, sample, "index.html")
        page.select_option(".pb-helper__level-select", "senior")
        page.select_option("#pb-team-switch", TEAM)
        assert helper_answer(page, "8 %")["decider"] == "vertrieb"
        assert helper_answer(page, "9 %")["decider"] == "teamleitung"
        page.reload()
        assert page.eval_on_selector("#pb-team-switch", "s => s.value") == ""
    finally:
        context.close()


def test_the_pages_ask_no_other_host(page: Any, sample: SampleBuild) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    for where in ("index.html", "escalation-paths/rabatt-freigabe.html", "roles/vertrieb.html"):
        open_page(page, sample, where)
        page.select_option("#pb-team-switch", TEAM)
        if page.locator(".pb-helper").count():
            helper_answer(page, "7 %")
        page.select_option("#pb-team-switch", "")
    assert requests
    assert [url for url in requests if not url.startswith("file://")] == []


def test_a_teams_own_site_shows_its_values_at_every_level_and_has_no_switch(
    browser: Any, tmp_path: Path
) -> None:
    site = tmp_path / "site"
    pipeline.build(SAMPLE, site, tmp_path / "build", TODAY, history=False, team=TEAM)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    assert page.locator("#pb-team-switch").count() == 0  # one team's site: nothing to switch
    shown = page.eval_on_selector_all(".pb-view", "els => els.filter(e => e.offsetParent).length")
    assert shown > 0
    page.evaluate("playbookView.setLevel('senior')")
    page.reload()
    assert page.evaluate("playbookView.level()") == "senior"
    visible = visible_texts(page, ".pb-view")
    assert visible, "a level chosen on a team's own site must not hide every view"
    assert any("8" in text for text in visible)  # the team's senior limit, not the org's 12
    context.close()
