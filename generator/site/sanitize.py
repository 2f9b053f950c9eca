"""The last gate before a page is published: only harmless HTML leaves the build.

Sources are escaped when rendered; this removes what Markdown itself can produce from
hostile text (`javascript:` and `data:` links, event attributes), whatever the source.
It is our own pass over the built site, whichever engine built it: every generated page
marks its content (`marks.py`, when rendered), and `clean_page` cleans what the
engine made of it between the marks.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

import nh3

from .marks import END, START

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title", "data-pb-unsearched"},  # listings stay out of the index
    "div": {"data-path"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Tooltip texts stay text: Material shows a `title` as HTML, so it is escaped once
    more. An image from another host is dropped (its `src`): the site loads nothing from
    elsewhere."""
    if name == "title":
        return escape(value, quote=False)
    if tag == "img" and name == "src":
        parts = urlsplit(value.strip())
        return None if parts.scheme or parts.netloc else value
    return value


def clean_html(html: str) -> str:
    return nh3.clean(
        html,
        tags=TAGS,
        attributes=ATTRIBUTES,
        attribute_filter=_attribute,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def clean_page(html: str) -> str | None:
    """A built page with its marked content cleaned and the marks gone; None for a page
    without them (not made from our Markdown: left as the engine wrote it)."""
    start, end = html.find(START), html.rfind(END)
    if start < 0 or end < start:
        return None
    inner = html[start + len(START) : end]
    return html[:start] + clean_html(inner) + html[end + len(END) :]
