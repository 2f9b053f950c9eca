"""The deck joiner reads what PDF 1.5 writers write: cross-reference streams, object
streams, incremental updates. The parts are Typst's own, re-saved by qpdf (through
pikepdf) with object streams, or updated by pypdf; the decks joined from them are read
back and compared with the decks joined from Typst's parts as they came."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject

from sales_playbook.cards import pdf_join
from sales_playbook.cards.deck import SITE_DECK, SITE_OFFICE_DECK, _pages, make_cards, select
from sales_playbook.cards.options import SAFE_MM, SHEET_MM
from sales_playbook.cards.pdf_streams import unpredicted
from sales_playbook.source import check

from .conftest import TODAY
from .pdfdraw import structure

EPOCH = 1_790_000_000
TITLE = "Karten"


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[bytes]:
    """Typst's group PDFs for a playbook of 40 entries (a few groups)."""
    from bench.generate import generate

    playbook = generate(40, tmp_path_factory.mktemp("join") / "playbook")
    model = check.check(playbook, TODAY).model
    cards = make_cards(model, select(model), None)
    found = [pdf for _, pdf, _ in _pages(model, cards, SITE_DECK, EPOCH, None)]
    assert len(found) >= 3
    return found


def resaved(pdf: bytes) -> bytes:
    """The PDF as qpdf writes it with object streams (and so a cross-reference stream)."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf)) as opened:
        opened.save(
            out, object_stream_mode=pikepdf.ObjectStreamMode.generate, deterministic_id=True
        )
    return out.getvalue()


@pytest.fixture(scope="module")
def compressed(parts: list[bytes]) -> list[bytes]:
    found = [resaved(pdf) for pdf in parts]
    for pdf in found:  # what the parts must be for the tests to mean anything
        assert b"/ObjStm" in pdf and re.search(rb"/Type\s*/XRef", pdf)
        assert not re.search(rb"\sxref\s", pdf)  # no classic table
        # the pages themselves sit inside object streams, compressed
        assert not re.search(rb"/Type\s*/Page\b", pdf)
    return found


def sheets_layout() -> pdf_join.Sheets:
    cols, rows = SITE_OFFICE_DECK.grid()
    per_sheet = min(SITE_OFFICE_DECK.n_up, cols * rows)
    size = (SITE_OFFICE_DECK.width_mm, SITE_OFFICE_DECK.height_mm)
    return pdf_join.Sheets(size, SHEET_MM, cols, per_sheet, SAFE_MM)


def joined(parts: list[bytes], layout: str) -> bytes:
    if layout == "sheets":
        return pdf_join.sheets(iter(parts), sheets_layout(), TITLE, EPOCH)
    return pdf_join.cards(iter(parts), TITLE, EPOCH, SITE_DECK.bleed_mm)


def summary(pdf: bytes) -> dict[str, object]:
    """What a reader sees of a deck: per page its boxes, text and annotations; the
    structure tree; the PDF/UA-1 claim."""
    reader = PdfReader(io.BytesIO(pdf))
    found = structure(reader)
    assert found["broken"] == []  # every marked content leads back to its element
    assert len(found["ids"]) == len(set(found["ids"]))
    assert set(found["headers"]) <= set(found["ids"])
    catalog = reader.trailer["/Root"]
    return {
        "pages": [
            (
                [round(float(v), 2) for v in page.trimbox],
                [round(float(v), 2) for v in page.bleedbox],
                [round(float(v), 2) for v in page.mediabox],
                page.extract_text(),
                len(page.get("/Annots", [])),
            )
            for page in reader.pages
        ],
        "types": found["types"],
        "alts": found["alts"],
        "ids": sorted(found["ids"]),
        "ua": b"<pdfuaid:part>1</pdfuaid:part>" in catalog["/Metadata"].get_data(),
        "lang": catalog["/Lang"],
    }


@pytest.mark.parametrize("layout", ["cards", "sheets"])
def test_parts_with_object_streams_join_into_the_same_deck(
    parts: list[bytes], compressed: list[bytes], layout: str
) -> None:
    expected = summary(joined(parts, layout))
    deck = joined(compressed, layout)
    assert summary(deck) == expected
    reader = PdfReader(io.BytesIO(deck))
    pages = sum(len(PdfReader(io.BytesIO(p)).pages) for p in parts)
    assert len(reader.pages) == (pages if layout == "cards" else -(-pages // 4))
    assert expected["ua"] is True and expected["types"].count("/H1") == pages  # type: ignore[union-attr]
    assert joined(compressed, layout) == deck  # equal parts, equal bytes


def test_a_deck_from_object_streams_reads_the_same_in_poppler(
    parts: list[bytes], compressed: list[bytes], tmp_path: Path
) -> None:
    import subprocess

    texts = []
    for name, given in (("plain", parts), ("compressed", compressed)):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(joined(given, "cards"))
        texts.append(subprocess.run(["pdftotext", str(path), "-"], capture_output=True,
                                    check=True, text=True).stdout)  # fmt: skip
    assert texts[0] == texts[1]
    assert len(texts[0]) > 1000


def updated(pdf: bytes, page: int, trim: list[float]) -> bytes:
    """The PDF with an incremental update (pypdf: a cross-reference stream whose /Prev is
    the original table) that gives page `page` another TrimBox."""
    writer = PdfWriter(io.BytesIO(pdf), incremental=True)
    writer.pages[page][NameObject("/TrimBox")] = ArrayObject(FloatObject(v) for v in trim)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_incremental_update_is_read_as_the_newest_version(parts: list[bytes]) -> None:
    reader = PdfReader(io.BytesIO(parts[1]))
    trim = [float(v) for v in reader.pages[0].trimbox]
    smaller = [trim[0] + 10, trim[1] + 10, trim[2] - 10, trim[3] - 10]
    part = updated(parts[1], 0, smaller)
    assert part.startswith(parts[1]) and b"/Prev" in part[len(parts[1]) :]  # appended
    before = len(PdfReader(io.BytesIO(parts[0])).pages)
    deck = PdfReader(io.BytesIO(pdf_join.cards([parts[0], part], TITLE, EPOCH, 3.0)))
    bleed = 3 * 72 / 25.4
    assert [float(v) for v in deck.pages[before].trimbox] == pytest.approx(smaller)
    assert [float(v) for v in deck.pages[before].bleedbox] == pytest.approx(
        [smaller[0] - bleed, smaller[1] - bleed, smaller[2] + bleed, smaller[3] + bleed], abs=1e-3
    )
    assert [float(v) for v in deck.pages[before + 1].trimbox] == pytest.approx(trim)
    # and an update of a part with object streams
    again = updated(resaved(parts[1]), 0, smaller)
    deck = PdfReader(io.BytesIO(pdf_join.cards([parts[0], again], TITLE, EPOCH, 3.0)))
    assert [float(v) for v in deck.pages[before].trimbox] == pytest.approx(smaller)


def test_a_cross_reference_chain_that_loops_is_an_error(compressed: list[bytes]) -> None:
    part = compressed[0]
    start = int(part[part.rindex(b"startxref") + 9 :].split()[0])
    looping = re.sub(rb"/Type\s*/XRef", b"/Prev %d /Type /XRef" % start, part, count=1)
    assert looping != part
    with pytest.raises(pdf_join.PartError, match="loop"):
        pdf_join.cards([looping], TITLE, EPOCH)


def _filtered(rows: list[bytes], kind: int, pixel: int) -> bytes:
    """PNG rows filtered by `kind` (the encoder side, after the PNG specification)."""
    out, previous = b"", bytes(len(rows[0]))
    for row in rows:
        encoded = bytearray()
        for i, byte in enumerate(row):
            left = row[i - pixel] if i >= pixel else 0
            up, corner = previous[i], previous[i - pixel] if i >= pixel else 0
            estimate = left + up - corner
            paeth = min((abs(estimate - left), 0, left), (abs(estimate - up), 1, up),
                        (abs(estimate - corner), 2, corner))[2]  # fmt: skip
            add = (0, left, up, (left + up) // 2, paeth)[kind]
            encoded.append((byte - add) & 0xFF)
        out += bytes([kind]) + bytes(encoded)
        previous = row
    return out


@pytest.mark.parametrize("kind", [0, 1, 2, 3, 4])
def test_png_predictors_are_undone(kind: int) -> None:
    rows = [bytes((r * 37 + c * 91 + (c * r) % 7) % 256 for c in range(6)) for r in range(5)]
    assert unpredicted(_filtered(rows, kind, 2), 2, 6) == b"".join(rows)
