"""The site's search engine, run in node on the index our build writes: what reps type
finds the page that answers it (tests/search/questions.yml), and each way of typing it
that the engine understands has a case of its own. The same engine runs in Chromium in
tests/test_browser.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import snowballstemmer
import yaml

from sales_playbook.model import overlay
from sales_playbook.resources import search_engine, template_dir
from sales_playbook.site.search import search_data
from sales_playbook.site.search_index import INDEX_SCRIPT, index_script_data
from sales_playbook.text import labels

from .conftest import SAMPLE, SampleBuild

HERE = Path(__file__).parent
RUNNER = HERE / "search" / "run_search.js"
NODE = shutil.which("node")
CATEGORIES = {
    *("plain", "inflection", "compound", "synonym", "english", "typo", "number", "new-hire"),
    *("situation", "team"),
}


def search(index: dict[str, Any], queries: list[str]) -> list[list[list[dict[str, Any]]]]:
    """Each query's result groups, from the engine given `index` (site/search_index.py)."""
    assert NODE is not None, "node is missing: `make test` installs it (Debian's npm)"
    payload = {"engine": str(search_engine()), "index": index, "queries": queries}
    done = subprocess.run(
        [NODE, str(RUNNER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    results: list[list[list[dict[str, Any]]]] = json.loads(done.stdout)
    return results


def site_index(sample: SampleBuild) -> dict[str, Any]:
    index: dict[str, Any] = index_script_data((sample.site / INDEX_SCRIPT).read_text("utf-8"))
    return index


def pages(groups: list[list[dict[str, Any]]]) -> list[str]:
    return [g[0]["location"].split("#")[0].removesuffix(".html") for g in groups]


def index_of(docs: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    """A small index as the build writes it, with our search data (`extra`)."""
    return {"config": {"lang": ["de"], "playbook": extra}, "docs": docs}


def page(location: str, title: str, text: str) -> dict[str, str]:
    return {"location": location, "title": title, "text": text}


# ------------------------------------------------------------------ the built site


def test_the_site_ships_our_search_with_the_playbooks_search_data(sample: SampleBuild) -> None:
    scripts = sample.site / "assets" / "javascripts"
    assert (scripts / "search-engine.js").read_bytes() == search_engine().read_bytes()
    assert not (sample.site / "search").exists()  # no engine's own index
    page = (sample.site / "index.html").read_text("utf-8")
    assert 'data-md-component="search"' not in page  # no box of the theme's own
    assert "assets/javascripts/search.js" in page  # ours
    data = site_index(sample)["config"]["playbook"]
    assert data == json.loads(json.dumps(search_data(sample.result.model)))
    rabatt = data["pages"]["escalation-paths/rabatt-freigabe.html"]
    # the snippet: the answer its bands give; with no level chosen, every level's, labelled
    assert rabatt["summary"].startswith(
        "du selbst: bis 5\u00a0% (Stufe Einsteiger:in), bis 10\u00a0% (Stufe Zertifiziert), "
        "bis 12\u00a0% (Stufe Senior) · darüber bis 15\u00a0%: Teamleitung Vertrieb"
    ), rabatt["summary"]
    assert {"Preisnachlass", "Discount Approval", "%"} <= set(rabatt["terms"])
    assert rabatt["thresholds"] is True
    assert ["Rabatt", "Nachlass", "Preisnachlass", "Discount"] in data["synonyms"]


def test_search_terms_are_in_the_index_only_not_on_the_page(sample: SampleBuild) -> None:
    html = (sample.site / "escalation-paths" / "rabatt-freigabe.html").read_text("utf-8")
    assert "pb-keywords" not in html and "Suchbegriffe:" not in html
    [groups] = search(site_index(sample), ["Sonderkondition"])
    assert pages(groups)[0] == "escalation-paths/rabatt-freigabe"


def rates(questions: list[dict[str, Any]], results: list[Any]) -> dict[str, tuple[int, int, int]]:
    """Per category: (questions, first result right, right within the first three)."""
    counts: dict[str, Counter[str]] = {}
    for item, groups in zip(questions, results, strict=True):
        found = pages(groups)
        c = counts.setdefault(item["cat"], Counter())
        c["n"] += 1
        c["top1"] += bool(found) and found[0] in item["expect"]
        c["top3"] += any(p in item["expect"] for p in found[:3])
    return {cat: (c["n"], c["top1"], c["top3"]) for cat, c in sorted(counts.items())}


def report(name: str, per: dict[str, tuple[int, int, int]]) -> tuple[float, float]:
    n = sum(v[0] for v in per.values())
    top1 = sum(v[1] for v in per.values()) / n
    top3 = sum(v[2] for v in per.values()) / n
    print(f"\n{name}: {n} questions, top-1 {top1:.1%}, top-3 {top3:.1%}")
    for cat, (k, one, three) in per.items():
        print(f"  {cat:<11} {k:>3}  top-1 {one}/{k}  top-3 {three}/{k}")
    return top1, top3


def load_questions(name: str) -> list[dict[str, Any]]:
    questions: list[dict[str, Any]] = yaml.safe_load((HERE / "search" / name).read_text("utf-8"))
    return questions


def test_rep_questions_find_the_answer_first(sample: SampleBuild) -> None:
    questions = load_questions("questions.yml")
    assert len(questions) >= 90
    assert {q["cat"] for q in questions} == CATEGORIES
    assert min(Counter(q["cat"] for q in questions).values()) >= 10
    assert sum(q["cat"] in {"situation", "team"} for q in questions) >= 30
    for q in questions:  # every expected page exists
        assert all((sample.site / f"{p}.html").is_file() for p in q["expect"]), q
    results = search(site_index(sample), [q["q"] for q in questions])
    top1, top3 = report("questions.yml", rates(questions, results))
    misses = [
        (q["q"], pages(r)[:3])
        for q, r in zip(questions, results, strict=True)
        if not pages(r) or pages(r)[0] not in q["expect"]
    ]
    assert top1 >= 0.9, misses
    assert top3 >= 0.98, misses


def test_held_out_questions(sample: SampleBuild) -> None:
    """Written with the others, not tuned on: a lower bar, to see generalisation hold."""
    questions = load_questions("heldout.yml")
    assert len(questions) >= 40 and {q["cat"] for q in questions} == CATEGORIES
    assert sum(q["cat"] in {"situation", "team"} for q in questions) >= 15
    asked = {q["q"] for q in load_questions("questions.yml")}
    assert not asked & {q["q"] for q in questions}
    top1, top3 = report(
        "heldout.yml", rates(questions, search(site_index(sample), [q["q"] for q in questions]))
    )
    assert top1 >= 0.75 and top3 >= 0.85


def test_results_show_the_one_line_answer_and_rank_entries_first(sample: SampleBuild) -> None:
    [groups] = search(site_index(sample), ["Zahlungsziel"])
    first = groups[0][0]
    assert first["location"] == "escalation-paths/zahlungsziel-freigabe.html"
    summary = site_index(sample)["config"]["playbook"]["pages"][first["location"]]["summary"]
    assert first["text"] == summary
    assert "{" not in summary  # its live references filled in
    [groups] = search(site_index(sample), ["Rabatt"])
    found = pages(groups)
    rabatt = ["escalation-paths/rabatt-freigabe", "non-negotiables/rabatt-obergrenze"]
    assert sorted(found[:2]) == rabatt  # the entries named so first, then their definition
    assert found.index("glossary") > 1


def test_a_glossary_term_is_shown_under_its_page_with_its_definition(sample: SampleBuild) -> None:
    [groups] = search(site_index(sample), ["was ist MEDDIC"])
    article, section = groups[0]
    assert (article["location"], article["text"]) == ("glossary.html", "")
    assert section["location"] == "glossary.html#meddic"
    assert section["text"].startswith("Qualifizierungsmethode")


# ------------------------------------------------------------------ each way of typing


WORDS = [
    page("a.html", "Preise", "Der Preis steht in der Preisliste."),
    page("b.html", "Kreise", "Kreis und Bezirk."),
    page("c.html", "Vertragsklauseln", "Abweichende Vertragsklauseln prüft die Rechtsabteilung."),
    page("d.html", "Haftung", "Rechtsklauseln zur Haftung ändert nur die Rechtsabteilung."),
    page("e.html", "Qualifizierung", "Die Qualifizierung eines Leads."),
    page("f.html", "Verträge", "Alle Verträge kommen aus dem Vertragstool."),
    page("g.html", "Freimonat", "Kein Freimonat ohne Freigabe."),
    page("h.html", "Kontaktfrequenz", "Wie oft du nachfasst."),
    page("i.html", "Ablauf", "Der Ablauf eines Termins."),
    page("j.html", "Zahlungsziel", "Das Zahlungsziel in Tagen."),
]


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Preis", "a"),  # exact
        ("Preise", "a"),  # inflection
        ("Vertrag", "f"),  # "Verträge" (umlaut, plural)
        ("qualifiziert", "e"),  # participle and noun in -ierung
        ("Klausel", "c"),  # a compound's head: "Vertragsklauseln" (and "Rechtsklauseln")
        ("Haftungsklausel", "d"),  # a typed compound by its parts
        ("Monat", "g"),  # head of "Freimonat", whose "frei" stands nowhere alone
        ("Zahlungzziel", "j"),  # one typo in 12 letters
        ("Kontaktfreqenz", "h"),  # one letter missing
        ("Abluaf", "i"),  # two letters swapped: one edit in 6 letters
        ("Kontakfreqenz", "h"),  # two edits in 15 letters
        ("Vertragsklausln", "c"),
        ("Rabatt Preis", "a"),  # a word found nowhere does not hide the one found
    ],
)
def test_what_reps_type_finds_the_page(typed: str, first: str) -> None:
    [groups] = search(index_of(WORDS), [typed])
    assert pages(groups)[:1] == [first], pages(groups)


@pytest.mark.parametrize("typed", ["Prais", "Ablaf", "Kontaktfrequnez"])
def test_typos_within_the_limit_are_forgiven(typed: str) -> None:
    [groups] = search(index_of(WORDS), [typed])
    assert len(pages(groups)) == 1, typed


@pytest.mark.parametrize(
    "typed",
    [
        "Prxiz",  # two edits in 5 letters
        "Ablxuz",  # two edits in 6 letters
        "Kontaktfrxqxxnz",  # three edits in 15 letters
        "Xreis",  # one edit, but in the first letter
    ],
)
def test_typos_beyond_the_limit_find_nothing(typed: str) -> None:
    [groups] = search(index_of(WORDS), [typed])
    assert pages(groups) == [], typed


def test_four_letters_get_no_typo_eight_one_and_nine_two() -> None:
    docs = [
        page("x.html", "Rabe", "Der Rabe."),
        page("v.html", "Vertrieb", "Der Vertrieb."),
        page("y.html", "Gewinnrate", "Die Gewinnrate."),
    ]
    typed = ["Rabx ", "Vertrxeb ", "Vertrxeg ", "Gewinrxte ", "Gewinnrxtx "]  # a space: no prefix
    four, eight_one, eight_two, nine_two, ten_two = search(index_of(docs), typed)
    assert pages(four) == []
    assert pages(eight_one) == ["v"]
    assert pages(eight_two) == []
    assert pages(nine_two) == ["y"]
    assert pages(ten_two) == ["y"]


def test_an_exact_match_ranks_above_a_typo() -> None:
    [groups] = search(index_of(WORDS), ["Kreis"])
    assert pages(groups) == ["b"]  # "Preis" is one edit away but "Kreis" is there
    docs = [page("p.html", "Preis", "Preis."), page("k.html", "Kreis", "Kreis.")]
    [groups] = search(index_of(docs), ["Preis"])
    assert pages(groups)[0] == "p"


def test_synonyms_widen_the_query_without_being_on_the_page() -> None:
    docs = [page("z.html", "Zahlungsziel", "Bis 30 Tage."), page("o.html", "Other", "Etwas.")]
    index = index_of(docs, synonyms=[["Zahlungsziel", "Payment Terms", "Zahlungsfrist"]])
    [english, german] = search(index, ["payment terms", "Zahlungsfrist"])
    assert pages(english) == ["z"] and pages(german) == ["z"]


def test_page_weights_order_entries_overviews_and_general_pages() -> None:
    docs = [
        page("glossary.html", "Glossar", "Rabatt ist ein Nachlass."),
        page("kinds/index.html", "Alle Wege", "Rabatt und mehr."),
        page("kinds/rabatt.html", "Freigabe", "Rabatt bis 10 %."),
    ]
    boosts = {"glossary.html": 0.6, "kinds/index.html": 0.7, "kinds/rabatt.html": 1.2}
    index = index_of(docs, pages={k: {"boost": v} for k, v in boosts.items()})
    [groups] = search(index, ["Rabatt"])
    assert pages(groups) == ["kinds/rabatt", "kinds/index", "glossary"]


def test_titles_and_snippets_stay_text() -> None:
    """The engine builds no markup: what the index and the search data hold comes back as
    the same text (the search box shows it with textContent)."""
    hostile = '<img src=x onerror="alert(1)">'
    docs = [{"location": "a.html", "title": "<b>Rabatt</b> &amp;", "text": "Rabatt"}]
    index = index_of(docs, pages={"a.html": {"summary": f"Rabatt {hostile}"}})
    [groups] = search(index, ["Rabatt"])
    item = groups[0][0]
    assert item["title"] == "<b>Rabatt</b> &amp;"
    assert item["text"] == f"Rabatt {hostile}"
    [missing] = search(index, [f"Rabatt {hostile}"])
    assert all("<" not in term for term in missing[0][0]["terms"])


# ------------------------------------------------------------------ numbers, teams, situations


def test_the_site_index_knows_units_teams_and_cases(sample: SampleBuild) -> None:
    data = site_index(sample)["config"]["playbook"]
    volume = data["pages"]["escalation-paths/vertragsvolumen-freigabe.html"]
    assert volume["quantities"] == [{"unit": "eur", "minimum": 0, "maximum": None}]
    assert "vertragsvolumen" in volume["terms"]  # the words of its id
    # the decision helper's own reading words, from the i18n file
    assert data["numbers"]["scales"]["k"] == 3 and "tage" in data["numbers"]["units"]["days"]
    [team] = data["teams"]
    assert team["id"] == "oeffentlicher-sektor" and "Öffentlicher Sektor" in team["names"]
    assert team["rules"] == ["non-negotiables/vergabeverfahren-einhalten.html"]
    assert "escalation-paths/rabatt-freigabe.html" in team["pages"]
    assert "Kommunen" in team["words"][0]
    rule = data["pages"]["non-negotiables/vergabeverfahren-einhalten.html"]
    assert rule["summary"].startswith("Im öffentlichen Sektor gilt allein das Vergabeverfahren")
    # the team's own values on the entry it tightens, the rep's reach at each level
    rabatt = data["pages"]["escalation-paths/rabatt-freigabe.html"]["teams"]["oeffentlicher-sektor"]
    assert rabatt.startswith(
        "Verschärft für Team „Öffentlicher Sektor“: du selbst: bis 3\u00a0% (Stufe Einsteiger:in)"
    )
    assert (
        "bis 8\u00a0% (Stufe Senior)" in rabatt
        and "über 25\u00a0% bis 100\u00a0%: Geschäftsführung" in rabatt
    )
    zone = data["pages"]["flexible-zones/kreative-loesungen.html"]["teams"]["oeffentlicher-sektor"]
    assert "Einführungspläne, Pilotphasen und Meilensteine" in zone
    assert "Gegenleistung" not in zone  # the freedom the team takes away
    levels = {lv["id"]: lv for lv in data["levels"]}
    assert set(levels) == {"level:einsteiger", "level:zertifiziert", "level:senior"}
    assert "escalation-paths/rabatt-freigabe.html" in levels["level:senior"]["pages"]
    senior = data["pages"]["escalation-paths/rabatt-freigabe.html"]["teams"]["level:senior"]
    assert "Senior" in senior and "12\u00a0%" in senior
    nebenabreden = data["pages"]["non-negotiables/keine-nebenabreden.html"]
    assert "Zusatzworkshop" in nebenabreden["situations"][0]
    assert (
        "{" not in data["pages"]["non-negotiables/rabatt-obergrenze.html"]["summary"]
    )  # refs filled


def test_the_sample_finds_numbers_compounds_teams_levels_and_situations(
    sample: SampleBuild,
) -> None:
    typed = [
        "80k",
        "80k deal",
        "12 %",
        "60 Tage",
        "Rabattobergrenze",
        "free trial",
        "kunde antwortet nicht mehr",
        "öffentlicher Sektor",
        "Rabatt öffentlicher Sektor",
        "Senior Zahlungsziel",
        "Zahlungsziel",
    ]
    results = dict(zip(typed, search(site_index(sample), typed), strict=True))
    first = {q: pages(groups)[:1] for q, groups in results.items()}
    assert first == {
        "80k": ["escalation-paths/vertragsvolumen-freigabe"],
        "80k deal": ["escalation-paths/vertragsvolumen-freigabe"],
        "12 %": ["escalation-paths/rabatt-freigabe"],
        "60 Tage": ["escalation-paths/zahlungsziel-freigabe"],
        "Rabattobergrenze": ["non-negotiables/rabatt-obergrenze"],
        "free trial": ["flexible-zones/kreative-loesungen"],
        "kunde antwortet nicht mehr": ["flexible-zones/kontaktfrequenz"],
        "öffentlicher Sektor": ["non-negotiables/vergabeverfahren-einhalten"],
        "Rabatt öffentlicher Sektor": ["escalation-paths/rabatt-freigabe"],
        "Senior Zahlungsziel": ["escalation-paths/zahlungsziel-freigabe"],
        "Zahlungsziel": ["escalation-paths/zahlungsziel-freigabe"],
    }
    assert pages(results["80k"]) == ["escalation-paths/vertragsvolumen-freigabe"]
    team = pages(results["öffentlicher Sektor"])[:4]
    assert set(team[1:]) == {
        "escalation-paths/rabatt-freigabe",
        "escalation-paths/zahlungsziel-freigabe",
        "flexible-zones/kreative-loesungen",
    }
    # the snippet: the team's values, the level's reach, else the entry's own answer
    team_snippet = results["Rabatt öffentlicher Sektor"][0][0]["text"]
    assert team_snippet.startswith("Verschärft für Team „Öffentlicher Sektor“: du selbst: bis 3")
    assert "45\u00a0Tage" in results["Senior Zahlungsziel"][0][0]["text"]
    assert "Senior" in results["Senior Zahlungsziel"][0][0]["text"]
    own = results["Zahlungsziel"][0][0]["text"]
    assert "Öffentlicher Sektor" not in own and "Senior" not in own.split("(")[0]


def test_search_data_of_a_teams_own_site(sample: SampleBuild) -> None:
    model = overlay.apply(sample.result.model, "oeffentlicher-sektor")
    data = search_data(model)
    assert "non-negotiables/vergabeverfahren-einhalten.html" in data["pages"]
    rabatt = data["pages"]["escalation-paths/rabatt-freigabe.html"]
    assert (
        "du selbst: bis 3\u00a0% (Stufe Einsteiger:in)" in rabatt["teams"]["oeffentlicher-sektor"]
    )


def test_search_data_lists_a_teams_own_rules_from_the_model(sample: SampleBuild) -> None:
    """Whether or not the site has their pages yet, the team's own non-negotiables are
    search pages of their own, at /non-negotiables/<id>.html."""
    model = sample.result.model
    data = search_data(model)
    own = [n.id for t in model.teams for n in t.non_negotiables]
    assert own and all(f"non-negotiables/{i}.html" in data["pages"] for i in own)
    assert [t["id"] for t in data["teams"]] == [t.id for t in model.teams]


PATHS = [
    page("volumen.html", "Vertragsvolumen", "Wer gibt einen Vertrag frei?"),
    page("rabatt.html", "Rabattfreigabe", "Wer gibt einen Rabatt frei?"),
    page("ziel.html", "Zahlungsziel", "Wer gibt ein Zahlungsziel frei?"),
    page("laufzeit.html", "Laufzeit", "Wer gibt eine Laufzeit frei?"),
    page("deal.html", "Deal", "Ein Deal, ein Deal, noch ein Deal."),
]
QUANTITIES = {
    "volumen.html": {"unit": "eur", "minimum": 0, "maximum": None},
    "rabatt.html": {"unit": "percent", "minimum": 0, "maximum": 100},
    "ziel.html": {"unit": "days", "minimum": 0, "maximum": 180},
    "laufzeit.html": {"unit": "months", "minimum": 12, "maximum": 60},
}


def number_index(language: str = "de") -> dict[str, Any]:
    reading = labels(language)["helper_reading"]
    index = index_of(
        PATHS,
        pages={k: {"quantities": [q], "thresholds": True} for k, q in QUANTITIES.items()},
        numbers=reading,
    )
    index["config"]["lang"] = [language]
    return index


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("80k", "volumen"),  # a multiplier means euros
        ("80 T€", "volumen"),
        ("EUR 80.000,-", "volumen"),
        ("1,2 Mio", "volumen"),
        ("80k deal", "volumen"),  # the number outweighs a word the page does not say
        ("12 %", "rabatt"),
        ("ca. 12 Prozent", "rabatt"),
        ("60 Tage", "ziel"),
        ("6 Wochen", "ziel"),  # 42 days
        ("2 Monate", "ziel"),  # 60 days, within the days path's range; and 2 months ...
        ("net 30", "ziel"),
        ("24 Monate", "laufzeit"),  # ... 720 days is beyond the days path: the months path
        ("3 Jahre", "laufzeit"),
    ],
)
def test_a_number_with_its_unit_finds_the_page_whose_unit_and_range_fit(
    typed: str, first: str
) -> None:
    [groups] = search(number_index(), [typed])
    assert pages(groups)[:1] == [first], (typed, pages(groups))


def test_a_number_fits_only_within_a_quantitys_range() -> None:
    beyond, unclear, bare = search(number_index(), ["150 %", "80,000 EUR", "80000"])
    assert pages(beyond) == []  # the percent path ends at 100 %
    assert pages(unclear) == []  # two readings on a German site: no number read
    assert pages(bare) == []  # a number without its unit names nothing alone (words decide)
    [english] = search(number_index("en"), ["80,000 EUR"])
    assert pages(english)[:1] == ["volumen"]  # the same is one reading on an English site


def test_a_typed_compound_finds_the_page_both_parts_hit() -> None:
    docs = [
        page("a.html", "Rabatte nur im Korridor", "Bis 10 % Rabatt entscheidest du."),
        page("b.html", "Rabattfreigabe", "Rabatt, Rabatt, Rabatt."),
        page("c.html", "Haftung", "Die Haftungsobergrenzen."),
    ]
    index = index_of(docs, pages={"a.html": {"terms": ["rabatt", "obergrenze"]}})
    [groups] = search(index, ["Rabattobergrenze"])
    assert pages(groups)[0] == "a"


TEAM_DOCS = [
    page("paths/rabatt.html", "Rabattfreigabe", "Bis 10 % Rabatt entscheidest du selbst."),
    page("paths/ziel.html", "Zahlungsziel", "Bis 30 Tage entscheidest du selbst."),
    page(
        "rules/vergabe.html", "Nur im Vergabeverfahren", "Halte die Fristen der Ausschreibung ein."
    ),
    page("rules/crm.html", "CRM", "Jeder Kontakt mit Unternehmen steht im CRM."),
]
HOSTILE = '<img src=x onerror="alert(1)">'


def team_index() -> dict[str, Any]:
    return index_of(
        TEAM_DOCS,
        pages={
            "paths/rabatt.html": {
                "summary": "Bis 10 % entscheidest du selbst.",
                "teams": {"oes": f"Verschärft für Team „Öffentlicher Sektor“: bis 3 % {HOSTILE}"},
            },
            "rules/vergabe.html": {"summary": "Im öffentlichen Sektor gilt das Vergabeverfahren."},
        },
        teams=[
            {
                "id": "oes",
                "names": ["Öffentlicher Sektor", "oeffentlicher sektor"],
                "words": ["Für Behörden, Kommunen und öffentliche Unternehmen."],
                "pages": ["paths/rabatt.html", "paths/ziel.html"],
                "rules": ["rules/vergabe.html"],
            }
        ],
    )


def test_a_query_naming_a_team_ranks_its_rules_and_values() -> None:
    named, kommune, rabatt, plain, company = search(
        team_index(),
        ["öffentlicher Sektor", "Kommune", "Rabatt Behörde", "Rabatt", "Unternehmen"],
    )
    assert pages(named)[0] == "rules/vergabe" and set(pages(named)[1:3]) == {
        "paths/rabatt",
        "paths/ziel",
    }
    assert pages(kommune)[0] == "rules/vergabe"  # a word of its description no other page holds
    assert "rules/crm" not in pages(kommune)
    assert pages(rabatt)[0] == "paths/rabatt"
    # the team's values as the snippet when the query names the team, as text
    text = rabatt[0][0]["text"]
    assert text == f"Verschärft für Team „Öffentlicher Sektor“: bis 3 % {HOSTILE}"
    assert plain[0][0]["text"] == "Bis 10 % entscheidest du selbst."  # not named: its own
    # a description word other pages hold too does not name the team
    assert pages(company) == ["rules/crm"]


def test_the_situations_of_cases_count() -> None:
    docs = [
        page("zone.html", "Kontakt", "Wie oft du nachfasst."),
        page("other.html", "Andere Regel", "Ein Kunde schweigt manchmal, dann wartest du."),
    ]
    index = index_of(
        docs,
        pages={"zone.html": {"situations": ["Der Kunde schweigt seit Wochen. Ruf kurz an."]}},
    )
    [groups] = search(index, ["Kunde schweigt"])
    assert pages(groups)[0] == "zone"


def test_negations_and_wishes_tell_nothing() -> None:
    docs = [
        page("a.html", "Antwort", "Keine Antwort vom Kunden."),
        page("b.html", "Mehr", "Nicht mehr, nicht weniger: mehr will keiner, nicht mehr."),
    ]
    [groups] = search(index_of(docs), ["Kunde antwortet nicht mehr"])
    assert pages(groups) == ["a"]


# ------------------------------------------------------------------ the parts


API = """
const e = require(process.argv[1]);
const index = JSON.parse(require("fs").readFileSync(0, "utf8"));
const search = new e.Search(index);
const out = [search.query("Rabatt"), search.query("   "), new e.Search({}).query("Rabatt")];
out.push(search.segments("Die Rabatte, der Rabattkorridor und <b>", search.query("Rabatt").stems));
process.stdout.write(JSON.stringify(out));
"""


def with_engine(script: str, payload: Any) -> Any:
    """What `script` prints, run by node with the engine's path as its argument."""
    assert NODE is not None, "node is missing: `make test` installs it (Debian's npm)"
    done = subprocess.run(
        [NODE, "-e", script, str(search_engine())],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def test_the_engine_answers_queries_and_marks_the_words_they_matched() -> None:
    index = index_of([page("a.html", "Rabatt", "Rabatt.")])
    result, blank, empty, segments = with_engine(API, index)
    assert result["items"][0][0]["location"] == "a.html" and "rabatt" in result["stems"]
    assert blank == {"items": [], "stems": []}
    assert empty == {"items": [], "stems": []}  # an empty index finds nothing, and no error
    # each word whose stem matched, or that holds a matched stem (a compound), is marked;
    # the parts joined are the text again
    assert segments == [
        ["Die ", False], ["Rabatte", True], [", der ", False], ["Rabattkorridor", True],
        [" und <b>", False],
    ]  # fmt: skip


def sample_words() -> list[str]:
    text = " ".join(p.read_text("utf-8") for p in sorted(SAMPLE.rglob("*.yml")))
    text += " ".join(p.read_text("utf-8") for p in sorted((template_dir() / "i18n").glob("*.yml")))
    tricky = (
        "systemen lehrerinnen lehrerin geordnet getickt geplant intern bedürfnissen häufigkeit "
        "ländlich wichtigkeit feuer bauer quelle aktuelle freundlichkeit laufend ergebnissen "
        "kleinst festgelegt angemeldet gearbeitet gesetzt aufeinanderfolgenden vertraege "
        "schoenheit muessen koenig ausländisch heiterkeit"
    )
    return sorted({w.lower() for w in re.findall(r"[^\W\d_]+", f"{text} {tricky}")})


def test_the_german_stemmer_is_snowballs() -> None:
    words = sample_words()
    assert len(words) >= 1500
    script = (
        "const w = require(process.argv[1]);"
        "const words = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        "process.stdout.write(JSON.stringify(words.map(w.snowballGerman)));"
    )
    reference = snowballstemmer.stemmer("german")
    differ = [
        (w, ours, reference.stemWord(w))
        for w, ours in zip(words, with_engine(script, words), strict=True)
        if ours != reference.stemWord(w)
    ]
    assert differ == []
