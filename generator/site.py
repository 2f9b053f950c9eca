"""Writing output: trees swapped in whole, and the MkDocs build into a fresh folder.

A failed build never leaves a half-written `site/`: everything is built in a sibling
temporary folder and only renamed into place when complete.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .errors import PlaybookError, Problem
from .load import display_path


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


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def run_mkdocs(config_file: Path, site_dir: Path, epoch: int) -> None:
    """Build the MkDocs project into `site_dir`; any MkDocs warning fails the build.

    `epoch` fixes the timestamps MkDocs writes (sitemap), so equal sources give equal sites.
    """
    logger = logging.getLogger("mkdocs")
    collect, propagate = _Collect(), logger.propagate
    logger.addHandler(collect)
    logger.propagate = False
    saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        config = load_config(str(config_file), site_dir=str(site_dir), strict=True)
        mkdocs_build(config)
    except (MkDocsException, SystemExit) as error:
        details = collect.messages or [str(error)]
        raise PlaybookError(
            Problem(
                display_path(config_file),
                1,
                1,
                "mkdocs",
                message,
                "this is a problem in the generated site; please report it with the message",
            )
            for message in details
        ) from error
    finally:
        logger.removeHandler(collect)
        logger.propagate = propagate
        if saved_epoch is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved_epoch
