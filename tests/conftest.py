"""Shared fixtures: the sample site is built once per session and shared."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock

from sales_playbook import __version__
from sales_playbook.authoring import install
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


def run_build(
    playbook: Path, out: Path, *args: str, python: str = ""
) -> subprocess.CompletedProcess[str]:
    """`playbook build` of `playbook` into `out`/site (its build folder `out`/build), dated
    TODAY, in a process of its own (`run_playbook`; `python` runs first there)."""
    return run_playbook(
        "build", str(playbook), "--out", str(out / "site"), "--build-dir", str(out / "build"),
        "--today", TODAY.isoformat(), *args, python=python,
    )  # fmt: skip


def installed_aside(requirement: str, folder: Path) -> dict[str, str]:
    """`requirement` (e.g. `typst==0.15.0`) installed into `folder` alone, from the package
    index once and then pip's cache: the environment of a process that imports it first."""
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(folder), requirement],
        check=True, timeout=600,
    )  # fmt: skip
    path = os.pathsep.join(p for p in (str(folder), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path}


def strings_in(value: object) -> list[str]:
    """Every string in a parsed JSON or YAML document, depth first."""
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings_in(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return [value] if isinstance(value, str) else []


def tree_digest(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@dataclass(frozen=True)
class SampleBuild:
    site: Path
    build: Path
    result: pipeline.Built


BUILT: dict[str, SampleBuild] = {}  # this process's builds, by engine


def built_sample(factory: pytest.TempPathFactory, engine: str = "mkdocs") -> SampleBuild:
    if engine not in BUILT:
        BUILT[engine] = _build_sample(factory, engine)
    return BUILT[engine]


def _build_sample(factory: pytest.TempPathFactory, engine: str) -> SampleBuild:
    """The sample playbook built by `engine`, once per test run and shared (tests only
    read it).

    Under pytest-xdist each worker is a session of its own: the first worker to need the
    build makes it, under a lock, into the run's folder (the parent of every worker's);
    the others wait for it and read that build and its pickled result."""
    name = "sample" if engine == "mkdocs" else f"sample-{engine}"
    if "PYTEST_XDIST_WORKER" not in os.environ:
        out = factory.mktemp(name)
        result = pipeline.build(SAMPLE, out / "site", out / "build", TODAY, engine=engine)
        return SampleBuild(out / "site", out / "build", result)
    run = factory.getbasetemp().parent  # this run's, shared by its workers
    out = run / name
    done = out / "result.pickle"
    with FileLock(run / f"{name}.lock"):
        if not done.exists():
            built = pipeline.build(SAMPLE, out / "site", out / "build", TODAY, engine=engine)
            done.write_bytes(pickle.dumps(built))
    return SampleBuild(out / "site", out / "build", pickle.loads(done.read_bytes()))


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """The sample playbook built by the default engine (MkDocs)."""
    return built_sample(tmp_path_factory)


ENGINES = ("mkdocs", "zensical")


@pytest.fixture(scope="session", params=ENGINES)
def engine_sample(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> SampleBuild:
    """The sample built by each engine in turn: the checks every site must pass."""
    return built_sample(tmp_path_factory, request.param)


@pytest.fixture(scope="session")
def zensical_sample(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    """The sample built by Zensical (`playbook build --engine zensical`)."""
    return built_sample(tmp_path_factory, "zensical")


@pytest.fixture(scope="session", autouse=True)
def tool_from_an_index() -> Iterator[None]:
    """In-process, `playbook init` writes its repository as for a tool installed from a
    package index, however the test environment installed it (from this folder with
    `make test`: a wheel in tools/ then). tests/test_install.py covers each way by
    itself, tests/test_adoption.py the whole path from a wheel."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(install, "running_origin", lambda: install.Origin("index", __version__))
        yield


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


# --- running in parallel (`make test`: pytest-xdist, -n auto --dist loadgroup) ---------------
#
# Tests that share a module-scoped fixture run on one worker, in their order: the fixture is
# set up once (a build, a browser context whose choices the next test sees), not once per
# worker. Tests of a parametrized one (a build per payload) are grouped per parameter, so
# those still spread. xdist 3.8 groups by renaming node ids, which pytest 9.2's structured
# ids ignore; so the workers write each test's group to a file and the scheduler reads it.

GROUPS = "PLAYBOOK_TEST_GROUPS"  # the folder for the groups, set by the controller


def module_group(item: pytest.Item) -> str | None:
    """The group of a test using a module-scoped fixture: its file (and their parameters)."""
    fixtures = getattr(item, "_fixtureinfo", None)
    if fixtures is None:
        return None
    shared = sorted(
        name
        for name, definitions in fixtures.name2fixturedefs.items()
        if definitions[-1].scope == "module"
    )
    if not shared:
        return None
    params = getattr(item, "callspec", None)
    chosen = params.params if params is not None else {}
    return ",".join(
        [item.path.relative_to(ROOT).as_posix()]
        + [f"{name}={chosen[name]}" for name in shared if name in chosen]
    )


def pytest_configure(config: pytest.Config) -> None:
    """The controller of a parallel run makes the folder its workers write the groups to."""
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", None):
        return
    os.environ[GROUPS] = tempfile.mkdtemp(prefix="pytest-groups-")


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and GROUPS in os.environ:
        shutil.rmtree(os.environ.pop(GROUPS), ignore_errors=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A worker writes the groups of what it collected (every worker collects the same)."""
    if not hasattr(config, "workerinput") or GROUPS not in os.environ:
        return
    groups = {item.nodeid: group for item in items if (group := module_group(item))}
    target = Path(os.environ[GROUPS]) / f"{config.workerinput['workerid']}.json"
    target.with_suffix(".tmp").write_text(json.dumps(groups), "utf-8")
    target.with_suffix(".tmp").replace(target)  # whole, before the worker reports its tests


@pytest.hookimpl(tryfirst=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """--dist loadgroup, with the groups the workers wrote (else xdist_group marks)."""
    if config.getoption("dist") != "loadgroup" or GROUPS not in os.environ:
        return None
    from xdist.scheduler import LoadGroupScheduling

    class ModuleGroups(LoadGroupScheduling):
        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # asked once every worker has collected
                written = sorted(Path(os.environ[GROUPS]).glob("*.json"))
                self.groups = json.loads(written[0].read_text("utf-8")) if written else {}
            return self.groups.get(nodeid) or super()._split_scope(nodeid)

    return ModuleGroups(config, log)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` (make test): two workers more than there are CPUs, as a third of the
    suite's time is spent waiting (on Chromium, on subprocesses, on a preview to reload).
    On 2 cores, 4 workers took 285 s where 3 took 300 s.
    PYTEST_XDIST_AUTO_NUM_WORKERS still decides when set."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None
    return len(os.sched_getaffinity(0)) + 2
