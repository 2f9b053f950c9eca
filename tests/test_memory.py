"""What a large build holds: freed memory goes back to the system between its stages, and
the laid-out card groups wait in the build cache, not in memory (bench/: peak memory at
5,000 entries)."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

from sales_playbook.cards import deck
from sales_playbook.runtime.cache import Cache
from sales_playbook.source.check import check

from .conftest import SAMPLE, TODAY

MEASURED = """
import json
from pathlib import Path
from sales_playbook.runtime import memory
def resident_mb():
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20
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
    In a fresh process: a test worker's heap has holes of its own."""
    assert sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc"
    assert os.sysconf("SC_PAGE_SIZE") == 4096
    done = subprocess.run(
        [sys.executable, "-c", MEASURED], capture_output=True, text=True, check=True
    )
    before, freed, released, trimmed = json.loads(done.stdout)
    assert trimmed  # glibc's `malloc_trim`, where this suite runs
    assert before - freed < 50  # free() alone kept nearly all of it
    assert freed - released > 80


def test_laid_out_groups_wait_in_the_cache_not_in_memory(tmp_path: Path) -> None:
    """With a build cache, the deck keeps what reads each group's PDF from it, not the
    PDF; without one, the PDFs themselves. Both join into the same deck."""
    model = check(SAMPLE, TODAY).model
    stored = deck.SiteDeck(model, 1_790_000_000, Cache(tmp_path / "cards"))
    stored.lay_out()
    assert stored.laid and all(callable(part) for _, part, _ in stored.laid)
    plain = deck.SiteDeck(model, 1_790_000_000)
    plain.lay_out()
    assert all(isinstance(part, bytes) for _, part, _ in plain.laid)
    assert [part() for _, part, _ in stored.laid] == [part for _, part, _ in plain.laid]  # type: ignore[operator]
    assert dict(stored.pdf_files()) == dict(plain.pdf_files())
