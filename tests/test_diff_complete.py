"""The diff is complete: any single edit of any field shows, and names its field.

Hypothesis makes random single-field edits to the sample playbook's model (entries,
`playbook.yml`, glossary, onboarding): a text changed, a list item added, removed or
reworded, a number moved, a flag flipped, another role. A pure reorder of a list is no
change and must show nothing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from functools import cache
from typing import Any

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sales_playbook.changes.compare import compare
from sales_playbook.changes.fields import DERIVED, ENTRY_REFS, ROLE_REFS
from sales_playbook.model import playbook as model
from sales_playbook.source import check

from .conftest import ROOT, SAMPLE, TODAY

SKIP = {"kind", "id", "file", "overdue", "lower", "review_due", "status", "successor"}
SKIP |= {"language", "above", "unit", "period", "entries_by_id"}
SKIP |= {"previous_ids"}  # records a rename, which the diff reports as such (test_rename.py)
SKIP |= DERIVED  # where an entry lives, what follows from other fields (`team`, `line`)
# Not edited alone: a team's replaced fields are whole model values (test_diff.py edits them
# as a team would); a freedom's level is parallel to its text (test_policy.py moves them)
SKIP |= {"fields", "freedom_levels"}
VIEW = {("level",)}  # what a view is (cards --level), not content: `compare.VIEW`
Path = tuple[str | int, ...]


@cache
def sample() -> model.Playbook:
    return check.check(SAMPLE, TODAY).model


@cache
def words() -> dict[str, Any]:
    return dict(yaml.safe_load((ROOT / "site_templates/i18n/de.yml").read_text("utf-8"))["diff"])


def label(owner: type, name: str) -> str:
    fields = words()["fields"]
    return str(fields.get(f"{owner.__name__}.{name}") or fields[name])


@dataclasses.dataclass(frozen=True)
class Leaf:
    path: Path
    value: Any
    names: tuple[str, ...]  # the field's label, and the label of the list it is in


def leaves(obj: Any, path: Path = (), context: tuple[str, ...] = ()) -> Iterator[Leaf]:
    for f in dataclasses.fields(obj):
        if f.name in SKIP:
            continue
        value = getattr(obj, f.name)
        here = (*path, f.name)
        if here in VIEW:
            continue
        if isinstance(obj, model.EscalationPath) and obj.by_level and f.name == "bands":
            continue  # the lowest level's bands: walked in `by_level`
        if isinstance(obj, model.EscalationPath) and f.name == "by_level" and not value:
            continue  # a path whose bands do not vary by level
        if isinstance(obj, model.LevelBands) and f.name == "level":
            continue  # the key the bands are compared by, like an id
        if isinstance(obj, model.Playbook) and f.name in ("entries", "roles", "terms"):
            names = (label(type(obj), f.name),)
            for i, item in enumerate(value):
                yield from leaves(item, (*here, i), names)
        elif value is None:
            if f.name in ROLE_REFS:
                yield Leaf(here, value, (label(type(obj), f.name), *context))
        elif dataclasses.is_dataclass(value):
            yield from leaves(value, here, (label(type(obj), f.name), *context))
        elif isinstance(value, tuple) and value and dataclasses.is_dataclass(value[0]):
            names = (label(type(obj), f.name), *context)
            for i, item in enumerate(value):
                yield from leaves(item, (*here, i), names)
        else:
            yield Leaf(here, value, (label(type(obj), f.name), *context))


def put(obj: Any, path: Path, value: Any) -> Any:
    if not path:
        return value
    step, rest = path[0], path[1:]
    if isinstance(step, int):
        items = list(obj)
        items[step] = put(items[step], rest, value)
        return tuple(items)
    return dataclasses.replace(obj, **{step: put(getattr(obj, step), rest, value)})


def get(obj: Any, path: Path) -> Any:
    for step in path:
        obj = obj[step] if isinstance(step, int) else getattr(obj, step)
    return obj


TEXT = st.text("abcdefghijklmnopqrstuvwxyzäöüß ", min_size=3, max_size=20).map(
    lambda s: f"Neu {s.strip()} Ende"
)


def edited(data: st.DataObject, leaf: Leaf) -> tuple[Any, bool]:
    """A new value for the leaf, and whether the edit is a pure reorder."""
    name = leaf.path[-1]
    value = leaf.value
    roles = [r.id for r in sample().roles]
    if name in ROLE_REFS and not isinstance(value, tuple):
        return data.draw(st.sampled_from([r for r in roles if r != value])), False
    if isinstance(value, bool):
        return not value, False
    if isinstance(value, int | float):
        return value + data.draw(st.integers(1, 50)), False
    if isinstance(value, dt.date):
        return value + dt.timedelta(days=data.draw(st.integers(1, 400))), False
    if isinstance(value, str):
        return f"{value} {data.draw(TEXT)}", False
    assert isinstance(value, tuple)
    pool = roles if name in ROLE_REFS else [e.id for e in sample().entries]
    ops = ["add"]
    if value:
        ops.append("remove")
    if value and name not in ROLE_REFS | ENTRY_REFS:
        ops.append("reword")
    if len(set(value)) >= 2:
        ops.append("reorder")
    op = data.draw(st.sampled_from(ops))
    if op == "add":
        fresh = [x for x in pool if x not in value]
        if name in ROLE_REFS | ENTRY_REFS and fresh:
            new = data.draw(st.sampled_from(fresh))
        else:
            new = data.draw(TEXT)
        at = data.draw(st.integers(0, len(value)))
        return (*value[:at], new, *value[at:]), False
    index = data.draw(st.integers(0, len(value) - 1))
    if op == "remove":
        return value[:index] + value[index + 1 :], False
    if op == "reword":
        return (*value[:index], f"{value[index]} {data.draw(TEXT)}", *value[index + 1 :]), False
    order = data.draw(st.permutations(value).filter(lambda p: tuple(p) != value))
    return tuple(order), True


ALL = list(leaves(sample()))


def test_every_field_of_the_model_has_a_label() -> None:
    classes = [c for c in vars(model).values() if dataclasses.is_dataclass(c)]
    for language in ("de", "en"):
        fields = yaml.safe_load((ROOT / f"site_templates/i18n/{language}.yml").read_text())
        fields = fields["diff"]["fields"]
        for cls in classes:
            for f in dataclasses.fields(cls):
                if f.name not in DERIVED and f.name not in ("entries", "kind"):
                    assert f"{cls.__name__}.{f.name}" in fields or f.name in fields, f.name


def test_the_walk_reaches_every_kind_and_file() -> None:
    tops = {leaf.path[:2] for leaf in ALL if leaf.path[0] == "entries"}
    kinds = {sample().entries[i].kind for _, i in tops}
    assert kinds == {"non_negotiable", "flexible_zone", "escalation_path",
                     "qualification_rule", "underperformance"}  # fmt: skip
    assert {leaf.path[0] for leaf in ALL} >= {"entries", "roles", "terms", "onboarding",
                                               "rep_role", "review_interval_months"}  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.data())
def test_any_single_edit_shows_and_names_its_field(data: st.DataObject) -> None:
    leaf = data.draw(st.sampled_from(ALL))
    value, reorder = edited(data, leaf)
    old = sample()
    new = put(old, leaf.path, value)
    if leaf.path[-1] == "freedoms":  # each freedom keeps its level (a parallel field)
        zone = get(old, leaf.path[:-1])
        levels = dict(zip(zone.freedoms, zone.freedom_levels, strict=True))
        new = put(new, (*leaf.path[:-1], "freedom_levels"), tuple(levels.get(f) for f in value))
    changes = compare(old, new)
    if reorder:
        assert changes == [], leaf.path
        return
    assert changes, leaf.path
    said = " ".join(
        [s for c in changes for s in c.sentences] + [r.aspect for c in changes for r in c.rows]
    ).lower()
    assert any(n.lower() in said for n in leaf.names), (leaf.path, leaf.names, said)
