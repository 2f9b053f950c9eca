"""The meaning of a change: two playbooks compared entry by entry, in plain sentences.

Changes that loosen a rule or raise a threshold are flagged for the owner's approval.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from .kinds import BY_NAME, ENTRY_KINDS
from .model import (
    Entry,
    EscalationPath,
    FlexibleZone,
    NonNegotiable,
    Playbook,
    QualificationRule,
    Underperformance,
)
from .render import table_cell
from .report import terminal_safe
from .text import Text, labels


@dataclass(frozen=True)
class Row:
    aspect: str
    before: str
    after: str


@dataclass(frozen=True)
class EntryChange:
    change: str  # added, removed, renamed, changed
    kind: str
    id: str
    old_id: str | None
    title: str
    file: str
    owner: str
    needs_approval: bool
    sentences: tuple[str, ...]
    rows: tuple[Row, ...]


@dataclass
class _Notes:
    """Collects what changed in one entry."""

    sentences: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    approval: bool = False

    def add(self, sentence: str, row: Row | None = None, *, loosens: bool = False) -> None:
        self.sentences.append(sentence)
        if row is not None:
            self.rows.append(row)
        self.approval = self.approval or loosens


class _Compare:
    def __init__(self, old: Playbook, new: Playbook) -> None:
        self.old, self.new = old, new
        self.fmt = Text(new.language)
        self.t = labels(new.language)
        self.d = self.t["diff"]

    def role(self, role_id: str) -> str:
        for model in (self.new, self.old):
            for role in model.roles:
                if role.id == role_id:
                    return role.name
        return role_id

    def roles(self, ids: Sequence[str]) -> str:
        return ", ".join(self.role(r) for r in ids) or self.d["nobody"]

    def kind(self, entry: Entry) -> str:
        return self.t["kinds"][entry.kind]["one"]

    # --- whole playbooks ---------------------------------------------------------------

    def changes(self) -> list[EntryChange]:
        old = {e.id: e for e in self.old.entries}
        new = {e.id: e for e in self.new.entries}
        removed = [old[i] for i in sorted(old.keys() - new.keys())]
        added = [new[i] for i in sorted(new.keys() - old.keys())]
        renames = self._renames(removed, added)
        result = []
        for entry_id in sorted(old.keys() & new.keys()):
            notes = self.entry(old[entry_id], new[entry_id])
            if notes.sentences:
                result.append(self._change("changed", new[entry_id], None, notes))
        for before, after in renames:
            notes = _Notes()
            notes.add(self.d["renamed"].format(old=before.id, new=after.id))
            compared = self.entry(before, after)
            notes.sentences += compared.sentences
            notes.rows += compared.rows
            notes.approval = compared.approval
            result.append(self._change("renamed", after, before.id, notes))
        renamed = {id(e) for pair in renames for e in pair}
        for entry in added:
            if id(entry) not in renamed:
                notes = _Notes()
                notes.add(self.d["added"].format(kind=self.kind(entry), title=entry.title))
                result.append(self._change("added", entry, None, notes))
        for entry in removed:
            if id(entry) not in renamed:
                notes = _Notes()
                notes.add(self.d["removed"].format(kind=self.kind(entry), title=entry.title))
                notes.approval = entry.kind == "non_negotiable"
                result.append(self._change("removed", entry, None, notes))
        return sorted(result, key=lambda c: (ENTRY_KINDS.index(c.kind), c.title.lower(), c.id))

    def _change(self, change: str, entry: Entry, old_id: str | None, notes: _Notes) -> EntryChange:
        return EntryChange(
            change,
            entry.kind,
            entry.id,
            old_id,
            entry.title,
            entry.file,
            self.role(entry.owner),
            notes.approval,
            tuple(notes.sentences),
            tuple(notes.rows),
        )

    @staticmethod
    def _renames(removed: list[Entry], added: list[Entry]) -> list[tuple[Entry, Entry]]:
        pairs, taken = [], set()
        for before in removed:
            for after in added:
                if id(after) in taken or after.kind != before.kind:
                    continue
                similar = difflib.SequenceMatcher(None, before.summary, after.summary).ratio()
                if before.title == after.title or similar >= 0.8:
                    pairs.append((before, after))
                    taken.add(id(after))
                    break
        return pairs

    # --- one entry ---------------------------------------------------------------------

    def entry(self, old: Entry, new: Entry) -> _Notes:
        notes = _Notes()
        self._status(old, new, notes)
        for name in ("title", "summary"):
            before, after = getattr(old, name), getattr(new, name)
            if before != after:
                label = self.t[name]
                notes.add(
                    self.d["field"].format(label=label, new=after, old=before),
                    Row(label, before, after),
                )
        if old.owner != new.owner:
            before, after = self.role(old.owner), self.role(new.owner)
            notes.add(
                self.d["field"].format(label=self.t["owner"], new=after, old=before),
                Row(self.t["owner"], before, after),
                loosens=True,
            )
        if old.kind == new.kind:
            compare: Any = getattr(self, BY_NAME[new.kind].compare)
            compare(old, new, notes)
        return notes

    def _status(self, old: Entry, new: Entry, notes: _Notes) -> None:
        if old.status == new.status:
            return
        if new.status == "retired":
            successor = new.successor and next(
                (e.title for e in self.new.entries if e.id == new.successor), new.successor
            )
            text = (
                self.d["retired_for"].format(successor=successor)
                if successor
                else self.d["retired"]
            )
            notes.add(text, self._status_row(old, new), loosens=True)
        elif old.status == "retired":
            notes.add(self.d["reactivated"], self._status_row(old, new))

    def _status_row(self, old: Entry, new: Entry) -> Row:
        names = self.d["statuses"]
        return Row(self.d["status"], names[old.status], names[new.status])

    def _non_negotiable(self, old: Entry, new: Entry, notes: _Notes) -> None:
        if not (isinstance(old, NonNegotiable) and isinstance(new, NonNegotiable)):
            return
        if old.rule != new.rule:
            notes.add(
                self.d["rule"].format(new=new.rule, old=old.rule),
                Row(self.t["rule"], old.rule, new.rule),
                loosens=True,
            )
        if old.on_breach != new.on_breach:
            notes.add(
                self.d["field"].format(
                    label=self.t["on_breach"], new=new.on_breach, old=old.on_breach
                ),
                Row(self.t["on_breach"], old.on_breach, new.on_breach),
                loosens=True,
            )
        gone = [r for r in old.applies_to if r not in new.applies_to]
        came = [r for r in new.applies_to if r not in old.applies_to]
        if came:
            notes.add(self.d["applies_added"].format(roles=self.roles(came)))
        if gone:
            notes.add(self.d["applies_removed"].format(roles=self.roles(gone)), loosens=True)

    def _flexible_zone(self, old: Entry, new: Entry, notes: _Notes) -> None:
        if not (isinstance(old, FlexibleZone) and isinstance(new, FlexibleZone)):
            return
        for text in new.freedoms:
            if text not in old.freedoms:
                notes.add(self.d["freedom_added"].format(text=text), loosens=True)
        for text in old.freedoms:
            if text not in new.freedoms:
                notes.add(self.d["freedom_removed"].format(text=text))
        titles = {e.id: e.title for model in (self.old, self.new) for e in model.entries}
        for ref in new.bounded_by:
            if ref not in old.bounded_by:
                notes.add(self.d["bound_added"].format(title=titles.get(ref, ref)))
        for ref in old.bounded_by:
            if ref not in new.bounded_by:
                notes.add(self.d["bound_removed"].format(title=titles.get(ref, ref)), loosens=True)

    def _escalation_path(self, old: Entry, new: Entry, notes: _Notes) -> None:
        if not (isinstance(old, EscalationPath) and isinstance(new, EscalationPath)):
            return
        fmt = self.fmt
        if len(old.bands) != len(new.bands):
            before = "; ".join(
                f"{fmt.band_range(b, old.quantity)}: {self.role(b.decider)}" for b in old.bands
            )
            after = "; ".join(
                f"{fmt.band_range(b, new.quantity)}: {self.role(b.decider)}" for b in new.bands
            )
            notes.add(
                self.d["bands_count"].format(new=len(new.bands), old=len(old.bands)),
                Row(self.t["bands"], before, after),
                loosens=True,
            )
            return
        for index, (a, b) in enumerate(zip(old.bands, new.bands, strict=True)):
            aspect = f"{self.t['bands']} {index + 1}"
            range_a, range_b = fmt.band_range(a, old.quantity), fmt.band_range(b, new.quantity)
            if a.up_to != b.up_to:
                raised = b.up_to is None or (a.up_to is not None and b.up_to > a.up_to)
                notes.add(
                    self.d["threshold"].format(
                        decider=self.role(b.decider), new=range_b, old=range_a
                    ),
                    Row(aspect, range_a, range_b),
                    loosens=raised,
                )
            if a.decider != b.decider:
                before, after = self.role(a.decider), self.role(b.decider)
                notes.add(
                    self.d["decider"].format(range=range_b, new=after, old=before),
                    Row(f"{aspect}: {self.t['decider']}", before, after),
                    loosens=True,
                )
            if a.response_time_hours != b.response_time_hours:
                before, after = fmt.hours(a.response_time_hours), fmt.hours(b.response_time_hours)
                notes.add(
                    self.d["response"].format(range=range_b, new=after, old=before),
                    Row(f"{aspect}: {self.t['response_time']}", before, after),
                )
            for name in ("consult", "inform"):
                before_ids, after_ids = getattr(a, name), getattr(b, name)
                if set(before_ids) != set(after_ids):
                    before, after = self.roles(before_ids), self.roles(after_ids)
                    notes.add(
                        self.d[name].format(range=range_b, new=after, old=before),
                        Row(f"{aspect}: {self.t[name]}", before, after),
                        loosens=name == "consult" and bool(set(before_ids) - set(after_ids)),
                    )

    def _qualification_rule(self, old: Entry, new: Entry, notes: _Notes) -> None:
        if not (isinstance(old, QualificationRule) and isinstance(new, QualificationRule)):
            return
        t = self.t
        before = {c.id: c for c in old.criteria}
        after = {c.id: c for c in new.criteria}

        def kind_of(required: bool) -> str:
            return t["required"] if required else t["optional"]

        for cid, c in after.items():
            if cid not in before:
                notes.add(
                    self.d["criterion_added"].format(
                        question=c.question, required=kind_of(c.required)
                    )
                )
        for cid, c in before.items():
            if cid not in after:
                notes.add(
                    self.d["criterion_removed"].format(
                        question=c.question, required=kind_of(c.required)
                    ),
                    loosens=c.required,
                )
            elif after[cid].required != c.required:
                notes.add(
                    self.d["criterion_required"].format(
                        question=c.question,
                        new=kind_of(after[cid].required),
                        old=kind_of(c.required),
                    ),
                    loosens=c.required,
                )
        if old.optional_min != new.optional_min:
            notes.add(
                self.d["optional_min"].format(new=new.optional_min, old=old.optional_min),
                Row(t["criteria"], str(old.optional_min), str(new.optional_min)),
                loosens=new.optional_min < old.optional_min,
            )

    def _underperformance(self, old: Entry, new: Entry, notes: _Notes) -> None:
        if not (isinstance(old, Underperformance) and isinstance(new, Underperformance)):
            return
        before = {tr.id: tr for tr in old.triggers}
        after = {tr.id: tr for tr in new.triggers}
        for tid, tr in after.items():
            if tid not in before:
                notes.add(self.d["trigger_added"].format(description=tr.description))
            elif (before[tid].threshold, before[tid].unit) != (tr.threshold, tr.unit):
                a = self.fmt.amount(before[tid].threshold, before[tid].unit)
                b = self.fmt.amount(tr.threshold, tr.unit)
                notes.add(
                    self.d["trigger"].format(metric=tr.metric, new=b, old=a),
                    Row(tr.metric, a, b),
                    loosens=True,
                )
        for tid, tr in before.items():
            if tid not in after:
                notes.add(
                    self.d["trigger_removed"].format(description=tr.description), loosens=True
                )


def compare(old: Playbook, new: Playbook) -> list[EntryChange]:
    """What changed between two validated playbooks, entry by entry."""
    return _Compare(old, new).changes()


# --- output --------------------------------------------------------------------------------


def _approval(change: EntryChange, d: dict[str, Any]) -> str:
    return d["approval"].format(owner=change.owner) if change.needs_approval else ""


def format_text(changes: Sequence[EntryChange], language: str) -> str:
    d = labels(language)["diff"]
    if not changes:
        return d["none"]
    marks = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
    lines: list[str] = []
    for c in changes:
        flag = f"  [{_approval(c, d)}]" if c.needs_approval else ""
        lines.append(f"{marks[c.change]} {c.title} ({c.file}){flag}")
        lines += [f"    {sentence}" for sentence in c.sentences]
    return terminal_safe("\n".join(lines))


def _cell(text: str) -> str:
    return table_cell(text)


def format_markdown(changes: Sequence[EntryChange], language: str) -> str:
    d = labels(language)["diff"]
    out = [f"## {d['heading']}", ""]
    if not changes:
        return "\n".join([*out, d["none"], ""])
    for c in changes:
        flag = f" · **{_approval(c, d)}**" if c.needs_approval else ""
        out += [f"### {c.title}{flag}", "", f"`{c.file}`", ""]
        out += [f"- {sentence}" for sentence in c.sentences]
        if c.rows:
            out += ["", f"| {d['aspect']} | {d['before']} | {d['after']} |", "|---|---|---|"]
            out += [f"| {_cell(r.aspect)} | {_cell(r.before)} | {_cell(r.after)} |" for r in c.rows]
        out.append("")
    return "\n".join(out)


def format_json(changes: Sequence[EntryChange]) -> str:
    return json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2)


def sentences(changes: Sequence[EntryChange]) -> Iterator[tuple[EntryChange, str]]:
    for change in changes:
        for sentence in change.sentences:
            yield change, sentence
