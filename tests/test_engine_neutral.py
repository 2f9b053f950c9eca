"""What the site step hands the engine holds nothing only MkDocs understands (issue 28):
links in the generated Markdown are relative to the page, so any engine that reads
`mkdocs.yml` (MkDocs, Zensical) resolves them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from sales_playbook.site.render import relative_links

from .conftest import SampleBuild, ZensicalBuild

LINK = re.compile(r"(?<!\\)\]\(([^)\s]+)")


def test_generated_markdown_links_only_relative_to_the_page(sample: SampleBuild) -> None:
    docs = sample.build / "docs"
    pages = sorted(docs.rglob("*.md"))
    assert len(pages) >= 40
    links = 0
    for page in pages:
        for target in LINK.findall(page.read_text("utf-8")):
            if "://" in target or target.startswith(("#", "mailto:")):
                continue
            assert not target.startswith("/"), (page.relative_to(docs), target)
            resolved = (page.parent / target.split("#")[0]).resolve()
            assert resolved.is_file() and docs.resolve() in resolved.parents, (page, target)
            links += 1
    assert links > 500  # the pages link to each other a lot: this is not vacuous


def test_a_docs_absolute_link_is_made_relative_to_where_the_page_is() -> None:
    page = (
        "[Team](/roles/teamleitung.md) · [Tafel](/board.md#x) · \\](/kein-link) · [w](//x.invalid)"
    )
    assert relative_links(page, "escalation-paths/rabatt-freigabe.md") == (
        "[Team](../roles/teamleitung.md) · [Tafel](../board.md#x) · \\](/kein-link) · "
        "[w](//x.invalid)"
    )
    assert relative_links("[Team](/roles/teamleitung.md)", "index.md") == (
        "[Team](roles/teamleitung.md)"
    )


def test_zensical_builds_the_generated_docs_without_a_broken_link(
    sample: SampleBuild, tmp_path: Path
) -> None:
    """The docs tree the site step writes, built by Zensical (Material's successor, which
    reads mkdocs.yml): every page, and not one link it cannot resolve. MkDocs-only parts
    of the configuration (our hook, the theme overrides) are left out: Zensical ignores
    hooks, and moving what they do into our own step is the rest of issue 28."""
    zensical = shutil.which("zensical", path=str(Path(sys.executable).parent))
    assert zensical is not None, "make test installs zensical (the test extra)"
    project = tmp_path / "project"
    shutil.copytree(sample.build / "docs", project / "docs")
    config = yaml.safe_load((sample.build / "mkdocs.yml").read_text("utf-8"))
    config.pop("hooks", None)
    config["theme"].pop("custom_dir", None)
    config.update(docs_dir="docs", site_dir="site")
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), "utf-8")
    done = subprocess.run(
        [zensical, "build", "-f", "mkdocs.yml"], cwd=project, capture_output=True, text=True,
        timeout=300, env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Warning" not in output and "does not exist" not in output, output[:2000]
    built = {p.relative_to(project / "site") for p in (project / "site").rglob("*.html")}
    by_mkdocs = {p.relative_to(sample.site) for p in sample.site.rglob("*.html")}
    assert built == by_mkdocs


def test_our_search_works_from_disk_on_a_zensical_build(
    zensical_sample: ZensicalBuild, sample: SampleBuild, browser: Any
) -> None:
    """Our search box and index need nothing of the engine's search: on the site Zensical
    built (whose own search box our stylesheet hides), opened from disk, the box finds
    what it finds on the MkDocs build, and no request leaves the machine."""
    from .test_browser import search

    site = zensical_sample.site
    html = (site / "index.html").read_text("utf-8")
    assert "assets/javascripts/search.js" in html and 'data-md-component="search"' in html
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.goto((site / "index.html").as_uri())
        assert page.locator(".md-search").is_hidden()  # Zensical's own
        titles = search(page, "Zahlungsziel")
        assert titles[0] == "Zahlungsziel"
        page.keyboard.press("Enter")
        page.wait_for_url("**/escalation-paths/zahlungsziel-freigabe.html")
        assert [url for url in requests if not url.startswith("file://")] == []
    finally:
        context.close()
