"""Ids and references: what each file defines, duplicates, reserved ids, card-number
clashes, references that name nothing (with a did-you-mean), escalation cycles.

`definitions`, `previous_ids` and `entry_sites` are also how `playbook rename` finds every
place an id stands.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ...errors import Problem
from ...model.card_numbers import card_number
from ...model.kinds import ENTRY_KINDS, KIND_NAMES
from ...parse import JsonPath, Source
from ..suggest import choices, closest
from .data import as_dict, as_list


@dataclass(frozen=True)
class Definition:
    id: str
    what: str  # "role", "term" or an entry kind
    source: Source
    path: JsonPath


def definitions(sources: list[Source]) -> list[Definition]:
    found: list[Definition] = []
    for source in sources:
        data = as_dict(source.data)
        if source.kind in ENTRY_KINDS and isinstance(data.get("id"), str):
            found.append(Definition(data["id"], source.kind, source, ("id",)))
        elif source.kind == "playbook":
            for i, role in enumerate(as_list(data.get("roles"))):
                if isinstance(as_dict(role).get("id"), str):
                    found.append(Definition(role["id"], "role", source, ("roles", i, "id")))
                for j, level in enumerate(as_list(as_dict(role).get("levels"))):
                    if isinstance(as_dict(level).get("id"), str):
                        at: JsonPath = ("roles", i, "levels", j, "id")
                        found.append(Definition(level["id"], "level", source, at))
        elif source.kind == "team":
            if isinstance(data.get("id"), str):
                found.append(Definition(data["id"], "team", source, ("id",)))
            for i, rule in enumerate(as_list(data.get("non_negotiables"))):
                if isinstance(as_dict(rule).get("id"), str):
                    at = ("non_negotiables", i, "id")
                    found.append(Definition(rule["id"], "non_negotiable", source, at))
        elif source.kind == "glossary":
            for i, term in enumerate(as_list(data.get("terms"))):
                if isinstance(as_dict(term).get("id"), str):
                    found.append(Definition(term["id"], "term", source, ("terms", i, "id")))
    return found


def previous_ids(sources: list[Source]) -> list[Definition]:
    """The ids entries had before (`previous_ids`): still theirs, in URLs and card numbers."""
    found: list[Definition] = []
    for source in sources:
        if source.kind in ENTRY_KINDS:
            places: list[tuple[JsonPath, Any]] = [((), source.data)]
        elif source.kind == "team":  # the team's own non-negotiables have pages too
            rules = as_list(as_dict(source.data).get("non_negotiables"))
            places = [(("non_negotiables", n), rule) for n, rule in enumerate(rules)]
        else:
            continue
        for at, data in places:
            kind = "non_negotiable" if at else source.kind
            for i, old in enumerate(as_list(as_dict(data).get("previous_ids"))):
                if isinstance(old, str):
                    found.append(Definition(old, kind, source, (*at, "previous_ids", i)))
    return found


# ids become file names: `index` would replace an overview page, and Windows cannot
# check out files named after its devices
RESERVED_IDS = frozenset(
    {"index", "con", "prn", "aux", "nul"}
    | {f"{device}{n}" for device in ("com", "lpt") for n in range(1, 10)}
)


def reserved_ids(defs: list[Definition], earlier: list[Definition]) -> Iterator[Problem]:
    """Ids taken by file names (`RESERVED_IDS`) and by the site's team and level switch."""
    yield from (
        d.source.problem(
            d.path,
            "reserved-id",
            f"`{d.id}` cannot be used as an id: it names a file the site or Windows reserves",
            _another(d.id, KIND_NAMES.get(d.what, d.what).split()[0]),
        )
        for d in defs + earlier
        if d.what not in ("term", "level") and d.id in RESERVED_IDS
    )
    yield from (  # the site's team and level switch name the organisation's view so
        d.source.problem(
            d.path,
            "reserved-id",
            f"`{d.id}` cannot be used as the id of a {d.what}: the site's team and level "
            "switch use it",
            _another(d.id, d.what),
        )
        for d in defs
        if (d.what, d.id) in (("team", "org"), ("level", "any"))
    )


def _another(taken: str, suffix: str) -> str:
    return f"choose another id, e.g. `{taken}-{suffix}`"


def _namespace(what: str) -> str:
    """Entries of all kinds share one namespace (URLs, card numbers); roles and terms
    have their own."""
    return "entry" if what in ENTRY_KINDS else what


def duplicate_ids(defs: list[Definition]) -> Iterator[Problem]:
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
                f"id `{d.id}` is already used by {article(other.what)} "
                f"in {other.source.relative or other.source.file}:{line}"
                + (" (an id listed in `previous_ids` stays taken)" if former else ""),
                f"{_namespace(d.what)} ids must be unique across the playbook: rename one of them"
                if not former
                else "an entry's former ids keep redirecting to it: choose another id",
            )
        else:
            first[key] = d


def card_number_clashes(defs: list[Definition]) -> Iterator[Problem]:
    seen: dict[str, Definition] = {}
    for d in defs:
        if d.what not in ENTRY_KINDS:
            continue
        former = as_list(as_dict(d.source.data).get("previous_ids"))
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


def article(what: str) -> str:
    words = KIND_NAMES.get(what, what)
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words}"


def _role_sites(source: Source) -> Iterator[tuple[JsonPath, Any]]:
    data = as_dict(source.data)
    yield from _roles_in(data, ())
    if source.kind == "playbook":
        yield ("defaults", "rep_role"), as_dict(data.get("defaults")).get("rep_role")
        for r, role in enumerate(as_list(data.get("roles"))):
            yield ("roles", r, "escalates_to"), as_dict(role).get("escalates_to")
            for v, level in enumerate(as_list(as_dict(role).get("levels"))):
                yield ("roles", r, "levels", v, "confirmed_by"), as_dict(level).get("confirmed_by")
        for name, role in as_dict(data.get("owners")).items():
            yield ("owners", name), role
    if source.kind == "team":
        for t, item in enumerate(as_list(data.get("tighten"))):
            yield from _roles_in(as_dict(item), ("tighten", t))
        for n, rule in enumerate(as_list(data.get("non_negotiables"))):
            yield from _roles_in(as_dict(rule), ("non_negotiables", n))


def _roles_in(data: dict[str, Any], at: JsonPath) -> Iterator[tuple[JsonPath, Any]]:
    """Role references in an entry's data (or a team's item standing at `at`)."""
    yield (*at, "owner"), data.get("owner")
    for i, role in enumerate(as_list(data.get("applies_to"))):
        yield (*at, "applies_to", i), role
    for b, band in enumerate(as_list(data.get("bands"))):
        band = as_dict(band)
        decider = band.get("decider")
        if isinstance(decider, dict):  # by level
            for level, role in decider.items():
                yield (*at, "bands", b, "decider", level), role
        else:
            yield (*at, "bands", b, "decider"), decider
        for field in ("consult", "inform"):
            for i, role in enumerate(as_list(band.get(field))):
                yield (*at, "bands", b, field, i), role
    for s, step in enumerate(as_list(data.get("steps"))):
        yield (*at, "steps", s, "owner"), as_dict(step).get("owner")
    for field in ("examples", "cases"):
        for x, example in enumerate(as_list(data.get(field))):
            yield (*at, field, x, "decider"), as_dict(example).get("decider")


def entry_sites(source: Source) -> Iterator[tuple[JsonPath, Any, str | None]]:
    data = as_dict(source.data)
    yield from _entries_in(data, ())
    for w, week in enumerate(as_list(data.get("weeks"))):
        for s, step in enumerate(as_list(as_dict(week).get("steps"))):
            for i, ref in enumerate(as_list(as_dict(step).get("entries"))):
                yield ("weeks", w, "steps", s, "entries", i), ref, None
    for r, role in enumerate(as_list(data.get("roles")) if source.kind == "playbook" else []):
        for v, level in enumerate(as_list(as_dict(role).get("levels"))):
            for i, ref in enumerate(as_list(as_dict(level).get("see"))):
                yield ("roles", r, "levels", v, "see", i), ref, None
    if source.kind == "team":
        for t, item in enumerate(as_list(data.get("tighten"))):
            yield ("tighten", t, "entry"), as_dict(item).get("entry"), None
            for i, ref in enumerate(as_list(as_dict(item).get("bounded_by"))):
                yield ("tighten", t, "bounded_by", i), ref, "non_negotiable"
        for n, rule in enumerate(as_list(data.get("non_negotiables"))):
            yield from _entries_in(as_dict(rule), ("non_negotiables", n))


def _entries_in(data: dict[str, Any], at: JsonPath) -> Iterator[tuple[JsonPath, Any, str | None]]:
    for i, ref in enumerate(as_list(data.get("related"))):
        yield (*at, "related", i), ref, None
    for i, ref in enumerate(as_list(data.get("bounded_by"))):
        yield (*at, "bounded_by", i), ref, "non_negotiable"
    yield (*at, "successor"), data.get("successor"), None


def references(
    source: Source, roles: set[str] | None, entries: dict[str, str]
) -> Iterator[Problem]:
    """Unresolved references; role references only when playbook.yml could be read."""
    if source.kind not in (*ENTRY_KINDS, "playbook", "onboarding", "team"):
        return
    for path, ref in _role_sites(source):
        if roles is not None and isinstance(ref, str) and ref not in roles:
            yield unknown_reference(
                source, path, ref, "role", roles, "define it under `roles:` in playbook.yml"
            )
    for path, ref, wanted in entry_sites(source):
        if not isinstance(ref, str):
            continue
        if ref not in entries:
            yield unknown_reference(
                source, path, ref, "entry", set(entries), "create the entry or fix the id"
            )
        elif wanted and entries[ref] != wanted:
            candidates = [e for e, kind in entries.items() if kind == wanted]
            yield source.problem(
                path,
                "wrong-reference",
                f"`{ref}` is {article(entries[ref])}, not {article(wanted)}",
                f"name one of: {choices(candidates)}",
            )


def unknown_reference(
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


def cycles(source: Source) -> Iterator[Problem]:
    roles = [as_dict(r) for r in as_list(as_dict(source.data).get("roles"))]
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
