"""The built site in real headless Chromium, opened from disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
import yaml

from sales_playbook.commands import build as pipeline
from sales_playbook.model.levels import at_level

from .conftest import SAMPLE, TODAY, SampleBuild

HELPER_VECTORS = json.loads((Path(__file__).parent / "vectors" / "helper.json").read_text("utf-8"))


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def search(page: Any, query: str) -> list[str]:
    """The titles the site's search box lists for `query`, typed as a rep types it (the
    engine and the index load on the first use: the box says so until they are there)."""
    page.keyboard.press("/")  # focuses the box, wherever the page is
    box = page.locator("#pb-search-input")
    box.fill("")
    box.type(query, delay=20)
    page.wait_for_function(
        "() => window.playbookSearchEngine && window.playbookSearchIndex"
        " && document.querySelector('.pb-search__meta').textContent.match(/\\d|Kein|No /)"
    )
    return page.locator(".pb-search__title").all_inner_texts()


def test_search_from_file_url_finds_rabatt_without_leaving_the_machine(
    page: Any, sample: SampleBuild
) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((sample.site / "index.html").as_uri())
    assert page.title().startswith("Was darf ich selbst entscheiden?")

    titles = search(page, "Rabatt")

    assert "Rabattfreigabe" in titles
    assert "Rabatte nur im Freigabekorridor" in titles
    assert requests, "the page made no request at all"
    assert [url for url in requests if not url.startswith("file://")] == []


def test_synonym_finds_the_entry(page: Any, sample: SampleBuild) -> None:
    page.goto((sample.site / "index.html").as_uri())
    assert "Rabattfreigabe" in search(page, "Preisnachlass")


def test_entry_links_work_from_disk(page: Any, sample: SampleBuild) -> None:
    page.goto((sample.site / "index.html").as_uri())
    page.get_by_role("link", name="Rabattfreigabe").first.click()
    assert page.url.endswith("escalation-paths/rabatt-freigabe.html")
    assert page.title().startswith("Rabattfreigabe - ")


def german(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def edge_cases(path: Any) -> list[tuple[str, str]]:
    """(typed value, expected decider) at both sides of every band edge."""
    cases = []
    for index, band in enumerate(path.bands):
        if band.up_to is None:
            continue
        cases.append((german(band.up_to), band.decider))
        if index + 1 < len(path.bands):
            step = 1 if path.quantity.unit == "count" else 0.01  # counts are whole numbers
            cases.append((german(band.up_to + step), path.bands[index + 1].decider))
    return cases


def helper_answer(page: Any, typed: str, root: str = ".pb-helper") -> dict[str, Any]:
    """What the helper shows for a typed value, read from the page."""
    page.fill(f"{root} .pb-helper__input", typed)
    answer: dict[str, Any] = page.eval_on_selector(
        root,
        """root => {
          const out = root.querySelector(".pb-helper__output");
          const state = out.querySelector("[data-state]");
          const head = out.querySelector(".pb-helper__answer[data-decider]");
          const understood = out.querySelector(".pb-helper__understood");
          const inferred = out.querySelector(".pb-helper__inferred");
          return {
            state: state ? state.getAttribute("data-state") : null,
            decider: head ? head.getAttribute("data-decider") : null,
            value: understood ? Number(understood.getAttribute("data-value")) : null,
            understood: understood ? understood.textContent : null,
            inferred: inferred ? inferred.textContent : null,
            choices: [...out.querySelectorAll(".pb-helper__choice")].map(b => b.dataset.path),
            examples: [...out.querySelectorAll(".pb-helper__example")].map(k => k.textContent),
            text: out.innerText,
          };
        }""",
    )
    for key in ("text", "understood", "inferred"):  # no-break spaces keep "10 %" on one line
        answer[key] = answer[key] and answer[key].replace("\xa0", " ")
    return answer


def check_row(model: Any, row: dict[str, Any], got: dict[str, Any]) -> bool:
    """The right decider (or outside, can't read, which decision?), never a wrong band."""
    expect = row["expect"]
    if expect == "unreadable":
        return got["state"] == "unreadable" and got["decider"] is None
    if expect == "ask":
        return got["state"] == "ask" and got["decider"] is None and len(got["choices"]) > 1
    if expect == "confirm":  # "Meinst du 1,5 Mio. EUR?": asked, not answered
        return got["state"] == "confirm" and got["decider"] is None
    if got["value"] != row["value"]:
        return False
    if row["path"] == "" and model.entry(row["inferred"]).title not in (got["inferred"] or ""):
        return False
    if expect == "outside":
        return got["state"] == "outside" and got["decider"] is None
    return got["state"] == "answer" and got["decider"] == expect


def choose_view(page: Any, team: str, level: str) -> None:
    """The rep's team and level, as the team switch and the helper's level field set them."""
    page.evaluate(
        "([t, l]) => { playbookView.setTeam(t); playbookView.setLevel(l); }", [team, level]
    )


def run_table(page: Any, site: Path, model: Any, rows: list[dict[str, Any]]) -> list[Any]:
    wrong = []
    for path in sorted({r["path"] for r in rows}):
        url = site / ("escalation-paths/" + path + ".html" if path else "index.html")
        page.goto(url.as_uri())
        for row in (r for r in rows if r["path"] == path):
            choose_view(page, row.get("team", ""), row.get("level") or HELPER_VECTORS["level"])
            got = helper_answer(page, row["text"])
            if row.get("as_typed") and got["state"] == "confirm":  # "Nein, … wie eingegeben"
                page.click(".pb-helper__confirm-no")
                got = helper_answer(page, row["text"])
            if not check_row(model, row, got):
                wrong.append((row, got))
    return wrong


def test_decision_helper_table_of_typed_inputs(page: Any, sample: SampleBuild) -> None:
    rows = HELPER_VECTORS["de"]
    assert len(rows) >= 60
    assert run_table(page, sample.site, sample.result.model, rows) == []


def test_decision_helper_at_every_band_edge(page: Any, sample: SampleBuild) -> None:
    model = sample.result.model
    checked = 0
    for level in [lv.id for lv in model.levels_of(model.rep_role)]:
        at = at_level(model, level)
        for path in at.of_kind("escalation_path"):
            page.goto((sample.site / "escalation-paths" / f"{path.id}.html").as_uri())
            choose_view(page, "", level)
            examples = [x for x in model.entry(path.id).examples if x.level in (None, level)]
            for typed, decider in [
                *edge_cases(path),
                *((german(x.value), x.decider) for x in examples),
            ]:
                assert helper_answer(page, typed)["decider"] == decider, (level, path.id, typed)
                checked += 1
    assert checked >= 90


def test_decision_helper_speaks_to_the_rep_and_names_the_others(
    page: Any, sample: SampleBuild
) -> None:
    page.goto((sample.site / "escalation-paths" / "rabatt-freigabe.html").as_uri())
    choose_view(page, "", "zertifiziert")
    assert helper_answer(page, "10")["text"].startswith("Du entscheidest selbst (bis 10 %)")
    got = helper_answer(page, "ca. 12 %")
    assert got["text"].startswith("Teamleitung Vertrieb entscheidet (über 10 % bis 15 %)")
    assert got["understood"] == "verstanden: ca. 12 %"
    page.goto((sample.site / "escalation-paths" / "vertragsvolumen-freigabe.html").as_uri())
    got = helper_answer(page, "1,2 Mio")
    assert got["text"].startswith("Geschäftsführung entscheidet (über 1.000.000 EUR)")
    assert got["understood"] == "verstanden: 1.200.000 EUR"
    page.goto((sample.site / "escalation-paths" / "zahlungsziel-freigabe.html").as_uri())
    assert helper_answer(page, "2 Monate")["understood"] == "verstanden: 2 Monate = 60 Tage"


def test_decision_helper_says_it_cannot_read_and_shows_two_examples_that_work(
    page: Any, sample: SampleBuild
) -> None:
    for path, typed in [
        ("", "zwei"),
        ("", "2 Stück"),
        ("vertragsvolumen-freigabe", "12 %"),
        ("vertragsvolumen-freigabe", "-80.000"),
        ("rabatt-freigabe", "zwei"),
        ("zahlungsziel-freigabe", "12-15"),
        ("vertragsklausel-freigabe", "1,2,3"),
    ]:
        where = f"escalation-paths/{path}.html" if path else "index.html"
        page.goto((sample.site / where).as_uri())
        got = helper_answer(page, typed)
        assert got["state"] == "unreadable" and got["decider"] is None, (path, typed)
        assert got["text"].startswith("Das kann ich nicht eindeutig lesen."), (path, typed)
        assert len(got["examples"]) == 2, (path, typed)
        for example in got["examples"]:
            assert helper_answer(page, example)["state"] in ("answer", "by-level", "outside"), (
                example
            )
            helper_answer(page, typed)


def test_decision_helper_on_the_start_page_preselects_nothing_and_asks(
    page: Any, sample: SampleBuild
) -> None:
    page.goto((sample.site / "index.html").as_uri())
    choose_view(page, "", "zertifiziert")
    assert page.eval_on_selector(".pb-helper__select", "s => s.value") == ""
    options = page.eval_on_selector_all(".pb-helper__select option", "os => os.map(o => o.text)")
    assert "Wer gibt welchen Rabatt auf den Listenpreis frei?" in options
    got = helper_answer(page, "12")
    assert got["state"] == "ask" and got["decider"] is None
    assert "Um welche Entscheidung geht es?" in got["text"]
    page.click(".pb-helper__choice[data-path=rabatt-freigabe]")
    assert page.eval_on_selector(".pb-helper__select", "s => s.value") == "rabatt-freigabe"
    assert helper_answer(page, "12")["decider"] == "teamleitung"
    page.select_option(".pb-helper__select", "")
    got = helper_answer(page, "12 %")
    assert (got["decider"], got["inferred"]) == (
        "teamleitung",
        "Erkannt an der Einheit: Rabattfreigabe",
    )
    got = helper_answer(page, "3 Monate")
    assert (got["decider"], got["value"]) == ("finanzen", 90)
    page.select_option(".pb-helper__select", "zahlungsziel-freigabe")
    assert helper_answer(page, "sechzig")["state"] == "unreadable"


def test_decision_helper_on_an_english_site(page: Any, tmp_path: Path) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(SAMPLE, source)
    settings = source / "playbook.yml"
    settings.write_text(
        settings.read_text("utf-8").replace("language: de", "language: en"), "utf-8"
    )
    built = pipeline.build(source, tmp_path / "site", tmp_path / "build", TODAY)
    page.goto((tmp_path / "site" / "escalation-paths" / "vertragsvolumen-freigabe.html").as_uri())
    assert page.get_attribute(".pb-helper__input", "placeholder") == "e.g. 80,000"
    got = helper_answer(page, "80,000")
    assert (got["decider"], got["value"]) == ("teamleitung", 80000)
    assert got["understood"] == "understood: EUR 80,000"
    rows = HELPER_VECTORS["en"]
    assert run_table(page, tmp_path / "site", built.model, rows) == []


QUESTIONS = yaml.safe_load((Path(__file__).parent / "search" / "questions.yml").read_text("utf-8"))


# The search box answers as the input changes, at once once the engine and the index are
# loaded (`search` waits for them): set the query, and read the links it lists.
ASK = """query => {
  const box = document.querySelector("#pb-search-input");
  box.value = query;
  box.dispatchEvent(new Event("input", {bubbles: true}));
  return [...document.querySelectorAll(".pb-search__link")].map(a => a.href);
}"""


def result_pages(page: Any, site: Path, query: str) -> list[str]:
    """The pages the search box lists for `query`."""
    hrefs = page.evaluate(ASK, query)
    return [
        Path(urlparse(h).path).relative_to(site).as_posix().removesuffix(".html") for h in hrefs
    ]


def test_the_browser_ranks_rep_questions_as_the_worker_does_in_node(
    page: Any, sample: SampleBuild
) -> None:
    """Every fourth question of tests/search/questions.yml, one of each category at
    least, typed into the real search box: the same pages in the same order as the
    engine gives in node (tests/test_search.py, which holds all of them to the figures)."""
    from .test_search import pages as node_pages
    from .test_search import search as node_search
    from .test_search import site_index

    asked = QUESTIONS[::4] + [
        next(q for q in QUESTIONS if q["cat"] == c) for c in ("typo", "english")
    ]
    assert {q["cat"] for q in asked} == {q["cat"] for q in QUESTIONS}
    site = sample.site.resolve()
    page.goto((site / "index.html").as_uri())
    search(page, "Rabatt")  # waits until the index is loaded
    expected = node_search(site_index(sample), [q["q"] for q in asked])
    differ = []
    for item, groups in zip(asked, expected, strict=True):
        shown = result_pages(page, site, item["q"])
        if shown[:3] != node_pages(groups)[:3]:
            differ.append((item["q"], shown[:3], node_pages(groups)[:3]))
    assert differ == []


def test_the_search_box_is_driven_by_keys(page: Any, sample: SampleBuild) -> None:
    """The keys: "/" or "s" focuses the box from anywhere on the page, arrow keys move through the
    results and back to the box, Escape closes them, Enter opens the first."""
    page.goto((sample.site / "index.html").as_uri())
    page.keyboard.press("s")
    assert page.evaluate("document.activeElement.id") == "pb-search-input"
    titles = search(page, "Rabatt")
    assert len(titles) >= 2 and page.locator("#pb-search-results").is_visible()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.textContent").startswith(titles[1])
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == "pb-search-input"
    page.keyboard.press("Escape")
    assert page.locator("#pb-search-results").is_hidden()
    # the words the query matched are marked, by elements (no markup from the index)
    search(page, "Zahlungsziel")
    assert "Zahlungsziel" in page.locator(".pb-search__title mark").all_inner_texts()
    page.keyboard.press("Enter")
    page.wait_for_url("**/escalation-paths/zahlungsziel-freigabe.html")


def test_search_works_over_http(page: Any, sample: SampleBuild) -> None:
    """Served (the index is a script, as from disk): the same box, the same results."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(sample.site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        page.goto(base + "roles/vertrieb.html")
        assert search(page, "Rabatt")[:2] == ["Rabatte nur im Freigabekorridor", "Rabattfreigabe"]
        href = page.locator(".pb-search__link").first.get_attribute("href")
        assert href == base + "non-negotiables/rabatt-obergrenze.html"
    finally:
        server.shutdown()
        server.server_close()


def test_search_result_shows_the_one_line_answer(page: Any, sample: SampleBuild) -> None:
    page.goto((sample.site / "index.html").as_uri())
    search(page, "Zahlungsziel")
    first = page.locator(".pb-search__item").first.inner_text().replace("\xa0", " ")
    # the answer its bands give (every level's, labelled), not the author's summary
    assert "du selbst: nichts (Stufe Einsteiger:in), bis 30 Tage (Stufe Zertifiziert)" in first
    assert "darüber bis 60 Tage: Teamleitung Vertrieb" in first


def test_onboarding_ticks_persist_in_the_browser(page: Any, sample: SampleBuild) -> None:
    url = (sample.site / "onboarding.html").as_uri()
    page.goto(url)
    onboarding = sample.result.model.onboarding
    assert onboarding is not None
    total = sum(len(week.steps) for week in onboarding.weeks)
    steps = page.locator(".pb-step__done")
    assert steps.count() == total
    assert page.locator("#pb-progress").inner_text() == f"0 von {total} Schritten erledigt"
    page.check("#done-step-1-1")
    page.check("#done-step-3-2")
    page.reload()
    assert page.is_checked("#done-step-1-1") and page.is_checked("#done-step-3-2")
    assert not page.is_checked("#done-step-2-1")
    assert page.locator("#pb-progress").inner_text() == f"2 von {total} Schritten erledigt"
    page.uncheck("#done-step-1-1")
    page.reload()
    assert not page.is_checked("#done-step-1-1")


def test_self_check_answer_opens_on_click(page: Any, sample: SampleBuild) -> None:
    page.goto((sample.site / "onboarding.html").as_uri())
    check = page.locator("#step-1-1 details.pb-check")
    assert not check.locator("p").first.is_visible()
    check.locator("summary").click()
    assert "Teamleitung" in check.locator("p").first.inner_text()


def test_404_page_works_from_disk(page: Any, sample: SampleBuild) -> None:
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto((sample.site / "404.html").as_uri())
    # Material's stylesheet loaded: its header sticks to the top
    position = page.evaluate("getComputedStyle(document.querySelector('.md-header')).position")
    assert position == "sticky"
    assert page.locator(".md-header").is_visible()
    assert [url for url in requests if not url.startswith("file://")] == []
    home = page.locator(".md-header__button.md-logo").get_attribute("href")
    assert home is not None and not home.startswith("/")
