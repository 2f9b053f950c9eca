"""An escalation path's bands: no gap, no overlap, in order, up to the maximum; examples
and cases fall in the band of the role they name; all of it at every level when the bands
vary by level (a team's overlay bands too, against the path's quantity)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

from ...errors import Problem
from ...model import levelmaps
from ...model.bands import find_band
from ...parse import JsonPath, Source
from ..suggest import choices
from .data import as_dict, as_list, as_number, as_text, plain_number, with_unit
from .levels import AtLevel, Checked, item_levels, monotonic
from .refs import unknown_reference


def _bands(source: Checked) -> Iterator[Problem]:
    data = as_dict(source.data)
    quantity = as_dict(data.get("quantity"))
    unit = as_text(quantity.get("unit"))
    minimum = as_number(quantity.get("minimum"))
    lower = 0.0 if minimum is None else minimum
    maximum = as_number(quantity.get("maximum"))
    bands = [as_dict(b) for b in as_list(data.get("bands"))]
    for i, band in enumerate(bands):
        path: JsonPath = ("bands", i)
        above, up_to = as_number(band.get("above")), as_number(band.get("up_to"))
        last = i == len(bands) - 1
        for key, edge in (("above", above), ("up_to", up_to)):
            if edge is not None and round(edge, 2) != edge:  # printed with 2 decimals
                shown = with_unit(round(edge, 2), unit)
                yield source.problem(
                    (*path, key),
                    "edge-precision",
                    f"band edge {plain_number(edge)} has more than 2 decimals: pages, cards "
                    f"and the helper would show it as {shown}",
                    f"round it to 2 decimals: `{key}: {plain_number(round(edge, 2))}`",
                )
        if i == 0 and above is not None and above != lower:
            yield source.problem(
                (*path, "above"),
                "band-gap" if above > lower else "band-overlap",
                f"the first band starts above {with_unit(above, unit)}, but the quantity starts at "
                f"{with_unit(lower, unit)}",
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
        previous_end = as_number(bands[i - 1].get("up_to")) if i > 0 else None
        if i > 0 and above is not None and previous_end is not None and above != previous_end:
            gap = above > previous_end
            yield source.problem(
                (*path, "above"),
                "band-gap" if gap else "band-overlap",
                (
                    f"gap between {with_unit(previous_end, unit)} and {with_unit(above, unit)}: "
                    "no one decides there"
                    if gap
                    else f"band {i + 1} overlaps band {i}: values from {with_unit(above, unit)} to "
                    f"{with_unit(previous_end, unit)} have two deciders"
                ),
                f"set `above: {plain_number(previous_end)}` so band {i + 1} starts where "
                f"band {i} ends",
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
                f"band {i + 1} ends at {with_unit(up_to, unit)}, not above its start "
                f"{with_unit(start, unit)}",
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
                f"the last band ends at {with_unit(up_to, unit)}: values above it have no decider",
                "remove `up_to` from the last band, or set `quantity.maximum` to it",
            )
        if last and up_to is not None and maximum is not None and up_to != maximum:
            yield source.problem(
                (*path, "up_to"),
                "band-gap" if up_to < maximum else "band-overlap",
                f"the last band ends at {with_unit(up_to, unit)}, but the maximum is "
                f"{with_unit(maximum, unit)}",
                f"set `up_to: {plain_number(maximum)}` on the last band",
            )
        if last and up_to is None and maximum is not None:
            yield source.problem(
                path,
                "band-gap",
                f"the last band is open-ended, but the quantity ends at {with_unit(maximum, unit)}",
                f"add `up_to: {plain_number(maximum)}` to the last band",
                at_key=True,
            )


def _examples(
    source: Checked, field: str = "examples", rule: str = "example-mismatch"
) -> Iterator[Problem]:
    """Each example (or case) value must fall in a band decided by the role it names."""
    data = as_dict(source.data)
    quantity = as_dict(data.get("quantity"))
    bands = [as_dict(b) for b in as_list(data.get("bands"))]
    bounds = [(as_number(b.get("above")), as_number(b.get("up_to"))) for b in bands]
    minimum = as_number(quantity.get("minimum"))
    unit = as_text(quantity.get("unit"))
    what = "the example" if field == "examples" else "the case"
    for x, example in enumerate(as_list(data.get(field))):
        value, decider = as_number(as_dict(example).get("value")), as_dict(example).get("decider")
        if value is None or not isinstance(decider, str):
            continue
        index = find_band(
            value, 0.0 if minimum is None else minimum, as_number(quantity.get("maximum")), bounds
        )
        actual = bands[index].get("decider") if index is not None else None
        if actual != decider:
            where = f"band {index + 1}, decided by `{actual}`" if index is not None else "no band"
            yield source.problem(
                (field, x, "decider"),
                rule,
                f"{with_unit(value, unit)} falls in {where}, not `{decider}`",
                f"fix the bands or {what}; {what} states what the bands must decide",
            )


def path_bands(
    source: Source, known: levelmaps.Ladders, data: Any = None, at: JsonPath = ()
) -> Iterator[Problem]:
    """Bands, examples and cases; for bands that vary by level, at every level, and
    whether a higher level never decides less than a lower one.

    `data` and `at`: a team's bands for a path (its quantity), standing at `at`."""
    data = as_dict(source.data if data is None else data)
    bands = data.get("bands")
    keys = list(levelmaps.level_keys(bands))
    yield from item_levels(source, data, known, levelmaps.ladder_of(bands, known))
    if not keys:
        if at:
            yield from _bands(AtLevel(source, data, {}, "", at))
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
            yield unknown_reference(
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
    for i, band in enumerate(as_list(bands)):
        for name in levelmaps.EDGES:
            value = as_dict(band).get(name)
            wanted = str if name == "decider" else float
            if isinstance(value, dict) and not all(
                isinstance(v, str) if wanted is str else as_number(v) is not None
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
        view = AtLevel(source, {**data, "bands": resolved}, origin, level, at)
        views.append(view)
        found = list(_bands(view))
        gaps = gaps or bool(found)
        if not at:
            for field, rule in (("examples", "example-mismatch"), ("cases", "case-mismatch")):
                items = [
                    item if as_dict(item).get("level") in (None, level) else {}
                    for item in as_list(data.get(field))
                ]
                found += _examples(
                    AtLevel(source, {**view.data, field: items}, origin, level), field, rule
                )
        for problem in found:
            if (problem.line, problem.column, problem.rule) not in seen:
                seen.add((problem.line, problem.column, problem.rule))
                yield problem
    if not gaps:
        for low, high in itertools.pairwise(views):
            yield from monotonic(role, low, high)
