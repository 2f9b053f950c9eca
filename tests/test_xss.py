"""Hostile text in any field never reaches a page or a card as markup."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.site.search_index import INDEX_SCRIPT
from sales_playbook.source import check as pipeline
from sales_playbook.source import links

from .conftest import ENGINES, TODAY
from .test_browser import search

PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "img-onerror": "<img src=x onerror=alert(2)>",
    "js-link": "[k](javascript:alert(3))",
    "data-link": "[d](data:text/html,x)",
    "raw-anchor": "<a href=javascript:alert(4) onclick=b()>a</a>",
}
TEXT_KEYS = {
    "title", "summary", "rule", "why", "instead", "on_breach", "description", "name",
    "channel", "note", "decision", "question", "evidence", "metric", "goal", "intro",
    "definition", "term", "hypothesis", "measure", "time_box", "stop_condition", "report",
    "stage_from", "stage_to", "organisation", "version",
}  # fmt: skip
TEXT_LISTS = {
    "do", "dont", "freedoms", "examples", "disqualifiers", "principles", "actions",
    "exit_criteria", "synonyms", "keywords",
}  # fmt: skip
UNSAFE_URL = re.compile(r"^\s*(javascript|data|vbscript):", re.I)


class Markup(HTMLParser):
    """Collects what a browser would execute: scripts, event handlers, unsafe URLs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_script = tag == "script"
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action", "formaction") and UNSAFE_URL.match(value or ""):
                self.found.append(f"<{tag} {name}={value}>")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:40]}")


def hostile(page: str) -> list[str]:
    parser = Markup()
    parser.feed(page)
    return parser.found


def poison(value: Any, payload: str, key: str = "") -> Any:
    if isinstance(value, dict):
        return {k: poison(v, payload, k) for k, v in value.items()}
    if isinstance(value, list):
        if key in TEXT_LISTS:
            return [f"{v} {payload}" for v in value]
        return [poison(v, payload, key) for v in value]
    if key in TEXT_KEYS and isinstance(value, str):
        return f"{value} {payload}"
    return value


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("attack", sorted(PAYLOADS))
def test_no_hostile_markup_in_site_or_cards(
    attack: str, engine: str, base_playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With either engine: our own step sanitises what the engine built (issue 28)."""
    for path in base_playbook.rglob("*.yml"):
        data = poison(yaml.safe_load(path.read_text("utf-8")), PAYLOADS[attack])
        path.write_text(yaml.safe_dump(data, allow_unicode=True, width=10_000), "utf-8")
    site = tmp_path / "site"
    if attack.endswith("-link"):
        # validation refuses such links already ...
        with pytest.raises(PlaybookError) as refused:
            pipeline.check(base_playbook, TODAY)
        assert {p.rule for p in refused.value.problems} == {"broken-link"}
        # ... and the sanitizer would still catch one that slipped through
        monkeypatch.setattr(links, "check", lambda source: [])

    commands_build.build(base_playbook, site, tmp_path / "build", TODAY, engine=engine)

    pages = list(site.rglob("*.html"))
    assert len(pages) > 20
    found = {
        f"{page.relative_to(site)}: {h}" for page in pages for h in hostile(page.read_text("utf-8"))
    }
    assert found == set()
    if attack == "script":  # the text itself is still there, shown as text
        view = (site / "non-negotiables" / "preisregel.html").read_text("utf-8")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in view
    # the search index is data in a script: no text in it can close or open an element
    index = (site / INDEX_SCRIPT).read_text("utf-8")
    assert "<" not in index and "</script" not in index.lower()


def test_the_sanitiser_cleans_what_lies_between_the_first_and_last_content_mark() -> None:
    from sales_playbook.site.marks import END, START, mark_content
    from sales_playbook.site.sanitize import clean_page

    page = mark_content('---\ntitle: "x"\n---\n\n# X\n')
    assert page.startswith('---\ntitle: "x"\n---\n') and page.index(START) < page.index("# X")
    assert page.rstrip().endswith(END)
    built = (
        f"<html><head><script src=theme.js></script></head><body>{START}"
        f'<p><a href="javascript:alert(1)">k</a></p>{END}<p onclick="x()">{END}'
        f"<img src=x onerror=alert(2)>{END}<footer>theme</footer></body></html>"
    )
    cleaned = clean_page(built)
    assert cleaned is not None
    assert hostile(cleaned) == []  # a forged end mark inside is cleaned with the rest
    assert "<script src=theme.js></script>" in cleaned  # the engine's own page stays
    assert cleaned.endswith("<footer>theme</footer></body></html>")
    assert START not in cleaned and END not in cleaned
    assert clean_page("<html><body><p onclick=x()>no marks</p></body></html>") is None
    # nothing loads from another host: an image's outside source is dropped
    outside = clean_page(f'{START}<img src="https://evil.example/t.png" alt="t">{END}') or ""
    assert "evil.example" not in outside and 'alt="t"' in outside


def test_hostile_text_in_search_results_stays_text(
    base_playbook: Path, tmp_path: Path, browser: Any
) -> None:
    """Every payload at once in every text, found by the search box: its titles and
    snippets are text (textContent), no element or handler of theirs reaches the page."""
    payload = " ".join(v for k, v in sorted(PAYLOADS.items()) if not k.endswith("-link"))
    for path in base_playbook.rglob("*.yml"):
        data = poison(yaml.safe_load(path.read_text("utf-8")), payload)
        path.write_text(yaml.safe_dump(data, allow_unicode=True, width=10_000), "utf-8")
    site = tmp_path / "site"
    commands_build.build(base_playbook, site, tmp_path / "build", TODAY)
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.goto((site / "index.html").as_uri())
        search(page, "Preis")
        shown = page.locator(".pb-search__panel").inner_text()
        assert "<img src=x onerror=alert(2)>" in shown  # the text, as text
        found = page.evaluate(
            "() => document.querySelectorAll('.pb-search img, .pb-search script, .pb-search a a,"
            " .pb-search [onerror], .pb-search [onclick]').length"
        )
        assert found == 0 and dialogs == []
    finally:
        context.close()
