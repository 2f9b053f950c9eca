"""Problems -> text for people (rustc-style, with the source line)."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .errors import Problem
from .text import markdown_text, terminal_safe

MAX_EXCERPT_FILE = 4 * 1024 * 1024  # bytes: a source is at most 1 MB (source/load.py)


@cache
def _lines(file: str) -> tuple[str, ...]:
    path = Path(file)
    try:
        # never read what a link points to, nor a file larger than any source may be
        if path.is_symlink() or not path.is_file() or path.stat().st_size > MAX_EXCERPT_FILE:
            return ()
        return tuple(path.read_text("utf-8-sig", errors="replace").splitlines())
    except OSError:
        return ()


def forget_sources() -> None:
    """Read the sources' lines again next time (the live preview: they change)."""
    _lines.cache_clear()


MAX_SHOWN = 200  # problems printed in full; the rest are counted


def colour(stream: object) -> bool:
    """Whether to colour what goes to `stream`: on a terminal, unless NO_COLOR is set
    (no-color.org) or the terminal is dumb; FORCE_COLOR turns it on anywhere."""
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


# SGR codes: added after the text is made safe for a terminal, so input never brings its own
_SGR = {"error": "1;31", "warning": "1;33", "where": "34", "bold": "1"}


def _paint(text: str, style: str, on: bool) -> str:
    return f"\x1b[{_SGR[style]}m{text}\x1b[0m" if on else text


EXCERPT = 160  # characters of a source line shown under a problem, at most


def format_problem(problem: Problem, *, colour: bool = False) -> str:
    message, hint = terminal_safe(problem.message), terminal_safe(problem.hint)
    style = "error" if problem.severity == "error" else "warning"
    severity = _paint(problem.severity, style, colour)
    head = f"{severity}[{problem.rule}]: {_paint(message, 'bold', colour)}"
    where = f"{terminal_safe(problem.file)}:{problem.line}:{problem.column}"
    if problem.json_path != "$":
        where += f"  (at {terminal_safe(problem.json_path)})"
    out = [head, f" {_paint('-->', 'where', colour)} {where}"]
    lines = _lines(problem.file)
    if 0 < problem.line <= len(lines):
        gutter = " " * len(str(problem.line))
        raw = lines[problem.line - 1].replace("\t", " ")
        column = problem.column
        if len(raw) > EXCERPT:  # a long line (a JSON file on one line): the part around it
            start = max(0, min(column - 1 - EXCERPT // 3, len(raw) - EXCERPT))
            window = raw[start : start + EXCERPT]
            raw = ("…" if start else "") + window + ("…" if start + EXCERPT < len(raw) else "")
            column = column - start + (1 if start else 0)
        text = terminal_safe(raw)
        width = max(1, (problem.end_column or problem.column + 1) - problem.column)
        width = min(width, max(1, len(text) - column + 1))
        out += [
            f"{gutter} |",
            f"{problem.line} | {text}",
            f"{gutter} | {' ' * (column - 1)}{'^' * width}",
        ]
    if hint:
        out.append(f"{' ' * len(str(problem.line))} = help: {hint}")
    return "\n".join(out)


def format_text(problems: Iterable[Problem], *, colour: bool = False) -> str:
    problems = list(problems)
    if len(problems) > MAX_SHOWN:  # not all are shown: no error hides behind warnings
        problems.sort(key=lambda p: p.severity != "error")
    blocks = [format_problem(p, colour=colour) for p in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        blocks.append(f"… and {len(problems) - MAX_SHOWN} more")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    blocks.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n\n".join(blocks)


def github_escape(text: str, *, property_value: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return terminal_safe(text)


def format_github(problems: Iterable[Problem]) -> str:
    """GitHub Actions workflow commands: one annotation per problem."""
    lines = []
    for p in problems:
        level = "error" if p.severity == "error" else "warning"
        props = [
            f"file={github_escape(p.file, property_value=True)}",
            f"line={p.line}",
            f"col={p.column}",
        ]
        if p.end_column:
            props.append(f"endColumn={p.end_column}")
        props.append(f"title={github_escape(p.rule, property_value=True)}")
        message = p.message + (f"\n{p.hint}" if p.hint else "")
        lines.append(f"::{level} {','.join(props)}::{github_escape(message)}")
    return "\n".join(lines)


def format_json(problems: Iterable[Problem]) -> str:
    return json.dumps(
        [
            {
                "file": p.file,
                "line": p.line,
                "column": p.column,
                "end_column": p.end_column,
                "severity": p.severity,
                "rule": p.rule,
                "message": p.message,
                "hint": p.hint,
                "json_path": p.json_path,
            }
            for p in problems
        ],
        ensure_ascii=False,
        indent=2,
    )


def format_markdown(problems: Iterable[Problem]) -> str:
    """A list for a pull-request comment: where, what, how to fix."""
    problems = list(problems)
    errors = sum(p.severity == "error" for p in problems)
    lines = [f"**{errors} error(s), {len(problems) - errors} warning(s)**", ""]
    for p in problems:
        where = markdown_text(f"{p.file}:{p.line}:{p.column}")
        item = f"- **{p.severity}** `{p.rule}` {where}: {markdown_text(p.message)}"
        if p.hint:
            item += f"  \n  {markdown_text(p.hint)}"
        lines.append(item)
    return "\n".join(lines).rstrip()


FORMATS = {
    "text": format_text,
    "json": format_json,
    "github": format_github,
    "markdown": format_markdown,
}
# the one set of `--format` choices every command offers, in the order `--help` shows
FORMAT_NAMES = tuple(FORMATS)


# How much the status lines say: -1 with -q (problems and results only), 0 by default,
# 1 and more with -v. Set once by the command line before a command runs.
VERBOSITY = [0]


def say(message: str) -> None:
    """A status line for people, on stderr; -q leaves it out."""
    if VERBOSITY[0] >= 0:
        print(message, file=sys.stderr)


def detail(message: str) -> None:
    """A line only -v prints (what was read and written), on stderr."""
    if VERBOSITY[0] >= 1:
        print(message, file=sys.stderr)


def note(message: str) -> None:
    """A note -q does not silence (a renamed option), on stderr."""
    print(f"playbook: note: {message}", file=sys.stderr)


def warn(message: str) -> None:
    """A warning -q does not silence, on stderr."""
    print(f"playbook: warning: {message}", file=sys.stderr)


def shout(message: str) -> None:
    """Problems and failures, on stderr, whatever -q says."""
    print(message, file=sys.stderr)
