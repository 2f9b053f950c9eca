"""The optional site engine: MkDocs, Typst and friends come with the `site` extra.

`validate`, `new`, `review`, `diff`, `codeowners` and `init` need only the core install
(what the pre-commit hook gets); `build`, `cards` and `serve` check for what they need.
"""

from __future__ import annotations

import importlib
from functools import cache

from .errors import UsageError

INSTALL = "pip install 'sales-playbook[site]'"
NEEDS = {
    "build": ("mkdocs.commands.build", "material", "nh3", "segno", "typst"),
    "cards": ("segno", "typst"),
    "board": ("typst",),
    "serve": ("mkdocs.commands.build", "material", "nh3", "segno"),
}


@cache
def site_engine(command: str) -> None:
    """Raise UsageError, saying what to install, if `command` cannot load what it needs."""
    for module in NEEDS[command]:
        try:
            importlib.import_module(module)
        except ImportError as error:
            raise UsageError(
                f"`playbook {command}` needs {error.name or module}, which comes with the "
                f"site extra: {INSTALL}"
            ) from None
