"""One writer at a time: commands that write the same output folders run one after the
other, never interleaved (two builds sharing `build/` would remove each other's work).

Each folder has a lock file in the tool's folder of the user's cache (`cache.user_folder`),
named by a hash of the folder's full path: nothing is written beside or inside the
output before the command's own checks ran. The lock is an advisory `flock`, released by
the system when the process ends, however it ends. Where locks are unavailable (no
`fcntl`, or the cache folder cannot be written), commands run unlocked, as before.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from .cache import user_folder

LOCKS = "locks"


def lock_file(folder: Path) -> Path:
    name = hashlib.sha256(str(folder.resolve()).encode("utf-8", "surrogateescape")).hexdigest()
    return user_folder() / LOCKS / f"{name[:32]}.lock"


@contextmanager
def one_at_a_time(*folders: Path, waiting: Callable[[Path], object]) -> Iterator[None]:
    """Hold the lock of every folder (in one order, so two commands never wait on each
    other); `waiting(folder)` is called once if another command holds it."""
    with ExitStack() as stack:
        for folder in sorted({f.resolve() for f in folders}):
            stack.enter_context(_locked(folder, waiting))
        yield


@contextmanager
def _locked(folder: Path, waiting: Callable[[Path], object]) -> Iterator[None]:
    try:
        import fcntl
    except ImportError:  # not on this system: unlocked
        yield
        return
    path = lock_file(folder)
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting(folder)
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock
