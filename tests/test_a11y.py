"""Accessibility (axe-core in headless Chromium) and the phone-sized layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .conftest import ROOT, SampleBuild
from .test_browser import search

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PAGES = [
    "index.html",
    "non-negotiables/rabatt-obergrenze.html",
    "flexible-zones/experimente.html",
    "escalation-paths/rabatt-freigabe.html",
    "qualification/lead-zu-opportunity.html",
    "underperformance/leistungsschwaeche.html",
    "roles/teamleitung.html",
    "onboarding.html",
    "glossary.html",
    "board.html",
    "cards/index.html",  # last: the print view shows cards at their printed size
]


def settled(page: Any) -> None:
    """Wait until the page is still: a scroll (the helper brings its answer into view) and
    the theme's transitions it starts (the header's title fading in) have ended, so axe
    judges the colours as they stay, not half-faded."""
    page.wait_for_function(
        """() => new Promise(done => {
             const y = window.scrollY;
             requestAnimationFrame(() => requestAnimationFrame(() => done(
               window.scrollY === y &&
               document.getAnimations().every(a => a.playState !== 'running'))));
           })""",
        timeout=5000,
    )


def violations(page: Any) -> list[dict[str, Any]]:
    assert AXE.is_file(), "axe-core is missing: run `make test` to install it"
    settled(page)
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .map(v => ({id: v.id, impact: v.impact,
                         targets: v.nodes.map(n => n.target.join(' '))}))"""
    )


def serious(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in found if v["impact"] in ("serious", "critical")]


@pytest.fixture(params=[375, 1280], ids=["phone", "desktop"])
def page(browser: Any, request: pytest.FixtureRequest) -> Any:
    context = browser.new_context(viewport={"width": request.param, "height": 800})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("name", PAGES)
def test_no_serious_accessibility_violations(page: Any, sample: SampleBuild, name: str) -> None:
    page.goto((sample.site / name).as_uri())
    assert serious(violations(page)) == []


def test_search_results_and_decision_helper_are_accessible(page: Any, sample: SampleBuild) -> None:
    page.goto((sample.site / "index.html").as_uri())
    for typed in ("12", "ca. 12 %", "zwei"):  # which decision?, an answer, can't read
        page.fill(".pb-helper__input", typed)
        assert serious(violations(page)) == [], typed
    search(page, "Rabatt")
    assert serious(violations(page)) == []


def test_phone_layout_does_not_overflow(browser: Any, sample: SampleBuild, tmp_path: Path) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, is_mobile=True)
    page = context.new_page()
    for name in PAGES[:-1]:
        page.goto((sample.site / name).as_uri())
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, (name, width)
    page.goto((sample.site / "escalation-paths" / "rabatt-freigabe.html").as_uri())
    page.fill(".pb-helper__input", "30")  # the same decider at every level
    assert page.locator(".pb-helper__decider").is_visible()
    shot = tmp_path / "phone.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    context.close()
