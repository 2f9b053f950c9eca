"""`playbook serve`: a live preview that rebuilds when a source changes.

The preview looks at the playbook folder (and the organisation's mkdocs.yml with its
images) five times a second (`watch`) and serves the built site with a server of its own
(`httpd`, `app`), which reloads the browsers after each build (`reload`). On a change it
validates again, parsing only the
files whose bytes changed (`validate.Memo`), renders only the pages whose inputs changed
(`pages.Pages`), writes the docs whose text changed, removes those that are gone, and
has MkDocs rebuild only those pages (`livebuild`): first the pages open in a browser and
those of the entries edited, then the rest (every page when the title, navigation or
theme changed). A broken edit prints its problems, the last good preview stays, and
every page it serves shows them in a banner until the sources are fixed. A playbook
folder deleted or renamed away shows a banner too; restored, it is watched again
(`watch`).
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import report
from ..cards import deck, poster
from ..errors import PlaybookError
from ..report import format_text, say, shout
from ..runtime.output import mark, missing_folders
from ..site import render
from ..site.config import dump_config, mkdocs_config
from ..source.check import check
from ..source.load import display_path
from ..source.validate import Memo
from .rerender import Pages

CHUNK = 100  # pages per build while catching up: a new edit waits for one such build at most


@dataclass(frozen=True)
class Rendered:
    written: tuple[str, ...] = ()  # docs whose content changed (new ones included)
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    config_changed: bool = False  # title, navigation, theme
    own: tuple[str, ...] = ()  # the pages of the entries whose files changed

    @property
    def anything(self) -> bool:
        return bool(self.written or self.removed or self.config_changed)


@dataclass
class Preview:
    """The generated MkDocs project of the preview, kept in step with the sources."""

    root: Path
    build_dir: Path
    today: dt.date
    site_config: Path | None = None
    watched: list[Path] = field(default_factory=list)
    config: dict[str, Any] = field(default_factory=dict)
    pages: dict[str, str] = field(default_factory=dict)  # entry pages and their sources
    language: str = "en"
    memo: Memo = field(default_factory=Memo)
    rendered: Pages = field(default_factory=Pages)
    docs: dict[str, bytes] | None = None  # what docs/ holds (None: not read yet)
    files: dict[str, bytes] = field(default_factory=dict)  # docs that are no pages

    @property
    def docs_dir(self) -> Path:
        return self.build_dir / "docs"

    @property
    def config_file(self) -> Path:
        return self.build_dir / "mkdocs.yml"

    @property
    def site_dir(self) -> Path:
        return self.build_dir / "site"

    def render(self, urgent: Iterable[str] | None = None) -> Rendered:
        """Validate and render; bring docs/ and mkdocs.yml in step. Raises PlaybookError.

        With `urgent` (the pages people look at), only those and the pages of the entries
        whose files changed are rendered for now; `render_stale` renders the others.
        """
        read_before = {key: raw for key, (raw, _) in self.memo.files.items()}
        checked = check(
            self.root, self.today, preview=True, site_config=self.site_config, memo=self.memo
        )
        changed = {
            display_path(Path(key[0]))
            for key, (raw, _) in self.memo.files.items()
            if read_before.get(key) != raw
        }
        pages = render.page_files(checked.model)
        own = tuple(page for page, file in pages.items() if file in changed)
        texts = self.rendered.render(checked.model, None if urgent is None else {*own, *urgent})
        # the preview leaves out the card PDFs (slow); the pages still link to them
        self.files = {name: b"" for name in (*deck.SITE_FILE_NAMES, poster.SITE_FILE)}
        self.files.update(checked.site.docs_files())
        known = set(self.docs if self.docs is not None else self._on_disk())
        written, removed = self._in_step(texts)
        config = mkdocs_config(checked.model, self.docs_dir, self.site_dir, settings=checked.site)
        config_changed = _write_if_changed(self.config_file, dump_config(config))
        self.config, self.pages = config, pages
        self.language = checked.model.language
        self.watched = [self.root, *checked.site.watched()]
        added = tuple(path for path in written if path not in known)
        return Rendered(written, added, removed, config_changed, own)

    @property
    def stale(self) -> set[str]:
        """Pages `render` left as they were."""
        return self.rendered.stale

    def render_stale(self, paths: Iterable[str]) -> tuple[str, ...]:
        """Render these pages if they are stale; the docs written."""
        written, _ = self._in_step(self.rendered.render_stale(paths))
        return written

    def _in_step(self, texts: dict[str, str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Write the docs whose content changed, remove those that are gone."""
        docs = {path: text.encode("utf-8") for path, text in texts.items()}
        docs.update(self.files)
        before = self.docs if self.docs is not None else self._on_disk()
        written = tuple(path for path, data in docs.items() if before.get(path) != data)
        removed = tuple(sorted(set(before) - set(docs)))
        for path in written:
            _write(self.docs_dir / path, docs[path])
        for path in removed:
            (self.docs_dir / path).unlink(missing_ok=True)
        if removed:
            _remove_empty_folders(self.docs_dir)
        self.docs = docs
        return written, removed

    def _on_disk(self) -> dict[str, bytes]:
        """The docs a previous preview left (only what changed is written again)."""
        if not self.docs_dir.is_dir():
            return {}
        return {
            path.relative_to(self.docs_dir).as_posix(): path.read_bytes()
            for path in self.docs_dir.rglob("*")
            if path.is_file()
        }


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_if_changed(path: Path, content: str) -> bool:
    data = content.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    _write(path, data)
    return True


def _remove_empty_folders(folder: Path) -> None:
    for path in sorted(folder.rglob("*"), reverse=True):  # inner folders first
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()


class LiveSite:
    """The preview's site: built whole at the start, then only where the docs changed.

    Pages open in a browser and the pages of the entries just edited are built first
    (the browsers reload then); every other page that changed follows in `later` (a
    thread by default), so an edit that changes the pages of 200 entries (a title they
    all link to) or the title of the site still shows at once where people look.
    """

    def __init__(
        self,
        preview: Preview,
        url: str,
        open_pages: Callable[[], set[str]] = set,
        later: Callable[[Callable[[], None]], None] | None = None,
    ) -> None:
        from .livebuild import DirtyBuild, PreviewSearch, ThemeCache

        self.preview, self.url, self.open_pages = preview, url, open_pages
        self.later = later or _in_a_thread
        self.dirty_build, self.theme = DirtyBuild(), ThemeCache()
        self.search = PreviewSearch()  # the site's search index, after each build
        self.banner = b""  # the problems of the last broken edit, until it is fixed
        self.pending: set[str] = set()  # docs whose pages are still to build
        self.lock = threading.Lock()  # one build at a time
        self.waiting = 0  # updates waiting for the lock: catching up gives way to them
        self.finished: Callable[[], None] = lambda: None  # after the pages left are built

    def configured(self) -> Any:
        from .mkdocs_seam import configure

        config = configure(self.preview.config, self.preview.config_file)
        config.site_url = self.url
        config.plugins["playbook/dirty-build"] = self.dirty_build
        self.theme.attach(config)
        return config

    def update(self) -> str:
        """Validate, render and build what changed first; say what happened (nothing
        while the playbook folder is gone)."""
        self.waiting += 1  # only the server's build loop updates: no other thread writes it
        try:
            with self.lock:
                message, left = self._update()
        finally:
            self.waiting -= 1
        if left:
            self.later(self.finish)
        return message

    def _update(self) -> tuple[str, int]:
        from .banner import banner

        report.forget_sources()  # they changed: show their lines as they are now
        looked_at = self.open_pages()
        try:
            rendered = self.preview.render(looked_at)
        except PlaybookError as error:
            if not self.preview.root.is_dir():  # gone: `watch.FolderWatch` says so, once
                return "", 0
            self.banner = banner(error.problems, self.preview.language)
            shout(format_text(error.problems))
            return "the preview shows the last good version", 0
        self.banner = b""
        if not rendered.anything:
            return "nothing changed", 0
        docs = set(self.preview.docs or ())
        self.pending = (self.pending | set(rendered.written)) & docs
        if rendered.config_changed:  # every page shows the title, the navigation
            self.pending = docs
        first = self.pending & {*rendered.own, *rendered.added, *looked_at}
        first |= {path for path in self.pending if not path.endswith(".md")}
        self.build(first, rendered.removed)
        self.pending -= first
        left = len(self.pending | self.preview.stale)
        done = f"{left} more follow" if left else "all pages up to date"
        return f"rebuilt {len(first)} page(s) and file(s), {done}", left

    def finish(self) -> None:
        """Build the pages `update` left, a few at a time, giving way to updates; reload
        the browsers if a page open in one was among them."""
        started, built = time.perf_counter(), set()
        while True:
            while self.waiting:
                time.sleep(0.01)
            with self.lock:
                left = self.pending | self.preview.stale
                if not left:
                    return  # built by another
                chunk = set(sorted(left)[:CHUNK])
                written = self.preview.render_stale(chunk)
                built |= (chunk & self.pending) | set(written)
                self.build((chunk & self.pending) | set(written))
                self.pending -= chunk
                if self.pending | self.preview.stale:
                    continue
            say(f"all pages up to date ({time.perf_counter() - started:.2f} s)")
            if built & self.open_pages():
                self.finished()
            return

    def build(self, only: set[str] | None = None, removed: Iterable[str] = ()) -> None:
        """Build the whole site (`only` None), or only these docs' pages and files."""
        from mkdocs.commands.build import build as mkdocs_build

        from ..source import links
        from ..source.load import load_playbook
        from .livebuild import remove_outputs
        from .mkdocs_seam import collected_warnings

        remove_outputs(self.preview.site_dir, removed)
        if only is not None and not only and not removed:
            return
        self.dirty_build.only = only or set()
        config = self.configured()
        with collected_warnings() as messages:
            mkdocs_build(config, serve_url=self.url, dirty=only is not None)
        self.search.write(self.preview.site_dir, self.preview.rendered.model)
        # anything MkDocs says about a page is shown where it comes from
        messages = [m for m in messages if not m.startswith("A 'dirty' build")]
        if messages:
            preview = self.preview
            sources = load_playbook(preview.root).sources
            located = links.explain(messages, preview.pages, sources, str(preview.config_file))
            if located:
                shout(format_text(located))


def _in_a_thread(job: Callable[[], None]) -> None:
    def run() -> None:
        try:
            job()
        except Exception as error:  # a thread's traceback would reach the terminal
            shout(f"the preview could not build the remaining pages: {error}")

    threading.Thread(target=run, daemon=True).start()


def serve(
    root: Path, build_dir: Path, today: dt.date, address: str, site_config: Path | None = None
) -> None:
    """Serve the preview at `address` (host:port) until interrupted."""
    from .app import PreviewApp
    from .banner import gone
    from .guard import allowed_hosts
    from .httpd import PreviewServer
    from .watch import POLL_SECONDS, FolderWatch, Sources

    made = missing_folders(build_dir)
    preview = Preview(root, build_dir, today, site_config)
    preview.render()  # a broken playbook stops here, before anything is served
    for folder in {build_dir, *made}:  # ours: the next `serve` or `build` may replace them
        mark(folder)
    host, _, port = address.rpartition(":")
    host = host.strip("[]")  # [::1]:8000
    url = f"http://{address}/"
    app = PreviewApp(preview.site_dir, allowed_hosts(host, int(port)))
    server = PreviewServer(host, int(port), app, shout)  # a port in use stops here
    live = LiveSite(preview, url, app.browsers.now)
    live.finished = app.builds.next
    sources = Sources(lambda: preview.watched)
    folder_watch = FolderWatch(
        root,
        app.builds.next,
        sources.forget,
        lambda: gone(str(root), preview.language),
        shout,  # the folder gone: what -q must not hide
    )
    app.banner = lambda: folder_watch.banner or live.banner

    def rebuild() -> None:
        started, what = time.perf_counter(), ""
        app.rebuilding.start()
        try:
            what = live.update()
        except Exception as error:  # MkDocs failed, a file went: the last good preview stays
            if root.is_dir():  # gone: `FolderWatch` says so, once
                shout(f"the preview could not rebuild: {error}")
        finally:
            folder_watch.rebuilt()
            app.builds.next()
            app.rebuilding.done()
        if what:  # nothing while the folder is gone: `FolderWatch` says so, once
            say(f"{what} ({time.perf_counter() - started:.2f} s)")

    try:
        live.build()
        server.start()
        say(f"serving the preview of {root} on {url} (Ctrl+C stops)")
        try:
            while True:
                time.sleep(POLL_SECONDS)
                folder_watch.check()
                if sources.changed():
                    rebuild()
        except KeyboardInterrupt:
            pass
    finally:
        app.builds.close()
        server.stop()
