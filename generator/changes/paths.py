"""Escalation paths compared: who decides which values, before and after.

Bands are compared by what they decide, not by their position: when the bands keep their
deciders in order, each band whose range moved is said with its new range; when the layout
changed, each range of values whose decider changed is said once ("Über 5 % bis 10 %:
jetzt entscheidet …"), and judged by where it moved in the `escalates_to` chain. Bands that
vary by level are compared level by level (`model/levels.py` reads a path at one level).
"""

from __future__ import annotations

from collections.abc import Sequence

from ..model.levels import path_at_level, path_levels
from ..model.playbook import Band, Entry, EscalationPath
from .fields import Comparison
from .notes import Notes, Row, capital
from .policy import Verdict


def escalation_path(cmp: Comparison, old: Entry, new: Entry, notes: Notes) -> set[str]:
    """Bands compared; for bands that vary by level, level by level (a level missing on
    one side compares with that side's only bands)."""
    assert isinstance(old, EscalationPath) and isinstance(new, EscalationPath)
    cmp.delegation(old.delegation, new.delegation, notes)
    if not (old.by_level or new.by_level):
        _path_bands(cmp, old, new, notes)
        return {"bands", "by_level", "level_role", "delegation"}
    for level in path_levels(old, new):
        sub = Notes()
        _path_bands(cmp, path_at_level(old, level), path_at_level(new, level), sub)
        notes.extend(sub, _level_heading(cmp, level))
    return {"bands", "by_level", "level_role", "delegation"}


def _level_heading(cmp: Comparison, level_id: str) -> str:
    """`Auf Stufe Senior`: before each sentence of one level's bands."""
    for model in (cmp.new, cmp.old):
        found = model.level_of(level_id)
        if found:
            return str(cmp.d["at_level"].format(level=found[1].name))
    return level_id


def _path_bands(cmp: Comparison, old: EscalationPath, new: EscalationPath, notes: Notes) -> None:
    fmt = cmp.fmt
    band = cmp.d["band"]
    moves = _moves(cmp, old, new)
    for text, before, after in moves:
        notes.flag(_move_verdict(cmp, before, after))
        if _move_verdict(cmp, before, after) is Verdict.LOOSENING:
            notes.loosening.append(
                capital(
                    cmp.d["decider"].format(
                        range=text,
                        new=cmp.role(after) if after else cmp.d["outside"],
                        old=cmp.role(before) if before else cmp.d["outside"],
                    )
                )
            )
    same_shape = [b.decider for b in old.bands] == [b.decider for b in new.bands]
    if same_shape:  # edges moved: each band that moved, with its new range
        for index, (a, b) in enumerate(zip(old.bands, new.bands, strict=True)):
            range_a, range_b = fmt.band_range(a, old.quantity), fmt.band_range(b, new.quantity)
            if range_a != range_b:
                notes.add(
                    cmp.d["threshold"].format(
                        decider=cmp.role(b.decider), new=range_b, old=range_a
                    ),
                    Row(f"{band} {index + 1}", range_a, range_b),
                )
        pairs = list(zip(old.bands, new.bands, strict=True))
    else:  # which values move to whom
        for text, before, after in moves:
            old_name = cmp.role(before) if before else cmp.d["outside"]
            new_name = cmp.role(after) if after else cmp.d["outside"]
            notes.add(
                cmp.d["decider"].format(range=text, new=new_name, old=old_name),
                Row(f"{band} {text}", old_name, new_name),
            )
        if len(old.bands) != len(new.bands):
            listing = "; ".join
            notes.add(
                cmp.d["bands_count"].format(
                    new=_bands(cmp, len(new.bands)),
                    old=_bands(cmp, len(old.bands)),
                ),
                Row(
                    cmp.t["bands"],
                    listing(
                        f"{fmt.band_range(b, old.quantity)}: {cmp.role(b.decider)}"
                        for b in old.bands
                    ),
                    listing(
                        f"{fmt.band_range(b, new.quantity)}: {cmp.role(b.decider)}"
                        for b in new.bands
                    ),
                ),
            )
        pairs = _matched_bands(old.bands, new.bands)
    for a, b in pairs:
        _band(cmp, a, b, fmt.band_range(b, new.quantity), notes)


def _bands(cmp: Comparison, n: int) -> str:
    return str(cmp.d["bands_one" if n == 1 else "bands_many"].format(n=cmp.fmt.number(n)))


def _matched_bands(old: Sequence[Band], new: Sequence[Band]) -> list[tuple[Band, Band]]:
    """Bands of two different layouts that are the same band: by decider, in order."""
    pairs, free = [], list(old)
    for band in new:
        match = next((b for b in free if b.decider == band.decider), None)
        if match is not None:
            pairs.append((match, band))
            free.remove(match)
    return pairs


def _band(cmp: Comparison, a: Band, b: Band, where: str, notes: Notes) -> None:
    fmt = cmp.fmt
    if a.response_time_hours != b.response_time_hours:
        before, after = fmt.hours(a.response_time_hours), fmt.hours(b.response_time_hours)
        notes.add(
            cmp.d["response"].format(range=where, new=after, old=before),
            Row(f"{where}: {cmp.t['response_time']}", before, after),
            cmp.judge(
                "response_time_hours",
                "raised" if b.response_time_hours > a.response_time_hours else "lowered",
            ),
        )
    for name in ("consult", "inform"):
        before_ids, after_ids = getattr(a, name), getattr(b, name)
        if set(before_ids) != set(after_ids):
            before, after = cmp.roles(before_ids), cmp.roles(after_ids)
            notes.add(
                cmp.d[name].format(range=where, new=after, old=before),
                Row(f"{where}: {cmp.t[name]}", before, after),
                cmp.judge(name, "removed")
                if set(before_ids) - set(after_ids)
                else cmp.judge(name, "added"),
            )
    skip = ("above", "up_to", "decider", "response_time_hours", "consult", "inform")
    cmp.fields(a, b, notes, where, skip)


def _decider_at(path: EscalationPath, value: float) -> str | None:
    q = path.quantity
    if value < q.minimum or (q.maximum is not None and value > q.maximum):
        return None
    for band in path.bands:
        starts = value >= band.lower if band.above is None else value > band.above
        if starts and (band.up_to is None or value <= band.up_to):
            return band.decider
    return None


def _moves(
    cmp: Comparison, old: EscalationPath, new: EscalationPath
) -> list[tuple[str, str | None, str | None]]:
    """The ranges of values whose decider changed: (range, before, after)."""
    edges: set[float] = set()
    for path in (old, new):
        edges.add(path.quantity.minimum)
        if path.quantity.maximum is not None:
            edges.add(path.quantity.maximum)
        for band in path.bands:
            edges.add(band.lower)
            if band.up_to is not None:
                edges.add(band.up_to)
    ordered = sorted(edges)
    points: list[tuple[float, int]] = []  # (value, index of the edge it is, or follows)
    for i, edge in enumerate(ordered):
        points.append((edge, i))
        following = ordered[i + 1] if i + 1 < len(ordered) else edge + 1
        points.append(((edge + following) / 2, i))
    moves: list[tuple[str, str | None, str | None]] = []
    run: list[tuple[int, str | None, str | None]] = []  # (point index, before, after)

    def close() -> None:
        if run:
            text = _span(cmp, old if run[0][1] else new, ordered, points, run[0][0], run[-1][0])
            moves.append((text, run[0][1], run[0][2]))
            run.clear()

    for p, (value, _) in enumerate(points):
        before, after = _decider_at(old, value), _decider_at(new, value)
        if before != after and run and (run[-1][1], run[-1][2]) == (before, after):
            run.append((p, before, after))
            continue
        close()
        if before != after:
            run.append((p, before, after))
    close()
    return moves


def _span(
    cmp: Comparison,
    path: EscalationPath,
    edges: list[float],
    points: list[tuple[float, int]],
    first: int,
    last: int,
) -> str:
    """The range of values from point `first` to `last` (even: an edge; odd: between)."""
    unit = path.quantity.unit
    amount = cmp.fmt.amount
    low_value, low_edge = points[first]
    high_value, high_edge = points[last]
    if first == last and first % 2 == 0:
        return str(cmp.t["exactly"].format(v=amount(low_value, unit)))
    parts = []
    if first % 2 == 1:
        parts.append(cmp.t["above"].format(v=amount(edges[low_edge], unit)))
    elif low_edge > 0:
        parts.append(cmp.d["from"].format(v=amount(low_value, unit)))
    if last % 2 == 0:
        parts.append(cmp.t["up_to"].format(v=amount(high_value, unit)))
    elif high_edge + 1 < len(edges):
        parts.append(cmp.d["below"].format(v=amount(edges[high_edge + 1], unit)))
    return " ".join(parts)


def _below(cmp: Comparison, low: str, high: str) -> bool:
    """Whether `high` is above `low` in the `escalates_to` chain."""
    seen: set[str] = set()
    current: str | None = low
    while current is not None and current not in seen:
        seen.add(current)
        role = next((r for m in (cmp.new, cmp.old) for r in m.roles if r.id == current), None)
        current = role.escalates_to if role else None
        if current == high:
            return True
    return False


def _move_verdict(cmp: Comparison, before: str | None, after: str | None) -> Verdict:
    if before is None:
        return cmp.judge("quantity", "widened")
    if after is None:
        return cmp.judge("quantity", "narrowed")
    if _below(cmp, after, before):
        return cmp.judge("bands", "lower_role")
    if _below(cmp, before, after):
        return cmp.judge("bands", "higher_role")
    return cmp.judge("bands", "other_role")
