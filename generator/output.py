"""Writing output: files replaced whole, and trees swapped in whole.

A failed build never leaves a half-written `site/`: everything is built in a sibling
temporary folder and only renamed into place when complete.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path


def temp_sibling(target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-new-")).resolve()


def swap_in(new: Path, target: Path) -> None:
    """Replace `target` with the complete folder `new`."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}-old-"))
        os.replace(target, old / target.name)
    os.replace(new, target)
    if old is not None:
        shutil.rmtree(old)


def write_files(files: Mapping[str, str | bytes], folder: Path) -> None:
    for relative, content in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def replace_file(path: Path, content: str | bytes) -> None:
    """Write `path` whole: a reader sees the old file or the new one, never half."""
    temp = path.with_name(f".{path.name}.new")
    if isinstance(content, bytes):
        temp.write_bytes(content)
    else:
        temp.write_text(content, encoding="utf-8")
    os.replace(temp, path)


@contextmanager
def building(target: Path) -> Iterator[Path]:
    """A fresh folder to fill; swapped in for `target` on success, removed on failure."""
    new = temp_sibling(target)
    new.chmod(0o755)
    try:
        yield new
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    swap_in(new, target)


def write_tree(files: Mapping[str, str | bytes], target: Path) -> None:
    with building(target) as folder:
        write_files(files, folder)
