"""The built sample site: pages, content, navigation, atomic output."""

from __future__ import annotations

import gzip
import re
from html import unescape
from pathlib import Path

import pytest

from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.site import pageviews, render, templates
from sales_playbook.site.search_index import INDEX_SCRIPT, index_script_data
from sales_playbook.site.templates import FOLDER_OF_KIND
from sales_playbook.source import check

from .conftest import SAMPLE, TODAY, SampleBuild, tree_digest

KIND_FOLDERS = sorted(FOLDER_OF_KIND.values())


def html(sample: SampleBuild, page: str) -> str:
    return (sample.site / page).read_text("utf-8")


def visible_text(page_html: str) -> str:
    body = page_html.split('<article class="md-content__inner', 1)[-1]
    body = re.sub(r"</?(abbr|a|strong|em)\b[^>]*>", "", body)  # inline: no word break
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def test_every_entry_has_a_page_with_owner_and_review_date(sample: SampleBuild) -> None:
    model = sample.result.model
    assert len(model.entries) == 21
    for entry in model.entries:
        text = visible_text(html(sample, f"{FOLDER_OF_KIND[entry.kind]}/{entry.id}.html"))
        owner = model.role(entry.owner).name
        assert f"Verantwortlich: {owner}" in text, entry.id
        assert f"Zuletzt geprüft: {entry.last_reviewed:%d.%m.%Y}" in text, entry.id
        assert entry.title in text


def test_sample_meets_the_minimum_content(sample: SampleBuild) -> None:
    model = sample.result.model
    counts = {kind: len(model.of_kind(kind)) for kind in {e.kind for e in model.entries}}
    assert counts["non_negotiable"] >= 8
    assert counts["flexible_zone"] >= 5
    assert counts["escalation_path"] >= 4
    assert counts["qualification_rule"] >= 2
    assert counts["underperformance"] >= 1
    assert len(model.roles) >= 5
    assert len(model.terms) >= 15
    assert model.onboarding is not None and len(model.onboarding.weeks) == 4
    procedure = model.of_kind("underperformance")[0]
    assert [s.name for s in procedure.steps] == ["Klarstellen", "Unterstützen", "Entscheiden"]


def test_overview_role_glossary_onboarding_and_tag_pages_exist(sample: SampleBuild) -> None:
    pages = [f"{f}/index.html" for f in KIND_FOLDERS]
    pages += ["index.html", "roles/index.html", "glossary.html", "onboarding.html", "tags.html"]
    pages += ["board.html"]  # the delegation board
    pages += ["changes.html"]  # the sample is in a git checkout
    if (sample.site / "changelog.html").exists():  # when its history has a change of meaning
        pages += ["changelog.html", "neu.html"]  # and what is new, for each reader
    pages += [f"roles/{r.id}.html" for r in sample.result.model.roles]
    for page in pages:
        assert (sample.site / page).is_file(), page
    own = [n for team in sample.result.model.teams for n in team.non_negotiables]
    assert own  # a team's own rule has a page of its own on the organisation's site
    for rule in own:
        assert (sample.site / "non-negotiables" / f"{rule.id}.html").is_file()
    assert sample.result.pages == len(pages) + len(sample.result.model.entries) + len(own)


def test_start_page_answers_what_may_i_decide(sample: SampleBuild) -> None:
    text = visible_text(html(sample, "index.html"))
    assert "Was darf ich selbst entscheiden?" in text
    assert "Rabattfreigabe: bis 10 %" in text
    assert "Zahlungsziel: bis 30 Tage" in text
    # each cell carries its label, shown where a phone stacks the band as a card
    assert "über 10 % bis 15 % Entscheidet: Teamleitung Vertrieb Antwortzeit: 1 Tag" in text
    for rule in (e.rule for e in sample.result.model.of_kind("non_negotiable")):
        assert rule[:40] in text


def test_role_page_lists_what_the_role_decides(sample: SampleBuild) -> None:
    text = visible_text(html(sample, "roles/teamleitung.html"))
    # a band that holds at some levels of the rep only names them
    assert "Rabattfreigabe über 10 % bis 15 % (bei Account Executive: Zertifiziert) 1 Tag" in text
    assert (
        "Zahlungsziel über 30 Tage bis 60 Tage (bei Account Executive: Einsteiger:in,"
        " Zertifiziert) 1 Tag"
    ) in text
    assert "Vertragsvolumen über 50.000 EUR bis 250.000 EUR 1 Tag" in text
    assert "Eskaliert an: Vertriebsleitung" in text


def test_navigation_stays_small(sample: SampleBuild) -> None:
    nav = re.search(
        r'<nav class="md-nav md-nav--primary".*?</nav>', html(sample, "index.html"), re.S
    )
    assert nav
    links = re.findall(r'class="md-nav__link[^"]*"', nav.group(0))
    assert len(links) <= 12


def test_keywords_reach_the_search_index(sample: SampleBuild) -> None:
    index = (sample.site / INDEX_SCRIPT).read_text("utf-8")
    assert "Preisnachlass" in index
    assert '"lang":["de"]' in index.replace(" ", "")


def test_search_index_leaves_out_listings_of_entries(sample: SampleBuild) -> None:
    index = index_script_data((sample.site / INDEX_SCRIPT).read_text("utf-8"))
    locations = [doc["location"] for doc in index["docs"]]
    # meta pages (the changelog, the tags listing) are none of the search's
    meta = ("changes.html", "neu.html", "changelog.html", "tags.html")
    assert not [loc for loc in locations if loc.startswith(meta)]
    # entries are found on their own pages, not again in lists that repeat them
    assert not [loc for loc in locations if loc.endswith("#siehe-auch")]
    assert not [loc for loc in locations if loc.startswith("tags.html")]
    assert [loc for loc in locations if loc.startswith("roles/teamleitung")] == [
        "roles/teamleitung.html"  # the role's own description stays searchable
    ]
    assert [loc for loc in locations if loc.startswith("index.html")] == ["index.html"]
    overview = next(d for d in index["docs"] if d["location"] == "non-negotiables/index.html")
    assert "Rabatte nur im Freigabekorridor" not in overview["text"]
    # the entry pages themselves are all there
    for entry in sample.result.model.entries:
        assert f"{FOLDER_OF_KIND[entry.kind]}/{entry.id}.html" in locations


def test_start_page_shortens_long_lists(tmp_path: Path) -> None:
    from bench.generate import generate

    model = check.check(generate(80, tmp_path / "playbook"), TODAY).model
    start = render.render_docs(model)["index.md"]
    rules = model.of_kind("non_negotiable")
    assert len(rules) > pageviews.START_LIST
    # (the start page links relative to itself: `/non-negotiables/x.md` as `non-negotiables/x.md`)
    shown = [e for e in rules if f"]({templates.entry_url(e).lstrip('/')})" in start]
    assert len(shown) == pageviews.START_LIST
    assert f"[Alle {len(rules)} anzeigen →](non-negotiables/index.md)" in start


def test_pages_carry_only_the_abbreviations_they_use(sample: SampleBuild) -> None:
    docs = render.render_docs(sample.result.model)
    page = docs["escalation-paths/zahlungsziel-freigabe.md"]
    assert "*[Zahlungsziel]: " in page  # the page's own subject
    assert "*[MEDDIC]: " not in page  # a term the page never mentions
    assert docs["glossary.md"].count("*[") >= len(sample.result.model.terms)


def test_site_is_offline(sample: SampleBuild) -> None:
    hosts = set()
    for page in sample.site.rglob("*.html"):
        for url in re.findall(r'(?:src|href)="(https?:[^"]+)"', page.read_text("utf-8")):
            hosts.add(url)
    # only the canonical link to the site's own public URL may be absolute
    assert {u for u in hosts if not u.startswith("https://playbook.nordlicht.example/")} == set()
    index = html(sample, "index.html")
    assert "fonts.googleapis" not in index
    assert "unpkg.com" not in index
    assert "assets/javascripts/search.js" in index  # our search, in the page: no shim


def test_failed_build_keeps_the_previous_site(tmp_path: Path, base_playbook: Path) -> None:
    site, build = tmp_path / "site", tmp_path / "build"
    commands_build.build(base_playbook, site, build, TODAY)
    before = tree_digest(site)
    (base_playbook / "flexible-zones" / "ansprache.yml").write_text("id: [kaputt\n", "utf-8")
    with pytest.raises(PlaybookError) as raised:
        commands_build.build(base_playbook, site, build, TODAY)
    assert raised.value.problems[0].rule == "yaml-syntax"
    assert tree_digest(site) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build", "playbook", "site"]


def test_rebuild_replaces_the_site_whole(tmp_path: Path, base_playbook: Path) -> None:
    site, build = tmp_path / "site", tmp_path / "build"
    commands_build.build(base_playbook, site, build, TODAY)
    (site / "stale.html").write_text("alt", "utf-8")
    commands_build.build(base_playbook, site, build, TODAY)
    assert not (site / "stale.html").exists()
    assert (site / "index.html").is_file()


def public(source: Path) -> None:
    settings = source / "playbook.yml"
    settings.write_text(settings.read_text("utf-8") + "public: true\n", "utf-8")


@pytest.mark.parametrize("opted_in", [False, True], ids=["private", "public: true"])
def test_a_site_is_private_unless_the_playbook_opts_in(
    base_playbook: Path, tmp_path: Path, opted_in: bool
) -> None:
    """Internal limits stay out of search engines: every page says noindex, robots.txt
    turns every crawler away, and there is no sitemap; `public: true` has none of that."""
    if opted_in:
        public(base_playbook)
    commands_build.build(base_playbook, tmp_path / "site", tmp_path / "build", TODAY)
    site = tmp_path / "site"
    pages = list(site.rglob("*.html"))
    noindex = '<meta name="robots" content="noindex, nofollow">'
    assert len(pages) > 10
    assert all((noindex in p.read_text("utf-8")) != opted_in for p in pages)
    robots = site / "robots.txt"
    if opted_in:
        assert not robots.exists() and (site / "sitemap.xml").is_file()
    else:
        assert robots.read_text("utf-8") == "User-agent: *\nDisallow: /\n"
        assert not list(site.glob("sitemap.xml*"))


def test_sample_is_the_default_source() -> None:
    assert (SAMPLE / "playbook.yml").is_file()


def test_two_builds_are_byte_identical_and_dated_by_the_sources(
    tmp_path: Path, base_playbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    public(base_playbook)  # a public site has a sitemap, which is dated
    trees = []
    for n, today in enumerate([TODAY, TODAY.replace(day=TODAY.day + 1)]):
        site = tmp_path / f"site{n}"
        commands_build.build(base_playbook, site, tmp_path / f"build{n}", today)
        trees.append(tree_digest(site))
    assert trees[0] == trees[1]
    assert len(trees[0]) > 30
    sitemap = gzip.decompress(trees[0]["sitemap.xml.gz"]).decode()
    # not a git checkout: the newest review date of the sources, not the build day
    assert "<lastmod>2026-01-15</lastmod>" in sitemap


def test_glossary_terms_are_explained_on_hover(sample: SampleBuild) -> None:
    page = html(sample, "escalation-paths/zahlungsziel-freigabe.html")
    assert (
        '<abbr title="Anzahl Tage zwischen Rechnungsdatum und Fälligkeit.">Zahlungsziel</abbr>'
        in page
    )
    assert re.search(
        r'<abbr title="Customer-Relationship-Management-System: [^"]+">CRM</abbr>', page
    )


def test_recently_changed_page_from_git_history(sample: SampleBuild) -> None:
    text = visible_text(html(sample, "changes.html"))
    assert "Zuletzt geändert" in text
    assert "Rabattfreigabe" in text
    assert 'href="changes.html"' in html(sample, "index.html")


def test_no_changes_page_outside_a_git_checkout(tmp_path: Path, base_playbook: Path) -> None:
    commands_build.build(base_playbook, tmp_path / "site", tmp_path / "build", TODAY)
    assert not (tmp_path / "site" / "changes.html").exists()
    assert "changes.html" not in (tmp_path / "site" / "index.html").read_text("utf-8")


def test_overdue_entries_show_a_notice(tmp_path: Path, base_playbook: Path) -> None:
    late = TODAY.replace(year=TODAY.year + 1)
    commands_build.build(base_playbook, tmp_path / "site", tmp_path / "build", late)
    page = (tmp_path / "site" / "non-negotiables" / "preisregel.html").read_text("utf-8")
    assert "Prüfung überfällig" in visible_text(page)
