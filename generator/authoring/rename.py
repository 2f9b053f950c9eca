"""`playbook rename OLD NEW`: a new id for an entry, with its old addresses kept.

The entry's file is renamed, its `id` set and OLD appended to its `previous_ids` (so its
old page and card short link redirect, and its card number stays), and every reference
to OLD in other files is updated. All of it by editing the YAML text at the positions
the loader recorded: comments, quoting and layout stay as they are. The result is
validated in a copy first; if anything fails, nothing is written.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import Failure, PlaybookError, UsageError, errors_only
from ..model.kinds import ENTRY_KINDS
from ..model.refs import refs_in
from ..parse import ODD_BREAKS, JsonPath, Source, Span
from ..runtime.output import replace_file
from ..source.check import validate
from ..source.checks.refs import definitions, entry_sites, previous_ids
from ..source.textfields import Positions
from ..source.textfields import texts as texts_of
from .scaffold import id_problem

# what YAML counts as a line break once the loader has read NEL, LS and PS as spaces
# (parse.ODD_BREAKS): the loader's line numbers count these, and so must the offsets here
_BREAK = re.compile("\r\n|[\r\n]")
_BOM = "\ufeff"


class RenameError(Failure):
    """Raised when a rename cannot be done safely; nothing has been written."""

    exit_code = 2


@dataclass(frozen=True)
class Renamed:
    old_path: Path
    new_path: Path
    updated: tuple[Path, ...]  # other files whose references were updated


class _Text:
    """One source file's text, edited at line/column positions of the original."""

    def __init__(self, path: Path) -> None:
        raw = path.read_bytes().decode("utf-8")
        self.bom = raw.startswith(_BOM)
        self.text = raw.removeprefix(_BOM)
        self.path = path
        # lines as the loader counted them: it parsed the text with the odd breaks read as
        # spaces (one character for one, so offsets agree); the edits keep them as written
        self.starts = [0] + [m.end() for m in _BREAK.finditer(ODD_BREAKS.sub(" ", self.text))]
        self.newline = "\r\n" if "\r\n" in self.text else "\n"
        self.edits: list[tuple[int, int, str]] = []

    def offset(self, line: int, column: int) -> int:
        return self.starts[line - 1] + column - 1

    def line_end(self, line: int) -> int:
        """Where the line after `line` starts (the end of the text on the last line)."""
        return self.starts[line] if line < len(self.starts) else len(self.text)

    def cannot(self, span: Span, what: str) -> RenameError:
        return RenameError(
            f"{self.path}:{span.line}:{span.column}: cannot edit {what} in place; "
            "change it by hand, or write it as a plain value"
        )

    def replace_id(self, span: Span, old: str, new: str) -> None:
        start, end = (
            self.offset(span.line, span.column),
            self.offset(span.end_line, span.end_column),
        )
        written = self.text[start:end]
        if written not in (old, f'"{old}"', f"'{old}'"):
            raise self.cannot(span, f"`{old}`")
        self.edits.append((start, end, written.replace(old, new)))

    def append_previous(self, source: Source, old: str) -> None:
        """Add `old` to `previous_ids`, creating the list below `id` if there is none."""
        data = source.data
        if "previous_ids" in data:
            items = data["previous_ids"]
            span = source.values[("previous_ids",)]
            start = self.offset(span.line, span.column)
            end = self.offset(span.end_line, span.end_column)
            if self.text[start] == "[":  # flow style: `[a, b]`
                close = self.text.rindex("]", start, end)
                self.edits.append((close, close, f", {old}"))
                return
            last = source.values[("previous_ids", len(items) - 1)]
            line_start = self.starts[last.line - 1]
            prefix = self.text[line_start : self.offset(last.line, last.column)]
            if not re.fullmatch(r"[ ]*-[ ]+", prefix) or last.end_line != last.line:
                raise self.cannot(last, "`previous_ids`")
            at = self.line_end(last.line)
            lead = "" if at == 0 or self.text[at - 1] in "\r\n" else self.newline
            self.edits.append((at, at, f"{lead}{prefix}{old}{self.newline}"))
            return
        key, value = source.keys[("id",)], source.values[("id",)]
        indent = self.text[self.starts[key.line - 1] : self.offset(key.line, key.column)]
        if indent.strip() or value.end_line != key.line:
            raise self.cannot(key, "`id`")
        at = self.line_end(value.end_line)
        lead = "" if at == 0 or self.text[at - 1] in "\r\n" else self.newline
        nl = self.newline
        self.edits.append((at, at, f"{lead}{indent}previous_ids:{nl}{indent}  - {old}{nl}"))

    def result(self) -> str:
        text = self.text
        for start, end, replacement in sorted(self.edits, reverse=True):
            text = text[:start] + replacement + text[end:]
        return (_BOM if self.bom else "") + text


def _live_values(source: Source, old: str, edit: _Text, positions: Positions) -> list[int]:
    """Where the file writes `old` as a live value in a text (`{old}`, `{old:role}`): the
    offsets of the id, to be replaced (model/refs.py)."""
    found = []
    for path, text in texts_of(source):
        for ref in refs_in(text):
            if ref.path != old:
                continue
            line, column = positions.at(source, path, text, ref.start + 1)
            start = edit.offset(line, column)
            if edit.text[start : start + len(old)] != old:
                raise edit.cannot(source.value_span(path), f"the live value `{{{old}}}`")
            found.append(start)
    return found


def _check_new_id(sources: list[Source], old: str, new: str) -> None:
    problem = id_problem(new)
    if problem:
        raise RenameError(problem)
    if new == old:
        raise RenameError(f"the entry is called `{old}` already")
    for d in definitions(sources):
        if d.what in ENTRY_KINDS and d.id == new:
            raise RenameError(f"`{new}` is the id of an entry already ({d.source.file})")
    for d in previous_ids(sources):
        if d.id == new:
            raise RenameError(
                f"`{new}` is a former id of the entry in {d.source.file}: its old links and "
                "cards lead there, so it stays taken; choose another id"
            )


def plan(root: Path, old: str, new: str, today: dt.date) -> tuple[Renamed, dict[Path, str]]:
    """What the rename writes: {path: new text}; raises if the playbook is invalid."""
    sources, problems = validate(root, today)
    if errors_only(problems):
        raise PlaybookError(problems)
    entry = next((s for s in sources if s.kind in ENTRY_KINDS and s.data.get("id") == old), None)
    if entry is None:
        known = sorted(d.id for d in definitions(sources) if d.what in ENTRY_KINDS)
        raise RenameError(f"no entry has the id `{old}`; entries: {', '.join(known)}")
    _check_new_id(sources, old, new)
    old_path = Path(entry.file)
    new_path = old_path.with_name(f"{new}{old_path.suffix}")
    if new_path.exists():
        raise RenameError(f"{new_path} exists already; choose another id")

    texts: dict[Path, str] = {}
    updated: list[Path] = []
    positions = Positions()
    for source in sources:
        path = Path(source.file)
        edit = _Text(path)
        if source is entry:
            edit.replace_id(source.values[("id",)], old, new)
            edit.append_previous(source, old)
        sites: list[JsonPath] = [p for p, ref, _ in entry_sites(source) if ref == old]
        for site in sites:
            edit.replace_id(source.values[site], old, new)
        live = _live_values(source, old, edit, positions)
        for start in live:
            edit.edits.append((start, start + len(old), new))
        if source is entry:
            texts[new_path] = edit.result()
        elif sites or live:
            texts[path] = edit.result()
            updated.append(path)
    return Renamed(old_path, new_path, tuple(updated)), texts


def rename(root: Path, old: str, new: str, today: dt.date) -> Renamed:
    """Rename the entry `old` to `new`; write nothing unless all of it succeeds."""
    try:
        renamed, texts = plan(root, old, new, today)
    except RenameError as error:
        raise UsageError(str(error)) from None
    _try_in_copy(root, renamed, texts, today)
    for path, text in texts.items():
        replace_file(path, text.encode("utf-8"))
    renamed.old_path.unlink()
    return renamed


def _try_in_copy(root: Path, renamed: Renamed, texts: dict[Path, str], today: dt.date) -> None:
    """Apply the rename to a copy of the playbook and validate it: the edits are sound."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "playbook"
        shutil.copytree(root, copy)
        for path, text in texts.items():
            (copy / path.resolve().relative_to(root.resolve())).write_bytes(text.encode("utf-8"))
        (copy / renamed.old_path.resolve().relative_to(root.resolve())).unlink()
        _, problems = validate(copy, today)
        errors = errors_only(problems)
        if errors:
            first = errors[0]
            raise UsageError(
                f"the rename would leave the playbook invalid ({first.rule}: {first.message}); "
                "nothing was written"
            )
