"""Problems -> text for people (rustc-style, with the source line)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from pathlib import Path

from .errors import Problem


@cache
def _lines(file: str) -> tuple[str, ...]:
    try:
        return tuple(Path(file).read_text("utf-8-sig", errors="replace").splitlines())
    except OSError:
        return ()


def format_problem(problem: Problem) -> str:
    head = f"{problem.severity}[{problem.rule}]: {problem.message}"
    where = f"{problem.file}:{problem.line}:{problem.column}"
    if problem.json_path != "$":
        where += f"  (at {problem.json_path})"
    out = [head, f" --> {where}"]
    lines = _lines(problem.file)
    if 0 < problem.line <= len(lines):
        gutter = " " * len(str(problem.line))
        text = lines[problem.line - 1].replace("\t", " ")
        width = max(1, (problem.end_column or problem.column + 1) - problem.column)
        width = min(width, max(1, len(text) - problem.column + 1))
        out += [
            f"{gutter} |",
            f"{problem.line} | {text}",
            f"{gutter} | {' ' * (problem.column - 1)}{'^' * width}",
        ]
    if problem.hint:
        out.append(f"{' ' * len(str(problem.line))} = help: {problem.hint}")
    return "\n".join(out)


def format_text(problems: Iterable[Problem]) -> str:
    problems = list(problems)
    blocks = [format_problem(p) for p in problems]
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    blocks.append(f"{errors} error(s), {warnings} warning(s)")
    return "\n\n".join(blocks)
