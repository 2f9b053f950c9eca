"""Each entry page as every reader sees it: model + views -> the entry per team and level.

A page states a limit only as the view a reader chose holds it (site/views.py): the team
switch and the level chosen in the helper pick one block, the organisation's with no
level chosen shows by default. An entry that reads the same in every view gets no
blocks at all. Free text may reference a live value (`{rabatt-freigabe}`, refs.py); it is
filled in per view the same way, inline.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from markupsafe import Markup

from ..model.answers import Answer, answer, merged
from ..model.playbook import Entry, EscalationPath, Playbook
from ..model.refs import Ref, ref_text, render_refs
from ..text import Text
from .levelviews import LevelGrid, level_grid
from .views import View, merge_classes, views


@dataclass(frozen=True)
class EntryVariant:
    """An entry as one view holds it (plain values: the page's cache key walks them)."""

    classes: str  # the block's classes (site/views.py)
    default: bool  # the block shown without a choice (and the one search indexes)
    team_name: str  # "" for the organisation's
    level_name: str  # "" when the rep role has no levels or none is chosen
    unset: bool  # levels exist and none is chosen: what differs is stated per level
    entry: Entry  # as the view holds it (a path at a level has that level's bands)
    why: str  # the team's reason where it holds the entry stricter, else ""
    answer: Answer | None  # an escalation path's one-line answer in this view
    grid: LevelGrid | None  # with no level chosen: a levelled path's levels side by side
    notes: tuple[tuple[str, str], ...] = ()  # a path's band notes: (range in words, note)


def entry_variants(
    model: Playbook, all_views: Sequence[View], entry_id: str
) -> tuple[EntryVariant, ...]:
    """The entry in each view, or () where every view holds it alike (no blocks needed).

    A team's own rule is held only in that team's views; elsewhere it has no variant."""
    fmt = Text(model.language)
    found: list[EntryVariant] = []
    for view in all_views:
        try:
            held = view.model.entry(entry_id)
        except KeyError:
            continue
        path = held if isinstance(held, EscalationPath) else None
        found.append(
            EntryVariant(
                classes=view.classes,
                default=view.default,
                team_name=view.team.name if view.team else "",
                level_name=view.level_name,
                unset=view.unset,
                entry=held,
                why=view.why(entry_id) if view.team else "",
                answer=answer(view.model, path, fmt) if path else None,
                grid=level_grid(view.model, path) if path and view.unset else None,
                notes=_notes(path, fmt) if path else (),
            )
        )
    if len(found) == len(all_views) and all(_alike(v, found[0]) for v in found[1:]):
        return ()
    return _merged(found)


def _merged(found: list[EntryVariant]) -> tuple[EntryVariant, ...]:
    """Teams that hold the entry alike at one level share one block (its classes name
    each of them: the team switch shows it for any), so a page does not repeat a block
    for every team that does not tighten the entry."""
    merged: list[EntryVariant] = []
    for variant in found:
        twin = next(
            (
                i
                for i, m in enumerate(merged)
                if (m.level_name, m.unset) == (variant.level_name, variant.unset)
                and _alike(m, variant)
            ),
            None,
        )
        if twin is None:
            merged.append(variant)
            continue
        first = merged[twin]
        merged[twin] = dataclasses.replace(
            first,
            classes=merge_classes((first.classes, variant.classes)),
            default=first.default or variant.default,
            team_name=first.team_name if first.team_name and variant.team_name else "",
        )
    return tuple(merged)


def _notes(path: EscalationPath, fmt: Text) -> tuple[tuple[str, str], ...]:
    """The notes of the bands the view holds (every level's, with no level chosen)."""
    found: list[tuple[str, str]] = []
    for band in path.every_band:
        note = (fmt.band_range(band, path.quantity), band.note)
        if band.note and note not in found:
            found.append(note)
    return tuple(found)


def _alike(a: EntryVariant, b: EntryVariant) -> bool:
    return a.entry == b.entry and a.answer == b.answer and not a.why and not b.why


# where Markdown shows text as written: code spans, a link's address and title, autolinks
VERBATIM = re.compile(r"`[^`]*`|\]\([^)]*\)|<[a-z]+:[^>]*>")


class Live:
    """The Jinja filter `live`: a text with its references filled in for every view,
    escaped. A reference that shows the same value everywhere is plain text; one that
    differs is a span per view (views.py shows the chosen one). With no level chosen, a
    value that differs by level is given for every level, each labelled."""

    def __init__(self, model: Playbook, all_views: Sequence[View]) -> None:
        self.model = model
        self.fmt = Text(model.language)
        self.views = tuple(all_views)

    def __call__(self, text: str, team: str = "") -> Markup:
        """`team`: the text is a team's own (its own rule): every view shows the team's
        values, at the view's level (the rule holds only there)."""
        text = str(text)
        if "{" not in text:
            return Markup(escape(text, quote=False))
        found: list[Ref] = []

        def mark(_: str, ref: Ref) -> str:
            found.append(ref)
            return f"\x00{len(found) - 1}\x00"

        marked = render_refs(text, self.model, self.fmt, mark)
        pieces = marked.split("\x00")
        verbatim = [m.span() for m in VERBATIM.finditer(text)]
        out = [escape(pieces[0], quote=False)]
        for i in range(1, len(pieces), 2):
            ref = found[int(pieces[i])]
            if any(start <= ref.start < end for start, end in verbatim):
                # Markdown shows a code span or a link's address as written: no markup
                # there, the value as the default view shows it
                out.append(escape(self._shown(self._of_team(self._default(), team), ref)))
            else:
                out.append(self.value(ref, team))
            out.append(escape(pieces[i + 1], quote=False))
        return Markup("".join(out))

    def _default(self) -> View:
        return next((v for v in self.views if v.default), self.views[0])

    def view_of(self, team: str, level: str = "") -> View:
        """A team's view at a level ("" for no level chosen); the default view where the
        team has none here."""
        at_level = [v for v in self.views if v.level == level]  # the organisation's first
        return self._of_team(at_level[0] if at_level else self._default(), team)

    def plain(self, text: str, team: str = "") -> str:
        """The text as the default view shows it (no level chosen: a value that differs
        by level given for every level), unescaped: for a PDF, a description, a snippet;
        a team's own text (`team`) with the team's values."""
        if not self.views:
            return render_refs(text, self.model, self.fmt)
        return self.at(text, self._default(), team)

    def at(self, text: str, view: View, team: str = "") -> str:
        """The text as one view shows it, unescaped (a search snippet for that view)."""

        def shown(_: str, ref: Ref) -> str:
            return self._shown(self._of_team(view, team), ref)

        return render_refs(text, self.model, self.fmt, shown)

    def value(self, ref: Ref, team: str = "") -> str:
        shown = [(view, self._shown(self._of_team(view, team), ref)) for view in self.views]
        if len({s for _, s in shown}) == 1:
            return escape(shown[0][1], quote=False)
        # one span for what several views show alike, as long as its views are whole
        # teams (the same at every level) or one level of several teams: team-view.js
        # picks a team class and a level class, so a span's classes must not pair a team
        # with a level whose value differs
        by_team: dict[str, list[tuple[View, str]]] = {}
        for view, s in shown:
            by_team.setdefault(view.team.id if view.team else "", []).append((view, s))
        spans: dict[tuple[str, bool, str], list[View]] = {}
        for held in by_team.values():
            if len({s for _, s in held}) == 1:  # the team's at every level
                spans.setdefault(("*", False, held[0][1]), []).extend(v for v, _ in held)
                continue
            for view, s in held:  # level by level, with the teams alike at that level
                spans.setdefault((view.level, view.unset, s), []).append(view)
        return "".join(
            f'<span class="{merge_classes(tuple(v.classes for v in views))}"'
            + ("" if any(v.default for v in views) else " data-pb-unsearched")
            + f">{escape(s, quote=False)}</span>"
            for (_, _, s), views in spans.items()
        )

    def _of_team(self, view: View, team: str) -> View:
        """The view of `team` at the same level as `view` (`view` itself without a team,
        or where the team has no views here, as on its own site)."""
        if not team or (view.team and view.team.id == team):
            return view
        return next(
            (
                v
                for v in self.views
                if v.team and v.team.id == team and v.level == view.level and v.unset == view.unset
            ),
            view,
        )

    def _shown(self, view: View, ref: Ref) -> str:
        if not view.unset:
            return self._one(view.model, ref)
        per_level = [
            (v.level_name, self._one(v.model, ref))
            for v in self.views
            if v.team == view.team and not v.unset
        ]
        if len({s for _, s in per_level}) == 1:
            return per_level[0][1]
        each = self.fmt.t["ref_by_level"]
        return " / ".join(each.format(value=s, level=name) for name, s in merged(tuple(per_level)))

    def _one(self, model: Playbook, ref: Ref) -> str:
        return ref_text(model, ref, self.fmt)


_LIVE: dict[int, tuple[Playbook, Live]] = {}


def live_for(model: Playbook) -> Live:
    """One `Live` per model (its views are computed once), for callers outside a build's
    template environment: cards, search, the poster."""
    held = _LIVE.get(id(model))
    if held is None or held[0] is not model:
        if len(_LIVE) > 32:
            _LIVE.clear()
        held = (model, Live(model, views(model)))
        _LIVE[id(model)] = held
    return held[1]
