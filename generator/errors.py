"""The one way failures travel: `Problem` values, and one exception base, `Failure`.

Every exception this tool raises for its user derives from `Failure` and says in its
docstring when it is raised; `cli.py` turns each into its exit code in one place. Any other
exception is a bug and keeps its traceback.
"""

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


class Failure(Exception):
    """The base of every failure reported to the user rather than as a bug.

    `exit_code`: what the command line exits with (1: problems, 2: usage).
    """

    exit_code = 1


class PlaybookError(Failure):
    """Raised when sources (or the build they feed) cannot be turned into output.

    Carries every problem found, so the CLI can report all of them at once.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(sorted(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def errors_only(problems: Iterable[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


class UsageError(Failure):
    """Raised when the command line does not fit: a missing folder, an unknown kind,
    role or tag, a revision that is neither a folder nor a commit, a missing extra."""

    exit_code = 2


def require_known(given: Sequence[str], known: set[str], what: str) -> None:
    """A usage error naming what is unknown among `given`, and what is known."""
    unknown = sorted(set(given) - known)
    if unknown:
        listed = ", ".join(sorted(known)) or "none"
        raise UsageError(f"unknown {what} {', '.join(unknown)}; known: {listed}")
