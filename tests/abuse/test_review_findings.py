"""Cases an adversarial review found: each fails cleanly, or works as a user expects."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import CASES, TODAY, run_playbook
from ..test_diff import git

DAY = ["--today", TODAY.isoformat()]


playbook = run_playbook


@pytest.fixture
def org(tmp_path: Path) -> Path:
    repo = tmp_path / "org"
    shutil.copytree(CASES / "base", repo / "playbook")
    return repo


def test_build_accepts_folders_that_cards_made_before(org: Path) -> None:
    assert playbook("cards", "--size", "A7", *DAY, cwd=org).returncode == 0  # makes site/
    done = playbook("cards", "--out", "build/teamleitung", "--size", "A7", *DAY, cwd=org)
    assert done.returncode == 0, done.stderr
    done = playbook("build", *DAY, cwd=org)
    assert done.returncode == 0, done.stderr
    assert (org / "site" / "index.html").is_file()


@pytest.mark.parametrize(
    "args",
    [
        ["serve", "--address", "nonsense"],
        ["serve", "--address", "127.0.0.1:99999"],
        ["codeowners", "--out", "."],
        ["codeowners", "--out", "playbook/playbook.yml"],
        ["schemas", "--out", "/"],
        ["schemas", "--out", "playbook"],
        ["init", "playbook/nested"],
        ["build", "--out", "out", "--build-dir", "out"],
        ["build", "--out", "out", "--build-dir", "out/work"],
        ["cards", "--n-up", "0"],
        ["diff", "nirgends", "--base", "HEAD"],
    ],
)
def test_refused_cleanly_and_nothing_changed(args: list[str], org: Path) -> None:
    before = sorted(p.relative_to(org) for p in org.rglob("*"))
    done = playbook(*args, *DAY if args[0] not in ("init", "schemas") else [], cwd=org)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert sorted(p.relative_to(org) for p in org.rglob("*")) == before
    if "nirgends" in args:
        assert "nirgends is not a folder" in done.stderr


def test_output_to_a_closed_pipe_is_no_traceback(org: Path) -> None:
    (org / "playbook" / "non-negotiables" / "preisregel.yml").write_text("id: [\n", "utf-8")
    command = f"{sys.executable} -m sales_playbook validate --format json | head -c 10"
    done = subprocess.run(command, shell=True, cwd=org, capture_output=True, text=True, check=False)
    assert "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr


def test_diff_against_a_revision_before_the_playbook_lists_everything_as_added(
    org: Path,
) -> None:
    source = org / "playbook"
    shutil.move(source, org.parent / "later")
    (org / "README.md").write_text("noch kein Playbook\n", "utf-8")
    git(org, "init", "-q")
    git(org, "add", ".")
    git(org, "commit", "-qm", "repository")
    shutil.move(org.parent / "later", source)
    done = playbook("diff", "HEAD", "--format", "json", *DAY, cwd=org)
    assert done.returncode == 0, done.stderr
    assert '"change": "added"' in done.stdout
    assert '"change": "removed"' not in done.stdout


def test_a_folder_that_is_no_playbook_is_not_read_through(tmp_path: Path) -> None:
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "x.yml").write_text("x: 1\n", "utf-8")
    done = playbook("validate", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1
    assert "error[missing-file]" in done.stderr
    assert "unknown-file" not in done.stderr
