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
