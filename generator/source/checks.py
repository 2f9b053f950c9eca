"""Checks across sources and of meaning: references, ids, bands, cycles, review dates.

They read raw source data defensively (any part may have the wrong shape, which the
schema check reports), so that every problem in every file is found in one run.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Protocol

from ..errors import Problem, Severity
from ..model import levelmaps
from ..model.bands import find_band
from ..model.card_numbers import card_number
from ..model.dates import review_due  # MOVED
from ..model.kinds import ENTRY_KINDS, KIND_NAMES
from ..parse import JsonPath, Source
from . import drift
from .suggest import choices, closest


class Checked(Protocol):
    """A source, or a source's data seen at one autonomy level (`_AtLevel`)."""

    @property
    def data(self) -> Any: ...

    def problem(
        self,
        path: JsonPath,
        rule: str,
        message: str,
        hint: str = "",
        *,
        at_key: bool = False,
        severity: Severity = "error",
    ) -> Problem: ...


@dataclass(frozen=True)
class _AtLevel:
    """A path's data as it holds at one level; problems point where that level's value
    stands in the source and say which level they are about."""

    source: Source
    data: Any
    origin: dict[JsonPath, JsonPath]
    level: str
    at: JsonPath = ()  # where the bands stand (a team's overlay: `tighten[i]`)

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
        for n in range(len(path), 0, -1):
            if path[:n] in self.origin:
                path = self.origin[path[:n]] + path[n:]
                break
        where = (*self.at, *path) if path and path[0] == "bands" else path
        return self.source.problem(
            where,
            rule,
            f"at level `{self.level}`: {message}" if self.level else message,
            hint,
            at_key=at_key,
            severity=severity,
        )


@dataclass(frozen=True)
class Definition:
    id: str
    what: str  # "role", "term" or an entry kind
    source: Source
    path: JsonPath


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None


def definitions(sources: list[Source]) -> list[Definition]:
    found: list[Definition] = []
    for source in sources:
        data = _dict(source.data)
        if source.kind in ENTRY_KINDS and isinstance(data.get("id"), str):
            found.append(Definition(data["id"], source.kind, source, ("id",)))
        elif source.kind == "playbook":
            for i, role in enumerate(_list(data.get("roles"))):
                if isinstance(_dict(role).get("id"), str):
                    found.append(Definition(role["id"], "role", source, ("roles", i, "id")))
                for j, level in enumerate(_list(_dict(role).get("levels"))):
                    if isinstance(_dict(level).get("id"), str):
                        at: JsonPath = ("roles", i, "levels", j, "id")
                        found.append(Definition(level["id"], "level", source, at))
        elif source.kind == "team":
            if isinstance(data.get("id"), str):
                found.append(Definition(data["id"], "team", source, ("id",)))
            for i, rule in enumerate(_list(data.get("non_negotiables"))):
                if isinstance(_dict(rule).get("id"), str):
                    at = ("non_negotiables", i, "id")
                    found.append(Definition(rule["id"], "non_negotiable", source, at))
        elif source.kind == "glossary":
            for i, term in enumerate(_list(data.get("terms"))):
                if isinstance(_dict(term).get("id"), str):
                    found.append(Definition(term["id"], "term", source, ("terms", i, "id")))
    return found


def previous_ids(sources: list[Source]) -> list[Definition]:
    """The ids entries had before (`previous_ids`): still theirs, in URLs and card numbers."""
    found: list[Definition] = []
    for source in sources:
        if source.kind in ENTRY_KINDS:
            places: list[tuple[JsonPath, Any]] = [((), source.data)]
        elif source.kind == "team":  # the team's own non-negotiables have pages too
            rules = _list(_dict(source.data).get("non_negotiables"))
            places = [(("non_negotiables", n), rule) for n, rule in enumerate(rules)]
        else:
            continue
        for at, data in places:
            kind = "non_negotiable" if at else source.kind
            for i, old in enumerate(_list(_dict(data).get("previous_ids"))):
                if isinstance(old, str):
                    found.append(Definition(old, kind, source, (*at, "previous_ids", i)))
    return found


# ids become file names: `index` would replace an overview page, and Windows cannot
# check out files named after its devices
RESERVED_IDS = frozenset(
    {"index", "con", "prn", "aux", "nul"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(1, 10)}
)


def check_all(
    sources: list[Source],
    today: dt.date,
    default_interval: int,
    unreadable_entries: dict[str, str] | None = None,
) -> list[Problem]:
    defs = definitions(sources)
    earlier = previous_ids(sources)
    problems = list(_duplicate_ids(defs + earlier)) + list(_card_number_clashes(defs))
    problems += [
        d.source.problem(
            d.path,
            "reserved-id",
            f"`{d.id}` cannot be used as an id: it names a file the site or Windows reserves",
            f"choose another id, e.g. `{d.id}-{KIND_NAMES.get(d.what, d.what).split()[0]}`",
        )
        for d in defs + earlier
        if d.what not in ("term", "level") and d.id in RESERVED_IDS
    ]
    problems += [  # the site's team and level switch name the organisation's view so
        d.source.problem(
            d.path,
            "reserved-id",
            f"`{d.id}` cannot be used as the id of a {d.what}: the site's team and level "
            "switch use it",
            f"choose another id, e.g. `{d.id}-{d.what}`",
        )
        for d in defs
        if (d.what, d.id) in (("team", "org"), ("level", "any"))
    ]
    has_settings = any(s.kind == "playbook" and isinstance(s.data, dict) for s in sources)
    roles = {d.id for d in defs if d.what == "role"} if has_settings else None
    entries = {
        **(unreadable_entries or {}),
        **{d.id: d.what for d in defs if d.what in ENTRY_KINDS},
    }
    statuses = {
        d.id: _dict(d.source.data).get("status", "active") for d in defs if d.what in ENTRY_KINDS
    }
    problems += _onboarding_coverage(sources)
    problems += drift.check(sources, unreadable_entries)  # prose against the bands
    org_entries = {
        d.id: d.source for d in defs if d.what in ENTRY_KINDS and d.source.kind != "team"
    }
    known_levels = levelmaps.ladders(next((s.data for s in sources if s.kind == "playbook"), None))
    for source in sources:
        problems += _file_name(source)
        problems += _references(source, roles, entries)
        problems += _review(source, today, default_interval)
        problems += _yaml11_words(source)
        problems += source.warnings
        if source.kind == "escalation_path":
            problems += _path_bands(source, known_levels)
        if source.kind == "playbook":
            problems += _cycles(source)
            problems += _levels(source)
        if source.kind == "flexible_zone":
            problems += _freedom_levels(source, known_levels, _dict(source.data), ())
        if source.kind == "team":
            problems += _team(source, known_levels, org_entries)
        problems += _local_ids(source)
        problems += _lifecycle(source, statuses)
    return problems


def _namespace(what: str) -> str:
    """Entries of all kinds share one namespace (URLs, card numbers); roles and terms
    have their own."""
    return "entry" if what in ENTRY_KINDS else what


def _duplicate_ids(defs: list[Definition]) -> Iterator[Problem]:
    first: dict[tuple[str, str], Definition] = {}
    for d in defs:
        key = (_namespace(d.what), d.id)
        if key in first:
            other = first[key]
            line = other.source.value_span(other.path).line
            former = "previous_ids" in (d.path[0], other.path[0])
            yield d.source.problem(
                d.path,
                "duplicate-id",
                f"id `{d.id}` is already used by {_article(other.what)} "
                f"in {other.source.relative or other.source.file}:{line}"
                + (" (an id listed in `previous_ids` stays taken)" if former else ""),
                f"{_namespace(d.what)} ids must be unique across the playbook: rename one of them"
                if not former
                else "an entry's former ids keep redirecting to it: choose another id",
            )
        else:
            first[key] = d


def _card_number_clashes(defs: list[Definition]) -> Iterator[Problem]:
    seen: dict[str, Definition] = {}
    for d in defs:
        if d.what not in ENTRY_KINDS:
            continue
        former = _list(_dict(d.source.data).get("previous_ids"))
        first = former[0] if former and isinstance(former[0], str) else d.id
        number = card_number(d.what, first)  # a renamed entry keeps its number
        if number in seen and seen[number].id != d.id:
            yield d.source.problem(
                d.path,
                "card-number-clash",
                f"`{d.id}` gets the card number {number}, like `{seen[number].id}`",
                "rename one of the two ids (card numbers are derived from ids)",
            )
        seen.setdefault(number, d)


def _article(what: str) -> str:
    words = KIND_NAMES.get(what, what)
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _file_name(source: Source) -> Iterator[Problem]:
    entry_id = _dict(source.data).get("id")
    stem = PurePath(source.file).stem
    if source.kind in (*ENTRY_KINDS, "team") and isinstance(entry_id, str) and entry_id != stem:
        yield source.problem(
            ("id",),
            "id-mismatch",
            f"id `{entry_id}` differs from the file name `{PurePath(source.file).name}`",
            f"rename the file to `{entry_id}.yml` or set `id: {stem}`",
        )


def _role_sites(source: Source) -> Iterator[tuple[JsonPath, Any]]:
    data = _dict(source.data)
    yield from _roles_in(data, ())
    if source.kind == "playbook":
        yield ("defaults", "rep_role"), _dict(data.get("defaults")).get("rep_role")
        for r, role in enumerate(_list(data.get("roles"))):
            yield ("roles", r, "escalates_to"), _dict(role).get("escalates_to")
            for v, level in enumerate(_list(_dict(role).get("levels"))):
                yield ("roles", r, "levels", v, "confirmed_by"), _dict(level).get("confirmed_by")
        for name, role in _dict(data.get("owners")).items():
            yield ("owners", name), role
    if source.kind == "team":
        for t, item in enumerate(_list(data.get("tighten"))):
            yield from _roles_in(_dict(item), ("tighten", t))
        for n, rule in enumerate(_list(data.get("non_negotiables"))):
            yield from _roles_in(_dict(rule), ("non_negotiables", n))


def _roles_in(data: dict[str, Any], at: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    """Role references in an entry's data (or a team's item standing at `at`)."""
    yield (*at, "owner"), data.get("owner")
    for i, role in enumerate(_list(data.get("applies_to"))):
        yield (*at, "applies_to", i), role
    for b, band in enumerate(_list(data.get("bands"))):
        band = _dict(band)
        decider = band.get("decider")
        if isinstance(decider, dict):  # by level
            for level, role in decider.items():
                yield (*at, "bands", b, "decider", level), role
        else:
            yield (*at, "bands", b, "decider"), decider
        for field in ("consult", "inform"):
            for i, role in enumerate(_list(band.get(field))):
                yield (*at, "bands", b, field, i), role
    for s, step in enumerate(_list(data.get("steps"))):
        yield (*at, "steps", s, "owner"), _dict(step).get("owner")
    for field in ("examples", "cases"):
        for x, example in enumerate(_list(data.get(field))):
            yield (*at, field, x, "decider"), _dict(example).get("decider")


def _entry_sites(source: Source) -> Iterator[tuple[JsonPath, Any, str | None]]:
    data = _dict(source.data)
    yield from _entries_in(data, ())
    for w, week in enumerate(_list(data.get("weeks"))):
        for s, step in enumerate(_list(_dict(week).get("steps"))):
            for i, ref in enumerate(_list(_dict(step).get("entries"))):
                yield ("weeks", w, "steps", s, "entries", i), ref, None
    for r, role in enumerate(_list(data.get("roles")) if source.kind == "playbook" else []):
        for v, level in enumerate(_list(_dict(role).get("levels"))):
            for i, ref in enumerate(_list(_dict(level).get("see"))):
                yield ("roles", r, "levels", v, "see", i), ref, None
    if source.kind == "team":
        for t, item in enumerate(_list(data.get("tighten"))):
            yield ("tighten", t, "entry"), _dict(item).get("entry"), None
            for i, ref in enumerate(_list(_dict(item).get("bounded_by"))):
                yield ("tighten", t, "bounded_by", i), ref, "non_negotiable"
        for n, rule in enumerate(_list(data.get("non_negotiables"))):
            yield from _entries_in(_dict(rule), ("non_negotiables", n))


def _entries_in(data: dict[str, Any], at: JsonPath) -> Iterator[tuple[JsonPath, Any, str | None]]:
    for i, ref in enumerate(_list(data.get("related"))):
        yield (*at, "related", i), ref, None
    for i, ref in enumerate(_list(data.get("bounded_by"))):
        yield (*at, "bounded_by", i), ref, "non_negotiable"
    yield (*at, "successor"), data.get("successor"), None


def _references(
    source: Source, roles: set[str] | None, entries: dict[str, str]
) -> Iterator[Problem]:
    """Unresolved references; role references only when playbook.yml could be read."""
    if source.kind not in (*ENTRY_KINDS, "playbook", "onboarding", "team"):
        return
    for path, ref in _role_sites(source):
        if roles is not None and isinstance(ref, str) and ref not in roles:
            yield _unknown(
                source, path, ref, "role", roles, "define it under `roles:` in playbook.yml"
            )
    for path, ref, wanted in _entry_sites(source):
        if not isinstance(ref, str):
            continue
        if ref not in entries:
            yield _unknown(
                source, path, ref, "entry", set(entries), "create the entry or fix the id"
            )
        elif wanted and entries[ref] != wanted:
            candidates = [e for e, kind in entries.items() if kind == wanted]
            yield source.problem(
                path,
                "wrong-reference",
                f"`{ref}` is {_article(entries[ref])}, not {_article(wanted)}",
                f"name one of: {choices(candidates)}",
            )


def _unknown(
    source: Source,
    path: JsonPath,
    ref: str,
    what: str,
    known: set[str],
    fallback: str,
    at_key: bool = False,
) -> Problem:
    near = closest(ref, known)
    plural = {"entry": "entries"}.get(what, f"{what}s")
    hint = f"did you mean `{near}`?" if near else f"known {plural}: {choices(known)}; or {fallback}"
    return source.problem(path, "unknown-reference", f"unknown {what} `{ref}`", hint, at_key=at_key)


def _plain(value: float) -> str:
    """A number as YAML takes it, never in exponent notation: 1000000, 12.5."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _unit(value: float, unit: str) -> str:
    number = f"{int(value):,}" if float(value).is_integer() else _plain(value)
    return {"percent": f"{number} %", "eur": f"{number} EUR", "days": f"{number} days"}.get(
        unit, f"{number} {unit}"
    )


def _bands(source: Checked) -> Iterator[Problem]:
    data = _dict(source.data)
    quantity = _dict(data.get("quantity"))
    unit = _text(quantity.get("unit"))
    minimum = _number(quantity.get("minimum"))
    lower = 0.0 if minimum is None else minimum
    maximum = _number(quantity.get("maximum"))
    bands = [_dict(b) for b in _list(data.get("bands"))]
    for i, band in enumerate(bands):
        path: JsonPath = ("bands", i)
        above, up_to = _number(band.get("above")), _number(band.get("up_to"))
        last = i == len(bands) - 1
        if i == 0 and above is not None and above != lower:
            yield source.problem(
                (*path, "above"),
                "band-gap" if above > lower else "band-overlap",
                f"the first band starts above {_unit(above, unit)}, but the quantity starts at "
                f"{_unit(lower, unit)}",
                "remove `above` from the first band (it starts at the minimum), "
                "or set `quantity.minimum`",
            )
        if i > 0 and above is None:
            yield source.problem(
                path,
                "missing-key",
                f"band {i + 1} has no `above`",
                f"add `above: {bands[i - 1].get('up_to')}` (the previous band's `up_to`)",
                at_key=True,
            )
        previous_end = _number(bands[i - 1].get("up_to")) if i > 0 else None
        if i > 0 and above is not None and previous_end is not None and above != previous_end:
            gap = above > previous_end
            yield source.problem(
                (*path, "above"),
                "band-gap" if gap else "band-overlap",
                (
                    f"gap between {_unit(previous_end, unit)} and {_unit(above, unit)}: "
                    "no one decides there"
                    if gap
                    else f"band {i + 1} overlaps band {i}: values from {_unit(above, unit)} to "
                    f"{_unit(previous_end, unit)} have two deciders"
                ),
                f"set `above: {_plain(previous_end)}` so band {i + 1} starts where band {i} ends",
            )
        start = above if above is not None else (lower if i == 0 else previous_end)
        closed_start = i == 0 and above is None  # the first band includes its minimum
        if (
            up_to is not None
            and start is not None
            and (up_to < start if closed_start else up_to <= start)
        ):  # an empty band
            yield source.problem(
                (*path, "up_to"),
                "band-order",
                f"band {i + 1} ends at {_unit(up_to, unit)}, not above its start "
                f"{_unit(start, unit)}",
                "bands go in ascending order; each `up_to` is larger than its `above`",
            )
        if up_to is None and not last:
            yield source.problem(
                path,
                "band-order",
                f"band {i + 1} is open-ended but is not the last band",
                "give it an `up_to`, or move it to the end",
                at_key=True,
            )
        if last and up_to is not None and maximum is None:
            yield source.problem(
                (*path, "up_to"),
                "band-gap",
                f"the last band ends at {_unit(up_to, unit)}: values above it have no decider",
                "remove `up_to` from the last band, or set `quantity.maximum` to it",
            )
        if last and up_to is not None and maximum is not None and up_to != maximum:
            yield source.problem(
                (*path, "up_to"),
                "band-gap" if up_to < maximum else "band-overlap",
                f"the last band ends at {_unit(up_to, unit)}, but the maximum is "
                f"{_unit(maximum, unit)}",
                f"set `up_to: {_plain(maximum)}` on the last band",
            )
        if last and up_to is None and maximum is not None:
            yield source.problem(
                path,
                "band-gap",
                f"the last band is open-ended, but the quantity ends at {_unit(maximum, unit)}",
                f"add `up_to: {_plain(maximum)}` to the last band",
                at_key=True,
            )


def _examples(
    source: Checked, field: str = "examples", rule: str = "example-mismatch"
) -> Iterator[Problem]:
    """Each example (or case) value must fall in a band decided by the role it names."""
    data = _dict(source.data)
    quantity = _dict(data.get("quantity"))
    bands = [_dict(b) for b in _list(data.get("bands"))]
    bounds = [(_number(b.get("above")), _number(b.get("up_to"))) for b in bands]
    minimum = _number(quantity.get("minimum"))
    unit = _text(quantity.get("unit"))
    what = "the example" if field == "examples" else "the case"
    for x, example in enumerate(_list(data.get(field))):
        value, decider = _number(_dict(example).get("value")), _dict(example).get("decider")
        if value is None or not isinstance(decider, str):
            continue
        index = find_band(
            value, 0.0 if minimum is None else minimum, _number(quantity.get("maximum")), bounds
        )
        actual = bands[index].get("decider") if index is not None else None
        if actual != decider:
            where = f"band {index + 1}, decided by `{actual}`" if index is not None else "no band"
            yield source.problem(
                (field, x, "decider"),
                rule,
                f"{_unit(value, unit)} falls in {where}, not `{decider}`",
                f"fix the bands or {what}; {what} states what the bands must decide",
            )


def _path_bands(
    source: Source, known: levelmaps.Ladders, data: Any = None, at: JsonPath = ()
) -> Iterator[Problem]:
    """Bands, examples and cases; for bands that vary by level, at every level, and
    whether a higher level never decides less than a lower one.

    `data` and `at`: a team's bands for a path (its quantity), standing at `at`."""
    data = _dict(source.data if data is None else data)
    bands = data.get("bands")
    keys = list(levelmaps.level_keys(bands))
    yield from _item_levels(source, data, known, levelmaps.ladder_of(bands, known))
    if not keys:
        if at:
            yield from _bands(_AtLevel(source, data, {}, "", at))
        else:
            yield from _bands(source)
            yield from _examples(source)
            yield from _examples(source, "cases", "case-mismatch")
        return
    ladder = levelmaps.ladder_of(bands, known)
    broken = False
    for path, key in keys:
        if key not in known:
            broken = True
            yield _unknown(
                source,
                (*at, *path),
                key,
                "level",
                set(known),
                "define it under a role's `levels:` in playbook.yml",
                at_key=True,
            )
        elif ladder and known[key][0] != ladder[0]:
            broken = True
            yield source.problem(
                (*at, *path),
                "level-mixed-roles",
                f"`{key}` is a level of `{known[key][0]}`, but these bands vary by the levels "
                f"of `{ladder[0]}`",
                f"name only levels of `{ladder[0]}`: {choices(ladder[1])}",
                at_key=True,
            )
    if ladder is None:
        return
    role, ids = ladder
    for i, band in enumerate(_list(bands)):
        for name in levelmaps.EDGES:
            value = _dict(band).get(name)
            wanted = str if name == "decider" else float
            if isinstance(value, dict) and not all(
                isinstance(v, str) if wanted is str else _number(v) is not None
                for v in value.values()
            ):
                broken = True  # the schema check says which value has the wrong type
            if isinstance(value, dict) and ids[0] not in value:
                broken = True
                yield source.problem(
                    (*at, "bands", i, name),
                    "level-missing",
                    f"`{name}` varies by level but does not name the lowest level `{ids[0]}`",
                    f"add `{ids[0]}: …`; a level left out takes the value of the level below it",
                )
    if broken:
        return
    seen: set[tuple[int, int, str]] = set()
    views, gaps = [], False
    for level in ids:
        resolved, origin = levelmaps.resolve(bands, ids, level)
        view = _AtLevel(source, {**data, "bands": resolved}, origin, level, at)
        views.append(view)
        found = list(_bands(view))
        gaps = gaps or bool(found)
        if not at:
            for field, rule in (("examples", "example-mismatch"), ("cases", "case-mismatch")):
                items = [
                    item if _dict(item).get("level") in (None, level) else {}
                    for item in _list(data.get(field))
                ]
                found += _examples(
                    _AtLevel(source, {**view.data, field: items}, origin, level), field, rule
                )
        for problem in found:
            if (problem.line, problem.column, problem.rule) not in seen:
                seen.add((problem.line, problem.column, problem.rule))
                yield problem
    if not gaps:
        for low, high in itertools.pairwise(views):
            yield from _monotonic(role, low, high)


def _item_levels(
    source: Source,
    data: dict[str, Any],
    known: levelmaps.Ladders,
    ladder: tuple[str, tuple[str, ...]] | None,
) -> Iterator[Problem]:
    """The `level` an example or a case names: known, and one the path's bands vary by."""
    for field in ("examples", "cases"):
        for x, item in enumerate(_list(data.get(field))):
            level = _dict(item).get("level")
            has = [k for k in ("value", "decider") if k in _dict(item)]
            if field == "cases" and len(has) == 1:
                missing = "decider" if has == ["value"] else "value"
                yield source.problem(
                    (field, x),
                    "missing-key",
                    f"the case names a `{has[0]}` but no `{missing}`",
                    f"add `{missing}:`; a case names the value and who must decide it, or neither",
                    at_key=True,
                )
            if not isinstance(level, str):
                continue
            path: JsonPath = (field, x, "level")
            if level not in known:
                yield _unknown(
                    source, path, level, "level", set(known), "define it in playbook.yml"
                )
            elif ladder is None:
                yield source.problem(
                    path,
                    "bad-value",
                    f"names the level `{level}`, but this path's bands do not vary by level",
                    "remove `level`, or let the bands vary by level",
                )
            elif known[level][0] != ladder[0]:
                yield source.problem(
                    path,
                    "level-mixed-roles",
                    f"`{level}` is a level of `{known[level][0]}`, but this path's bands vary "
                    f"by the levels of `{ladder[0]}`",
                    f"name one of: {choices(ladder[1])}",
                )


def _levels(source: Source) -> Iterator[Problem]:
    """Every level of a role can be reached: someone other than the role confirms it."""
    for r, role in enumerate(_list(_dict(source.data).get("roles"))):
        role_id = _dict(role).get("id")
        for v, level in enumerate(_list(_dict(role).get("levels"))):
            level = _dict(level)
            name = level.get("id")
            confirmer = level.get("confirmed_by")
            if v > 0 and confirmer is None:
                yield source.problem(
                    ("roles", r, "levels", v),
                    "level-unreachable",
                    f"no role confirms that someone has reached the level `{name}`, so no one "
                    "can reach it",
                    f"add `confirmed_by:` with the role that confirms it, e.g. "
                    f"`{_dict(role).get('escalates_to') or 'a lead role'}`",
                    at_key=True,
                )
            elif isinstance(confirmer, str) and confirmer == role_id:
                yield source.problem(
                    ("roles", r, "levels", v, "confirmed_by"),
                    "level-unreachable",
                    f"`{role_id}` would confirm its own level `{name}`: no one independent "
                    "confirms it",
                    "name the role that confirms it, e.g. the one it escalates to",
                )


def _freedom_levels(
    source: Source, known: levelmaps.Ladders, data: dict[str, Any], at: JsonPath
) -> Iterator[Problem]:
    for i, freedom in enumerate(_list(data.get("freedoms"))):
        level = _dict(freedom).get("from_level")
        if isinstance(level, str) and level not in known:
            yield _unknown(
                source,
                (*at, "freedoms", i, "from_level"),
                level,
                "level",
                set(known),
                "define it under a role's `levels:` in playbook.yml",
            )


# what a team may tighten, by the kind of the entry
TIGHTENS = {
    "escalation_path": ("bands",),
    "flexible_zone": ("freedoms", "bounded_by"),
    "underperformance": ("triggers",),
    "qualification_rule": ("criteria", "optional_min", "disqualifiers"),
    "non_negotiable": (),
}


def _team(source: Source, known: levelmaps.Ladders, org: dict[str, Source]) -> Iterator[Problem]:
    """An overlay's items fit the entries they tighten; its bands are checked like a path's
    (against the path's quantity). Whether it loosens is `model/overlay.py`'s, on the model."""
    seen: set[str] = set()
    for t, item in enumerate(_list(_dict(source.data).get("tighten"))):
        item = _dict(item)
        entry_id = item.get("entry")
        if not isinstance(entry_id, str):
            continue
        if entry_id in seen:
            yield source.problem(
                ("tighten", t, "entry"),
                "duplicate-id",
                f"`{entry_id}` is tightened twice in this overlay",
                "tighten each entry in one item",
            )
        seen.add(entry_id)
        target = org.get(entry_id)
        own = {_dict(n).get("id") for n in _list(_dict(source.data).get("non_negotiables"))}
        if target is None and entry_id in own:
            yield source.problem(
                ("tighten", t, "entry"),
                "overlay-wrong-field",
                f"`{entry_id}` is this team's own non-negotiable, not the organisation's",
                "write the team's rule as it should hold under `non_negotiables:`, and remove "
                "the item",
            )
        if target is None:
            continue  # an unknown reference: reported as such
        kind = target.kind
        allowed = TIGHTENS.get(kind, ())
        fields = [f for f in item if f not in ("entry", "why")]
        for field in fields:
            if field not in allowed:
                yield source.problem(
                    ("tighten", t, field),
                    "overlay-wrong-field",
                    f"`{field}` cannot tighten `{entry_id}`, {_article(kind)}",
                    f"{_article(kind)} is tightened by "
                    + (
                        " or ".join(f"`{a}`" for a in allowed)
                        if allowed
                        else "adding non-negotiables under `non_negotiables:` instead"
                    ),
                    at_key=True,
                )
        if not fields:
            yield source.problem(
                ("tighten", t),
                "overlay-wrong-field",
                f"the item for `{entry_id}` tightens nothing",
                f"add {' or '.join(f'`{a}`' for a in allowed)}, or remove the item"
                if allowed
                else "a non-negotiable is not tightened: add the team's own under "
                "`non_negotiables:`, and remove the item",
                at_key=True,
            )
        if "bands" in item and kind == "escalation_path":
            quantity = _dict(target.data).get("quantity")
            view = {"quantity": quantity, "bands": item["bands"]}
            yield from _path_bands(source, known, view, ("tighten", t))
        if "freedoms" in item:
            yield from _freedom_levels(source, known, item, ("tighten", t))


def _decider(data: dict[str, Any], value: float) -> tuple[int | None, Any]:
    quantity = _dict(data.get("quantity"))
    bands = [_dict(b) for b in _list(data.get("bands"))]
    minimum = _number(quantity.get("minimum"))
    index = find_band(
        value,
        0.0 if minimum is None else minimum,
        _number(quantity.get("maximum")),
        [(_number(b.get("above")), _number(b.get("up_to"))) for b in bands],
    )
    return index, bands[index].get("decider") if index is not None else None


def _monotonic(role: str, low: _AtLevel, high: _AtLevel) -> Iterator[Problem]:
    """What `role` decides at the lower level, it decides at the higher one too."""
    edges: set[float] = set()
    for view in (low, high):
        quantity = _dict(view.data.get("quantity"))
        edges |= {
            quantity[n] for n in ("minimum", "maximum") if _number(quantity.get(n)) is not None
        }
        for band in _list(view.data.get("bands")):
            edges |= {
                band[n] for n in ("above", "up_to") if _number(_dict(band).get(n)) is not None
            }
    ordered = sorted(edges)
    # every edge, and a value between each edge and the next: (value, edge index, on the edge)
    points = [
        point
        for i, edge in enumerate(ordered)
        for point in (
            (edge, i, True),
            ((edge + (ordered[i + 1] if i + 1 < len(ordered) else edge + 1)) / 2, i, False),
        )
    ]
    unit = _text(_dict(low.data.get("quantity")).get("unit"))
    run: list[tuple[tuple[float, int, bool], int | None]] = []
    for point in [*points, None]:
        if point is not None:
            index, decider = _decider(high.data, point[0])
            if _decider(low.data, point[0])[1] == role and decider != role:
                run.append((point, index))
                continue
        if not run:
            continue
        (first, where), (last, _) = run[0], run[-1]
        start = (
            f"from {_unit(first[0], unit)}"
            if first[2]
            else f"above {_unit(ordered[first[1]], unit)}"
        )
        end = (
            f"up to {_unit(last[0], unit)}"
            if last[2]
            else f"below {_unit(ordered[last[1] + 1], unit)}"
            if last[1] + 1 < len(ordered)
            else "and above"
        )
        band = where if where is not None else 0
        varies = len(high.origin.get(("bands", band, "decider"), ())) == 4
        moved = "decider" if varies else "above"
        yield high.problem(
            ("bands", band, moved),
            "level-not-monotonic",
            f"`{role}` decides less than at the lower level `{low.level}`: values {start} {end} "
            f"are `{role}`'s to decide at `{low.level}`, but not at `{high.level}`",
            f"a higher level never decides less than a lower one: give `{high.level}` at least "
            f"the range of `{low.level}`",
        )
        run.clear()


def _lifecycle(source: Source, statuses: dict[str, Any]) -> Iterator[Problem]:
    """Drafts are invisible to published pages; retired entries point to their successor."""
    data = _dict(source.data)
    status = data.get("status", "active") if source.kind in ENTRY_KINDS else "active"
    successor = data.get("successor")
    if isinstance(successor, str) and status != "retired":
        yield source.problem(
            ("successor",),
            "bad-value",
            "only a retired entry has a successor",
            "set `status: retired`, or remove `successor`",
            at_key=True,
        )
    if isinstance(successor, str) and successor == data.get("id"):
        yield source.problem(("successor",), "bad-value", "an entry cannot succeed itself", "")
    if status == "draft":
        return
    for path, ref, _ in _entry_sites(source):
        target = statuses.get(ref) if isinstance(ref, str) else None
        if target == "draft":
            yield source.problem(
                path,
                "draft-reference",
                f"`{ref}` is a draft: published pages cannot link to it",
                "publish the draft (status: active) or remove the reference",
            )
        elif target == "retired" and status == "active" and path[0] != "successor":
            yield source.problem(
                path,
                "retired-reference",
                f"`{ref}` is retired",
                "point to its successor instead",
                severity="warning",
            )


def _onboarding_coverage(sources: list[Source]) -> Iterator[Problem]:
    """Every active non-negotiable is linked from an onboarding step (when there is one)."""
    onboarding = [s for s in sources if s.kind == "onboarding" and isinstance(s.data, dict)]
    if not onboarding:
        return
    file = onboarding[0].relative or "onboarding.yml"
    linked = {ref for s in onboarding for _, ref, _ in _entry_sites(s) if isinstance(ref, str)}
    for source in sources:
        data = _dict(source.data)
        entry_id = data.get("id")
        if (
            source.kind == "non_negotiable"
            and isinstance(entry_id, str)
            and data.get("status", "active") == "active"
            and entry_id not in linked
        ):
            yield source.problem(
                ("id",),
                "onboarding-coverage",
                f"the non-negotiable `{entry_id}` is linked from no onboarding step",
                f"add `{entry_id}` to a step's `entries` in {file}",
                severity="warning",
            )


def _cycles(source: Source) -> Iterator[Problem]:
    roles = [_dict(r) for r in _list(_dict(source.data).get("roles"))]
    target: dict[str, str] = {
        r["id"]: r["escalates_to"]
        for r in roles
        if isinstance(r.get("id"), str) and isinstance(r.get("escalates_to"), str)
    }
    index = {r["id"]: i for i, r in enumerate(roles) if isinstance(r.get("id"), str)}
    reported: set[str] = set()
    for start in sorted(target):
        chain, role = [start], target[start]
        while role in target and role not in chain:
            chain.append(role)
            role = target[role]
        if role in chain and role not in reported:
            loop = chain[chain.index(role) :]
            reported.update(loop)
            yield source.problem(
                ("roles", index[role], "escalates_to"),
                "escalation-cycle",
                "escalation chain loops: " + " -> ".join([*loop, role]),
                "one role at the top of the chain must have no `escalates_to`",
            )


def _review(source: Source, today: dt.date, default_interval: int) -> Iterator[Problem]:
    data = _dict(source.data)
    if source.kind not in ENTRY_KINDS or not isinstance(data.get("last_reviewed"), str):
        return
    interval = data.get("review_interval_months")
    interval = interval if isinstance(interval, int) and interval > 0 else default_interval
    due = review_due(data["last_reviewed"], interval)
    if due is None:
        return
    reviewed = dt.date.fromisoformat(data["last_reviewed"])
    if reviewed > today:
        yield source.problem(
            ("last_reviewed",),
            "review-in-future",
            f"last review {reviewed.isoformat()} is in the future (today is {today.isoformat()})",
            "use the date the entry was actually reviewed",
        )
    elif due < today:
        yield source.problem(
            ("last_reviewed",),
            "stale-review",
            f"review overdue since {due.isoformat()} (every {interval} months)",
            "review the entry with its owner and update `last_reviewed`",
            severity="warning",
        )


def _yaml11_words(source: Source) -> Iterator[Problem]:
    for path in source.yaml11_words:
        word = source.data
        for part in path:
            word = word[part]
        yield source.problem(
            path,
            "yaml11-boolean",
            f'`{word}` is read as the text "{word}" (older YAML tools read it as a boolean)',
            f'write "{word}" in quotes if you mean the text, or true/false for yes/no',
            severity="warning",
        )


def _local_ids(source: Source) -> Iterator[Problem]:
    data = _dict(source.data)
    for field in ("criteria", "triggers", "steps"):
        seen: set[str] = set()
        for i, item in enumerate(_list(data.get(field))):
            item_id = _dict(item).get("id")
            if isinstance(item_id, str) and item_id in seen:
                yield source.problem(
                    (field, i, "id"),
                    "duplicate-id",
                    f"`{item_id}` is used twice in `{field}`",
                    "give each item its own id",
                )
            elif isinstance(item_id, str):
                seen.add(item_id)
    criteria = [_dict(c) for c in _list(data.get("criteria"))]
    optional = sum(1 for c in criteria if c.get("required") is False)
    needed = data.get("optional_min")
    if isinstance(needed, int) and not isinstance(needed, bool) and needed > optional:
        yield source.problem(
            ("optional_min",),
            "bad-value",
            f"asks for {needed} optional criteria, but only {optional} exist",
            f"lower `optional_min` to at most {optional}, or add optional criteria",
        )
    weeks = [_dict(w).get("week") for w in _list(data.get("weeks"))]
    if source.kind == "onboarding" and all(isinstance(w, int) for w in weeks):
        expected = list(range(1, len(weeks) + 1))
        if weeks != expected:
            yield source.problem(
                ("weeks",),
                "bad-value",
                f"weeks are numbered {weeks}, expected {expected}",
                "number the weeks 1, 2, 3 ... in order",
            )
