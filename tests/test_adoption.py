"""An organisation adopts the tool from a wheel, as on a fresh machine, end to end.

The wheel of this checkout goes into a fresh virtual environment (its dependencies from
the package index, which does not have the tool itself); `playbook init` there makes a
repository; in that repository, `pip install -r requirements.txt` into another fresh
environment, `pre-commit run --all-files`, and the commands of the CI workflow init
wrote must all pass. Nothing comes from this checkout's environment but pip and
pre-commit (PYTHONPATH is dropped); pip's cache keeps it quick.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

from .conftest import ROOT

IDENTITY = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def run(
    *args: str | Path, cwd: Path, path: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """A command as on a fresh machine: no PYTHONPATH; `path` first on PATH."""
    clean = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if path is not None:
        clean["PATH"] = f"{path}{os.pathsep}{clean['PATH']}"
    clean.pop("VIRTUAL_ENV", None)
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**clean, **IDENTITY, "NO_MKDOCS_2_WARNING": "1", **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


def fresh_venv(folder: Path, *requirements: str | Path, cwd: Path) -> Path:
    """A new environment without pip of its own (no ensurepip, so no python3-venv needed
    on Debian for the test): this environment's pip installs into it."""
    run(sys.executable, "-m", "venv", "--without-pip", folder, cwd=cwd)
    run(sys.executable, "-m", "pip", "--python", folder / "bin" / "python", "install",
        "--quiet", *requirements, cwd=cwd)  # fmt: skip
    return folder / "bin"


def commands_of(workflow: dict[str, Any]) -> list[str]:
    """The one-line `playbook …` steps of the CI workflow, in order (the multi-line ones
    talk to GitHub: tests/test_workflow.py runs those against stand-ins)."""
    return [
        step["run"].strip()
        for job in workflow["jobs"].values()
        for step in job["steps"]
        if step.get("run", "").startswith("playbook ") and "\n" not in step["run"].strip()
    ]


def test_a_wheel_adopted_on_a_fresh_machine_passes_hooks_and_ci(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "build", "--no-isolation", "--wheel", "--outdir", dist, ROOT,
        cwd=tmp_path)  # fmt: skip
    (wheel,) = dist.glob("sales_playbook-*.whl")
    version = wheel.name.split("-")[1]

    # the tool, core only, as someone would install a wheel they were given
    tool = fresh_venv(tmp_path / "tool", wheel, cwd=tmp_path)
    done = run(tool / "playbook", "init", "org", cwd=tmp_path)
    assert "warning" not in done.stderr, done.stderr
    org = tmp_path / "org"
    assert (org / "tools" / wheel.name).read_bytes() == wheel.read_bytes()  # the same wheel
    requirements = (org / "requirements.txt").read_text("utf-8")
    assert requirements.splitlines()[-1] == f"./tools/{wheel.name}[site]"

    # what CI and editors do: the pinned tool, with the site engine, in another environment
    ci = fresh_venv(tmp_path / "ci", "-r", "requirements.txt", cwd=org)
    said = run(ci / "playbook", "--version", cwd=org).stdout.split()
    assert said == ["playbook", version]

    run("git", "init", "-q", cwd=org)
    run("git", "add", "-A", cwd=org)
    hooks = run(sys.executable, "-m", "pre_commit", "run", "--all-files", cwd=org, path=ci,
                PRE_COMMIT_HOME=str(tmp_path / "pre-commit"), PRE_COMMIT_COLOR="never")  # fmt: skip
    assert hooks.stdout.count("Passed") == 2, hooks.stdout
    run("git", "commit", "-qm", "Unser Playbook", cwd=org)  # the build reads the history

    workflow = yaml.safe_load((org / ".github" / "workflows" / "playbook.yml").read_text())
    installs = {
        name: [s.get("run", "") for s in job["steps"]]
        for name, job in workflow["jobs"].items()
        if any(s.get("run", "").startswith("playbook ") for s in job["steps"])
    }
    for name, runs in installs.items():  # each job installs what the test installed
        assert "pip install -r requirements.txt" in runs, name
    commands = commands_of(workflow)
    for needed in ("playbook validate", "playbook codeowners", "playbook build"):
        assert any(c.startswith(needed) for c in commands), needed
    for command in commands:
        run(*shlex.split(command), cwd=org, path=ci)
    assert (org / "site" / "index.html").is_file()
    assert (org / "site" / "cards" / "decision-cards.pdf").stat().st_size > 1000
