"""Work split over forked or spawned processes: same results, in order, errors passed on."""

from __future__ import annotations

import io
import json
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader

from sales_playbook.cards.typeset import typeset
from sales_playbook.cards.worker import lay_out
from sales_playbook.runtime import parallel
from sales_playbook.runtime.parallel import over_cores
from sales_playbook.site import render
from sales_playbook.source import check
from sales_playbook.text import Text

from .conftest import SAMPLE, TODAY

PARENT = os.getpid()


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split in two whatever this machine has (forking works on one core too)."""
    monkeypatch.setattr("sales_playbook.runtime.parallel.os.cpu_count", lambda: 2)


@pytest.fixture
def single_threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Browser tests leave helper threads in this process; the code under test must fork."""
    monkeypatch.setattr("sales_playbook.runtime.parallel.other_threads", lambda: False)


def pid_and_sum(part: Sequence[int]) -> tuple[int, int]:
    return os.getpid(), sum(part)


@pytest.mark.usefixtures("single_threaded")
def test_chunks_run_in_other_processes_and_come_back_in_order() -> None:
    parts = over_cores(pid_and_sum, list(range(1000)), minimum=10)
    assert len({pid for pid, _ in parts}) == len(parts) >= 2
    assert parts[0][0] == os.getpid()  # the parent takes the first chunk itself
    assert sum(total for _, total in parts) == sum(range(1000))
    assert [total for _, total in parts] == sorted(total for _, total in parts)


SET_HERE: list[str] = []  # what this process set at run time: a fork inherits it


def seen_here(part: Sequence[int]) -> tuple[tuple[str, ...], bool, int]:
    return tuple(SET_HERE), sys.flags.safe_path, sum(part)


@pytest.mark.usefixtures("single_threaded")
def test_fresh_children_are_new_interpreters_not_copies_of_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`fresh`: the children do not hold what this process built (a large build's would
    copy its memory as they write to it), yet return their chunks in order, and their
    errors. Nothing is imported from the folder the command runs in (a playbook's
    repository): there, a `pickle.py` would run first."""
    monkeypatch.setattr(sys.modules[__name__], "SET_HERE", ["set in the parent"])
    planted = tmp_path / "planted"
    (tmp_path / "pickle.py").write_text(f"open({str(planted)!r}, 'w').write('ran')\n")
    monkeypatch.chdir(tmp_path)
    parts = over_cores(seen_here, list(range(1000)), minimum=10, fresh=True)
    assert len(parts) >= 2 and parts[0][0] == ("set in the parent",)
    assert all(held == () and safe for held, safe, _ in parts[1:])
    assert [total for *_, total in parts] == sorted(total for *_, total in parts)
    assert sum(total for *_, total in parts) == sum(range(1000))
    assert not planted.exists()
    with pytest.raises(ValueError, match="chunk with 999"):
        over_cores(fail_in_the_last_chunk, list(range(1000)), minimum=10, fresh=True)
    forked = over_cores(seen_here, list(range(1000)), minimum=10)  # the control
    assert all(held == ("set in the parent",) for held, _, _ in forked[1:])


def test_small_inputs_stay_in_this_process() -> None:
    assert over_cores(pid_and_sum, [1, 2, 3], minimum=10) == [(os.getpid(), 6)]


def test_a_process_with_threads_does_not_fork() -> None:
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        assert over_cores(pid_and_sum, list(range(1000)), minimum=10) == [
            (os.getpid(), sum(range(1000)))
        ]
    finally:
        stop.set()
        helper.join()


def fail_in_the_last_chunk(part: Sequence[int]) -> int:
    if 999 in part:
        raise ValueError("chunk with 999")
    return len(part)


def die_in_the_last_chunk(part: Sequence[int]) -> int:
    if 999 in part and os.getpid() != PARENT:
        os._exit(3)
    return len(part)


@pytest.mark.usefixtures("single_threaded")
def test_an_error_in_a_child_is_raised_in_the_parent() -> None:
    with pytest.raises(ValueError, match="chunk with 999"):
        over_cores(fail_in_the_last_chunk, list(range(1000)), minimum=10)
    with pytest.raises(RuntimeError, match="exit code 3"):
        over_cores(die_in_the_last_chunk, list(range(1000)), minimum=10)


@pytest.mark.usefixtures("single_threaded")
def test_pages_rendered_in_parallel_equal_pages_rendered_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.generate import generate

    model = check.check(generate(120, tmp_path / "playbook"), TODAY).model
    monkeypatch.setattr(render, "PARALLEL_FROM", 10**9)
    here = render.render_docs(model)
    monkeypatch.setattr(render, "PARALLEL_FROM", 10)
    assert render.render_docs(model) == here
    assert len(here) > 120


# the start method ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("platform", "method"), [("linux", "fork"), ("darwin", "spawn"), ("win32", "spawn")]
)
def test_children_are_forked_only_where_forking_is_safe(
    monkeypatch: pytest.MonkeyPatch, platform: str, method: str
) -> None:
    monkeypatch.setattr("sales_playbook.runtime.parallel.sys.platform", platform)
    assert parallel.start_method() == method


@pytest.fixture
def spawned(monkeypatch: pytest.MonkeyPatch) -> None:
    """Children spawned as on macOS and Windows: fresh interpreters, the work pickled."""
    monkeypatch.setattr(parallel, "start_method", lambda: "spawn")
    monkeypatch.setattr(parallel, "SPAWN_COSTS", 1)


@pytest.mark.usefixtures("single_threaded", "spawned")
def test_spawned_children_return_their_chunks_in_order_and_their_errors() -> None:
    parts = over_cores(pid_and_sum, list(range(1000)), minimum=10)
    assert len({pid for pid, _ in parts}) == len(parts) >= 2
    assert sum(total for _, total in parts) == sum(range(1000))
    with pytest.raises(ValueError, match="chunk with 999"):
        over_cores(fail_in_the_last_chunk, list(range(1000)), minimum=10)


@pytest.mark.usefixtures("single_threaded", "spawned")
def test_pages_rendered_by_spawned_children_equal_pages_rendered_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.generate import generate
    from sales_playbook.preview.rerender import PageMaker

    model = check.check(generate(60, tmp_path / "playbook"), TODAY).model
    monkeypatch.setattr(render, "PARALLEL_FROM", 10**9)
    here = render.render_docs(model)
    monkeypatch.setattr(render, "PARALLEL_FROM", 10)
    assert render.render_docs(model) == here
    # the preview's renderer travels too: pickled, it makes its own environment
    plan = render.page_plan(model)[:20]
    maker = PageMaker(model)
    assert pickle.loads(pickle.dumps(maker))(plan) == maker(plan)
    assert [text for _, (text, _) in maker(plan)] == [here[path] for path, _, _ in plan]


EPOCH = 1_790_000_000


def lay_out_groups(jobs: Sequence[str]) -> list[bytes]:
    return [typeset(json.loads(job), EPOCH).pdf for job in jobs]


@pytest.mark.usefixtures("single_threaded", "spawned")
def test_cards_laid_out_by_spawned_children_are_the_worker_s_pdfs(tmp_path: Path) -> None:
    """The card work is plain data and module-level functions: spawned children lay out
    the same pages, byte for byte, as the build's card worker (a fresh interpreter too)."""
    from bench.generate import generate
    from sales_playbook.cards import deck

    model = check.check(generate(40, tmp_path / "playbook"), TODAY).model
    cards = deck.make_cards(model, deck.select(model), None)
    fmt = Text(model.language)
    jobs = [
        json.dumps(deck.deck_data(model, run, deck.SITE_DECK, fmt), sort_keys=True)
        for run in deck.groups(cards)
    ]
    assert len(jobs) >= 2
    spawned = [pdf for part in over_cores(lay_out_groups, jobs, minimum=2) for pdf in part]
    assert spawned == [laid.pdf for laid in lay_out(jobs, EPOCH)]
    pages = [len(PdfReader(io.BytesIO(pdf)).pages) for pdf in spawned]
    assert pages == [len(run) for run in deck.groups(cards)]


def slept(seconds: float, marker: Path) -> int:
    try:
        import time

        time.sleep(seconds)
        return os.getpid()
    finally:
        marker.write_text("ended")  # a cancelled child ends what it started


@pytest.mark.usefixtures("single_threaded")
def test_background_work_runs_in_a_forked_child_and_comes_back(tmp_path: Path) -> None:
    marker = tmp_path / "ended"
    done = parallel.Background(lambda: (slept(0, marker), [1, 2, 3]))  # a closure: forked
    pid, value = done.result()
    assert pid != os.getpid() and value == [1, 2, 3] and marker.read_text() == "ended"


@pytest.mark.usefixtures("single_threaded")
def test_what_background_work_raises_is_raised_by_result() -> None:
    def broken() -> int:
        raise ValueError("card 42 overflows")

    with pytest.raises(ValueError, match="card 42 overflows"):
        parallel.Background(broken).result()


@pytest.mark.usefixtures("single_threaded")
def test_cancelled_background_work_ends_what_it_started_and_stops_soon(tmp_path: Path) -> None:
    import time

    marker = tmp_path / "ended"
    running = parallel.Background(lambda: slept(60, marker))
    time.sleep(0.5)  # the child is asleep
    started = time.monotonic()
    running.cancel()
    assert time.monotonic() - started < parallel.STOP_WAIT
    assert marker.read_text() == "ended"  # its `finally` ran: it was told to stop, not killed


def test_background_work_in_a_process_with_threads_runs_in_a_thread(tmp_path: Path) -> None:
    stop = threading.Event()
    helper = threading.Thread(target=stop.wait)
    helper.start()
    try:
        pid = parallel.Background(lambda: slept(0, tmp_path / "ended")).result()
        assert pid == os.getpid()
    finally:
        stop.set()
        helper.join()


def test_a_process_that_ran_typst_does_not_fork() -> None:
    """Typst lays out over threads of its own, unknown to Python: a forked child that
    lays out again waits forever on a lock one of them held (the poster, laid out in the
    build's own process). The system's count sees them. In a process of its own: a test
    worker runs threads anyway."""
    code = (
        "from sales_playbook.runtime.parallel import other_threads\n"
        "from sales_playbook.source.check import check\n"
        "from sales_playbook.cards import poster\n"
        "import datetime, pathlib, sys\n"
        "model = check(pathlib.Path(sys.argv[1]), datetime.date(2026, 11, 23)).model\n"
        "print(other_threads(), end=' ')\n"
        "poster.site_pdf(model, 0)\n"
        "print(other_threads())\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(SAMPLE)], capture_output=True, text=True, check=False,
        timeout=120,
    )  # fmt: skip
    assert (done.returncode, done.stdout.strip()) == (0, "False True"), done.stderr


def test_background_work_ends_with_a_killed_parent(tmp_path: Path) -> None:
    """A build killed while its work runs beside it: the forked child is told to stop
    (it would hold the build's lock while it worked on, and then wait forever on a pipe
    nobody reads), ends what it started and exits."""
    import signal as signals
    import time

    marker = tmp_path / "ended"
    code = (
        "import os, signal, sys, time\n"
        "from pathlib import Path\n"
        "from sales_playbook.runtime import parallel\n"
        "def work():\n"
        "    try:\n"
        "        time.sleep(60)\n"
        "    finally:\n"
        "        Path(sys.argv[1]).write_text('ended')\n"
        "running = parallel.Background(work)\n"
        "print(running._child.pid, flush=True)\n"
        "time.sleep(0.5)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(marker)], capture_output=True, text=True, timeout=60,
        check=False,
    )  # fmt: skip
    assert done.returncode == -signals.SIGKILL, done.stderr
    child = int(done.stdout.split()[0])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{child}").exists()
    assert marker.read_text() == "ended"
