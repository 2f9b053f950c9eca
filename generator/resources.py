"""The package's own data (schemas, templates, base MkDocs configuration).

It ships inside the package (the wheel maps the top-level `schemas/`, `site_templates/`,
which holds the base `mkdocs.yml`, and the sample `playbook/` into it) and is read through
`importlib.resources`, so the same code works from any installation and any folder.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from .errors import Failure


class MissingDataError(Failure):
    """Raised when the package was installed without its data (a broken installation)."""

    exit_code = 2


@cache
def data_root() -> Path:
    root = files(__package__ or "sales_playbook")
    if not isinstance(root, Path) or not (root / "schemas").is_dir():
        raise MissingDataError(
            f"the package data (schemas, templates) is missing under {root}; "
            "reinstall with `pip install sales-playbook` (an editable install is not supported)"
        )
    return root


def schema_dir() -> Path:
    return data_root() / "schemas"


def template_dir() -> Path:
    return data_root() / "site_templates"


def mkdocs_base() -> Path:
    return template_dir() / "mkdocs.yml"


def search_engine() -> Path:
    """The site's search engine: ranks the index (site/search_index.py) for the search box
    (assets/javascripts/search.js), in the page and in node."""
    return template_dir() / "assets" / "javascripts" / "search-engine.js"


def sample_dir() -> Path:
    """The German sample playbook (`playbook init --sample`)."""
    return data_root() / "sample"
