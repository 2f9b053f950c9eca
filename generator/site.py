"""The site engine behind the docs tree: MkDocs builds the generated project."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

from .errors import PlaybookError, Problem
from .load import display_path


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
