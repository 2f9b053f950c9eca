""" "Was ist neu für mich": the merged changes as facts, for the reader's role, level and
team, on the site (neu.html, in Chromium from disk) and as one feed per role."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from sales_playbook.commands.build import build

from .conftest import SAMPLE, TODAY
from .test_history import first_commit, git

ATOM = "{http://www.w3.org/2005/Atom}"


def edit(path: Path, *subs: tuple[str, str]) -> None:
    text = re.sub(r"examples:\n(  - .*\n)+", "", path.read_text("utf-8"))
    for old, new in subs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, "utf-8")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with two merged pull requests: seniors decide discounts up to 13 %; then
    the CRM rule's `instead` reworded and 500k-1M EUR contracts go to the managing director."""
    top = tmp_path_factory.mktemp("news")
    source = first_commit(SAMPLE, top)
    edit(source / "escalation-paths/rabatt-freigabe.yml", ("senior: 12}", "senior: 13}"),
         ("senior: 12}", "senior: 13}"))  # fmt: skip
    git(top, "commit", "-qam", "Senior bis 13 %", day="2026-11-03")
    crm = ("instead: Nutze die CRM-App direkt nach dem Termin", "instead: Nutze die CRM-App")
    edit(source / "non-negotiables/crm-pflege.yml", crm)
    edit(source / "escalation-paths/vertragsvolumen-freigabe.yml",
         ("    up_to: 1000000\n    decider: vertriebsleitung\n",
          "    up_to: 500000\n    decider: vertriebsleitung\n"),
         ("  - above: 1000000\n", "  - above: 500000\n"))  # fmt: skip
    git(top, "commit", "-qam", "CRM; ab 500.000 EUR die Geschäftsführung", day="2026-11-20")
    build(source, top / "site", top / "build", TODAY)
    return top / "site"


def entries(feed: Path) -> list[str]:
    root = ET.parse(feed).getroot()
    return [e.findtext(f"{ATOM}summary") or "" for e in root.iter(f"{ATOM}entry")]


def test_each_role_has_a_feed_of_what_concerns_it(site: Path) -> None:
    rep = " ".join(entries(site / "feed-vertrieb.xml"))
    assert "13\u00a0%" in rep and "CRM" in rep and "500.000" in rep
    finance = " ".join(entries(site / "feed-finanzen.xml"))
    assert "500.000" in finance and "13\u00a0%" in finance  # consulted on both paths
    assert "CRM" not in finance  # the CRM rule applies to reps and team leads
    assert entries(site / "feed-datenschutz.xml") == []  # valid, and empty
    title = ET.parse(site / "feed-finanzen.xml").getroot().findtext(f"{ATOM}title") or ""
    assert title.endswith("Was ist neu für Finanzen & Controlling")
    for feed in site.glob("feed*.xml"):
        assert "Freigabe durch" not in feed.read_text("utf-8")  # merged: facts


def shown(page: Any) -> list[str]:
    return page.eval_on_selector_all(  # type: ignore[no-any-return]
        ".pb-news-item", "els => els.filter(e => !e.hidden).map(e => e.innerText)"
    )


def test_the_page_shows_a_reader_only_their_changes(site: Path, browser: Any) -> None:
    page = browser.new_page()
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith("file:") else None)
    try:
        page.goto((site / "neu.html").as_uri())
        everything = shown(page)
        assert len(everything) == 3 and "Seit 03.11.2026" in everything[-1]
        assert all("Freigabe" not in item and "Beispiel" not in item for item in everything)

        def choose(role: str, level: str = "", team: str = "") -> list[str]:
            page.select_option("#pb-news-role", role)
            page.evaluate("([t, l]) => { playbookView.setTeam(t); playbookView.setLevel(l); }",
                          [team, level])  # fmt: skip
            return shown(page)

        senior = choose("vertrieb", "senior")
        assert any("Auf Stufe Senior: Über 12\u00a0% bis 13\u00a0%" in s for s in senior)
        assert len(senior) == 3
        certified = choose("vertrieb", "zertifiziert")  # the discount change is not theirs
        assert len(certified) == 2 and not any("13\u00a0%" in s for s in certified)
        # in the public-sector team, seniors keep the team's own 8 %: not news for them
        team = choose("vertrieb", "senior", "oeffentlicher-sektor")
        assert not any("13\u00a0%" in s for s in team)
        finance = choose("finanzen")
        assert len(finance) == 2 and not any("CRM" in s for s in finance)
        assert choose("datenschutz") == [] and page.is_visible(".pb-news-none")
        page.reload()  # the role is kept on this device
        assert page.input_value("#pb-news-role") == "datenschutz"
    finally:
        page.close()
    assert outside == []
