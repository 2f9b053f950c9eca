"""The playbook as frozen dataclasses, built only from validated source data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Self


def _t(data: dict[str, Any], key: str) -> tuple[Any, ...]:
    """An optional list of the source data as a tuple."""
    return tuple(data.get(key) or ())


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    description: str
    escalates_to: str | None
    handles: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileOwners:
    """The roles `playbook.yml` names as owners of the files that are no entries."""

    playbook: str | None = None
    glossary: str | None = None
    onboarding: str | None = None


@dataclass(frozen=True)
class Entry:
    kind: str
    id: str
    title: str
    summary: str
    owner: str
    last_reviewed: dt.date
    review_due: dt.date
    overdue: bool
    tags: tuple[str, ...]
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    file: str
    status: str  # draft, active or retired
    successor: str | None
    previous_ids: tuple[str, ...]  # ids it had before, oldest first

    @property
    def in_force(self) -> bool:
        return self.status != "retired"

    @property
    def first_id(self) -> str:
        """The id it was published under first: its card number comes from it."""
        return self.previous_ids[0] if self.previous_ids else self.id

    @classmethod
    def from_data(cls, d: dict[str, Any], common: dict[str, Any]) -> Self:
        """The entry from its validated source data; `common` holds the fields all share."""
        raise NotImplementedError(cls.__name__)


@dataclass(frozen=True)
class NonNegotiable(Entry):
    rule: str
    why: str
    area: str
    applies_to: tuple[str, ...]
    do: tuple[str, ...]
    dont: tuple[str, ...]
    instead: str
    on_breach: str

    @classmethod
    def from_data(cls, d: dict[str, Any], common: dict[str, Any]) -> Self:
        return cls(
            **common,
            rule=d["rule"],
            why=d["why"],
            area=d["area"],
            applies_to=_t(d, "applies_to"),
            do=_t(d, "do"),
            dont=_t(d, "dont"),
            instead=d.get("instead", ""),
            on_breach=d["on_breach"],
        )


@dataclass(frozen=True)
class Experiments:
    hypothesis: str
    measure: str
    time_box: str
    stop_condition: str
    report: str


@dataclass(frozen=True)
class FlexibleZone(Entry):
    freedoms: tuple[str, ...]
    bounded_by: tuple[str, ...]
    examples: tuple[str, ...]
    experiments: Experiments | None

    @classmethod
    def from_data(cls, d: dict[str, Any], common: dict[str, Any]) -> Self:
        experiments = d.get("experiments")
        return cls(
            **common,
            freedoms=_t(d, "freedoms"),
            bounded_by=_t(d, "bounded_by"),
            examples=_t(d, "examples"),
            experiments=Experiments(**experiments) if experiments else None,
        )


@dataclass(frozen=True)
class Band:
    above: float | None  # exclusive; None on the first band (starts at the minimum)
    up_to: float | None  # inclusive; None on an open-ended last band
    lower: float  # where the band starts: `above`, or the quantity's minimum
    decider: str
    consult: tuple[str, ...]
    inform: tuple[str, ...]
    response_time_hours: int
    channel: str
    note: str


@dataclass(frozen=True)
class Quantity:
    name: str
    unit: str
    minimum: float
    maximum: float | None


@dataclass(frozen=True)
class Example:
    value: float
    decider: str


@dataclass(frozen=True)
class EscalationPath(Entry):
    decision: str
    quantity: Quantity
    bands: tuple[Band, ...]
    examples: tuple[Example, ...]

    @classmethod
    def from_data(cls, d: dict[str, Any], common: dict[str, Any]) -> Self:
        q = d["quantity"]
        minimum = q.get("minimum", 0)
        return cls(
            **common,
            decision=d["decision"],
            quantity=Quantity(q["name"], q["unit"], minimum, q.get("maximum")),
            bands=tuple(
                Band(
                    above=b.get("above"),
                    up_to=b.get("up_to"),
                    lower=b.get("above", minimum),
                    decider=b["decider"],
                    consult=_t(b, "consult"),
                    inform=_t(b, "inform"),
                    response_time_hours=b["response_time_hours"],
                    channel=b["channel"],
                    note=b.get("note", ""),
                )
                for b in d["bands"]
            ),
            examples=tuple(Example(x["value"], x["decider"]) for x in d.get("examples", [])),
        )


@dataclass(frozen=True)
class Criterion:
    id: str
    question: str
    evidence: str
    required: bool


@dataclass(frozen=True)
class QualificationRule(Entry):
    stage_from: str
    stage_to: str
    criteria: tuple[Criterion, ...]
    optional_min: int
    disqualifiers: tuple[str, ...]

    @classmethod
    def from_data(cls, d: dict[str, Any], common: dict[str, Any]) -> Self:
        return cls(
            **common,
            stage_from=d["stage_from"],
            stage_to=d["stage_to"],
            criteria=tuple(Criterion(**c) for c in d["criteria"]),
            optional_min=d.get("optional_min", 0),
            disqualifiers=_t(d, "disqualifiers"),
        )


@dataclass(frozen=True)
class Trigger:
    id: str
    metric: str
    comparison: str
    threshold: float
    unit: str
    periods: int
    period: str
    description: str


@dataclass(frozen=True)
class Step:
    id: str
    name: str
    actions: tuple[str, ...]
    owner: str
    time_frame_weeks: int
    exit_criteria: tuple[str, ...]


@dataclass(frozen=True)
class Underperformance(Entry):
    principles: tuple[str, ...]
    triggers: tuple[Trigger, ...]
    steps: tuple[Step, ...]

    @classmethod
    def from_data(cls, d: dict[str, Any], common: dict[str, Any]) -> Self:
        return cls(
            **common,
            principles=_t(d, "principles"),
            triggers=tuple(Trigger(**{"description": "", **t}) for t in d["triggers"]),
            steps=tuple(
                Step(**{**s, "actions": _t(s, "actions"), "exit_criteria": _t(s, "exit_criteria")})
                for s in d["steps"]
            ),
        )


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    abbreviation: str
    definition: str
    synonyms: tuple[str, ...]


@dataclass(frozen=True)
class SelfCheck:
    question: str
    answer: str


@dataclass(frozen=True)
class OnboardingStep:
    title: str
    entries: tuple[str, ...]
    goal: str
    check: SelfCheck | None


@dataclass(frozen=True)
class Week:
    week: int
    title: str
    goal: str
    steps: tuple[OnboardingStep, ...]


@dataclass(frozen=True)
class Onboarding:
    title: str
    intro: str
    weeks: tuple[Week, ...]


@dataclass(frozen=True)
class Playbook:
    title: str
    organisation: str
    description: str
    language: str
    site_url: str
    version: str
    rep_role: str
    roles: tuple[Role, ...]
    entries: tuple[Entry, ...]
    terms: tuple[Term, ...]
    onboarding: Onboarding | None
    review_interval_months: int = 12  # the default; an entry may set its own
    owners: FileOwners = FileOwners()
    repo_url: str = ""  # https://…, without a trailing slash; "" when not set

    def role(self, role_id: str) -> Role:
        return self._roles_by_id[role_id]

    def entry(self, entry_id: str) -> Entry:
        return self._entries_by_id[entry_id]

    @cached_property
    def _roles_by_id(self) -> dict[str, Role]:
        return {r.id: r for r in reversed(self.roles)}  # the first of a duplicated id wins

    @cached_property
    def _entries_by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in reversed(self.entries)}

    def of_kind(self, kind: str) -> tuple[Entry, ...]:
        """Entries of a kind that are in force (retired ones keep only their page)."""
        return tuple(e for e in self.entries if e.kind == kind and e.in_force)

    def retired_of_kind(self, kind: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.kind == kind and not e.in_force)

    @cached_property
    def in_force(self) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.in_force)
