"""An escalation path's one-line answer, generated from its bands for one view.

The answer is what a rep reads first ("bis 10 %: du selbst · darüber bis 15 %:
Teamleitung Vertrieb · …"). It is computed from the bands the view holds (the team's,
at the level chosen), never written by hand, so it cannot drift from the tables; the
author's `summary` stays as context. With no level chosen, a limit that differs by level
is given for every level, each labelled.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..text import Text
from .levels import level_bands
from .playbook import Band, EscalationPath, Level, Playbook


@dataclass(frozen=True)
class Part:
    """One range of the answer and who decides it."""

    range: str  # in words: "bis 10 %", "darüber bis 15 %"
    decider: str  # role id
    you: bool  # the rep role decides it
    by_level: tuple[tuple[str, str], ...] = ()  # (level name, range): differs by level


@dataclass(frozen=True)
class Line:
    level: str  # the level's name where each level needs a line of its own, else ""
    parts: tuple[Part, ...]

    @property
    def yourself(self) -> bool:
        return any(p.you or p.by_level for p in self.parts)


@dataclass(frozen=True)
class Answer:
    lines: tuple[Line, ...]
    yourself: bool  # the rep decides some range alone (at every level shown)


def answer(model: Playbook, path: EscalationPath, fmt: Text) -> Answer:
    """The path's answer in the view `model` holds it (a team's playbook, maybe resolved
    at a level); a path that still varies by level is answered for every level."""
    rep = model.rep_role
    if not path.by_level:
        return _plain(path.bands, path, rep, fmt)
    return _per_level(level_bands(model, path), path, rep, fmt)


def _joined(bands: tuple[Band, ...]) -> tuple[Band, ...]:
    """Neighbouring bands one role decides, as one range (the answer names deciders)."""
    found: list[Band] = []
    for band in bands:
        if found and found[-1].decider == band.decider:
            found[-1] = dataclasses.replace(found[-1], up_to=band.up_to)
        else:
            found.append(band)
    return tuple(found)


def _plain(bands: tuple[Band, ...], path: EscalationPath, rep: str, fmt: Text) -> Answer:
    bands = _joined(bands)
    parts = []
    for i, band in enumerate(bands):
        range_ = fmt.band_range(band, path.quantity)
        if i > 0 and bands[i - 1].decider == rep and band.decider != rep:
            range_ = _beyond(band, path, fmt)  # "darüber bis 15 %": the rep's edge is above
        parts.append(Part(range_, band.decider, band.decider == rep))
    return Answer((Line("", tuple(parts)),), any(p.you for p in parts))


def _beyond(band: Band, path: EscalationPath, fmt: Text) -> str:
    t = fmt.t["answer"]
    if band.up_to is None:
        return str(t["beyond"])
    return str(t["beyond_up_to"]).format(v=fmt.amount(band.up_to, path.quantity.unit))


def _per_level(
    ladder: list[tuple[Level, tuple[Band, ...]]], path: EscalationPath, rep: str, fmt: Text
) -> Answer:
    """Every level's answer in one: where the levels differ only in how far the rep's own
    first band reaches (the common case), one answer with that range per level (or
    "nichts" at a level where the rep decides none); else a line per level."""
    ladder = [(level, _joined(bands)) for level, bands in ladder]
    rests = [_rest(bands, rep) for _, bands in ladder]
    if ladder and len({tuple((b.decider, b.up_to) for b in r) for r in rests}) == 1:
        nothing = str(fmt.t["ref_nothing"])
        own = tuple(
            (
                level.name,
                fmt.band_range(bands[0], path.quantity) if len(bands) != len(rest) else nothing,
            )
            for (level, bands), rest in zip(ladder, rests, strict=True)
        )
        widest = max(range(len(ladder)), key=lambda i: len(ladder[i][1]) - len(rests[i]))
        bands = ladder[widest][1]
        parts = list(_plain(bands, path, rep, fmt).lines[0].parts)
        if len({r for _, r in own}) > 1 or not parts[0].you:
            first = Part(parts[0].range, rep, True, merged(own))
            parts = [first, *parts[1:]] if parts[0].you else [first, *parts]
        return Answer((Line("", tuple(parts)),), True)
    lines = tuple(
        Line(level.name, _plain(bands, path, rep, fmt).lines[0].parts) for level, bands in ladder
    )
    return Answer(lines, any(line.yourself for line in lines))


def _rest(bands: tuple[Band, ...], rep: str) -> tuple[Band, ...]:
    """The bands after the rep's own first one (all of them where the rep has none)."""
    return bands[1:] if bands and bands[0].decider == rep else bands


def answer_text(model: Playbook, path: EscalationPath, fmt: Text) -> str:
    """The answer as one plain line (cards, search snippets, exports)."""
    t = fmt.t["answer"]
    found = answer(model, path, fmt)
    lines = []
    for line in found.lines:
        parts = []
        for p in line.parts:
            if p.by_level:
                each = ", ".join(t["level_range"].format(range=r, level=n) for n, r in p.by_level)
                parts.append(f"{t['you']}: {each}")
            else:
                who = t["you"] if p.you else model.role(p.decider).name
                parts.append(f"{p.range}: {who}")
        text = " · ".join(parts)
        if line.level and not line.yourself:
            text += f" ({t['nothing']})"
        lines.append(f"{t['level_line'].format(level=line.level)}: {text}" if line.level else text)
    if not found.yourself and len(found.lines) == 1:  # (a line per level says it itself)
        lines.append(str(t["nothing"]))
    return " / ".join(lines)


def merged(per_level: tuple[tuple[str, str], ...]) -> tuple[tuple[str, str], ...]:
    """Neighbouring levels with the same value as one: (("Zertifiziert, Senior", "bis
    30 Tage"), ...), so no value is said twice."""
    found: list[tuple[list[str], str]] = []
    for name, value in per_level:
        if found and found[-1][1] == value:
            found[-1][0].append(name)
        else:
            found.append(([name], value))
    return tuple((", ".join(names), value) for names, value in found)
