"""`make bench` runs: every stage on a 20-entry playbook, and the report with its targets.

Benchmarks measure speed and memory; this only checks that they run and report what they
measured (a timing here would say nothing on a shared machine).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_bench_runs_on_20_entries_and_reports_each_target(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    done = subprocess.run(
        [sys.executable, "-m", "bench.run", "--sizes", "20", "--quick",
         "--work", str(tmp_path / "work"), "--results", str(results)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    [row] = json.loads((tmp_path / "work" / "results.json").read_text("utf-8"))
    stages = ("validate", "render", "mkdocs", "zensical", "cards", "build", "build-zensical")
    for stage in (*stages, "rebuild"):
        assert row[stage]["seconds"] > 0, stage
        assert row[stage]["all_processes_mb"] > 10, stage  # sampled while it ran
    assert row["cards"]["cards"] == row["validate"]["entries"]  # every card, both decks
    rebuild = row["rebuild"]
    assert rebuild["unchanged_rendered"] == 0  # nothing changed: every page from the cache
    # and the engine started early on the last build's docs: its site was taken
    assert (rebuild["cold_early_engine"], rebuild["unchanged_early_engine"]) == (False, True)
    assert rebuild["one_changed_early_engine"] is False and rebuild["one_changed_mkdocs_s"] > 0
    assert "unchanged_mkdocs_s" not in rebuild  # the engine did not run again after the checks
    assert 0 < rebuild["one_changed_rendered"] < rebuild["cold_rendered"]
    report = results.read_text("utf-8")
    table = report.split("## Targets", 1)[1].split("##", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + 19  # the header and every target
    assert "| rebuild, nothing changed" in table
    assert "| full build with both decks, 1,000 entries, x Zensical's own build" in table
    assert "| before |" in rows[0]
