"""Save-to-visible times of `playbook serve`: from writing a source file until the served
page shows the change (the server is polled every 20 ms).

- edit: an entry's title changed -> its page shows the new title;
- add: a new entry -> its page is served;
- delete: that entry removed -> its page is gone (404) and its overview no longer lists it;
- config: playbook.yml's title changed -> the entry's page carries the new title.

Each is the median of `runs` rounds; after each change the source is put back and the
preview is waited for before the next round.
"""

from __future__ import annotations

import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLL = 0.02  # seconds between two requests while waiting for a change to show


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # loopback only
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def fetch(url: str) -> str:
    return get(url)[1]


def wait_for(check: Callable[[], bool], what: str, timeout: float) -> float:
    """Seconds until `check()` holds (polled every 20 ms); TimeoutError after `timeout`."""
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"the preview did not {what} within {timeout:.0f} s")
        time.sleep(POLL)
    return time.perf_counter() - started


@contextmanager
def serving(playbook: Path, work: Path, timeout: float, *extra: str) -> Iterator[tuple[str, float]]:
    """A running `playbook serve` of `playbook`: its URL and how long it took to start."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with (work / "serve.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "sales_playbook.cli", "serve", str(playbook),
             "--build-dir", str(work / "preview"), "--address", f"127.0.0.1:{port}", *extra],
            cwd=ROOT, env=env, stdout=log, stderr=log,
        )  # fmt: skip
        try:
            startup = wait_for(lambda: "Was darf ich" in fetch(base), "start", timeout)
            yield base, startup
        finally:
            server.terminate()
            server.wait(timeout=30)


def replaced(path: Path, old: str, new: str) -> str:
    text = path.read_text("utf-8")
    if old not in text:
        raise ValueError(f"{path} holds no {old!r}")
    return text.replace(old, new, 1)


@contextmanager
def browser_tab(url: str, base: str) -> Iterator[None]:
    """Have `url` open as a browser tab has it: the preview's reload script in the page keeps
    a question to /.playbook/reload waiting that names the page, and loads the page again
    when the answer is a later build (the preview rebuilds the pages open in a browser
    first)."""
    stop = threading.Event()
    path = urllib.parse.urlsplit(url).path

    def tab() -> None:
        while not stop.is_set():
            found = re.search(r'data-build="(\d+)"', fetch(url))
            if found is None:
                time.sleep(0.1)
                continue
            query = urllib.parse.urlencode({"since": found[1], "page": path})
            ask = f"{base}.playbook/reload?{query}"
            try:
                with urllib.request.urlopen(ask, timeout=90) as answer:  # loopback only
                    answer.read()
            except OSError:
                time.sleep(0.1)

    threading.Thread(target=tab, daemon=True).start()
    try:
        yield
    finally:
        stop.set()


def settled(log: Path) -> bool:
    """Whether the preview's last rebuild left no pages to build (its log says so)."""
    said = [
        line
        for line in log.read_text("utf-8", errors="replace").splitlines()
        if line.startswith(("rebuilt ", "all pages up to date", "nothing changed"))
    ]
    return not said or "more follow" not in said[-1]


def _round(
    playbook: Path, base: str, entry: str, run: int, log: Path, timeout: float
) -> dict[str, float]:
    """Edit, add, delete and retitle once, each undone; the preview settles in between.

    `<what>_s`: until the page shows the change; `<what>_site_s`: until every page does."""
    folder, name = entry.split("/")
    source, settings = playbook / folder / f"{name}.yml", playbook / "playbook.yml"
    original, original_settings = source.read_text("utf-8"), settings.read_text("utf-8")
    page, overview = f"{base}{folder}/{name}.html", f"{base}{folder}/index.html"
    marker = f"Neu{run}x{int(time.time())}"
    new_id = f"{name}-neu{run}"
    added, new_page = playbook / folder / f"{new_id}.yml", f"{base}{folder}/{new_id}.html"
    times: dict[str, float] = {}

    def timed(what: str, change: Callable[[], object], shows: Callable[[], bool]) -> None:
        wait_for(lambda: settled(log), "settle", timeout)
        started = time.perf_counter()
        change()
        times[f"{what}_s"] = wait_for(shows, f"show: {what}", timeout)
        wait_for(lambda: settled(log), "settle", timeout)
        times[f"{what}_site_s"] = time.perf_counter() - started

    try:
        edited = replaced(source, "\ntitle: ", f"\ntitle: {marker} ")
        timed("edit", lambda: source.write_text(edited, "utf-8"), lambda: marker in fetch(page))
        source.write_text(original, "utf-8")
        wait_for(lambda: marker not in fetch(page), "undo an edit", timeout)

        text = original.replace(f"\nid: {name}\n", f"\nid: {new_id}\n", 1)
        new = text.replace("\ntitle: ", f"\ntitle: {marker} ", 1)
        timed("add", lambda: added.write_text(new, "utf-8"), lambda: marker in fetch(new_page))
        timed(
            "delete",
            added.unlink,
            lambda: get(new_page)[0] == 404 and new_id not in fetch(overview),
        )

        retitled = replaced(settings, "\ntitle: ", f"\ntitle: {marker} ")
        timed(
            "config",
            lambda: settings.write_text(retitled, "utf-8"),
            lambda: f"- {marker} " in fetch(page),
        )
        settings.write_text(original_settings, "utf-8")
        wait_for(lambda: marker not in fetch(page), "undo a retitle", timeout)
        wait_for(lambda: settled(log), "settle", timeout)
    finally:
        source.write_text(original, "utf-8")
        settings.write_text(original_settings, "utf-8")
        added.unlink(missing_ok=True)
    return times


def preview_timings(
    playbook: Path, work: Path, entry: str, runs: int = 3, timeout: float = 300
) -> dict[str, float]:
    """Start the preview of `playbook`; time edit, add, delete and a new title (the
    median of `runs` rounds), with the entry's page and its overview open in a browser
    (`edit_s`: until the page shows the edit; `edit_site_s`: until every page does)."""
    work.mkdir(parents=True, exist_ok=True)
    folder, name = entry.split("/")
    with serving(playbook, work, timeout) as (base, startup):
        page, overview = f"{base}{folder}/{name}.html", f"{base}{folder}/index.html"
        with browser_tab(page, base), browser_tab(overview, base):
            log = work / "serve.log"
            rounds = [_round(playbook, base, entry, run, log, timeout) for run in range(runs)]
    result = {k: round(statistics.median(r[k] for r in rounds), 2) for k in rounds[0]}
    return {"startup_s": round(startup, 2), **result, "edit_to_reload_s": result["edit_s"]}


def edit_to_reload(
    playbook: Path, work: Path, entry: str, timeout: float = 300
) -> dict[str, float]:
    """Start the preview, change `entry`'s title, time until the served page shows it."""
    work.mkdir(parents=True, exist_ok=True)
    folder, name = entry.split("/")
    path = playbook / folder / f"{name}.yml"
    text = path.read_text("utf-8")
    with serving(playbook, work, timeout) as (base, startup):
        marker = f"Neu-{int(time.time())}"
        try:
            path.write_text(replaced(path, "\ntitle: ", f"\ntitle: {marker} "), "utf-8")
            page = f"{base}{folder}/{name}.html"
            reload = wait_for(lambda: marker in fetch(page), "show the edit", timeout)
        finally:
            path.write_text(text, "utf-8")
    return {"startup_s": round(startup, 2), "edit_to_reload_s": round(reload, 2)}


if __name__ == "__main__":  # python -m bench.reload [ENTRIES]: the four times, as JSON
    import json
    import tempfile

    from .generate import generate

    entries = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    with tempfile.TemporaryDirectory() as scratch:
        playbook = generate(entries, Path(scratch) / "playbook")
        timings = preview_timings(playbook, Path(scratch), "escalation-paths/rabatt-freigabe")
    print(json.dumps({"entries": entries, **timings}, indent=2))
