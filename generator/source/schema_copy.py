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
from pathlib import Path

from .. import __version__
from ..errors import Problem
from ..resources import schema_dir
from ..runtime.files import read_regular
from .load import display_path

FOLDER = "schemas"
RULE = "stale-schemas"
MAX_BYTES = 4 * 1024 * 1024  # far more than any schema


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
        found = read_regular(copy, MAX_BYTES)  # a branch may plant anything there
        same = found == expected
        if found is not None:
            what = "differs from"
        elif os.path.lexists(copy):  # a link, a pipe, a folder, a file of gigabytes
            what = "is no plain schema file, unlike those of"
        else:
            what = "is missing from the copy of"
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
