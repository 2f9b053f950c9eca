"""The site's search index, made by our own step from the HTML the engine built.

Whatever engine built the site (MkDocs with Material, Zensical), each content page holds
its text in `<article class="md-content__inner md-typeset">`. `page_sections` splits that
text at its headings with an id, as Material's search did: the page itself (its title,
the text before its first such heading below the title) and one section per heading
(`page.html#id`, the heading's text, the text up to the next heading). Left out: what
is marked `data-pb-unsearched` (our own attribute: Zensical drops Material's
`data-search-exclude`; listings that repeat entries, the views not shown by
default, a section whose heading carries it), the theme's parts inside the article (its
tags, headerlinks), scripts, and pages holding an element of class `pb-unsearched`
(the changelog, the tags listing: `hidden` in site_templates/pages/_macros.md.j2). Pages without
the article (the 404 page, the cards' own HTML) are no content.

`write_search` writes the index with the playbook's search data (site/search.py) as a
script setting `window.playbookSearchIndex` (fetch() does not work from file://), which
the search box (assets/javascripts/search.js) loads when the rep first uses it.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from .scripts import script_global

INDEX_SCRIPT = "assets/javascripts/search-index.js"
UNSEARCHED = "pb-unsearched"  # the class that keeps a whole page out of the index
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
VOID = {
    *("area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"),
    *("param", "source", "track", "wbr"),
}
SKIPPED_TAGS = {"script", "style", "object", "template", "svg", "noscript"}
# the theme's parts inside the article: its tags list, headerlinks ("¶"), buttons
SKIPPED_CLASSES = {"headerlink", "md-tags", "md-source-file", "md-content__button", "md-feedback"}
# text elements that flow inside a line: no word break at their edges
INLINE = {
    *("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "i", "kbd"),
    *("mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"),
}
EXITED = 1 << 30  # the depth of a section whose heading's element is closed
ARTICLE = re.compile(r'<article\b[^>]*\bclass="[^"]*\bmd-content__inner\b[^"]*"[^>]*>')
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
SPACES = re.compile(r"[ \t\n\r\f\v]+")  # not U+00A0: "5\u00a0%" stays together

Section = dict[str, str]  # {"location", "title", "text"}


@dataclass
class _Part:
    """A section while it is read: `depth` is how deep its heading was opened."""

    anchor: str
    depth: int
    excluded: bool = False
    title: list[str] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


class _Reader:
    """Reads the article of a built page into sections (see the module), from the
    elements' starts, ends and texts in document order (`_walk`)."""

    def __init__(self) -> None:
        self.open: list[tuple[str, bool]] = []  # the open elements: (tag, skipped)
        self.article = -1  # how deep the article is open (-1: not yet, -2: read)
        self.heading = -1  # how deep the current section's heading is open (-1: none)
        self.parts: list[_Part] = []
        self.current: _Part | None = None
        self.unsearched = False
        self.skips = 0  # how many of the open elements are skipped

    def handle_starttag(self, tag: str, values: Mapping[str, str]) -> None:
        named = values.get("class")
        classes = set(named.split()) if named else set()
        if self.article == -1:
            if tag == "article" and "md-content__inner" in classes:
                self.article = len(self.open)
            elif tag not in VOID:
                self.open.append((tag, False))
            return
        if self.article < 0:
            return
        if UNSEARCHED in classes:
            self.unsearched = True
        excluded = "data-pb-unsearched" in values
        skipped = tag in SKIPPED_TAGS or excluded or bool(classes & SKIPPED_CLASSES)
        if tag in HEADINGS and values.get("id") and not self.skips:
            self._start_section(tag, values["id"] or "", excluded)
            skipped = False  # an excluded heading's section is dropped whole
        if tag not in INLINE:
            self._text(" ")
        if tag not in VOID:
            self.open.append((tag, skipped))
            self.skips += skipped

    def _start_section(self, tag: str, anchor: str, excluded: bool) -> None:
        depth = len(self.open) + 1
        if not self.parts and tag != "h1":  # text before the first heading is the page's
            self.parts.append(_Part("", depth))
        part = _Part(anchor if self.parts else "", depth, excluded)
        self.parts.append(part)
        self.current, self.heading = part, depth

    def handle_endtag(self, tag: str) -> None:
        if self.article == -1:
            if self.open and self.open[-1][0] == tag:
                self.open.pop()
            return
        if self.article < 0 or tag in VOID:
            return
        if len(self.open) == self.article and tag == "article":
            self.article = -2  # the rest of the page is the theme's
            return
        if not self.open or self.open[-1][0] != tag:
            return  # a stray end tag: ignored, as browsers mostly do
        self.skips -= self.open.pop()[1]
        if tag not in INLINE:
            self._text(" ")
        if len(self.open) < self.heading:
            self.heading = -1  # the heading is read; its text follows
        current = self.current
        if current is not None and len(self.open) < current.depth - 1:
            # the element that held the heading is closed: what follows belongs to the
            # section around it (a heading inside a <details>, a <div markdown>)
            current.depth = EXITED
            self.current = next(
                (p for p in reversed(self.parts) if p.depth - 1 <= len(self.open)), None
            )

    def handle_data(self, data: str) -> None:
        if self.article >= 0:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.skips:
            return
        if self.current is None:
            if not data.strip():
                return
            self.current = _Part("", 0)  # text before any heading: the page's
            self.parts.append(self.current)
        into = self.current.title if self.heading >= 0 else self.current.text
        into.append(data)


# comments and processing instructions are no text (their tails are); nothing is fetched
_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True, no_network=True)


def _walk(root: Any, reader: _Reader) -> None:
    """Each element's start, its text, its children (each followed by its tail), its
    end: the document's order, as a streaming parser reports it."""
    for event, element in etree.iterwalk(root, events=("start", "end")):
        tag = element.tag
        if not isinstance(tag, str):  # an entity libxml2 kept as a node
            continue
        if event == "start":
            reader.handle_starttag(tag, element.attrib)
            if element.text:
                reader.handle_data(element.text)
        else:
            reader.handle_endtag(tag)
            if element.tail and element is not root:
                reader.handle_data(element.tail)


def _clean(parts: list[str]) -> str:
    return SPACES.sub(" ", "".join(parts)).strip()


def page_sections(html: str, location: str) -> list[Section]:
    """The sections of a built page's article (see the module); [] for a page without
    one or one marked `pb-unsearched`. `location`: the page's path in the site."""
    start = ARTICLE.search(html)
    end = html.rfind("</article>")
    if start is None or end < start.start():
        return []
    reader = _Reader()
    # only the article (4x faster), parsed by libxml2 (lxml): 5x faster than html.parser
    article = etree.fromstring(html[start.start() : end + len("</article>")], _PARSER)
    if article is not None:
        _walk(article, reader)
    if reader.unsearched:
        return []
    parts = reader.parts or [_Part("", 0)]
    titled = TITLE.search(html)
    title = unescape(titled.group(1)).split(" - ")[0].strip() if titled else ""
    page_title = _clean(parts[0].title) or title
    found = []
    for part in parts:
        if part.excluded:
            continue
        found.append(
            {
                "location": f"{location}#{part.anchor}" if part.anchor else location,
                "title": _clean(part.title) or page_title,
                "text": _clean(part.text),
            }
        )
    return found


def page_order(location: str) -> tuple[tuple[str, ...], bool, str]:
    """Pages in the order of the navigation's folders: a folder's pages before its
    subfolders', its index first (as MkDocs lists documentation pages)."""
    path = PurePosixPath(location)
    return (path.parent.parts, path.name != "index.html", path.name)


def html_pages(site_dir: Path) -> list[str]:
    """Every HTML page of the built site (paths from its root), in `page_order`; the 404
    page is none."""
    found = []
    for folder, _, files in os.walk(site_dir):
        for name in files:
            if name.endswith(".html"):
                found.append((Path(folder) / name).relative_to(site_dir).as_posix())
    return sorted((p for p in found if p != "404.html"), key=page_order)


def language(html: str) -> str:
    """The page's language (`<html lang="de">`), "en" when it names none."""
    found = re.search(r"<html\b[^>]*\blang=\"([A-Za-z-]+)\"", html)
    return found.group(1).split("-")[0].lower() if found else "en"


class SectionCache:
    """Each page's sections with the size and time of the file they were read from, so
    that the live preview reads again only the pages a rebuild wrote."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[tuple[int, int], list[Section]]] = {}

    def sections(self, site_dir: Path, location: str) -> tuple[list[Section], str]:
        """The page's sections, and its text when it was read now ("" when cached)."""
        path = site_dir / location
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size)
        known = self.pages.get(location)
        if known is not None and known[0] == stamp:
            return known[1], ""
        html = path.read_text("utf-8")
        found = page_sections(html, location)
        self.pages[location] = (stamp, found)
        return found, html


def search_index(
    site_dir: Path, data: Mapping[str, Any], cache: SectionCache | None = None
) -> dict[str, Any]:
    """The index of the built site: {"config": {"lang": [language], "playbook": data},
    "docs": [section, ...]}, the shape the search engine reads (search-engine.js)."""
    cache = cache or SectionCache()
    docs: list[Section] = []
    lang = ""
    for location in html_pages(site_dir):
        found, html = cache.sections(site_dir, location)
        if not lang and found:
            lang = language(html or (site_dir / location).read_text("utf-8"))
        docs.extend(found)
    return {"config": {"lang": [lang or "en"], "playbook": dict(data)}, "docs": docs}


def write_search(
    site_dir: Path, data: Mapping[str, Any], cache: SectionCache | None = None
) -> None:
    """Write the search index of the site built in `site_dir` (see the module)."""
    target = site_dir / INDEX_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    script = script_global("playbookSearchIndex", search_index(site_dir, data, cache))
    target.write_text(script.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"), "utf-8")


def index_script_data(text: str) -> Any:
    """The index a script written by `write_search` holds (for tests and tools)."""
    prefix = "window.playbookSearchIndex = "
    return json.loads(text.removeprefix(prefix).rstrip().removesuffix(";"))
