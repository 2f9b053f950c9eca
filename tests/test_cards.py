"""Decision cards, read back from the PDFs the build wrote."""

from __future__ import annotations

import io
import itertools
import math
import os
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from sales_playbook.cards.deck import select
from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.model.card_numbers import card_number
from sales_playbook.model.kinds import BY_NAME
from sales_playbook.model.playbook import EscalationPath, NonNegotiable
from sales_playbook.site.board import board
from sales_playbook.source import check

from .conftest import SAMPLE, TODAY, SampleBuild, run_build, run_cli, tree_digest
from .pdfdraw import Path as Drawn
from .pdfdraw import drawn, fonts_of, rgb, structure

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
    # every entry, and the team's own rule (marked with its team)
    assert len(deck.pages) == len(select(sample.result.model)) == 22
    for page in deck.pages:
        assert box_mm(page.trimbox) == (105.0, 148.0)
        assert box_mm(page.bleedbox) == (111.0, 154.0)
        assert float(page.trimbox.left) - float(page.bleedbox.left) == pytest.approx(3 * MM, 0.01)
        assert float(page.trimbox.top) - float(page.bleedbox.bottom) == pytest.approx(151 * MM)


def test_crop_marks_sit_outside_the_trim_and_the_bleed_at_every_corner(deck: PdfReader) -> None:
    for page in deck.pages:
        trim = [float(v) for v in page.trimbox]
        bleed = [float(v) for v in page.bleedbox]
        media = [float(v) for v in page.mediabox]
        marks = [p for p in drawn(page) if p.stroked and _outside(p, trim)]
        middle = ((trim[0] + trim[2]) / 2, (trim[1] + trim[3]) / 2)
        corners = {(min(p.xs) < middle[0], min(p.ys) < middle[1]) for p in marks}
        assert len(marks) == 8  # two lines at each corner
        assert corners == {(True, True), (True, False), (False, True), (False, False)}
        for mark in marks:  # clear of the bleed (the colour band runs into it), on the page
            assert _outside(mark, bleed)
            gap = min(_distance_to_trim(x, y, trim) for x, y in mark.points)
            assert gap == pytest.approx(trim[0] - bleed[0] + 1 * MM, abs=0.05)
            assert all(media[0] <= x <= media[2] and media[1] <= y <= media[3]
                       for x, y in mark.points)  # fmt: skip
            assert max(_distance_to_trim(x, y, trim) for x, y in mark.points) > gap + 3 * MM


def _outside(path: Drawn, trim: list[float]) -> bool:
    return all(not (trim[0] < x < trim[2] and trim[1] < y < trim[3]) for x, y in path.points)


def _distance_to_trim(x: float, y: float, trim: list[float]) -> float:
    dx = max(trim[0] - x, 0.0, x - trim[2])
    dy = max(trim[1] - y, 0.0, y - trim[3])
    return max(dx, dy)


def test_each_card_has_its_kinds_colour_band_into_the_bleed(
    deck: PdfReader, sample: SampleBuild
) -> None:
    for entry, page in zip(select(sample.result.model), deck.pages, strict=True):
        colour = rgb(BY_NAME[entry.kind].colour)
        trim = [float(v) for v in page.trimbox]
        [band] = [p for p in drawn(page) if p.filled and p.fill == pytest.approx(colour, abs=0.01)
                  and max(p.ys) > trim[3]]  # fmt: skip
        assert min(band.xs) == pytest.approx(trim[0] - 3 * MM, abs=0.01)  # 3 mm bleed
        assert max(band.xs) == pytest.approx(trim[2] + 3 * MM, abs=0.01)
        assert max(band.ys) == pytest.approx(trim[3] + 3 * MM, abs=0.01)
        assert 8 * MM < trim[3] - min(band.ys) < 12 * MM


def test_each_card_has_a_qr_code_in_its_footer(deck: PdfReader) -> None:
    for page in deck.pages:
        trim = [float(v) for v in page.trimbox]
        # the QR code's dark modules: filled black shapes in the footer's right corner
        modules = [
            p for p in drawn(page)
            if p.filled and p.fill == (0.0, 0.0, 0.0)
            and min(p.xs) > trim[2] - 25 * MM and max(p.ys) < trim[1] + 25 * MM
        ]  # fmt: skip
        assert modules
        xs = [x for p in modules for x in p.xs]
        ys = [y for p in modules for y in p.ys]
        side = max(xs) - min(xs)
        # square: segno draws each row of modules as a line through its middle
        assert 0.9 * side < max(ys) - min(ys) <= side + 0.01
        assert side == pytest.approx(22.2 * MM - 4 * MM, abs=0.1)  # the footer's height
        assert max(xs) == pytest.approx(trim[2] - 5 * MM, abs=0.5)  # inside the padding


def test_each_card_shows_title_number_and_short_url(deck: PdfReader, sample: SampleBuild) -> None:
    model = sample.result.model
    for entry, page in zip(select(model), deck.pages, strict=True):
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
        return "".join(text.replace("\u00ad", "").replace("-", "").split())

    checked = 0
    for entry, page in zip(select(model), deck.pages, strict=True):
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


def test_fonts_are_embedded_and_the_packages_own(deck: PdfReader) -> None:
    """Every font is embedded, and it is DejaVu (shipped with the package; the mono face
    comes with Typst), never a system font: the deck is the same on every machine."""
    names = set()
    for page in deck.pages:
        for name, descriptor in fonts_of(page):
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
            names.add(name.split("+", 1)[-1])
    assert names >= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono"}
    assert all(name.startswith("DejaVuSans") for name in names), names


def _accessible(pdf: PdfReader, title: str) -> dict[str, object]:
    """The checks of a tagged PDF/UA-1 document; its structure (pdfdraw.structure)."""
    catalog = pdf.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "de"
    assert bool(catalog["/MarkInfo"]["/Marked"])  # a pypdf BooleanObject
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert pdf.metadata.title == title
    xmp = pdf.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": title}
    assert b"<pdfuaid:part>1</pdfuaid:part>" in catalog["/Metadata"].get_data()
    found = structure(pdf)
    assert found["broken"] == []  # each marked content leads back to its element
    assert len(found["ids"]) == len(set(found["ids"]))
    assert set(found["headers"]) <= set(found["ids"])  # cells name existing header cells
    return found


@pytest.mark.parametrize("name", ["decision-cards.pdf", "decision-cards-a4.pdf"])
def test_both_decks_are_tagged_accessible_pdfs(sample: SampleBuild, name: str) -> None:
    cards = select(sample.result.model)
    found = _accessible(
        PdfReader(sample.site / "cards" / name), "Entscheidungskarten \u2013 Vertriebs-Playbook"
    )
    types = found["types"]
    assert isinstance(types, list) and types.count("/H1") == len(cards)  # each card's title
    assert types.count("/Document") == 1 and "/H2" in types
    # each escalation path's table: its three column heads, measured once for the table
    escalations = sum(1 for entry in cards if entry.kind == "escalation_path")
    assert escalations and types.count("/Table") == escalations
    assert types.count("/TH") == 3 * escalations
    alts = found["alts"]  # each QR code says where it leads
    assert isinstance(alts, list)
    for entry in cards:
        number = card_number(entry.kind, entry.first_id)
        assert any(alt.startswith("QR-Code") and f"/c/{number}.html" in alt for alt in alts)


def test_the_poster_is_a_tagged_accessible_pdf(sample: SampleBuild) -> None:
    poster = PdfReader(sample.site / "cards" / "delegation-board.pdf")
    found = _accessible(poster, "Delegationsboard \u2013 Vertriebs-Playbook")
    types = found["types"]
    assert isinstance(types, list) and types.count("/H1") == 1
    assert types.count("/TH") == len(board(sample.result.model, teams=False).columns) + 1


def test_a_text_no_font_shows_is_printed_all_the_same(sample: SampleBuild) -> None:
    """PDF/UA-1 refuses text a font cannot show (an emoji; `validate` warns of it as
    `card-glyphs`): the deck and the poster are made all the same, tagged, without the
    claim. One character never stops a build."""
    import dataclasses

    from sales_playbook.cards import poster
    from sales_playbook.cards.deck import SITE_DECK, build_deck

    model = sample.result.model
    entry = next(e for e in model.entries if e.id == "rabatt-freigabe")
    bell = dataclasses.replace(entry, title="Rabatt\x07freigabe")
    broken = dataclasses.replace(
        model, entries=tuple(bell if e is entry else e for e in model.entries)
    )
    for pdf in (build_deck(broken, [bell], SITE_DECK).pdf, poster.lay_out(broken).pdf):
        reader = PdfReader(io.BytesIO(pdf))
        catalog = reader.trailer["/Root"]
        assert "/StructTreeRoot" in catalog and catalog["/MarkInfo"]["/Marked"]
        assert b"pdfuaid:part" not in pdf  # no claim of PDF/UA-1
    assert b"pdfuaid:part" in (sample.site / "cards" / "decision-cards.pdf").read_bytes()


def test_german_words_are_hyphenated(deck: PdfReader, sample: SampleBuild) -> None:
    """Lines end in a hyphen that the source text does not have: Typst's German patterns."""
    sources = " ".join(
        " ".join(str(v) for v in (e.title, e.summary, *getattr(e, "do", ())))
        for e in sample.result.model.entries
    )
    words = set(re.findall(r"\w+", sources))
    broken = []
    for page in deck.pages:
        lines = page.extract_text().splitlines()
        for line, following in itertools.pairwise(lines):
            # Typst marks its breaks with a soft hyphen (U+00AD) in the text layer
            if line.rstrip().endswith("\u00ad") and following.split():
                start = line.split()[-1].rstrip("\u00ad")
                word = re.sub(r"\W+$", "", start + following.split()[0])
                if word in words and start not in words:
                    broken.append(word)
    assert len(broken) >= 5, broken


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("unter 70 %.", "unter 70\xa0%."),
        ("bis 10.000 € netto", "bis 10.000\xa0€ netto"),
        ("in 30 Tagen, sonst", "in 30\xa0Tagen, sonst"),
        ("up to EUR 5,000", "up to EUR\xa05,000"),
        ("within 2 business days", "within 2\xa0business days"),
        ("5 Tagessätze, 3 Hinweise", "5 Tagessätze, 3 Hinweise"),  # a word, not a unit
    ],
)
def test_a_number_and_its_unit_are_kept_together(text: str, kept: str) -> None:
    from sales_playbook.cards.spacing import unbroken

    assert unbroken(text) == kept


UNIT_FIRST = re.compile(r"^\s*(%|€|EUR|Tage|Tagen|Wochen|Monate|Monaten|Stunden)\b")


def test_no_card_breaks_a_line_between_a_number_and_its_unit(deck: PdfReader) -> None:
    kept = 0
    for page in deck.pages:
        text = page.extract_text()
        kept += len(re.findall(r"\d\xa0(?:%|EUR|Tage|Wochen)", text))
        for line, following in itertools.pairwise(text.splitlines()):
            assert not (re.search(r"\d\s*$", line) and UNIT_FIRST.match(following)), (
                line,
                following,
            )
    assert kept >= 20  # "unter 70 %", "bis 50.000 EUR", "30 Tage", ... (no-break spaces)


def test_office_deck_puts_four_cards_on_each_a4_sheet(sample: SampleBuild) -> None:
    sheets = PdfReader(sample.site / "cards" / "decision-cards-a4.pdf")
    assert len(sheets.pages) == math.ceil(22 / 4)
    deck = PdfReader(sample.site / "cards" / "decision-cards.pdf")
    title = "Entscheidungskarten \u2013 Vertriebs-Playbook"
    assert sheets.metadata.title == deck.metadata.title == title
    assert box_mm(sheets.pages[0].mediabox) == (210.0, 297.0)
    first = sheets.pages[0].extract_text()
    numbers = [card_number(e.kind, e.id) for e in sample.result.model.entries[:4]]
    assert all(n in first for n in numbers)


def test_office_sheets_frame_each_card_with_a_cut_line(sample: SampleBuild) -> None:
    sheets = PdfReader(sample.site / "cards" / "decision-cards-a4.pdf")
    placed = []
    sizes = set()
    for sheet in sheets.pages:
        cuts = [p for p in drawn(sheet) if p.stroked and p.dashed]
        assert 1 <= len(cuts) <= 4
        for cut in cuts:
            left, bottom = min(cut.xs), min(cut.ys)
            sizes.add((round((max(cut.xs) - left) / MM, 2), round((max(cut.ys) - bottom) / MM, 2)))
            placed.append((left / MM, bottom / MM))
    assert len(placed) == 22
    # one size: A6 (105 x 148) shrunk evenly so that two fit between the safe margins
    [(width, height)] = sizes
    assert width == pytest.approx((210 - 2 * 5.1) / 2, abs=0.01)  # 5 mm and half a cut line
    assert width / height == pytest.approx(105 / 148, abs=0.001)
    # the first sheet: two columns, two rows, centred
    low = (297 - 2 * height) / 2
    expected = [(5.1, low), (5.1, low + height), (105, low), (105, low + height)]
    assert sorted(placed[:4]) == [pytest.approx(xy, abs=0.02) for xy in expected]
    # the last sheet holds two cards, side by side in one row of the centred grid
    middle = (297 - height) / 2
    assert sorted(placed[20:]) == [
        pytest.approx(xy, abs=0.02) for xy in [(5.1, middle), (105, middle)]
    ]


def _words(pdf: Path) -> list[tuple[int, str, float, float, float, float]]:
    """(page, word, left, top, right, bottom) in pt from the page's top left: pdftotext -bbox."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = []
    for number, page in enumerate(html.split("<page ")[1:], 1):
        for found in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)',
            page,
        ):
            left, top, right, bottom = (float(v) for v in found.groups()[:4])
            words.append((number, found[5], left, top, right, bottom))
    return words


SAFE = 5 * MM  # what an office printer leaves blank round an A4 sheet, and a little more


def test_office_sheets_keep_everything_5_mm_from_the_edge(sample: SampleBuild) -> None:
    """Words, QR codes and cut lines: all inside the printable area of an office printer."""
    path = sample.site / "cards" / "decision-cards-a4.pdf"
    sheets = PdfReader(path)
    width, height = (float(v) for v in sheets.pages[0].mediabox[2:])
    words = _words(path)
    assert len({page for page, *_ in words}) == len(sheets.pages) == 6
    assert any(word.endswith(".html") for _, word, *_ in words)  # the short links
    for _, word, left, top, right, bottom in words:
        assert min(left, top, width - right, height - bottom) >= SAFE, word
    for sheet in sheets.pages:
        paths = drawn(sheet)
        cuts = [p for p in paths if p.stroked and p.dashed]
        # the QR codes' dark modules: filled black shapes in each card's lower right
        modules = [
            p for p in paths if p.filled and p.fill == (0.0, 0.0, 0.0)
            and any(min(c.xs) < min(p.xs) and min(c.ys) < min(p.ys)
                    and min(p.xs) > max(c.xs) - 25 * MM and max(p.ys) < min(c.ys) + 25 * MM
                    for c in cuts)
        ]  # fmt: skip
        assert len({_corner_of(p, cuts) for p in modules}) == len(cuts)  # one code per card
        # a cut line's ink reaches half its width (0.1 mm) past it; coordinates to 0.001 pt
        for shape, ink in [(c, 0.1 * MM - 0.01) for c in cuts] + [(m, 0.0) for m in modules]:
            assert min(shape.xs) - ink >= SAFE and max(shape.xs) + ink <= width - SAFE
            assert min(shape.ys) - ink >= SAFE and max(shape.ys) + ink <= height - SAFE


def _corner_of(path: Drawn, cuts: list[Drawn]) -> int:
    """Which card (by its cut line) a shape lies in."""
    return next(
        i for i, c in enumerate(cuts)
        if min(c.xs) <= min(path.xs) and max(path.xs) <= max(c.xs)
        and min(c.ys) <= min(path.ys) and max(path.ys) <= max(c.ys)
    )  # fmt: skip


def test_office_sheets_cut_each_card_to_its_trim(sample: SampleBuild) -> None:
    """Bleed and crop marks stay off the sheet: each card is clipped to its cut line."""
    for sheet in PdfReader(sample.site / "cards" / "decision-cards-a4.pdf").pages:
        paths = drawn(sheet)
        cuts = {_box(p) for p in paths if p.stroked and p.dashed}
        clips = {_box(p) for p in paths if p.clip}
        assert cuts and cuts <= clips


def _box(path: Drawn) -> tuple[float, ...]:
    return tuple(round(v / MM, 1) for v in (min(path.xs), min(path.ys), max(path.xs), max(path.ys)))


def test_print_view_is_linked_from_the_site(sample: SampleBuild) -> None:
    view = (sample.site / "cards" / "index.html").read_text("utf-8")
    assert view.count('class="card card--') == 22
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


@pytest.mark.parametrize(("size", "mm"), [("A7", (74.0, 105.0)), ("A5", (148.0, 210.0))])
def test_cards_command_writes_a_subset_in_other_sizes(
    tmp_path: Path, base_playbook: Path, size: str, mm: tuple[float, float]
) -> None:
    out = tmp_path / "deck"
    code, err = run_cli(
        "cards", str(base_playbook), "--out", str(out), "--size", size, "--kind", "escalation-paths"
    )
    assert code == 0, err
    pdf = PdfReader(out / "decision-cards.pdf")
    assert len(pdf.pages) == 1
    assert box_mm(pdf.pages[0].trimbox) == mm
    assert box_mm(pdf.pages[0].mediabox) == mm  # no bleed asked for
    assert "EP-" in pdf.pages[0].extract_text()
    assert (out / "index.html").is_file()


def test_cards_command_puts_a7_cards_four_to_a_sheet(tmp_path: Path, base_playbook: Path) -> None:
    out = tmp_path / "deck"
    code, err = run_cli(
        "cards", str(base_playbook), "--out", str(out), "--size", "A7", "--n-up", "4"
    )
    assert code == 0, err
    pdf = PdfReader(out / "decision-cards.pdf")
    cuts = [p for p in drawn(pdf.pages[0]) if p.stroked and p.dashed]
    entries = len(check.check(base_playbook, TODAY).model.in_force)
    assert len(pdf.pages) == math.ceil(entries / 4)
    assert len(cuts) == min(entries, 4)
    assert {
        (round((max(c.xs) - min(c.xs)) / MM), round((max(c.ys) - min(c.ys)) / MM)) for c in cuts
    } == {(74, 105)}


def test_n_up_that_does_not_fit_is_a_usage_error(tmp_path: Path, base_playbook: Path) -> None:
    code, err = run_cli("cards", str(base_playbook), "--out", str(tmp_path / "out"), "--n-up", "8")
    assert code == 2
    assert "an A4 sheet holds 4 A6 cards" in err


def test_overlong_entry_fails_the_build_and_says_by_how_much(
    tmp_path: Path, base_playbook: Path
) -> None:
    site, build = tmp_path / "site", tmp_path / "build"
    commands_build.build(base_playbook, site, build, TODAY)
    before = tree_digest(site)
    path = base_playbook / "non-negotiables" / "preisregel.yml"
    long_text = "Ein sehr langer Ausweg, der immer weiter geht. " * 60
    path.write_text(
        path.read_text("utf-8").replace("why: Marge.", f"why: Marge.\ninstead: {long_text}"),
        "utf-8",
    )

    with pytest.raises(PlaybookError) as raised:
        commands_build.build(base_playbook, site, build, TODAY)

    [problem] = raised.value.problems
    assert problem.rule == "card-overflow"
    assert problem.file.endswith("non-negotiables/preisregel.yml")
    assert "does not fit on one A6 side: it overflows by" in problem.message
    over = float(problem.message.rsplit("by ", 1)[1].removesuffix(" mm"))
    assert 50 < over < 400
    assert tree_digest(site) == before


def test_large_deck_is_reproducible_and_in_order(tmp_path: Path) -> None:
    from bench.generate import generate
    from sales_playbook.cards.deck import GROUP_AT_MOST, SITE_DECK, build_deck

    playbook = generate(GROUP_AT_MOST * 3, tmp_path / "playbook")
    model = check.check(playbook, TODAY).model
    entries = model.in_force
    first = build_deck(model, entries, SITE_DECK)
    assert build_deck(model, entries, SITE_DECK).pdf == first.pdf
    pdf = PdfReader(io.BytesIO(first.pdf))
    assert len(pdf.pages) == len(entries)
    for index in (0, len(entries) // 2, len(entries) - 1):  # groups joined in order
        entry = entries[index]
        assert card_number(entry.kind, entry.id) in pdf.pages[index].extract_text()
    assert box_mm(pdf.pages[-1].trimbox) == (105.0, 148.0)


class MemoryStore:
    def __init__(self) -> None:
        self.kept: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self.kept.get(key)

    def put(self, key: str, data: bytes) -> None:
        self.kept[key] = data


def test_groups_change_only_where_a_card_is_added(tmp_path: Path) -> None:
    from bench.generate import generate
    from sales_playbook.cards.deck import GROUP_AT_MOST, groups, make_cards

    model = check.check(generate(200, tmp_path / "playbook"), TODAY).model
    made = make_cards(model, model.in_force, None)
    before = [[c.number for c in run] for run in groups(made)]
    assert all(1 <= len(run) <= GROUP_AT_MOST for run in before)
    assert 200 / 32 <= len(before) <= 200 / 6  # about 16 cards to a group
    for index in (0, 57, 133, len(made) - 1):
        without = made[:index] + made[index + 1 :]
        after = [[c.number for c in run] for run in groups(without)]
        changed = [run for run in after if run not in before]
        assert len(changed) == 1  # only the removed card's group (merged with the next
        assert len(changed[0]) <= 2 * GROUP_AT_MOST  # one when the card ended its group)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many cards each Typst run laid out."""
    import json

    from sales_playbook.cards import deck as cards

    runs: list[int] = []
    real = cards.lay_out

    def lay_out(jobs, epoch: int, threads: int | None = None):  # type: ignore[no-untyped-def]
        def counting():  # type: ignore[no-untyped-def]
            for job in jobs:
                runs.append(len(json.loads(job)["cards"]))
                yield job

        return real(counting(), epoch, threads)

    monkeypatch.setattr(cards, "lay_out", lay_out)
    return runs


def test_a_rebuild_lays_out_only_the_changed_cards_group(
    tmp_path: Path, counted: list[int]
) -> None:
    from bench.generate import generate
    from sales_playbook.cards.deck import GROUP_AT_MOST, site_files

    playbook = generate(120, tmp_path / "playbook")
    model = check.check(playbook, TODAY).model
    store = MemoryStore()
    cold = site_files(model, 1_790_000_000, store)
    assert sum(counted) == len(select(model))

    title = f"Entscheidungskarten \u2013 {model.title}"
    for name in ("cards/decision-cards.pdf", "cards/decision-cards-a4.pdf"):
        pdf = cold[name]
        assert isinstance(pdf, bytes)  # several parts' structure trees joined into one
        _accessible(PdfReader(io.BytesIO(pdf)), title)

    counted.clear()
    warm = site_files(model, 1_790_000_000, store)
    assert counted == []  # nothing laid out again
    assert warm == cold

    path = next((playbook / "escalation-paths").glob("*.yml"))
    path.write_text(path.read_text("utf-8").replace("title: ", "title: Neu ", 1), "utf-8")
    changed = check.check(playbook, TODAY).model
    counted.clear()
    edited = site_files(changed, 1_790_000_000, store)
    assert len(counted) == 1 and counted[0] <= GROUP_AT_MOST  # one group, laid out once
    assert edited["cards/decision-cards.pdf"] != cold["cards/decision-cards.pdf"]
    fresh = site_files(changed, 1_790_000_000, None)
    assert edited == fresh  # the cache never changes what is built


def test_copying_renumbers_references_but_never_text_that_looks_like_one() -> None:
    from sales_playbook.cards.pdf_parts import copy

    source = b"<</A 1 0 R/S(1 0 R \\) (2 0 R))/H<31>/B[2 0 R 3 0 R]/N/x1 >>\nstream\n4 0 R"
    copied, stop = copy(source, 0, len(source), lambda n: n + 10)
    assert copied == b"<</A 11 0 R/S(1 0 R \\) (2 0 R))/H<31>/B[12 0 R 13 0 R]/N/x1 >>"
    assert source[stop:].startswith(b"\nstream")  # the stream's data is not looked into


def test_a_part_that_is_not_what_typst_writes_is_an_error_not_a_traceback() -> None:
    from sales_playbook.cards import pdf_join

    for broken in (b"", b"%PDF-1.7\nnot a pdf", b"%PDF-1.7\nxref\n0 1\nstartxref\n9\n%%EOF"):
        with pytest.raises(pdf_join.PartError):
            pdf_join.cards([broken], "t", 0)


def test_the_card_engines_failures_come_back_from_its_worker(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sales_playbook.cards import worker
    from sales_playbook.cards.typeset import EngineError

    with pytest.raises(EngineError, match="data"):  # Typst's own message, about the data
        list(worker.lay_out(["{}"], 0))
    monkeypatch.setattr(worker, "MODULE", "sales_playbook.no_such_worker")
    with pytest.raises(EngineError, match=r"the card engine stopped: .*no_such_worker"):
        list(worker.lay_out(["{}"], 0))


def _card_texts(pdf: Path) -> dict[str, str]:
    """Each card's text, hyphenation and line breaks removed, by the card's title line."""
    texts = {}
    for page in PdfReader(pdf).pages:
        text = page.extract_text()
        title = text.splitlines()[1]
        texts[title] = " ".join(text.replace("\u00ad\n", "").replace("-\n", "-").split())
    return texts


@pytest.fixture(scope="module")
def levelled_decks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, str]]:
    """The sample's escalation paths and zones: as they are, at one level, in the team."""
    from .conftest import SAMPLE

    root = tmp_path_factory.mktemp("levelled")
    decks = {}
    for name, extra in [
        ("org", []),
        ("senior", ["--level", "senior"]),
        ("team", ["--team", "oeffentlicher-sektor"]),
        ("team-einsteiger", ["--team", "oeffentlicher-sektor", "--level", "einsteiger"]),
    ]:
        out = root / name
        kinds = [
            "--kind",
            "escalation-paths",
            "--kind",
            "flexible-zones",
            "--kind",
            "non-negotiables",
        ]
        code, err = run_cli("cards", str(SAMPLE), "--out", str(out), "--size", "A7", *kinds, *extra)
        assert code == 0, err
        decks[name] = _card_texts(out / "decision-cards.pdf")
    return decks


def test_a_path_that_varies_by_level_shows_the_lowest_level_and_how_the_others_differ(
    levelled_decks: dict[str, dict[str, str]],
) -> None:
    discount = levelled_decks["org"]["Rabattfreigabe"]
    assert "Freigabebänder auf Stufe Einsteiger:in" in discount
    assert "bis 5 % Account Executive" in discount
    assert (
        "Stufe Zertifiziert: Account Executive bis 10 %; Teamleitung Vertrieb über 10 % bis 15 %"
        in discount
    )
    assert (
        "Stufe Senior: Account Executive bis 12 %; Teamleitung Vertrieb über 12 % bis 15 %"
        in discount
    )
    assert "(ab Senior)" in levelled_decks["org"]["Kreative Lösungen im Deal"]
    assert "Gilt als" not in discount  # not resolved at a level


def test_cards_at_a_level_hold_as_they_do_at_that_level(
    levelled_decks: dict[str, dict[str, str]],
) -> None:
    deck = levelled_decks["senior"]
    discount = deck["Rabattfreigabe"]
    assert "Gilt auf Stufe Senior" in discount
    assert "bis 12 % Account Executive" in discount
    assert "Freigabebänder als" not in discount and "Stufe Zertifiziert" not in discount
    zone = deck["Kreative Lösungen im Deal"]
    assert "Kostenlose Pilotphasen bis zu drei Monaten." in zone and "(ab Senior)" not in zone
    assert "Gilt auf Stufe Senior" in zone
    assert "Gilt als" not in deck["Keine Nebenabreden"]  # the same at every level
    einsteiger = levelled_decks["team-einsteiger"]["Kreative Lösungen im Deal"]
    assert "Kostenlose Pilotphasen" not in einsteiger


def test_a_teams_cards_are_marked_with_the_team(levelled_decks: dict[str, dict[str, str]]) -> None:
    deck = levelled_decks["team"]
    assert "Verschärft für Team „Öffentlicher Sektor“" in deck["Rabattfreigabe"]
    assert "bis 3 % Account Executive" in deck["Rabattfreigabe"]  # the team's lowest level
    own = next(text for title, text in deck.items() if title.startswith("Nur im Rahmen"))
    assert "Gilt im Team „Öffentlicher Sektor“" in own
    assert "Team" not in deck["Keine Nebenabreden"]
    # the organisation's deck has the team's own rule too, marked with its team
    org_own = next(t for title, t in levelled_decks["org"].items() if title.startswith("Nur im"))
    assert "Gilt im Team „Öffentlicher Sektor“" in org_own
    both = levelled_decks["team-einsteiger"]["Rabattfreigabe"]
    mark = "Verschärft für Team „Öffentlicher Sektor“ · Gilt auf Stufe Einsteiger:in"
    assert mark in both.replace("-", "")  # as laid out, hyphenated
    assert "bis 3 % Account Executive" in both


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--level", "meister", "unknown level meister; known: einsteiger, senior, zertifiziert"),
        ("--team", "vertrieb-nord", "unknown team vertrieb-nord; known: oeffentlicher-sektor"),
    ],
)
def test_an_unknown_level_or_team_is_a_usage_error(
    tmp_path: Path, option: str, value: str, said: str
) -> None:
    from .conftest import SAMPLE

    code, err = run_cli("cards", str(SAMPLE), "--out", str(tmp_path / "out"), option, value)
    assert code == 2
    assert said in err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_cards_laid_out_beside_the_engine_leave_it_a_core_and_give_the_same_pages(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Beside the engine the card workers get Typst's thread pool sized to the cores the
    engine leaves; by default Typst sizes it itself. The decks are the same bytes either
    way."""
    from sales_playbook.cards import deck, worker

    model = check.check(SAMPLE, TODAY).model
    pools: list[str | None] = []
    real = subprocess.Popen

    def started(command: list[str], **kwargs: object) -> subprocess.Popen[bytes]:
        env = kwargs.get("env")
        assert isinstance(env, dict)
        pools.append(env.get(worker.THREADS))
        return real(command, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(worker.subprocess, "Popen", started)
    monkeypatch.delenv(worker.THREADS, raising=False)
    one = dict(deck.SiteDeck(model, 0, None, threads=1).pdf_files())
    assert pools and set(pools) == {"1"}
    pools.clear()
    default = dict(deck.SiteDeck(model, 0, None).pdf_files())
    assert pools and set(pools) == {None}
    assert one == default and len(one) == 2


def test_a_build_lays_its_cards_out_on_the_cores_the_engine_leaves(
    base_playbook: Path, tmp_path: Path
) -> None:
    """The build's cards beside the engine: one core fewer than this process may use, at
    least one (on this 2-core machine: one)."""
    log = tmp_path / "threads.log"
    recording = (
        "from sales_playbook.cards import printables\n"
        "real = printables.printables\n"
        "def recorded(*args, threads=None):\n"
        f"    open({str(log)!r}, 'a').write(f'{{threads}}\\n')\n"
        "    return real(*args, threads=threads)\n"
        "printables.printables = recorded\n"
    )
    done = run_build(base_playbook, tmp_path, "--no-history", python=recording)
    assert done.returncode == 0, done.stderr
    cores = len(os.sched_getaffinity(0))
    assert log.read_text().split() == [str(max(1, cores - 1))]
    assert commands_build.beside_the_engine() == max(1, cores - 1)
