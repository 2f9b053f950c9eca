"""The one way user-facing problems travel: `Problem` values and `PlaybookError`."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a source, at a position a person can jump to.

    Lines and columns are 1-based, as editors show them.
    """

    file: str
    line: int
    column: int
    rule: str
    message: str
    hint: str = ""
    severity: Severity = "error"
    end_column: int | None = None
    json_path: str = "$"

    def __str__(self) -> str:
        text = (
            f"{self.file}:{self.line}:{self.column}: {self.severity}[{self.rule}]: {self.message}"
        )
        if self.hint:
            text += f"\n    = help: {self.hint}"
        return text


class PlaybookError(Exception):
    """Raised when sources (or the build they feed) cannot be turned into output.

    Carries every problem found, so the CLI can report all of them at once.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


class UsageError(Exception):
    """Raised when the command line does not fit: a missing folder, an unknown kind,
    role or tag, a revision that is neither a folder nor a commit, a missing extra."""


def require_known(given: Sequence[str], known: set[str], what: str) -> None:
    unknown = sorted(set(given) - known)
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise UsageError(f"unknown {what} {', '.join(unknown)}; known: {listed}")
