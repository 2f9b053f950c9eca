"""Two builds into the same folders run one after the other (runtime/lock.py): neither
removes the other's work, both succeed, and the site is what one build makes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sales_playbook.runtime.lock import lock_file, one_at_a_time

from ..conftest import CASES, TODAY, tree_digest

CODE = "from sales_playbook.cli import main; raise SystemExit(main())"


def start(source: Path, out: Path) -> subprocess.Popen[str]:
    args = ["build", str(source), "--out", str(out / "site"), "--build-dir",
            str(out / "build"), "--no-history", "--today", TODAY.isoformat()]  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-c", CODE, *args],
        stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip


def test_builds_sharing_their_folders_both_succeed(tmp_path: Path) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    clean = start(source, tmp_path / "clean")
    _, err = clean.communicate(timeout=300)
    assert clean.returncode == 0, err
    builds = [start(source, tmp_path / "shared") for _ in range(3)]
    for build in builds:
        _, err = build.communicate(timeout=300)
        assert build.returncode == 0, err
        assert "Traceback" not in err
    assert tree_digest(tmp_path / "shared" / "site") == tree_digest(tmp_path / "clean" / "site")
    leftovers = [p.name for p in (tmp_path / "shared").iterdir() if p.name.startswith(".")]
    assert leftovers == [".playbook-output"]  # no half-built folder of either


def test_a_build_waits_while_another_holds_its_folders(tmp_path: Path) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    out = tmp_path / "out"
    with one_at_a_time(out / "site", out / "build", waiting=print):
        build = start(source, out)
        assert build.stderr is not None
        line = build.stderr.readline()  # it says so, and writes nothing meanwhile
        assert "waiting for another playbook command writing" in line
        time.sleep(0.5)
        assert build.poll() is None and not out.exists()
    _, err = build.communicate(timeout=300)
    assert build.returncode == 0, err
    assert (out / "site" / "index.html").is_file()


def test_a_lock_file_planted_as_a_link_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    target = tmp_path / "precious"
    target.write_text("keep")
    planted = lock_file(tmp_path / "out")
    planted.parent.mkdir(parents=True)
    planted.symlink_to(target)
    with one_at_a_time(tmp_path / "out", waiting=print):  # unlocked, not through the link
        pass
    assert target.read_text() == "keep" and planted.is_symlink()
