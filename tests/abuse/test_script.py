"""No field runs script in a browser: tooltips, attribute lists, the site address."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.source import check

from ..conftest import CASES, TODAY

TOOLTIP_PAYLOADS = [
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(2)>",
    "&lt;img src=x onerror=alert(3)&gt;",
    "<details open ontoggle=alert(4)>",
    '<iframe src="javascript:alert(5)">',
]


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), "utf-8")


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Payloads in glossary definitions (abbreviation tooltips) and an attr-list title."""
    root = tmp_path_factory.mktemp("hostile")
    source = root / "playbook"
    shutil.copytree(CASES / "base", source)
    glossary = source / "glossary.yml"
    terms = "".join(
        f"  - id: wort{i}\n    term: Wort{i}\n    abbreviation: W{i}X\n"
        f"    definition: {json.dumps(payload)}\n"
        for i, payload in enumerate(TOOLTIP_PAYLOADS)
    )
    glossary.write_text(glossary.read_text("utf-8") + terms, "utf-8")
    mentions = " ".join(f"W{i}X" for i in range(len(TOOLTIP_PAYLOADS)))
    replace_in(
        source / "non-negotiables" / "preisregel.yml",
        "why: Marge.",
        f'why: "Marge. {mentions}.\\n\\nHinweis {{: title=\\"<img src=x onerror=alert(9)>\\" }}"',
    )
    commands_build.build(source, root / "site", root / "build", TODAY)
    return root / "site"


def test_tooltips_show_hostile_text_as_text(browser: Any, hostile_site: Path) -> None:
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto((hostile_site / "non-negotiables" / "preisregel.html").as_uri())
    shown: list[str] = []
    for element in page.locator("article abbr, article [title]").all():
        element.scroll_into_view_if_needed()
        element.hover()
        page.wait_for_timeout(150)  # Material shows its tooltip on hover
        shown += page.locator(".md-tooltip, .md-tooltip2").all_inner_texts()
    assert len(shown) >= len(TOOLTIP_PAYLOADS)
    assert dialogs == []
    hostile = "img[src=x], svg[onload], iframe[src^=javascript], details[ontoggle]"
    assert page.locator(hostile).count() == 0
    tooltips = " ".join(shown)
    # the hostile text is shown, as text
    assert sum(payload in tooltips for payload in TOOLTIP_PAYLOADS) >= 2, tooltips
    page.close()


def with_site_url(tmp_path: Path, line: str) -> Path:
    """A copy of the base playbook whose `site_url` line reads `line`."""
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    text = (source / "playbook.yml").read_text("utf-8")
    start = text.index("site_url:")
    end = text.index("\n", start)
    (source / "playbook.yml").write_text(text[:start] + line + text[end:], "utf-8")
    return source


@pytest.mark.parametrize(
    "address",
    [
        'https://x/"><script>alert(101)</script>/',
        "https://x/<svg onload=alert(1)>/",
        "javascript:alert(1)//x/",
        "https://x/`y`/",
    ],
)
def test_a_site_address_that_could_carry_markup_is_refused(address: str, tmp_path: Path) -> None:
    source = with_site_url(tmp_path, f"site_url: '{address}'")
    with pytest.raises(PlaybookError) as raised:
        check.check(source, TODAY)
    assert any(p.rule == "bad-value" and "site_url" in p.json_path for p in raised.value.problems)


def test_short_links_work_under_a_sub_path(tmp_path: Path) -> None:
    source = with_site_url(tmp_path, "site_url: https://example.org/playbook/")
    commands_build.build(source, tmp_path / "site", tmp_path / "build", TODAY)
    redirects = sorted((tmp_path / "site" / "c").glob("*.html"))
    assert redirects
    for redirect in redirects:
        html = redirect.read_text("utf-8")
        target = html.split("url=", 1)[1].split('"', 1)[0]
        assert not target.startswith("../playbook/"), target
        assert (redirect.parent / target).resolve().is_file(), target
