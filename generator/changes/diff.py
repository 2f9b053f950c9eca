"""The meaning of a change: two playbooks compared field by field, in plain sentences.

Complete by construction: each kind's comparator (`_Compare._<kind>`, named in `model/kinds.py`)
says in its own sentences what its important fields mean, and returns their names; every
other field of the model's dataclasses is compared by `_Compare.fields`, which says
"<Feld> geändert" with before and after, so no change can read as "no change". Lists are
compared item by item (added, removed, reworded); a pure reorder is not a change.
`playbook.yml`, the glossary and the onboarding are compared as well, each as one change.

Which changes need the owner's approval is the table in `changes/policy.py`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from ..model import overlay
from ..model.kinds import BY_NAME, ENTRY_KINDS
from ..model.levels import freedom_rank
from ..model.owners import file_owner
from ..model.playbook import (
    Band,
    Entry,
    EscalationPath,
    FileOwners,
    FlexibleZone,
    Level,
    NonNegotiable,
    Playbook,
    QualificationRule,
    Team,
    Tightening,
    Underperformance,
)
from ..text import Text, labels, markdown_text, terminal_safe  # MOVED
from .policy import Verdict, verdict

FILES = {"playbook": "playbook.yml", "glossary": "glossary.yml", "onboarding": "onboarding.yml"}
TEAM = "team"  # a team's overlay (`teams/<team>.yml`): its changes, as one change of its file
ORDER = (*ENTRY_KINDS, TEAM, *FILES)

# Not content: where an entry lives and what follows from other fields.
# `previous_ids` only records a rename, which is reported as such; `level_role` follows from
# the levels a path's bands name; `team` marks an entry of a team's view.
DERIVED = frozenset(
    {
        "kind", "id", "file", "overdue", "lower", "review_due", "previous_ids", "team", "line",
        "level_role",
    }
)  # fmt: skip
# Not compared in `playbook.yml`: what a view of the playbook is (cards --level, --team), and
# the teams, each compared as a change of its own file.
VIEW = ("level", "teams")
ROLE_REFS = frozenset(
    {"owner", "decider", "escalates_to", "rep_role", "applies_to", "consult", "inform"}
    | {"confirmed_by"}
)
ENTRY_REFS = frozenset({"bounded_by", "related", "successor", "entries", "see"})
KEYS = ("id", "week", "entry")  # list items with one of these are matched by it
# how an item is called
NAMES = ("week", "title", "name", "term", "metric", "question", "situation", "id")
# the seven steps of delegation, from "the manager tells" to "the team decides"
DELEGATION = ("tell", "sell", "consult", "agree", "advise", "inquire", "delegate")
DAYS = {"day": 1, "week": 7, "month": 30, "quarter": 91}


@dataclass(frozen=True)
class Row:
    aspect: str
    before: str
    after: str


@dataclass(frozen=True)
class EntryChange:
    change: str  # added, removed, renamed, changed
    kind: str  # an entry kind, or `playbook`, `glossary`, `onboarding` for those files
    id: str  # the entry's id, or the file's name (`playbook.yml`)
    old_id: str | None
    title: str
    file: str
    owner: str
    needs_approval: bool
    sentences: tuple[str, ...]
    rows: tuple[Row, ...]
    approval: str = ""  # why it needs approval: `loosening` or `wording` (changes/policy.py)


def _capital(sentence: str) -> str:
    """A sentence for print: a capital first, no full stop after a quote that has one."""
    sentence = re.sub(r"([.!?])([“”\"])\.$", r"\1\2", sentence)
    return sentence[:1].upper() + sentence[1:]


@dataclass
class _Notes:
    """Collects what changed in one entry or file."""

    sentences: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    verdict: Verdict = Verdict.NONE
    loosening: list[str] = field(default_factory=list)  # what each loosening gives, in words

    def add(self, sentence: str, row: Row | None = None, verdict: Verdict = Verdict.NONE) -> None:
        self.sentences.append(_capital(sentence))
        if row is not None:
            self.rows.append(row)
        self.flag(verdict)
        if verdict is Verdict.LOOSENING:
            self.loosening.append(_capital(sentence))

    def flag(self, verdict: Verdict) -> None:
        if verdict.weight > self.verdict.weight:
            self.verdict = verdict

    def extend(self, other: _Notes, where: str = "") -> None:
        """Another's notes; `where` (a level's name) goes before each of its sentences."""
        prefix = f"{_capital(where)}: " if where else ""
        self.sentences += [prefix + s for s in other.sentences]
        self.rows += [dataclasses.replace(r, aspect=prefix + r.aspect) for r in other.rows]
        self.loosening += [prefix + s for s in other.loosening]
        self.flag(other.verdict)


def _minus(a: Sequence[Any], b: Sequence[Any]) -> list[Any]:
    """The items of `a` not in `b`, counting duplicates, in the order of `a`."""
    rest = list(b)
    result = []
    for item in a:
        if item in rest:
            rest.remove(item)
        else:
            result.append(item)
    return result


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _pairs(gone: list[Any], came: list[Any]) -> list[tuple[Any, Any]]:
    """Removed and added texts that are one text reworded; taken out of both lists."""
    if len(gone) == 1 and len(came) == 1:
        pairs = [(gone[0], came[0])]
    else:
        pairs, free = [], list(came)
        for before in gone:
            best = max(free, key=lambda c: _similar(str(before), str(c)), default=None)
            if best is not None and _similar(str(before), str(best)) >= 0.5:
                pairs.append((before, best))
                free.remove(best)
    for before, after in pairs:
        gone.remove(before)
        came.remove(after)
    return pairs


class _Compare:
    def __init__(self, old: Playbook, new: Playbook, reword: bool = True) -> None:
        """`reword`: a removed and an added text that look alike are one text reworded
        (a change of wording); without it they are what they are, a removal and an addition."""
        self.old, self.new = old, new
        self.reword = reword
        self.fmt = Text(new.language)
        self.t = labels(new.language)
        self.d = self.t["diff"]
        self.kind_name = ""  # whose policy table applies
        self.renamed: dict[str, str] = {}  # old id -> new id

    # --- names and values --------------------------------------------------------------

    def role(self, role_id: str | None) -> str:
        if role_id is None:
            return self.d["nobody"]
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
        return self.t["kinds"][entry.kind]["one"]

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
            return self.d["yes"] if value else self.d["no"]
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

    def moved(self, value: Any) -> Any:
        """References of the old version, with renamed entries under their new id."""
        if isinstance(value, tuple):
            return tuple(self.renamed.get(v, v) for v in value)
        if isinstance(value, str):
            return self.renamed.get(value, value)
        return value

    # --- any field, by the dataclass fields of the model ----------------------------------

    def fields(
        self, old: Any, new: Any, notes: _Notes, where: str = "", skip: Iterable[str] = ()
    ) -> None:
        """Every field of two records not in `skip`: the fallback that misses nothing."""
        skipped = set(skip) | DERIVED
        for f in dataclasses.fields(old):
            if f.name not in skipped:
                self.field(
                    type(old), f.name, getattr(old, f.name), getattr(new, f.name), notes, where
                )

    def field(self, owner: type, name: str, a: Any, b: Any, notes: _Notes, where: str) -> None:
        if name in ENTRY_REFS:
            a = self.moved(a)
        if a == b:
            return
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
            if isinstance(a, str) and name not in ROLE_REFS | ENTRY_REFS:
                event = "reworded"
            elif isinstance(a, int | float) and not isinstance(a, bool):
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
        notes: _Notes,
        where: str,
        templates: dict[str, str] | None = None,
    ) -> None:
        """Two lists item by item: added, removed, reworded; a new order is no change."""
        label = self.within(where, self.label(owner, name))
        if any(dataclasses.is_dataclass(x) for x in (*a, *b)):
            self.records(owner, name, a, b, notes, where)
            return
        gone, came = _minus(a, b), _minus(b, a)
        refs = name in ROLE_REFS | ENTRY_REFS
        pairs = [] if refs or not self.reword else _pairs(gone, came)
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
        self, owner: type, name: str, a: Sequence[Any], b: Sequence[Any], notes: _Notes, where: str
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
            gone, came = _minus(a, b), _minus(b, a)
            n = min(len(gone), len(came))
            matched, gone, came = list(zip(gone[:n], came[:n], strict=True)), gone[n:], came[n:]
        for x, y in matched:
            if x != y:
                self.fields(x, y, notes, self.within(where, self.named(label, y)))
        place = self.within(where, label)
        for item in gone:
            text = self.describe(item)
            notes.add(
                self.d["item_removed"].format(label=place, text=text),
                Row(place, text, ""),
                self.judge(name, "removed"),
            )
        for item in came:
            text = self.describe(item)
            notes.add(
                self.d["item_added"].format(label=place, text=text),
                Row(place, "", text),
                self.judge(name, "added"),
            )

    # --- whole playbooks ---------------------------------------------------------------

    def changes(self) -> list[EntryChange]:
        old = {e.id: e for e in self.old.entries}
        new = {e.id: e for e in self.new.entries}
        removed = [old[i] for i in sorted(old.keys() - new.keys())]
        added = [new[i] for i in sorted(new.keys() - old.keys())]
        renames = self._renames(removed, added)
        self.renamed = {before.id: after.id for before, after in renames}
        result = []
        for entry_id in sorted(old.keys() & new.keys()):
            notes = self.entry(old[entry_id], new[entry_id])
            if notes.sentences:
                result.append(self._change("changed", new[entry_id], None, notes))
        for before, after in renames:
            notes = _Notes()
            self.kind_name = after.kind
            notes.add(
                self.d["renamed"].format(old=before.id, new=after.id),
                verdict=self.judge("entry", "renamed"),
            )
            notes.extend(self.entry(before, after))
            result.append(self._change("renamed", after, before.id, notes))
        renamed = {id(e) for pair in renames for e in pair}
        for entry in added:
            if id(entry) not in renamed:
                self.kind_name = entry.kind
                notes = _Notes()
                notes.add(
                    self.d["added"].format(kind=self.kind(entry), title=entry.title),
                    verdict=self.judge("entry", "added"),
                )
                result.append(self._change("added", entry, None, notes))
        for entry in removed:
            if id(entry) not in renamed:
                self.kind_name = entry.kind
                notes = _Notes()
                notes.add(
                    self.d["removed"].format(kind=self.kind(entry), title=entry.title),
                    verdict=self.judge("entry", "removed"),
                )
                result.append(self._change("removed", entry, None, notes))
        result += self._files()
        result += self._teams()
        return sorted(result, key=lambda c: (ORDER.index(c.kind), c.title.lower(), c.id))

    def _change(self, change: str, entry: Entry, old_id: str | None, notes: _Notes) -> EntryChange:
        return EntryChange(
            change,
            entry.kind,
            entry.id,
            old_id,
            entry.title,
            entry.file,
            self.role(entry.owner),
            notes.verdict is not Verdict.NONE,
            tuple(notes.sentences),
            tuple(notes.rows),
            notes.verdict.value,
        )

    @staticmethod
    def _renames(removed: list[Entry], added: list[Entry]) -> list[tuple[Entry, Entry]]:
        """Declared renames (the new entry lists the old id in `previous_ids`) first, then
        entries that look the same under a new id (same kind, same title or summary)."""
        pairs, taken, paired = [], set(), set()
        for before in removed:
            for after in added:
                declared = before.id in after.previous_ids and before.kind == after.kind
                if id(after) not in taken and declared:
                    pairs.append((before, after))
                    taken.add(id(after))
                    paired.add(id(before))
                    break
        for before in removed:
            if id(before) in paired:
                continue
            for after in added:
                if id(after) in taken or after.kind != before.kind:
                    continue
                similar = difflib.SequenceMatcher(None, before.summary, after.summary).ratio()
                if before.title == after.title or similar >= 0.8:
                    pairs.append((before, after))
                    taken.add(id(after))
                    break
        return pairs

    # --- playbook.yml, glossary, onboarding -------------------------------------------

    def _owner(self, kind: str) -> str | None:
        """Who approves changes to a shared file: its owner before the change (a pull
        request cannot name a new owner to approve itself), else after it."""
        return file_owner(self.old, kind) or file_owner(self.new, kind)

    def _owners(self, notes: _Notes) -> None:
        """`owners:` in playbook.yml: a new owner of a file needs approval."""
        for kind in FILES:
            before, after = getattr(self.old.owners, kind), getattr(self.new.owners, kind)
            if before == after:
                continue
            label = self.label(FileOwners, kind)
            old, new = self.value("owner", before), self.value("owner", after)
            template = "set" if before is None else "unset" if after is None else "changed"
            notes.add(
                self.d[template].format(label=label, new=new, old=old),
                Row(label, old if before else "", new if after else ""),
                self.judge("owners", "changed"),
            )

    def _level_order(self, notes: _Notes) -> None:
        """Levels are matched by id, so a new order would go unseen: say it."""
        for role in self.new.roles:
            before = [lv.id for lv in self.old.levels_of(role.id) if isinstance(lv, Level)]
            after = [lv.id for lv in role.levels if isinstance(lv, Level)]
            kept = [lv for lv in after if lv in before]
            if kept != [lv for lv in before if lv in after]:
                names = {
                    lv.id: lv.name
                    for lv in (*self.old.levels_of(role.id), *role.levels)
                    if isinstance(lv, Level)
                }
                old = " < ".join(names[lv] for lv in before)
                new = " < ".join(names[lv] for lv in after)
                label = f"{self.label(type(role), 'levels')} ({role.name})"
                notes.add(
                    self.d["levels_reordered"].format(role=role.name, new=new, old=old),
                    Row(label, old, new),
                    self.judge("levels", "reordered"),
                )

    def _files(self) -> list[EntryChange]:
        old, new = self.old, self.new
        found: list[tuple[str, str, _Notes]] = []
        self.kind_name = "playbook"
        notes = _Notes()
        self.fields(old, new, notes, skip=("entries", "terms", "onboarding", "owners", *VIEW))
        self._level_order(notes)
        self._owners(notes)
        found.append(("playbook", "changed", notes))
        self.kind_name = "glossary"
        notes = _Notes()
        self.items(Playbook, "terms", old.terms, new.terms, notes, "")
        found.append(("glossary", "changed", notes))
        self.kind_name = "onboarding"
        notes = _Notes()
        if old.onboarding and new.onboarding:
            self.fields(old.onboarding, new.onboarding, notes)
        else:
            self.field(Playbook, "onboarding", old.onboarding, new.onboarding, notes, "")
        change = (
            "added"
            if old.onboarding is None
            else "removed"
            if new.onboarding is None
            else "changed"
        )
        found.append(("onboarding", change, notes))
        return [
            EntryChange(
                change,
                kind,
                FILES[kind],
                None,
                self.d["files"][kind],
                FILES[kind],
                self.role(self._owner(kind)),
                notes.verdict is not Verdict.NONE,
                tuple(notes.sentences),
                tuple(notes.rows),
                notes.verdict.value,
            )
            for kind, change, notes in found
            if notes.sentences
        ]

    # --- team overlays -----------------------------------------------------------------

    def _teams(self) -> list[EntryChange]:
        """Each team's file as one change: what its overlay makes of the playbook.

        The old and the new overlay are both laid over the new organisation's playbook, so
        a change of the organisation's entries is reported once, as such, and the team's
        change is what its file changed: judged by the same policy as any entry (a team
        that lowers its own tightening loosens for that team)."""
        before = {t.id: t for t in self.old.teams}
        after = {t.id: t for t in self.new.teams}
        result = []
        for team_id in sorted(before.keys() | after.keys()):
            old, new = before.get(team_id), after.get(team_id)
            self.kind_name = TEAM
            notes = _Notes()
            if old is None or new is None:
                team = new or old
                assert team is not None
                event = "added" if old is None else "removed"
                notes.add(self.d[f"team_{event}"].format(name=team.name), None,
                          self.judge("team", event))  # fmt: skip
                result.append(self._team_change(event, team, old or team, notes))
                continue
            self._team(old, new, notes)
            if notes.sentences:
                result.append(self._team_change("changed", new, old, notes))
        return result

    def _team(self, old: Team, new: Team, notes: _Notes) -> None:
        self.fields(old, new, notes, skip=("tightenings", "non_negotiables"))
        label = self.label(Team, "tightenings")
        was = {t.entry: t for t in old.tightenings}
        now = {t.entry: t for t in new.tightenings}
        for entry_id in [*now, *(e for e in was if e not in now)]:
            a, b = was.get(entry_id), now.get(entry_id)
            place = f"{label} „{self.title_of(entry_id)}“"
            if a is None or b is None:
                event = "added" if a is None else "removed"
                notes.add(
                    self.d[f"item_{event}"].format(label=label, text=self.title_of(entry_id)),
                    Row(label, "" if a is None else entry_id, "" if b is None else entry_id),
                    self.judge("tightenings", event),
                )
            elif a.why != b.why:
                self.field(Tightening, "why", a.why, b.why, notes, place)
        team_before = overlay.apply(dataclasses.replace(self.new, teams=(old,)), old.id)
        team_after = overlay.apply(dataclasses.replace(self.new, teams=(new,)), new.id)
        touched = [*now, *was, *(n.id for n in (*old.non_negotiables, *new.non_negotiables))]
        for entry_id in dict.fromkeys(touched):
            a_entry = next((e for e in team_before.entries if e.id == entry_id), None)
            b_entry = next((e for e in team_after.entries if e.id == entry_id), None)
            if a_entry is not None and b_entry is not None:
                notes.extend(self.entry(a_entry, b_entry), b_entry.title)
            elif a_entry is not None or b_entry is not None:
                entry = b_entry or a_entry
                assert entry is not None
                sub, event = _Notes(), "added" if a_entry is None else "removed"
                self.kind_name = entry.kind
                sub.add(
                    self.d[event].format(kind=self.kind(entry), title=entry.title),
                    verdict=self.judge("entry", event),
                )
                notes.extend(sub)
        self.kind_name = TEAM

    def _team_change(self, change: str, team: Team, old: Team, notes: _Notes) -> EntryChange:
        name = team.file.replace("\\", "/").rsplit("/", 1)[-1]
        return EntryChange(
            change,
            TEAM,
            name,
            None,
            str(self.d["team_title"].format(name=team.name)),
            team.file,
            self.role(old.owner),  # the owner before: a change cannot name its own approver
            notes.verdict is not Verdict.NONE,
            tuple(notes.sentences),
            tuple(notes.rows),
            notes.verdict.value,
        )

    # --- one entry ---------------------------------------------------------------------

    def entry(self, old: Entry, new: Entry) -> _Notes:
        self.kind_name = new.kind
        notes = _Notes()
        self._status(old, new, notes)
        for name in ("title", "summary"):
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                label = self.label(Entry, name)
                notes.add(
                    self.d["field"].format(label=label, new=after, old=before),
                    Row(label, before, after),
                    self.judge(name, "reworded"),
                )
        if old.owner != new.owner:
            before, after = self.role(old.owner), self.role(new.owner)
            notes.add(
                self.d["field"].format(label=self.t["owner"], new=after, old=before),
                Row(self.t["owner"], before, after),
                self.judge("owner", "changed"),
            )
        if (
            old.last_reviewed == new.last_reviewed
            and old.review_due != new.review_due
            and self.old.review_interval_months == self.new.review_interval_months
        ):  # the entry's own review interval changed
            self.field(Entry, "review_due", old.review_due, new.review_due, notes, "")
        handled = {"title", "summary", "owner", "status"}
        if old.status != new.status:
            handled.add("successor")
        if old.kind == new.kind:
            compare: Any = getattr(self, BY_NAME[new.kind].compare)
            handled |= compare(old, new, notes)
        self.fields(old, new, notes, skip=handled)
        return notes

    def _status(self, old: Entry, new: Entry, notes: _Notes) -> None:
        if old.status == new.status:
            return
        if new.status == "retired":
            successor = new.successor and self.title_of(new.successor)
            text = (
                self.d["retired_for"].format(successor=successor)
                if successor
                else self.d["retired"]
            )
            notes.add(text, self._status_row(old, new), self.judge("status", "retired"))
        elif old.status == "retired":
            notes.add(
                self.d["reactivated"],
                self._status_row(old, new),
                self.judge("status", "reactivated"),
            )
        else:
            notes.add(
                self.d["changed"].format(
                    label=self.d["status"],
                    new=self.d["statuses"][new.status],
                    old=self.d["statuses"][old.status],
                ),
                self._status_row(old, new),
            )

    def _status_row(self, old: Entry, new: Entry) -> Row:
        names = self.d["statuses"]
        return Row(self.d["status"], names[old.status], names[new.status])

    # --- each kind: its own sentences; returns the fields it has covered ---------------------

    def _non_negotiable(self, old: Entry, new: Entry, notes: _Notes) -> set[str]:
        assert isinstance(old, NonNegotiable) and isinstance(new, NonNegotiable)
        if old.rule != new.rule:
            notes.add(
                self.d["rule"].format(new=new.rule, old=old.rule),
                Row(self.t["rule"], old.rule, new.rule),
                self.judge("rule", "reworded"),
            )
        gone = [r for r in old.applies_to if r not in new.applies_to]
        came = [r for r in new.applies_to if r not in old.applies_to]
        if came:
            notes.add(
                self.d["applies_added"].format(roles=self.roles(came)),
                Row(self.t["applies_to"], "", self.roles(came)),
                self.judge("applies_to", "added"),
            )
        if gone:
            notes.add(
                self.d["applies_removed"].format(roles=self.roles(gone)),
                Row(self.t["applies_to"], self.roles(gone), ""),
                self.judge("applies_to", "removed"),
            )
        return {"rule", "applies_to"}

    def _flexible_zone(self, old: Entry, new: Entry, notes: _Notes) -> set[str]:
        assert isinstance(old, FlexibleZone) and isinstance(new, FlexibleZone)
        self._freedoms(old, new, notes)
        self._delegation(old.delegation, new.delegation, notes)
        before = self.moved(old.bounded_by)
        label = self.label(FlexibleZone, "bounded_by")
        for ref in new.bounded_by:
            if ref not in before:
                title = self.title_of(ref)
                notes.add(
                    self.d["bound_added"].format(title=title),
                    Row(label, "", title),
                    self.judge("bounded_by", "added"),
                )
        for ref in before:
            if ref not in new.bounded_by:
                title = self.title_of(ref)
                notes.add(
                    self.d["bound_removed"].format(title=title),
                    Row(label, title, ""),
                    self.judge("bounded_by", "removed"),
                )
        return {"freedoms", "freedom_levels", "bounded_by", "delegation"}

    def _freedoms(self, old: FlexibleZone, new: FlexibleZone, notes: _Notes) -> None:
        """Freedoms added, removed, reworded; and the level each is granted from: granted
        from a lower level (or to everyone) is a loosening, from a higher one a tightening."""
        levels_before = dict(zip(old.freedoms, old.freedom_levels, strict=False))
        levels_after = dict(zip(new.freedoms, new.freedom_levels, strict=False))
        gone, came = _minus(old.freedoms, new.freedoms), _minus(new.freedoms, old.freedoms)
        pairs = _pairs(gone, came) if self.reword else []
        label = self.label(FlexibleZone, "freedoms")
        for before, after in pairs:
            notes.add(
                self.d["item_reworded"].format(label=label, new=after, old=before),
                Row(label, before, after),
                self.judge("freedoms", "reworded"),
            )
        for text in gone:
            notes.add(
                self.d["freedom_removed"].format(text=text),
                Row(label, self._granted(text, levels_before.get(text)), ""),
                self.judge("freedoms", "removed"),
            )
        for text in came:
            level = levels_after.get(text)
            sentence = self.d["freedom_added"].format(text=text)
            if level:
                sentence = f"{sentence[:-1]} ({self._from_level(level)})."
            notes.add(
                sentence,
                Row(label, "", self._granted(text, level)),
                self.judge("freedoms", "added"),
            )
        same = [(t, t) for t in new.freedoms if t in levels_before]
        for before, after in [*same, *pairs]:
            self._freedom_level(after, levels_before.get(before), levels_after.get(after), notes)

    def _freedom_level(self, text: str, a: str | None, b: str | None, notes: _Notes) -> None:
        if a == b:
            return
        rank_a = freedom_rank(self.old, a) if a else -1
        rank_b = freedom_rank(self.new, b) if b else -1
        label = f"{self.label(FlexibleZone, 'freedom_levels')}: „{text}“"
        old, new = self._from_level(a), self._from_level(b)
        notes.add(
            self.d["freedom_level"].format(text=text, new=new, old=old),
            Row(label, old, new),
            self.judge("freedom_levels", "lowered" if rank_b < rank_a else "raised"),
        )

    def _from_level(self, level: str | None) -> str:
        """`ab Senior`, or `für alle Stufen` for a freedom without a level."""
        if level is None:
            return str(self.d["every_level"])
        found = self.new.level_of(level) or self.old.level_of(level)
        return str(self.d["from_level"].format(level=found[1].name if found else level))

    def _granted(self, text: str, level: str | None) -> str:
        return f"{text} ({self._from_level(level)})" if level else text

    def _delegation(self, a: str | None, b: str | None, notes: _Notes) -> None:
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

    def _escalation_path(self, old: Entry, new: Entry, notes: _Notes) -> set[str]:
        """Bands compared; for bands that vary by level, level by level (a level missing on
        one side compares with that side's only bands)."""
        assert isinstance(old, EscalationPath) and isinstance(new, EscalationPath)
        self._delegation(old.delegation, new.delegation, notes)
        if not (old.by_level or new.by_level):
            self._path_bands(old, new, notes)
            return {"bands", "by_level", "level_role", "delegation"}
        levels = [lb.level for lb in new.by_level or old.by_level]
        levels += [lb.level for lb in old.by_level if lb.level not in levels]
        for level in levels:
            sub = _Notes()
            self._path_bands(self._at(old, level), self._at(new, level), sub)
            notes.extend(sub, self.level_name(level))
        return {"bands", "by_level", "level_role", "delegation"}

    @staticmethod
    def _at(path: EscalationPath, level: str) -> EscalationPath:
        bands = next((lb.bands for lb in path.by_level if lb.level == level), path.bands)
        return dataclasses.replace(path, bands=bands, by_level=(), level_role=None)

    def level_name(self, level_id: str) -> str:
        for model in (self.new, self.old):
            found = model.level_of(level_id)
            if found:
                return str(self.d["at_level"].format(level=found[1].name))
        return level_id

    def _path_bands(self, old: EscalationPath, new: EscalationPath, notes: _Notes) -> None:
        fmt = self.fmt
        band = self.d["band"]
        moves = self._moves(old, new)
        for text, before, after in moves:
            notes.flag(self._move_verdict(before, after))
            if self._move_verdict(before, after) is Verdict.LOOSENING:
                notes.loosening.append(
                    _capital(
                        self.d["decider"].format(
                            range=text,
                            new=self.role(after) if after else self.d["outside"],
                            old=self.role(before) if before else self.d["outside"],
                        )
                    )
                )
        same_shape = [b.decider for b in old.bands] == [b.decider for b in new.bands]
        if same_shape:  # edges moved: each band that moved, with its new range
            for index, (a, b) in enumerate(zip(old.bands, new.bands, strict=True)):
                range_a, range_b = fmt.band_range(a, old.quantity), fmt.band_range(b, new.quantity)
                if range_a != range_b:
                    notes.add(
                        self.d["threshold"].format(
                            decider=self.role(b.decider), new=range_b, old=range_a
                        ),
                        Row(f"{band} {index + 1}", range_a, range_b),
                    )
            pairs = list(zip(old.bands, new.bands, strict=True))
        else:  # which values move to whom
            for text, before, after in moves:
                old_name = self.role(before) if before else self.d["outside"]
                new_name = self.role(after) if after else self.d["outside"]
                notes.add(
                    self.d["decider"].format(range=text, new=new_name, old=old_name),
                    Row(f"{band} {text}", old_name, new_name),
                )
            if len(old.bands) != len(new.bands):
                listing = "; ".join
                notes.add(
                    self.d["bands_count"].format(
                        new=self._bands(len(new.bands)),
                        old=self._bands(len(old.bands)),
                    ),
                    Row(
                        self.t["bands"],
                        listing(
                            f"{fmt.band_range(b, old.quantity)}: {self.role(b.decider)}"
                            for b in old.bands
                        ),
                        listing(
                            f"{fmt.band_range(b, new.quantity)}: {self.role(b.decider)}"
                            for b in new.bands
                        ),
                    ),
                )
            pairs = self._matched_bands(old.bands, new.bands)
        for a, b in pairs:
            self._band(a, b, fmt.band_range(b, new.quantity), notes)

    def _bands(self, n: int) -> str:
        return str(self.d["bands_one" if n == 1 else "bands_many"].format(n=self.fmt.number(n)))

    @staticmethod
    def _matched_bands(old: Sequence[Band], new: Sequence[Band]) -> list[tuple[Band, Band]]:
        """Bands of two different layouts that are the same band: by decider, in order."""
        pairs, free = [], list(old)
        for band in new:
            match = next((b for b in free if b.decider == band.decider), None)
            if match is not None:
                pairs.append((match, band))
                free.remove(match)
        return pairs

    def _band(self, a: Band, b: Band, where: str, notes: _Notes) -> None:
        fmt = self.fmt
        if a.response_time_hours != b.response_time_hours:
            before, after = fmt.hours(a.response_time_hours), fmt.hours(b.response_time_hours)
            notes.add(
                self.d["response"].format(range=where, new=after, old=before),
                Row(f"{where}: {self.t['response_time']}", before, after),
                self.judge(
                    "response_time_hours",
                    "raised" if b.response_time_hours > a.response_time_hours else "lowered",
                ),
            )
        for name in ("consult", "inform"):
            before_ids, after_ids = getattr(a, name), getattr(b, name)
            if set(before_ids) != set(after_ids):
                before, after = self.roles(before_ids), self.roles(after_ids)
                notes.add(
                    self.d[name].format(range=where, new=after, old=before),
                    Row(f"{where}: {self.t[name]}", before, after),
                    self.judge(name, "removed")
                    if set(before_ids) - set(after_ids)
                    else self.judge(name, "added"),
                )
        skip = ("above", "up_to", "decider", "response_time_hours", "consult", "inform")
        self.fields(a, b, notes, where, skip)

    @staticmethod
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
        self, old: EscalationPath, new: EscalationPath
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
                text = self._span(old if run[0][1] else new, ordered, points, run[0][0], run[-1][0])
                moves.append((text, run[0][1], run[0][2]))
                run.clear()

        for p, (value, _) in enumerate(points):
            before, after = self._decider_at(old, value), self._decider_at(new, value)
            if before != after and run and (run[-1][1], run[-1][2]) == (before, after):
                run.append((p, before, after))
                continue
            close()
            if before != after:
                run.append((p, before, after))
        close()
        return moves

    def _span(
        self,
        path: EscalationPath,
        edges: list[float],
        points: list[tuple[float, int]],
        first: int,
        last: int,
    ) -> str:
        """The range of values from point `first` to `last` (even: an edge; odd: between)."""
        unit = path.quantity.unit
        amount = self.fmt.amount
        low_value, low_edge = points[first]
        high_value, high_edge = points[last]
        if first == last and first % 2 == 0:
            return str(self.t["exactly"].format(v=amount(low_value, unit)))
        parts = []
        if first % 2 == 1:
            parts.append(self.t["above"].format(v=amount(edges[low_edge], unit)))
        elif low_edge > 0:
            parts.append(self.d["from"].format(v=amount(low_value, unit)))
        if last % 2 == 0:
            parts.append(self.t["up_to"].format(v=amount(high_value, unit)))
        elif high_edge + 1 < len(edges):
            parts.append(self.d["below"].format(v=amount(edges[high_edge + 1], unit)))
        return " ".join(parts)

    def _below(self, low: str, high: str) -> bool:
        """Whether `high` is above `low` in the `escalates_to` chain."""
        seen: set[str] = set()
        current: str | None = low
        while current is not None and current not in seen:
            seen.add(current)
            role = next((r for m in (self.new, self.old) for r in m.roles if r.id == current), None)
            current = role.escalates_to if role else None
            if current == high:
                return True
        return False

    def _move_verdict(self, before: str | None, after: str | None) -> Verdict:
        if before is None:
            return self.judge("quantity", "widened")
        if after is None:
            return self.judge("quantity", "narrowed")
        if self._below(after, before):
            return self.judge("bands", "lower_role")
        if self._below(before, after):
            return self.judge("bands", "higher_role")
        return self.judge("bands", "other_role")

    def _qualification_rule(self, old: Entry, new: Entry, notes: _Notes) -> set[str]:
        assert isinstance(old, QualificationRule) and isinstance(new, QualificationRule)
        d = self.d
        before = {c.id: c for c in old.criteria}
        after = {c.id: c for c in new.criteria}
        label = self.t["criteria"]

        def kind_of(required: bool) -> str:
            return str(d["required"] if required else d["optional"])

        for cid, c in after.items():
            if cid not in before:
                notes.add(
                    d["criterion_added"].format(question=c.question, required=kind_of(c.required)),
                    Row(label, "", c.question),
                    self.judge("criteria", "added"),
                )
        for cid, c in before.items():
            if cid not in after:
                notes.add(
                    d["criterion_removed"].format(
                        question=c.question, required=kind_of(c.required)
                    ),
                    Row(label, c.question, ""),
                    self.judge(
                        "criteria", "removed_required" if c.required else "removed_optional"
                    ),
                )
                continue
            now = after[cid]
            if now.required != c.required:
                notes.add(
                    d["criterion_required"].format(
                        question=now.question, new=kind_of(now.required), old=kind_of(c.required)
                    ),
                    Row(f"„{now.question}“", kind_of(c.required), kind_of(now.required)),
                    self.judge("criteria", "made_optional" if c.required else "made_required"),
                )
            where = self.named(self.label(QualificationRule, "criteria"), now)
            self.fields(c, now, notes, where, skip=("required",))
        if old.optional_min != new.optional_min:
            notes.add(
                d["optional_min"].format(new=new.optional_min, old=old.optional_min),
                Row(label, str(old.optional_min), str(new.optional_min)),
                self.judge(
                    "optional_min", "lowered" if new.optional_min < old.optional_min else "raised"
                ),
            )
        return {"criteria", "optional_min"}

    def _underperformance(self, old: Entry, new: Entry, notes: _Notes) -> set[str]:
        assert isinstance(old, Underperformance) and isinstance(new, Underperformance)
        fmt = self.fmt
        before = {tr.id: tr for tr in old.triggers}
        after = {tr.id: tr for tr in new.triggers}
        for tid, tr in after.items():
            if tid not in before:
                notes.add(
                    self.d["trigger_added"].format(description=tr.description or tr.metric),
                    Row(self.t["triggers"], "", tr.description or tr.metric),
                    self.judge("triggers", "added"),
                )
                continue
            was = before[tid]
            if (was.threshold, was.unit) != (tr.threshold, tr.unit):
                a, b = fmt.amount(was.threshold, was.unit), fmt.amount(tr.threshold, tr.unit)
                direction = "raised" if tr.threshold > was.threshold else "lowered"
                event = f"{tr.comparison}_{direction}" if was.unit == tr.unit else "changed"
                notes.add(
                    self.d["trigger"].format(metric=tr.metric, new=b, old=a),
                    Row(tr.metric, a, b),
                    self.judge("threshold", event),
                )
            if (was.periods, was.period) != (tr.periods, tr.period):
                a, b = fmt.period(was.periods, was.period), fmt.period(tr.periods, tr.period)
                longer = tr.periods * DAYS[tr.period] > was.periods * DAYS[was.period]
                notes.add(
                    self.d["trigger_period"].format(metric=tr.metric, new=b, old=a),
                    Row(f"{tr.metric}: {self.label(type(tr), 'period')}", a, b),
                    self.judge("period", "longer" if longer else "shorter"),
                )
            where = self.named(self.label(Underperformance, "triggers"), tr)
            self.fields(was, tr, notes, where, skip=("threshold", "unit", "periods", "period"))
        for tid, tr in before.items():
            if tid not in after:
                notes.add(
                    self.d["trigger_removed"].format(description=tr.description or tr.metric),
                    Row(self.t["triggers"], tr.description or tr.metric, ""),
                    self.judge("triggers", "removed"),
                )
        return {"triggers"}


def loosening_sentences(old: Playbook, new: Playbook, entry: Entry) -> list[str]:
    """What the policy calls a loosening in `entry` of `new` against `old`, in words.

    For overlays: a team keeps the organisation's texts or leaves them out, so a text
    that looks like one of them reworded is a new one (a freedom the organisation does
    not grant), not a change of wording."""
    compare = _Compare(old, new, reword=False)
    return compare.entry(old.entry(entry.id), new.entry(entry.id)).loosening


def compare(old: Playbook, new: Playbook) -> list[EntryChange]:
    """What changed between two validated playbooks: entries, settings, glossary, onboarding."""
    return _Compare(old, new).changes()


def needs(change: EntryChange, fail_on: str) -> bool:
    """Whether `playbook diff --fail-on` fails for this change: `loosening`, `any-approval`."""
    if fail_on == "loosening":
        return change.approval == Verdict.LOOSENING.value
    return change.needs_approval


# --- output --------------------------------------------------------------------------------


def _approval(change: EntryChange, d: dict[str, Any]) -> str:
    if not change.needs_approval:
        return ""
    key = "approval_wording" if change.approval == Verdict.WORDING.value else "approval"
    return str(d[key].format(owner=change.owner))


def format_text(changes: Sequence[EntryChange], language: str) -> str:
    d = labels(language)["diff"]
    if not changes:
        return str(d["none"])
    marks = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
    lines: list[str] = []
    for c in changes:
        flag = f"  [{_approval(c, d)}]" if c.needs_approval else ""
        lines.append(f"{marks[c.change]} {c.title} ({c.file}){flag}")
        lines += [f"    {sentence}" for sentence in c.sentences]
    return terminal_safe("\n".join(lines))


def format_markdown(changes: Sequence[EntryChange], language: str) -> str:
    d = labels(language)["diff"]
    out = [f"## {d['heading']}", ""]
    if not changes:
        return "\n".join([*out, d["none"], ""])
    md = markdown_text
    for c in changes:
        flag = f" · **{md(_approval(c, d))}**" if c.needs_approval else ""
        out += [f"### {md(c.title)}{flag}", "", f"`{c.file.replace('`', '')}`", ""]
        out += [f"- {md(sentence)}" for sentence in c.sentences]
        if c.rows:
            out += ["", f"| {d['aspect']} | {d['before']} | {d['after']} |", "|---|---|---|"]
            out += [f"| {md(r.aspect)} | {md(r.before)} | {md(r.after)} |" for r in c.rows]
        out.append("")
    return "\n".join(out)


def format_json(changes: Sequence[EntryChange]) -> str:
    return json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2)


def sentences(changes: Sequence[EntryChange]) -> Iterator[tuple[EntryChange, str]]:
    for change in changes:
        for sentence in change.sentences:
            yield change, sentence
