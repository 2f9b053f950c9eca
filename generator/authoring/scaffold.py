"""`playbook new`: a valid, commented skeleton entry in the right folder."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import jinja2

from ..errors import Failure
from ..model.kinds import BY_FOLDER, BY_NAME, lookup
from ..model.playbook import Playbook
from ..resources import template_dir
from ..source.checks.refs import RESERVED_IDS

SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")


class ScaffoldError(Failure):
    """Raised when the entry cannot be created (bad kind or id, file exists, ...)."""

    exit_code = 2


def kind_of(name: str) -> str:
    kind = lookup(name)
    if kind is None:
        known = ", ".join(sorted(BY_FOLDER))
        raise ScaffoldError(f"unknown kind `{name}`; one of: {known}")
    return kind.name


def skeleton(model: Playbook, kind: str, entry_id: str, owner: str, today: dt.date) -> str:
    bounds = [e.id for e in model.of_kind("non_negotiable")]
    if kind == "flexible_zone" and not bounds:
        raise ScaffoldError("a flexible zone is bounded by non-negotiables: create one first")
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir() / "skeletons"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )
    return env.get_template(f"{kind}.yml.j2").render(
        schema=BY_NAME[kind].schema,
        id=entry_id,
        owner=owner,
        rep_role=model.rep_role,
        today=today.isoformat(),
        bound=bounds[0] if bounds else "",
    )


def id_problem(entry_id: str) -> str | None:
    """Why `entry_id` cannot name an entry (the schema's rule, and reserved names), or None."""
    if not SLUG.match(entry_id) or not 2 <= len(entry_id) <= 64:
        return (
            f"`{entry_id[:80]}` is not a valid id: use 2 to 64 lower-case letters, digits and "
            "single hyphens"
        )
    if entry_id in RESERVED_IDS:
        return f"`{entry_id}` is reserved; choose another id"
    return None


def target(root: Path, kind: str, entry_id: str) -> Path:
    folder = BY_NAME[kind].folder
    path = root / folder / f"{entry_id}.yml"
    problem = id_problem(entry_id)
    if problem:
        raise ScaffoldError(problem)
    if path.exists():
        raise ScaffoldError(f"{path} exists already; choose another id")
    return path
