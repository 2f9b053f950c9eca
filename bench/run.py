"""`make bench`: build synthetic playbooks of growing size and write bench/RESULTS.md.

Each stage runs in its own process (`bench.stage`) so its peak memory is its own.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from sales_playbook.site.search_index import INDEX_SCRIPT

from .generate import generate
from .reload import preview_timings

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "bench"
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
RAW = WORK / "results.json"
NONE = "-"
ENGINES = ("mkdocs", "zensical")
EARLIER = " (earlier run)"  # a row carried over from a run before a change it does not measure


def stage(name: str, playbook: Path, work: Path, runs: int = 1) -> dict[str, float]:
    """One stage in a fresh process; with several runs, the run of median time (this
    virtual machine's timings vary by 10-20 % from run to run)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    results = []
    for _ in range(runs):
        process = subprocess.Popen(
            [sys.executable, "-m", "bench.stage", name, str(playbook), str(work)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        peak = 0
        while process.poll() is None:
            peak = max(peak, tree_pss_kb(process.pid))
            time.sleep(0.05)
        out, err = process.communicate()
        if process.returncode != 0:
            raise SystemExit(f"stage {name} failed:\n{err[-3000:]}")
        result = json.loads(out.strip().splitlines()[-1])
        result["all_processes_mb"] = round(peak / 1024, 1)
        results.append(result)
    return sorted(results, key=lambda r: r["seconds"])[len(results) // 2]


def tree_pss_kb(pid: int) -> int:
    """The memory of a process and all its descendants now, in kB: proportional set size,
    so pages a forked worker shares with its parent count once."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += next(int(line.split()[1]) for line in rollup.splitlines()
                          if line.startswith("Pss:"))  # fmt: skip
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration, ValueError):
            continue  # the process ended meanwhile
    return total


def folder_size(folder: Path, pattern: str = "*") -> int:
    return sum(p.stat().st_size for p in folder.rglob(pattern) if p.is_file())


def first_search_seconds(site: Path, query: str = "Rabatt", runs: int = 3) -> float:
    """From opening the start page to the first result for `query` typed into the search
    box, in headless Chromium from file://; the median of `runs` fresh pages."""
    from playwright.sync_api import sync_playwright

    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        for _ in range(runs):
            page = browser.new_page()
            started = time.perf_counter()
            page.goto((site / "index.html").as_uri())
            box = page.locator("#pb-search-input")
            box.focus()
            box.press_sequentially(query)
            page.wait_for_selector(".pb-search__item", timeout=60_000)
            timings.append(time.perf_counter() - started)
            page.close()
        browser.close()
    return statistics.median(timings)


def cpu_check() -> float:
    """Seconds for a fixed pure-Python loop (best of 5): how fast this machine ran just
    then. On a shared virtual machine it drifts, and every figure drifts with it."""
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        sum(i * i for i in range(2_000_000))
        timings.append(time.perf_counter() - started)
    return round(min(timings), 3)


def make_site() -> dict[str, float]:
    """`make site` of the sample with the venv present: with no build cache (as in a
    fresh clone), then again with the cache the first run left. A first run, not timed,
    brings the venv up to date (it reinstalls the package when the sources changed)."""
    timings = {}
    subprocess.run(["make", "-s", "site"], cwd=ROOT, check=True, capture_output=True)
    shutil.rmtree(ROOT / "build" / "cache", ignore_errors=True)
    for run in ("cold", "warm"):
        started = time.perf_counter()
        subprocess.run(["make", "-s", "site"], cwd=ROOT, check=True, capture_output=True)
        timings[f"{run}_s"] = round(time.perf_counter() - started, 2)
    return timings


def measure(
    entries: int, full_build: bool, work_root: Path = WORK, quick: bool = False
) -> dict[str, object]:
    """`quick`: every stage once and no browser or preview (what `make test` runs)."""
    work = work_root / str(entries)
    playbook = generate(entries, work / "playbook")
    row: dict[str, object] = {"entries": entries, "cpu_check_s": cpu_check()}
    for name in ("validate", "render", *ENGINES, "cards"):
        row[name] = stage(name, playbook, work, runs=1 if quick else 3)
    if quick:
        row["build"] = stage("build", playbook, work)
        row["build-zensical"] = stage("build-zensical", playbook, work)
        row["rebuild"] = stage("rebuild", playbook, work)
        return row
    # the full builds and rebuilds are compared with the engines' own builds (each the
    # median of 3): up to 1,000 entries, the median of 3 as well
    whole = 1 if entries > 1000 else 3
    if full_build:
        row["build"] = stage("build", playbook, work, runs=whole)
        row["build-zensical"] = stage("build-zensical", playbook, work, runs=whole)
    site = work / "full-site-mkdocs"
    if not site.is_dir():
        return row
    pages = list(site.rglob("*.html"))
    row["site_mb"] = round(folder_size(site) / 1e6, 1)
    row["index_mb"] = round((site / INDEX_SCRIPT).stat().st_size / 1e6, 2)
    row["html_kb_per_page"] = round(folder_size(site, "*.html") / len(pages) / 1e3, 1)
    row["pages"] = len(pages)
    row["first_search_s"] = round(first_search_seconds(site), 2)
    row["first_typo_search_s"] = round(first_search_seconds(site, "Zahlungzziel"), 2)
    zensical_site = work / "full-site-zensical"
    if zensical_site.is_dir():
        row["first_search_zensical_s"] = round(first_search_seconds(zensical_site), 2)
    if entries == 1000:
        row["serve"] = preview_timings(playbook, work, "escalation-paths/rabatt-freigabe")
        row["rebuild"] = stage("rebuild", playbook, work, runs=whole)
        row["make_site"] = make_site()
    return row


def machine() -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")), platform.processor(),
    )  # fmt: skip
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    system = f"{platform.system()} {platform.release()}"
    return (f"{os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, "
            f"Python {platform.python_version()}, {system}")  # fmt: skip


def ours(row: dict[str, object]) -> float:
    """Our stages: load + validate + render the Markdown (in memory)."""
    render = row["render"]
    assert isinstance(render, dict)
    return float(render["check_s"]) + float(render["markdown_s"])


def seconds(row: dict[str, object], name: str, key: str = "seconds") -> float | None:
    value = row.get(name)
    return float(value[key]) if isinstance(value, dict) else None


def shown(value: float | None) -> str:
    return NONE if value is None else f"{value:g}"


def anchor_seconds(row: dict[str, object]) -> float:
    """The faster engine's own build of the docs: what our figures are compared to."""
    own = [t for t in (seconds(row, name) for name in ENGINES) if t]
    return min(own) if own else 1.0


def over_engine(row: dict[str, object], build: str, engine: str) -> float | None:
    """A full build's time over its engine's own build of the same docs."""
    full, own = seconds(row, build), seconds(row, engine)
    return full / own if full and own else None


def over_mkdocs(row: dict[str, object], run: str) -> float | None:
    """A rebuild's time beyond MkDocs' own build of the same docs in this run (the
    `mkdocs` stage): a rebuild with nothing changed runs the engine beside its checks, in
    a process of its own (bench.stage.rebuilds)."""
    rebuild, own = row.get("rebuild"), seconds(row, "mkdocs")
    if not isinstance(rebuild, dict) or not own:
        return None
    return float(rebuild[f"{run}_s"]) - own


def card_rate(row: dict[str, object]) -> float:
    """Cards per second, both decks (each card is laid out once; the A4 deck reuses it)."""
    cards = row["cards"]
    return cards["cards"] / cards["seconds"] if isinstance(cards, dict) else 0.0


def report(rows: list[dict[str, object]]) -> str:
    lines = [
        "# Benchmark results",
        "",
        f"Machine: {machine()}.",
        "",
        "Reproduce: `make bench` (or `.venv/bin/python -m bench.run --sizes 100 1000 5000`).",
        "Synthetic playbooks clone the German sample in its proportions (43 % non-negotiables,",
        "24 % flexible zones, 19 % escalation paths, 10 % qualification, 5 % underperformance).",
        "Every stage runs in its own process; time is wall time, memory the stage's peak RSS.",
        "'ours' is load + validate + render to Markdown; 'write' puts that Markdown on disk",
        "for the engine; 'mkdocs' and 'zensical' are each engine's own build of the same",
        "Markdown and configuration (`mkdocs build`, `zensical build`), nothing of ours",
        "around it; the anchor is the faster of the two.",
        "",
        "| entries | validate s | ours s | write s | mkdocs s | zensical s | ours / anchor | "
        "cards/s (both decks) | full build s (MkDocs) | full build s (Zensical) | "
        "peak MB (max stage) | pages | site MB | search index MB | HTML kB/page | "
        "first search s (on Zensical's build) | first search with a typo s |",
        "|" + "---|" * 17,
    ]
    for row in rows:
        anchor = anchor_seconds(row)
        peaks = [v["peak_mb"] for v in row.values() if isinstance(v, dict) and "peak_mb" in v]
        lines.append(
            f"| {row['entries']:,}{EARLIER if row.get('earlier_run') else ''} | "
            f"{shown(seconds(row, 'validate'))} | {ours(row):.3g} | "
            f"{shown(seconds(row, 'render', 'write_s'))} | {shown(seconds(row, 'mkdocs'))} | "
            f"{shown(seconds(row, 'zensical'))} | {ours(row) / anchor:.1%} | "
            f"{card_rate(row):.1f} | {shown(seconds(row, 'build'))} | "
            f"{shown(seconds(row, 'build-zensical'))} | "
            f"{max(peaks):g} | {row.get('pages', NONE)} | {row.get('site_mb', NONE)} | "
            f"{row.get('index_mb', NONE)} | {row.get('html_kb_per_page', NONE)} | "
            f"{row.get('first_search_s', NONE)} ({row.get('first_search_zensical_s', NONE)}) | "
            f"{row.get('first_typo_search_s', NONE)} |"
        )
    checks = [f"{r['entries']:,}: {r['cpu_check_s']} s" for r in rows if "cpu_check_s" in r]
    if checks:
        lines += [
            "",
            "Machine speed before each size (a fixed Python loop, lower is faster): "
            + "; ".join(checks)
            + ". Compare runs by it: this shared virtual machine's speed drifts by 20-40 %.",
        ]
    serve = next((r["serve"] for r in rows if isinstance(r.get("serve"), dict)), None)
    if isinstance(serve, dict):
        lines += [
            "",
            f"Live preview (`playbook serve`) at 1,000 entries: starts in {serve['startup_s']} s; "
            f"an edited title shows on the served page {serve['edit_to_reload_s']} s after "
            "the file is saved.",
        ]
        if "config_s" in serve:
            lines += [
                "",
                "Save to visible, the page and its overview open in a browser (median of 3; "
                "then every other page the change touches, in the background):",
                "",
                "| change | the page shows it | every page does |",
                "|---|---|---|",
                *(
                    f"| {what} | {serve[f'{key}_s']} s | {serve.get(f'{key}_site_s', NONE)} s |"
                    for key, what in (
                        ("edit", "an entry's title (200 entries link to it)"),
                        ("add", "an entry added"),
                        ("delete", "an entry deleted (404, gone from its overview)"),
                        ("config", "`playbook.yml`'s title (every page)"),
                    )
                ),
            ]
    lines += ["", *targets(rows), "", *LIMITS, "", "Raw figures:", ""]
    lines += ["```json", json.dumps(rows, indent=1), "```", ""]
    return "\n".join(lines)


Check = tuple[str, str, float | None, str, str]  # what, before, measured, goal, limit


def peak_all(row: dict[str, object], name: str) -> float | None:
    """A stage's peak over all its processes (sampled every 50 ms, proportional set size)."""
    value = row.get(name)
    return float(value["all_processes_mb"]) if isinstance(value, dict) else None


def issue_targets(rows: list[dict[str, object]]) -> list[Check]:
    """Issue 15's table: each target with the figure the issue started from."""
    by_size = {int(str(r["entries"])): r for r in rows}
    at_1000, at_5000 = by_size.get(1000, {}), by_size.get(5000, {})
    cards = seconds(at_1000, "cards")
    make = at_1000.get("make_site")
    serve = at_1000.get("serve") if isinstance(at_1000.get("serve"), dict) else {}
    assert isinstance(serve, dict)

    def search(row: dict[str, object]) -> float | None:
        value = row.get("first_search_s")
        return float(str(value)) if value is not None else None

    return [
        ("1,000 cards, A6 deck + A4 deck, s", "44 (WeasyPrint, 22.9 cards/s)", cards, "<= 8",
         "Typst: one layout per card, the A4 sheets embed the same pages"),
        ("full build with both decks, 1,000 entries, s", "61", seconds(at_1000, "build"), "<= 20",
         "MkDocs, with the printables made beside it in a forked process; check and render "
         "before it, our finishing step after it"),
        ("rebuild, nothing changed, 1,000 entries: s over MkDocs' own build", "as slow as a "
         "full build", over_mkdocs(at_1000, "unchanged"), "<= 1",
         "the engine starts early on the last build's docs, beside the checks (site/ahead.py); "
         "after it, our finishing step with the pages it finished last time, writing the "
         "pages and swapping the folders in"),
        ("rebuild, one entry changed, 1,000 entries: s over MkDocs' own build", "as slow as a "
         "full build", over_mkdocs(at_1000, "one_changed"), "<= 2",
         "the early engine stopped (the docs differ), then validation, render and the "
         "engine one after the other; the changed card's group and both decks beside it"),
        ("`make site` of the sample, venv present, no build cache, s", "6.3",
         float(make["cold_s"]) if isinstance(make, dict) else None, "<= 3",
         "MkDocs and the change log read from git"),
        ("preview: saved edit -> page shows it, 1,000 entries, s", "5.7",
         serve.get("edit_to_reload_s"), "< 1", "validation across files, one dirty MkDocs build"),
        ("preview: entry added -> its page is served, 1,000 entries, s", "-",
         serve.get("add_s"), "< 2", "as an edit, plus MkDocs' file list"),
        ("preview: entry deleted -> 404 and gone from its overview, 1,000 entries, s", "-",
         serve.get("delete_s"), "< 2", "as an edit; open pages first, the rest later"),
        ("preview: `playbook.yml` edited -> page shows it, 1,000 entries, s", "-",
         serve.get("config_s"), "< 3", "every page changes: open pages first, the rest later"),
        ("first search, 1,000 entries, s", "-", search(at_1000), "< 1",
         "the index loaded into the page and analysed"),
        ("first search, 5,000 entries, s", "3.3", search(at_5000), "< 2",
         "the index loaded into the page and analysed"),
    ]  # fmt: skip


def engine_targets(rows: list[dict[str, object]]) -> list[Check]:
    """Issue 28's table: the site step beside its engine, with both engines."""
    by_size = {int(str(r["entries"])): r for r in rows}
    at_1000, at_5000 = by_size.get(1000, {}), by_size.get(5000, {})
    mkdocs, zensical = seconds(at_1000, "mkdocs"), seconds(at_1000, "zensical")
    faster = zensical / mkdocs if mkdocs and zensical else None
    return [
        ("full build with both decks, 1,000 entries, x MkDocs' own build", "1.7",
         over_engine(at_1000, "build", "mkdocs"), "<= 1.3",
         "the order of the work: check and render (about 2.6 s) before MkDocs, our "
         "finishing step and the build cache's 3,000 small files (about 1.4 s) after it, the "
         "cards beside it on the core it leaves (about 5.5 s): 1.5x at best with this work"),
        ("full build with both decks, 1,000 entries, x Zensical's own build", "-",
         over_engine(at_1000, "build-zensical", "zensical"), "<= 1.3",
         "as above, around Zensical (a process of its own)"),
        ("Zensical's own build / MkDocs' own build, 1,000 entries, x", "0.52 (trial)",
         faster, "reported", "both measured; the faster is the anchor of 'ours / anchor'; "
         "Zensical runs with --clean (its cache is not trusted), the trial reused its cache"),
        ("peak memory, full build with decks, 5,000 entries, MkDocs, all processes, MB",
         "628 (this issue's start, measured the same way)", peak_all(at_5000, "build"), "< 500",
         "laying out the deck before the engine (the build's own process with the model "
         "and the card data, and a Typst worker); freed memory is given back between the "
         "stages, the finishing step's workers start fresh (runtime/memory.py, "
         "runtime/parallel.py)"),
        ("peak memory, full build with decks, 5,000 entries, Zensical, all processes, MB",
         "887 at 1,000 (trial)", peak_all(at_5000, "build-zensical"), "reported",
         "Zensical's own process (714 MB for its own build of the same docs)"),
    ]  # fmt: skip


def earlier_targets(rows: list[dict[str, object]]) -> list[Check]:
    by_size = {int(str(r["entries"])): r for r in rows}
    at_1000, at_5000 = by_size.get(1000, {}), by_size.get(5000, {})
    checks: list[Check] = []
    share = ours(at_1000) / (seconds(at_1000, "mkdocs") or 1) * 100 if at_1000 else None
    checks.append(("our stages vs MkDocs at 1,000 (load+validate+render), %", "13.0", share,
                   "<= 10", "loading YAML with positions"))  # fmt: skip
    total = [(seconds(r, "render") or 0) + (seconds(r, "mkdocs") or 0) for r in (at_1000, at_5000)]
    growth = total[1] / total[0] if at_1000 and at_5000 else None
    checks.append(("growth 1,000 -> 5,000 entries (5x), x", "-", growth, "< 5.5", "MkDocs"))
    checks.append(("validate 5,000 entries, s", "3.15", seconds(at_5000, "validate"), "< 5",
                   "loading YAML with positions"))  # fmt: skip
    return checks


def met(value: float, goal: str) -> bool:
    op, number = goal.split()
    limit = float(number)
    return {"<": value < limit, "<=": value <= limit, ">=": value >= limit}[op]


def targets(rows: list[dict[str, object]]) -> list[str]:
    """Each target: the figure before (issue 28's, then issue 15's), the target, the
    measured value, met?"""
    lines = [
        "## Targets",
        "",
        "| target | before | goal | measured | met | what limits it |",
        "|---|---|---|---|---|---|",
    ]
    checks = engine_targets(rows) + issue_targets(rows) + earlier_targets(rows)
    for name, before, value, goal, limit in checks:
        if value is None:
            lines.append(f"| {name} | {before} | {goal} | {NONE} | not measured | {limit} |")
        elif goal == "reported":
            lines.append(f"| {name} | {before} | - | {float(value):.2f} | reported | {limit} |")
        else:
            ok = "yes" if met(float(value), goal) else "no"
            lines.append(f"| {name} | {before} | {goal} | {float(value):.2f} | {ok} | {limit} |")
    return lines


LIMITS = [
    "## What limits it",
    "",
    "- **The card engine** is Typst (the `typst` wheel, compiler inside, fonts shipped with",
    "  the package). Before switching, both engines built the same 1,000 cards (both decks)",
    "  back to back on this machine: WeasyPrint (the previous engine, over both cores)",
    "  50.2 s, Typst 6.65 s in one process (7.5x) while other work ran; on the quiet",
    "  machine, twice each, alternating: WeasyPrint 50.4 s and 48.5 s, Typst 4.37 s and",
    "  4.12 s: 11.5x faster, over the 5x the issue asked for. (WeasyPrint ran from the last",
    "  commit before the switch, 91ebfd8, installed in its own venv.) Cards are laid out in",
    "  groups of about 16 (a group ends where a card number's hash says, so adding or",
    "  removing a card changes one group); each group is one Typst run and is cached in",
    "  build/cache/cards by a hash of its data, the templates, the fonts and the engine.",
    "  Typst runs in worker processes, a fresh one every 16 groups, each exiting when its",
    "  groups are done, so its memory leaves with it. Both decks are joined from the",
    "  groups' pages by a streaming joiner",
    "  (one group's PDF held at a time, objects copied as bytes with references renumbered):",
    "  nothing is laid out twice, and the office deck's sheets cut the same pages to their",
    "  trim.",
    "  Overflow is read back from the finished layout (where each card's words end), not",
    "  measured in a second pass, which had doubled the time.",
    "- **The engines.** MkDocs itself costs about 10 ms per page: Python-Markdown and",
    "  Material's page template; it runs no plugin (search, tags and the sitemap's date are",
    "  our own step). Zensical runs as its own command with `--clean` (its cache is not",
    "  trusted: a build folder may come from anywhere), so it lays out every page each time.",
    "  A rebuild still runs all of the engine; our part of a rebuild is what the rebuild",
    "  targets measure.",
    "- **The full build around the engine** (issue 28): at 1,000 entries check and render",
    "  (about 2.6 s; the page plan and the pages' cache keys on one core, the pages on",
    "  both) come before the engine; the cards are laid out while it builds (up to 2,000",
    "  cards; a larger deck before it, for memory), by Typst with a thread pool of the",
    "  cores MkDocs leaves (one here: its own threads had taken turns with MkDocs), and",
    "  both decks are joined beside it too (about 5.5 s of one core); after it our step",
    "  sanitises the pages and reads them for the search over both cores (about 0.9 s),",
    "  and the build cache's small files are written (about 0.5 s; creating a file costs",
    "  0.1-0.3 ms on this machine's disk). About 21 CPU-seconds in all; with check, render",
    "  and our step on the engine's path, 1.5x its own build is the floor of this work.",
    "- **A rebuild** reuses, from build/cache: each unchanged file's parse and own checks",
    "  (sources), each page's Markdown (pages, keyed by what its template reads), each group",
    "  of cards, both decks and the print view; files identical to the last build's",
    "  build/docs are hard-linked, not written. What remains with nothing changed: the",
    "  checks across files, reading about 3,000 cache files, hashing what each page and",
    "  group depends on, and swapping the folders in.",
    "- **Our stages vs MkDocs** (no cache, the earlier target): loading YAML with a",
    "  position for every node is most of it; pausing the garbage collector while loading",
    "  and rendering halved parsing, and large kinds pass a compiled schema check.",
    "- **The preview** validates only files whose bytes changed, renders only pages whose",
    "  inputs changed, and builds the pages open in a browser first (MkDocs dirty builds;",
    "  our search index written again after each); every other page follows in the",
    "  background, 100 at a time, giving way to the next save.",
    "- **Memory** is the peak of all the stage's processes together (proportional set",
    "  size, so pages a forked worker shares with its parent count once), sampled every",
    "  50 ms.",
    "- **First search** from `file://` is the page load, the search box loading",
    "  search-engine.js and the index, the engine analysing every page (stems, compounds)",
    "  and the query; in brackets the same on the site Zensical built.",
    "- A size marked (earlier run) was not measured again in this run (`--sizes`).",
]


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 1000, 5000])
    parser.add_argument("--full-build-up-to", type=int, default=5000)
    parser.add_argument(
        "--report-only", action="store_true", help=f"rewrite RESULTS.md from {RAW.name}"
    )
    parser.add_argument(
        "--quick", action="store_true", help="each stage once, no browser or preview (tests)"
    )
    parser.add_argument("--work", type=Path, default=WORK, help="where the playbooks go")
    parser.add_argument("--results", type=Path, default=RESULTS, help="the report to write")
    args = parser.parse_args()
    raw = args.work / RAW.name
    if args.report_only:
        args.results.write_text(report(json.loads(raw.read_text("utf-8"))), "utf-8")
        return
    rows = []
    args.work.mkdir(parents=True, exist_ok=True)
    for size in args.sizes:
        started = time.perf_counter()
        rows.append(measure(size, size <= args.full_build_up_to, args.work, args.quick))
        print(f"{size} entries measured in {time.perf_counter() - started:.0f} s", flush=True)
        raw.write_text(json.dumps(rows, indent=1), "utf-8")  # kept if a later size fails
    args.results.write_text(report(rows), "utf-8")
    print(f"wrote {args.results}")


if __name__ == "__main__":
    main()
