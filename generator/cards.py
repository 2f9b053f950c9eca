"""Decision cards: model -> card HTML -> PDF (WeasyPrint), one card per entry.

A card that does not fit on one side is an error naming the entry's file and by how
many millimetres it overflows; it is never clipped or continued on a second page.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from html import escape
from typing import Any

import segno

from .cardoptions import (
    PADDING_MM,
    PX_PER_MM,
    SHEET_MM,
    CardOptions,
)
from .errors import PlaybookError, Problem
from .impose import impose
from .model import Entry, EscalationPath, NonNegotiable, Playbook, Underperformance
from .numbers import card_number
from .parallel import over_cores
from .render import FOLDER_OF_KIND, environment
from .resources import template_dir
from .text import labels


@dataclass(frozen=True)
class Card:
    entry: Entry
    number: str
    url: str
    short_url: str
    qr_svg: str
    page: str  # the entry's page, relative to the site's root


def involves(model: Playbook, entry: Entry, role: str) -> bool:
    """Whether `role` owns, decides in, is consulted or informed on, or is bound by `entry`."""
    if entry.owner == role:
        return True
    if isinstance(entry, NonNegotiable):
        return role in entry.applies_to
    if isinstance(entry, EscalationPath):
        return any(role in (b.decider, *b.consult, *b.inform) for b in entry.bands)
    if isinstance(entry, Underperformance):
        return any(step.owner == role for step in entry.steps)
    return False


def select(
    model: Playbook,
    kinds: Sequence[str] = (),
    roles: Sequence[str] = (),
    tags: Sequence[str] = (),
) -> list[Entry]:
    return [
        e
        for e in model.in_force
        if (not kinds or e.kind in kinds)
        and (not roles or any(involves(model, e, r) for r in roles))
        and (not tags or set(tags) & set(e.tags))
    ]


def make_card(model: Playbook, entry: Entry) -> Card:
    number = card_number(entry.kind, entry.first_id)  # unchanged by renames
    page = f"{FOLDER_OF_KIND[entry.kind]}/{entry.id}.html"  # from the site's root
    url = f"{model.site_url}{page}"
    short_url = f"{model.site_url}c/{number}.html"
    # a fixed mask is valid QR and spares evaluating all eight (5x faster per card)
    qr = segno.make(short_url, error="m", mask=2, micro=False, boost_error=False)
    qr_svg = qr.svg_inline(scale=1, border=0, omitsize=True)
    return Card(entry, number, url, short_url, qr_svg, page)


def _redirect(title: str, target: str) -> str:
    """A page that sends the browser on to `target` (relative to the page)."""
    return (
        f'<!doctype html><meta charset="utf-8"><title>{escape(title)}</title>'
        f'<meta http-equiv="refresh" content="0; url={escape(target)}">'
        f'<a href="{escape(target)}">{escape(title)}</a>\n'
    )


def redirect_pages(cards: Iterable[Card]) -> dict[str, str]:
    """`c/<number>.html` -> the entry's page: the short URLs printed on the cards.

    A renamed entry keeps its number (from its first id); the numbers its later former ids
    would have had redirect as well, in case a card was printed under one of them.
    """
    cards = list(cards)
    pages = {f"c/{card.number}.html": _redirect(card.number, f"../{card.page}") for card in cards}
    for card in cards:
        for old in card.entry.previous_ids:
            number = card_number(card.entry.kind, old)
            pages.setdefault(f"c/{number}.html", _redirect(number, f"../{card.page}"))
    return pages


def moved_pages(model: Playbook) -> dict[str, str]:
    """`<folder>/<former id>.html` -> the entry's page: old links keep working."""
    return {
        f"{FOLDER_OF_KIND[e.kind]}/{old}.html": _redirect(e.title, f"{e.id}.html")
        for e in model.entries
        for old in e.previous_ids
    }


def deck_html(
    model: Playbook, cards: Sequence[Card], options: CardOptions, *, mode: str = "pdf"
) -> str:
    """mode: `pdf` (the deck), `measure` (tall pages, to find overflow), `view` (screen)."""
    return (
        environment(model, "cards")
        .get_template("deck.html.j2")
        .render(cards=cards, o=options, mode=mode, padding=PADDING_MM)
    )


def _pdf_document(html: str) -> Any:
    from weasyprint import HTML  # imported late: loading Pango costs time

    return HTML(string=html, base_url=str(template_dir() / "cards")).render()


def _anchors(document: Any) -> dict[str, tuple[int, float]]:
    return {
        name: (index, y)
        for index, page in enumerate(document.pages)
        for name, (_, y, *_rest) in page.anchors.items()
    }


def _overflow_problem(card: Card, options: CardOptions, over_mm: float) -> Problem:
    return Problem(
        card.entry.file,
        1,
        1,
        "card-overflow",
        f"card {card.number} ({card.entry.title}) does not fit on one {options.size} side: "
        f"it overflows by {over_mm:.1f} mm",
        "shorten the entry's texts or lists; text scales with the card, so every size holds "
        "about the same",
    )


def overflows(
    model: Playbook, cards: Sequence[Card], options: CardOptions, document: Any
) -> list[Problem]:
    """Cards whose content runs past the footer in `document` (one card per page).

    Only those are measured again, each on a very tall page, to say by how much.
    """
    anchors = _anchors(document)
    available_px = (options.height_mm - PADDING_MM - options.footer_mm) * PX_PER_MM

    def fits(card: Card) -> bool:
        # content cut off by the fixed-height card may lose its end anchor altogether
        end = anchors.get(f"end-{card.number}")
        start_page = anchors[f"card-{card.number}"][0]
        return end is not None and end[0] == start_page and end[1] <= available_px + 0.2

    too_long = [card for card in cards if not fits(card)]
    if not too_long:
        return []
    measured = _anchors(_pdf_document(deck_html(model, too_long, options, mode="measure")))
    return [
        _overflow_problem(
            card, options, (measured[f"end-{card.number}"][1] - available_px) / PX_PER_MM
        )
        for card in too_long
    ]


@dataclass(frozen=True)
class Deck:
    pdf: bytes
    view_html: str
    cards: tuple[Card, ...]
    pages: int


def build_deck(model: Playbook, entries: Sequence[Entry], options: CardOptions) -> Deck:
    """The PDF and the HTML print view; raises PlaybookError if a card overflows.

    Cards are laid out one per page (large decks in parallel, one chunk per core, then
    joined with pypdf); an n-up deck puts those pages on A4 sheets.
    """
    cards = [make_card(model, e) for e in entries]
    single = replace(options, n_up=1)
    parts = over_cores(lambda chunk: _render_checked(model, chunk, single), cards, PARALLEL_FROM)
    problems = [p for _, _, found in parts for p in found]
    if problems:
        raise PlaybookError(problems)
    pdfs = [pdf for part, _, _ in parts for pdf in part]
    pdf = pdfs[0] if len(pdfs) == 1 else _join(pdfs, model)
    pages = sum(n for _, n, _ in parts)
    deck = Deck(pdf, deck_html(model, cards, options, mode="view"), tuple(cards), pages)
    return n_up(model, deck, options) if options.n_up > 1 else deck


def n_up(model: Playbook, deck: Deck, options: CardOptions) -> Deck:
    """The deck's card pages, `options.n_up` to an A4 sheet, with cut lines."""
    cols, rows = options.grid()
    pdf, sheets = impose(deck.pdf, min(options.n_up, cols * rows), cols, SHEET_MM, _title(model))
    return replace(deck, pdf=pdf, pages=sheets)


PARALLEL_FROM = 60  # cards; fewer are laid out in this process


LAYOUT_AT_MOST = 100  # cards per WeasyPrint document: keeps memory flat for any deck size


def _render_checked(
    model: Playbook, cards: Sequence[Card], options: CardOptions
) -> tuple[list[bytes], int, list[Problem]]:
    """One chunk, one card per page, checked for overflow: PDFs of at most LAYOUT_AT_MOST
    cards each (a layout's memory grows with its pages), their page count, the problems."""
    pdfs: list[bytes] = []
    pages = 0
    problems: list[Problem] = []
    for start in range(0, len(cards), LAYOUT_AT_MOST):
        batch = cards[start : start + LAYOUT_AT_MOST]
        document = _pdf_document(deck_html(model, batch, options))
        problems += overflows(model, batch, options, document)
        if not problems:
            pdfs.append(document.write_pdf())
            pages += len(document.pages)
    return pdfs, pages, problems


def _title(model: Playbook) -> str:
    return f"{labels(model.language)['cards_title']} \u2013 {model.title}"  # as the deck's <title>


def _join(parts: list[bytes], model: Playbook) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    writer.add_metadata({"/Title": _title(model)})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


SITE_FILE_NAMES = ("cards/index.html", "cards/decision-cards.pdf", "cards/decision-cards-a4.pdf")
SITE_DECK = CardOptions("A6", bleed_mm=3.0, crop_marks=True)
SITE_OFFICE_DECK = CardOptions("A6", n_up=4)


def site_files(model: Playbook) -> dict[str, str | bytes]:
    """What the site carries under cards/ and c/: print view, both PDFs, short links."""
    deck = build_deck(model, model.in_force, SITE_DECK)
    office_pdf = n_up(model, deck, SITE_OFFICE_DECK).pdf  # the same pages, 4 to a sheet
    files: dict[str, str | bytes] = {
        "cards/index.html": deck.view_html,
        "cards/decision-cards.pdf": deck.pdf,
        "cards/decision-cards-a4.pdf": office_pdf,
    }
    files.update(redirect_pages(deck.cards))
    files.update(moved_pages(model))
    return files
