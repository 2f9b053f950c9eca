"""Every text field of every kind carries every payload; Chromium runs none of them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sales_playbook.commands import build as pipeline

from ..conftest import CASES, TODAY
from ..test_xss import poison

# every payload in every text field (links are refused by validation: see test_xss)
PAYLOADS = [
    "<img src=x onerror=alert(11)>",
    "<svg onload=alert(12)>",
    '<iframe src="javascript:alert(13)"></iframe>',
    "<details open ontoggle=alert(14)>",
    "<style>*{ display: none }</style>",  # (`{display:none}` would be a reference)
    "&lt;img src=x onerror=alert(15)&gt;",
    "<script>alert(16)</script>",
    "Text {: onclick=alert(17) title='<img src=x onerror=alert(18)>' }",
]


GROUPS = [[payload] for payload in PAYLOADS]  # one at a time: every card still fits


@pytest.fixture(scope="module", params=range(len(GROUPS)), ids=lambda i: f"group{i}")
def poisoned_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("matrix")
    source = root / "playbook"
    for path in sorted((CASES / "base").rglob("*.yml")):
        target = source / path.relative_to(CASES / "base")
        target.parent.mkdir(parents=True, exist_ok=True)
        data = poison(yaml.safe_load(path.read_text("utf-8")), " ".join(GROUPS[request.param]))
        target.write_text(yaml.safe_dump(data, allow_unicode=True, width=10_000), "utf-8")
    pipeline.build(source, root / "site", root / "build", TODAY)
    return root / "site"


def test_no_page_runs_a_payload(browser: Any, poisoned_site: Path) -> None:
    pages = sorted(p for p in poisoned_site.rglob("*.html") if p.parent.name != "c")
    assert len(pages) > 15
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    fired: list[str] = []
    page.on(
        "dialog", lambda dialog: (fired.append(f"{page.url}: {dialog.message}"), dialog.dismiss())
    )
    hovered = 0
    for html in pages:
        page.goto(html.as_uri())
        for element in page.locator("article abbr, article [title], article a").all()[:25]:
            if element.is_visible():
                element.hover()
                element.focus()
                hovered += 1
        page.wait_for_timeout(100)
        hostile = "img[src=x], svg[onload], iframe[src^=javascript], details[ontoggle], [onclick]"
        assert page.locator(hostile).count() == 0, html
        content = page.locator("article, .card").first
        assert content.is_visible(), html  # no injected style hid the content
    context.close()
    assert hovered > 50
    assert fired == []
