"""The preview follows the playbook folder when it is deleted and restored.

MkDocs' server watches each source path with a polling watchdog emitter, which stops
for good when its folder disappears (a checkout that removes it, `rm -rf`, a rename):
a folder restored at the same path (checkout, copy, renamed back) would never be
watched again, and no edit would show. So:

- `Watches` watches the sources from the server's build loop, and watches anew a path
  whose emitter stopped, that was replaced (another inode: an inotify watch would
  follow the old one), or that came back after a build found it missing;
- `FolderWatch` looks at the playbook folder twice a second in a thread of its own.
  While the folder is gone, every page shows a banner saying so and the terminal one
  line; when a folder is there again (or any source needs watching anew) it has the
  server rebuild (`Nudge`), which watches it anew first and then reads it.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

CHECK_SECONDS = 0.5  # how often `FolderWatch` looks at the playbook folder
ASK_AGAIN_SECONDS = 10.0  # a rebuild asked for that did not come: ask again

Identity = tuple[int, int]  # device and inode


def identity(path: Path) -> Identity | None:
    """What `path` is now (None: nothing is there)."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_dev, info.st_ino


class Watches:
    """The source paths MkDocs' server watches, each watched anew where the watch is lost.

    `follow` runs in the server's build loop only (it alone calls `watch`, `unwatch`);
    `stale` may run in any thread.
    """

    def __init__(self, server: Callable[[], Any]) -> None:
        self.server = server  # MkDocs' LiveReloadServer (a plugin's `on_serve` may swap it)
        self.watching: dict[Path, Identity] = {}  # what each path was when watched
        self.followed = 0  # how often `follow` ran

    def follow(self, paths: Iterable[Path]) -> None:
        """Watch these paths (those that exist), anew where the watch was lost."""
        wanted = {path: found for path in paths if (found := identity(path)) is not None}
        lost = set(self.stale(wanted))
        server = self.server()
        for path in [path for path in self.watching if path not in wanted or path in lost]:
            server.unwatch(str(path))
            del self.watching[path]
        for path, found in wanted.items():
            if path not in self.watching:
                server.watch(str(path))
                self.watching[path] = found
        self.followed += 1

    def stale(self, paths: Iterable[Path]) -> list[Path]:
        """Those of `paths` that are there and not watched, or watched no longer: replaced
        since, or their watcher stopped (it saw them gone)."""
        stopped = self.stopped()
        return [
            path
            for path in paths
            if (found := identity(path)) is not None
            and (self.watching.get(path) != found or os.path.abspath(path) in stopped)
        ]

    def stopped(self) -> set[str]:
        """The paths of the server's watches whose watcher stopped."""
        emitters = list(self.server().observer.emitters)  # a copy: another thread adds
        return {e.watch.raw_path for e in emitters if not e.should_keep_running()}


class Nudge:
    """Has MkDocs' server rebuild, which it offers no call for: it watches a folder of
    the preview's own, and a file in it changes."""

    def __init__(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.asked = folder, 0

    def __call__(self) -> None:
        self.asked += 1
        (self.folder / "rebuild").write_text(f"{self.asked} {time.time_ns()}\n", "utf-8")


class FolderWatch:
    """Notices the playbook folder go and come back (see the module)."""

    def __init__(
        self,
        root: Path,
        watches: Watches,
        sources: Callable[[], Iterable[Path]],
        rebuild: Callable[[], None],
        show: Callable[[], None],
        banner: Callable[[], bytes],
        say: Callable[[str], None],
    ) -> None:
        self.root, self.watches, self.sources = root, watches, sources
        self.rebuild, self.show, self.gone_banner, self.say = rebuild, show, banner, say
        self.gone = False  # the folder is gone, as last seen
        self.banner = b""  # shown on every page while the folder is gone
        self.asked: tuple[int, float] | None = None  # `followed` and time at the last nudge
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="playbook-folder", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()
        if self.thread.is_alive():
            self.thread.join(timeout=5)

    def _run(self) -> None:
        failed = False
        while not self.stopping.wait(CHECK_SECONDS):
            try:
                self.check()
                failed = False
            except Exception as error:  # a thread's traceback would reach the terminal
                if not failed:
                    self.say(f"the preview could not look at {self.root}: {error}")
                failed = True

    def check(self) -> None:
        """One look: the folder gone, back, or a source to watch anew."""
        if not self.root.is_dir():
            if not self.gone:
                self.gone, self.banner = True, self.gone_banner()
                self.say(
                    f"the playbook folder {self.root} is gone: the preview shows the last "
                    "version and resumes when the folder is back"
                )
                self.show()
            return
        if self.gone:
            self.gone = False
            self.say(f"the playbook folder {self.root} is back: watching it again")
            self._ask()
        elif self.watches.stale([self.root, *self.sources()]):
            self._ask()

    def _ask(self) -> None:
        """Ask for a rebuild, unless one asked for has not come yet (it is slow)."""
        now, followed = time.monotonic(), self.watches.followed
        if self.asked is not None:
            before, at = self.asked
            if followed == before and now - at < ASK_AGAIN_SECONDS:
                return
        self.asked = followed, now
        self.rebuild()

    def rebuilt(self) -> None:
        """After a rebuild (which watched the sources anew): the banner goes if the folder
        is there."""
        if self.root.is_dir() and not self.gone:
            self.banner = b""
