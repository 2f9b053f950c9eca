"""The optional site engine: MkDocs, WeasyPrint and friends come with the `site` extra.

`validate`, `new`, `review`, `diff`, `codeowners` and `init` need only the core install
(what the pre-commit hook gets); `build`, `cards` and `serve` check for the rest first.
"""

from __future__ import annotations

from functools import cache

from .errors import UsageError

INSTALL = "pip install 'sales-playbook[site]'"


@cache
def site_engine(command: str) -> None:
    """Raise UsageError, saying what to install, if the site engine cannot be loaded."""
    try:
        import material  # noqa: F401
        import mkdocs.commands.build  # noqa: F401
        import nh3  # noqa: F401
        import pypdf  # noqa: F401
        import segno  # noqa: F401
    except ImportError as error:
        raise UsageError(
            f"`playbook {command}` needs the site engine ({error.name} is missing): {INSTALL}"
        ) from None
    if command != "serve":
        try:
            import weasyprint  # noqa: F401
        except ImportError as error:
            raise UsageError(
                f"`playbook {command}` needs WeasyPrint for the cards ({error.name} is missing): "
                f"{INSTALL}"
            ) from None
        except OSError as error:
            raise UsageError(
                f"WeasyPrint cannot load Pango ({error}); on Debian or Ubuntu: "
                "apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core"
            ) from None
