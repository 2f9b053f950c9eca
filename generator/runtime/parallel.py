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

A child that needs little of what the parent holds can start `fresh` instead: a new
interpreter of our own (`runtime/fresh.py`), not a copy of the parent, whose memory a
forked child soon copies as Python writes all over its heap.

The parent works on the first chunk itself. Small inputs stay in this process
(starting processes would cost more than it saves), and so does everything in a
process that runs threads.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import multiprocessing.context
import os
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from multiprocessing.connection import Connection
from typing import Generic, Literal, TypeVar, cast

from . import fresh as fresh_start

T = TypeVar("T")
R = TypeVar("R")
MAX_WORKERS = 4
SPAWN_COSTS = 4  # a spawned child imports and prepares anew: worth it for 4x as much work


def start_method() -> Literal["fork", "spawn"]:
    """`fork` where it is available and safe, else `spawn` (macOS, Windows)."""
    if sys.platform in ("darwin", "win32") or "fork" not in multiprocessing.get_all_start_methods():
        return "spawn"
    return "fork"


def other_threads() -> bool:
    """Whether this process runs other threads: forking it could copy a lock one of them
    holds, which nothing in the child would ever release. Counted by the system where it
    can (Typst's layout threads, a test runner's, the preview server's), else by Python."""
    try:
        return len(os.listdir("/proc/self/task")) > 1
    except OSError:
        return threading.active_count() > 1


def forks() -> bool:
    """Whether a child forked now would be safe: forking is this system's way, and no
    other thread runs here."""
    return start_method() == "fork" and not other_threads()


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells, as in
    a container limited to some), at least one."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def chunks(items: Sequence[T], minimum: int, method: str = "fork") -> list[Sequence[T]]:
    """`items` in one chunk per core, or in one chunk if there are fewer than `minimum`
    (`SPAWN_COSTS` times that where children are spawned)."""
    workers = min(os.cpu_count() or 1, MAX_WORKERS)
    if method != "fork":
        minimum *= SPAWN_COSTS
    if workers < 2 or len(items) < minimum or other_threads():
        return [items]
    size = -(-len(items) // workers)
    return [items[i : i + size] for i in range(0, len(items), size)]


def over_cores(
    work: Callable[[Sequence[T]], R], items: Sequence[T], minimum: int, fresh: bool = False
) -> list[R]:
    """`work` applied to each chunk of `items`, the results in the chunks' order.

    An exception raised by `work` in a child is raised again here. `work` must be
    picklable (see above). `fresh`: the children are new interpreters (`runtime/fresh.py`)
    wherever this runs, as costly to start as spawned ones.
    """
    method = start_method()
    parts = chunks(items, minimum, "spawn" if fresh else method)
    if len(parts) == 1:
        return [work(items)]
    if fresh:
        return _fresh(work, parts)
    context: multiprocessing.context.ForkContext | multiprocessing.context.SpawnContext = (
        multiprocessing.get_context("fork")
        if method == "fork"
        else multiprocessing.get_context("spawn")
    )
    children = []
    # objects that exist before the fork are left out of the garbage collection, the
    # children's and ours while they run: scanning them would write to, and so copy, every
    # page we share with forked children
    gc.freeze()
    try:
        for part in parts[1:]:
            receive, send = context.Pipe(duplex=False)
            child = context.Process(target=_child, args=(work, part, send), daemon=True)
            child.start()
            send.close()
            children.append((child, receive))
        results = [work(parts[0])]
        for child, receive in children:
            results.append(cast(R, _result(child, receive)))  # what `work` returned
    finally:
        for child, _ in children:
            child.kill()  # a no-op for those that are done
            child.join()
        gc.unfreeze()
    return results


def _fresh(work: Callable[[Sequence[T]], R], parts: list[Sequence[T]]) -> list[R]:
    """`over_cores` with fresh interpreters for all chunks but the first."""
    children: list[fresh_start.Started] = []
    try:
        for part in parts[1:]:  # one that cannot start stops those started before it
            children.append(fresh_start.Started(work, part))
        results = [work(parts[0])]
        results += [cast(R, child.result()) for child in children]
    finally:
        for child in children:
            child.close()
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


class Background(Generic[R]):
    """`work()` beside this process: in a forked child where forking is safe (another
    core: the child holds no lock with us on Python objects), else in a thread. The child
    starts from a copy of everything this process holds, so `work` may be a closure; what
    it returns, or raises, comes back pickled through a pipe.

    `result` waits for it; `cancel` stops it (a child is told to stop, so it can end the
    processes it started; then killed).
    """

    def __init__(self, work: Callable[[], R], fork: bool | None = None) -> None:
        """`fork`: True to fork whatever `forks` says (the caller asked it), False for a
        thread."""
        self._thread: ThreadPoolExecutor | None = None
        self._future: Future[R] | None = None
        self._child: multiprocessing.process.BaseProcess | None = None
        self._receive: Connection | None = None
        self._taken = False  # `result` was asked: `cancel` gives nothing more
        if not (forks() if fork is None else fork):
            self._thread = ThreadPoolExecutor(1)
            self._future = self._thread.submit(work)
            return
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        gc.freeze()  # see `over_cores`: the child's collector leaves our objects alone
        try:
            self._child = context.Process(
                target=_background, args=(work, receive, send, os.getpid()), daemon=True
            )
            self._child.start()
        finally:
            gc.unfreeze()
        send.close()
        self._receive = receive

    def result(self) -> R:
        """What `work` returned; what it raised is raised here."""
        self._taken = True
        if self._future is not None and self._thread is not None:
            try:
                return self._future.result()
            finally:
                self._thread.shutdown()  # no thread left: `over_cores` may fork again
        assert self._child is not None and self._receive is not None
        try:
            return cast(R, _result(self._child, self._receive))
        finally:
            self._child.join()
            self._receive.close()

    def cancel(self) -> R | None:
        """Stop the work (nothing to do once `result` was asked). What it returned if it
        had already finished, else None (what it raised is dropped)."""
        if self._taken:
            return None
        self._taken = True
        if self._future is not None and self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            done = self._future
            finished = done.done() and not done.cancelled() and done.exception() is None
            return done.result() if finished else None
        assert self._child is not None and self._receive is not None
        if self._receive.poll():  # finished: its answer waits (or it died)
            try:
                return self.result()
            except Exception:
                return None
        if self._child.is_alive():
            self._child.terminate()  # SIGTERM: its `finally` blocks end what it started
            self._child.join(STOP_WAIT)
            self._child.kill()
        self._child.join()
        self._receive.close()
        return None


STOP_WAIT = 5.0  # seconds a cancelled child has to end its own processes


def _background(work: Callable[[], R], receive: Connection, send: Connection, parent: int) -> None:
    stopped = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopped
        stopped = True
        raise SystemExit(1)

    signal.signal(signal.SIGTERM, stop)
    # the reading end is the parent's alone: with the parent gone, the answer cannot be
    # written (and the child ends) instead of filling the pipe and waiting forever, holding
    # what the parent held (its build lock)
    receive.close()
    _stopped_with(parent)
    outcome: tuple[bool, object]
    try:
        outcome = (True, work())
    except SystemExit as error:
        if stopped:  # told to stop: nobody waits for an answer
            raise
        outcome = (False, error)  # the work's own
    except BaseException as error:
        outcome = (False, error)
    send.send(outcome)
    send.close()


PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _stopped_with(parent: int) -> None:
    """SIGTERM to this process when `parent` ends (Linux: a killed build's children do
    not work on, holding its lock); it may have ended already."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        raise SystemExit(1)
