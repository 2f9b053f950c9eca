"""Changes printed: text for people, Markdown for a pull-request comment, JSON for tools.

Apart from the comparison so that a new reporter needs nothing of how changes are found;
each takes the list `changes/compare.py` returns.

Text and Markdown put the riskiest first: the changes ordered by their weightiest verdict
(loosening, review, wording, tightening, neutral), each labelled with it, after one line
that counts the verdicts and names who approves. The Markdown comment is written for an
approver who has ten seconds: each sentence once, the neutral ones (examples, cases,
titles) folded away, the levels a change is for, and for each team that tightens the
entry whether its own limit changes too.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..report import github_escape
from ..text import labels, markdown_text, terminal_safe
from .compare import EntryChange
from .policy import ORDER, Verdict

RISK = tuple(reversed(ORDER))  # loosening first


def by_risk(changes: Sequence[EntryChange]) -> list[EntryChange]:
    """The changes, the weightiest verdict first; otherwise in their order."""
    return sorted(changes, key=lambda c: RISK.index(Verdict(c.approval)))


def _approval(change: EntryChange, d: dict[str, Any]) -> str:
    if not change.needs_approval:
        return ""
    key = {Verdict.WORDING.value: "approval_wording", Verdict.REVIEW.value: "approval_review"}
    return str(d[key.get(change.approval, "approval")].format(owner=change.owner))


def _counted(changes: Sequence[EntryChange], d: dict[str, Any]) -> list[str]:
    """`2 Lockerungen`, `1 Verschärfung`, …: the sentences by verdict, the riskiest first."""
    counts = Counter(v for c in changes for v in c.verdicts)
    parts = []
    for verdict in RISK:
        n = counts.get(verdict.value, 0)
        if n and verdict is not Verdict.NONE:
            one, many = d["verdicts"][verdict.value]["one"], d["verdicts"][verdict.value]["many"]
            parts.append(f"{n} {one if n == 1 else many}")
    return parts


def _approvers(changes: Sequence[EntryChange]) -> list[tuple[str, tuple[str, ...]]]:
    """Who approves what needs it, each role once, in the order of the changes."""
    found: dict[str, tuple[str, ...]] = {}
    for c in by_risk(changes):
        if c.needs_approval and c.owner not in found:
            found[c.owner] = c.handles
    return list(found.items())


def summary_line(changes: Sequence[EntryChange], language: str) -> str:
    """The first line: the verdicts counted and who approves, as plain text."""
    d = labels(language)["diff"]
    parts = _counted(changes, d) or [str(d["nothing_to_approve"])]
    approvers = _approvers(changes)
    if approvers:
        names = ", ".join(
            f"{owner} ({' '.join(handles)})" if handles else owner for owner, handles in approvers
        )
        parts.append(f"{d['approval_by']}: {names}")
    return " \u00b7 ".join(parts)


def format_text(changes: Sequence[EntryChange], language: str) -> str:
    d = labels(language)["diff"]
    if not changes:
        return str(d["none"])
    marks = {"added": "+", "removed": "-", "renamed": ">", "changed": "~"}
    lines: list[str] = [summary_line(changes, language)]
    for c in by_risk(changes):
        flag = f"  [{_approval(c, d)}]" if c.needs_approval else ""
        lines.append(f"{marks[c.change]} {c.title} ({c.file}){flag}")
        lines += [f"    {sentence}" for sentence in c.sentences]
    return terminal_safe("\n".join(lines))


def _verdict_label(verdict: str, d: dict[str, Any]) -> str:
    return str(d["verdicts"][verdict]["label"]) if verdict else ""


def _affected(change: EntryChange, d: dict[str, Any]) -> str:
    """`Betrifft 1 von 3 Stufen: Zertifiziert`; empty where it is for everyone."""
    if not change.levels or not change.all_levels:
        return ""
    return str(
        d["affects_levels"].format(
            n=len(change.levels), of=change.all_levels, levels=", ".join(change.levels)
        )
    )


def _team_lines(change: EntryChange, d: dict[str, Any]) -> list[str]:
    return [
        str(d["team_changes" if changes else "team_caps"].format(team=team))
        for team, changes in change.teams
    ]


def _handles(handles: Sequence[str]) -> str:
    """Handles in code spans: shown, and nobody is notified by the comment."""
    return " ".join(f"`{h.replace('`', '')}`" for h in handles)


def format_markdown(changes: Sequence[EntryChange], language: str) -> str:
    d = labels(language)["diff"]
    md = markdown_text
    out = [f"## {d['heading']}", ""]
    if not changes:
        return "\n".join([*out, d["none"], ""])
    counted = _counted(changes, d) or [str(d["nothing_to_approve"])]
    approvers = _approvers(changes)
    first = f"**{md(' · '.join(counted))}**"
    if approvers:
        names = ", ".join(
            f"{md(owner)} ({_handles(handles)})" if handles else md(owner)
            for owner, handles in approvers
        )
        first += f" \u00b7 {md(str(d['approval_by']))}: {names}"
    out += [first, ""]
    for c in by_risk(changes):
        label = _verdict_label(c.approval, d)
        heading = f"{md(label)}: {md(c.title)}" if label else md(c.title)
        out += [f"### {heading}", ""]
        where = [f"`{c.file.replace('`', '')}`"]
        if c.needs_approval:
            by = f"{md(_approval(c, d))}"
            where.append(f"{by} ({_handles(c.handles)})" if c.handles else by)
        out += [" \u00b7 ".join(where), ""]
        shown = [(s, v) for s, v in zip(c.sentences, c.verdicts, strict=True) if v]
        folded = [s for s, v in zip(c.sentences, c.verdicts, strict=True) if not v]
        for sentence, verdict in shown:
            out.append(f"- **{md(_verdict_label(verdict, d))}:** {md(sentence)}")
        if shown:
            out.append("")
        if folded:
            out += [
                "<details>",
                f"<summary>{md(str(d['more'].format(n=len(folded))))}</summary>",
                "",
                *(f"- {md(sentence)}" for sentence in folded),
                "",
                "</details>",
                "",
            ]
        notes = [_affected(c, d), *_team_lines(c, d)]
        out += [f"{md(note)}  " for note in notes if note]
        if any(notes):
            out.append("")
    return "\n".join(out)


def format_json(changes: Sequence[EntryChange]) -> str:
    return json.dumps([asdict(c) for c in changes], ensure_ascii=False, indent=2)


def format_github(changes: Sequence[EntryChange], language: str) -> str:
    """GitHub Actions workflow commands: one annotation per change, on its file; a warning
    where the change waits for an approval, a notice otherwise."""
    d = labels(language)["diff"]
    lines = []
    for c in by_risk(changes):
        level = "warning" if c.needs_approval else "notice"
        label = _verdict_label(c.approval, d)
        title = f"{label}: {c.title}" if label else c.title
        body = [*c.sentences, _approval(c, d)] if c.needs_approval else list(c.sentences)
        props = f"file={github_escape(c.file, property_value=True)},line=1"
        props += f",title={github_escape(title, property_value=True)}"
        lines.append(f"::{level} {props}::{github_escape(chr(10).join(body) or title)}")
    return "\n".join(lines)
