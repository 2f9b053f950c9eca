"""The meaning of a change: two playbooks compared entry by entry, in plain sentences.

The walk is the same for every kind: entries are matched by id, then renames are found
(declared in `previous_ids`, else the same kind under the same title or a like summary);
each matched pair gets its status, title, summary and owner said here, its kind's own
sentences from its comparator (`changes/comparators.py`, which returns the fields it has
covered), and every other field from the generic comparison (`changes/fields.py`), so the
diff is complete by construction. `playbook.yml`, the glossary, the onboarding and each
team's overlay are compared as well, each as one change of its file.

Which changes need the owner's approval is the table in `changes/policy.py`; how changes
are printed is `changes/formats.py`.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import overlay
from ..model.kinds import ENTRY_KINDS
from ..model.owners import file_owner
from ..model.playbook import (
    Band,
    Entry,
    EscalationPath,
    FileOwners,
    Level,
    LevelBands,
    NonNegotiable,
    Playbook,
    Team,
    Tightening,
)
from ..text import labels
from .comparators import COMPARATORS
from .fields import Comparison
from .notes import Notes, Row
from .policy import Verdict

FILES = {"playbook": "playbook.yml", "glossary": "glossary.yml", "onboarding": "onboarding.yml"}
TEAM = "team"  # a team's overlay (`teams/<team>.yml`): its changes, as one change of its file
ORDER = (*ENTRY_KINDS, TEAM, *FILES)
# Not compared in `playbook.yml`: what a view of the playbook is (cards --level, --team), and
# the teams, each compared as a change of its own file.
VIEW = ("level", "teams")


@dataclass(frozen=True)
class EntryChange:
    """One change as reported: of an entry, or of a whole file (`playbook.yml`, a team's)."""

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
    # the weightiest verdict (changes/policy.py): loosening, review, wording, tightening or ""
    approval: str = ""
    verdicts: tuple[str, ...] = ()  # each sentence's verdict, in the order of `sentences`
    handles: tuple[str, ...] = ()  # the approving role's review handles (CODEOWNERS)
    levels: tuple[str, ...] = ()  # the names of the levels it changes for; () for everyone
    all_levels: int = 0  # how many levels its role has (0: it does not vary by level)
    teams: tuple[tuple[str, bool], ...] = ()  # each team that tightens it: (name, changes too)
    level_ids: tuple[str, ...] = ()  # the ids of `levels`
    roles: tuple[str, ...] = ()  # the roles it concerns (who decides, acts, is asked); () all
    unchanged_for: tuple[str, ...] = ()  # ids of the teams whose own version stays as it was

    @property
    def weighed(self) -> tuple[str, ...]:
        """The sentences with a verdict: what changes for someone (not an example or a case)."""
        return tuple(s for s, v in zip(self.sentences, self.verdicts, strict=False) if v)


def _rebased(value: Any, start: float) -> Any:
    """Bands (or each level's bands) with the first band starting at `start`."""
    if isinstance(value, tuple) and all(isinstance(v, Band) for v in value) and value:
        return tuple(dataclasses.replace(b, lower=start) if b.above is None else b for b in value)
    if isinstance(value, tuple) and all(isinstance(v, LevelBands) for v in value) and value:
        return tuple(dataclasses.replace(lb, bands=_rebased(lb.bands, start)) for lb in value)
    return value


def concerns(model: Playbook, entry: Entry) -> tuple[str, ...]:
    """The roles an entry concerns, for "Was ist neu für mich": who decides, is consulted
    or informed on a path, whom a rule applies to; reps for zones, qualification and
    underperformance (and the steps' owners). Sorted role ids."""
    found: set[str] = set()
    if isinstance(entry, EscalationPath):
        for bands in (entry.bands, *(lb.bands for lb in entry.by_level)):
            for band in bands:
                found |= {band.decider, *band.consult, *band.inform}
    elif isinstance(entry, NonNegotiable):
        found |= set(entry.applies_to)
    else:
        found.add(model.rep_role)
        found |= {step.owner for step in getattr(entry, "steps", ()) if hasattr(step, "owner")}
    return tuple(sorted(found))


def compare(old: Playbook, new: Playbook, language: str | None = None) -> list[EntryChange]:
    """What changed between two validated playbooks: entries, settings, glossary, onboarding;
    said in `language` (the new playbook's, unless given: the command line speaks English)."""
    return _Walk(old, new, language=language).changes()


def loosening_sentences(
    old: Playbook, new: Playbook, entry: Entry, language: str | None = None
) -> list[str]:
    """What the policy calls a loosening in `entry` of `new` against `old`, in words.

    For overlays: a team keeps the organisation's texts or leaves them out, so a text
    that looks like one of them reworded is a new one (a freedom the organisation does
    not grant), not a change of wording."""
    walk = _Walk(old, new, reword=False, language=language)
    return walk.entry(old.entry(entry.id), new.entry(entry.id)).loosening


def unchanged_file(
    old: Playbook, new: Playbook, file: str, where: str, language: str | None = None
) -> EntryChange:
    """A change of a file the diff found nothing in (its prose contradicts the bands now,
    through a change elsewhere): who approves it and how it is called. `file` is relative
    to the playbook folder `where` of `new`."""
    walk = _Walk(old, new, language=language)
    entry = next(
        (e for e in new.entries if Path(e.file).resolve() == Path(where, file).resolve()), None
    )
    if entry is not None:
        return walk._change("changed", entry, None, Notes())
    kind = next((k for k, name in FILES.items() if name == file), "playbook")
    owner = walk._owner(kind)
    return EntryChange(
        "changed", kind, file, None, str(walk.d["files"][kind]), file, walk.role(owner),
        False, (), (), "", (), walk.handles(owner),
    )  # fmt: skip


def contradicted(
    changes: list[EntryChange],
    texts: dict[str, list[str]],
    language: str,
    blank: Callable[[str], EntryChange] | None = None,
) -> list[EntryChange]:
    """The changes, those of a file whose prose now contradicts the bands (`texts`: by file,
    the words at fault, from the drift check) with a sentence saying so: to review. A file
    with no change of its own gets one (`blank(file)`), so nothing goes unseen."""
    d = labels(language)["diff"]
    result = []
    if blank is not None:
        changed = {c.file for c in changes}
        changes = [*changes, *(blank(file) for file in texts if file not in changed)]
    for change in changes:
        found = texts.get(change.file, [])
        if not found:
            result.append(change)
            continue
        verdict = max(Verdict(change.approval), Verdict.REVIEW, key=lambda v: v.weight)
        said = tuple(str(d["contradicts"].format(text=text)) for text in found)
        result.append(
            dataclasses.replace(
                change,
                sentences=(*change.sentences, *said),
                verdicts=(*change.verdicts, *(Verdict.REVIEW.value for _ in said)),
                approval=verdict.value,
                needs_approval=True,
            )
        )
    return result


def needs(change: EntryChange, fail_on: str) -> bool:
    """Whether `playbook diff --fail-on` fails for this change: `loosening`, `any-approval`."""
    if fail_on == "loosening":
        return change.approval == Verdict.LOOSENING.value
    return change.needs_approval


class _Walk(Comparison):
    """The walk over two playbooks: entries, shared files, team overlays."""

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
            notes = Notes()
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
                notes = Notes()
                notes.add(
                    self.d["added"].format(kind=self.kind(entry), title=entry.title),
                    verdict=self.judge("entry", "added"),
                )
                result.append(self._change("added", entry, None, notes))
        for entry in removed:
            if id(entry) not in renamed:
                self.kind_name = entry.kind
                notes = Notes()
                notes.add(
                    self.d["removed"].format(kind=self.kind(entry), title=entry.title),
                    verdict=self.judge("entry", "removed"),
                )
                result.append(self._change("removed", entry, None, notes))
        result += self._files()
        result += self._teams()
        return sorted(result, key=lambda c: (ORDER.index(c.kind), c.title.lower(), c.id))

    def _approver(self, change: str, entry: Entry, old_id: str | None) -> str | None:
        """Who approves a change: the entry's owner before it (a pull request cannot name its
        own approver, neither by a new `owner:` nor by a new role); for a new entry, the
        owner of the playbook before the change."""
        if change == "added":
            return file_owner(self.old, "playbook") or file_owner(self.new, "playbook")
        before = self.old.find(old_id or entry.id)
        return before.owner if before is not None else entry.owner

    def _change(self, change: str, entry: Entry, old_id: str | None, notes: Notes) -> EntryChange:
        teams = self._team_changes(entry) if change == "changed" else ()
        names = {t.id: t.name for t in self.new.teams}
        approver = self._approver(change, entry, old_id)
        return EntryChange(
            change,
            entry.kind,
            entry.id,
            old_id,
            entry.title,
            entry.file,
            self.role(approver),
            notes.verdict.needs_approval,
            tuple(notes.sentences),
            tuple(notes.rows),
            notes.verdict.value,
            tuple(v.value for v in notes.verdicts),
            self.handles(approver),
            tuple(notes.levels),
            notes.ladder,
            tuple((names[team], changes) for team, changes in teams),
            tuple(notes.level_ids),
            concerns(self.new, entry),
            tuple(team for team, changes in teams if not changes),
        )

    def handles(self, role_id: str | None) -> tuple[str, ...]:
        """Who reviews for a role: its handles before the change only (a pull request cannot
        name its own reviewers; a role without handles then has no one, and the gate waits)."""
        role = next((r for r in self.old.roles if r.id == role_id), None)
        return role.handles if role is not None else ()

    def _team_changes(self, entry: Entry) -> tuple[tuple[str, bool], ...]:
        """Each team that tightens `entry`, by id: whether its own version changes too."""
        lines = []
        for team in self.new.teams:
            if not any(t.entry == entry.id for t in team.tightenings):
                continue
            before = overlay.apply(self.old, team.id).find(entry.id)
            after = overlay.apply(self.new, team.id).find(entry.id)
            if before is None or after is None:
                continue
            walk = _Walk(self.old, self.new, reword=self.reword)
            walk.renamed = self.renamed
            said = walk.entry(before, after).verdicts  # examples and cases do not count
            lines.append((team.id, any(v is not Verdict.NONE for v in said)))
        self.kind_name = entry.kind
        return tuple(lines)

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

    def _owners(self, notes: Notes) -> None:
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

    def _level_order(self, notes: Notes) -> None:
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
        found: list[tuple[str, str, Notes]] = []
        self.kind_name = "playbook"
        notes = Notes()
        self.fields(old, new, notes, skip=("entries", "terms", "onboarding", "owners", *VIEW))
        self._level_order(notes)
        self._owners(notes)
        found.append(("playbook", "changed", notes))
        self.kind_name = "glossary"
        notes = Notes()
        self.items(Playbook, "terms", old.terms, new.terms, notes, "")
        found.append(("glossary", "changed", notes))
        self.kind_name = "onboarding"
        notes = Notes()
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
                notes.verdict.needs_approval,
                tuple(notes.sentences),
                tuple(notes.rows),
                notes.verdict.value,
                tuple(v.value for v in notes.verdicts),
                self.handles(self._owner(kind)),
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
            notes = Notes()
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

    def _followed(self, team: Team) -> Team:
        """The old `team` as its file reads over the new organisation: its tightenings under
        the new ids of the entries renamed, and its first bands starting where the path's
        range now starts (a band's start is read from the organisation's `minimum`, so an
        unchanged team file would otherwise seem changed when only the minimum did)."""
        moved = []
        for tightening in team.tightenings:
            entry_id = self.renamed.get(tightening.entry, tightening.entry)
            path = self.new.find(entry_id)
            fields = tightening.fields
            if isinstance(path, EscalationPath):
                start = path.quantity.minimum
                fields = tuple((k, _rebased(v, start)) for k, v in fields)
            moved.append(dataclasses.replace(tightening, entry=entry_id, fields=fields))
        return dataclasses.replace(team, tightenings=tuple(moved))

    def _team(self, old: Team, new: Team, notes: Notes) -> None:
        self.fields(old, new, notes, skip=("tightenings", "non_negotiables"))
        label = self.label(Team, "tightenings")
        was = {self.renamed.get(t.entry, t.entry): t for t in old.tightenings}
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
        old = self._followed(old)  # a renamed entry's tightening is the same tightening
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
                sub, event = Notes(), "added" if a_entry is None else "removed"
                self.kind_name = entry.kind
                sub.add(
                    self.d[event].format(kind=self.kind(entry), title=entry.title),
                    verdict=self.judge("entry", event),
                )
                notes.extend(sub)
        self.kind_name = TEAM

    def _team_change(self, change: str, team: Team, old: Team, notes: Notes) -> EntryChange:
        name = team.file.replace("\\", "/").rsplit("/", 1)[-1]
        return EntryChange(
            change,
            TEAM,
            name,
            None,
            str(self.d["team_title"].format(name=team.name)),
            team.file,
            self.role(old.owner),  # the owner before: a change cannot name its own approver
            notes.verdict.needs_approval,
            tuple(notes.sentences),
            tuple(notes.rows),
            notes.verdict.value,
            tuple(v.value for v in notes.verdicts),
            self.handles(old.owner),
        )

    # --- one entry ---------------------------------------------------------------------

    def entry(self, old: Entry, new: Entry) -> Notes:
        self.kind_name = new.kind
        notes = Notes()
        self._status(old, new, notes)
        for name in ("title", "summary"):
            before, after = self.moved_text(getattr(old, name)), getattr(new, name)
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
            handled |= COMPARATORS[new.kind](self, old, new, notes)
        self.fields(old, new, notes, skip=handled)
        return notes

    def _status(self, old: Entry, new: Entry, notes: Notes) -> None:
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
