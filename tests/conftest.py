"""Shared fixtures: the sample site is built once per session and shared."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from sales_playbook.cli import main
from sales_playbook.commands import build as pipeline

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "playbook"
CASES = ROOT / "tests" / "cases"
TODAY = dt.date(2026, 11, 23)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def run_main(*args: str, today: dt.date = TODAY) -> tuple[int, str, str]:
    """Run the CLI in-process; return its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([*args, "--today", today.isoformat()])
    return code, out.getvalue(), err.getvalue()


def run_cli(*args: str, today: dt.date = TODAY) -> tuple[int, str]:
    """Run the CLI in-process; return its exit code and what it printed to stderr."""
    code, _, err = run_main(*args, today=today)
    return code, err


def run_playbook(
    *args: str, cwd: Path | None = None, python: str = "", timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    """The installed command in a process of its own, so a traceback or crash would show.

    `python` runs first in that process (e.g. to hide the site engine's packages).
    """
    code = python + "from sales_playbook.cli import main; raise SystemExit(main())"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )


def tree_digest(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@dataclass(frozen=True)
class SampleBuild:
    site: Path
    build: Path
    result: pipeline.Built


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """The sample playbook, built once per test session."""
    out = tmp_path_factory.mktemp("sample")
    result = pipeline.build(SAMPLE, out / "site", out / "build", TODAY)
    return SampleBuild(out / "site", out / "build", result)


@pytest.fixture
def base_playbook(tmp_path: Path) -> Path:
    """A copy of the small valid playbook in tests/cases/base, free to break."""
    target = tmp_path / "playbook"
    shutil.copytree(CASES / "base", target)
    return target


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is missing: run `make test` to install it"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
