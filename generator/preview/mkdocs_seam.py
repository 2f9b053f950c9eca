"""The preview's MkDocs calls: the configuration loaded and built as `mkdocs build` does.

Copied from site/engine.py (its `configure`, `collected_warnings` and `PlaybookSearch`),
which the build's own rewrite may change: the preview keeps to `mkdocs.config.load_config`,
`mkdocs.commands.build.build` and MkDocs' plugin API (`BasePlugin`, its events).
"""

from __future__ import annotations

import io
import json
import logging
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files

from ..resources import search_worker
from ..site.search import SEARCH_DATA


class NoOptions(Config):
    """The options of a plugin that has none."""


class PlaybookSearch(BasePlugin[NoOptions]):
    """Our search worker in place of Material's, and the playbook's search data in the
    index's `config` (as site/engine.py's plugin of the same name does for the build)."""

    def on_files(self, files: Files, **_: Any) -> Files:
        data = files.get_file_from_path(SEARCH_DATA)
        if data is not None:  # read from the docs below, not a file of the site
            files.remove(data)
        return files

    @event_priority(-50)  # Material's search plugin: 0; its offline plugin: -100
    def on_post_build(self, *, config: MkDocsConfig, **_: Any) -> None:
        site_dir = Path(config.site_dir)
        index_file = site_dir / "search" / "search_index.json"
        data_file = Path(config.docs_dir) / SEARCH_DATA
        if not index_file.is_file() or not data_file.is_file():
            return
        index = json.loads(index_file.read_text("utf-8"))
        index["config"]["playbook"] = json.loads(data_file.read_text("utf-8"))
        index_file.write_text(json.dumps(index, ensure_ascii=False), encoding="utf-8")
        scripts = sorted((site_dir / "assets" / "javascripts" / "workers").glob("search.*.js"))
        if len(scripts) != 1:
            raise PluginError(
                f"expected one search worker of Material for MkDocs, found {len(scripts)}: "
                "install the version this playbook release names (pip install sales-playbook[site])"
            )
        scripts[0].write_text(search_worker().read_text("utf-8"), encoding="utf-8")
        for source_map in site_dir.glob("assets/javascripts/workers/search.*.js.map"):
            source_map.unlink()  # Material's, for the worker no longer there


def configure(config: Mapping[str, Any], config_file: Path) -> MkDocsConfig:
    """Our generated configuration, loaded by MkDocs (validated, plugins instantiated);
    `config_file` is where it is written (MkDocs resolves relative paths against it)."""
    text = io.StringIO(json.dumps(config, ensure_ascii=False))
    loaded = load_config(text, config_file_path=str(config_file))
    loaded.plugins["playbook/search"] = PlaybookSearch()
    return loaded


class _Collect(logging.Handler):
    """The warnings of one thread (the preview's server answers in others)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.messages.append(record.getMessage())


@contextmanager
def collected_warnings() -> Iterator[list[str]]:
    """MkDocs' warnings and errors while the block runs in this thread."""
    logger = logging.getLogger("mkdocs")
    collect = _Collect()
    logger.addHandler(collect)
    try:
        yield collect.messages
    finally:
        logger.removeHandler(collect)
