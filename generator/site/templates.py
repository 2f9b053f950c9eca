"""The Jinja2 environment the pages are rendered with, and the pages' addresses.

Strict about missing values, autoescaped; the globals and filters are what templates may
use: formatting, labels, live values per view, one-line answers, addresses.
"""

from __future__ import annotations

from typing import Any

import jinja2
from markupsafe import Markup, escape

from ..model.answers import answer_text
from ..model.kinds import ENTRY_KINDS, KINDS, kind_of, stylesheet
from ..model.levels import level_name
from ..model.playbook import (
    Playbook,
)
from ..resources import template_dir
from ..text import Text, labels, plain_markdown, table_cell
from .feed import anchor
from .variants import Live
from .views import views

FOLDER_OF_KIND = {k.name: k.folder for k in KINDS}


def entry_url(entry_or_kind: Any, entry_id: str | None = None) -> str:
    """Docs-absolute link to an entry page; the renderer makes it relative to the page
    it stands on (render.relative_links), so every engine resolves it."""
    if entry_id is None:
        return f"/{FOLDER_OF_KIND[entry_or_kind.kind]}/{entry_or_kind.id}.md"
    return f"/{FOLDER_OF_KIND[entry_or_kind]}/{entry_id}.md"


def role_url(role_id: str) -> str:
    return f"/roles/{role_id}.md"


def ui_label(text: str) -> Markup:
    """A word of the site's own (the label "Commit") kept out of the glossary's tooltips,
    which would explain the forecast category "Commit" there: its first letter written as
    a character reference, which the abbreviations never match. It reads the same."""
    if not text:
        return Markup("")
    return Markup(f"&#{ord(text[0])};") + escape(text[1:])


def environment(model: Playbook, templates: str = "pages") -> jinja2.Environment:
    """Jinja2 for one template folder: autoescaped, strict about missing values."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir() / templates),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # one environment per build: no need to stat templates per page
    )
    env.filters["cell"] = table_cell
    env.filters["label"] = ui_label  # the site's own words: no glossary tooltip
    env.filters["plain"] = plain_markdown  # commit subjects: shown as written
    live = Live(model, views(model))
    env.filters["live"] = live  # `{path}` references, per view
    env.filters["plain_live"] = live.plain  # ... as the default view shows them, as text
    env.globals["answer_of"] = lambda path: answer_text(model, path, Text(model.language))
    env.globals.update(
        pb=model,
        fmt=Text(model.language),
        t=labels(model.language),
        kinds=ENTRY_KINDS,
        folder_of=FOLDER_OF_KIND,
        entry_url=entry_url,
        role_url=role_url,
        role_name=lambda role_id: model.role(role_id).name,
        level_name=lambda level_id: level_name(model, level_id),
        entry=model.entry,
        team_name=lambda team_id: team.name if (team := model.team_named(team_id)) else team_id,
        team_rules=model.team_rules,
        kind_of=kind_of,
        kind_colours=stylesheet,
        trails={},
        commit_url=lambda commit: f"{model.repo_url}/commit/{commit}" if model.repo_url else "",
        anchor=anchor,
    )
    return env
