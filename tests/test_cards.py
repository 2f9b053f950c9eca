"""Decision cards, read back from the PDFs the build wrote."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from sales_playbook import pipeline
from sales_playbook.cards import select
from sales_playbook.errors import PlaybookError
from sales_playbook.impose import grid_positions
from sales_playbook.model import EscalationPath, NonNegotiable
from sales_playbook.numbers import card_number

from .conftest import TODAY, SampleBuild, run_cli, tree_digest

MM = 72 / 25.4


def box_mm(box: object) -> tuple[float, float]:
    return (
        round(float(box.width) / MM, 1),  # type: ignore[attr-defined]
        round(float(box.height) / MM, 1),  # type: ignore[attr-defined]
    )


@pytest.fixture(scope="module")
def deck(sample: SampleBuild) -> PdfReader:
    return PdfReader(sample.site / "cards" / "decision-cards.pdf")


def test_one_a6_page_per_entry_with_trim_and_bleed(deck: PdfReader, sample: SampleBuild) -> None:
    assert len(deck.pages) == len(sample.result.model.entries) == 21
    for page in deck.pages:
        assert box_mm(page.trimbox) == (105.0, 148.0)
        assert box_mm(page.bleedbox) == (111.0, 154.0)
        assert float(page.bleedbox.left) == pytest.approx(-3 * MM, abs=0.01)


def test_each_card_shows_title_number_and_short_url(deck: PdfReader, sample: SampleBuild) -> None:
    model = sample.result.model
    for entry, page in zip(model.entries, deck.pages, strict=True):
        text = " ".join(page.extract_text().split())
        number = card_number(entry.kind, entry.id)
        assert number in text
        assert " ".join(entry.title.split())[:20] in text.replace("- ", "")
        assert f"playbook.nordlicht.example/c/{number}.html" in text
        assert (sample.site / "c" / f"{number}.html").is_file()


def test_cards_carry_what_a_rep_needs_at_the_desk(deck: PdfReader, sample: SampleBuild) -> None:
    """Escalation cards: each band's channel and note; non-negotiables: do and don't."""
    model = sample.result.model

    def flat(text: str) -> str:  # hyphenation and line breaks removed
        return "".join(text.replace("\u2010", "").replace("-", "").split())

    checked = 0
    for entry, page in zip(model.entries, deck.pages, strict=True):
        text = flat(page.extract_text())
        if isinstance(entry, EscalationPath):
            for band in entry.bands:
                assert flat(band.channel)[:25] in text, (entry.id, band.channel)
                if band.note:
                    assert flat(band.note)[:25] in text, (entry.id, band.note)
            checked += 1
        if isinstance(entry, NonNegotiable):
            for item in (*entry.do, *entry.dont):
                assert flat(item)[:25] in text, (entry.id, item)
            assert flat(entry.rule)[:25] in text
            checked += 1
    assert checked >= 10


def test_fonts_are_embedded(deck: PdfReader) -> None:
    fonts = deck.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        descriptor = (
            ref.get_object().get("/FontDescriptor")
            or (ref.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"])
        )
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def test_office_deck_puts_four_cards_on_each_a4_sheet(sample: SampleBuild) -> None:
    sheets = PdfReader(sample.site / "cards" / "decision-cards-a4.pdf")
    assert len(sheets.pages) == math.ceil(21 / 4)
    deck = PdfReader(sample.site / "cards" / "decision-cards.pdf")
    title = "Entscheidungskarten \u2013 Vertriebs-Playbook"
    assert sheets.metadata.title == deck.metadata.title == title
    assert box_mm(sheets.pages[0].mediabox) == (210.0, 297.0)
    first = sheets.pages[0].extract_text()
    numbers = [card_number(e.kind, e.id) for e in sample.result.model.entries[:4]]
    assert all(n in first for n in numbers)


def test_office_sheets_reuse_the_card_pages_cut_to_their_trim_box(sample: SampleBuild) -> None:
    sheets = PdfReader(sample.site / "cards" / "decision-cards-a4.pdf")
    placed = []
    for sheet in sheets.pages:
        forms = sheet["/Resources"]["/XObject"]
        assert 1 <= len(forms) <= 4
        for name, form in forms.items():
            form = form.get_object()
            x0, y0, x1, y1 = (float(v) for v in form["/BBox"])
            assert ((x1 - x0) / MM, (y1 - y0) / MM) == pytest.approx((105, 148), abs=0.05)
            drawn = re.search(
                rf"1 0 0 1 (\S+) (\S+) cm {name} Do".encode(), sheet.get_contents().get_data()
            )
            assert drawn, name
            left, bottom = x0 + float(drawn[1]), y0 + float(drawn[2])
            placed.append((left / MM, bottom / MM))
            assert left >= -0.01 and left + (x1 - x0) <= 210 * MM + 0.01  # on the sheet
            assert bottom >= -0.01 and bottom + (y1 - y0) <= 297 * MM + 0.01
    assert len(placed) == 21
    # the first sheet: two columns, two rows, centred
    first = sorted((round(x, 2), round(y, 2)) for x, y in placed[:4])
    assert first == [(0, 0.5), (0, 148.5), (105, 0.5), (105, 148.5)]


def test_grid_positions_centre_a_partly_filled_sheet() -> None:
    assert grid_positions(1, (105, 148), 2, (210, 297)) == [(0, 74.5)]
    # three A7 cards: a 148 x 210 mm block, 31 mm from the sides, 43.5 mm from top and bottom
    assert grid_positions(3, (74, 105), 2, (210, 297)) == [(31, 148.5), (105, 148.5), (31, 43.5)]


def test_print_view_is_linked_from_the_site(sample: SampleBuild) -> None:
    view = (sample.site / "cards" / "index.html").read_text("utf-8")
    assert view.count('class="card card--') == 21
    assert "@media print" in view
    assert 'href="cards/index.html"' in (sample.site / "index.html").read_text("utf-8")


def test_subsets_by_kind_role_and_tag(sample: SampleBuild) -> None:
    model = sample.result.model
    assert len(select(model, kinds=["escalation_path"])) == 4
    team_lead = select(model, roles=["teamleitung"])
    assert {e.id for e in team_lead} >= {"rabatt-freigabe", "leistungsschwaeche"}
    assert "messaging" not in {e.id for e in team_lead}  # owned by Vertriebsleitung
    assert {e.id for e in select(model, tags=["rabatt"])} == {
        "rabatt-obergrenze",
        "rabatt-freigabe",
    }


def test_cards_command_writes_a7_subset(tmp_path: Path, base_playbook: Path) -> None:
    out = tmp_path / "deck"
    code, err = run_cli(
        "cards", str(base_playbook), "--out", str(out), "--size", "A7", "--kind", "escalation-paths"
    )
    assert code == 0, err
    pdf = PdfReader(out / "decision-cards.pdf")
    assert len(pdf.pages) == 1
    assert box_mm(pdf.pages[0].trimbox) == (74.0, 105.0)
    assert (out / "index.html").is_file()


def test_n_up_that_does_not_fit_is_a_usage_error(tmp_path: Path, base_playbook: Path) -> None:
    code, err = run_cli("cards", str(base_playbook), "--out", str(tmp_path / "out"), "--n-up", "8")
    assert code == 2
    assert "an A4 sheet holds 4 A6 cards" in err


def test_overlong_entry_fails_the_build_and_says_by_how_much(
    tmp_path: Path, base_playbook: Path
) -> None:
    site, build = tmp_path / "site", tmp_path / "build"
    pipeline.build(base_playbook, site, build, TODAY)
    before = tree_digest(site)
    path = base_playbook / "non-negotiables" / "preisregel.yml"
    long_text = "Ein sehr langer Ausweg, der immer weiter geht. " * 60
    path.write_text(
        path.read_text("utf-8").replace("why: Marge.", f"why: Marge.\ninstead: {long_text}"),
        "utf-8",
    )

    with pytest.raises(PlaybookError) as raised:
        pipeline.build(base_playbook, site, build, TODAY)

    [problem] = raised.value.problems
    assert problem.rule == "card-overflow"
    assert problem.file.endswith("non-negotiables/preisregel.yml")
    assert "does not fit on one A6 side: it overflows by" in problem.message
    over = float(problem.message.rsplit("by ", 1)[1].removesuffix(" mm"))
    assert 50 < over < 400
    assert tree_digest(site) == before


def test_large_deck_renders_in_parallel_and_stays_reproducible(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.generate import generate

    # browser tests leave helper threads behind, and a process with threads never forks
    monkeypatch.setattr("sales_playbook.parallel.threading.active_count", lambda: 1)
    monkeypatch.setattr("sales_playbook.parallel.os.cpu_count", lambda: 2)
    from sales_playbook.cards import PARALLEL_FROM, SITE_DECK, build_deck

    playbook = generate(PARALLEL_FROM + 20, tmp_path / "playbook")
    model = pipeline.check(playbook, TODAY).model
    entries = model.in_force
    assert len(entries) >= PARALLEL_FROM + 20
    first = build_deck(model, entries, SITE_DECK)
    assert build_deck(model, entries, SITE_DECK).pdf == first.pdf
    pdf = PdfReader(io.BytesIO(first.pdf))
    assert len(pdf.pages) == len(entries)
    assert box_mm(pdf.pages[-1].trimbox) == (105.0, 148.0)
    last = entries[-1]
    assert card_number(last.kind, last.id) in pdf.pages[-1].extract_text()
