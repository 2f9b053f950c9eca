"""Display of numbers, bands and durations, per language."""

from __future__ import annotations

import datetime as dt

from sales_playbook.model.playbook import Band, Quantity
from sales_playbook.text import Text

DE, EN = Text("de"), Text("en")


def band(above: float | None, up_to: float | None, lower: float = 0) -> Band:
    start = above if above is not None else lower
    return Band(above, up_to, start, "rep", (), (), 0, "CRM", "")


def test_numbers_use_the_languages_separators() -> None:
    assert DE.number(1000000) == "1.000.000"
    assert DE.number(12.5) == "12,5"
    assert EN.number(1000000) == "1,000,000"
    assert EN.number(0.25) == "0.25"


def test_band_ranges_read_as_sentences() -> None:
    percent = Quantity("Rabatt", "percent", 0, 100)
    assert DE.band_range(band(None, 10), percent) == "bis 10\u00a0%"
    assert DE.band_range(band(10, 15), percent) == "über 10\u00a0% bis 15\u00a0%"
    assert DE.band_range(band(25, None), percent) == "über 25\u00a0%"
    eur = Quantity("Volumen", "eur", 0, None)
    assert DE.band_range(band(50000, 250000), eur) == "über 50.000\u00a0EUR bis 250.000\u00a0EUR"
    assert EN.band_range(band(50000, None), eur) == "above EUR\u00a050,000"
    count = Quantity("Klauseln", "count", 0, None)
    # "keine" read as "decides nothing"; a count is whole: (0, 2] is 1 to 2, (2, …) from 3
    assert DE.band_range(band(None, 0), count) == "genau 0"
    assert EN.band_range(band(None, 0), count) == "exactly 0"
    assert DE.band_range(band(None, 2), count) == "bis 2"
    assert DE.band_range(band(0, 2), count) == "1 bis 2"
    assert DE.band_range(band(1, 2), count) == "genau 2"
    assert DE.band_range(band(2, None), count) == "ab 3"
    assert EN.band_range(band(2, None), count) == "from 3"
    days = Quantity("Zahlungsziel", "days", 0, None)
    assert DE.band_range(band(None, 0), days) == "genau 0\u00a0Tage"


def test_durations_and_dates() -> None:
    assert DE.hours(0) == "sofort"
    assert DE.hours(4) == "4 Stunden"
    assert DE.hours(24) == "1 Tag"
    assert DE.hours(72) == "3 Tage"
    assert EN.hours(1) == "1 hour"
    assert DE.date(dt.date(2026, 3, 5)) == "05.03.2026"
    assert DE.period(2, "week") == "2 Wochen in Folge"


def test_validation_hints_never_use_exponents() -> None:
    from sales_playbook.source.checks.data import plain_number, with_unit

    assert with_unit(1_000_000, "eur") == "1,000,000 EUR"
    assert plain_number(1_000_000) == "1000000"
    assert plain_number(10.01) == "10.01"
