"""An escalation path's one-line answer, generated from its bands for one view.

The answer is what a rep reads first ("bis 10 %: du selbst · darüber bis 15 %:
Teamleitung Vertrieb · …"). It is computed from the bands the view holds (the team's,
at the level chosen), never written by hand, so it cannot drift from the tables; the
author's `summary` stays as context. With no level chosen, a limit that differs by level
is given for every level, each labelled.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Band, EscalationPath, Level, Playbook
from .text import Text


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
    levels = {lv.id: lv for lv in model.levels_of(path.level_role or "")}
    ladder = [(levels[lb.level], lb.bands) for lb in path.by_level if lb.level in levels]
    return _per_level(ladder, path, rep, fmt)


def _plain(bands: tuple[Band, ...], path: EscalationPath, rep: str, fmt: Text) -> Answer:
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
    first band reaches (the common case), one answer with that range per level; else the
    ranges of every level side by side."""
    shapes = {_shape(bands, rep) for _, bands in ladder}
    if len(shapes) == 1 and ladder and ladder[0][1] and ladder[0][1][0].decider == rep:
        first, *rest = _plain(ladder[0][1], path, rep, fmt).lines[0].parts
        own = tuple(
            (level.name, fmt.band_range(bands[0], path.quantity)) for level, bands in ladder
        )
        if len({r for _, r in own}) > 1:
            first = Part(first.range, first.decider, True, own)
        return Answer((Line("", (first, *rest)),), True)
    lines = tuple(
        Line(level.name, _plain(bands, path, rep, fmt).lines[0].parts) for level, bands in ladder
    )
    yourself = all(any(b.decider == rep for b in bands) for _, bands in ladder)
    return Answer(lines, yourself)


def _shape(bands: tuple[Band, ...], rep: str) -> tuple[object, ...]:
    """The bands without the first band's upper edge (and the second's lower one): two
    levels of the same shape differ only in how far the rep's first band reaches."""
    return (
        len(bands),
        *(b.decider for b in bands),
        *(b.up_to for b in bands[1:]),
        bands[0].decider == rep if bands else False,
    )


def answer_text(model: Playbook, path: EscalationPath, fmt: Text) -> str:
    """The answer as one plain line (cards, search snippets, exports)."""
    t = fmt.t["answer"]
    lines = []
    for line in answer(model, path, fmt).lines:
        parts = []
        for p in line.parts:
            if p.by_level:
                each = ", ".join(t["level_range"].format(range=r, level=n) for n, r in p.by_level)
                parts.append(f"{t['you']}: {each}")
            else:
                who = t["you"] if p.you else model.role(p.decider).name
                parts.append(f"{p.range}: {who}")
        text = " · ".join(parts)
        lines.append(f"{t['level_line'].format(level=line.level)}: {text}" if line.level else text)
    found = answer(model, path, fmt)
    if not found.yourself:
        lines.append(str(t["nothing"]))
    return " / ".join(lines)
