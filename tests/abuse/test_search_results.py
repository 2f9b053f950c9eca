"""What reaches the search results stays text: a summary (the snippet), an entry's
hidden keywords and a glossary synonym, each carrying script, searched in Chromium."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from sales_playbook.commands import build as pipeline

from ..conftest import SAMPLE, TODAY
from ..test_browser import search

SUMMARY = (
    'Zebrafant <img src=x onerror="document.title=1"> </script><script>document.title=2</script>'
)
KEYWORD = "</script><script>document.title=3</script>"
SYNONYM = "<svg onload=document.title=4>"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile-search")
    source = root / "playbook"
    shutil.copytree(SAMPLE, source)
    # a zone's summary is its snippet (a path's snippet is the answer its bands give)
    zone = source / "flexible-zones" / "kreative-loesungen.yml"
    text = zone.read_text("utf-8")
    text = re.sub(r"^summary: .*$", f"summary: '{SUMMARY}'", text, count=1, flags=re.M)
    zone.write_text(text, "utf-8")
    entry = source / "escalation-paths" / "rabatt-freigabe.yml"
    text = entry.read_text("utf-8")
    text = re.sub(r"^keywords: \[", f"keywords: ['{KEYWORD}', ", text, count=1, flags=re.M)
    entry.write_text(text, "utf-8")
    glossary = source / "glossary.yml"
    old = "synonyms: [Nachlass, Preisnachlass, Discount]"
    assert old in glossary.read_text("utf-8")
    glossary.write_text(
        glossary.read_text("utf-8").replace(old, f"synonyms: [Nachlass, '{SYNONYM}', Discount]"),
        "utf-8",
    )
    pipeline.build(source, root / "site", root / "build", TODAY)
    return root / "site"


def first_result(page: Any, query: str) -> str:
    search(page, query)
    return str(page.locator(".pb-search__item").first.inner_text())


def test_hostile_text_in_results_is_shown_and_never_run(browser: Any, site: Path) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((site / "index.html").as_uri())
    title = page.title()
    assert SUMMARY in first_result(page, "Zebrafant")  # the snippet, as text
    assert "Rabattfreigabe" in first_result(page, "script")  # found by the hidden keyword
    assert SYNONYM in first_result(page, "svg onload")  # the glossary, as text
    results = page.locator(".pb-search")
    assert results.locator("img, script, svg[onload]").count() == 0
    assert page.title() == title and dialogs == []
    page.close()
