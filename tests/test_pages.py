"""Answer-first pages, measured with real geometry in Chromium from file://."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import SampleBuild

SCREENS = {"desktop": (1280, 800), "phone": (375, 740)}


@pytest.fixture(params=list(SCREENS))
def screen(browser: Any, request: pytest.FixtureRequest) -> Any:
    width, height = SCREENS[request.param]
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=request.param == "phone"
    )
    page = context.new_page()
    page.screen = (width, height)
    yield page
    context.close()


def on_first_screen(page: Any, selector: str) -> None:
    """The element is visible and lies wholly within the first screen, scrolled to the top."""
    width, height = page.screen
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    assert box["y"] >= 0 and box["y"] + box["height"] <= height, (selector, box)
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, (selector, box)


def test_start_page_answers_on_the_first_screen(screen: Any, sample: SampleBuild) -> None:
    model = sample.result.model
    screen.goto((sample.site / "index.html").as_uri())
    assert screen.evaluate("window.scrollY") == 0
    # what the rep decides alone: one line per escalation path with the rep's own limit;
    # until the rep names their level, every level's, each labelled (a single level's
    # limit never reads as the reader's: tests/test_trust_browser.py)
    items = screen.locator(".pb-yours li:visible")
    limits = [text.replace("\xa0", " ") for text in items.all_inner_texts()]
    for text in (
        "Rabattfreigabe: Einsteiger:in bis 5 %, Zertifiziert bis 10 %, Senior bis 12 %",
        "Vertragsvolumen: bis 50.000 EUR",
        "Zahlungsziel: Einsteiger:in nichts, Zertifiziert bis 30 Tage, Senior bis 45 Tage",
    ):
        assert text in limits
    rep_bands = [
        p
        for p in model.of_kind("escalation_path")
        if any(
            b.decider == model.rep_role
            for bands in [lb.bands for lb in p.by_level] or [p.bands]  # type: ignore[attr-defined]
            for b in bands
        )
    ]
    assert items.count() == len(rep_bands)
    for i in range(items.count()):
        on_first_screen(screen, f".pb-yours li:visible >> nth={i}")
    on_first_screen(screen, ".pb-helper__input")
    link = screen.locator("a.pb-onboarding-link")
    assert link.inner_text().startswith("Neu hier? Starte mit dem Onboarding")
    on_first_screen(screen, "a.pb-onboarding-link")
    link.click()
    assert screen.url.endswith("/onboarding.html")


@pytest.mark.parametrize("width", [375])
def test_helper_input_on_the_first_screen_of_every_escalation_page(
    browser: Any, sample: SampleBuild, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.screen = (width, 740)
    paths = sample.result.model.of_kind("escalation_path")
    assert paths
    for path in paths:
        page.goto((sample.site / "escalation-paths" / f"{path.id}.html").as_uri())
        on_first_screen(page, ".pb-helper__input")
    context.close()


def test_band_tables_need_no_sideways_scrolling_on_a_phone(
    browser: Any, sample: SampleBuild
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    pages = ["index.html"] + [
        f"escalation-paths/{p.id}.html" for p in sample.result.model.of_kind("escalation_path")
    ]
    for name in pages:
        page.goto((sample.site / name).as_uri())
        tables = page.locator(".pb-bands table:visible")
        assert tables.count() >= 1, name
        for i in range(tables.count()):
            table = tables.nth(i)
            box = table.bounding_box()
            if box is None:  # collapsed under "Alle Stufen und Teams": not on the screen
                assert table.evaluate("t => !!t.closest('details:not([open])')"), name
                continue
            assert box["x"] >= 0 and box["x"] + box["width"] <= 375, (name, box)
            # nothing inside scrolls or is cut off
            scroll = table.evaluate(
                "t => [t.scrollWidth, t.clientWidth, t.parentElement.scrollWidth,"
                " t.parentElement.clientWidth]"
            )
            assert scroll[0] <= scroll[1] and scroll[2] <= scroll[3], (name, scroll)
            # each band is a card of its own, its cells stacked with their labels shown
            rows = table.locator("tbody tr")
            for r in range(rows.count()):
                cells = rows.nth(r).locator("td")
                lefts = {
                    round(c["x"])
                    for c in (cells.nth(k).bounding_box() for k in range(cells.count()))
                    if c and c["height"] > 0
                }
                assert len(lefts) == 1, (name, r, lefts)
                for k in range(cells.count()):
                    cell = cells.nth(k).bounding_box()
                    if cell and cell["width"]:
                        assert cell["x"] + cell["width"] <= 375, (name, r, k, cell)
            labels = table.locator(".pb-label")
            if labels.count():
                assert labels.first.is_visible()
            assert (
                not table.locator("thead").first.is_visible()
                or table.locator("thead").first.bounding_box()["height"] <= 1
            )
    # on a desktop the same markup is a table again, with the labels hidden
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto((sample.site / "escalation-paths" / "vertragsvolumen-freigabe.html").as_uri())
    table = page.locator(".pb-bands:not(.pb-bands--levels) table:visible").first
    assert table.evaluate("t => getComputedStyle(t).display") != "block"
    assert not table.locator(".pb-label").first.is_visible()
    cells = table.locator("tbody tr").first.locator("td")
    assert len({round(cells.nth(k).bounding_box()["x"]) for k in range(cells.count())}) == 6
    context.close()


def test_rep_role_page_lists_zones_and_rules_and_no_empty_owns(sample: SampleBuild) -> None:
    model = sample.result.model
    text = (sample.site / "roles" / f"{model.rep_role}.html").read_text("utf-8")
    for zone in model.of_kind("flexible_zone"):
        assert f'href="../flexible-zones/{zone.id}.html"' in text
    for rule in model.of_kind("non_negotiable"):
        if model.rep_role in rule.applies_to:
            assert f'href="../non-negotiables/{rule.id}.html"' in text
    assert 'id="verantwortet"' not in text and "<p>Keine.</p>" not in text


def test_pass_rule_is_singular_for_one_criterion(sample: SampleBuild) -> None:
    text = (sample.site / "qualification" / "lead-zu-opportunity.html").read_text("utf-8")
    assert "1 optionale Kriterien" not in text
