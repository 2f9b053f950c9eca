"""Which pages of the preview browsers have open: those are rebuilt first.

Every page MkDocs' server sends carries its live-reload script, which keeps one request
to `/livereload/...` waiting (up to a minute, then it asks again) with the page's address
as its referer; a page whose request came in the last `OPEN_SECONDS` is open.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import unquote, urlsplit

OPEN_SECONDS = 90.0  # MkDocs' server answers a waiting request after 60 s at the latest

StartResponse = Callable[..., Any]
App = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


def docs_path(url_path: str) -> str | None:
    """The docs file a site path was built from (`x/y.html` from `x/y.md`)."""
    path = unquote(url_path).lstrip("/")
    if path == "" or path.endswith("/"):
        path += "index.html"
    return path.removesuffix(".html") + ".md" if path.endswith(".html") else None


class OpenPages:
    """The docs paths of the pages browsers have open."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.seen: dict[str, float] = {}
        self.lock = threading.Lock()

    def saw(self, referer: str) -> None:
        path = docs_path(urlsplit(referer).path)
        if path is not None:
            with self.lock:
                self.seen[path] = self.clock()

    def now(self) -> set[str]:
        since = self.clock() - OPEN_SECONDS
        with self.lock:
            self.seen = {path: at for path, at in self.seen.items() if at >= since}
            return set(self.seen)

    def watching(self, app: App) -> App:
        """`app`, noting the page behind each live-reload request."""

        def serve(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
            if environ.get("PATH_INFO", "").startswith("/livereload/"):
                self.saw(environ.get("HTTP_REFERER", ""))
            return app(environ, start_response)

        return serve
