"""`playbook serve` rebuilds the preview when a source changes (on loopback only)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.reload import ROOT, edit_to_reload, free_port

from .conftest import TODAY


def test_preview_shows_an_edit(base_playbook: Path, tmp_path: Path) -> None:
    # raises TimeoutError unless the served page shows the edited title
    timing = edit_to_reload(base_playbook, tmp_path, "non-negotiables/preisregel", timeout=60)
    assert timing["startup_s"] > 0


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # loopback only
            return response.status, response.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except OSError:
        return 0, ""


def eventually(check: Callable[[], bool], what: str, timeout: float = 60) -> None:
    started = time.perf_counter()
    while not check():
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"the preview did not {what} within {timeout:.0f} s")
        time.sleep(0.2)


@contextmanager
def serving(playbook: Path, work: Path) -> Iterator[str]:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    log = (work / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "sales_playbook.cli", "serve", str(playbook),
         "--build-dir", str(work / "preview"), "--address", f"127.0.0.1:{port}",
         "--today", TODAY.isoformat()],
        cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=log, stderr=log,
    )  # fmt: skip
    try:
        eventually(lambda: "Was darf ich" in get(base)[1], "start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_preview_follows_added_and_deleted_entries_and_the_settings(
    base_playbook: Path, tmp_path: Path
) -> None:
    org_settings = tmp_path / "mkdocs.yml"
    org_settings.write_text("theme:\n  palette:\n    primary: indigo\n", "utf-8")
    with serving(base_playbook, tmp_path) as base:
        assert get(f"{base}flexible-zones/ansprache.html")[0] == 200

        # a deleted entry's page disappears, and its overview no longer lists it
        (base_playbook / "flexible-zones" / "ansprache.yml").unlink()
        eventually(lambda: get(f"{base}flexible-zones/ansprache.html")[0] == 404, "drop a page")
        assert "Ansprache" not in get(f"{base}flexible-zones/index.html")[1]

        # a new entry appears
        rule = (base_playbook / "non-negotiables" / "preisregel.yml").read_text("utf-8")
        new = rule.replace("id: preisregel", "id: neuregel").replace("Preisregel", "Neue Regel")
        (base_playbook / "non-negotiables" / "neuregel.yml").write_text(new, "utf-8")
        eventually(lambda: "Neue Regel" in get(f"{base}non-negotiables/neuregel.html")[1], "add")
        assert "Neue Regel" in get(f"{base}non-negotiables/index.html")[1]

        # title, roles and navigation follow playbook.yml, on every page
        settings = base_playbook / "playbook.yml"
        settings.write_text(
            settings.read_text("utf-8").replace("title: Test-Playbook", "title: Umbenannt")
            + "  - id: coach\n    name: Coach\n    description: Begleitet.\n",
            "utf-8",
        )
        (base_playbook / "onboarding.yml").unlink()
        page = f"{base}non-negotiables/preisregel.html"
        eventually(lambda: "<title>Preisregel - Umbenannt</title>" in get(page)[1], "retitle")
        assert get(f"{base}roles/coach.html")[0] == 200
        assert "onboarding.html" not in get(page)[1]
        assert get(f"{base}onboarding.html")[0] == 404

        # the organisation's mkdocs.yml is watched too
        org_settings.write_text("theme:\n  palette:\n    primary: teal\n", "utf-8")
        eventually(lambda: 'data-md-color-primary="teal"' in get(page)[1], "recolour")

        # a broken edit keeps the last good preview
        (base_playbook / "non-negotiables" / "neuregel.yml").write_text("id: [kaputt\n", "utf-8")
        log = tmp_path / "serve.log"
        eventually(lambda: "error[yaml-syntax]" in log.read_text("utf-8"), "report a problem")
        assert "neuregel.yml:" in log.read_text("utf-8")
        assert "Neue Regel" in get(f"{base}non-negotiables/neuregel.html")[1]
