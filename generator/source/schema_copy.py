"""The organisation's copy of the JSON Schemas, beside the playbook folder.

`playbook init` writes `schemas/` next to `playbook/` (the entries' modelines point
there, so editors complete and check the YAML offline), and `playbook schemas --out`
refreshes it. After the tool is updated, a copy that still holds the old schemas makes
editors accept what `validate` refuses, or the reverse: a warning names the first schema
file that differs from the installed tool's (`--strict` makes it an error). Files the
tool does not ship are the organisation's own and are not compared.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from .. import __version__
from ..errors import Problem
from ..resources import schema_dir
from .load import display_path

FOLDER = "schemas"
RULE = "stale-schemas"


def stale_copy(root: Path) -> list[Problem]:
    """A warning when `schemas/` beside the playbook folder `root` is not this version's
    schemas (one problem, at the first file that differs or is missing); none when there
    is no such folder."""
    folder = root.absolute().parent / FOLDER
    if folder.is_symlink() or not folder.is_dir():  # a link is never followed
        return []
    for shipped in sorted(schema_dir().glob("*.schema.json")):
        copy = folder / shipped.name
        expected = shipped.read_bytes()
        found = _regular_file(copy, len(expected))
        same = found == expected
        what = "is missing from the copy of" if found is None else "differs from"
        if not same:
            return [
                Problem(
                    display_path(copy),
                    1,
                    1,
                    RULE,
                    f"{shipped.name} {what} the schemas of the installed playbook "
                    f"{__version__}: editors would check the YAML against other rules than "
                    "`playbook validate`",
                    f"run `playbook schemas --out {display_path(folder)}` and commit the "
                    "result (only *.schema.json files are replaced)",
                    severity="warning",
                )
            ]
    return []


def _regular_file(path: Path, size: int) -> bytes | None:
    """The bytes of `path` if it is a regular file (no link followed, no pipe waited on)
    of at most `size` + 1 bytes read; None otherwise. A branch may plant anything there."""
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        with os.fdopen(handle, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                return None
            return file.read(size + 1)
    except OSError:
        return None
