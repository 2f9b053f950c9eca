"""The decision helper's new answers in headless Chromium, from file://: on a phone the
answer comes into view after typing; a value that looks mistyped is asked about and the
button answers for the suggestion; "ca." near an edge names both bands; a team's answer
at a level is the decision matrix's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from .conftest import SampleBuild
from .test_a11y import serious, violations
from .test_browser import choose_view, helper_answer

TEAM = "oeffentlicher-sektor"
IN_VIEW = """el => {
  const box = el.getBoundingClientRect();
  return box.top >= -1 && box.bottom <= window.innerHeight + 1 && box.height > 0;  // (subpixels)
}"""


def test_on_a_phone_the_answer_comes_into_view_after_typing(
    browser: Any, sample: SampleBuild
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto((sample.site / "index.html").as_uri())
        choose_view(page, "", "zertifiziert")
        field = page.locator(".pb-helper__input")
        # on the start page at 375 px the field sits near the bottom of the screen: what
        # appears below it is out of view until the helper brings it in
        output = page.locator(".pb-helper__output")
        assert output.evaluate("el => el.getBoundingClientRect().top") >= 740 - 100
        assert page.evaluate("() => window.scrollY") == 0
        field.click()
        field.type("12 %", delay=20)
        answer = page.locator(".pb-helper__output [data-state]").first
        page.wait_for_function(
            f"() => ({IN_VIEW})(document.querySelector('.pb-helper__output [data-state]'))",
            timeout=5000,
        )
        assert answer.get_attribute("data-decider") == "teamleitung"
        assert answer.evaluate(IN_VIEW)
        assert page.evaluate("() => window.scrollY") > 0  # scrolled, no further than needed
        assert field.evaluate("el => el.getBoundingClientRect().top") >= 0
        assert [u for u in requests if not u.startswith("file://")] == []
    finally:
        context.close()


def test_with_less_motion_the_answer_jumps_into_view(browser: Any, sample: SampleBuild) -> None:
    # a short screen: what appears below the field starts out of view
    context = browser.new_context(viewport={"width": 375, "height": 680}, reduced_motion="reduce")
    try:
        page = context.new_page()
        page.goto((sample.site / "index.html").as_uri())
        choose_view(page, "", "zertifiziert")
        field = page.locator(".pb-helper__input")
        output = page.locator(".pb-helper__output")
        assert output.evaluate("el => el.getBoundingClientRect().top") >= 680 - 100
        field.fill("über 60 Tage")
        # no animation: in view at once, no waiting
        assert page.locator(".pb-helper__output [data-state]").first.evaluate(IN_VIEW)
        assert helper_answer(page, "über 60 Tage")["decider"] == "finanzen"
    finally:
        context.close()


def test_a_value_that_looks_mistyped_is_asked_about_and_the_button_answers(
    browser: Any, sample: SampleBuild
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto((sample.site / "escalation-paths" / "vertragsvolumen-freigabe.html").as_uri())
        got = helper_answer(page, "1.5")
        assert got["state"] == "confirm" and got["decider"] is None
        assert got["text"].startswith("Meinst du 1,5 Mio. EUR?")
        page.click(".pb-helper__confirm-yes")
        assert page.input_value(".pb-helper__input") == "1,5 Mio. EUR"
        shown = page.locator(".pb-helper__output .pb-helper__answer[data-decider]")
        assert shown.get_attribute("data-decider") == "geschaeftsfuehrung"
        # as typed: 1,50 EUR is the rep's own band
        helper_answer(page, "1.5")
        page.click(".pb-helper__confirm-no")
        assert shown.get_attribute("data-decider") == "vertrieb"

        page.goto((sample.site / "escalation-paths" / "rabatt-freigabe.html").as_uri())
        choose_view(page, "", "zertifiziert")
        got = helper_answer(page, "0,15")
        assert got["text"].startswith("Meinst du 15 %?")
        assert serious(violations(page)) == []  # the question and its buttons
        got = helper_answer(page, "~15%")
        assert got["decider"] == "teamleitung"
        near = page.locator(".pb-helper__near")
        assert near.get_attribute("data-near") == "vertriebsleitung"
        assert "Vertriebsleitung" in near.inner_text()
        assert serious(violations(page)) == []
        # what is shown is text: a typed tag stays text
        helper_answer(page, "<img src=x onerror=alert(1)> 12 %")
        assert page.locator(".pb-helper__output img").count() == 0
    finally:
        context.close()


def test_the_helper_answers_a_team_and_level_from_the_decision_matrix(
    browser: Any, sample: SampleBuild, tmp_path: Path
) -> None:
    """The helper in Chromium answers as decisions.json does for a team at a level; and
    with nothing changed but that answer in the matrix the site ships (decisions.js),
    it answers the changed band: its bands are the matrix's, not a copy of its own."""
    data = json.loads((sample.site / "decisions.json").read_text("utf-8"))
    rabatt = next(p for p in data["paths"] if p["id"] == "rabatt-freigabe")
    wanted = (TEAM, "senior")
    answer = next(a for a in rabatt["answers"] if (a["team"], a["level"]) == wanted)
    first = answer["bands"][0]
    assert first["up_to"] == 8  # (the sample's: the team holds its seniors stricter)
    site = tmp_path / "site"
    shutil.copytree(sample.site, site, ignore=shutil.ignore_patterns("*.pdf"))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        url = (site / "escalation-paths" / "rabatt-freigabe.html").as_uri()
        page.goto(url)
        choose_view(page, *wanted)
        got = helper_answer(page, "7 %")
        assert got["decider"] == first["decider"]["id"] == "vertrieb"
        assert "(bis 8 %)" in got["text"]
        # the matrix changed and nothing else: 7 % is now above the rep's band
        answer["bands"][0]["up_to"] = answer["bands"][1]["above"] = 6
        script = site / "assets" / "javascripts" / "decisions.js"
        script.write_text(f"window.playbookMatrix = {json.dumps(data)};\n", "utf-8")
        page.goto(url)
        choose_view(page, *wanted)
        got = helper_answer(page, "7 %")
        assert got["decider"] == answer["bands"][1]["decider"]["id"] == "teamleitung"
        assert "(über 6 % bis 10 %)" in got["text"]
        choose_view(page, "", "senior")  # the organisation's seniors: untouched
        assert helper_answer(page, "7 %")["decider"] == "vertrieb"
    finally:
        context.close()
