"""What a large build holds: freed memory goes back to the system between its stages, and
the laid-out card groups wait in the build cache, not in memory (bench/: peak memory at
5,000 entries)."""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sales_playbook.cards import deck
from sales_playbook.runtime.cache import Cache
from sales_playbook.source.check import check

from .conftest import SAMPLE, TODAY, run_build

MEASURED = """
import json
import os
from pathlib import Path
from sales_playbook.runtime import memory
def resident_mb():
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
held = [bytes(1000 + i % 7) for i in range(100_000)]
kept = held[-1]  # the last one made: the heap's top stays in use
before = resident_mb()
del held
freed = resident_mb()
memory.release()
print(json.dumps([before, freed, resident_mb(), memory._malloc_trim() is not None]))
"""


def test_release_gives_freed_memory_back_to_the_system() -> None:
    """100 MB of small objects freed: the C library keeps it, `release` gives it back.
    In a fresh process: a test worker's heap has holes of its own. This suite runs on
    Debian, as its browser tests do (/usr/bin/chromium): Linux with glibc, whose
    `malloc_trim` `release` must find there."""
    assert sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    done = subprocess.run(
        [sys.executable, "-c", MEASURED], capture_output=True, text=True, check=True
    )
    before, freed, released, trimmed = json.loads(done.stdout)
    assert trimmed  # glibc's `malloc_trim`, where this suite runs
    assert before - freed < 50  # free() alone kept nearly all of it
    assert freed - released > 80


def test_each_laid_out_group_goes_into_the_cache_as_it_comes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A group's PDF is put into the build cache before the next is laid out, not held
    until all are (60 MB at 5,000 cards); with some groups cached already, each new one
    still goes where it belongs, and the decks are the same."""
    model = check(SAMPLE, TODAY).model
    real = deck.lay_out
    staged: list[int] = []  # how many groups the cache held as the next one came

    def watched(jobs: Any, epoch: int, threads: int | None = None) -> Any:
        for result in real(jobs, epoch, threads):
            staged.append(len(store.staged))
            yield result

    monkeypatch.setattr(deck, "lay_out", watched)
    store = Cache(tmp_path / "cards")
    first = deck.SiteDeck(model, 1_790_000_000, store)
    first.lay_out()
    # one more each time (the card data went in before the first)
    assert len(staged) >= 3 and [n - staged[0] for n in staged] == list(range(len(staged)))
    assert all(callable(part) for _, part, _ in first.laid)
    decks = dict(first.pdf_files())
    store.save()

    laid_keys = [key for key, _, _ in first.laid]
    for gone in (laid_keys[0], laid_keys[-1]):  # laid out again, among cached ones
        (tmp_path / "cards" / gone).unlink()
    staged.clear()
    store = Cache(tmp_path / "cards")
    again = deck.SiteDeck(model, 1_790_000_000, store)
    again.lay_out()
    assert len(staged) == 2
    assert [key for key, _, _ in again.laid] == laid_keys
    assert dict(again.pdf_files()) == decks
    plain = deck.SiteDeck(model, 1_790_000_000)  # no cache: the PDFs themselves
    plain.lay_out()
    assert all(isinstance(part, bytes) for _, part, _ in plain.laid)
    assert dict(plain.pdf_files()) == decks


def test_the_parsed_files_are_not_kept_while_the_engine_builds(tmp_path: Path) -> None:
    """After the checks a build keeps, of every file as parsed, only those whose links
    MkDocs' warnings are traced back to (none in the sample): 90 MB more at 5,000 entries
    when it kept them all. Counted in a process of its own, as the engine starts."""
    from sales_playbook.source import links

    live = tmp_path / "live"
    counting = (
        "import gc, os\n"
        "from sales_playbook.parse import Source\n"
        "from sales_playbook.site import engine\n"
        "real = engine.build\n"
        "def counted(*args, **kwargs):\n"
        "    gc.collect()\n"
        "    found = sum(1 for o in gc.get_objects() if isinstance(o, Source))\n"
        f"    open({str(live)!r}, 'a').write(f'{{found}}\\n')\n"
        "    return real(*args, **kwargs)\n"
        "engine.build = counted\n"
    )
    done = run_build(SAMPLE, tmp_path, python=counting)
    assert done.returncode == 0, done.stderr
    sources = check(SAMPLE, TODAY).sources
    assert len(sources) > 10
    assert [int(n) for n in live.read_text().split()] == [len(links.linking(sources))]
