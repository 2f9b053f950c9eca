"""The build folder is untrusted: a link or a FIFO planted in the build cache is never
followed, waited on or written through, and the build's output stays what it is."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from sales_playbook.commands.build import build

from ..conftest import CASES, TODAY, run_main, tree_digest


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path, dict[str, bytes]]:
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    build(source, tmp_path / "site", tmp_path / "build", TODAY, history=False)
    return source, tmp_path / "build", tree_digest(tmp_path / "site")


def rebuild(source: Path, build_dir: Path) -> dict[str, bytes]:
    site = build_dir.parent / "site"
    build(source, site, build_dir, TODAY, history=False)
    return tree_digest(site)


def test_a_linked_cache_folder_is_neither_pruned_nor_written(
    built: tuple[Path, Path, dict[str, bytes]], tmp_path: Path
) -> None:
    source, build_dir, site = built
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    precious = {f"{i:064x}": f"precious {i}".encode() for i in range(3)}
    for name, data in precious.items():
        (elsewhere / name).write_bytes(data)
    (elsewhere / ".tmp-old").write_bytes(b"kept")
    os.utime(elsewhere / ".tmp-old", (0, 0))
    pages = build_dir / "cache" / "pages"
    shutil.rmtree(pages)
    pages.symlink_to(elsewhere)
    assert rebuild(source, build_dir) == site
    assert {p.name: p.read_bytes() for p in elsewhere.iterdir()} == {
        **precious,
        ".tmp-old": b"kept",
    }


def test_a_fifo_or_a_link_to_dev_zero_in_the_cache_is_a_miss(
    built: tuple[Path, Path, dict[str, bytes]],
) -> None:
    source, build_dir, site = built
    pages = build_dir / "cache" / "pages"
    first, second, *_ = sorted(p for p in pages.iterdir() if len(p.name) == 64)
    first.unlink()
    os.mkfifo(first)  # a read would wait for a writer forever
    second.unlink()
    second.symlink_to("/dev/zero")  # a read would fill the memory
    assert rebuild(source, build_dir) == site


@pytest.mark.parametrize(
    ("command", "option", "inside"),
    [
        ("build", "--build-dir", "docs"),
        ("build", "--build-dir", "cache/pages"),
        ("build", "--out", "assets"),
        ("serve", "--build-dir", "docs"),
    ],
)
def test_an_output_folder_holding_a_link_is_refused_before_anything_is_touched(
    tmp_path: Path, command: str, option: str, inside: str
) -> None:
    """A branch commits `build/preview/.playbook-output` and `build/preview/docs -> DIR`:
    replacing the folder would delete DIR's files."""
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    out = tmp_path / "out"
    (out / inside).parent.mkdir(parents=True)
    (out / ".playbook-output").write_text("Made by `playbook`\n", "utf-8")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.md").write_text("keep\n", "utf-8")
    (out / inside).symlink_to(elsewhere)
    before = tree_digest(tmp_path)
    others = {
        "--build-dir": ["--out", str(tmp_path / "s")] if command == "build" else [],
        "--out": ["--build-dir", str(tmp_path / "b")],
    }[option]
    code, _, err = run_main(command, str(source), option, str(out), *others)
    assert code == 2
    assert f"holds a link, {out / inside}" in err
    assert tree_digest(tmp_path) == before
