"""The seam to MkDocs: the generated project is built the way `mkdocs build` builds one.

`load_config`, the plugins' `on_startup`, `build`, and their `on_shutdown` whatever
happens. Our part plugs in through MkDocs' own means: a plugin dates the build (so
equal sources give equal sites, without touching the environment), and a logging
handler on MkDocs' logger collects its warnings while the build runs; any warning fails
the build (strict mode) and travels back as text for the pipeline to place.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from ..errors import Failure


class BuildFailed(Failure):
    """Raised when MkDocs stops; `messages` holds its warnings and errors, in order. The
    build traces them back to the sources (`source/links.py`)."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = messages
        super().__init__("\n".join(messages))


class NoOptions(Config):
    """The options of a plugin that has none."""


class BuildDate(BasePlugin[NoOptions]):
    """Dates the build: every page's `update_date` (the sitemap's `lastmod`, the
    timestamp in sitemap.xml.gz) and `build_date_utc` in template contexts.

    MkDocs itself takes these from the clock or SOURCE_DATE_EPOCH; we know the date
    from the sources.
    """

    def __init__(self, epoch: int) -> None:
        self.moment = dt.datetime.fromtimestamp(epoch, dt.UTC)

    def on_pre_page(self, page: Page, **_: Any) -> Page:
        page.update_date = self.moment.strftime("%Y-%m-%d")
        return page

    def on_template_context(self, context: TemplateContext, **_: Any) -> TemplateContext:
        context["build_date_utc"] = self.moment
        return context

    def on_page_context(self, context: TemplateContext, **_: Any) -> TemplateContext:
        context["build_date_utc"] = self.moment
        return context


class _Collect(logging.Handler):
    """The warnings of one thread (the live preview's server logs from others)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextmanager
def collected_warnings() -> Iterator[list[str]]:
    """MkDocs' warnings and errors while the block runs in this thread (they still reach
    other handlers)."""
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        yield collect.messages
    finally:
        logger.removeHandler(collect)


def configure(config: Mapping[str, Any], config_file: Path, **overrides: Any) -> MkDocsConfig:
    """Our generated configuration, loaded by MkDocs (validated, plugins instantiated).

    `config_file` is where it is (or will be) written: MkDocs resolves relative paths
    against it.
    """
    text = io.StringIO(json.dumps(config, ensure_ascii=False))
    loaded = load_config(text, config_file_path=str(config_file), **overrides)
    return loaded


def build(config: Mapping[str, Any], config_file: Path, epoch: int) -> None:
    """Build the site `config` describes, dated `epoch`; any MkDocs warning fails it."""
    with collected_warnings() as messages:
        try:
            mkdocs_config = configure(config, config_file, strict=True)
            mkdocs_config.plugins["playbook/build-date"] = BuildDate(epoch)
            mkdocs_config.plugins.on_startup(command="build", dirty=False)
            try:
                mkdocs_build(mkdocs_config)
            finally:
                mkdocs_config.plugins.on_shutdown()
        except (MkDocsException, SystemExit) as error:
            raise BuildFailed(list(messages) or [str(error)]) from error
    portable_404(Path(mkdocs_config.site_dir), urlsplit(mkdocs_config.site_url or "/").path)


def portable_404(site_dir: Path, base: str) -> None:
    """Make `404.html` work from disk as well as from any depth on a server.

    MkDocs writes it with paths from the server's root (`/assets/…`), so that it works
    for a missing page at any depth; from `file://` those paths point nowhere. The paths
    become relative to the site's root, and on a server a `<base>` set before anything
    loads points them at the site's root again.
    """
    page = site_dir / "404.html"
    if not page.is_file() or not base.startswith("/"):
        return
    html = page.read_text("utf-8")
    for attribute in ("href", "src"):
        html = html.replace(f'{attribute}="{base}', f'{attribute}="./')
    base_tag = json.dumps(f'<base href="{escape(base)}">')
    script = f'<script>if(location.protocol!=="file:")document.write({base_tag})</script>'
    html = html.replace("<head>", f"<head>{script}", 1)
    page.write_text(html, encoding="utf-8")
