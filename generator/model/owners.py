"""Who owns the files that are not entries: a query over the model."""

from __future__ import annotations

from .playbook import Playbook


def file_owner(model: Playbook, kind: str) -> str | None:
    """The role that owns `playbook`, `glossary` or `onboarding`: the one `owners:` in
    playbook.yml names (the glossary and onboarding default to the playbook's owner),
    else the role owning the most entries."""
    named = getattr(model.owners, kind) or model.owners.playbook
    if named:
        return named
    owners = [e.owner for e in model.entries] or [r.id for r in model.roles]
    return max(owners, key=owners.count, default=None)
