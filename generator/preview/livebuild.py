"""MkDocs' dirty builds for the live preview, made to give what a full build gives.

A dirty build (`mkdocs build --dirty`) reads, converts and writes only some pages, which
is what makes the preview fast. MkDocs picks the files whose HTML is older than their
Markdown; `DirtyBuild.only` names them instead (what the preview wrote, whatever the
clock says, and the pages open in a browser first). A deleted page's HTML stays:
`remove_outputs` removes it. (The tags page and each page's tags are the generator's
own Markdown: a dirty build keeps them complete.)

And MkDocs makes a new Jinja environment for the theme on every build, compiling
Material's templates again and listing its 14,000 files: `ThemeCache` keeps both.
`DirtyBuild` sanitises each page before MkDocs writes it into the folder being served;
after each build `PreviewSearch` writes the site's search index again, reading only the
pages the build wrote.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath
from typing import Any

import jinja2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import Files

from ..model.playbook import Playbook
from ..site.sanitize import clean_page
from ..site.search import search_data
from ..site.search_index import SectionCache, write_search
from .mkdocs_seam import NoOptions
from .rerender import CompiledTemplates

UNMARKED = (
    "<!doctype html><title>Not a page of the playbook</title>"
    "<p>This page was not made from the playbook's Markdown, so it is not shown.</p>"
)


class DirtyBuild(BasePlugin[NoOptions]):
    """Names the pages a dirty build builds (see the module). A plugin of the preview
    only, through MkDocs' public plugin API: `playbook build` runs none of ours."""

    def __init__(self) -> None:
        self.only: set[str] = set()  # docs paths a dirty build builds (copies)

    @event_priority(-100)  # after every other plugin changed the files
    def on_post_page(self, output: str, **_: Any) -> str:
        """Each page sanitised before MkDocs writes it into the folder being served (as
        `site/finish.py` does after a build); one not made from our Markdown is refused."""
        cleaned = clean_page(output)
        return UNMARKED if cleaned is None else cleaned

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        for file in files:
            if file.src_dir == config.docs_dir:  # not the theme's files: MkDocs decides those
                wanted = file.src_uri in self.only
                file.is_modified = functools.partial(bool, wanted)  # type: ignore[method-assign]
        return files


def remove_outputs(site_dir: Path, docs_paths: Iterable[str]) -> None:
    """Remove what the build made from these docs (a `.md` page becomes `.html`)."""
    for docs_path in docs_paths:
        path = PurePosixPath(docs_path)
        output = site_dir / (path.with_suffix(".html") if path.suffix == ".md" else path)
        output.unlink(missing_ok=True)


class ThemeCache:
    """The theme's compiled templates and its list of files, kept from build to build."""

    def __init__(self) -> None:
        self.compiled = CompiledTemplates()
        self.listings: dict[tuple[Any, ...], list[str]] = {}

    def attach(self, config: MkDocsConfig) -> None:
        """Make `config`'s theme hand out environments that use this cache."""
        theme = config.theme
        make_env: Callable[[], jinja2.Environment] = theme.get_env

        @functools.wraps(make_env)
        def get_env() -> jinja2.Environment:
            env = make_env()
            env.bytecode_cache = self.compiled
            list_templates = env.list_templates
            searched = tuple(getattr(env.loader, "searchpath", ()))

            def listed(extensions: Any = None, filter_func: Any = None) -> list[str]:
                # MkDocs asks once per build, with the same filter (a new closure each time)
                key = (searched, repr(extensions), getattr(filter_func, "__code__", None))
                if key not in self.listings:
                    self.listings[key] = list_templates(extensions, filter_func)
                return list(self.listings[key])

            env.list_templates = listed  # type: ignore[method-assign]
            return env

        theme.get_env = get_env  # type: ignore[method-assign]


class PreviewSearch:
    """Our own step after each of the preview's builds, as `site/finish.py` after a
    build's (the pages are sanitised as MkDocs writes them: `DirtyBuild`): the site's
    search index written again, the search data made once per model and the pages read
    again only where the build wrote them."""

    def __init__(self) -> None:
        self.cache = SectionCache()
        self.model: Playbook | None = None
        self.data: dict[str, Any] = {}

    def write(self, site_dir: Path, model: Playbook | None) -> None:
        if model is None:
            return
        if model is not self.model:
            self.model, self.data = model, search_data(model)
        write_search(site_dir, self.data, self.cache)
