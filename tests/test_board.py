"""The delegation board: its data, its page (in Chromium at 375 px) and its poster PDF."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from sales_playbook import pipeline, poster
from sales_playbook.board import DELEGATION, DELEGATION_COLOURS, Board, Cell, board
from sales_playbook.errors import PlaybookError
from sales_playbook.model import EscalationPath, Playbook, Role
from sales_playbook.render import render_docs
from sales_playbook.resources import template_dir
from sales_playbook.text import labels

from .conftest import SAMPLE, TODAY, SampleBuild, run_main

A3 = (1190.55, 841.89)
A2 = (1683.78, 1190.55)


@pytest.fixture(scope="module")
def model() -> Playbook:
    return pipeline.check(SAMPLE, TODAY).model


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
    assert (team.part, words(team.text)) == ("informed", "wird informiert: über 0 bis 2")
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
    page = render_docs(dataclasses.replace(model, entries=entries))["board.md"]
    table = page[page.index("<table") : page.index("</table>")]
    assert "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; *Rabatt*" in table
    assert "\n\n" not in table  # a blank line would end the HTML block


def test_start_page_and_every_role_page_link_the_board(model: Playbook) -> None:
    docs = render_docs(model)
    for page in ["index.md", *(f"roles/{r.id}.md" for r in model.roles)]:
        assert "](/board.md)" in docs[page], page


@pytest.fixture
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    yield context.new_page()
    context.close()


def visible_heads(page: Any) -> list[str]:
    heads = page.locator("thead .pb-board__role")
    return [heads.nth(i).inner_text() for i in range(heads.count()) if heads.nth(i).is_visible()]


def test_at_375_px_one_role_column_shows_and_the_choice_switches_it(
    phone: Any, sample: SampleBuild
) -> None:
    phone.goto((sample.site / "board.html").as_uri())
    choice = phone.locator("select.pb-board__select")
    assert choice.is_visible()
    assert visible_heads(phone) == [AE.format("Einsteiger:in")]
    rows = phone.locator("tbody tr").count()
    assert phone.locator(".pb-board__col-1:visible").count() == 1 + rows  # heading + rows
    assert phone.locator(".pb-board__col-2:visible").count() == 0

    choice.select_option(label="Finanzen & Controlling")
    assert visible_heads(phone) == ["Finanzen & Controlling"]
    rabatt = phone.locator("tbody tr", has_text="Rabattfreigabe")
    assert "wird konsultiert" in words(rabatt.locator(".pb-board__role:visible").inner_text())
    width = phone.evaluate("document.querySelector('.pb-board').scrollWidth")
    assert width <= 375  # nothing to scroll sideways

    phone.reload()  # the choice is kept on the device
    assert visible_heads(phone) == ["Finanzen & Controlling"]


def test_on_a_wide_screen_every_column_shows_and_no_choice(
    page_wide: Any, sample: SampleBuild
) -> None:
    page_wide.goto((sample.site / "board.html").as_uri())
    assert not page_wide.locator("select.pb-board__select").is_visible()
    assert len(visible_heads(page_wide)) == 10
    page_wide.get_by_role("link", name=re.compile("Als Poster")).wait_for()


@pytest.fixture
def page_wide(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
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
