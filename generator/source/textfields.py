"""Where a source holds free text, and where a character of such a text stands in its file.

Free text is what the schemas call `defs.schema.json`'s `line` or `text` (found from the
schemas, so a new field or kind is covered without listing it here). Positions inside a
scalar are exact for plain and quoted scalars on one line and for literal blocks (`|`),
and best effort for folded ones (`>`, or plain and quoted text over several lines). Used
by the drift checks (source/drift.py) and by `playbook rename` to edit live values in place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from ..errors import Problem, Severity
from ..parse import ODD_BREAKS, JsonPath, Source, Span, json_path_text

FREE_TEXT_DEFS = frozenset({"line", "text"})

# --- which fields are free text ------------------------------------------------------------

Pattern = tuple[str, ...]  # property names; "*" for a list item, "**" for any key


def _resolve(ref: str, current: str) -> tuple[Any, str]:
    from .schema import load_schemas

    file, _, pointer = ref.partition("#")
    name = file.removesuffix(".schema.json") if file else current
    node: Any = load_schemas().get(name)
    for part in pointer.strip("/").split("/") if pointer.strip("/") else []:
        node = (
            node.get(part.replace("~1", "/").replace("~0", "~")) if isinstance(node, dict) else None
        )
    return node, name


def _patterns(node: Any, name: str, at: Pattern, seen: frozenset[str]) -> Iterator[Pattern]:
    if not isinstance(node, dict) or len(at) > 12:
        return
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref.split("/")[-1] in FREE_TEXT_DEFS and "$defs" in ref:
            yield at
            return
        if ref not in seen:
            target, target_name = _resolve(ref, name)
            yield from _patterns(target, target_name, at, seen | {ref})
    for key in ("oneOf", "anyOf", "allOf"):
        for branch in node.get(key) or ():
            yield from _patterns(branch, name, at, seen)
    for prop, sub in (node.get("properties") or {}).items():
        yield from _patterns(sub, name, (*at, prop), seen)
    if isinstance(node.get("items"), dict):
        yield from _patterns(node["items"], name, (*at, "*"), seen)
    if isinstance(node.get("additionalProperties"), dict):
        yield from _patterns(node["additionalProperties"], name, (*at, "**"), seen)


@cache
def free_text_fields(kind: str) -> frozenset[Pattern]:
    """Where a source of `kind` holds free text, as patterns of its JSON paths."""
    from .schema import SCHEMA_OF_KIND

    name = SCHEMA_OF_KIND.get(kind)
    if name is None:
        return frozenset()
    schema, _ = _resolve("", name)
    return frozenset(_patterns(schema, name, (), frozenset()))


@cache
def _prefixes(kind: str) -> frozenset[Pattern]:
    return frozenset(p[:n] for p in free_text_fields(kind) for n in range(len(p) + 1))


def texts(source: Source) -> Iterator[tuple[JsonPath, str]]:
    """Every free-text value of a source with where it stands."""
    fields, prefixes = free_text_fields(source.kind), _prefixes(source.kind)

    def walk(value: Any, path: JsonPath, pattern: Pattern) -> Iterator[tuple[JsonPath, str]]:
        if isinstance(value, str):
            if pattern in fields:
                yield path, value
        elif isinstance(value, dict):
            for key, sub in value.items():
                step = key if (*pattern, key) in prefixes else "**"
                if (*pattern, step) in prefixes:
                    yield from walk(sub, (*path, key), (*pattern, step))
        elif isinstance(value, list) and (*pattern, "*") in prefixes:
            for i, sub in enumerate(value):
                yield from walk(sub, (*path, i), (*pattern, "*"))

    yield from walk(source.data, (), ())


# --- positions inside a scalar -------------------------------------------------------------


def _index(text: str, line: int, column: int) -> int:
    """The index of a 1-based line and column in a text (lines end at `\\n`)."""
    start = 0
    for _ in range(line - 1):
        found = text.find("\n", start)
        if found < 0:
            return len(text)
        start = found + 1
    return min(start + column - 1, len(text))


def _line_column(text: str, index: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


_SPACE = " \t\r\n"


def _skip_escape(src: str, p: int) -> int:
    """Past a double-quoted escape sequence starting at the backslash `src[p]`."""
    kind = src[p + 1 : p + 2]
    return p + 2 + {"x": 2, "u": 4, "U": 8}.get(kind, 0)


def offsets_in_source(src: str, span: Span, value: str, offsets: list[int]) -> list[int]:
    """Where characters of a scalar's value stand in the file's text: for each offset into
    `value`, an index into `src`. The value is aligned with the scalar's source character
    by character, skipping indentation, line folding, escapes and `''`."""
    start, end = _index(src, span.line, span.column), _index(src, span.end_line, span.end_column)
    first = src[start : start + 1]
    double, single = first == '"', first == "'"
    if double or single:
        p = start + 1
    elif first in ("|", ">"):
        newline = src.find("\n", start)
        p = newline + 1 if 0 <= newline < end else start
    else:
        p = start
    wanted = sorted(set(offsets))
    found: dict[int, int] = {}
    last = wanted[-1] if wanted else -1
    for i, ch in enumerate(value):
        if i > last:
            break
        if ch in _SPACE:
            if p < end and src[p] in _SPACE:
                p += 2 if src[p : p + 2] == "\r\n" else 1
            elif double and src[p : p + 1] == "\\":
                p = _skip_escape(src, p)
            found[i] = p
            continue
        while p < end and (
            src[p] in _SPACE or (double and src[p : p + 1] == "\\" and src[p + 1 : p + 2] in "\r\n")
        ):
            p += 2 if src[p] == "\\" else 1
        found[i] = p
        if double and src[p : p + 1] == "\\":
            p = _skip_escape(src, p)
        elif single and ch == "'" and src[p : p + 2] == "''":
            p += 2
        elif src[p : p + 1] == ch:
            p += 1
        else:  # a character the loader dropped or YAML spelled otherwise: look a little ahead
            ahead = src.find(ch, p, min(end, p + 8))
            if ahead >= 0:
                found[i], p = ahead, ahead + 1
    return [found.get(o, start) for o in offsets]


@dataclass
class Positions:
    """Line and column of offsets inside a source's texts; reads a file only when a text's
    source is not simply its value on one line."""

    files: dict[str, str | None] = field(default_factory=dict)

    def text_of(self, source: Source) -> str | None:
        if source.file not in self.files:
            try:
                raw = Path(source.file).read_bytes().decode("utf-8-sig")
                self.files[source.file] = ODD_BREAKS.sub(" ", raw)
            except (OSError, UnicodeDecodeError):
                self.files[source.file] = None
        return self.files[source.file]

    def at(self, source: Source, path: JsonPath, value: str, offset: int) -> tuple[int, int]:
        span = source.value_span(path)
        if span.line == span.end_line:
            width = span.end_column - span.column
            if width == len(value):
                return span.line, span.column + offset  # plain
            if width == len(value) + 2:
                return span.line, span.column + 1 + offset  # quoted, nothing escaped
        src = self.text_of(source)
        if src is None:
            return span.line, span.column
        return _line_column(src, offsets_in_source(src, span, value, [offset])[0])

    def problem(
        self,
        source: Source,
        path: JsonPath,
        value: str,
        start: int,
        end: int,
        rule: str,
        message: str,
        hint: str,
        severity: Severity = "error",
    ) -> Problem:
        line, column = self.at(source, path, value, start)
        end_line, end_column = self.at(source, path, value, max(start, end - 1))
        return Problem(
            source.file,
            line,
            column,
            rule,
            message,
            hint,
            severity,
            end_column + 1 if end_line == line else None,
            json_path_text(path),
        )
