"""`playbook serve`: a live preview that rebuilds when a source changes.

MkDocs' live-reload server watches the playbook folder (and the organisation's
mkdocs.yml with its images). On a change our builder re-validates and re-renders
(drafts included), writes the pages whose text changed, removes the pages that are
gone, rewrites the MkDocs configuration when the title, navigation or theme changed,
and has MkDocs rebuild: only the changed pages while the set of pages and the
configuration stay the same, else the whole site. A broken edit prints its problems
and the last good preview stays.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import cards, render
from .errors import PlaybookError
from .output import mark, missing_folders
from .pipeline import check
from .report import format_text


@dataclass(frozen=True)
class Rendered:
    written: int  # pages and files whose content changed (new ones included)
    added: int
    removed: int
    config_changed: bool  # title, navigation, theme

    @property
    def whole_site(self) -> bool:
        """Whether every page must be rebuilt: the navigation or the page set changed."""
        return bool(self.added or self.removed or self.config_changed)

    @property
    def anything(self) -> bool:
        return bool(self.written or self.removed or self.config_changed)


class Preview:
    """The generated MkDocs project of the preview, kept in step with the sources."""

    def __init__(
        self, root: Path, build_dir: Path, today: dt.date, site_config: Path | None = None
    ) -> None:
        self.root, self.today, self.site_config = root, today, site_config
        self.docs_dir = build_dir / "docs"
        self.config_file = build_dir / "mkdocs.yml"
        self.site_dir = build_dir / "site"
        self.watched: list[Path] = [root]
        self.config: dict[str, Any] = {}
        self.pages: dict[str, str] = {}  # entry pages and their source files

    def render(self) -> Rendered:
        """Validate and render; bring docs/ and mkdocs.yml in step. Raises PlaybookError."""
        checked = check(self.root, self.today, preview=True, site_config=self.site_config)
        docs: dict[str, str | bytes] = {**render.render_docs(checked.model)}
        # the preview leaves out the card PDFs (slow); the pages still link to them
        docs.update({name: b"" for name in cards.SITE_FILE_NAMES})
        docs.update(checked.site.docs_files())
        config = render.mkdocs_config(
            checked.model, self.docs_dir, self.site_dir, settings=checked.site
        )
        written, added = self._write(docs)
        removed = self._remove_all_but(set(docs))
        config_changed = _write_if_changed(self.config_file, render.dump_config(config))
        self.config, self.pages = config, render.page_files(checked.model)
        self.watched = [self.root, *checked.site.watched()]
        return Rendered(written, added, removed, config_changed)

    def _write(self, docs: dict[str, str | bytes]) -> tuple[int, int]:
        written = added = 0
        for relative, content in docs.items():
            path = self.docs_dir / relative
            data = content if isinstance(content, bytes) else content.encode("utf-8")
            added += not path.exists()
            written += _write_if_changed(path, data)
        return written, added

    def _remove_all_but(self, keep: set[str]) -> int:
        """Remove generated files that are no longer part of the site (a deleted entry)."""
        removed = 0
        for path in sorted(self.docs_dir.rglob("*"), reverse=True):  # files before folders
            relative = path.relative_to(self.docs_dir).as_posix()
            if path.is_dir():
                if not any(path.iterdir()):
                    path.rmdir()
            elif relative not in keep:
                path.unlink()
                removed += 1
        return removed


def _write_if_changed(path: Path, content: str | bytes) -> bool:
    data = content if isinstance(content, bytes) else content.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return True


def _error_page(site_dir: Path, code: int) -> bytes | None:
    page = site_dir / f"{code}.html"
    return page.read_bytes() if code in (404, 500) and page.is_file() else None


def say(message: str) -> None:
    print(message, file=sys.stderr)


def serve(
    root: Path, build_dir: Path, today: dt.date, address: str, site_config: Path | None = None
) -> None:
    """Serve the preview at `address` (host:port) until interrupted."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.livereload import LiveReloadServer

    from . import links, site
    from .load import load_playbook

    made = missing_folders(build_dir)
    preview = Preview(root, build_dir, today, site_config)
    preview.render()  # a broken playbook stops here, before anything is served
    for folder in {build_dir, *made}:  # ours: the next `serve` or `build` may replace them
        mark(folder)
    host, _, port = address.rpartition(":")
    host = host.strip("[]")  # [::1]:8000
    url = f"http://{address}/"
    watching: set[Path] = set()

    def configured() -> Any:
        config = site.configure(preview.config, preview.config_file)
        config.site_url = url
        return config

    def watch() -> None:
        """Follow the sources: the playbook, the organisation's mkdocs.yml and images."""
        wanted = {path for path in preview.watched if path.exists()}
        for path in wanted - watching:
            server.watch(str(path))
        for path in watching - wanted:
            server.unwatch(str(path))
        watching.clear()
        watching.update(wanted)

    def rebuild(config: Any, whole: bool) -> None:
        with site.collected_warnings() as messages:
            mkdocs_build(config, serve_url=url, dirty=not whole)
        # anything MkDocs says about a page is shown where it comes from
        messages = [m for m in messages if not m.startswith("A 'dirty' build")]
        if not messages:
            return
        located = links.explain(
            messages, preview.pages, load_playbook(root).sources, str(preview.config_file)
        )
        if located:
            say(format_text(located))

    def builder() -> None:
        started = time.perf_counter()
        try:
            rendered = preview.render()
        except PlaybookError as error:
            say(format_text(error.problems))
            say("the preview shows the last good version")
            return
        watch()
        if rendered.anything:
            rebuild(configured(), rendered.whole_site)
        what = "the whole site" if rendered.whole_site else f"{rendered.written} changed file(s)"
        say(f"rebuilt {what} in {time.perf_counter() - started:.2f} s")

    config = configured()
    config.plugins.on_startup(command="serve", dirty=True)
    server = LiveReloadServer(builder=builder, host=host, port=int(port), root=config.site_dir)
    server.error_handler = lambda code: _error_page(Path(config.site_dir), code)
    try:
        rebuild(config, whole=True)
        watch()
        server = config.plugins.on_serve(server, config=config, builder=builder)
        say(f"serving the preview of {root} on {url} (Ctrl+C stops)")
        try:
            server.serve()
        except KeyboardInterrupt:
            pass
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
