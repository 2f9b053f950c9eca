"""Calibrated trust on the site's pages: cases from practice, bands by level, freedoms
granted from a level on, the delegation scale, levels on role and onboarding pages."""

from __future__ import annotations

import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from sales_playbook.commands import build as pipeline
from sales_playbook.text import labels

from .conftest import SAMPLE, TODAY, SampleBuild
from .test_build import html, visible_text
from .test_search import pages, search, site_index
from .test_xss import hostile


class Tables(HTMLParser):
    """The tables of a page inside an element of class `within`: rows of cell texts,
    without the labels shown only on phones (`.pb-label`)."""

    def __init__(self, within: str) -> None:
        super().__init__(convert_charrefs=True)
        self.within, self.depth, self.label = within, 0, 0
        self.tables: list[list[list[str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = (dict(attrs).get("class") or "").split()
        if tag == "div" and (self.depth or self.within in classes):
            self.depth += 1
        if not self.depth:
            return
        if tag == "span" and ("pb-label" in classes or self.label):
            self.label += 1
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.tables[-1][-1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self.depth:
            self.depth -= 1
        elif tag == "span" and self.label:
            self.label -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.label and self.tables and self.tables[-1]:
            row = self.tables[-1][-1]
            if row:
                row[-1] = " ".join(f"{row[-1]} {data}".replace("\xa0", " ").split())


def tables(page: str, within: str = "pb-bands--levels") -> list[list[list[str]]]:
    parser = Tables(within)
    parser.feed(page)
    return parser.tables


def text(sample: SampleBuild, page: str) -> str:
    return visible_text(html(sample, page)).replace("\xa0", " ").replace("¶", "")


AE, TL = "Account Executive", "Teamleitung Vertrieb"


def test_cases_show_on_the_entry_page(sample: SampleBuild) -> None:
    page = text(sample, "escalation-paths/rabatt-freigabe.html")
    assert "Fälle aus der Praxis" in page
    assert (
        "Situation: Ein Bestandskunde verlängert und will 12 % Rabatt, weil ein Wettbewerber"
        " 15 % bietet. Du bist zertifiziert."
    ) in page
    # a case on a path names its value, level and decider in words
    assert f"Wert: 12 % · Stufe: Zertifiziert · Entscheidet: {TL}" in page
    assert f"Wert: 12 % · Stufe: Senior · Entscheidet: {AE}" in page
    assert "Richtig ist: Die Teamleitung entscheidet; stelle die Freigabeanfrage im CRM" in page
    assert "Warum: Als Zertifizierte:r entscheidest du bis 10 %." in page
    # every kind of entry shows its cases
    zone = text(sample, "flexible-zones/kreative-loesungen.html")
    assert "Fälle aus der Praxis Situation: Ein Kunde will erst nach einem Pilotprojekt" in zone
    rule = text(sample, "non-negotiables/keine-nebenabreden.html")
    assert "Fälle aus der Praxis" in rule and "Zusatzworkshop" in rule
    # an entry without cases has no empty heading
    assert "Fälle aus der Praxis" not in text(sample, "flexible-zones/messaging.html")


def test_cases_are_searchable(sample: SampleBuild) -> None:
    index = site_index(sample)
    cases = [d for d in index["docs"] if d["location"].startswith("escalation-paths/rabatt")]
    section = next(d for d in cases if d["title"] == "Fälle aus der Praxis")
    assert "Ein Bestandskunde verlängert" in section["text"]
    # words only a case holds find its entry first
    found = search(index, ["Bestandskunde verlängert", "Zusatzworkshop"])
    assert [pages(groups)[0] for groups in found] == [
        "escalation-paths/rabatt-freigabe",
        "non-negotiables/keine-nebenabreden",
    ]


def test_escalation_path_shows_all_levels_side_by_side(sample: SampleBuild) -> None:
    grid = tables(html(sample, "escalation-paths/rabatt-freigabe.html"))
    # first the grid shown for each team with no level chosen (the organisation's, the
    # team's); then, collapsed under "Alle Stufen und Teams", the organisation's and the
    # team's again
    assert len(grid) == 4
    assert grid[2] == grid[0] and grid[3] == grid[1] and grid[1] != grid[0]
    assert grid[0] == [
        ["Bereich", "Stufe Einsteiger:in", "Stufe Zertifiziert", "Stufe Senior"],
        ["bis 5 %", AE, AE, AE],
        ["über 5 % bis 10 %", TL, AE, AE],
        ["über 10 % bis 12 %", TL, TL, AE],
        ["über 12 % bis 15 %", TL, TL, TL],
        ["über 15 % bis 25 %", "Vertriebsleitung", "Vertriebsleitung", "Vertriebsleitung"],
        ["über 25 % bis 100 %", *["Geschäftsführung"] * 3],
    ]
    page = text(sample, "escalation-paths/rabatt-freigabe.html")
    assert "Wer entscheidet auf welcher Stufe?" in page
    # each level's full bands under its own name
    for name, limit in (("Einsteiger:in", 5), ("Zertifiziert", 10), ("Senior", 12)):
        assert f"Freigabebänder auf Stufe {name} Bereich Entscheidet" in page
        assert f"über {limit} % bis 15 % Entscheidet: {TL}" in page
    # the decider may vary by level too: an Einsteiger:in asks for any payment term
    terms = tables(html(sample, "escalation-paths/zahlungsziel-freigabe.html"))[0]
    assert terms[1:3] == [["bis 30 Tage", TL, AE, AE], ["über 30 Tage bis 45 Tage", TL, TL, AE]]
    # a path without levels keeps its one band table
    volume = html(sample, "escalation-paths/vertragsvolumen-freigabe.html")
    assert tables(volume) == [] and len(tables(volume, "pb-bands")) == 1


def test_level_tables_read_on_a_phone(browser: Any, sample: SampleBuild) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    for name in ("escalation-paths/rabatt-freigabe.html", "roles/vertrieb.html"):
        page.goto((sample.site / name).as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, name
        table = page.locator(".pb-bands--levels table").first
        box = table.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375, name
        # each row a card of its own: its levels stacked, each with its name
        labels = table.locator("tbody tr").first.locator(".pb-label")
        assert labels.first.is_visible()
        assert labels.first.inner_text().strip() == "Stufe Einsteiger:in:"
    context.close()


def test_freedom_granted_from_a_level_is_marked(sample: SampleBuild) -> None:
    page = html(sample, "flexible-zones/kreative-loesungen.html")
    assert (
        '<strong class="pb-from-level">ab Senior:</strong> Kostenlose Pilotphasen bis zu drei'
        " Monaten."
    ) in page
    assert page.count("pb-from-level") == 1  # the freedoms everyone has carry no mark


def test_delegation_level_in_words(sample: SampleBuild) -> None:
    assert (
        "Delegationsstufe: 6 von 7 · Erkundigen (inquire) \u2013 Das Team entscheidet;"
        " die Führung erkundigt sich danach."
    ) in text(sample, "escalation-paths/rabatt-freigabe.html")
    assert "Delegationsstufe: 5 von 7 · Beraten (advise)" in text(
        sample, "escalation-paths/zahlungsziel-freigabe.html"
    )
    assert "Delegationsstufe: 6 von 7 · Erkundigen (inquire)" in text(
        sample, "flexible-zones/kreative-loesungen.html"
    )


@pytest.mark.parametrize("language", ["de", "en"])
def test_delegation_scale_has_seven_named_steps_in_order(language: str) -> None:
    defs = json.loads((SAMPLE.parent / "schemas" / "defs.schema.json").read_text("utf-8"))
    scale = next(d["enum"] for d in _walk(defs) if "inquire" in d.get("enum", ()))
    steps = labels(language)["delegation_levels"]
    assert list(steps) == scale == [
        "tell", "sell", "consult", "agree", "advise", "inquire", "delegate"
    ]  # fmt: skip
    assert all(set(s) == {"name", "text"} and s["name"] and s["text"] for s in steps.values())


def _walk(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        return [value, *(d for v in value.values() for d in _walk(v))]
    if isinstance(value, list):
        return [d for v in value for d in _walk(v)]
    return []


def test_role_page_lists_levels_and_what_each_decides(sample: SampleBuild) -> None:
    page = text(sample, "roles/vertrieb.html")
    assert "Stufen" in page
    assert "1. Einsteiger:in So erreichst du sie: Hier startest du." in page
    assert "2. Zertifiziert So erreichst du sie: Produkt- und Playbook-Zertifizierung" in page
    assert f"Bestätigt durch: {TL}" in page and "Bestätigt durch: Vertriebsleitung" in page
    assert "Erreicht mit dem Abschluss des Onboardings." in page
    raw = html(sample, "roles/vertrieb.html")
    assert 'href="../non-negotiables/onboarding-zertifizierung.html"' in raw
    assert 'href="../non-negotiables/forecast-ehrlichkeit.html"' in raw
    assert 'href="../onboarding.html"' in raw
    assert tables(raw) == [
        [
            ["Entscheidung", "Stufe Einsteiger:in", "Stufe Zertifiziert", "Stufe Senior"],
            ["Rabattfreigabe", "bis 5 %", "bis 10 %", "bis 12 %"],
            ["Zahlungsziel", "\u2013", "bis 30 Tage", "bis 45 Tage"],
        ]
    ]
    # a role without levels names the levels a band depends on
    lead = text(sample, "roles/teamleitung.html")
    assert "Rabattfreigabe über 10 % bis 15 % (bei Account Executive: Zertifiziert) 1 Tag" in lead
    assert "Zahlungsziel bis 30 Tage (bei Account Executive: Einsteiger:in) sofort" in lead


def test_onboarding_shows_the_level_held_and_the_next(sample: SampleBuild) -> None:
    page = text(sample, "onboarding.html")
    assert "Du startest auf Stufe Einsteiger:in Hier startest du." in page
    assert (
        "Nächste Stufe: Zertifiziert Erreicht mit dem Abschluss des Onboardings."
        " So erreichst du sie: Produkt- und Playbook-Zertifizierung"
    ) in page
    assert f"Bestätigt durch: {TL}" in page
    assert "Dazu gehört: Eigene Deals erst nach der Zertifizierung" in page
    gains = "Auf Stufe Zertifiziert entscheidest du selbst: Rabattfreigabe: bis 5 % → bis 10 %"
    assert gains in page
    assert "Zahlungsziel: \u2013 → bis 30 Tage" in page
    # every step has its own check in the sample: none is drawn from cases
    assert "pb-check--case" not in html(sample, "onboarding.html")


HOSTILE = "<script>alert(1)</script> {{ 7*7 }}"


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with one onboarding step left without its own check, and a hostile
    case and level name; built once."""
    root = tmp_path_factory.mktemp("drawn")
    source = root / "playbook"
    shutil.copytree(SAMPLE, source)
    onboarding = yaml.safe_load((source / "onboarding.yml").read_text("utf-8"))
    step = onboarding["weeks"][2]["steps"][0]
    assert step["title"] == "Eskalationswege"
    del step["check"]
    _dump(source / "onboarding.yml", onboarding)
    path = yaml.safe_load((source / "escalation-paths/rabatt-freigabe.yml").read_text("utf-8"))
    path["cases"].append(
        {"situation": f"Feindlich {HOSTILE}", "right": f"Recht {HOSTILE}", "why": HOSTILE}
    )
    _dump(source / "escalation-paths/rabatt-freigabe.yml", path)
    settings = yaml.safe_load((source / "playbook.yml").read_text("utf-8"))
    settings["roles"][0]["levels"][2]["name"] = f"Senior {HOSTILE}"
    _dump(source / "playbook.yml", settings)
    pipeline.build(source, root / "site", root / "build", TODAY)
    return root / "site"


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")


def test_a_step_without_a_check_draws_checks_from_cases(drawn: Path) -> None:
    page = (drawn / "onboarding.html").read_text("utf-8")
    step = page.split('id="step-3-1"', 1)[1].split('class="pb-step"', 1)[0]
    checks = re.findall(r'<details class="pb-check pb-check--case">(.*?)</details>', step, re.S)
    # the cases of the step's entries, in order: rabatt-freigabe's, then zahlungsziel's
    assert len(checks) == 5
    first = visible_text(checks[0])
    assert first.strip().startswith(
        "Selbstcheck: Ein Bestandskunde verlängert und will 12 % Rabatt"
    )
    assert "Richtig ist: Die Teamleitung entscheidet;" in first
    assert "Warum: Als Zertifizierte:r entscheidest du bis 10 %." in first
    assert "Selbstcheck: In deiner zweiten Woche bittet ein Interessent" in visible_text(checks[4])
    # steps with their own check draw none
    assert page.count("pb-check--case") == 5


def test_hostile_case_and_level_texts_stay_text(drawn: Path) -> None:
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }}"
    for name in (
        "escalation-paths/rabatt-freigabe.html",
        "onboarding.html",
        "roles/vertrieb.html",
        "flexible-zones/kreative-loesungen.html",
    ):
        page = (drawn / name).read_text("utf-8")
        assert hostile(page) == [], name
        assert escaped in page, name
    path = (drawn / "escalation-paths/rabatt-freigabe.html").read_text("utf-8")
    assert f"Feindlich {escaped}" in path and f"Recht {escaped}" in path
    assert f"Stufe Senior {escaped}" in path  # the level's column in the grid
    zone = (drawn / "flexible-zones/kreative-loesungen.html").read_text("utf-8")
    assert f'<strong class="pb-from-level">ab Senior {escaped}:</strong>' in zone
    onboarding = (drawn / "onboarding.html").read_text("utf-8")
    assert f"Selbstcheck: Feindlich {escaped}" in onboarding
    assert "49" not in visible_text(path).split("Fälle aus der Praxis", 1)[1].split("Siehe")[0]


def test_an_entry_a_team_tightens_says_so_on_its_page(sample: SampleBuild) -> None:
    page = text(sample, "escalation-paths/rabatt-freigabe.html")
    stricter = page.split("Strenger in Teams", 2)[-1]  # past the table of contents
    assert "Öffentlicher Sektor" in stricter
    assert "hohe Rabatte müssen prüfbar begründet sein" in stricter
    grid = tables((sample.site / "escalation-paths" / "rabatt-freigabe.html").read_text("utf-8"))[
        -1
    ]  # the team's grid follows the organisation's
    assert [row[0] for row in grid[1:4]] == ["bis 3 %", "über 3 % bis 5 %", "über 5 % bis 8 %"]
    zone = text(sample, "flexible-zones/kreative-loesungen.html").split("Strenger in Teams")[-1]
    assert "Nur im Rahmen des Vergabeverfahrens" in zone  # the team's own bound, by title
    assert "Strenger in Teams" not in text(sample, "flexible-zones/messaging.html")
