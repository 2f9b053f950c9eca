"""Large playbooks: work split into one chunk per core, each in a forked process.

Forked children inherit everything the parent has built (compiled templates and
schemas, the model), so only the chunk's results travel back, pickled through a pipe.
The parent works on the first chunk itself. Small inputs stay in this process
(starting processes would cost more than it saves), and so does everything in a
process that runs threads.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import TypeVar, cast

T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 4


def chunks(items: Sequence[T], minimum: int) -> list[Sequence[T]]:
    """`items` in one chunk per core, or in one chunk if there are fewer than `minimum`."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    # forking a process that runs other threads (the preview server) could copy a held lock
    if workers < 2 or len(items) < minimum or threading.active_count() > 1:
        return [items]
    size = -(-len(items) // workers)
    return [items[i : i + size] for i in range(0, len(items), size)]


def over_cores(work: Callable[[Sequence[T]], R], items: Sequence[T], minimum: int) -> list[R]:
    """`work` applied to each chunk of `items`, the results in the chunks' order.

    An exception raised by `work` in a child is raised again here.
    """
    parts = chunks(items, minimum)
    if len(parts) == 1:
        return [work(items)]
    context = multiprocessing.get_context("fork")
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
