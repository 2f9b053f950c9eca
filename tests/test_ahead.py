"""A rebuild starts the engine on the last build's docs beside its checks (site/ahead.py):
its site is taken only if this build's docs are the very same, and nothing in the build
folder can make it take, or read, anything else."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sales_playbook.commands import build as commands_build
from sales_playbook.site import ahead

from .conftest import TODAY, run_playbook, tree_digest


@pytest.fixture
def early(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The sites the early engine gave to a build (its site taken). A test worker runs
    threads of its own, so the engine would not start early: it forks here all the same
    (the early engine runs MkDocs, nothing that a thread of the worker holds)."""
    monkeypatch.setattr(ahead, "forks", lambda: True)
    taken: list[Path] = []
    real = ahead.EarlyEngine.site_into

    def site_into(self: ahead.EarlyEngine, site: Path) -> None:
        taken.append(site)
        real(self, site)

    monkeypatch.setattr(ahead.EarlyEngine, "site_into", site_into)
    return taken


def build(playbook: Path, out: Path) -> dict[str, bytes]:
    commands_build.build(playbook, out / "site", out / "build", TODAY, history=False)
    assert not list((out / "build").glob(".early-*"))  # its folder is gone either way
    return tree_digest(out / "site")


def test_a_rebuild_with_nothing_changed_takes_the_early_engine_s_site(
    base_playbook: Path, tmp_path: Path, early: list[Path]
) -> None:
    first = build(base_playbook, tmp_path / "out")
    assert early == []  # no record yet: the engine ran after the checks
    assert build(base_playbook, tmp_path / "out") == first
    assert len(early) == 1
    entry = next((base_playbook / "flexible-zones").glob("*.yml"))
    entry.write_text(entry.read_text("utf-8").replace("title: ", "title: Neu ", 1), "utf-8")
    changed = build(base_playbook, tmp_path / "out")
    assert len(early) == 1  # the docs differ: stopped, the engine ran on the new docs
    assert changed != first and changed == build(base_playbook, tmp_path / "fresh")


def test_a_changed_configuration_is_not_taken_from_the_early_engine(
    base_playbook: Path, tmp_path: Path, early: list[Path]
) -> None:
    build(base_playbook, tmp_path / "out")
    config = base_playbook / "playbook.yml"
    config.write_text(config.read_text("utf-8").replace("title: ", "title: Anders ", 1), "utf-8")
    assert build(base_playbook, tmp_path / "out") == build(base_playbook, tmp_path / "fresh")
    assert early == []  # the configuration (and so the docs) differ; the fresh one has no record


def planted_fifo(docs: Path, name: str) -> None:
    target = docs / name
    target.unlink()
    os.mkfifo(target)


@pytest.mark.parametrize("plant", ["edited", "link", "fifo", "linked-folder", "record"])
def test_what_the_build_folder_holds_cannot_make_a_rebuild_take_another_site(
    base_playbook: Path, tmp_path: Path, early: list[Path], plant: str
) -> None:
    """build/docs is untrusted (a branch commits it, a CI cache restores it): a file
    edited, a link to a file elsewhere with the same bytes, a FIFO, a folder that is a
    link, a record from elsewhere: the engine does not start early on them, the build
    neither hangs nor reads through a link, and the site is what a fresh build makes."""
    out = tmp_path / "out"
    build(base_playbook, out)
    docs = out / "build" / "docs"
    page = next(docs.glob("flexible-zones/*.md"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if plant == "edited":
        page.write_text(page.read_text("utf-8") + "\n<script>alert(1)</script>\n", "utf-8")
    elif plant == "link":
        shutil.copy(page, elsewhere / page.name)
        page.unlink()
        page.symlink_to(elsewhere / page.name)
    elif plant == "fifo":
        planted_fifo(docs, page.relative_to(docs).as_posix())
    elif plant == "linked-folder":
        shutil.move(docs / "flexible-zones", elsewhere / "flexible-zones")
        (docs / "flexible-zones").symlink_to(elsewhere / "flexible-zones")
    else:  # a record signed with another key: a miss
        for record in (out / "build" / "cache" / "engine").iterdir():
            raw = record.read_bytes()
            record.write_bytes(raw.replace(b"flexible-zones", b"flexible-zonen"))
    assert build(base_playbook, out) == build(base_playbook, tmp_path / "fresh")
    assert early == []


def test_the_command_takes_the_early_engine_s_site_from_a_forked_process(
    base_playbook: Path, tmp_path: Path
) -> None:
    """As the command runs (no other thread: the early engine is a forked process), a
    rebuild with nothing changed takes its site, the same as the first build's."""
    out, taken = tmp_path / "out", tmp_path / "taken"
    args = (
        "build", str(base_playbook), "--out", str(out / "site"), "--build-dir",
        str(out / "build"), "--today", TODAY.isoformat(), "--no-history",
    )  # fmt: skip
    counting = (
        "import os\nfrom sales_playbook.site import ahead\nreal = ahead.EarlyEngine.site_into\n"
        "def into(self, site):\n"
        f"    open({str(taken)!r}, 'a').write(f'{{self.running._child is not None}}\\n')\n"
        "    return real(self, site)\n"
        "ahead.EarlyEngine.site_into = into\n"
    )
    first = run_playbook(*args, python=counting)
    assert first.returncode == 0, first.stderr
    site = tree_digest(out / "site")
    again = run_playbook(*args, python=counting)
    assert again.returncode == 0, again.stderr
    assert taken.read_text().split() == ["True"]  # taken once, from a forked process
    assert tree_digest(out / "site") == site
