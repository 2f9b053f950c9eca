"""Edit-to-reload time of `playbook serve`: change a title, wait until the page shows it."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
            return response.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def edit_to_reload(
    playbook: Path, work: Path, entry: str, timeout: float = 300
) -> dict[str, float]:
    """Start the preview, change `entry`'s title, time until the served page shows it."""
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    server = subprocess.Popen(
        [sys.executable, "-m", "sales_playbook.cli", "serve", str(playbook),
         "--build-dir", str(work / "preview"), "--address", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        started = time.perf_counter()
        while "Was darf ich" not in fetch(base) and time.perf_counter() - started < timeout:
            time.sleep(0.2)
        startup = time.perf_counter() - started
        folder, name = entry.split("/")
        path = playbook / folder / f"{name}.yml"
        text = path.read_text("utf-8")
        marker = f"Neu-{int(time.time())}"
        path.write_text(text.replace("\ntitle: ", f"\ntitle: {marker} ", 1), "utf-8")
        edited = time.perf_counter()
        page = f"{base}{folder}/{name}.html"
        while marker not in fetch(page) and time.perf_counter() - edited < timeout:
            time.sleep(0.1)
        reload = time.perf_counter() - edited
        arrived = marker in fetch(page)
        path.write_text(text, "utf-8")
        if not arrived:
            raise TimeoutError(f"the preview did not show the edit within {timeout:.0f} s")
        return {"startup_s": round(startup, 2), "edit_to_reload_s": round(reload, 2)}
    finally:
        server.terminate()
        server.wait(timeout=30)
