"""Numbers written with a unit in prose, and the sentences they stand in.

"20 %", "12%", "50.000 EUR", "€ 50k", "1 Mio. EUR", "60 Tage", "3 Klauseln": each read
with its value, its unit and whether the text states it as a limit ("bis 20 %", "über
10 %", "10-20 %", "20 % oder mehr") rather than as a case ("will 12 % Rabatt"). The drift
check (source/drift.py) holds such limits to the band edges of the paths they stand near.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_NUMBER = re.compile(
    r"(?<![\w.,])(?P<int>\d{1,3}(?:[.,\u00a0\u202f]\d{3})+|\d+)(?:[.,](?P<frac>\d+))?"
    r"(?![.,]\d)(?!(?!(?:k|K|Mio|Mrd|Tsd)(?![^\W\d_]))\w)"  # "50k", not "50kg" or "3a"
)
_MAGNITUDE = {
    "k": 1e3,
    "tsd": 1e3,
    "tausend": 1e3,
    "thousand": 1e3,
    "mio": 1e6,
    "million": 1e6,
    "millionen": 1e6,
    "mrd": 1e9,
    "milliarde": 1e9,
    "milliarden": 1e9,
    "billion": 1e9,
    "bn": 1e9,
}
_AFTER = re.compile(
    r"[\s\u00a0\u202f]?(?:(?P<mag>k|K|Tsd\.?|[Tt]ausend|thousand|Mio\.?|Millionen|Million|million"
    r"|Mrd\.?|Milliarden?|billion|bn)(?![\w]))?[\s\u00a0\u202f]?"
    r"(?P<unit>%|[Pp]rozent(?![\w])|percent\b|per cent\b|EUR\b|[Ee]uro\b|€"
    r"|(?:Kalender)?[Tt]agen?\b|Tag\b|(?:calendar )?days?\b|Monaten?\b|Monat\b|months?\b)?"
)
_BEFORE_CURRENCY = re.compile(r"(?:EUR|€|[Ee]uro)[\s\u00a0\u202f]?$")
_UNIT_OF = {
    "%": "percent",
    "prozent": "percent",
    "percent": "percent",
    "per cent": "percent",
    "eur": "eur",
    "euro": "eur",
    "€": "eur",
}
_RANGE = re.compile(
    r"^[\s\u00a0\u202f]*(?:bis|und|to|and|oder|or|\u2013|\u2014|-)[\s\u00a0\u202f]*$"
)
_LIMIT_BEFORE = re.compile(
    r"(?:(?<![\w])(?:bis(?:\s+zu)?|ab|über|unter|oberhalb|unterhalb|jenseits|mehr\s+als|weniger"
    r"\s+als|größer\s+als|kleiner\s+als|höchstens|maximal|max\.?|mindestens|Grenze|"
    r"Obergrenze|Höchstgrenze|Limit|Schwelle|Schwellenwert|Korridor|up\s+to|above|over|below|under"
    r"|beyond|more\s+than|less\s+than|at\s+most|at\s+least|exceed(?:s|ing)?|threshold|cap|limit)"
    r"(?![\w])|[<>≤≥])[^\d.!?;\n{}]{0,40}$",
    re.IGNORECASE,
)
_LIMIT_AFTER = re.compile(
    r"[\s\u00a0\u202f]*(?:oder|und|or|and)\s+(?:mehr|weniger|darüber|darunter|höher|niedriger|"
    r"more|less|above|below|higher|lower|up)(?![\w])",
    re.IGNORECASE,
)
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mio|Mrd|Tsd|bzw|ca|inkl|exkl|ggf|usw|vgl|Nr|z\.\s?B|d\.\s?h|u\.\s?a|e\.\s?g|i\.\s?e"
    r"|etc|vs|max|min|[A-Za-z])|\d)\.$"
)


def sentences(text: str) -> list[tuple[int, int]]:
    """Where each sentence of a text starts and ends (a line break ends one too)."""
    bounds, start = [], 0
    for m in re.finditer(r"[.!?;](?=\s)|\n", text):
        if m.group() == "." and _ABBREVIATIONS.search(text[max(0, m.start() - 6) : m.end()]):
            continue
        bounds.append((start, m.end()))
        start = m.end()
    bounds.append((start, len(text)))
    return [(a, b) for a, b in bounds if text[a:b].strip()]


@dataclass(frozen=True)
class Number:
    start: int
    end: int
    value: float
    unit: str  # "percent", "eur", "days", "months", or "" (a count, if a noun follows)
    limit: bool  # written as a limit or a range's end
    after: str  # the words after it (for counts)


def _unit_name(word: str) -> str:
    word = word.lower()
    if word in _UNIT_OF:
        return _UNIT_OF[word]
    if "tag" in word or "day" in word:
        return "days"
    if word.startswith(("monat", "month")):
        return "months"
    return ""


def numbers(text: str, skip: list[tuple[int, int]]) -> list[Number]:
    """The numbers in a text, each with the unit written with it."""
    found: list[dict[str, Any]] = []
    for m in _NUMBER.finditer(text):
        if any(a <= m.start() < b for a, b in skip):
            continue
        digits = re.sub(r"[.,\u00a0\u202f]", "", m["int"])
        value = float(digits + ("." + m["frac"] if m["frac"] else ""))
        after = _AFTER.match(text, m.end())
        unit, end = "", m.end()
        if after and (after["mag"] or after["unit"]):
            mag = (after["mag"] or "").rstrip(".").lower()
            value *= _MAGNITUDE.get(mag, 1)
            unit = _unit_name(after["unit"] or "") or ("eur" if mag else "")
            if mag and unit not in ("", "eur"):
                unit = ""  # "5 k %" is nothing we read
            if unit:
                end = after.end()
                while end > m.end() and text[end - 1] in " \u00a0\u202f":
                    end -= 1
        if not unit and _BEFORE_CURRENCY.search(text[: m.start()]):
            unit = "eur"
        found.append(
            {"start": m.start(), "end": end, "value": value, "unit": unit, "num_end": m.end()}
        )
    # the first number of a range takes the unit of the second: "über 60 bis 90 Tage"
    ranged: set[int] = set()
    for i in range(len(found) - 2, -1, -1):
        here, there = found[i], found[i + 1]
        if _RANGE.match(text[here["end"] : there["start"]]) and there["unit"]:
            if not here["unit"]:
                here["unit"] = there["unit"]
            ranged |= {i, i + 1}
    result = []
    for i, n in enumerate(found):
        before = text[max(0, n["start"] - 60) : n["start"]]
        limit = i in ranged or bool(_LIMIT_BEFORE.search(before))
        limit = limit or bool(_LIMIT_AFTER.match(text, n["end"]))
        result.append(
            Number(
                n["start"], n["end"], n["value"], n["unit"], limit, text[n["end"] : n["end"] + 60]
            )
        )
    return result
