"""Escalation paths compared: who decides which values, before and after.

Bands are aligned on the value axis, never matched by decider or position. The values are
cut where either version has an edge; each range whose decider changed is said once
("Über 10 % bis 12 %: jetzt entscheidet …"), consecutive ranges with the same move
together, and judged by where the new decider stands in the `escalates_to` chain
(`Comparison.chain_move`: the old chain and the new one). A band's terms (response time,
consult, inform, channel, note) are compared only for values whose decider stayed: where
a range went to another decider, that decider's band and its terms are what the sentence
names, and no term of some other band is invented as "vorher".

Bands that vary by level are compared level by level (`model/levels.py` reads a path at
one level); a level one version lacks is compared with the nearest level below it that it
has (a new level with its lower neighbour, a removed top level with the one below). A
sentence that holds at every level is said once, without a level; one that holds at some
levels names them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..model.levels import path_at_level, path_levels
from ..model.playbook import Band, Entry, EscalationPath
from .fields import Comparison
from .notes import Notes, Row, Said
from .policy import Verdict

FIELDS = {"bands", "by_level", "level_role", "delegation"}


def escalation_path(cmp: Comparison, old: Entry, new: Entry, notes: Notes) -> set[str]:
    """Bands compared; for bands that vary by level, level by level."""
    assert isinstance(old, EscalationPath) and isinstance(new, EscalationPath)
    cmp.delegation(old.delegation, new.delegation, notes)
    if not (old.by_level or new.by_level):
        _path_bands(cmp, old, new, notes)
        return FIELDS
    per_level = []
    for level in path_levels(old, new):
        sub = Notes()
        _path_bands(cmp, _at(old, level, new), _at(new, level, old), sub)
        per_level.append((level, sub))
    _merged(cmp, per_level, notes)
    return FIELDS


def _at(path: EscalationPath, level: str, other: EscalationPath) -> EscalationPath:
    """`path` at `level`; a level it lacks (added, or removed, in `other`) reads as the
    nearest level below it in `other`'s ladder that `path` has, else its lowest."""
    own = [lb.level for lb in path.by_level]
    if level in own or not own:
        return path_at_level(path, level)
    ladder = [lb.level for lb in other.by_level]
    below = ladder[: ladder.index(level)] if level in ladder else []
    nearest = next((lv for lv in reversed(below) if lv in own), own[0])
    return path_at_level(path, nearest)


def _merged(cmp: Comparison, per_level: list[tuple[str, Notes]], notes: Notes) -> None:
    """Each level's sentences, a sentence said at every level once and without one."""
    levels = [level for level, _ in per_level]
    notes.ladder = len(levels)
    changed = [level for level, sub in per_level if sub.said]
    if changed != levels:  # some levels only: name them (who is affected, by level)
        notes.levels += [_level_name(cmp, level) for level in changed]
        notes.level_ids += changed
    found: dict[str, tuple[list[str], Said]] = {}
    for level, sub in per_level:
        for said in sub.said:
            found.setdefault(said.sentence, ([], said))[0].append(level)
        notes.flag(sub.flagged)
    for at, said in found.values():
        if at == levels:
            notes.said.append(said)
            continue
        where = _levels_heading(cmp, at)
        notes.extend(Notes([said]), where)


def _level_name(cmp: Comparison, level_id: str) -> str:
    found = cmp.new.level_of(level_id) or cmp.old.level_of(level_id)
    return found[1].name if found else level_id


def _levels_heading(cmp: Comparison, level_ids: Sequence[str]) -> str:
    """`auf Stufe Senior`, `auf den Stufen Zertifiziert und Senior`."""
    names = [_level_name(cmp, level_id) for level_id in level_ids]
    if len(names) == 1:
        return str(cmp.d["at_level"].format(level=names[0]))
    listed = f"{', '.join(names[:-1])} {cmp.d['and']} {names[-1]}"
    return str(cmp.d["at_levels"].format(levels=listed))


@dataclass(frozen=True)
class Segment:
    """A range of values and the band that decides it in each version (None: none)."""

    first: int  # index of its first point (even: an edge; odd: between two edges)
    last: int
    before: Band | None
    after: Band | None


def _path_bands(cmp: Comparison, old: EscalationPath, new: EscalationPath, notes: Notes) -> None:
    edges, points = _points(old, new)
    segments = _segments(old, new, points)
    band = cmp.d["band"]

    def span(first: int, last: int) -> str:
        return _span(cmp, new if new.bands else old, edges, points, first, last)

    said = len(notes.said)
    for first, last, before, after in _moves(segments):
        old_name = cmp.role(before) if before else cmp.d["outside"]
        new_name = cmp.role(after) if after else cmp.d["outside"]
        text = span(first, last)
        notes.add(
            cmp.d["decider"].format(range=text, new=new_name, old=old_name),
            Row(f"{band} {text}", old_name, new_name),
            _move_verdict(cmp, before, after),
        )
    for segment in segments:
        a, b = segment.before, segment.after
        if a is None or b is None or a == b:
            continue
        if a.decider == b.decider:  # else the decider's sentence says it: its band, its terms
            _band(cmp, a, b, f"{band} {span(segment.first, segment.last)}", notes)
    if len(notes.said) == said and old.bands != new.bands:
        # no value is decided otherwise (an edge moved outside the quantity's range, say):
        # still said, band by band, so no change reads as none
        for index, (a, b) in enumerate(zip(old.bands, new.bands, strict=False)):
            cmp.fields(a, b, notes, f"{band} {index + 1}", ("lower",))


def _points(old: EscalationPath, new: EscalationPath) -> tuple[list[float], list[float]]:
    """The edges of both versions, and the points to look at: each edge and one value
    between it and the next (so a range's ends, open or closed, are both seen)."""
    found: set[float] = set()
    for path in (old, new):
        found.add(path.quantity.minimum)
        if path.quantity.maximum is not None:
            found.add(path.quantity.maximum)
        for band in path.bands:
            found.add(band.lower)
            if band.up_to is not None:
                found.add(band.up_to)
    return probe_points(found)


def probe_points(found: Iterable[float]) -> tuple[list[float], list[float]]:
    """The edges, sorted, and the points to look at: each edge and one value between it
    and the next (so a range's ends, open or closed, are both seen)."""
    edges = sorted(set(found))
    points: list[float] = []
    for i, edge in enumerate(edges):
        following = edges[i + 1] if i + 1 < len(edges) else edge + 1
        points += [edge, (edge + following) / 2]
    return edges, points


def _band_at(path: EscalationPath, value: float) -> Band | None:
    q = path.quantity
    if value < q.minimum or (q.maximum is not None and value > q.maximum):
        return None
    for band in path.bands:
        starts = value >= band.lower if band.above is None else value > band.above
        if starts and (band.up_to is None or value <= band.up_to):
            return band
    return None


def _segments(old: EscalationPath, new: EscalationPath, points: list[float]) -> list[Segment]:
    """The values cut into runs decided by the same band in each version."""
    segments: list[Segment] = []
    for p, value in enumerate(points):
        before, after = _band_at(old, value), _band_at(new, value)
        last = segments[-1] if segments else None
        if last is not None and last.before is before and last.after is after:
            segments[-1] = Segment(last.first, p, before, after)
        else:
            segments.append(Segment(p, p, before, after))
    return segments


def _moves(segments: list[Segment]) -> list[tuple[int, int, str | None, str | None]]:
    """The ranges of values whose decider changed, consecutive ones with the same move
    together: (first point, last point, decider before, decider after)."""
    moves: list[tuple[int, int, str | None, str | None]] = []
    for segment in segments:
        before = segment.before.decider if segment.before else None
        after = segment.after.decider if segment.after else None
        if before == after:
            continue
        if moves and moves[-1][1] + 1 == segment.first and moves[-1][2:] == (before, after):
            moves[-1] = (moves[-1][0], segment.last, before, after)
        else:
            moves.append((segment.first, segment.last, before, after))
    return moves


def _band(cmp: Comparison, a: Band, b: Band, where: str, notes: Notes) -> None:
    """The terms of the band that decides the values `where` in both versions."""
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
    skip = ("above", "up_to", "lower", "decider", "response_time_hours", "consult", "inform")
    cmp.fields(a, b, notes, where, skip)


def _span(
    cmp: Comparison,
    path: EscalationPath,
    edges: list[float],
    points: list[float],
    first: int,
    last: int,
) -> str:
    """The range of values from point `first` to `last` (even: an edge; odd: between)."""
    unit = path.quantity.unit
    return value_span(cmp.t, cmp.d, edges, points, first, last, lambda v: cmp.fmt.amount(v, unit))


def value_span(
    t: dict[str, Any],
    d: dict[str, Any],
    edges: list[float],
    points: list[float],
    first: int,
    last: int,
    amount: Callable[[float], str],
) -> str:
    """The values from point `first` to `last` of `probe_points` in words: `t` the
    labels ("bis {v}", "über {v}", "genau {v}"), `d` the diff's ("ab {v}", "unter {v}")."""
    if first == last and first % 2 == 0:
        return str(t["exactly"].format(v=amount(points[first])))
    parts = []
    if first % 2 == 1:
        parts.append(t["above"].format(v=amount(edges[first // 2])))
    elif first > 0:
        parts.append(d["from"].format(v=amount(points[first])))
    if last % 2 == 0:
        parts.append(t["up_to"].format(v=amount(points[last])))
    elif last // 2 + 1 < len(edges):
        parts.append(d["below"].format(v=amount(edges[last // 2 + 1])))
    return " ".join(parts)


def _move_verdict(cmp: Comparison, before: str | None, after: str | None) -> Verdict:
    if before is None:
        return cmp.judge("quantity", "widened")
    if after is None:
        return cmp.judge("quantity", "narrowed")
    event = {"lowered": "lower_role", "raised": "higher_role"}
    return cmp.judge("bands", event.get(cmp.chain_move(before, after), "other_role"))
