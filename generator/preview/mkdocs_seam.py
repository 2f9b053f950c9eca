"""The preview's MkDocs calls: the configuration loaded and built as `mkdocs build` does
(`site/engine.py`'s `configure` and `collected_warnings`), and, for its dirty builds
only, MkDocs' public plugin API (`livebuild.DirtyBuild`, whose options are none).
"""

from __future__ import annotations

from mkdocs.config.base import Config

from ..site.engine import collected_warnings as collected_warnings
from ..site.engine import configure as configure


class NoOptions(Config):
    """The options of a plugin that has none."""
