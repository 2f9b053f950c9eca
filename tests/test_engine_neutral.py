"""What the site step hands the engine holds nothing only MkDocs understands (issue 28):
links in the generated Markdown are relative to the page, so any engine that reads
`mkdocs.yml` (MkDocs, Zensical) resolves them."""

from __future__ import annotations

import re

from sales_playbook.site.render import relative_links

from .conftest import SampleBuild

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
