"""Large playbooks: work split into one chunk per core, each in a process of its own.

Where forking is safe (Linux and the other Unixes but macOS, in a process without other
threads), children are forked: they inherit everything the parent has built (compiled
templates and schemas, the model), so only the chunk's results travel back, pickled
through a pipe. Python 3.14 makes `forkserver` Linux's default, which would start each
child from scratch; forking a single-threaded process stays safe there, so it stays.
Where forking is unsafe or missing (macOS, where system libraries may not survive a
fork, and Windows), children are spawned (`spawn`): fresh interpreters that receive the
work and the chunk pickled. So `work` must be picklable: a module-level function or an
object of a module-level class (`site/render.py`'s `PageRenderer`), never a closure.

The parent works on the first chunk itself. Small inputs stay in this process
(starting processes would cost more than it saves), and so does everything in a
process that runs threads.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.context
import os
import sys
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Literal, TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 4
SPAWN_COSTS = 4  # a spawned child imports and prepares anew: worth it for 4x as much work


def start_method() -> Literal["fork", "spawn"]:
    """`fork` where it is available and safe, else `spawn` (macOS, Windows)."""
    if sys.platform in ("darwin", "win32") or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "fork"


def chunks(items: Sequence[T], minimum: int, method: str = "fork") -> list[Sequence[T]]:
    """`items` in one chunk per core, or in one chunk if there are fewer than `minimum`
    (`SPAWN_COSTS` times that where children are spawned)."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if method != "fork":
        minimum *= SPAWN_COSTS
    # forking a process that runs other threads (the preview server) could copy a held lock
    if workers < 2 or len(items) < minimum or threading.active_count() > 1:
        return [items]
    size = -(-len(items) // workers)
    return [items[i : i + size] for i in range(0, len(items), size)]


def over_cores(work: Callable[[Sequence[T]], R], items: Sequence[T], minimum: int) -> list[R]:
    """`work` applied to each chunk of `items`, the results in the chunks' order.

    An exception raised by `work` in a child is raised again here. `work` must be
    picklable (see above).
    """
    method = start_method()
    parts = chunks(items, minimum, method)
    if len(parts) == 1:
        return [work(items)]
    context: multiprocessing.context.ForkContext | multiprocessing.context.SpawnContext = (
        multiprocessing.get_context("fork")
        if method == "fork"
        else multiprocessing.get_context("spawn")
    )
    children = []
    # objects that exist before the fork are left out of the children's garbage collection:
    # scanning them would write to, and so copy, every page the children share with us
    gc.freeze()
    try:
        for part in parts[1:]:
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(work, part, send), daemon=True)
            child.start()
            send.close()
            children.append((child, receive))
    finally:
        gc.unfreeze()
    try:
        results = [work(parts[0])]
        for child, receive in children:
            results.append(cast(R, _result(child, receive)))  # what `work` returned
    finally:
        for child, _ in children:
            child.kill()  # a no-op for those that are done
            child.join()
    return results


def _result(child: multiprocessing.process.BaseProcess, receive: Connection) -> object:
    try:
        ok, value = receive.recv()
    except EOFError:
        child.join()
        raise RuntimeError(f"a worker process died (exit code {child.exitcode})") from None
    if not ok:
        raise value
    return value


def _child(work: Callable[[Sequence[T]], R], part: Sequence[T], send: Connection) -> None:
    try:
        send.send((True, work(part)))
    except BaseException as error:
        send.send((False, error))
    finally:
        send.close()
