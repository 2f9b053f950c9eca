"""What the site carries to print: the deck's print view, both decks and the delegation
board's poster. `playbook build` makes them beside the site engine (commands/build.py):
the docs hold an empty stand-in under each name, which the file made here replaces in
the built site.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..model.playbook import Playbook
from ..runtime.memory import release
from ..site.board import board
from . import deck, poster
from .deck import Store


def with_poster(model: Playbook) -> bool:
    """Whether the site has a poster: its board page links one."""
    return board(model).printable


SITE_POSTER = poster.SITE_FILE


def names(poster_too: bool) -> list[str]:
    """The site paths `printables` fills (`poster_too`: `with_poster`)."""
    return [*deck.SITE_FILE_NAMES, *([SITE_POSTER] if poster_too else [])]


def printables(
    model: Playbook, epoch: int, store: Store | None, poster_too: bool, threads: int | None = None
) -> Iterator[tuple[str, bytes]]:
    """Each of `names(poster_too)` and its bytes, one at a time (a large deck need not
    stay in memory); laid-out groups, decks and the poster from `store` where
    unchanged. Raises PlaybookError naming every card that overflows, before any PDF.
    `threads`: how many threads Typst lays the cards out with (`worker.lay_out`)."""
    # between the steps, what the last one left is given back to the system: a very large
    # deck is made in the build's own process, which the site engine uses next (bench/)
    site_deck = deck.SiteDeck(model, epoch, store, threads)
    yield from _encoded(site_deck.view_files())
    release()
    site_deck.lay_out()
    release()
    if poster_too:
        yield from _encoded(poster.site_files(model, epoch, store))
    for name, pdf in site_deck.pdf_files():
        yield name, pdf
        del pdf
        release()


def _encoded(files: dict[str, str | bytes]) -> Iterator[tuple[str, bytes]]:
    """Each file as bytes, let go of once given (the print view of 5,000 cards: 17 MB)."""
    while files:
        name, data = files.popitem()
        yield name, data if isinstance(data, bytes) else data.encode("utf-8")
        del data
