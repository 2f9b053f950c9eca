"""The delegation board: its data, each team's, its page (in Chromium at 1280 and 375 px,
with the header's team switch) and its poster PDF."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sales_playbook.cards import poster
from sales_playbook.cli import main
from sales_playbook.errors import PlaybookError
from sales_playbook.model.overlay import apply
from sales_playbook.model.playbook import EscalationPath, Level, Playbook, Role
from sales_playbook.resources import template_dir
from sales_playbook.site.board import (
    DELEGATION,
    DELEGATION_COLOURS,
    Board,
    Cell,
    Glance,
    _level_keys,
    board,
)
from sales_playbook.site.render import render_docs
from sales_playbook.source import check
from sales_playbook.text import labels

from .conftest import SAMPLE, TODAY, SampleBuild, run_main
from .pdfdraw import drawn

A3 = (1190.55, 841.89)
A2 = (1683.78, 1190.55)


@pytest.fixture(scope="module")
def model() -> Playbook:
    return check.check(SAMPLE, TODAY).model


@pytest.fixture(scope="module")
def sample_board(model: Playbook) -> Board:
    return board(model)


def cell(shown: Board, entry: str, column: str) -> Cell:
    row = next(r for r in shown.rows if r.entry.id == entry)
    index = next(i for i, c in enumerate(shown.columns) if c.label == column)
    return row.cells[index]


AE = "Account Executive · {}"


def words(text: str) -> str:
    return text.replace("\xa0", " ")  # amounts keep their unit on the line: "10\xa0%"


# the data ------------------------------------------------------------------------------


def test_columns_are_roles_and_a_levelled_role_has_one_per_level(sample_board: Board) -> None:
    labels_ = [c.label for c in sample_board.columns]
    assert labels_[:4] == [
        AE.format("Einsteiger:in"),
        AE.format("Zertifiziert"),
        AE.format("Senior"),
        "Teamleitung Vertrieb",
    ]
    assert [c.level for c in sample_board.columns[:3]] == ["einsteiger", "zertifiziert", "senior"]
    assert len(labels_) == 3 + 7  # the other seven roles have no levels


def test_rows_are_paths_then_zones_in_force(model: Playbook, sample_board: Board) -> None:
    paths = [e.id for e in model.of_kind("escalation_path")]
    zones = [e.id for e in model.of_kind("flexible_zone")]
    assert [r.entry.id for r in sample_board.rows] == paths + zones
    assert all(len(r.cells) == len(sample_board.columns) for r in sample_board.rows)


@pytest.mark.parametrize(
    ("level", "limit"),
    [("Einsteiger:in", "5 %"), ("Zertifiziert", "10 %"), ("Senior", "12 %")],
)
def test_the_rep_decides_the_discount_up_to_the_level_s_limit(
    sample_board: Board, level: str, limit: str
) -> None:
    got = cell(sample_board, "rabatt-freigabe", AE.format(level))
    assert (got.part, words(got.text)) == ("decides", f"entscheidet bis {limit}")


def test_the_band_above_the_rep_says_where_it_starts_at_each_level(sample_board: Board) -> None:
    got = cell(sample_board, "rabatt-freigabe", "Teamleitung Vertrieb")
    assert got.part == "decides"
    assert words(got.pieces[0][1]) == (
        "entscheidet über 5 % bis 15 % (bei Einsteiger:in), über 10 % bis 15 % "
        "(bei Zertifiziert), über 12 % bis 15 % (bei Senior)"
    )
    assert got.pieces[1][0] == "informed"


def test_consulted_and_informed_cells(sample_board: Board) -> None:
    finance = cell(sample_board, "rabatt-freigabe", "Finanzen & Controlling")
    assert (finance.part, words(finance.text)) == (
        "consulted",
        "wird konsultiert: über 15 % bis 100 %",
    )
    lead = cell(sample_board, "vertragsvolumen-freigabe", "Teamleitung Vertrieb")
    assert words(lead.text) == (
        "entscheidet über 50.000 EUR bis 250.000 EUR; wird informiert: bis 50.000 EUR"
    )
    team = cell(sample_board, "vertragsklausel-freigabe", "Teamleitung Vertrieb")
    assert (team.part, words(team.text)) == ("informed", "wird informiert: 1 bis 2")
    assert cell(sample_board, "rabatt-freigabe", "Revenue Operations") == Cell("")


def test_zone_cells_for_the_rep_at_each_level_and_empty_for_others(sample_board: Board) -> None:
    assert cell(sample_board, "messaging", AE.format("Einsteiger:in")).text == "entscheidet frei"
    partly = cell(sample_board, "kreative-loesungen", AE.format("Zertifiziert"))
    assert (partly.part, partly.text) == (
        "free",
        "entscheidet frei (3 von 4 Freiheiten; alle ab Senior)",
    )
    assert cell(sample_board, "kreative-loesungen", AE.format("Senior")).text == (
        "entscheidet frei"
    )
    assert cell(sample_board, "kreative-loesungen", "Teamleitung Vertrieb") == Cell("")


def test_rows_carry_their_delegation_level(sample_board: Board) -> None:
    steps = {r.entry.id: r.delegation for r in sample_board.rows}
    assert steps["rabatt-freigabe"] == "inquire"
    assert steps["messaging"] == "delegate"
    assert sample_board.delegations == ("consult", "agree", "advise", "inquire", "delegate")


def test_a_role_without_levels_in_a_playbook_without_levels(model: Playbook) -> None:
    plain = dataclasses.replace(
        model, roles=tuple(dataclasses.replace(r, levels=()) for r in model.roles)
    )
    path = next(e for e in model.entries if e.id == "vertragsvolumen-freigabe")
    shown = board(dataclasses.replace(plain, entries=(path,)))
    assert shown.columns[0].label == "Account Executive"
    assert words(shown.rows[0].cells[0].text) == "entscheidet bis 50.000 EUR"


# at a glance, and each team's board ------------------------------------------------------


def lines(glance: Glance) -> list[tuple[str, str]]:
    """A glance that differs by level as (short names, text) lines."""
    return [(", ".join(k.short for k in line.levels), words(line.text)) for line in glance.levels]


def test_a_cell_at_a_glance_is_the_range_decided_or_one_word(sample_board: Board) -> None:
    rep = cell(sample_board, "rabatt-freigabe", AE.format("Zertifiziert"))
    assert [(g.part, words(g.text)) for g in rep.glance] == [("decides", "bis 10 %")]
    assert not rep.more  # "entscheidet bis 10 %" says nothing more: the cell does not open
    finance = cell(sample_board, "vertragsvolumen-freigabe", "Finanzen & Controlling")
    assert [(g.part, g.text) for g in finance.glance] == [("consulted", "konsultiert")]
    assert finance.more  # its range is in the words
    lead = cell(sample_board, "vertragsvolumen-freigabe", "Teamleitung Vertrieb")
    assert [(g.part, words(g.text)) for g in lead.glance] == [
        ("decides", "über 50.000 EUR bis 250.000 EUR"),
        ("informed", "informiert"),
    ]
    assert cell(sample_board, "messaging", AE.format("Senior")).glance == (Glance("free", "frei"),)
    partly = cell(sample_board, "kreative-loesungen", AE.format("Einsteiger:in"))
    assert [g.text for g in partly.glance] == ["frei (3 von 4)"] and partly.more


def test_a_cell_that_differs_by_level_has_a_short_line_per_level(sample_board: Board) -> None:
    lead = cell(sample_board, "rabatt-freigabe", "Teamleitung Vertrieb")
    decides, informed = lead.glance
    assert decides.text == "" and lines(decides) == [
        ("E", "über 5 % bis 15 %"),
        ("Z", "über 10 % bis 15 %"),
        ("S", "über 12 % bis 15 %"),
    ]
    assert [k.name for line in decides.levels for k in line.levels] == [
        "Einsteiger:in",
        "Zertifiziert",
        "Senior",
    ]
    assert (informed.part, informed.text) == ("informed", "informiert")
    assert lead.more
    payment = cell(sample_board, "zahlungsziel-freigabe", "Teamleitung Vertrieb")
    assert lines(payment.glance[0]) == [
        ("E", "bis 60 Tage"),
        ("Z", "über 30 Tage bis 60 Tage"),
        ("S", "über 45 Tage bis 60 Tage"),
    ]
    assert [k.short for k in sample_board.level_keys] == ["E", "Z", "S"]


def test_levels_are_named_by_the_shortest_start_no_other_level_shares() -> None:
    names = ["Senior", "Spezialist", "Sp", "X"]
    keys = _level_keys([Level(f"l{i}", name, "", None) for i, name in enumerate(names)])
    assert [k.short for k in keys.values()] == ["Se", "Spe", "Sp", "X"]


TEAM = "oeffentlicher-sektor"


@pytest.fixture(scope="module")
def team_board(sample_board: Board) -> Board:
    [shown] = sample_board.teams
    return shown


def test_the_organisation_s_board_shows_by_default_and_each_team_s_at_every_level(
    sample_board: Board, team_board: Board
) -> None:
    assert sample_board.classes.split() == [
        "pb-view",
        "pb-view-team--org",
        "pb-view-level--any",
        "pb-view--default",
    ]
    assert sample_board.default and sample_board.team is None
    assert team_board.team is not None and team_board.team.name == "Öffentlicher Sektor"
    assert team_board.classes.split() == [
        "pb-view",
        f"pb-view-team--{TEAM}",
        "pb-view-level--any",
    ]
    assert not team_board.default
    assert sample_board.views == (sample_board, team_board)
    assert team_board.columns == sample_board.columns  # levels stay columns


@pytest.mark.parametrize(
    ("level", "limit"),
    [("Einsteiger:in", "3 %"), ("Zertifiziert", "5 %"), ("Senior", "8 %")],
)
def test_a_team_s_board_has_its_stricter_discount_marked(
    team_board: Board, sample_board: Board, level: str, limit: str
) -> None:
    got = cell(team_board, "rabatt-freigabe", AE.format(level))
    assert (words(got.text), got.stricter) == (f"entscheidet bis {limit}", True)
    assert not cell(sample_board, "rabatt-freigabe", AE.format(level)).stricter


def test_a_team_s_board_marks_only_what_the_team_changes(team_board: Board) -> None:
    lead = cell(team_board, "rabatt-freigabe", "Teamleitung Vertrieb")
    assert lines(lead.glance[0]) == [
        ("E", "über 3 % bis 10 %"),
        ("Z", "über 5 % bis 10 %"),
        ("S", "über 8 % bis 10 %"),
    ]
    assert lead.stricter
    assert not cell(team_board, "rabatt-freigabe", "Geschäftsführung").stricter  # unchanged
    volume = next(r for r in team_board.rows if r.entry.id == "vertragsvolumen-freigabe")
    assert volume.why == "" and not any(c.stricter for c in volume.cells)
    rabatt = next(r for r in team_board.rows if r.entry.id == "rabatt-freigabe")
    assert rabatt.why.startswith("Öffentliche Auftraggeber vergleichen Angebote")


def test_a_team_s_zone_counts_its_freedoms_against_the_organisation_s(team_board: Board) -> None:
    for level in ("Einsteiger:in", "Senior"):
        got = cell(team_board, "kreative-loesungen", AE.format(level))
        assert [g.text for g in got.glance] == ["frei (2 von 4)"]
        assert got.text == "entscheidet frei (2 von 4 Freiheiten)"
        assert got.stricter


def test_a_team_s_own_site_shows_the_team_s_board_by_default(model: Playbook) -> None:
    own = board(apply(model, TEAM))
    assert own.teams == () and own.team is not None and own.team.id == TEAM
    assert own.default and f"pb-view-team--{TEAM}" in own.classes.split()
    assert words(cell(own, "rabatt-freigabe", AE.format("Senior")).text) == "entscheidet bis 8 %"


# the scale's colours and names ---------------------------------------------------------


def luminance(colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


@pytest.mark.parametrize("step", DELEGATION)
def test_each_step_s_colour_has_readable_text_and_the_site_uses_the_same(step: str) -> None:
    fill, ink = DELEGATION_COLOURS[step]
    light, dark = sorted((luminance(fill), luminance(ink)), reverse=True)
    assert (light + 0.05) / (dark + 0.05) >= 4.5
    css = (template_dir() / "assets" / "stylesheets" / "board.css").read_text("utf-8")
    assert f".pb-delegation--{step} {{ background: {fill}; color: {ink}; }}" in css


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_scale_is_named_in_both_languages(language: str) -> None:
    levels = labels(language)["delegation_levels"]
    assert list(levels) == list(DELEGATION)
    assert all(set(v) == {"name", "text"} for v in levels.values())


# the page ------------------------------------------------------------------------------


def test_the_page_escapes_titles_and_keeps_the_table_one_html_block(model: Playbook) -> None:
    path = next(e for e in model.entries if e.id == "rabatt-freigabe")
    hostile = dataclasses.replace(path, title="<img src=x onerror=alert(1)>\n\n*Rabatt*")
    entries = tuple(hostile if e is path else e for e in model.entries)
    [team] = model.teams
    bad = "<script>alert(2)</script>\n\n"
    hostile_team = dataclasses.replace(
        team,
        name=f"{bad}Team",
        tightenings=tuple(dataclasses.replace(t, why=f"{bad}why") for t in team.tightenings),
    )
    levels = tuple(
        dataclasses.replace(
            r, levels=tuple(dataclasses.replace(lv, name=f'"{bad}' + lv.name) for lv in r.levels)
        )
        for r in model.roles
    )
    shown = dataclasses.replace(model, entries=entries, teams=(hostile_team,), roles=levels)
    page = render_docs(shown)["board.md"]
    tables = page[page.index('<div class="pb-boards"') : page.rindex("</table>")]
    assert "<img" not in page and "<script>" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; *Rabatt*" in tables
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Team" in tables  # the team's note
    assert "&lt;script&gt;alert(2)&lt;/script&gt; why" in tables  # its reason
    assert 'title="&#34;&lt;script&gt;alert(2)&lt;/script&gt; Einsteiger:in"' in tables
    assert "\n\n" not in tables  # a blank line would end the HTML block


def test_the_page_has_a_block_per_team_and_only_the_default_one_may_be_indexed(
    model: Playbook,
) -> None:
    page = str(render_docs(model)["board.md"])
    blocks = re.findall(r'<div class="pb-board (pb-view [^"]*)"( data-pb-unsearched)?>', page)
    assert blocks == [
        ("pb-view pb-view-team--org pb-view-level--any pb-view--default", ""),
        (f"pb-view pb-view-team--{TEAM} pb-view-level--any", " data-pb-unsearched"),
    ]
    assert page.count("<table") == 2


def test_start_page_and_every_role_page_link_the_board(model: Playbook) -> None:
    docs = render_docs(model)
    assert "](board.md)" in docs["index.md"]
    for page in (f"roles/{r.id}.md" for r in model.roles):
        assert "](../board.md)" in docs[page], page


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    yield context.new_page()
    context.close()


@pytest.fixture
def page_wide(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def visible_heads(page: Any) -> list[str]:
    heads = page.locator("thead .pb-board__role")
    return [
        " ".join(heads.nth(i).inner_text().split())
        for i in range(heads.count())
        if heads.nth(i).is_visible()
    ]


def row_cells(page: Any, title: str) -> list[str]:
    """The visible board's cells of a decision's row, as they read at a glance."""
    row = page.locator(".pb-board:visible tbody tr", has_text=title)
    cells = row.locator("td")
    return [" ".join(words(cells.nth(i).inner_text()).split()) for i in range(cells.count())]


def choose_team(page: Any, name: str) -> None:
    page.locator("#pb-team-switch").select_option(label=name)


def test_at_375_px_one_role_column_shows_and_the_choice_switches_it(
    phone: Any, sample: SampleBuild, sample_board: Board
) -> None:
    phone.goto((sample.site / "board.html").as_uri())
    choice = phone.locator("select.pb-board__select")
    assert choice.is_visible()
    assert visible_heads(phone) == [AE.format("Einsteiger:in")]
    rows = phone.locator(".pb-board:visible tbody tr").count()
    assert rows == len(sample_board.rows)  # the organisation's board only
    assert phone.locator(".pb-board__col-1:visible").count() == 1 + rows  # heading + rows
    assert phone.locator(".pb-board__col-2:visible").count() == 0

    choice.select_option(label="Finanzen & Controlling")
    assert visible_heads(phone) == ["Finanzen & Controlling"]
    rabatt = phone.locator(".pb-board:visible tbody tr", has_text="Rabattfreigabe")
    assert rabatt.locator(".pb-board__role:visible").inner_text().strip().endswith("konsultiert")
    width = phone.evaluate("document.querySelector('.pb-board').scrollWidth")
    assert width <= 375  # nothing to scroll sideways

    phone.reload()  # the choice is kept on the device
    assert visible_heads(phone) == ["Finanzen & Controlling"]

    choose_team(phone, "Öffentlicher Sektor")  # the same column of the team's board
    choice.select_option(label="Teamleitung Vertrieb")
    assert visible_heads(phone) == ["Teamleitung Vertrieb"]
    got = " ".join(rabatt.locator(".pb-board__role:visible").inner_text().split())
    assert "E: über 3 % bis 10 %" in words(got)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


def test_at_375_px_the_header_keeps_its_title_and_labels_the_team_switch(
    phone: Any, sample: SampleBuild
) -> None:
    phone.goto((sample.site / "board.html").as_uri())
    title = phone.locator(".md-header__title")
    assert title.bounding_box()["width"] >= 120
    name = phone.locator(".md-header__topic:first-child .md-ellipsis")
    assert name.inner_text() == "Vertriebs-Playbook"
    # the whole name shows, not "Vert…"
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth")
    label = phone.locator(".pb-team-switch__label")
    assert label.is_visible() and label.inner_text() == "Team"
    box = label.bounding_box()
    assert box["width"] >= 20 and box["height"] >= 10 and box["x"] >= 0
    select = phone.locator("#pb-team-switch")
    assert select.bounding_box()["x"] + select.bounding_box()["width"] <= 375
    header = phone.locator(".md-header").bounding_box()
    assert box["y"] + box["height"] <= header["y"] + header["height"]  # inside the header
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("width", [600, 800, 1280])
def test_the_team_switch_is_labelled_at_every_width(
    browser: Any, sample: SampleBuild, width: int
) -> None:
    context = browser.new_context(viewport={"width": width, "height": 740})
    try:
        page = context.new_page()
        page.goto((sample.site / "board.html").as_uri())
        label = page.locator(".pb-team-switch__label")
        assert label.is_visible() and label.bounding_box()["width"] >= 20
        assert page.locator(".md-header__title").bounding_box()["width"] >= 120
    finally:
        context.close()


FITS = """() => {
  const table = [...document.querySelectorAll('.pb-board__table')].find(t => t.offsetParent);
  const box = table.parentElement;
  const right = box.getBoundingClientRect().right;
  const heads = [...table.querySelectorAll('thead th')].map(th => th.getBoundingClientRect());
  return {scroll: table.scrollWidth, width: box.clientWidth,
          overflow: getComputedStyle(box).overflowX,
          cut: heads.filter(h => h.right > right + 0.5).length, heads: heads.length};
}"""


def test_at_1280_px_the_board_fits_its_column_with_every_column_whole(
    page_wide: Any, sample: SampleBuild
) -> None:
    page_wide.goto((sample.site / "board.html").as_uri())
    assert not page_wide.locator("select.pb-board__select").is_visible()
    assert len(visible_heads(page_wide)) == 10
    page_wide.get_by_role("link", name=re.compile("Als Poster")).wait_for()
    fits = page_wide.evaluate(FITS)
    assert fits["heads"] == 11 and fits["cut"] == 0
    assert fits["scroll"] <= fits["width"], fits  # no column cut off or scrolled away
    assert fits["overflow"] == "auto"  # nothing clipped: a wider board would scroll
    # cells are short: the team lead's discount cell (once 20 lines) at most 7 lines
    lead = page_wide.locator(".pb-board:visible tbody tr", has_text="Rabattfreigabe").locator(
        "td.pb-board__col-4"
    )
    line = float(lead.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
    assert lead.bounding_box()["height"] <= 8 * line
    # every cell opened to its words still fits
    page_wide.evaluate(
        "document.querySelectorAll('.pb-board:not([data-pb-unsearched]) details')"
        ".forEach(d => d.open = true)"
    )
    fits = page_wide.evaluate(FITS)
    assert fits["scroll"] <= fits["width"], fits


def test_the_first_column_stays_when_a_wide_board_scrolls(
    page_wide: Any, sample: SampleBuild
) -> None:
    page_wide.goto((sample.site / "board.html").as_uri())
    box = page_wide.locator(".pb-board:visible").first
    box.evaluate("e => { e.style.width = '480px'; e.scrollLeft = 300; }")  # very many roles
    assert box.evaluate("e => e.scrollLeft") > 0
    left = box.evaluate("e => e.getBoundingClientRect().left")
    decisions = box.locator(".pb-board__decision")
    for i in (0, 1, decisions.count() - 1):  # the head and rows
        assert decisions.nth(i).bounding_box()["x"] == pytest.approx(left, abs=1.5)
    # the cells scroll under it, and the decision is painted above them
    first = box.locator("tbody td.pb-board__col-1").first
    assert first.bounding_box()["x"] < left
    assert decisions.nth(1).evaluate("e => getComputedStyle(e).position") == "sticky"


def test_with_a_team_chosen_the_board_shows_its_values(page_wide: Any, sample: SampleBuild) -> None:
    page_wide.goto((sample.site / "board.html").as_uri())
    assert row_cells(page_wide, "Rabattfreigabe")[:3] == ["bis 5 %", "bis 10 %", "bis 12 %"]
    choose_team(page_wide, "Öffentlicher Sektor")
    rabatt = row_cells(page_wide, "Rabattfreigabe")
    assert rabatt[:3] == ["bis 3 % verschärft", "bis 5 % verschärft", "bis 8 % verschärft"]
    assert rabatt[3].startswith("E: über 3 % bis 10 % Z: über 5 % bis 10 % S: über 8 % bis 10 %")
    assert page_wide.locator(".pb-board:visible").count() == 1
    note = page_wide.locator(".pb-board:visible .pb-board__team")
    assert "Öffentlicher Sektor" in note.inner_text()
    assert page_wide.locator(".pb-board:visible .pb-board__cell--stricter").count() >= 10
    volume = page_wide.locator(".pb-board:visible tbody tr", has_text="Vertragsvolumen")
    assert volume.locator(".pb-board__stricter").count() == 0
    fits = page_wide.evaluate(FITS)
    assert fits["scroll"] <= fits["width"], fits

    page_wide.reload()  # the choice is kept on the device
    assert row_cells(page_wide, "Rabattfreigabe")[2] == "bis 8 % verschärft"
    choose_team(page_wide, "Gesamte Organisation")
    assert row_cells(page_wide, "Rabattfreigabe")[:3] == ["bis 5 %", "bis 10 %", "bis 12 %"]


def test_a_team_chosen_before_the_page_loads_shows_from_the_start(
    browser: Any, sample: SampleBuild
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = context.new_page()
        page.goto((sample.site / "board.html").as_uri())
        site = page.evaluate("window.playbookDecisions.site")
        page.evaluate(f"localStorage.setItem('playbook:' + {site!r} + ':team', {TEAM!r})")
        page.reload()
        assert row_cells(page, "Rabattfreigabe")[0] == "bis 3 % verschärft"
        assert page.locator("#pb-team-switch").input_value() == TEAM
    finally:
        context.close()


def test_a_cell_opens_to_its_words_without_scripts(browser: Any, sample: SampleBuild) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 800}, java_script_enabled=False
    )
    try:
        page = context.new_page()
        page.goto((sample.site / "board.html").as_uri())
        cell_ = page.locator(".pb-board:visible tbody tr", has_text="Rabattfreigabe").locator(
            "td.pb-board__col-4"
        )
        said = cell_.locator(".pb-board__words")
        assert not said.is_visible()
        cell_.locator("summary").click()
        assert said.is_visible()
        text = words(said.inner_text())
        assert "entscheidet über 5 % bis 15 % (bei Einsteiger:in)" in text
        assert "wird informiert:" in text
        level = cell_.locator("abbr").first
        assert (level.inner_text(), level.get_attribute("title")) == ("E", "Einsteiger:in")
        # without scripts the organisation's board shows, and only it
        assert page.locator(".pb-board:visible").count() == 1
        fits = page.evaluate(FITS)
        assert fits["scroll"] <= fits["width"], fits
    finally:
        context.close()


def test_without_scripts_the_whole_table_is_there_to_scroll(
    browser: Any, sample: SampleBuild
) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto((sample.site / "board.html").as_uri())
        assert len(visible_heads(page)) == 10
        assert page.evaluate("document.querySelector('.pb-board').scrollWidth") > 375
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()


@pytest.mark.parametrize("width", [375, 1280])
def test_the_team_s_board_with_its_cells_open_is_accessible(
    browser: Any, sample: SampleBuild, width: int
) -> None:
    from .test_a11y import serious, violations

    context = browser.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto((sample.site / "board.html").as_uri())
        choose_team(page, "Öffentlicher Sektor")
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        assert serious(violations(page)) == []
    finally:
        context.close()


# the poster ----------------------------------------------------------------------------


def squeezed(text: str) -> str:
    """Text without spaces, line breaks and hyphens: a poster's words wrap and hyphenate."""
    return re.sub(r"[\s\-\u00ad]", "", text)


def poster_text(pdf: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return reader, squeezed("".join(p.extract_text() for p in reader.pages))


def assert_whole_board(
    reader: PdfReader, text: str, model: Playbook, size: tuple[float, ...]
) -> None:
    assert len(reader.pages) == 1  # nothing ran over onto a second page
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(size[0], abs=1)
    assert float(box.height) == pytest.approx(size[1], abs=1)
    for role in model.roles:
        assert squeezed(role.name) in text, role.name
    for entry in [*model.of_kind("escalation_path"), *model.of_kind("flexible_zone")]:
        assert squeezed(entry.title) in text, entry.title
    for name in ("Einsteiger:in", "Zertifiziert", "Senior", "Anweisen", "Delegieren"):
        assert squeezed(name) in text


def test_the_site_carries_the_a3_poster_and_links_it(model: Playbook, sample: SampleBuild) -> None:
    pdf = (sample.site / "cards" / "delegation-board.pdf").read_bytes()
    reader, text = poster_text(pdf)
    assert_whole_board(reader, text, model, A3)
    assert squeezed("entscheidet bis 12 %") in text
    page = (sample.site / "board.html").read_text("utf-8")
    assert 'href="cards/delegation-board.pdf"' in page


def test_the_poster_s_column_heads_are_not_hyphenated(model: Playbook, sample: SampleBuild) -> None:
    """Each word of a column head that fits its column whole is printed whole ("Executive",
    not "Executi-ve"); only a word too wide for it even at the smallest size may break."""
    text = PdfReader(sample.site / "cards" / "delegation-board.pdf").pages[0].extract_text()
    first_row = board(model, teams=False).rows[0].entry.title
    heads = text[text.index("Entscheidung") : text.index(first_row)].split()
    labels = [c.label for c in board(model, teams=False).columns]
    wanted = {w for label in labels for w in label.split() if w.isalpha() and len(w) <= 16}
    assert {"Executive", "Teamleitung", "Vertriebsleitung", "Geschäftsführung"} <= wanted
    assert wanted <= set(heads)
    assert not [w for w in heads if w.endswith("\u00ad") and w[:-1] in " ".join(wanted)]


def _table_share(pdf: bytes) -> float:
    """How much of the page's height the table's lines span (the poster's only strokes)."""
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    ys = [y for path in drawn(page) if path.stroked for y in path.ys]
    return (max(ys) - min(ys)) / float(page.mediabox.height)


def test_a_board_of_a_few_decisions_is_printed_large_and_fills_the_page(
    model: Playbook, tmp_path: Path
) -> None:
    """The starter's two decisions: large text, the table down to the legend, dated."""
    today = dt.date.today()  # the starter is reviewed the day it is made
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()):
        assert main(["init", str(tmp_path / "org")]) == 0  # init takes no --today
    starter = check.check(tmp_path / "org" / "playbook", today).model
    assert len(board(starter, teams=False).rows) < 6
    small, full = poster.lay_out(starter, "a3"), poster.lay_out(model, "a3")
    assert small.font_pt >= 2 * full.font_pt
    assert _table_share(small.pdf) > 0.6  # a tiny table on an empty page spanned 12 %
    text = PdfReader(io.BytesIO(small.pdf)).pages[0].extract_text()
    # "Stand" says as of when: the newest review, then the version (a bare "Stand 1" did not)
    assert f"Stand {today:%d.%m.%Y} · Version 1" in " ".join(text.split())


def test_playbook_board_writes_an_a2_poster(model: Playbook, tmp_path: Path) -> None:
    out = tmp_path / "poster" / "board.pdf"
    code, _, err = run_main("board", str(SAMPLE), "--paper", "a2", "--out", str(out))
    assert code == 0, err
    assert f"wrote {out}" in err
    reader, text = poster_text(out.read_bytes())
    assert_whole_board(reader, text, model, A2)


def test_board_refuses_an_out_that_is_no_pdf(tmp_path: Path) -> None:
    code, _, err = run_main("board", str(SAMPLE), "--out", str(tmp_path))
    assert code == 2
    assert "name a .pdf file" in err


def test_a_board_too_long_for_the_page_is_an_error_naming_what_falls_off(model: Playbook) -> None:
    path = next(e for e in model.entries if e.id == "rabatt-freigabe")
    assert isinstance(path, EscalationPath)
    many = tuple(
        dataclasses.replace(path, id=f"rabatt-{n}", title=f"Rabatt Nummer {n}") for n in range(40)
    )
    crowded = dataclasses.replace(model, entries=(*model.entries, *many))
    with pytest.raises(PlaybookError) as raised:
        poster.lay_out(crowded, "a3")
    [problem] = raised.value.problems
    assert problem.rule == "board-overflow"
    assert "does not fit on one A3 page even at 6 pt" in problem.message
    assert re.search(r"\d+ of its 49 decisions, from „Rabatt Nummer \d+“ on", problem.message)
    assert "--paper a2" in problem.hint
    # the site's copy does not stop the build: the board runs over more pages
    site_copy = poster.site_files(crowded, 1_795_000_000)[poster.SITE_FILE]
    reader = PdfReader(io.BytesIO(site_copy))
    assert len(reader.pages) > 1
    text = " ".join(page.extract_text() for page in reader.pages)
    assert all(f"Rabatt Nummer {n}" in text for n in range(40))


def test_a_board_too_large_for_a_poster_gets_none_on_the_site(model: Playbook) -> None:
    path = next(e for e in model.entries if e.id == "rabatt-freigabe")
    many = tuple(
        dataclasses.replace(path, id=f"rabatt-{n}", title=f"Rabatt Nummer {n}") for n in range(40)
    )
    crowded = dataclasses.replace(model, entries=(*model.entries, *many))
    assert board(model).printable and not board(crowded).printable
    page = str(render_docs(crowded)["board.md"])
    assert "delegation-board.pdf" not in page  # no link to a poster the build does not make
    assert "playbook board --paper a2" in page
    assert "delegation-board.pdf" in str(render_docs(model)["board.md"])


def test_too_many_roles_side_by_side_is_an_error_naming_the_columns(model: Playbook) -> None:
    extra = tuple(Role(f"rolle-{n}", f"Rolle {n}", "", None) for n in range(15))
    with pytest.raises(PlaybookError) as raised:
        poster.lay_out(dataclasses.replace(model, roles=(*model.roles, *extra)), "a3")
    [problem] = raised.value.problems
    assert problem.rule == "board-overflow"
    assert "its 25 role columns need" in problem.message
