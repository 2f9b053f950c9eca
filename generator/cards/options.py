"""What a deck of cards looks like: size, bleed, crop marks, cards per sheet."""

from __future__ import annotations

from dataclasses import dataclass

SIZES_MM = {"A7": (74.0, 105.0), "A6": (105.0, 148.0), "A5": (148.0, 210.0)}
SHEET_MM = (210.0, 297.0)  # A4 portrait, for --n-up
# an office printer leaves 4-5 mm round the sheet blank: nothing (card, cut line) nearer
# the edge; cards that would reach it are scaled down on the sheet (`pdf_join.scale`)
SAFE_MM = 5.0
MARK_GAP_MM = 1.0  # crop marks start this far outside the bleed, never on it
MARK_MM = 4.0  # and are this long
PADDING_MM = 5.0
FOOTER_SHARE = 0.15  # of the card's height, for owner, review date and QR code


@dataclass(frozen=True)
class CardOptions:
    size: str = "A6"
    bleed_mm: float = 0.0
    crop_marks: bool = False
    n_up: int = 1

    @property
    def width_mm(self) -> float:
        return SIZES_MM[self.size][0]

    @property
    def height_mm(self) -> float:
        return SIZES_MM[self.size][1]

    @property
    def footer_mm(self) -> float:
        return round(self.height_mm * FOOTER_SHARE, 1)

    @property
    def font_pt(self) -> float:
        return round(9.5 * self.width_mm / 105.0, 2)

    @property
    def margin_mm(self) -> float:
        """Round each card page: its bleed, and beyond it room for the crop marks."""
        return self.bleed_mm + (MARK_GAP_MM + MARK_MM if self.crop_marks else 0.0)

    @property
    def marks_from_mm(self) -> float:
        """How far outside the trim the crop marks start: past the bleed."""
        return self.bleed_mm + MARK_GAP_MM

    @property
    def band_mm(self) -> float:
        """The colour band's height: its icon (1.4 em) with room above and below."""
        return round(4.5 + 1.4 * self.font_pt * 25.4 / 72, 2)

    def grid(self) -> tuple[int, int]:
        """Columns and rows of cards on one A4 sheet."""
        return int(SHEET_MM[0] // self.width_mm), int(SHEET_MM[1] // self.height_mm)


def n_up_problem(options: CardOptions) -> str | None:
    cols, rows = options.grid()
    if options.n_up > 1 and options.n_up > cols * rows:
        holds = f"an A4 sheet holds {cols * rows} {options.size} cards"
        return f"--n-up {options.n_up} does not fit: {holds}"
    return None
