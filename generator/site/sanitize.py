"""The last gate before a page is written: only harmless HTML leaves the build.

Sources are escaped when rendered; this removes what Markdown itself can produce from
hostile text (`javascript:` and `data:` links, event attributes), whatever the source.
Loaded by MkDocs as a hook (see `site/config.py`).
"""

from __future__ import annotations

from html import escape
from typing import Any

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "details", "div", "dl",
    "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li",
    "mark", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}  # fmt: skip
ATTRIBUTES = {
    "*": {"class", "id", "title", "data-search-exclude"},  # listings stay out of the index
    "div": {"data-path"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _attribute(tag: str, name: str, value: str) -> str:
    """Tooltip texts stay text: Material shows a `title` as HTML, so it is escaped once more."""
    return escape(value, quote=False) if name == "title" else value


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


def on_page_content(html: str, **_: Any) -> str:
    """MkDocs hook: sanitise every page's content HTML."""
    return clean_html(html)
