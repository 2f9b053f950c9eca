"""No line break between a number and its unit: "unter 70 %", "10.000 €", "30 Tage",
"EUR 5,000". The space between them becomes a no-break space (U+00A0) in the text the
Typst templates set, so a line never ends on the number with its unit on the next.

Applied to the data for Typst (card data, poster data), never to the playbook's YAML or
the site's pages.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar, cast

T = TypeVar("T")

NBSP = "\u00a0"
# units that follow a number (German and English, as the playbooks and labels write them)
AFTER = (
    "%", "‰", "€", "$", "£", "k€", "T€", "EUR", "USD", "CHF", "GBP", "Mio.", "Mrd.", "Tsd.",
    "Prozent", "Prozentpunkte", "pp", "Punkte", "h", "min", "Std.",
    "Minute", "Minuten", "Stunde", "Stunden", "Tag", "Tage", "Tagen", "Werktage", "Werktagen",
    "Woche", "Wochen", "Monat", "Monate", "Monaten", "Quartal", "Quartale", "Jahr", "Jahre",
    "Jahren", "Lizenzen", "Nutzer", "Seats",
    "percent", "points", "minute", "minutes", "hour", "hours", "day", "days", "business days",
    "week", "weeks", "month", "months", "quarter", "quarters", "year", "years", "licences",
    "licenses", "users", "seats", "k", "m", "bn",
)  # fmt: skip
BEFORE = ("€", "$", "£", "EUR", "USD", "CHF", "GBP")  # units written before the number

_UNITS_AFTER = "|".join(re.escape(u) for u in sorted(AFTER, key=len, reverse=True))
_UNITS_BEFORE = "|".join(re.escape(u) for u in sorted(BEFORE, key=len, reverse=True))
# a unit ends where no letter or digit follows ("70 %.", "30 Tage," but not "5 Tagesätze")
NUMBER_UNIT = re.compile(rf"(?<=\d)[ \t]+(?=(?:{_UNITS_AFTER})(?![^\W_]))")
UNIT_NUMBER = re.compile(rf"(?<![^\W_])({_UNITS_BEFORE})[ \t]+(?=\d)")


def unbroken(text: str) -> str:
    """`text` with a no-break space between each number and its unit."""
    text = NUMBER_UNIT.sub(NBSP, text)
    return UNIT_NUMBER.sub(lambda found: found[1] + NBSP, text)


def unbroken_data(data: T, keep: frozenset[str] = frozenset()) -> T:
    """Every string in `data` (dicts, lists) through `unbroken`, except the values of the
    keys in `keep` (markup such as an SVG, a URL)."""
    return cast(T, _walk(data, keep))


def _walk(data: Any, keep: frozenset[str]) -> Any:
    if isinstance(data, str):
        return unbroken(data)
    if isinstance(data, dict):
        return {k: v if k in keep else _walk(v, keep) for k, v in data.items()}
    if isinstance(data, list):
        return [_walk(v, keep) for v in data]
    return data
