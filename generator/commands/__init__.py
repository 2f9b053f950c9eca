"""One module per command. Each declares the options it honours and runs.

A command module has `NAME`, `HELP`, `add_arguments(parser)` and `run(args) -> exit code`;
`cli.py` only builds the parser from them and dispatches.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    approvals,
    ask,
    board,
    build,
    cards,
    codeowners,
    diff,
    export,
    import_,
    init,
    new,
    rename,
    review,
    schemas,
    serve,
    validate,
)

COMMANDS: tuple[ModuleType, ...] = (
    validate,
    build,
    cards,
    board,
    serve,
    diff,
    approvals,
    export,
    import_,
    ask,
    new,
    rename,
    review,
    codeowners,
    init,
    schemas,
)
