"""What the preview answers: the built site's files, with the banner and the reload
script in its pages, and the reload question (`reload`).

A request is first checked (`guard`); a file is looked up without leaving the site
(`sitefiles`). While a rebuild is under way, files wait for it (up to `BUILD_WAIT`), so
that a page is not served half built, as MkDocs' server did.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import sitefiles
from .banner import into_page
from .browsers import OpenPages
from .exchange import Request, Response, text
from .guard import refusal
from .reload import ASK_PATH, SCRIPT_PATH, Builds, script, with_script

BUILD_WAIT = 60.0  # seconds a request waits for a rebuild under way before it is served
HTML = "text/html; charset=utf-8"


@dataclass
class Rebuilding:
    """Whether a rebuild is under way; requests for files wait while one is."""

    busy: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def start(self) -> None:
        with self.changed:
            self.busy = True

    def done(self) -> None:
        with self.changed:
            self.busy = False
            self.changed.notify_all()

    def wait(self, timeout: float = BUILD_WAIT) -> None:
        with self.changed:
            self.changed.wait_for(lambda: not self.busy, timeout)


@dataclass
class PreviewApp:
    site_dir: Path
    hosts: frozenset[str]
    builds: Builds = field(default_factory=Builds)
    browsers: OpenPages = field(default_factory=OpenPages)
    banner: Callable[[], bytes] = bytes  # shown at the top of every page (b"": none)
    rebuilding: Rebuilding = field(default_factory=Rebuilding)

    def answer(self, request: Request) -> Response:
        refused = refusal(request, self.hosts)
        if refused is not None:
            return refused
        if request.path == ASK_PATH:
            return self._ask(request)
        if request.path == SCRIPT_PATH:
            return Response(200, script(), (("Content-Type", "text/javascript; charset=utf-8"),))
        self.rebuilding.wait()
        build = self.builds.current
        found = sitefiles.locate(self.site_dir, request.path)
        if isinstance(found, sitefiles.Moved):
            return Response(302, b"", (("Location", found.location),))
        data = sitefiles.read(found.path) if found is not None else None
        if found is None or data is None:
            return self._not_found(build)
        kind = sitefiles.content_type(found.path)
        if sitefiles.is_html(kind):
            data = self._shown(data, build)
        return Response(200, data, (("Content-Type", kind),))

    def _ask(self, request: Request) -> Response:
        since = request.parameter("since")
        if not since.isdigit() or len(since) > 20:
            return text(400, "Bad Request: since=BUILD (a number) expected")
        page = request.parameter("page") or request.header("referer")
        if page:
            self.browsers.saw(page)
        build = self.builds.after(int(since))
        return Response(200, str(build).encode(), (("Content-Type", "text/plain; charset=utf-8"),))

    def _not_found(self, build: int) -> Response:
        page = sitefiles.read(self.site_dir / "404.html")
        if page is None:
            return text(404, "Not Found")
        return Response(404, self._shown(page, build), (("Content-Type", HTML),))

    def _shown(self, page: bytes, build: int) -> bytes:
        shown = self.banner()
        return with_script(into_page(page, shown) if shown else page, build)
