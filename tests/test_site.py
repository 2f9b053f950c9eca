"""The seam to MkDocs: the plugin lifecycle runs, nothing global is changed."""

from __future__ import annotations

import gzip
import logging
import os
from pathlib import Path
from typing import Any

import pytest
from mkdocs.plugins import PluginCollection

from sales_playbook.commands import build as pipeline
from sales_playbook.errors import PlaybookError

from .conftest import TODAY


def test_plugins_start_up_and_shut_down(
    base_playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[tuple[Any, ...]] = []
    startup, shutdown = PluginCollection.on_startup, PluginCollection.on_shutdown

    def on_startup(self: PluginCollection, **kwargs: Any) -> None:
        calls.append(("startup", kwargs))
        startup(self, **kwargs)

    def on_shutdown(self: PluginCollection) -> None:
        calls.append(("shutdown",))
        shutdown(self)

    monkeypatch.setattr(PluginCollection, "on_startup", on_startup)
    monkeypatch.setattr(PluginCollection, "on_shutdown", on_shutdown)
    pipeline.build(base_playbook, tmp_path / "site", tmp_path / "build", TODAY, history=False)
    assert calls == [("startup", {"command": "build", "dirty": False}), ("shutdown",)]

    calls.clear()
    path = base_playbook / "non-negotiables" / "preisregel.yml"
    path.write_text(path.read_text("utf-8").replace("Marge.", "Siehe [x](#fehlt)."), "utf-8")
    with pytest.raises(PlaybookError):
        pipeline.build(base_playbook, tmp_path / "site", tmp_path / "build", TODAY)
    assert calls == [("startup", {"command": "build", "dirty": False}), ("shutdown",)]


def test_environment_and_logging_stay_as_they_were(
    base_playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    logger = logging.getLogger("mkdocs")
    before = dict(os.environ), list(logger.handlers), logger.propagate, logger.level
    pipeline.build(base_playbook, tmp_path / "site", tmp_path / "build", TODAY)
    assert (dict(os.environ), list(logger.handlers), logger.propagate, logger.level) == before


def test_source_date_epoch_still_dates_the_build(
    base_playbook: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14
    settings = base_playbook / "playbook.yml"  # public: a site with a sitemap
    settings.write_text(settings.read_text("utf-8") + "public: true\n", "utf-8")
    pipeline.build(base_playbook, tmp_path / "site", tmp_path / "build", TODAY)
    sitemap = gzip.decompress((tmp_path / "site" / "sitemap.xml.gz").read_bytes()).decode()
    assert "<lastmod>2023-11-14</lastmod>" in sitemap
    assert "<lastmod>" + TODAY.isoformat() not in sitemap
    assert os.environ["SOURCE_DATE_EPOCH"] == "1700000000"
