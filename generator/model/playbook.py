"""The playbook as frozen dataclasses, built only from validated source data."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Self

from . import levelmaps
from .levelmaps import Ladders


def as_tuple(data: dict[str, Any], key: str) -> tuple[Any, ...]:
    """An optional list of the source data as a tuple."""
    return tuple(data.get(key) or ())


@dataclass(frozen=True)
class Level:
    """An autonomy level of a role: decision freedom coupled to proven competence."""

    id: str
    name: str
    reached_by: str
    confirmed_by: str | None  # None only on the lowest level, where everyone starts
    see: tuple[str, ...] = ()  # entries that belong to reaching it
    onboarding: bool = False  # reaching it requires completing the onboarding


@dataclass(frozen=True)
class Role:
    id: str
    name: str
    description: str
    escalates_to: str | None
    handles: tuple[str, ...] = ()
    levels: tuple[Level, ...] = ()  # lowest first


@dataclass(frozen=True)
class Case:
    """A case from practice: a situation, what is right, and why."""

    situation: str
    right: str
    why: str
    value: float | None = None  # escalation paths: the value the case is about ...
    decider: str | None = None  # ... who must decide it ...
    level: str | None = None  # ... at which level (None: the lowest)


@dataclass(frozen=True)
class FileOwners:
    """The roles `playbook.yml` names as owners of the files that are no entries."""

    playbook: str | None = None
    glossary: str | None = None
    onboarding: str | None = None


@dataclass(frozen=True)
class Upcoming:
    """What changes in an entry on the day its next version takes effect."""

    date: dt.date
    sentences: tuple[str, ...]


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
    cases: tuple[Case, ...]
    team: str  # "" for the organisation's; else the team that tightened or added it
    effective: dt.date | None  # the day this version takes effect; None: when merged
    # a version taking effect later, announced on this one (the version in force):
    # `history/effective.py` sets it for the site, the cards and the helper
    upcoming: Upcoming | None

    @property
    def in_force(self) -> bool:
        return self.status != "retired"

    @property
    def first_id(self) -> str:
        """The id it was published under first: its card number comes from it."""
        return self.previous_ids[0] if self.previous_ids else self.id

    @classmethod
    def from_data(
        cls, d: dict[str, Any], common: dict[str, Any], ladders: Ladders | None = None
    ) -> Self:
        """The entry from its validated source data; `common` holds the fields all share,
        `ladders` the autonomy levels of `playbook.yml` (see `model/levelmaps.py`)."""
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
    def from_data(
        cls, d: dict[str, Any], common: dict[str, Any], ladders: Ladders | None = None
    ) -> Self:
        return cls(
            **common,
            rule=d["rule"],
            why=d["why"],
            area=d["area"],
            applies_to=as_tuple(d, "applies_to"),
            do=as_tuple(d, "do"),
            dont=as_tuple(d, "dont"),
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
    freedom_levels: tuple[str | None, ...]  # per freedom: the level it is granted from
    delegation: str | None

    @classmethod
    def from_data(
        cls, d: dict[str, Any], common: dict[str, Any], ladders: Ladders | None = None
    ) -> Self:
        experiments = d.get("experiments")
        freedoms = [f if isinstance(f, dict) else {"freedom": f} for f in d["freedoms"]]
        return cls(
            **common,
            freedoms=tuple(f["freedom"] for f in freedoms),
            bounded_by=as_tuple(d, "bounded_by"),
            examples=as_tuple(d, "examples"),
            experiments=Experiments(**experiments) if experiments else None,
            freedom_levels=tuple(f.get("from_level") for f in freedoms),
            delegation=d.get("delegation"),
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
    level: str | None = None  # for bands that vary by level; None: at every level


@dataclass(frozen=True)
class LevelBands:
    """A path's bands as they hold for one autonomy level."""

    level: str
    bands: tuple[Band, ...]


def bands_of(raw: list[dict[str, Any]], minimum: float) -> tuple[Band, ...]:
    """Bands from validated source data whose edges and deciders are plain values."""
    return tuple(
        Band(
            above=b.get("above"),
            up_to=b.get("up_to"),
            lower=b.get("above", minimum),
            decider=b["decider"],
            consult=as_tuple(b, "consult"),
            inform=as_tuple(b, "inform"),
            response_time_hours=b["response_time_hours"],
            channel=b["channel"],
            note=b.get("note", ""),
        )
        for b in raw
    )


@dataclass(frozen=True)
class EscalationPath(Entry):
    decision: str
    quantity: Quantity
    bands: tuple[Band, ...]  # for a path that varies by level: the lowest level's
    examples: tuple[Example, ...]
    level_role: str | None  # the role whose levels the bands vary by
    by_level: tuple[LevelBands, ...]  # every level of that role, lowest first; else ()
    delegation: str | None

    @classmethod
    def from_data(
        cls, d: dict[str, Any], common: dict[str, Any], ladders: Ladders | None = None
    ) -> Self:
        q = d["quantity"]
        minimum = q.get("minimum", 0)
        return cls(
            **common,
            decision=d["decision"],
            quantity=Quantity(q["name"], q["unit"], minimum, q.get("maximum")),
            examples=tuple(
                Example(x["value"], x["decider"], x.get("level")) for x in d.get("examples", [])
            ),
            **cls.band_fields(d["bands"], minimum, ladders or {}),
            delegation=d.get("delegation"),
        )

    @property
    def every_band(self) -> tuple[Band, ...]:
        """Its bands at every level (its bands, where they do not vary by level)."""
        return tuple(b for lb in self.by_level for b in lb.bands) or self.bands

    @staticmethod
    def band_fields(raw: list[dict[str, Any]], minimum: float, ladders: Ladders) -> dict[str, Any]:
        """`bands`, `by_level` and `level_role` from a path's (or a team's) raw bands."""
        ladder = levelmaps.ladder_of(raw, ladders)
        if ladder is None:
            return {"bands": bands_of(raw, minimum), "by_level": (), "level_role": None}
        by_level = tuple(
            LevelBands(level, bands_of(levelmaps.resolve(raw, ladder[1], level)[0], minimum))
            for level in ladder[1]
        )
        return {"bands": by_level[0].bands, "by_level": by_level, "level_role": ladder[0]}


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
    def from_data(
        cls, d: dict[str, Any], common: dict[str, Any], ladders: Ladders | None = None
    ) -> Self:
        return cls(
            **common,
            stage_from=d["stage_from"],
            stage_to=d["stage_to"],
            criteria=tuple(Criterion(**c) for c in d["criteria"]),
            optional_min=d.get("optional_min", 0),
            disqualifiers=as_tuple(d, "disqualifiers"),
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
    def from_data(
        cls, d: dict[str, Any], common: dict[str, Any], ladders: Ladders | None = None
    ) -> Self:
        return cls(
            **common,
            principles=as_tuple(d, "principles"),
            triggers=tuple(Trigger(**{"description": "", **t}) for t in d["triggers"]),
            steps=tuple(
                Step(
                    **{
                        **s,
                        "actions": as_tuple(s, "actions"),
                        "exit_criteria": as_tuple(s, "exit_criteria"),
                    }
                )
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
class Tightening:
    """What a team holds stricter in one entry: the fields it replaces or adds to."""

    entry: str
    why: str
    fields: tuple[tuple[str, Any], ...]  # (model field, its value for the team)
    line: int  # where it stands in the team's file


@dataclass(frozen=True)
class Team:
    """A team's or region's overlay: it may only tighten the organisation's playbook."""

    id: str
    name: str
    description: str
    owner: str
    file: str
    tightenings: tuple[Tightening, ...]
    non_negotiables: tuple[NonNegotiable, ...]  # hold in this team only

    @property
    def own_rules(self) -> tuple[NonNegotiable, ...]:
        """Its own non-negotiables that are published (drafts left out)."""
        return tuple(n for n in self.non_negotiables if n.status != "draft")


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
    teams: tuple[Team, ...] = ()
    team: str = ""  # the team whose effective view this is; "" for the organisation
    level: str = ""  # the level this view is resolved at (cards --level); "" for all
    public: bool = False  # may search engines index the site (private by default)

    def levels_of(self, role_id: str) -> tuple[Level, ...]:
        role = self._roles_by_id.get(role_id)
        return role.levels if role else ()

    def level_of(self, level_id: str) -> tuple[Role, Level] | None:
        """The role a level belongs to, and the level."""
        for role in self.roles:
            for level in role.levels:
                if level.id == level_id:
                    return role, level
        return None

    @property
    def team_rules(self) -> tuple[NonNegotiable, ...]:
        """The teams' own published non-negotiables, which the organisation's site, deck,
        search and reviews carry beside its entries (each marked with its team); on a
        team's own view they are among its entries already."""
        return () if self.team else tuple(n for t in self.teams for n in t.own_rules)

    def team_named(self, team_id: str) -> Team | None:
        return next((t for t in self.teams if t.id == team_id), None)

    def role(self, role_id: str) -> Role:
        return self._roles_by_id[role_id]

    def entry(self, entry_id: str) -> Entry:
        return self._entries_by_id[entry_id]

    def find(self, entry_id: str) -> Entry | None:
        """The entry of that id, None if there is none."""
        return self._entries_by_id.get(entry_id)

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
