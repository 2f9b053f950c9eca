"""The pre-commit hooks as an organisation's repository gets them.

pre-commit installs the hooks from a clean copy of this repository (the tracked files of
HEAD, one commit) into an environment of its own, with the core dependencies only (from
the package index, as for any user), and runs them on a repository that `playbook init`
made as for a tool installed from that repository at that commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sales_playbook import __version__
from sales_playbook.authoring import install, starter

from .conftest import ROOT, run_cli

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


def new_org(folder: Path, tool: Path) -> Path:
    """`playbook init` as run by a tool installed from `tool` (git) at its HEAD."""
    commit = run("git", "rev-parse", "HEAD", cwd=tool).strip()
    origin = install.Origin("vcs", __version__, url=tool.as_uri(), vcs="git", commit=commit)
    starter.init_project(folder, install=install.install_for(origin))
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
    org = new_org(tmp_path / "org", tool)
    output = pre_commit(
        "try-repo", tool, "playbook-validate", "--all-files", cwd=org, home=tmp_path / "cache"
    )
    assert "playbook validate" in output and "Passed" in output


def test_the_org_config_runs_the_core_hook_and_reports_where(tool: Path, tmp_path: Path) -> None:
    """The `.pre-commit-config.yaml` init writes names the tool's repository at the commit
    requirements.txt installs: the hooks pass, their environment holds the core only, and
    a typo fails with file:line:column, printed once (the CODEOWNERS hook leaves it to the
    validate hook); a change to mkdocs.yml runs the validate hook too."""
    org = new_org(tmp_path / "org", tool)
    commit = run("git", "rev-parse", "HEAD", cwd=tool).strip()
    config = yaml.safe_load((org / ".pre-commit-config.yaml").read_text("utf-8"))
    assert config["repos"] == [
        {
            "repo": tool.as_uri(),
            "rev": commit,
            "hooks": [{"id": "playbook-validate"}, {"id": "playbook-codeowners"}],
        }
    ]
    requirement = (org / "requirements.txt").read_text("utf-8").splitlines()[-1]
    assert requirement == f"sales-playbook[site] @ git+{tool.as_uri()}@{commit}"
    home = tmp_path / "cache"

    output = pre_commit("run", "--all-files", cwd=org, home=home)
    assert output.count("Passed") == 2, output

    site_packages = list(home.glob("repo*/py_env-*/lib/python*/site-packages"))
    assert site_packages  # one environment for both hooks (same repository, same deps)
    installed = {p.name.lower() for p in site_packages[0].iterdir()}
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
    output = pre_commit("run", "--all-files", cwd=org, home=home, ok=False)
    assert output.count("Failed") == 2, output  # validate, and codeowners cannot compare
    where = f"playbook/non-negotiables/rabatt-obergrenze.yml:{line}:1"
    assert output.count(where) == 1, output  # each problem once
    assert output.count("unknown key `ownr`") == 1, output
    assert "`playbook validate` shows them" in output

    run("git", "checkout", "--", ".", cwd=org)
    (org / "mkdocs.yml").write_text("theme:\n  palette: [\n", "utf-8")
    run("git", "add", "-A", cwd=org)
    output = pre_commit(
        "run", "playbook-validate", "--files", "mkdocs.yml", cwd=org, home=home, ok=False
    )
    assert "Failed" in output and "mkdocs.yml:" in output, output


def test_codeowners_check_names_the_playbook_s_problems_once_without_listing_them(
    tmp_path: Path,
) -> None:
    """In-process: `codeowners --check` on a broken playbook says how many problems there
    are and who shows them; `codeowners` without --check still lists them."""
    org = tmp_path / "org"
    starter.init_project(org)
    entry = org / "playbook" / "non-negotiables" / "rabatt-obergrenze.yml"
    entry.write_text(entry.read_text("utf-8").replace("owner:", "ownr:", 1), "utf-8")
    code, err = run_cli(
        "codeowners", str(org / "playbook"), "--check", "--out", str(org / ".github/CODEOWNERS")
    )
    assert code == 1
    assert "rabatt-obergrenze.yml:" not in err and "ownr" not in err
    assert "problem(s) in the playbook; `playbook validate` shows them" in err
    code, err = run_cli("codeowners", str(org / "playbook"))
    assert code == 1 and "unknown key `ownr`" in err
