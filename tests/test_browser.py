"""The built site in real headless Chromium, opened from disk."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import SampleBuild


@pytest.fixture
def page(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def search(page: Any, query: str) -> list[str]:
    box = page.locator("input[data-md-component=search-query]")
    box.click()
    # the index loads asynchronously; type again until the worker has answered
    for _ in range(20):
        box.fill("")
        box.type(query, delay=20)
        try:
            page.wait_for_selector(".md-search-result__item", timeout=500)
            break
        except Exception:
            continue
    return page.locator(".md-search-result__item h1").all_inner_texts()


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
            cases.append((german(band.up_to + 0.01), path.bands[index + 1].decider))
    return cases


def test_decision_helper_at_every_band_edge(page: Any, sample: SampleBuild) -> None:
    model = sample.result.model
    checked = 0
    for path in model.of_kind("escalation_path"):
        page.goto((sample.site / "escalation-paths" / f"{path.id}.html").as_uri())
        for typed, decider in [
            *edge_cases(path),
            *((german(x.value), x.decider) for x in path.examples),
        ]:
            page.fill(".pb-helper__input", typed)
            answer = page.locator(".pb-helper__decider").inner_text()
            assert answer == model.role(decider).name, (path.id, typed)
            checked += 1
    assert checked >= 30


def test_decision_helper_on_the_start_page_understands_german_numbers(
    page: Any, sample: SampleBuild
) -> None:
    page.goto((sample.site / "index.html").as_uri())
    page.select_option(".pb-helper__select", "vertragsvolumen-freigabe")
    page.fill(".pb-helper__input", "80.000 EUR")
    assert page.locator(".pb-helper__decider").inner_text() == "Teamleitung Vertrieb"
    page.select_option(".pb-helper__select", "zahlungsziel-freigabe")
    page.fill(".pb-helper__input", "60 Tage")
    assert page.locator(".pb-helper__decider").inner_text() == "Teamleitung Vertrieb"
    page.fill(".pb-helper__input", "sechzig")
    assert "Bitte eine Zahl eingeben" in page.locator(".pb-helper__output").inner_text()
