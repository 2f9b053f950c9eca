"""Which pages of the preview browsers have open: those are rebuilt first.

Every page the preview serves carries its reload script, which keeps one question to
`/.playbook/reload` waiting (`reload.WAIT_SECONDS`, then it asks again) that names the
page; a page whose question came in the last `OPEN_SECONDS` is open.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from urllib.parse import unquote, urlsplit

OPEN_SECONDS = 45.0  # a waiting question is answered after 30 s at the latest


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

    def saw(self, page: str) -> None:
        """A browser has this page (its URL or path) open."""
        path = docs_path(urlsplit(page).path)
        if path is not None:
            with self.lock:
                self.seen[path] = self.clock()

    def now(self) -> set[str]:
        since = self.clock() - OPEN_SECONDS
        with self.lock:
            self.seen = {path: at for path, at in self.seen.items() if at >= since}
            return set(self.seen)
