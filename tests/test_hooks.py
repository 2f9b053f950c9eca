"""The pre-commit hook `playbook-validate` as an organisation's repository gets it.

pre-commit installs the hook from a clean copy of this repository (the tracked files of
HEAD) into an environment of its own, with the core dependencies only (from the package
index, as for any user), and runs it on a repository made by `playbook init`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sales_playbook.authoring import starter

from .conftest import ROOT

GIT_ID = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.invalid",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.invalid",
}


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None, ok: bool = True) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env={**os.environ, **GIT_ID, **(env or {})},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = done.stdout + done.stderr
    assert (done.returncode == 0) == ok, f"{args} exited {done.returncode}\n{output}"
    return output


@pytest.fixture(scope="module")
def tool(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """This repository as pre-commit fetches it: HEAD's tracked files, one commit."""
    copy = tmp_path_factory.mktemp("tool") / "sales-playbook"
    copy.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", "HEAD"],
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(copy)], input=archive, check=True, timeout=120)
    run("git", "init", "-q", cwd=copy)
    run("git", "add", "-A", cwd=copy)
    run("git", "commit", "-qm", "HEAD of the tool", cwd=copy)
    return copy


def new_org(folder: Path) -> Path:
    starter.init_project(folder)
    run("git", "init", "-q", cwd=folder)
    run("git", "add", "-A", cwd=folder)
    return folder


def pre_commit(*args: str | Path, cwd: Path, home: Path, ok: bool = True) -> str:
    return run(
        sys.executable,
        "-m",
        "pre_commit",
        *args,
        cwd=cwd,
        env={"PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"},
        ok=ok,
    )


def test_try_repo_validates_a_new_organisation(tool: Path, tmp_path: Path) -> None:
    org = new_org(tmp_path / "org")
    output = pre_commit(
        "try-repo", tool, "playbook-validate", "--all-files", cwd=org, home=tmp_path / "cache"
    )
    assert "playbook validate" in output and "Passed" in output


def test_the_org_config_runs_the_core_hook_and_reports_where(tool: Path, tmp_path: Path) -> None:
    """The `.pre-commit-config.yaml` init writes, pointed at the copy: the hook passes,
    its environment holds the core only, and a typo fails with file:line:column."""
    org = new_org(tmp_path / "org")
    config_file = org / ".pre-commit-config.yaml"
    config = yaml.safe_load(config_file.read_text("utf-8"))
    config["repos"][0]["repo"] = str(tool)  # the tool's repository, here: the copy of HEAD
    config["repos"][0]["rev"] = run("git", "rev-parse", "HEAD", cwd=tool).strip()
    config_file.write_text(yaml.safe_dump(config), "utf-8")
    run("git", "add", "-A", cwd=org)
    home = tmp_path / "cache"

    output = pre_commit("run", "playbook-validate", "--all-files", cwd=org, home=home)
    assert "Passed" in output

    [site_packages] = home.glob("repo*/py_env-*/lib/python*/site-packages")
    installed = {p.name.lower() for p in site_packages.iterdir()}
    assert "sales_playbook" in installed
    assert {"jinja2", "yaml", "jsonschema", "fastjsonschema"} <= installed
    for engine in ("mkdocs", "material", "typst", "nh3", "segno"):
        assert engine not in installed, f"the hook installed {engine}: core only, please"

    entry = org / "playbook" / "non-negotiables" / "rabatt-obergrenze.yml"
    lines = entry.read_text("utf-8").splitlines(keepends=True)
    line = next(n for n, text in enumerate(lines, 1) if text.startswith("owner:"))
    lines[line - 1] = lines[line - 1].replace("owner:", "ownr:")
    entry.write_text("".join(lines), "utf-8")
    run("git", "add", "-A", cwd=org)
    output = pre_commit("run", "playbook-validate", "--all-files", cwd=org, home=home, ok=False)
    assert "Failed" in output
    assert f"playbook/non-negotiables/rabatt-obergrenze.yml:{line}:1" in output
    assert "unknown key `ownr`" in output
