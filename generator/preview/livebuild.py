"""MkDocs' dirty builds for the live preview, made to give what a full build gives.

A dirty build (`mkdocs build --dirty`) reads, converts and writes only some pages, which
is what makes the preview fast. MkDocs picks the files whose HTML is older than their
Markdown; `DirtyBuild.only` names them instead (what the preview wrote, whatever the
clock says, and the pages open in a browser first). Left alone a dirty build gets three
things wrong, which `DirtyBuild` puts right:

- Material's search index holds only the pages built this time (its own fix assumes
  one page per build): the plugin keeps each page's index entries and hands Material
  the entries of every page, in a full build's order;
- the tags listing (`tags.md`) lists only the pages built this time, and a page's tags
  link to it only when it is read too: the plugin reads the other pages' front matter
  for the tags plugin when the listing is built, and the listing's when it is not;
- a deleted page's HTML stays: `remove_outputs` removes it.

And MkDocs makes a new Jinja environment for the theme on every build, compiling
Material's templates again and listing its 14,000 files: `ThemeCache` keeps both.
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
from mkdocs.structure.pages import Page
from mkdocs.utils.templates import TemplateContext

from .mkdocs_seam import NoOptions
from .rerender import CompiledTemplates

SearchEntry = dict[str, Any]
LISTING = "<!-- material/tags"  # where Material's tags plugin puts a listing


class DirtyBuild(BasePlugin[NoOptions]):
    """Keeps a dirty build's search index and tags listing complete (see the module)."""

    def __init__(self) -> None:
        self.only: set[str] = set()  # docs paths a dirty build builds (copies)
        self.index: dict[str, list[SearchEntry]] = {}  # page URL -> its search entries
        self.files: Files | None = None
        self.built: set[str] = set()  # URLs of the pages built this time
        self.read: set[str] = set()  # docs paths of the pages read this time
        self.listing = False  # whether a page read this time holds a tags listing
        self.listing_pages: set[str] = set()  # docs paths of the pages with a listing

    @event_priority(-100)  # after every other plugin changed the files
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.files, self.built, self.read, self.listing = files, set(), set(), False
        for file in files:
            if file.src_dir == config.docs_dir:  # not the theme's files: MkDocs decides those
                wanted = file.src_uri in self.only
                file.is_modified = functools.partial(bool, wanted)  # type: ignore[method-assign]
        return files

    def on_pre_page(self, page: Page, **_: Any) -> Page:
        self.read.add(page.file.src_uri)
        return page

    @event_priority(100)  # before the tags plugin (-50) takes the listing's place
    def on_page_markdown(self, markdown: str, *, page: Page, **_: Any) -> str:
        if LISTING in markdown:
            self.listing = True
            self.listing_pages.add(page.file.src_uri)
        else:
            self.listing_pages.discard(page.file.src_uri)
        return markdown

    @event_priority(200)  # before the tags plugin (100) lists the pages of each tag
    def on_env(self, env: jinja2.Environment, *, config: MkDocsConfig, files: Files) -> None:
        tags = config.plugins.get("material/tags")
        if tags is None:
            return
        for file in files.documentation_pages():
            page = file.page
            if page is None or file.src_uri in self.read:
                continue
            # a listing built lists every page; the tags of a page built link to a listing
            listing = file.src_uri in self.listing_pages
            if not (self.listing or listing):
                continue
            page.read_source(config)  # its front matter: title and tags
            assert page.markdown is not None
            tags.on_page_markdown(page.markdown, page=page, config=config, files=files)
            if listing:
                page.content = ""  # for the tags plugin to fill: the page is not built now

    def on_page_context(self, context: TemplateContext, *, page: Page, **_: Any) -> None:
        self.built.add(page.url)

    @event_priority(50)  # before Material's search plugin (0) writes the index
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        search = config.plugins.get("material/search")
        if search is None or self.files is None:
            return
        fresh: dict[str, list[SearchEntry]] = {url: [] for url in self.built}
        for entry in search.search_index.entries:
            fresh.setdefault(entry["location"].split("#", 1)[0], []).append(entry)
        order = [f.url for f in self.files.documentation_pages()]
        self.index = {url: fresh.get(url, self.index.get(url, [])) for url in order}
        search.search_index.entries = [e for url in order for e in self.index[url]]
        # Material's own fix for dirty builds keeps the index for the next build: not needed
        search.search_index_prev, search.is_dirty = None, False


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
