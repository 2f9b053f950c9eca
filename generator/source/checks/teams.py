"""A team's overlay fits the entries it tightens: the right fields for the kind, each entry
once, its bands and freedom levels checked like the organisation's.

Whether an overlay loosens needs the model: `source/loosening.py`, run by `source/check.py`.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...errors import Problem
from ...model import levelmaps
from ...parse import Source
from .bands import path_bands
from .data import as_dict, as_list
from .levels import freedom_levels
from .refs import article

# what a team may tighten, by the kind of the entry
TIGHTENS = {
    "escalation_path": ("bands",),
    "flexible_zone": ("freedoms", "bounded_by"),
    "underperformance": ("triggers",),
    "qualification_rule": ("criteria", "optional_min", "disqualifiers"),
    "non_negotiable": (),
}


def team_overlay(
    source: Source, known: levelmaps.Ladders, org: dict[str, Source]
) -> Iterator[Problem]:
    """An overlay's items fit the entries they tighten; its bands are checked like a path's
    (against the path's quantity). Whether it loosens is `source/loosening.py`'s, on the model."""
    seen: set[str] = set()
    for t, item in enumerate(as_list(as_dict(source.data).get("tighten"))):
        item = as_dict(item)
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
        own = {as_dict(n).get("id") for n in as_list(as_dict(source.data).get("non_negotiables"))}
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
                    f"`{field}` cannot tighten `{entry_id}`, {article(kind)}",
                    f"{article(kind)} is tightened by "
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
            quantity = as_dict(target.data).get("quantity")
            view = {"quantity": quantity, "bands": item["bands"]}
            yield from path_bands(source, known, view, ("tighten", t))
        if "freedoms" in item:
            yield from freedom_levels(source, known, item, ("tighten", t))
