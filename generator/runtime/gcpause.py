"""Cyclic garbage collection paused while a stage builds many short-lived objects.

Loading and rendering create hundreds of thousands of objects (YAML nodes, spans,
template contexts) and almost no reference cycles, yet every few hundred allocations
Python looks for cycles among all of them: that search was half the time of parsing
a 1,000-entry playbook. Reference counting still frees the garbage; what cycles there
are get collected when the stage ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
