"""YAML text -> plain data with the position of every key and value.

Parse problems are returned as values, never raised, so every file gets checked.
Only a safe subset of YAML is accepted: no aliases, merge keys or explicit tags,
string keys only, and the YAML 1.2 core scalars (`true`/`false` are the only
booleans; dates stay strings). `source/load.py` finds and reads the files; the UI
labels (`text.py`) are read with the same parser.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import yaml

from .errors import Problem, Severity

MAX_DEPTH = 32
MAX_FLOW_DEPTH = 1000  # `[`/`{` open at once; far deeper crashes the C parser
MAX_NUMBER = 1e15  # no quantity in a playbook comes near; larger ones are typos

# C0 and C1 control characters, except tab and line feed: invisible, and they can
# rewrite what a terminal shows
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
ODD_BREAKS = re.compile("[\x85\u2028\u2029]")  # line breaks to YAML, not to editors

# what YAML itself refuses to read, found first so the position is the editor's
NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
JsonPath = tuple[str | int, ...]

# Words YAML 1.1 reads as booleans; we read them as text but warn where that may surprise.
YAML11_BOOLEANS = frozenset(
    w for base in ("yes", "no", "on", "off", "y", "n") for w in (base, base.title(), base.upper())
)


class Span(NamedTuple):
    """Where a value stands (1-based). A tuple: one is made for every YAML node."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass(frozen=True)
class Source:
    """One parsed file: its data plus where each part of it stands."""

    file: str
    kind: str
    data: Any
    values: Mapping[JsonPath, Span] = field(repr=False)
    keys: Mapping[JsonPath, Span] = field(repr=False)
    yaml11_words: tuple[JsonPath, ...] = ()
    warnings: tuple[Problem, ...] = ()  # found while reading, e.g. control characters removed
    relative: str = ""  # path inside the playbook folder, for messages that name other files

    def value_span(self, path: JsonPath) -> Span:
        while path not in self.values and path:
            path = path[:-1]
        return self.values.get(path, Span(1, 1, 1, 1))

    def key_span(self, path: JsonPath) -> Span:
        return self.keys.get(path) or self.value_span(path)

    def problem(
        self,
        path: JsonPath,
        rule: str,
        message: str,
        hint: str = "",
        *,
        at_key: bool = False,
        severity: Severity = "error",
    ) -> Problem:
        span = self.key_span(path) if at_key else self.value_span(path)
        end = span.end_column if span.end_line == span.line else None
        return Problem(
            self.file,
            span.line,
            span.column,
            rule,
            message,
            hint,
            severity,
            end,
            json_path_text(path),
        )


def json_path_text(path: JsonPath) -> str:
    text = "$"
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


_PLAIN, _QUOTED, _MAP, _SEQ = "!plain", "!quoted", "!map", "!seq"
if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:  # the C loader where libyaml is there: the same results, many times faster
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TaggingLoader(_BaseLoader):
    """Tags implicit nodes by their syntax only; explicitly tagged nodes keep their tag."""

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        if kind is yaml.ScalarNode:
            return _PLAIN if implicit[0] else _QUOTED
        return _MAP if kind is yaml.MappingNode else _SEQ


_INT = re.compile(r"[-+]?[0-9]+\Z")


_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")


def plain_scalar(text: str) -> Any:
    """Read an unquoted scalar the way YAML 1.2's core schema does (minus special floats)."""
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if _INT.match(text):
        return int(text)
    if _FLOAT.match(text):
        return float(text)
    return text


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Builder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.values: dict[JsonPath, Span] = {}
        self.keys: dict[JsonPath, Span] = {}
        self.problems: list[Problem] = []
        self.yaml11_words: list[JsonPath] = []
        self.warnings: list[Problem] = []
        self._seen: set[int] = set()

    def _problem(self, span: Span, rule: str, message: str, hint: str) -> None:
        end = span.end_column if span.end_line == span.line else None
        self.problems.append(
            Problem(self.file, span.line, span.column, rule, message, hint, "error", end)
        )

    def build(self, node: yaml.Node, path: JsonPath, depth: int) -> Any:
        if id(node) in self._seen:
            span = self.keys.get(path) or _span(node)
            self._problem(
                span,
                "yaml-alias",
                "aliases (`*name`) are not allowed",
                "write the value out in full; every entry should read on its own",
            )
            return None
        self._seen.add(id(node))
        self.values[path] = _span(node)
        if depth > MAX_DEPTH:
            self._problem(
                _span(node),
                "too-deep",
                f"nested more than {MAX_DEPTH} levels deep",
                "flatten the structure; no playbook field nests this deep",
            )
            return None
        # the node's class as well as its tag: an explicit `!map` on a scalar is just a tag
        if node.tag == _MAP and isinstance(node, yaml.MappingNode):
            return self._mapping(node, path, depth)
        if node.tag == _SEQ and isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        if node.tag == _PLAIN and isinstance(node, yaml.ScalarNode):
            if node.value in YAML11_BOOLEANS:
                self.yaml11_words.append(path)
            return self._text(self._number(node), node)
        if node.tag == _QUOTED and isinstance(node, yaml.ScalarNode):
            return self._text(node.value, node)
        self._problem(
            _span(node),
            "yaml-tag",
            f"explicit tag `{node.tag.replace('tag:yaml.org,2002:', '!!')}` is not allowed",
            "remove the tag; quote the value if it must stay text",
        )
        return None

    def _number(self, node: yaml.ScalarNode) -> Any:
        try:
            value = plain_scalar(node.value)
        except ValueError:  # more digits than Python converts
            value = math.inf
        number = isinstance(value, int | float) and not isinstance(value, bool)
        # the size first: an integer too large for a float cannot be asked whether it is finite
        if number and (abs(value) > MAX_NUMBER or not math.isfinite(value)):
            self._problem(
                _span(node),
                "bad-number",
                f"number {node.value[:20]}{'…' if len(node.value) > 20 else ''} is too large",
                f"numbers in a playbook stay below {MAX_NUMBER:,.0f}; "
                "quote the value if it is meant as text",
            )
            return None
        return value

    def _text(self, value: Any, node: yaml.ScalarNode) -> Any:
        if not isinstance(value, str) or not CONTROL.search(value):
            return value
        found = sorted({f"U+{ord(c):04X}" for c in CONTROL.findall(value)})
        span = _span(node)
        self.warnings.append(
            Problem(
                self.file,
                span.line,
                span.column,
                "control-character",
                f"removed invisible control characters ({', '.join(found)}) from this text",
                "delete them from the source; they can change what a terminal or page shows",
                "warning",
            )
        )
        return CONTROL.sub("", value)

    def _mapping(self, node: yaml.MappingNode, path: JsonPath, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        first_line: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_span = _span(key_node)
            if key_node.tag not in (_PLAIN, _QUOTED):
                self._problem(
                    key_span, "bad-key", "keys must be plain text", "write the key as a word"
                )
                continue
            key = key_node.value
            if key_node.tag == _PLAIN and key == "<<":
                self._problem(
                    key_span,
                    "yaml-merge",
                    "merge keys (`<<`) are not allowed",
                    "write the keys out in full; every entry should read on its own",
                )
                continue
            if key_node.tag == _PLAIN and not isinstance(plain_scalar(key), str):
                self._problem(
                    key_span,
                    "bad-key",
                    f"key `{key}` is not text",
                    f'quote it ("{key}") or use a named key',
                )
                continue
            if key in first_line:
                self._problem(
                    key_span,
                    "duplicate-key",
                    f"duplicate key `{key}` (first defined on line {first_line[key]})",
                    "remove one of them; YAML would silently keep only the last",
                )
                continue
            first_line[key] = key_span.line
            self.keys[(*path, key)] = key_span
            result[key] = self.build(value_node, (*path, key), depth + 1)
        return result


def _syntax_problem(file: str, text: str, error: yaml.YAMLError) -> Problem:
    mark = getattr(error, "problem_mark", None)
    line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
    what = getattr(error, "problem", None) or str(error)
    context = getattr(error, "context", None)
    message = f"invalid YAML: {what}" + (f" ({context})" if context else "")
    lines = text.splitlines()
    bad_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "\t" in bad_line[:column]:
        hint = "YAML indents with spaces only: replace the tab with spaces"
    elif "single document" in message:
        hint = "keep one entry per file: remove the `---` separator and what follows"
    else:
        hint = (
            "check the indentation and quoting here; quote text that contains `: ` or `#`, "
            "or starts with `*`, `&`, `!`, `%`, `@`, `[` or `{`"
        )
    return Problem(file, line, column, "yaml-syntax", message, hint)


def parse(file: str, text: str, kind: str) -> Source | list[Problem]:
    """Parse one YAML text. Returns the source, or the problems that stop it."""
    refused = _unreadable_text(file, text)
    if refused:
        return [refused]
    # YAML ends lines at NEL, LS and PS too; editors don't. Read them as spaces, so that
    # every position is the one an editor shows.
    separators: list[Problem] = []
    odd = ODD_BREAKS.search(text)
    if odd:
        line, column = _position(text, odd.start())
        separators.append(
            Problem(
                file,
                line,
                column,
                "control-character",
                f"read the line separator U+{ord(odd.group()):04X} as a space",
                "replace it with a space or a line break",
                "warning",
            )
        )
        text = ODD_BREAKS.sub(" ", text)
    try:
        root = yaml.compose(text, Loader=_TaggingLoader)
    except yaml.YAMLError as error:
        return [_syntax_problem(file, text, error)]
    except RecursionError:
        return [Problem(file, 1, 1, "too-deep", "nested too deep to read", "flatten the structure")]
    if root is None:
        return [
            Problem(
                file, 1, 1, "empty-file", "file is empty", "add the entry's keys or delete the file"
            )
        ]
    builder = _Builder(file)
    data = builder.build(root, (), 0)
    if builder.problems:
        return builder.problems
    return Source(
        file,
        kind,
        data,
        builder.values,
        builder.keys,
        tuple(builder.yaml11_words),
        (*separators, *builder.warnings),
    )


def _position(text: str, index: int) -> tuple[int, int]:
    """Line and column of `text[index]` as editors count them (lines end at `\\n`)."""
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


def _unreadable_text(file: str, text: str) -> Problem | None:
    """Characters YAML refuses, and flow nesting deep enough to crash the parser."""
    bad = NOT_YAML.search(text)
    if bad:
        line, column = _position(text, bad.start())
        return Problem(
            file,
            line,
            column,
            "bad-character",
            f"character U+{ord(bad.group()):04X} is not allowed in a YAML file",
            "delete it; it is invisible in most editors",
        )
    depth = 0
    for match in re.finditer(r"[\[\]{}]", text):
        depth += 1 if match.group() in "[{" else -1
        if depth > MAX_FLOW_DEPTH:
            line, column = _position(text, match.start())
            return Problem(
                file,
                line,
                column,
                "too-deep",
                f"more than {MAX_FLOW_DEPTH} brackets open at once",
                "flatten the structure; no playbook field nests this deep",
            )
    return None
