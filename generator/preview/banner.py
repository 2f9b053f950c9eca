"""The live preview's problem banner: a broken edit shows in the browser as well.

While the sources have errors the preview keeps the last good site and puts a banner
with the problems at the top of every HTML page it serves (a WSGI middleware around
MkDocs' server). Its text comes from the sources, so the template escapes all of it;
it loads nothing from anywhere (the preview works offline). While the playbook folder
is gone (deleted, renamed away) a banner says so instead (`gone`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import jinja2

from ..errors import Problem
from ..resources import template_dir
from ..text import labels

SHOWN = 20  # problems in the banner; the terminal has all of them

StartResponse = Callable[..., Any]
App = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]

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


def with_banner(app: App, current: Callable[[], bytes]) -> App:
    """`app`, with `current()` (the banner, or nothing) put into every HTML page."""

    def serve(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        shown = current()
        if not shown:
            return app(environ, start_response)
        answer: list[Any] = []

        def remember(status: str, headers: list[tuple[str, str]], *rest: Any) -> None:
            answer[:] = [status, headers, *rest]

        body = app(environ, remember)
        status, headers, *rest = answer
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        if not kind.startswith("text/html"):
            start_response(status, headers, *rest)
            return body
        try:
            page = into_page(b"".join(body), shown)
        finally:
            close = getattr(body, "close", None)
            if close is not None:
                close()
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        start_response(status, [*headers, ("Content-Length", str(len(page)))], *rest)
        return [page]

    return serve
