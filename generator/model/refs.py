"""Live references to band edges in free text: `{rabatt-freigabe}` instead of "10 %".

Prose that restates a limit goes stale when the bands change; a reference is filled in
from the bands wherever the text is shown, for the team and level it is shown for.

Syntax, in any free-text field:

- `{path-id}`: the rep role's own limit on that escalation path (`Playbook.rep_role`);
- `{path-id:role-id}`: the limit of that role on that path.

A role's limit is the upper edge (`up_to`) of the highest band it decides. When that band
is open-ended (no `up_to`), it is the band's lower edge (`above`, or the quantity's
minimum on a first band): "über {v}" is what the text then has to say around it.

Only `{` + slug + optional `:` + slug + `}` is a reference. Any other brace is literal
text, and `{{` before a reference is a literal `{` (so `{{rabatt-freigabe}` shows
`{rabatt-freigabe}`); any other `{{` stays as it is.
Whether the path and role exist is checked by validation (`source/drift.py`), not here: an
unknown path or role, or one that decides no band, renders as the i18n `ref_nothing`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .playbook import EscalationPath, Playbook

if TYPE_CHECKING:
    from ..text import Text

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
# `{{` before a reference first, so that the escaped brace is consumed before it can open
# one; any other `{{` (a template-like text, "{{ 7*7 }}") is plain text and stays as it is
_REF = r"(?P<path>" + SLUG + r")(?::(?P<role>" + SLUG + r"))?\}"
TOKEN = re.compile(r"\{\{(?=\{*" + SLUG + r"(?::" + SLUG + r")?\})|\{" + _REF)


@dataclass(frozen=True)
class Ref:
    """A reference in a text: `text[start:end]` is `{path}` or `{path:role}`."""

    path: str
    role: str  # "" = the rep role
    start: int
    end: int


def refs_in(text: str) -> list[Ref]:
    """Every reference in a text, in order (escaped `{{…}` ones are not references)."""
    return [
        Ref(m["path"], m["role"] or "", m.start(), m.end())
        for m in TOKEN.finditer(text)
        if m["path"] is not None
    ]


def paths_referenced(texts: Iterable[str]) -> set[str]:
    """The paths these texts reference as live values (a page showing one of the texts
    depends on those paths' bands)."""
    return {ref.path for text in texts for ref in refs_in(text)}


def role_limit(path: EscalationPath, role: str) -> float | None:
    """The upper edge of the highest band `role` decides on `path` (its lower edge when
    that band is open-ended); None when the role decides no band there."""
    band = next((b for b in reversed(path.bands) if b.decider == role), None)
    if band is None:
        return None
    return band.lower if band.up_to is None else band.up_to


def ref_value(model: Playbook, ref: Ref) -> float | None:
    """The value a reference shows in an effective model (tightened for a team with
    `overlay.apply`, resolved at a level with `levels.at_level`; unresolved, a path that
    varies by level has its lowest level's bands).

    None when the path is no escalation path of the model or the role decides no band
    on it. For an open-ended top band, the band's lower edge (see the module's docstring).
    """
    try:
        path = model.entry(ref.path)
    except KeyError:
        return None
    if not isinstance(path, EscalationPath):
        return None
    return role_limit(path, ref.role or model.rep_role)


def ref_text(model: Playbook, ref: Ref, fmt: Text) -> str:
    """The value a reference shows, in words: the amount in the path's unit, or the i18n
    `ref_nothing` where the role decides no band (or the path is unknown)."""
    value = ref_value(model, ref)
    path = model.entry(ref.path) if value is not None else None
    if not isinstance(path, EscalationPath) or value is None:
        return str(fmt.t["ref_nothing"])
    return fmt.amount(value, path.quantity.unit)


def _plain(value: str, ref: Ref) -> str:
    return value


def render_refs(
    text: str, model: Playbook, fmt: Text, wrap: Callable[[str, Ref], str] = _plain
) -> str:
    """The text with each reference replaced by its formatted value (`fmt.amount` in the
    path's unit, or the i18n `ref_nothing` when there is none), passed through `wrap`
    (e.g. to mark it up; it gets the formatted value and the reference); `{{` becomes `{`.
    The text is not escaped: escape what `wrap` returns if the result goes into HTML."""

    def replace(m: re.Match[str]) -> str:
        if m["path"] is None:
            return "{"
        ref = Ref(m["path"], m["role"] or "", m.start(), m.end())
        return wrap(ref_text(model, ref, fmt), ref)

    return TOKEN.sub(replace, text)
