"""Changes printed: text for people, Markdown for a pull-request comment, JSON for tools.

Apart from the comparison so that a new reporter needs nothing of how changes are found;
each takes the list `changes/compare.py` returns, in its order.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from ..text import labels, markdown_text, terminal_safe
from .compare import EntryChange
from .policy import Verdict


def _approval(change: EntryChange, d: dict[str, Any]) -> str:
    if not change.needs_approval:
        return ""
    key = {Verdict.WORDING.value: "approval_wording", Verdict.REVIEW.value: "approval_review"}
    return str(d[key.get(change.approval, "approval")].format(owner=change.owner))


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
