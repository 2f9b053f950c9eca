"""Work split over forked processes: same results, in order, errors passed on."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from sales_playbook.runtime.parallel import over_cores
from sales_playbook.site import render
from sales_playbook.source import check

from .conftest import TODAY

PARENT = os.getpid()


@pytest.fixture(autouse=True)
def two_cores(monkeypatch: pytest.MonkeyPatch) -> None:
    """Split in two whatever this machine has (forking works on one core too)."""
    monkeypatch.setattr("sales_playbook.runtime.parallel.os.cpu_count", lambda: 2)


@pytest.fixture
def single_threaded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Browser tests leave helper threads in this process; the code under test must fork."""
    monkeypatch.setattr("sales_playbook.runtime.parallel.threading.active_count", lambda: 1)


def pid_and_sum(part: Sequence[int]) -> tuple[int, int]:
    return os.getpid(), sum(part)


@pytest.mark.usefixtures("single_threaded")
def test_chunks_run_in_other_processes_and_come_back_in_order() -> None:
    parts = over_cores(pid_and_sum, list(range(1000)), minimum=10)
    assert len({pid for pid, _ in parts}) == len(parts) >= 2
    assert parts[0][0] == os.getpid()  # the parent takes the first chunk itself
    assert sum(total for _, total in parts) == sum(range(1000))
    assert [total for _, total in parts] == sorted(total for _, total in parts)


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
