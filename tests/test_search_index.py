"""The site's search index, read from the built pages (site/search_index.py): the
sections of each page's article, the same from either engine's markup."""

from __future__ import annotations

from pathlib import Path

from sales_playbook.site.search_index import (
    INDEX_SCRIPT,
    html_pages,
    index_script_data,
    page_sections,
    search_index,
    write_search,
)

from .conftest import SampleBuild


def built(article: str, before: str = "", title: str = "Seite - Playbook") -> str:
    """A page as the engines write one: the theme around the article."""
    return (
        f'<html lang="de"><head><title>{title}</title></head><body><header class="md-header">'
        '<nav class="md-header__inner">Kopf</nav></header><main><div class="md-content">'
        f'{before}<article class="md-content__inner md-typeset">{article}</article></div>'
        "</main><footer>Fuß</footer></body></html>"
    )


def test_a_page_is_split_at_its_headings_with_an_id() -> None:
    html = built(
        '<nav class="md-tags"><a class="md-tag">preise</a></nav>'
        '<h1 id="rabatt">Rabatt<a class="headerlink" href="#rabatt">¶</a></h1>'
        "<p>Bis 5&nbsp;% <strong>du</strong> selbst.</p><ul><li>a</li><li>b</li></ul>"
        '<h2 id="baender">Bänder</h2><table><tr><td>bis 5</td><td>du</td></tr></table>'
        "<h3>Ohne Id</h3><p>bleibt im Abschnitt</p>"
    )
    assert page_sections(html, "x/rabatt.html") == [
        {"location": "x/rabatt.html", "title": "Rabatt", "text": "Bis 5\u00a0% du selbst. a b"},
        {
            "location": "x/rabatt.html#baender",
            "title": "Bänder",
            "text": "bis 5 du Ohne Id bleibt im Abschnitt",
        },
    ]


def test_what_is_marked_stays_out() -> None:
    html = built(
        '<h1 id="t">Titel</h1><p>sichtbar <span data-pb-unsearched="">versteckt</span></p>'
        '<div data-pb-unsearched><div>innen</div>danach <h2 id="drin">Drin</h2>auch</div>'
        "<p>wieder da</p>"
        '<h2 id="liste" data-pb-unsearched>Liste</h2><p>Einträge</p>'
        '<h2 id="weiter">Weiter</h2><script>alert("x")</script><p>Text</p>'
    )
    assert page_sections(html, "p.html") == [
        {"location": "p.html", "title": "Titel", "text": "sichtbar wieder da"},
        {"location": "p.html#weiter", "title": "Weiter", "text": "Text"},
    ]


def test_a_heading_inside_an_element_gives_back_to_its_section_when_it_closes() -> None:
    html = built(
        '<h1 id="t">Titel</h1><p>vorher</p><details><summary>Mehr</summary>'
        '<h3 id="innen">Innen</h3><p>drinnen</p></details><p>nachher</p>'
    )
    assert page_sections(html, "p.html") == [
        {"location": "p.html", "title": "Titel", "text": "vorher Mehr nachher"},
        {"location": "p.html#innen", "title": "Innen", "text": "drinnen"},
    ]


def test_text_before_the_first_heading_and_a_page_without_one() -> None:
    html = built('<a id="__skip"></a> <p>Vorspann</p><h2 id="a">A</h2><p>a</p>')
    assert page_sections(html, "p.html") == [
        {"location": "p.html", "title": "Seite", "text": "Vorspann"},
        {"location": "p.html#a", "title": "A", "text": "a"},
    ]
    assert page_sections(built("<p>nur Text</p>"), "q.html") == [
        {"location": "q.html", "title": "Seite", "text": "nur Text"}
    ]


def test_pages_that_are_no_content_give_nothing() -> None:
    assert page_sections("<html><body><p>Karte</p></body></html>", "c/x.html") == []
    marked = built('<div class="pb-unsearched"></div><h1 id="t">Tags</h1><p>alles</p>')
    assert page_sections(marked, "tags.html") == []


def test_text_stays_text() -> None:
    hostile = "&lt;img src=x onerror=alert(1)&gt;"
    html = built(f'<h1 id="t">&lt;b&gt;Titel&lt;/b&gt;</h1><p>{hostile}</p>')
    [section] = page_sections(html, "p.html")
    assert section["title"] == "<b>Titel</b>"
    assert section["text"] == "<img src=x onerror=alert(1)>"


def test_the_index_lists_pages_as_the_navigation_orders_them(tmp_path: Path) -> None:
    for name in ("b.html", "index.html", "404.html", "z/index.html", "a/x.html", "a/index.html"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(built(f'<h1 id="t">{name}</h1>'), "utf-8")
    assert html_pages(tmp_path) == [
        "index.html", "b.html", "a/index.html", "a/x.html", "z/index.html"
    ]  # fmt: skip
    write_search(tmp_path, {"pages": {"b.html": {"boost": 1}}})
    index = index_script_data((tmp_path / INDEX_SCRIPT).read_text("utf-8"))
    assert index["config"] == {"lang": ["de"], "playbook": {"pages": {"b.html": {"boost": 1}}}}
    assert [d["location"] for d in index["docs"]] == html_pages(tmp_path)


def test_the_sample_index_from_mkdocs_and_from_zensical(
    sample: SampleBuild, zensical_sample: SampleBuild
) -> None:
    """Both engines' pages give the same index: every page and section, its title and
    text (what is left out is marked with an attribute of ours, which both keep)."""
    ours = search_index(sample.site, {})
    theirs = search_index(zensical_sample.site, {})
    assert ours["config"]["lang"] == theirs["config"]["lang"] == ["de"]

    def pages(index: dict[str, object]) -> dict[str, str]:
        docs = index["docs"]
        assert isinstance(docs, list)
        return {d["location"]: d["title"] for d in docs if "#" not in d["location"]}

    assert pages(ours) == pages(theirs)
    assert len(pages(ours)) == 40  # the meta pages, the 404 page and the cards are none
    assert "tags.html" not in pages(ours) and "cards/index.html" not in pages(ours)
    assert ours["docs"] == theirs["docs"]
    assert len(ours["docs"]) > 100  # the sections as well
