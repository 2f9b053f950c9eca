"""One answer everywhere, in real headless Chromium from file://: every page kind that
states a limit shows, for the team and level chosen on the device, the values the model
holds for that view, and with no level chosen it states a limit that differs by level
for every level, labelled.

The playbook is the sample with every escalation path varying by level and three of
four tightened by the team, so no view can pass by showing the organisation's or the
lowest level's bands.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from sales_playbook.commands import build as commands_build
from sales_playbook.model.levels import at_level
from sales_playbook.model.overlay import apply
from sales_playbook.model.playbook import EscalationPath, Playbook
from sales_playbook.source import check as pipeline
from sales_playbook.text import Text

from .conftest import SAMPLE, TODAY, SampleBuild

TEAM = "oeffentlicher-sektor"
LEVELS = ("einsteiger", "zertifiziert", "senior")
# the team tightens these (moving the count path's rep band to the legal team is judged a
# loosening by the overlay check today: issue 25)
TIGHTENED = {"rabatt-freigabe", "zahlungsziel-freigabe", "vertragsvolumen-freigabe"}
PATHS = (
    "rabatt-freigabe",
    "zahlungsziel-freigabe",
    "vertragsvolumen-freigabe",
    "vertragsklausel-freigabe",
)


def _levelled(path: Path, edges: dict[str, float]) -> None:
    """The rep's first band of `path` ends at a level map (the next band starts there)."""
    data = yaml.safe_load(path.read_text("utf-8"))
    data["bands"][0]["up_to"] = dict(edges)
    data["bands"][1]["above"] = dict(edges)
    data.pop("examples", None)
    data.pop("cases", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Playbook]:
    root = tmp_path_factory.mktemp("one-answer")
    source = root / "playbook"
    shutil.copytree(SAMPLE, source)
    paths = source / "escalation-paths"
    _levelled(
        paths / "vertragsvolumen-freigabe.yml",
        dict(zip(LEVELS, (20000, 50000, 80000), strict=True)),
    )
    # the count path: the rep decides up to 0, 1 or 2 deviating clauses by level
    data = yaml.safe_load((paths / "vertragsklausel-freigabe.yml").read_text("utf-8"))
    data["bands"][0]["up_to"] = dict(zip(LEVELS, (0, 1, 1), strict=True))
    data["bands"][1]["above"] = dict(zip(LEVELS, (0, 1, 1), strict=True))
    data.pop("examples", None)
    data.pop("cases", None)
    (paths / "vertragsklausel-freigabe.yml").write_text(
        yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8"
    )
    team_file = source / "teams" / f"{TEAM}.yml"
    team = yaml.safe_load(team_file.read_text("utf-8"))
    volume = yaml.safe_load((paths / "vertragsvolumen-freigabe.yml").read_text("utf-8"))
    tightened = volume["bands"]
    tightened[0]["up_to"] = dict(zip(LEVELS, (10000, 30000, 40000), strict=True))
    tightened[1]["above"] = dict(zip(LEVELS, (10000, 30000, 40000), strict=True))
    team["tighten"].append(
        {
            "entry": "vertragsvolumen-freigabe",
            "why": "Vergabe: kleinere Volumen.",
            "bands": tightened,
        }
    )
    # the team's own rule states a live value: the team's, wherever it is shown
    team["non_negotiables"][0]["rule"] += " Rabatt bis {rabatt-freigabe} gibst du selbst."
    team_file.write_text(yaml.safe_dump(team, allow_unicode=True, sort_keys=False), "utf-8")
    commands_build.build(source, root / "site", root / "build", TODAY)
    model = pipeline.check(source, TODAY).model
    return root / "site", model


def held(model: Playbook, team: str, level: str, path_id: str) -> EscalationPath:
    view = apply(model, team) if team else model
    view = at_level(view, level) if level else view
    path = view.entry(path_id)
    assert isinstance(path, EscalationPath)
    return path


@pytest.fixture(scope="module")
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


def choose(page: Any, site: Path, where: str, team: str, level: str) -> None:
    page.goto((site / where).as_uri())
    page.evaluate(
        "([t, l]) => { playbookView.setTeam(t); playbookView.setLevel(l); }", [team, level]
    )


def first_visible(page: Any, selector: str) -> str:
    text: str = page.eval_on_selector_all(
        selector,
        "els => (els.find(e => e.checkVisibility()) || {innerText: ''})"
        ".innerText.replace(/\\xa0/g, ' ')",
    )
    return text


def own_limit(fmt: Text, path: EscalationPath, rep: str) -> str:
    """The rep's own range in words, from the bands themselves."""
    ranges = [fmt.band_range(b, path.quantity) for b in path.bands if b.decider == rep]
    return ", ".join(ranges).replace("\xa0", " ")


@pytest.mark.parametrize("team", ["", TEAM])
@pytest.mark.parametrize("level", ["", *LEVELS])
def test_path_pages_answer_and_first_table_hold_for_the_view(
    built: tuple[Path, Playbook], page: Any, team: str, level: str
) -> None:
    site, model = built
    fmt = Text(model.language)
    for path_id in PATHS:
        choose(page, site, f"escalation-paths/{path_id}.html", team, level)
        answer = first_visible(page, ".pb-answer")
        table = first_visible(page, ".pb-bands")
        if level:
            path = held(model, team, level, path_id)
            own = own_limit(fmt, path, model.rep_role)
            if own:
                assert f"{own}: du selbst" in answer, (path_id, answer)
            else:
                assert "Du entscheidest hier nichts selbst." in answer, (path_id, answer)
            first_row = fmt.band_range(path.bands[0], path.quantity).replace("\xa0", " ")
            assert table.splitlines()[1].startswith(first_row), (path_id, table)
        else:  # no level chosen: every level's own range, each labelled
            for lv in LEVELS:
                path = held(model, team, lv, path_id)
                name = model.level_of(lv)[1].name  # type: ignore[index]
                own = own_limit(fmt, path, model.rep_role)
                # levels with the same range share one label: "(Stufe Zertifiziert, Senior)"
                label = rf"{re.escape(own or 'nichts')} \(Stufe [^)]*\b{re.escape(name)}\b"
                said = re.search(label, answer) is not None
                if not said and own:  # the levels differ past the rep's range: a line each
                    said = f"Stufe {name}: {own}: du selbst" in answer
                elif not said:
                    line = next(x for x in answer.splitlines() if f"Stufe {name}:" in x)
                    said = "Du entscheidest hier nichts selbst" in line
                assert said, (path_id, lv, answer)
        marked = bool(team) and path_id in TIGHTENED
        assert ("Im Team Öffentlicher Sektor" in answer) == marked, (path_id, answer)


@pytest.mark.parametrize("team", ["", TEAM])
@pytest.mark.parametrize("level", ["", *LEVELS])
def test_start_page_and_live_references_hold_for_the_view(
    built: tuple[Path, Playbook], page: Any, team: str, level: str
) -> None:
    site, model = built
    fmt = Text(model.language)
    discount = [held(model, team, lv, "rabatt-freigabe") for lv in LEVELS]
    limits = [own_limit(fmt, p, model.rep_role) for p in discount]
    choose(page, site, "index.html", team, level)
    yours = first_visible(page, ".pb-yours")
    choose(page, site, "non-negotiables/rabatt-obergrenze.html", team, level)
    summary = first_visible(page, ".pb-summary")
    if level:
        limit = limits[LEVELS.index(level)]
        assert f"Rabattfreigabe: {limit}" in yours, yours
        assert summary.startswith(limit.replace("bis", "Bis")), summary
    else:
        for lv, limit in zip(LEVELS, limits, strict=True):
            name = model.level_of(lv)[1].name  # type: ignore[index]
            assert f"{name} {limit}" in yours, yours
            assert f"{limit.removeprefix('bis ')} (Stufe {name})" in summary, summary


def test_a_teams_own_rule_has_a_page_a_card_and_a_listing(
    built: tuple[Path, Playbook], page: Any
) -> None:
    site, _ = built
    rule = site / "non-negotiables" / "vergabeverfahren-einhalten.html"
    text = rule.read_text("utf-8")
    assert "Nur im Rahmen des Vergabeverfahrens" in text
    assert "Gilt nur im Team Öffentlicher Sektor" in text
    listing = (site / "non-negotiables" / "index.html").read_text("utf-8")
    assert "vergabeverfahren-einhalten.html" in listing
    cards = (site / "cards" / "index.html").read_text("utf-8")
    assert "Nur im Rahmen des Vergabeverfahrens" in cards


def test_details_hold_the_other_views_collapsed(built: tuple[Path, Playbook], page: Any) -> None:
    site, _ = built
    page.set_viewport_size({"width": 375, "height": 740})
    choose(page, site, "escalation-paths/rabatt-freigabe.html", TEAM, "senior")
    assert page.eval_on_selector(".pb-more", "d => d.open") is False
    visible_tables = page.eval_on_selector_all(
        ".pb-bands", "els => els.filter(e => e.checkVisibility()).length"
    )
    assert visible_tables == 1
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_cached_page_follows_the_bands_its_references_show(tmp_path: Path) -> None:
    """The page of a rule that writes `{rabatt-freigabe}` is rebuilt when those bands
    change, though the rule's own file did not."""
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    # the rule then names the path only through its reference
    rule = source / "non-negotiables" / "rabatt-obergrenze.yml"
    rule.write_text(rule.read_text("utf-8").replace("related: [rabatt-freigabe, ", "related: ["))
    build = tmp_path / "build"
    commands_build.build(source, tmp_path / "site", build, TODAY)
    page = tmp_path / "site" / "non-negotiables" / "rabatt-obergrenze.html"
    assert "10 % (Stufe Zertifiziert)" in page.read_text("utf-8").replace("\xa0", " ")
    discount = source / "escalation-paths" / "rabatt-freigabe.yml"
    text = discount.read_text("utf-8")
    discount.write_text(text.replace("zertifiziert: 10,", "zertifiziert: 11,"), "utf-8")
    data = yaml.safe_load(discount.read_text("utf-8"))
    data.pop("examples")
    data.pop("cases")
    discount.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    built = commands_build.build(source, tmp_path / "site", build, TODAY)
    shown = page.read_text("utf-8").replace("\xa0", " ")
    assert "11 % (Stufe Zertifiziert)" in shown and "10 % (Stufe Zertifiziert)" not in shown
    assert "non-negotiables/rabatt-obergrenze.md" in built.rendered


@pytest.mark.parametrize("team", ["", TEAM])
@pytest.mark.parametrize("level", ["", *LEVELS])
def test_zone_pages_list_the_freedoms_the_view_grants(
    built: tuple[Path, Playbook], page: Any, team: str, level: str
) -> None:
    site, model = built
    choose(page, site, "flexible-zones/kreative-loesungen.html", team, level)
    shown: str = page.eval_on_selector_all(
        ".pb-freedoms-view",
        "els => (els.find(e => e.checkVisibility()) || {innerText: ''}).innerText",
    )
    view = apply(model, team) if team else model
    zone = (at_level(view, level) if level else view).entry("kreative-loesungen")
    freedoms = zone.freedoms  # type: ignore[attr-defined]
    for freedom in freedoms:
        assert freedom in shown, (freedom, shown)
    others = set(model.entry("kreative-loesungen").freedoms) - set(freedoms)  # type: ignore[attr-defined]
    for freedom in others:
        assert freedom not in shown, (freedom, shown)
    assert ("Im Team Öffentlicher Sektor" in shown) == bool(team)


@pytest.mark.parametrize("level", ["", *LEVELS])
def test_a_teams_own_rule_states_the_teams_values_in_every_view(
    built: tuple[Path, Playbook], page: Any, level: str
) -> None:
    site, model = built
    fmt = Text(model.language)
    limits = [
        own_limit(fmt, held(model, TEAM, lv, "rabatt-freigabe"), model.rep_role) for lv in LEVELS
    ]
    names = [model.level_of(lv)[1].name for lv in LEVELS]  # type: ignore[index]
    every = "bis " + " / ".join(
        f"{limit.removeprefix('bis ')} (Stufe {name})"
        for limit, name in zip(limits, names, strict=True)
    )
    for team in ("", TEAM):  # the rule holds in the team only: its values, whoever reads
        choose(page, site, "non-negotiables/vergabeverfahren-einhalten.html", team, level)
        rule = first_visible(page, ".admonition")
        if level:
            assert f"Rabatt {limits[LEVELS.index(level)]} gibst du selbst" in rule, rule
        else:
            assert f"Rabatt {every} gibst du selbst" in rule, rule
    cards = (site / "cards" / "index.html").read_text("utf-8").replace("\xa0", " ")
    assert f"Rabatt {every} gibst du selbst" in cards


@pytest.mark.parametrize("team", ["", TEAM])
def test_onboarding_says_what_the_next_level_brings_in_the_team(
    built: tuple[Path, Playbook], page: Any, team: str
) -> None:
    site, model = built
    fmt = Text(model.language)
    now, then = (
        own_limit(fmt, held(model, team, lv, "rabatt-freigabe"), model.rep_role)
        for lv in ("einsteiger", "zertifiziert")
    )
    choose(page, site, "onboarding.html", team, "")
    gains = first_visible(page, ".pb-level-start")
    assert f"Rabattfreigabe: {now} → {then}" in gains, gains


def test_the_board_on_a_phone_starts_at_the_reps_column_for_the_level_chosen(
    built: tuple[Path, Playbook], browser: Any
) -> None:
    site, model = built
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto((site / "index.html").as_uri())
    page.evaluate("playbookView.setLevel('zertifiziert')")
    page.goto((site / "board.html").as_uri())
    chosen = page.eval_on_selector(".pb-board__select", "s => s.options[s.selectedIndex].text")
    rep = model.role(model.rep_role).name
    assert rep in chosen and "Zertifiziert" in chosen, chosen
    context.close()


@pytest.mark.parametrize(
    ("team", "level"), [("", ""), ("", "senior"), (TEAM, ""), (TEAM, "senior")]
)
def test_search_snippets_hold_for_the_view_chosen_on_the_device(
    built: tuple[Path, Playbook], page: Any, team: str, level: str
) -> None:
    from sales_playbook.site.search import view_snippets

    from .test_browser import search

    site, model = built
    texts = view_snippets(model)["escalation-paths/vertragsvolumen-freigabe.html"]
    choose(page, site, "index.html", team, level)
    titles = search(page, "Vertragsvolumen")
    assert titles[0] == "Vertragsvolumen"
    page.wait_for_timeout(100)  # (the snippet is set as the results come in)
    shown = page.locator(".pb-search__snippet").first.inner_text()
    assert shown == texts[f"{team}|{level}"], shown  # every view of the page has its own
    view = apply(model, team) if team else model
    path = (at_level(view, level) if level else view).entry("vertragsvolumen-freigabe")
    own = own_limit(Text(model.language), path, model.rep_role)  # type: ignore[arg-type]
    assert own in shown.replace("\xa0", " ")


@pytest.mark.parametrize("team", ["", TEAM])
@pytest.mark.parametrize("level", ["", *LEVELS])
def test_on_a_phone_the_helper_is_on_the_first_screen_in_every_view(
    sample: SampleBuild, browser: Any, team: str, level: str
) -> None:
    """(On the sample: a playbook whose every path varies by level lists more.)"""
    site = sample.site
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    paths = sample.result.model.of_kind("escalation_path")
    for where in ("index.html", *(f"escalation-paths/{p.id}.html" for p in paths)):
        choose(page, site, where, team, level)
        box = page.locator(".pb-helper__input").first.bounding_box()
        assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 740, where
    context.close()


def test_a_query_naming_a_level_shows_a_teams_reader_the_teams_value_there(
    built: tuple[Path, Playbook], page: Any
) -> None:
    from .test_browser import search

    site, model = built
    choose(page, site, "index.html", TEAM, "")
    search(page, "Senior Vertragsvolumen")
    page.wait_for_timeout(100)
    shown = page.locator(".pb-search__snippet").first.inner_text()
    held = at_level(apply(model, TEAM), "senior").entry("vertragsvolumen-freigabe")
    own = own_limit(Text(model.language), held, model.rep_role)  # type: ignore[arg-type]
    assert "Stufe Senior" in shown and f"{own}: du selbst" in shown.replace("\xa0", " "), shown
    assert "Verschärft für Team „Öffentlicher Sektor“" in shown
