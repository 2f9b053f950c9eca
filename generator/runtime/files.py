"""Reading a file that anyone may have planted: a build folder, a cache, a copy of the
schemas. No link is followed, no pipe or device waited on, no file read past a limit."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path


def read_regular(
    path: Path, limit: int, accept: Callable[[os.stat_result], bool] | None = None
) -> bytes | None:
    """The bytes of `path` if it is a regular file of at most `limit` bytes (and `accept`
    takes its status, e.g. its owner and mode); None otherwise, or if it cannot be read."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
                return None
            if accept is not None and not accept(info):
                return None
            data = file.read(limit + 1)
    except OSError:
        return None
    return data if len(data) <= limit else None
