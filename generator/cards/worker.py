"""Typst in processes of their own, a fresh one every `JOBS_PER_WORKER` groups: card data
in, laid-out groups out, then each exits.

Typst keeps what it laid out memoised, and memory it frees is not given back to the
system: in the build's own process that was about 150 MB carried on through MkDocs.
Workers started for the layout (fresh interpreters, not forks of the build) take that
with them when they end. It receives only plain data: each group's card data as one
line of JSON in a temporary file (its standard input), and answers on its standard
output with one frame per group, in order: a line of JSON (`{"pdf": length,
"overflows": {...}}` or `{"error": message}`), then the PDF's bytes.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Generator, Iterable, Iterator
from typing import IO, Any

from ..runtime.fresh import interpreter
from .typeset import EngineError, Typeset, typeset

MODULE = "sales_playbook.cards.worker"


# groups one worker lays out before the next takes over: Typst keeps what it laid out,
# so a worker's memory grows with its groups (in a 5,000-entry build 209 MB with 64 groups
# to a worker, 189 MB with 16); a fresh one every 16 groups (~250 cards) holds it nearer
# its start, and starting one costs little (1,000 cards in 4.4-4.7 s either way, 20
# workers instead of 5 for 5,000 cards)
JOBS_PER_WORKER = 16
THREADS = "RAYON_NUM_THREADS"


def lay_out(
    jobs: Iterable[str], epoch: int, threads: int | None = None
) -> Generator[Typeset, None, None]:
    """Each job (a group's card data, as JSON) laid out by `typeset`, in worker
    processes, `JOBS_PER_WORKER` to each, one after the other. `threads`: how many
    threads Typst lays out with in each (by default one per core).

    Raises EngineError if Typst fails or a worker ends early.
    """
    batch: list[str] = []
    for job in jobs:
        batch.append(job)
        if len(batch) == JOBS_PER_WORKER:
            yield from _lay_out(batch, epoch, threads)
            batch = []
    if batch:
        yield from _lay_out(batch, epoch, threads)


def _lay_out(jobs: list[str], epoch: int, threads: int | None) -> Iterator[Typeset]:
    """The jobs laid out by one worker process."""
    with tempfile.TemporaryFile() as given, tempfile.TemporaryFile() as errors:
        given.write(b"%d\n" % epoch)
        for job in jobs:
            given.write(job.encode("utf-8") + b"\n")  # JSON has no raw line breaks
        given.seek(0)
        try:
            started = _worker(given, errors, threads)
        except OSError as error:
            raise EngineError(f"the card engine could not start: {error}") from None
        with started as worker:
            try:
                assert worker.stdout is not None
                for _ in jobs:
                    yield _frame(worker.stdout, errors)
            finally:
                worker.kill()  # a no-op once it is done; the build may have failed
                worker.wait()


def _worker(given: IO[bytes], errors: IO[bytes], threads: int | None) -> subprocess.Popen[bytes]:
    command, env = interpreter(MODULE)  # as the build's, nothing from the working folder
    if threads is not None:  # Typst's thread pool (Rust's rayon) reads its size from here
        env[THREADS] = str(threads)
    return subprocess.Popen(command, stdin=given, stdout=subprocess.PIPE, stderr=errors, env=env)


def _frame(out: IO[bytes], errors: IO[bytes]) -> Typeset:
    line = out.readline()
    try:
        header = json.loads(line)
        pdf = out.read(int(header["pdf"])) if "pdf" in header else b""
    except (ValueError, KeyError, TypeError):
        errors.seek(0)
        said = errors.read().decode("utf-8", "replace").strip().splitlines()
        raise EngineError(f"the card engine stopped: {said[-1] if said else 'no answer'}") from None
    if "error" in header:
        raise EngineError(str(header["error"]))
    return Typeset(
        pdf,
        {str(k): float(v) for k, v in header["overflows"].items()},
        {str(k): float(v) for k, v in header["wide"].items()},
    )


def _answer(out: IO[bytes], job: str, epoch: int) -> None:
    header: dict[str, Any]
    try:
        laid = typeset(json.loads(job), epoch)
        header = {"pdf": len(laid.pdf), "overflows": laid.overflows, "wide": laid.wide}
        pdf = laid.pdf
    except EngineError as error:
        header, pdf = {"error": str(error)}, b""
    out.write(json.dumps(header).encode() + b"\n" + pdf)
    out.flush()


def main() -> None:
    lines = iter(sys.stdin.buffer)
    epoch = int(next(lines))
    for line in lines:
        _answer(sys.stdout.buffer, line.decode("utf-8"), epoch)


if __name__ == "__main__":
    main()
