"""Work done by fresh interpreters: `python -P -m sales_playbook.runtime.fresh`, not copies
of this process (`parallel.over_cores(fresh=True)`).

A forked child shares its parent's memory only until either writes to it, and Python
writes all over its heap: children forked from a large build cost nearly as much memory
again (bench/: the finishing step at 5,000 entries). A fresh one starts small and loads
only what its work needs. It is started as the card engine's workers are
(`cards/worker.py`): `-P`, so nothing is imported from the folder the command runs in
(a playbook's repository may hold a `nh3.py`), and no main script is run again, as
`multiprocessing`'s spawn and fork server do.

The work and its chunk go in pickled, with the parent's `sys.path` (where the work's
module is found); what it returned, or raised, comes back pickled. Both through
temporary files: neither side waits on a full pipe while the parent works on its own
chunk.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO, Any

MODULE = "sales_playbook.runtime.fresh"


def interpreter(module: str) -> tuple[list[str], dict[str, str]]:
    """The command and environment that run `module` of this package in a new
    interpreter: the same Python and copy of the package as ours (a checkout on
    PYTHONPATH), `-P` so nothing is imported from the folder the command runs in."""
    package_parent = str(Path(__file__).absolute().parents[2])
    found = os.pathsep.join(p for p in (package_parent, os.environ.get("PYTHONPATH")) if p)
    return [sys.executable, "-P", "-m", module], {**os.environ, "PYTHONPATH": found}


class Started:
    """One fresh interpreter working on one chunk; `result` waits for it."""

    def __init__(self, work: Callable[[Sequence[Any]], Any], part: Sequence[Any]) -> None:
        # open as long as the child works: `close` (or `result`) closes them
        self._given: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._answer: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        path = [entry for entry in sys.path if entry]  # "" is the folder it runs in
        pickle.dump(path, self._given, pickle.HIGHEST_PROTOCOL)  # read before the work
        pickle.dump((work, part), self._given, pickle.HIGHEST_PROTOCOL)
        self._given.seek(0)
        command, env = interpreter(MODULE)
        self._process = subprocess.Popen(
            command, stdin=self._given, stdout=self._answer, stderr=subprocess.DEVNULL, env=env
        )

    def result(self) -> object:
        """What the work returned; what it raised is raised here."""
        code = self._process.wait()
        self._answer.seek(0)
        try:
            ok, value = pickle.load(self._answer)
        except Exception:
            raise RuntimeError(f"a worker process died (exit code {code})") from None
        finally:
            self.close()
        if not ok:
            raise value
        return value

    def close(self) -> None:
        """Stop it if it still runs; its files go."""
        self._process.kill()  # a no-op once it is done
        self._process.wait()
        self._given.close()
        self._answer.close()


def main() -> None:
    work, part = _load(sys.stdin.buffer)
    outcome: tuple[bool, object]
    try:
        outcome = (True, work(part))
    except BaseException as error:
        outcome = (False, error)
    try:
        data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # what it raised does not travel
        data = pickle.dumps((False, RuntimeError(f"{type(error).__name__}: {error}")))
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()


def _load(given: IO[bytes]) -> tuple[Callable[[Sequence[Any]], Any], Sequence[Any]]:
    """The parent's `sys.path` first (the work's module is found there), then the work."""
    unpickler = pickle.Unpickler(given)
    path = unpickler.load()
    sys.path[:0] = [entry for entry in path if entry not in sys.path]
    work, part = unpickler.load()
    return work, part


if __name__ == "__main__":
    main()
