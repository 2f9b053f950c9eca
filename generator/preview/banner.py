"""The live preview's problem banner: a broken edit shows in the browser as well.

While the sources have errors the preview keeps the last good site and puts a banner
with the problems at the top of every HTML page it serves (`app`). Its text comes from
the sources, so the template escapes all of it; it loads nothing from anywhere (the
preview works offline). While the playbook folder
is gone (deleted, renamed away) a banner says so instead (`gone`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import jinja2

from ..errors import Problem
from ..resources import template_dir
from ..text import labels

SHOWN = 20  # problems in the banner; the terminal has all of them

_BODY = re.compile(rb"<body\b[^>]*>", re.I)


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir() / "preview"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def banner(problems: Sequence[Problem], language: str) -> bytes:
    """The banner for these problems (errors first), in the site's language."""
    env = _environment()
    t = labels(language if language in ("de", "en") else "en")
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p))
    hidden = len(ordered) - SHOWN
    html = env.get_template("banner.html.j2").render(
        heading=t["preview_problems"],
        problems=ordered[:SHOWN],
        more=t["preview_more"].format(n=hidden) if hidden > 0 else "",
    )
    return html.encode("utf-8")


def gone(folder: str, language: str) -> bytes:
    """The banner while the playbook folder is gone, in the site's language."""
    t = labels(language if language in ("de", "en") else "en")
    heading, text = t["preview_gone"], t["preview_gone_text"]
    template = _environment().get_template("gone.html.j2")
    return template.render(heading=heading, folder=folder, text=text).encode("utf-8")


def into_page(page: bytes, shown: bytes) -> bytes:
    """`shown` at the start of the page's body."""
    body = _BODY.search(page)
    at = body.end() if body else 0
    return page[:at] + shown + page[at:]
