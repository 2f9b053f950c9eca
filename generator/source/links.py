"""Markdown links in text fields: checked when validating, and traced back from MkDocs.

Pages are generated, so a link in a text field only works if it leaves the site (a
full address) or stays on its page (an anchor). `check` reports the others at the field
that holds them; `explain` turns what MkDocs says about a generated page back into a
problem at the source file, line and column of that field.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from html import escape
from pathlib import Path
from typing import Any

from ..errors import Problem
from ..parse import JsonPath, Source

RULE = "broken-link"
HINT = (
    "write a full address (https://…, mailto:…) or an anchor on the page (#…); "
    "entries link each other through `related`"
)
ANCHOR_HINT = (
    "link to a heading the page has, or to a full address (https://…); "
    "entries link each other through `related`"
)

_TEXT = r"\[(?:[^\[\]\\]|\\.|\[(?:[^\[\]\\]|\\.)*\])*\]"  # one level of nested brackets
_DESTINATION = r"<(?P<angled>[^<>\n]*)>|(?P<plain>(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"
_TITLE = r"""(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?"""
INLINE = re.compile(rf"(?<!\\)!?{_TEXT}\(\s*(?:{_DESTINATION}){_TITLE}\s*\)")
REFERENCE = re.compile(
    r"^ {0,3}\[(?:[^\[\]\\]|\\.)+\]:[ \t]*\n?[ \t]*(?:<(?P<angled>[^<>\n]*)>|(?P<plain>\S+))",
    re.M,
)
CODE_SPAN = re.compile(r"(`+)(?!`).*?(?<!`)\1(?!`)", re.S)
ALLOWED = re.compile(r"(?i)(https?://[^/\s]|mailto:[^\s])")


def targets(text: str) -> list[str]:
    """The targets of the Markdown links (and images) in `text`, code spans left out."""
    if "](" not in text and "]:" not in text:
        return []  # most fields: no link at all
    text = CODE_SPAN.sub(lambda m: " " * len(m[0]), text)
    found = [*INLINE.finditer(text), *REFERENCE.finditer(text)]
    found.sort(key=lambda m: m.start())
    return [m["angled"] if m["angled"] is not None else m["plain"] for m in found]


def allowed(target: str) -> bool:
    """A full address (http, https, mailto) or an anchor on the same page."""
    target = target.strip()
    return target.startswith("#") or bool(ALLOWED.match(target))


def text_fields(source: Source) -> Iterator[tuple[JsonPath, str]]:
    """Every text value in the source with its path."""

    def walk(value: Any, path: JsonPath) -> Iterator[tuple[JsonPath, str]]:
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            for key, item in value.items():
                yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, (*path, i))

    yield from walk(source.data, ())


def links(source: Source) -> Iterator[tuple[JsonPath, str]]:
    """(path of the field, link target) for every Markdown link in the source's text."""
    for path, text in text_fields(source):
        for target in targets(text):
            yield path, target


def problem(source: Source, path: JsonPath, target: str) -> Problem:
    message = f"link target `{target}` is not a full address" if target else "link without a target"
    return at_link(source.problem(path, RULE, message, HINT), source, path, target)


def at_link(found: Problem, source: Source, path: JsonPath, target: str) -> Problem:
    """`found` (at its field) moved to where the link target is written in the file, when
    it can be found there as written (not split over lines, not escaped)."""
    span = source.value_span(path)
    try:
        text = Path(source.file).read_text("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return found
    lines = text.splitlines()[span.line - 1 : span.end_line]
    for written, skip in ((f"({target}", 1), (f"<{target}>", 1), (target, 0)):
        for offset, line in enumerate(lines):
            start = span.column - 1 if offset == 0 else 0
            stop = span.end_column - 1 if offset == len(lines) - 1 else len(line)
            column = line.find(written, start, stop) if target else -1
            if column >= 0:
                return replace(
                    found,
                    line=span.line + offset,
                    column=column + skip + 1,
                    end_column=column + skip + 1 + len(target),
                )
    return found


def check(source: Source) -> list[Problem]:
    """Links that would lead nowhere on the generated site."""
    return [problem(source, path, t) for path, t in links(source) if not allowed(t)]


# --- what MkDocs says about a generated page, back at the source --------------------------

DOC_FILE = re.compile(r"Doc file '(?P<doc>.+?)' contains ")


def _mentions(message: str, target: str) -> bool:
    return any(f"'{form}'" in message for form in {target, escape(target)})


def _located(message: str, doc: str, sources: Iterable[Source]) -> list[Problem]:
    found = []
    for source in sources:
        for path, target in links(source):
            if not target or not _mentions(message, target):
                continue
            if target.startswith("#"):
                text = f"link `{target}` points to no heading of the generated page `{doc}`"
                located = source.problem(path, RULE, text, ANCHOR_HINT)
                found.append(at_link(located, source, path, target))
            else:
                found.append(problem(source, path, target))
    return found


def linking(sources: Sequence[Source]) -> tuple[Source, ...]:
    """The sources with a Markdown link in a text field: the only ones `explain` can trace
    MkDocs' warnings back to (a build keeps these, not every parsed file)."""
    return tuple(source for source in sources if any(True for _ in links(source)))


def explain(
    messages: Iterable[str],
    pages: Mapping[str, str],
    sources: Sequence[Source],
    fallback: str,
) -> list[Problem]:
    """MkDocs' warnings as problems at their source.

    `pages` maps a generated page (docs path) to the file it was made from; a warning
    about that page is looked for in that file first, then in every source. A warning
    that names no link found in the sources stays a generic problem at `fallback`.
    """
    problems: list[Problem] = []
    for message in messages:
        match = DOC_FILE.match(message)
        located: list[Problem] = []
        if match:
            doc = match["doc"]
            own = [s for s in sources if s.file == pages.get(doc)]
            located = _located(message, doc, own) or _located(message, doc, sources)
        problems += located or [
            Problem(
                fallback,
                1,
                1,
                "mkdocs",
                message,
                "this is a problem in the generated site; please report it with the message",
            )
        ]
    # a text shown on several pages is one problem, at its field
    first = {
        (p.file, p.line, p.column, p.rule, p.message if p.rule == "mkdocs" else ""): p
        for p in reversed(problems)
    }
    return sorted(first.values())
