"""Browsers reload when the preview changed: a build counter and a script that asks it.

Every HTML page the preview serves loads `/.playbook/reload.js` (a file of the same
origin, so a site's Content-Security-Policy that allows its own scripts allows it; no
inline script), with the build it shows in `data-build`. The script asks
`/.playbook/reload?since=BUILD&page=PATH`, which waits until a later build is there (or
`WAIT_SECONDS` passed) and answers the current build; a later one reloads the page. The
counter starts at the clock (milliseconds), so a page left open while the preview was
restarted reloads too.
"""

from __future__ import annotations

import re
import threading
import time

from ..resources import template_dir

SCRIPT_PATH = "/.playbook/reload.js"
ASK_PATH = "/.playbook/reload"
WAIT_SECONDS = 30.0  # how long a question waits for a new build before it is answered

_BODY_END = re.compile(rb"</body\s*>", re.I)


class Builds:
    """The build counter browsers wait on."""

    def __init__(self) -> None:
        self.current = time.time_ns() // 1_000_000
        self.changed = threading.Condition()
        self.closed = False

    def next(self) -> None:
        """A new build is there: the browsers waiting reload."""
        with self.changed:
            self.current = max(self.current + 1, time.time_ns() // 1_000_000)
            self.changed.notify_all()

    def after(self, since: int, timeout: float = WAIT_SECONDS) -> int:
        """The current build, once it is later than `since` (or `timeout` passed)."""
        with self.changed:
            self.changed.wait_for(lambda: self.current > since or self.closed, timeout)
            return self.current

    def close(self) -> None:
        """Answer every browser waiting (the preview stops)."""
        with self.changed:
            self.closed = True
            self.changed.notify_all()


def script() -> bytes:
    return (template_dir() / "preview" / "reload.js").read_bytes()


def with_script(page: bytes, build: int) -> bytes:
    """The page, loading the reload script before its (last) `</body>`."""
    tag = f'<script src="{SCRIPT_PATH}" data-build="{build}"></script>'.encode()
    ends = list(_BODY_END.finditer(page))
    at = ends[-1].start() if ends else len(page)
    return page[:at] + tag + page[at:]
