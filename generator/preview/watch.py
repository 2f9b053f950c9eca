"""The preview looks at its sources itself: what changed, and the playbook folder gone.

`snapshot` notes every file and folder under the source paths (the playbook folder,
the organisation's mkdocs.yml and its images) with what identifies its content: device,
inode, size, modification time. `Sources` takes one every `POLL_SECONDS`; a snapshot
unlike the last means a rebuild, once the files stay still for `QUIET_SECONDS` (an
editor, a checkout write several). Nothing is watched, so nothing is lost: a folder
deleted and restored, renamed away and back or replaced (a checkout) is simply
looked at again; a playbook folder of another inode is a change too.

`FolderWatch` notices the playbook folder gone: every page shows a banner saying so and
the terminal one line, until it is back.
"""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Callable, Iterable
from pathlib import Path

POLL_SECONDS = 0.2  # how often the sources are looked at; at 1,000 entries a look costs
# a few ms of a core
QUIET_SECONDS = 0.05  # how long the files must stay still before a rebuild
SKIPPED = frozenset({".git"})  # folders under a source that are no source

Stamp = tuple[int, int, int, int]  # device, inode, size, modification time (ns)
Snapshot = dict[str, Stamp]


def _stamp(info: os.stat_result) -> Stamp:
    return info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns


def snapshot(paths: Iterable[Path]) -> Snapshot:
    """Every file and folder under `paths` (those that are there), each with its stamp."""
    seen: Snapshot = {}
    for path in paths:
        try:
            info = path.stat()
        except OSError:
            continue
        seen[str(path)] = _stamp(info)
        if stat.S_ISDIR(info.st_mode):
            _walk(str(path), seen)
    return seen


def _walk(folder: str, seen: Snapshot) -> None:
    try:
        entries = list(os.scandir(folder))
    except OSError:  # gone meanwhile, or not readable: seen as it is
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=True)
        except OSError:
            continue
        seen[entry.path] = _stamp(info)
        if stat.S_ISDIR(info.st_mode) and not entry.is_symlink() and entry.name not in SKIPPED:
            _walk(entry.path, seen)


class Sources:
    """Tells whether the sources changed since the last look (see the module)."""

    def __init__(
        self,
        paths: Callable[[], Iterable[Path]],
        quiet: float = QUIET_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.paths, self.quiet, self.sleep = paths, quiet, sleep
        self.seen: Snapshot = snapshot(paths())

    def forget(self) -> None:
        """Take the next look as a change, whatever it finds."""
        self.seen = {}

    def changed(self) -> bool:
        """Whether anything changed; if so, waits until it stays still (the next look
        compares with then: a change during the rebuild is one more)."""
        now = snapshot(self.paths())
        if now == self.seen:
            return False
        while True:
            self.sleep(self.quiet)
            again = snapshot(self.paths())
            if again == now:
                break
            now = again
        self.seen = now
        return True


class FolderWatch:
    """Notices the playbook folder go and come back (see the module)."""

    def __init__(
        self,
        root: Path,
        show: Callable[[], None],
        rebuild: Callable[[], None],
        banner: Callable[[], bytes],
        say: Callable[[str], None],
    ) -> None:
        self.root, self.show, self.rebuild = root, show, rebuild
        self.gone_banner, self.say = banner, say
        self.gone = False  # the folder is gone, as last seen
        self.banner = b""  # shown on every page while the folder is gone

    def check(self) -> None:
        """One look: the folder gone, or back (a rebuild then, which drops the banner)."""
        if not self.root.is_dir():
            if not self.gone:
                self.gone, self.banner = True, self.gone_banner()
                self.say(
                    f"the playbook folder {self.root} is gone: the preview shows the last "
                    "version and resumes when the folder is back"
                )
                self.show()
        elif self.gone:
            self.gone = False
            self.say(f"the playbook folder {self.root} is back: watching it again")
            self.rebuild()

    def rebuilt(self) -> None:
        """After a rebuild: the banner goes if the folder is there."""
        if self.root.is_dir() and not self.gone:
            self.banner = b""
