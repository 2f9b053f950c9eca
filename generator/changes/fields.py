"""Any two records compared field by field: the fallback that makes the diff complete.

Every field of the model's dataclasses that no kind's comparator covers is compared here
and said as "<Feld> geändert" with before and after, so no change can read as "no change".
Lists are compared item by item (added, removed, reworded); a pure reorder is not a change.
A `Comparison` also knows how to name what readers see (roles by name, entries by title,
German numbers and dates), which every comparator uses; so it is the one argument each
kind's comparator (`changes/comparators.py`) takes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Sequence
from typing import Any

from ..model.playbook import Entry, FlexibleZone, Playbook
from ..text import Text, labels
from .notes import Notes, Row, minus, rewordings
from .policy import Verdict, verdict

# Not content: where an entry lives and what follows from other fields.
# `previous_ids` only records a rename, which is reported as such; `level_role` follows from
# the levels a path's bands name; `team` marks an entry of a team's view.
DERIVED = frozenset(
    {
        "kind", "id", "file", "overdue", "lower", "review_due", "previous_ids", "team", "line",
        "level_role", "upcoming",
    }
)  # fmt: skip
ROLE_REFS = frozenset(
    {"owner", "decider", "escalates_to", "rep_role", "applies_to", "consult", "inform"}
    | {"confirmed_by"}
)
ENTRY_REFS = frozenset({"bounded_by", "related", "successor", "entries", "see"})
# roles judged by where they stand in the `escalates_to` chain (`Comparison.chain_move`);
# `owner` here is a step's or a team's (an entry's own is the approver: compare.py)
CHAIN_REFS = frozenset({"escalates_to", "confirmed_by", "owner"})
KEYS = ("id", "week", "entry")  # list items with one of these are matched by it
# how an item is called
NAMES = ("week", "title", "name", "term", "metric", "question", "situation", "id")
# the seven steps of delegation, from "the manager tells" to "the team decides"
DELEGATION = ("tell", "sell", "consult", "agree", "advise", "inquire", "delegate")


class Comparison:
    """Two playbooks side by side, and how to say what differs between them."""

    def __init__(
        self, old: Playbook, new: Playbook, reword: bool = True, language: str | None = None
    ) -> None:
        """`reword`: a removed and an added text that look alike are one text reworded
        (a change of wording); without it they are what they are, a removal and an addition.
        `language`: the words of the sentences (the playbook's own, unless given)."""
        self.old, self.new = old, new
        self.reword = reword
        self.fmt = Text(language or new.language)
        self.t = labels(language or new.language)
        self.d = self.t["diff"]
        self.kind_name = ""  # whose policy table applies
        self.renamed: dict[str, str] = {}  # old id -> new id

    # --- the escalation chain ----------------------------------------------------------

    @staticmethod
    def above(model: Playbook, low: str, high: str) -> bool:
        """Whether `high` is above `low` in `model`'s `escalates_to` chain."""
        seen: set[str] = set()
        current: str | None = low
        while current is not None and current not in seen:
            seen.add(current)
            role = next((r for r in model.roles if r.id == current), None)
            current = role.escalates_to if role else None
            if current == high:
                return True
        return False

    def chain_move(self, before: str, after: str) -> str:
        """`raised`: `after` is above `before` in the old chain and the new one; `lowered`:
        below it in either (a loosening split across two files is still one);
        `changed`: outside its chain."""
        models = (self.old, self.new)
        if any(self.above(m, after, before) for m in models):
            return "lowered"
        if all(self.above(m, before, after) for m in models):
            return "raised"
        return "changed"

    # --- names and values --------------------------------------------------------------

    def role(self, role_id: str | None) -> str:
        if role_id is None:
            return str(self.d["nobody"])
        for model in (self.new, self.old):
            for role in model.roles:
                if role.id == role_id:
                    return role.name
        return role_id

    def roles(self, ids: Sequence[str]) -> str:
        return ", ".join(self.role(r) for r in ids) or self.d["nobody"]

    def title_of(self, entry_id: str) -> str:
        for model in (self.new, self.old):
            for entry in model.entries:
                if entry.id == entry_id:
                    return entry.title
        return entry_id

    def kind(self, entry: Entry) -> str:
        return str(self.t["kinds"][entry.kind]["one"])

    def label(self, owner: type, name: str) -> str:
        fields: dict[str, str] = self.d["fields"]
        return fields.get(f"{owner.__name__}.{name}") or fields[name]

    def judge(self, name: str, event: str) -> Verdict:
        return verdict(self.kind_name, name, event)

    def value(self, name: str, value: Any) -> str:
        """A field's value as readers see it: names not ids, German numbers and dates."""
        if value is None:
            return "\u2013"
        if isinstance(value, bool):
            return str(self.d["yes"] if value else self.d["no"])
        if isinstance(value, int | float):
            return self.fmt.number(value)
        if isinstance(value, dt.date):
            return self.fmt.date(value)
        if isinstance(value, tuple):
            return ", ".join(self.value(name, item) for item in value)
        if dataclasses.is_dataclass(value):
            return self.describe(value)
        if name in ROLE_REFS:
            return self.role(value)
        if name in ENTRY_REFS:
            return self.title_of(value)
        if name == "level":
            found = self.new.level_of(value) or self.old.level_of(value)
            return found[1].name if found else str(value)
        named = {"area": "areas", "comparison": "comparisons", "unit": "unit_names"}
        if name in named:
            return str(self.t[named[name]].get(value, value))
        return str(value)

    def describe(self, item: Any) -> str:
        """A list item or nested record in one line."""
        for name in NAMES:
            if hasattr(item, name) and name != "id":
                return self.value(name, getattr(item, name))
        return "; ".join(
            self.value(f.name, getattr(item, f.name))
            for f in dataclasses.fields(item)
            if f.name not in DERIVED and getattr(item, f.name) not in (None, "", ())
        )

    def named(self, label: str, item: Any) -> str:
        """`Kriterium „Budget“`, `Woche 2`: one item of a list, to say where a change is."""
        for name in NAMES:
            if hasattr(item, name):
                value = getattr(item, name)
                if isinstance(value, int):
                    return f"{label} {self.fmt.number(value)}"
                return f"{label} „{value}“"
        return label

    @staticmethod
    def within(where: str, label: str) -> str:
        return f"{where} \u2013 {label}" if where else label

    def moved_text(self, text: str) -> str:
        """A text of the old version with its live references (`{rabatt}`, `{rabatt:teamleitung}`)
        to renamed entries under their new ids: a rename alone changes no text."""
        if not self.renamed or "{" not in text:
            return text
        return re.sub(
            r"\{([a-z0-9-]+)(:[^{}]*)?\}",
            lambda m: "{" + self.renamed.get(m[1], m[1]) + (m[2] or "") + "}",
            text,
        )

    def moved(self, value: Any) -> Any:
        """References of the old version, with renamed entries under their new id."""
        if isinstance(value, tuple):
            return tuple(self.renamed.get(v, v) for v in value)
        if isinstance(value, str):
            return self.renamed.get(value, value)
        return value

    # --- any field, by the dataclass fields of the model ----------------------------------

    def fields(
        self, old: Any, new: Any, notes: Notes, where: str = "", skip: Iterable[str] = ()
    ) -> None:
        """Every field of two records not in `skip`: the fallback that misses nothing."""
        skipped = set(skip) | DERIVED
        for f in dataclasses.fields(old):
            if f.name not in skipped:
                self.field(
                    type(old), f.name, getattr(old, f.name), getattr(new, f.name), notes, where
                )

    def field(self, owner: type, name: str, a: Any, b: Any, notes: Notes, where: str) -> None:
        if name in ENTRY_REFS:
            a = self.moved(a)
        elif isinstance(a, str):
            a = self.moved_text(a)
        if a == b:
            return
        if a == "" or b == "":  # an optional text left empty: set or removed, not reworded
            a, b = a or None, b or None
        label = self.within(where, self.label(owner, name))
        if isinstance(a, tuple) or isinstance(b, tuple):
            self.items(owner, name, a or (), b or (), notes, where)
        elif dataclasses.is_dataclass(a) and dataclasses.is_dataclass(b):
            self.fields(a, b, notes, label)
        elif a is None or b is None:
            before, after = self.value(name, a), self.value(name, b)
            if a is None:
                notes.add(
                    self.d["set"].format(label=label, new=after),
                    Row(label, "", after),
                    self.judge(name, "added"),
                )
            else:
                notes.add(
                    self.d["unset"].format(label=label, old=before),
                    Row(label, before, ""),
                    self.judge(name, "removed"),
                )
        else:
            before, after = self.value(name, a), self.value(name, b)
            if name in CHAIN_REFS:
                event = self.chain_move(a, b)
            elif isinstance(a, bool) and isinstance(b, bool):
                event = "on" if b else "off"
            elif isinstance(a, str) and name not in ROLE_REFS | ENTRY_REFS:
                event = "reworded"
            elif isinstance(a, int | float | dt.date) and not isinstance(a, bool):
                event = "raised" if b > a else "lowered"
            else:
                event = "changed"
            notes.add(
                self.d["changed"].format(label=label, new=after, old=before),
                Row(label, before, after),
                self.judge(name, event),
            )

    def items(
        self,
        owner: type,
        name: str,
        a: Sequence[Any],
        b: Sequence[Any],
        notes: Notes,
        where: str,
        templates: dict[str, str] | None = None,
    ) -> None:
        """Two lists item by item: added, removed, reworded; a new order is no change."""
        label = self.within(where, self.label(owner, name))
        if name not in ROLE_REFS | ENTRY_REFS:  # texts: a rename alone changes none
            a = tuple(self.moved_text(x) if isinstance(x, str) else x for x in a)
        if any(dataclasses.is_dataclass(x) for x in (*a, *b)):
            self.records(owner, name, a, b, notes, where)
            return
        gone, came = minus(a, b), minus(b, a)
        refs = name in ROLE_REFS | ENTRY_REFS
        pairs = [] if refs or not self.reword else rewordings(gone, came)
        tpl = {"added": self.d["item_added"], "removed": self.d["item_removed"]}
        tpl.update(templates or {})
        for before, after in pairs:
            old_text, new_text = self.value(name, before), self.value(name, after)
            notes.add(
                self.d["item_reworded"].format(label=label, new=new_text, old=old_text),
                Row(label, old_text, new_text),
                self.judge(name, "reworded"),
            )
        for item in gone:
            text = self.value(name, item)
            notes.add(
                tpl["removed"].format(label=label, text=text),
                Row(label, text, ""),
                self.judge(name, "removed"),
            )
        for item in came:
            text = self.value(name, item)
            notes.add(
                tpl["added"].format(label=label, text=text),
                Row(label, "", text),
                self.judge(name, "added"),
            )

    def records(
        self, owner: type, name: str, a: Sequence[Any], b: Sequence[Any], notes: Notes, where: str
    ) -> None:
        """Lists of records: matched by id (or week), else equal ones first, then in order."""
        label = self.label(owner, name)
        key = next((k for k in KEYS if all(hasattr(x, k) for x in (*a, *b))), None)
        if key:
            before = {getattr(x, key): x for x in a}
            after = {getattr(x, key): x for x in b}
            matched = [(before[k], after[k]) for k in after if k in before]
            gone = [x for k, x in before.items() if k not in after]
            came = [x for k, x in after.items() if k not in before]
        else:
            gone, came = minus(a, b), minus(b, a)
            n = min(len(gone), len(came))
            matched, gone, came = list(zip(gone[:n], came[:n], strict=True)), gone[n:], came[n:]
        for x, y in matched:
            if x != y:
                self.fields(x, y, notes, self.within(where, self.named(label, y)))
        place = self.within(where, label)
        lowest = a[0] if a else None  # a ladder's first level: where everyone starts
        for item in gone:
            text = self.describe(item)
            event = "removed_lowest" if name == "levels" and item is lowest else "removed"
            notes.add(
                self.d["item_removed"].format(label=place, text=text),
                Row(place, text, ""),
                self.judge(name, event),
            )
        for item in came:
            text = self.describe(item)
            notes.add(
                self.d["item_added"].format(label=place, text=text),
                Row(place, "", text),
                self.judge(name, "added"),
            )

    # --- a field two kinds share ----------------------------------------------------

    def delegation(self, a: str | None, b: str | None, notes: Notes) -> None:
        """The step on the delegation scale: a step towards `delegate` gives more room."""
        if a == b:
            return
        label = self.label(FlexibleZone, "delegation")
        names = self.d["delegation_steps"]
        before = str(names.get(a, a)) if a else "\u2013"
        after = str(names.get(b, b)) if b else "\u2013"
        if a in DELEGATION and b in DELEGATION:
            event = "raised" if DELEGATION.index(b) > DELEGATION.index(a) else "lowered"
        else:
            event = "added" if a is None else "removed" if b is None else "changed"
        notes.add(
            self.d["changed"].format(label=label, new=after, old=before),
            Row(label, before, after),
            self.judge("delegation", event),
        )
