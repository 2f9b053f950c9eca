"""Output folders that can't hurt: refused before anything is touched, or ours to replace."""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ..conftest import CASES, TODAY, run_playbook, tree_digest
from ..test_diff import git

DAY = ["--today", TODAY.isoformat()]


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A repository holding a playbook, as an organisation has it."""
    repo = tmp_path / "repo"
    shutil.copytree(CASES / "base", repo / "playbook")
    (repo / "README.md").write_text("unser Playbook\n", "utf-8")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "v1")
    return repo


playbook = run_playbook


REFUSED = [
    ("build", "--out", "{repo}", "is the current folder"),
    ("build", "--out", "{repo}/..", "contains the playbook folder"),
    ("build", "--out", ".", "is the current folder"),
    ("build", "--out", "..", "contains the playbook folder"),
    ("build", "--out", "/", "is the filesystem root"),
    ("build", "--out", "playbook", "is the playbook folder"),
    ("build", "--build-dir", ".", "is the current folder"),
    ("build", "--build-dir", "playbook", "is the playbook folder"),
    ("build", "--build-dir", "playbook/generated", "inside the playbook folder"),
    ("build", "--out", "README.md", "is a file"),
    ("build", "--out", "docs", "did not make"),
    ("cards", "--out", "playbook", "is the playbook folder"),
    ("cards", "--out", "docs", "did not make"),
    ("serve", "--build-dir", ".", "is the current folder"),
]


@pytest.mark.parametrize(("command", "option", "target", "says"), REFUSED)
def test_dangerous_output_folder_is_refused_before_anything_is_touched(
    clone: Path, command: str, option: str, target: str, says: str
) -> None:
    (clone / "docs").mkdir()
    (clone / "docs" / "handbuch.md").write_text("von Hand geschrieben\n", "utf-8")
    before = tree_digest(clone.parent)
    done = playbook(command, "playbook", option, target.format(repo=clone), *DAY, cwd=clone)
    assert done.returncode == 2, done.stderr
    assert says in done.stderr
    assert "Traceback" not in done.stderr
    assert tree_digest(clone.parent) == before


def test_a_folder_made_by_playbook_is_replaced_on_the_next_build(clone: Path) -> None:
    for _ in range(2):
        done = playbook("build", "playbook", "--out", "site", *DAY, cwd=clone)
        assert done.returncode == 0, done.stderr
    assert (clone / "site" / "index.html").is_file()
    done = playbook("cards", "playbook", "--out", "site/cards", "--size", "A7", *DAY, cwd=clone)
    assert done.returncode == 0, done.stderr


def test_a_killed_build_leaves_the_site_and_its_leftovers_are_removed_next_time(
    clone: Path,
) -> None:
    assert playbook("build", "playbook", *DAY, cwd=clone).returncode == 0
    site = tree_digest(clone / "site")
    stranger = clone / ".site-new-not-ours"  # looks like ours, but carries no marker
    stranger.mkdir()
    build = subprocess.Popen(
        [sys.executable, "-m", "sales_playbook.cli", "build", "playbook", *DAY],
        cwd=clone,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while not [p for p in clone.glob(".site-new-*") if p != stranger]:
        assert build.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    build.send_signal(signal.SIGKILL)
    build.wait()
    assert tree_digest(clone / "site") == site  # the previous site is intact
    # the killed build's folders (the site, maybe the printables made beside it), the stranger
    left = [p.name.split("-")[1] for p in clone.glob(".site-*-*") if p != stranger]
    assert "new" in left and set(left) <= {"new", "printed"}

    assert playbook("build", "playbook", *DAY, cwd=clone).returncode == 0
    assert list(clone.glob(".site-*-*")) == [stranger]
    assert list((clone / "build").glob(".docs-*-*")) == []


def test_a_full_disk_is_one_line_and_leaves_the_site_as_it_was(
    clone: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno
    import io
    from contextlib import redirect_stderr

    from sales_playbook.cli import main

    monkeypatch.chdir(clone)
    assert main(["build", "playbook", *DAY]) == 0
    site = tree_digest(clone / "site")

    def full(self: Path, *args: object, **kwargs: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(Path, "write_bytes", full)
    monkeypatch.setattr(Path, "write_text", full)
    err = io.StringIO()
    with redirect_stderr(err):
        code = main(["build", "playbook", *DAY])
    assert code == 1
    assert err.getvalue().count("\n") == 1
    assert "No space left on device" in err.getvalue()
    monkeypatch.undo()
    assert tree_digest(clone / "site") == site
    assert list(clone.glob(".site-*")) == []
    assert list((clone / "build").glob(".docs-*")) == []
