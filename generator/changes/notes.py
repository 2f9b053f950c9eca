"""What changed in one entry or file, collected: sentences, table rows and the verdict.

Every comparator, the generic one in `changes/fields.py` and each kind's, writes into the
same `Notes`, so an entry's change reads as one list whoever found it; the list helpers
here (what was removed, what was reworded) are shared by both for the same reason.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .policy import Verdict


@dataclass(frozen=True)
class Row:
    """One line of a change's table: what changed, before and after."""

    aspect: str
    before: str
    after: str


def capital(sentence: str) -> str:
    """A sentence for print: a capital first, no full stop after a quote that has one."""
    sentence = re.sub(r"([.!?])([“”\"])\.$", r"\1\2", sentence)
    return sentence[:1].upper() + sentence[1:]


@dataclass(frozen=True)
class Said:
    """One sentence of a change, its table row (if any) and what the policy makes of it."""

    sentence: str
    row: Row | None = None
    verdict: Verdict = Verdict.NONE


@dataclass
class Notes:
    """Collects what changed in one entry or file."""

    said: list[Said] = field(default_factory=list)
    flagged: Verdict = Verdict.NONE  # a verdict no sentence of its own carries
    levels: list[str] = field(default_factory=list)  # names of the levels it is for, if some
    level_ids: list[str] = field(default_factory=list)  # ... and their ids
    ladder: int = 0  # how many levels there are to be for (0: it does not vary by level)

    def add(self, sentence: str, row: Row | None = None, verdict: Verdict = Verdict.NONE) -> None:
        self.said.append(Said(capital(sentence), row, verdict))

    def flag(self, verdict: Verdict) -> None:
        if verdict.weight > self.flagged.weight:
            self.flagged = verdict

    def extend(self, other: Notes, where: str = "") -> None:
        """Another's notes; `where` (a level's name) goes before each of its sentences."""
        prefix = f"{capital(where)}: " if where else ""
        for said in other.said:
            row = said.row and dataclasses.replace(said.row, aspect=prefix + said.row.aspect)
            self.said.append(Said(prefix + said.sentence, row, said.verdict))
        self.flag(other.flagged)

    @property
    def sentences(self) -> list[str]:
        return [s.sentence for s in self.said]

    @property
    def rows(self) -> list[Row]:
        return [s.row for s in self.said if s.row is not None]

    @property
    def verdicts(self) -> list[Verdict]:
        """Each sentence's verdict, in the order of `sentences`."""
        return [s.verdict for s in self.said]

    @property
    def verdict(self) -> Verdict:
        """The weightiest verdict of all: what the change as a whole needs."""
        return max([self.flagged, *self.verdicts], key=lambda v: v.weight)

    @property
    def loosening(self) -> list[str]:
        """What each loosening gives, in words."""
        return [s.sentence for s in self.said if s.verdict is Verdict.LOOSENING]


def minus(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    """The items of `a` not in `b`, counting duplicates, in the order of `a`."""
    rest = list(b)
    result = []
    for item in a:
        if item in rest:
            rest.remove(item)
        else:
            result.append(item)
    return result


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def rewordings(gone: list[Any], came: list[Any]) -> list[tuple[Any, Any]]:
    """Removed and added texts that are one text reworded; taken out of both lists."""
    if len(gone) == 1 and len(came) == 1:
        pairs = [(gone[0], came[0])]
    else:
        pairs, free = [], list(came)
        for before in gone:
            best = max(free, key=lambda c: _similar(str(before), str(c)), default=None)
            if best is not None and _similar(str(before), str(best)) >= 0.5:
                pairs.append((before, best))
                free.remove(best)
    for before, after in pairs:
        gone.remove(before)
        came.remove(after)
    return pairs
