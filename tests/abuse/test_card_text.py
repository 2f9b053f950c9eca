"""A title fits across its card and its row of the poster: a long compound breaks at its
hyphenation points, a title that still does not fit shrinks, and one no size fits is an
overflow naming the entry (site_templates/cards/fit.typ). Read back from the PDFs: every
word's box (pdftotext -bbox) lies within the card or the poster's column."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from sales_playbook.cards import poster
from sales_playbook.cards.hyphens import SOFT_HYPHEN, breakable
from sales_playbook.site.board import board
from sales_playbook.source.check import check

from ..conftest import CASES, TODAY, run_cli

COMPOUND = "Kundenzufriedenheitsbefragungsergebnisse dokumentieren"
UNBREAKABLE = "Abc " + "0123456789" * 6 + " Def"
PADDING_PT = 14.17  # the card's padding (cards/deck.py: PADDING_MM = 5)
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"[^>]*>(.*?)</word>')


def titled(tmp_path: Path, title: str) -> Path:
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    path = source / "flexible-zones" / "ansprache.yml"
    path.write_text(path.read_text("utf-8").replace("title: Ansprache", f"title: {title}"), "utf-8")
    return source


def words(pdf: Path, page: int) -> tuple[float, list[tuple[float, float, str]]]:
    """The page's width and each word's left, right and text (in pt)."""
    layout = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    width = float(re.search(r'<page width="([\d.]+)"', layout).group(1))  # type: ignore[union-attr]
    found = [(float(a), float(b), html.unescape(w)) for a, b, w in WORD.findall(layout)]
    return width, found


def plain(word: str) -> str:
    """A word as written in the YAML: no soft hyphen, no hyphen a break added."""
    return word.replace(SOFT_HYPHEN, "").rstrip("-")


def card_page(pdf: Path, number: str) -> int:
    for page in range(1, 10):
        _, found = words(pdf, page)
        if any(w == number for _, _, w in found):
            return page
    raise AssertionError(f"no card {number}")


def test_hyphenation_points_are_soft_hyphens_in_long_words_only() -> None:
    broken = breakable(COMPOUND, "de")
    assert broken.replace(SOFT_HYPHEN, "") == COMPOUND
    assert broken.count(SOFT_HYPHEN) >= 10
    assert breakable("Kurz und gut", "de") == "Kurz und gut"
    assert breakable(COMPOUND, "tlh") == COMPOUND  # no patterns: unchanged
    assert breakable("Vor\u00adsicht Kundenzufriedenheit", "de").count(SOFT_HYPHEN) == 1


LONGER = "Ansprachenkundenzufriedenheitsbefragungsergebnisseinschätzungsverfahren"


@pytest.mark.parametrize("title", [COMPOUND, LONGER], ids=["compound", "longer"])
def test_a_long_compound_breaks_and_stays_on_the_card(tmp_path: Path, title: str) -> None:
    source = titled(tmp_path, title)
    code, err = run_cli("cards", str(source), "--out", str(tmp_path / "cards"))
    assert code == 0, err
    pdf = tmp_path / "cards" / "decision-cards.pdf"
    width, found = words(pdf, card_page(pdf, "FZ-DKUVM2"))
    pieces = [plain(w) for _, _, w in found if plain(w) and plain(w) in title]
    assert len(pieces) >= 3  # broken over lines, not cut off
    assert "".join(pieces).startswith(title.split()[0])
    for left, right, word in found:
        assert left >= PADDING_PT - 1 and right <= width - PADDING_PT + 1, word


def test_a_title_no_size_fits_is_an_overflow_naming_the_entry(tmp_path: Path) -> None:
    source = titled(tmp_path, UNBREAKABLE)
    code, err = run_cli("cards", str(source), "--out", str(tmp_path / "cards"))
    assert code == 1
    assert "error[card-overflow]" in err and "FZ-DKUVM2" in err and UNBREAKABLE in err
    assert "flexible-zones/ansprache.yml" in err
    assert not (tmp_path / "cards").exists()
    code, err = run_cli("board", str(source), "--out", str(tmp_path / "board.pdf"))
    assert code == 1
    assert "error[board-overflow]" in err and UNBREAKABLE in err
    assert not (tmp_path / "board.pdf").exists()


def test_a_long_compound_fits_its_row_of_the_poster(tmp_path: Path) -> None:
    source = titled(tmp_path, COMPOUND)
    code, err = run_cli("board", str(source), "--out", str(tmp_path / "board.pdf"))
    assert code == 0, err
    width, found = words(tmp_path / "board.pdf", 1)
    # the decisions' column as the poster lays it out for this board (wider beside few roles)
    shown = board(check(source, TODAY).model, teams=False)
    margin, share = poster.MARGIN_MM / 25.4 * 72, poster.decision_share(shown)
    column_right = margin + (width - 2 * margin) * share
    # the title's words: from its first to the zone's label under it (not the legend's)
    start = next(i for i, (_, _, w) in enumerate(found) if plain(w).startswith("Kun"))
    end = next(i for i, (_, _, w) in enumerate(found) if w == "Entscheidungszone")
    title_words = [
        (left, right, w) for left, right, w in found[start:end]
        if plain(w) and plain(w) in COMPOUND and left < column_right
    ]  # fmt: skip
    assert len(title_words) >= 3
    for _, right, word in title_words:
        assert right <= column_right, word


# --- text the card fonts cannot print ------------------------------------------------------


def test_text_the_card_font_cannot_print_is_a_warning_at_the_character(tmp_path: Path) -> None:
    source = titled(tmp_path, "Ansprache 让利 ok")
    summary = source / "flexible-zones" / "ansprache.yml"
    text = summary.read_text("utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if t.startswith("title:"))
    code, err = run_cli("validate", str(source))
    assert code == 0  # the site shows it: a warning, not an error
    assert f"ansprache.yml:{line}:18" in err and "warning[card-glyphs]" in err
    assert "'让利' (CJK)" in err
    code, err = run_cli("validate", "--strict", str(source))
    assert code == 1 and "card-glyphs" in err


def test_an_emoji_in_a_title_warns_and_the_cards_are_printed(tmp_path: Path) -> None:
    """Validate and build agree: what validate calls a warning never stops the cards
    (the PDF cannot claim PDF/UA-1 then, and is made all the same)."""
    source = titled(tmp_path, "Ansprache \U0001f680 ok")
    code, err = run_cli("validate", str(source))
    assert code == 0 and "warning[card-glyphs]" in err
    for command, out in (("cards", "cards"), ("board", "board.pdf")):
        code, err = run_cli(command, str(source), "--out", str(tmp_path / out))
        assert code == 0, err
        assert "Traceback" not in err and (tmp_path / out).exists()


@pytest.mark.parametrize(
    "text",
    ["Grüße, Ελλάδα, Россия \u2013 10 € · ✓", "Vorsicht\u00ad\u200bteil"],
    ids=["covered", "invisible"],
)
def test_text_the_card_font_prints_gives_no_warning(tmp_path: Path, text: str) -> None:
    source = titled(tmp_path, f'"{text}"')
    code, err = run_cli("validate", "--strict", str(source))
    assert code == 0, err


def test_the_fonts_cover_what_they_print_and_not_what_they_cannot() -> None:
    from sales_playbook.source.checks import glyphs

    covered = glyphs.printable()
    assert {ord(c) for c in "AZaz09äöüßÄÖÜ€§%\u2013\u2014\u201e\u201c\u201a\u2018\u2026"} <= covered
    assert not {0x8BA9, 0x0E01, 0x0915} & covered  # 让, ก, क
