"""Decision cards: model -> card data -> PDF (Typst), one card per entry.

The site also carries an HTML print view of the deck (Jinja2, `deck.html.j2`).

A card that does not fit on one side is an error naming the entry's file and by how
many millimetres it overflows; it is never clipped or continued on a second page.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing
from dataclasses import asdict, dataclass
from functools import partial
from html import escape
from typing import Any, Protocol

import segno

from .. import __version__
from ..errors import PlaybookError, Problem
from ..model.card_numbers import card_number
from ..model.kinds import ENTRY_KINDS
from ..model.levels import level_name
from ..model.playbook import Entry, EscalationPath, NonNegotiable, Playbook, Underperformance
from ..site.templates import FOLDER_OF_KIND, environment
from ..text import Text, labels
from . import carddata, pdf_join
from .hyphens import WIDE_TITLE_HINT
from .options import PADDING_MM, SAFE_MM, SHEET_MM, CardOptions
from .spacing import unbroken_data
from .typeset import (
    EngineError,
    engine,
    engine_problem,
    layout_epoch,
)
from .worker import lay_out


@dataclass(frozen=True)
class Card:
    entry: Entry
    number: str
    url: str
    short_url: str
    qr_svg: str
    page: str  # the entry's page, relative to the site's root
    marks: tuple[str, ...] = ()  # for whom it holds: a team, a level (carddata.marks)
    levels: tuple[str, ...] = ()  # bands that vary by level: how the levels differ


class Store(Protocol):
    """Where laid-out card pages are kept between builds (see `runtime/cache.py`)."""

    def get(self, key: str) -> bytes | None: ...

    def put(self, key: str, data: bytes) -> None: ...


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
    # the teams' own rules are cards of the organisation's deck too, each marked with its
    # team (a team's deck has its own among its entries)
    return [
        e
        for e in (*model.in_force, *(n for n in model.team_rules if n.in_force))
        if (not kinds or e.kind in kinds)
        and (not roles or any(involves(model, e, r) for r in roles))
        and (not tags or set(tags) & set(e.tags))
    ]


def qr_svg(url: str) -> str:
    # a fixed mask is valid QR and spares evaluating all eight (5x faster per card)
    qr = segno.make(url, error="m", mask=2, micro=False, boost_error=False)
    return str(qr.svg_inline(scale=1, border=0, omitsize=True))


def make_card(
    model: Playbook,
    entry: Entry,
    codes: dict[str, str] | None = None,
    levelled: frozenset[str] = frozenset(),
) -> Card:
    """`codes`: QR codes already made, by URL (see `make_cards`); `levelled`: the entries
    whose content depends on the level the model was resolved at (`carddata.marks`)."""
    number = card_number(entry.kind, entry.first_id)  # unchanged by renames
    page = _page(entry)
    url = f"{model.site_url}{page}"
    short_url = f"{model.site_url}c/{number}.html"
    code = codes.get(short_url) if codes else None
    fmt = Text(model.language)
    return Card(
        entry, number, url, short_url, code or qr_svg(short_url), page,
        tuple(carddata.marks(model, entry, entry.id in levelled, fmt)),
        tuple(carddata.level_lines(model, entry, fmt)),
    )  # fmt: skip


def make_cards(
    model: Playbook,
    entries: Sequence[Entry],
    store: Store | None,
    levelled: frozenset[str] = frozenset(),
) -> list[Card]:
    """The entries' cards; their QR codes (2 ms each) kept in `store` between builds,
    compressed (SVG paths: 9 MB at 5,000 cards, a quarter of that compressed)."""
    if store is None:
        return [make_card(model, e, None, levelled) for e in entries]
    key = _key("qr", segno.__version__, model.site_url)
    try:
        kept = json.loads(zlib.decompress(store.get(key) or zlib.compress(b"{}")))
    except (ValueError, zlib.error):  # a store returns what it verified; never trust it blindly
        kept = {}
    codes = {k: v for k, v in kept.items() if isinstance(k, str) and isinstance(v, str)}
    cards = [make_card(model, e, codes, levelled) for e in entries]
    made = {c.short_url: c.qr_svg for c in cards}
    if made != codes:
        store.put(key, zlib.compress(json.dumps(made, sort_keys=True).encode(), 6))
    return cards


NOINDEX = '<meta name="robots" content="noindex, nofollow">'  # a private site's pages


def _redirect(title: str, target: str, public: bool = False) -> str:
    """A page that sends the browser on to `target` (relative to the page)."""
    return (
        f'<!doctype html><meta charset="utf-8"><title>{escape(title)}</title>'
        + ("" if public else NOINDEX)
        + f'<meta http-equiv="refresh" content="0; url={escape(target)}">'
        f'<a href="{escape(target)}">{escape(title)}</a>\n'
    )


def redirect_pages(entries: Iterable[Entry], public: bool = False) -> dict[str, str]:
    """`c/<number>.html` -> the entry's page: the short URLs printed on the entries' cards.

    A renamed entry keeps its number (from its first id); the numbers its later former ids
    would have had redirect as well, in case a card was printed under one of them.
    """
    linked = [(e, card_number(e.kind, e.first_id), _page(e)) for e in entries]
    pages = {f"c/{n}.html": _redirect(n, f"../{page}", public) for _, n, page in linked}
    for entry, _, page in linked:
        for old in entry.previous_ids:
            number = card_number(entry.kind, old)
            pages.setdefault(f"c/{number}.html", _redirect(number, f"../{page}", public))
    return pages


def _page(entry: Entry) -> str:
    """The entry's page, relative to the site's root."""
    return f"{FOLDER_OF_KIND[entry.kind]}/{entry.id}.html"


def moved_pages(model: Playbook) -> dict[str, str]:
    """`<folder>/<former id>.html` -> the entry's page: old links keep working."""
    return {
        f"{FOLDER_OF_KIND[e.kind]}/{old}.html": _redirect(e.title, f"{e.id}.html", model.public)
        for e in model.entries
        for old in e.previous_ids
    }


def deck_html(model: Playbook, cards: Sequence[Card], options: CardOptions) -> str:
    """The deck's HTML print view, for the screen and the office printer."""
    return (
        environment(model, "cards")
        .get_template("deck.html.j2")
        .render(cards=cards, o=options, padding=PADDING_MM)
    )


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


def _wide_title_problem(card: Card, options: CardOptions, over_mm: float) -> Problem:
    return Problem(
        card.entry.file,
        1,
        1,
        "card-overflow",
        f"card {card.number}: the title \u201c{card.entry.title}\u201d does not fit across the "
        f"{options.size} card even at its smallest size: a word is {over_mm:.1f} mm too wide",
        WIDE_TITLE_HINT,
    )


@dataclass(frozen=True)
class Deck:
    pdf: bytes
    view_html: str
    cards: tuple[Card, ...]
    pages: int


def deck_data(
    model: Playbook, cards: Sequence[Card], options: CardOptions, fmt: Text
) -> dict[str, Any]:
    """Everything `deck.typ` needs for these cards, as plain data (see carddata.py)."""
    return {
        "title": _title(model),
        "language": model.language,
        "kinds": list(ENTRY_KINDS),
        "labels": carddata.labels(fmt),
        "options": {
            "width": options.width_mm,
            "height": options.height_mm,
            "padding": PADDING_MM,
            "footer": options.footer_mm,
            "band": options.band_mm,
            "bleed": options.bleed_mm,
            "margin": options.margin_mm,
            "marks_from": options.marks_from_mm,
            "crop_marks": options.crop_marks,
            "font_pt": options.font_pt,
        },
        # no line break between a number and its unit ("70 %"); markup and links as they are
        "cards": [
            unbroken_data(
                carddata.card(model, c.entry, c.number, c.short_url, c.qr_svg, fmt, c.marks),
                AS_IS,
            )
            for c in cards
        ],
    }


AS_IS = frozenset({"qr", "icon", "short_url", "number", "colour", "kind"})
GROUP_EVERY = 16  # cards per group on average: a changed card lays out its group again
GROUP_AT_MOST = 32


def groups(cards: Sequence[Card]) -> list[list[Card]]:
    """The cards in runs that end where a card's number says so (by its hash).

    Adding or removing a card changes only its own run, so every other run's pages stay
    cached; a run shares its fonts, so the deck stays small.
    """
    runs: list[list[Card]] = [[]]
    for card in cards:
        runs[-1].append(card)
        digest = int(hashlib.sha256(card.number.encode()).hexdigest()[:8], 16)
        if digest % GROUP_EVERY == 0 or len(runs[-1]) == GROUP_AT_MOST:
            runs.append([])
    return [run for run in runs if run]


def _key(*parts: str) -> str:
    digest = hashlib.sha256()
    for part in (__version__, engine(), *parts):
        digest.update(part.encode())
        digest.update(b"\0")
    return digest.hexdigest()


def _groups(
    model: Playbook, cards: Sequence[Card], options: CardOptions, epoch: int
) -> list[tuple[list[Card], str, str]]:
    """The cards in groups (laid out together), each with what its layout reads (JSON)
    and its key: everything the group's PDF shows."""
    fmt = Text(model.language)
    made = []
    for run in groups(cards):
        data = json.dumps(deck_data(model, run, options, fmt), sort_keys=True, ensure_ascii=False)
        made.append((run, data, _key("cards", str(epoch), data)))
    return made


def _pages(
    model: Playbook,
    cards: Sequence[Card],
    options: CardOptions,
    epoch: int,
    store: Store | None,
    grouped: Sequence[tuple[list[Card], str, str]] | None = None,
    threads: int | None = None,
) -> list[tuple[str, Part, int]]:
    """Each group's key, its PDF (one card per page) and its page count: from `store`
    where cached, else laid out (in a worker process, see `cards/worker.py`). Raises
    PlaybookError naming every card that overflows.

    With a `store`, the groups' PDFs stay in it (a large one on disk), not in memory:
    each comes as what reads it when the deck is joined (60 MB at 5,000 cards, bench/).
    """
    if grouped is None:
        grouped = _groups(model, cards, options, epoch)
    runs = [run for run, _, _ in grouped]
    keys: list[str] = []
    pdfs: dict[int, Part] = {}
    todo: list[int] = []

    def jobs() -> Iterator[str]:
        for index, (_, data, group_key) in enumerate(grouped):
            keys.append(group_key)
            if store is None or store.get(group_key) is None:
                todo.append(index)
                yield data
            else:
                pdfs[index] = partial(_read, store, group_key)

    problems: list[Problem] = []
    try:
        # one group at a time: a worker's jobs are read before it lays them out (`todo`);
        # closed on the way out, whatever happens, so its worker and files end with it
        with closing(lay_out(jobs(), epoch, threads)) as laid:
            for done, result in enumerate(laid):
                index = todo[done]
                by_number = {c.number: c for c in runs[index]}
                problems += [
                    _overflow_problem(by_number[number], options, over)
                    for number, over in result.overflows.items()
                ]
                problems += [
                    _wide_title_problem(by_number[number], options, over)
                    for number, over in result.wide.items()
                ]
                if store is None:
                    pdfs[index] = result.pdf
                elif not (result.overflows or result.wide):
                    store.put(keys[index], result.pdf)
                    pdfs[index] = partial(_read, store, keys[index])
    except EngineError as error:
        # a bug in the templates, never the playbook's (a text no font shows is printed
        # all the same, and `card-glyphs` warns of it)
        raise PlaybookError([engine_problem("deck.typ", "card", str(error))]) from None
    if problems:
        raise PlaybookError(problems)
    return [(keys[i], pdfs[i], len(run)) for i, run in enumerate(runs)]


# a group's PDF, or what reads it (from the build cache) when the deck is joined
Part = bytes | Callable[[], bytes]


def _assembled(
    model: Playbook,
    pages: Sequence[tuple[str, Part, int]],
    options: CardOptions,
    layout: str,
    epoch: int,
    store: Store | None,
) -> bytes:
    """The deck (`cards`: one to a page; `sheets`: n-up on A4) from the groups' pages,
    streamed: one group is read at a time (pdf_join.py)."""
    cols, rows = options.grid()
    sheet = pdf_join.Sheets(
        (options.width_mm, options.height_mm),
        SHEET_MM,
        cols,
        min(options.n_up, cols * rows),
        SAFE_MM,
    )
    title = _title(model)
    parts = [key for key, _, _ in pages]
    shape = json.dumps([title, layout, asdict(sheet), options.bleed_mm, parts], ensure_ascii=False)
    key = _key("deck", str(epoch), shape)
    cached = store.get(key) if store else None
    if cached is not None:
        return cached
    pdfs = (pdf if isinstance(pdf, bytes) else pdf() for _, pdf, _ in pages)
    try:
        if layout == "sheets":
            deck = pdf_join.sheets(pdfs, sheet, title, epoch)
        else:
            deck = pdf_join.cards(pdfs, title, epoch, options.bleed_mm)
    except pdf_join.PartError as error:
        raise PlaybookError(
            [engine_problem("deck.typ", "card", f"the card pages could not be joined: {error}")]
        ) from None
    if store:
        store.put(key, deck)
    return deck


def build_deck(
    model: Playbook,
    entries: Sequence[Entry],
    options: CardOptions,
    epoch: int | None = None,
    store: Store | None = None,
    levelled: frozenset[str] = frozenset(),
) -> Deck:
    """The PDF and the HTML print view; raises PlaybookError if a card overflows.

    An n-up deck puts the cards on A4 sheets, `options.n_up` to a sheet, with cut lines.
    `levelled`: see `make_card`.
    """
    cards = make_cards(model, entries, store, levelled)
    stamp = layout_epoch(model, epoch)
    pages = _pages(model, cards, options, stamp, store)
    layout = "sheets" if options.n_up > 1 else "cards"
    pdf = _assembled(model, pages, options, layout, stamp, store)
    per_sheet = min(options.n_up, options.grid()[0] * options.grid()[1])
    count = len(cards) if layout == "cards" else -(-len(cards) // per_sheet)
    return Deck(pdf, deck_html(model, cards, options), tuple(cards), count)


def _title(model: Playbook) -> str:
    """As the deck's <title>; a team's or a level's deck says whose it is."""
    t = labels(model.language)
    team = model.team_named(model.team) if model.team else None
    whose = [str(t["card_team_own"].format(team=team.name))] if team else []
    if model.level:
        whose.append(str(t["card_level"].format(level=level_name(model, model.level))))
    suffix = f" ({', '.join(whose)})" if whose else ""
    return f"{t['cards_title']} \u2013 {model.title}{suffix}"


def _view(
    model: Playbook,
    cards: Sequence[Card],
    options: CardOptions,
    keys: Sequence[str],
    store: Store | None,
) -> bytes:
    """The HTML print view (UTF-8), from `store` if its cards are those of the groups with
    these `keys`: it shows what their data holds (the groups' keys cover it)."""
    key = _key("view", repr(options), f"public={model.public}", *keys)
    cached = store.get(key) if store else None
    if cached is not None:
        return cached
    view = deck_html(model, cards, options).encode("utf-8")
    if store:
        store.put(key, view)
    return view


VIEW_FILE = "cards/index.html"  # the deck's print view
SITE_FILE_NAMES = (VIEW_FILE, "cards/decision-cards.pdf", "cards/decision-cards-a4.pdf")
SITE_DECK = CardOptions("A6", bleed_mm=3.0, crop_marks=True)
SITE_OFFICE_DECK = CardOptions("A6", n_up=4)


def link_pages(model: Playbook) -> dict[str, str]:
    """The site's short links (`c/<number>.html`, printed on the cards) and the pages of
    former ids: from the model alone, so they go into the docs while the cards are
    still being laid out."""
    return {**redirect_pages(select(model), model.public), **moved_pages(model)}


class SiteDeck:
    """What the site carries under cards/: the print view (`view_files`) and both PDFs
    (`pdf_files`, laid out by Typst in worker processes). `playbook build` makes them
    beside the site engine (`cards/printables.py`); the short links come from `link_pages`.

    Both decks come from the same card pages (laid out once, with bleed and crop marks):
    the office deck puts them four to an A4 sheet, cut to their trim and scaled to keep
    clear of the edge an office printer cannot print (`options.SAFE_MM`).
    """

    def __init__(
        self,
        model: Playbook,
        epoch: int | None = None,
        store: Store | None = None,
        threads: int | None = None,
    ) -> None:
        self.model, self.store, self.threads = model, store, threads
        self.cards = make_cards(model, select(model), store)
        self.stamp = layout_epoch(model, epoch)
        self.grouped = _groups(model, self.cards, SITE_DECK, self.stamp)

    def view_files(self) -> dict[str, str | bytes]:
        keys = [key for _, _, key in self.grouped]
        # UTF-8 already: as a str with one character outside Latin-1, it took twice the room
        return {VIEW_FILE: _view(self.model, self.cards, SITE_DECK, keys, self.store)}

    def lay_out(self) -> None:
        """Lay out every group (Typst, in a worker process; cached groups from the
        store). Raises PlaybookError naming every card that overflows. The groups' PDFs
        stay in the store (on disk), not in memory, until `pdf_files` joins them."""
        self.laid = _pages(
            self.model, self.cards, SITE_DECK, self.stamp, self.store, self.grouped, self.threads
        )

    def pdf_files(self) -> Iterator[tuple[str, bytes]]:
        """Both decks, joined from the laid-out groups one deck at a time (`lay_out`
        first, else it runs now)."""
        if not hasattr(self, "laid"):
            self.lay_out()
        model, stamp, store = self.model, self.stamp, self.store
        cards, sheets = PDF_FILE_NAMES
        yield cards, _assembled(model, self.laid, SITE_DECK, "cards", stamp, store)
        yield sheets, _assembled(model, self.laid, SITE_OFFICE_DECK, "sheets", stamp, store)


def _read(store: Store, key: str) -> bytes:
    """A laid-out group's PDF from the store it was put in (or found in)."""
    found = store.get(key)
    if found is None:  # a store that lost what it held: a bug, not the playbook's
        raise PlaybookError([engine_problem("deck.typ", "card", f"group {key} is gone")])
    return found


# `playbook build` lays out decks up to this many cards while the site engine builds, a
# larger one before it: together they would take more than 500 MB (bench/RESULTS.md)
BESIDE_ENGINE_UP_TO = 2_000
PDF_FILE_NAMES = ("cards/decision-cards.pdf", "cards/decision-cards-a4.pdf")


def site_files(
    model: Playbook, epoch: int | None = None, store: Store | None = None
) -> dict[str, str | bytes]:
    """Everything the site carries of its deck at once: `link_pages` and `SiteDeck`."""
    deck = SiteDeck(model, epoch, store)
    return {**link_pages(model), **deck.view_files(), **dict(deck.pdf_files())}
