"""Problems -> text for people (rustc-style, with the source line)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .errors import Problem
from .text import terminal_safe


@cache
def _lines(file: str) -> tuple[str, ...]:
    path = Path(file)
    try:
        if path.is_symlink() or not path.is_file():  # never read what a link points to
            return ()
        return tuple(path.read_text("utf-8-sig", errors="replace").splitlines())
    except OSError:
        return ()


def forget_sources() -> None:
    """Read the sources' lines again next time (the live preview: they change)."""
    _lines.cache_clear()


MAX_SHOWN = 200  # problems printed in full; the rest are counted


def format_problem(problem: Problem) -> str:
    message, hint = terminal_safe(problem.message), terminal_safe(problem.hint)
    head = f"{problem.severity}[{problem.rule}]: {message}"
    where = f"{terminal_safe(problem.file)}:{problem.line}:{problem.column}"
    if problem.json_path != "$":
        where += f"  (at {terminal_safe(problem.json_path)})"
    out = [head, f" --> {where}"]
    lines = _lines(problem.file)
    if 0 < problem.line <= len(lines):
        gutter = " " * len(str(problem.line))
        text = terminal_safe(lines[problem.line - 1].replace("\t", " "))
        width = max(1, (problem.end_column or problem.column + 1) - problem.column)
        width = min(width, max(1, len(text) - problem.column + 1))
        out += [
            f"{gutter} |",
            f"{problem.line} | {text}",
            f"{gutter} | {' ' * (problem.column - 1)}{'^' * width}",
        ]
    if hint:
        out.append(f"{' ' * len(str(problem.line))} = help: {hint}")
    return "\n".join(out)


def format_text(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    blocks = [format_problem(p) for p in problems[:MAX_SHOWN]]
    if len(problems) > MAX_SHOWN:
        blocks.append(f"… and {len(problems) - MAX_SHOWN} more")
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    blocks.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n\n".join(blocks)


def _github_escape(text: str, *, property_value: bool = False) -> str:
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
            f"file={_github_escape(p.file, property_value=True)}",
            f"line={p.line}",
            f"col={p.column}",
        ]
        if p.end_column:
            props.append(f"endColumn={p.end_column}")
        props.append(f"title={_github_escape(p.rule, property_value=True)}")
        message = p.message + (f"\n{p.hint}" if p.hint else "")
        lines.append(f"::{level} {','.join(props)}::{_github_escape(message)}")
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


FORMATS = {"text": format_text, "github": format_github, "json": format_json}
