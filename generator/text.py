"""Language-aware display of numbers, quantities, bands, durations and dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

from .parse import CONTROL, Source, parse
from .resources import template_dir

if TYPE_CHECKING:  # the model imports text: its types are only named here
    from .model.playbook import Band, Quantity


@cache
def labels(language: str) -> dict[str, Any]:
    """The UI texts of one language (read with our own strict YAML loader)."""
    path = template_dir() / "i18n" / f"{language}.yml"
    source = parse(str(path), path.read_text("utf-8"), "i18n")
    if not isinstance(source, Source):
        raise RuntimeError("\n".join(str(p) for p in source))
    texts: dict[str, Any] = source.data
    return texts


@dataclass(frozen=True)
class Text:
    """Formats values for one language; exposed to templates as `fmt`."""

    language: str

    @property
    def t(self) -> dict[str, Any]:
        return labels(self.language)

    def number(self, value: float) -> str:
        if float(value).is_integer():
            text = f"{int(value):,}"
        else:
            text = f"{value:,.2f}".rstrip("0").rstrip(".")
        if self.language == "de":
            text = text.translate(str.maketrans(",.", ".,"))
        return text

    def amount(self, value: float, unit: str) -> str:
        return str(self.t["units"][unit]).format(v=self.number(value))

    def band_range(self, band: Band, quantity: Quantity) -> str:
        t, unit = self.t, quantity.unit
        if unit == "count" and band.above is not None and _whole(band.above):
            return self._count_range(band)
        if band.above is None and band.up_to is not None:
            if band.up_to == band.lower:
                if unit == "count" and band.up_to == 0:
                    return str(t["none_counted"])  # "genau 0" ("keine" read as "decides nothing")
                return str(t["exactly"]).format(v=self.amount(band.up_to, unit))
            return str(t["up_to"]).format(v=self.amount(band.up_to, unit))
        if band.up_to is None:
            return str(t["above"]).format(v=self.amount(band.lower, unit))
        return str(t["above_up_to"]).format(
            v=self.amount(band.lower, unit), w=self.amount(band.up_to, unit)
        )

    def _count_range(self, band: Band) -> str:
        """A count band in whole numbers: "1 bis 2", "ab 3" (a count is never 2.5)."""
        t = self.t
        first = band.lower + 1
        if band.up_to is None:
            return str(t["from"]).format(v=self.amount(first, "count"))
        if band.up_to == first:
            return str(t["exactly"]).format(v=self.amount(first, "count"))
        return str(t["from_to"]).format(
            v=self.amount(first, "count"), w=self.amount(band.up_to, "count")
        )

    def count(self, n: int, key: str) -> str:
        return str(self.t[f"{key}_one" if n == 1 else f"{key}_many"]).format(n=self.number(n))

    def hours(self, hours: int) -> str:
        if hours == 0:
            return str(self.t["immediately"])
        if hours % 24 == 0:
            return self.count(hours // 24, "days")
        return self.count(hours, "hours")

    def date(self, day: dt.date) -> str:
        return day.strftime("%d.%m.%Y") if self.language == "de" else day.isoformat()

    def period(self, periods: int, period: str) -> str:
        one, many = self.t["periods"][period]
        return f"1 {one}" if periods == 1 else f"{periods} {many}"


def _whole(value: float) -> bool:
    return float(value).is_integer()


_INLINE = re.compile(r"([\\`*_{}\[\]()#!])")  # Markdown's inline syntax; HTML is Jinja's


def plain_markdown(text: str) -> str:
    """Text written by someone else (a commit subject) shown as written on a page whose
    HTML the templates escape: no link, emphasis, code or attribute list forms, and line
    breaks fold into spaces."""
    return _INLINE.sub(r"\\\1", " ".join(text.split()))


_MARKDOWN = re.compile(r"([\\`*_\[\]<>#|~]|&(?=#?\w+;))")


def markdown_text(text: str) -> str:
    """User text made inert in Markdown: no formatting, links, HTML or @-mentions.

    A zero-width joiner after `@` keeps GitHub from notifying `@org/team`.
    """
    text = re.sub(r"[ \t\r\n]+", " ", text).strip()
    text = _MARKDOWN.sub(r"\\\1", text)
    text = re.sub(r"^(\d+)([.)])", r"\1\\\2", text)
    text = re.sub(r"^([-+=])", r"\\\1", text)
    return text.replace("@", "@\u200d")


def terminal_safe(text: str) -> str:
    """Text from the sources as a terminal (or a chat a bot posts it to) may show it:
    control characters made visible, and the characters that break a line or turn the
    text's direction where no one sees them (U+2028, U+2029, the bidi controls)."""
    text = CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return HIDDEN.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


# line and paragraph separators, and bidi embeddings, overrides and isolates
HIDDEN = re.compile("[\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def table_cell(value: Any) -> str:
    """Text made safe for one Markdown table cell (markup stays markup)."""
    cell = re.sub(r"[ \t\r\n]+", " ", str(value)).strip().replace("|", "\\|")
    return Markup(cell) if isinstance(value, Markup) else cell
