"""`playbook export --check FILE`: a matrix kept elsewhere against today's bands.

FILE is a csv (the export's columns or the simple layout: source/matrix_csv.py) or a
`decisions.json`. The differences are printed one per line on stdout; the exit code is 3
when there are any, so a scheduled job can watch the CRM's copy.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from ..changes import crm
from ..errors import PlaybookError, Problem, UsageError
from ..model import matrix
from ..model.playbook import Playbook
from ..runtime.files import read_regular
from ..source import matrix_csv
from ..text import terminal_safe
from . import options

MAX_BYTES = 64 * 1024 * 1024


def check_file(path: Path, model: Playbook, data: dict[str, Any]) -> int:
    """Compare `path` with `data` (the decision matrix of `model`); print the differences."""
    text = read_text(path, "--check")
    kept = _from_json(path, text) if _is_json(path, text) else _from_csv(path, text, model)
    found = crm.differences(kept, data)
    for difference in found:
        at = f"{path}:{difference.line}: " if difference.line else ""
        print(terminal_safe(f"{at}{difference.text}"))
    if found:
        options.say(
            f"{len(found)} difference(s) between {path} and the playbook: the file's copy "
            "of the bands is out of date (or the playbook is)"
        )
        return options.EXIT_APPROVAL  # 3: a difference (as the approval gate's "not yet")
    options.say(f"{path} gives the playbook's bands: no difference")
    return options.EXIT_OK


def read_text(path: Path, what: str) -> str:
    """The text of a matrix file named on the command line (`what` names it in messages):
    a regular file (no link followed), at most MAX_BYTES, UTF-8."""
    content = read_regular(path, MAX_BYTES)
    if content is None:
        too_large = path.is_file() and not path.is_symlink()
        reason = f"larger than {MAX_BYTES // 2**20} MB" if too_large else "not a file"
        raise UsageError(f"{what} {path} is {reason}: name the matrix (csv or decisions.json)")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UsageError(
            f"{what} {path} is not UTF-8 (byte {error.start}): save it as UTF-8 and try again"
        ) from None


def _is_json(path: Path, text: str) -> bool:
    return path.suffix.lower() == ".json" or text.lstrip("\ufeff \t\r\n").startswith("{")


def _from_csv(
    path: Path, text: str, model: Playbook
) -> dict[tuple[str, str, str], tuple[list[crm.Edges], int]]:
    found = matrix_csv.read_for(str(path), text, model, known_ids=False)
    if found.problems:
        raise PlaybookError(found.problems)
    return {
        key: (
            [(b.above, b.up_to, b.decider) for b in sorted(bands, key=matrix_csv.start)],
            min(b.row.line for b in bands),
        )
        for key, bands in found.bands.items()
    }


def _from_json(path: Path, text: str) -> dict[tuple[str, str, str], tuple[list[crm.Edges], int]]:
    def problem(message: str, line: int = 1, column: int = 1) -> PlaybookError:
        return PlaybookError([Problem(
            str(path), line, column, "matrix-json", message,
            f"give a decisions.json (`playbook export`, format {matrix.FORMAT}) or a csv",
        )])  # fmt: skip

    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a number a matrix holds")

    try:
        data = json.loads(text.removeprefix("\ufeff"), parse_constant=constant)
    except json.JSONDecodeError as error:
        raise problem(f"not JSON: {error.msg}", error.lineno, error.colno) from None
    except (ValueError, RecursionError) as error:
        raise problem(f"not a decision matrix: {error}") from None
    if not isinstance(data, dict) or data.get("format") != matrix.FORMAT:
        raise problem(f"not a decision matrix: its `format` is not {matrix.FORMAT}")
    kept: dict[tuple[str, str, str], tuple[list[crm.Edges], int]] = {}
    try:
        for p in data["paths"]:
            for a in p["answers"]:
                bands = [
                    (_num(b["above"]), _num(b["up_to"]), _text(b["decider"]["id"]))
                    for b in a["bands"]
                ]
                kept[_text(p["id"]), _text(a["team"]), _text(a["level"])] = (bands, 0)
    except (KeyError, TypeError, ValueError) as error:
        raise problem(
            f"a path, answer or band lacks a field or has the wrong type: {error}"
        ) from None
    return kept


def _num(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"an edge is not a number: {_short(value)}")
    try:
        number = float(value)
    except OverflowError:
        raise ValueError("an edge is too large for a number") from None
    if not math.isfinite(number):
        raise ValueError("an edge is not a finite number")
    return number


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"an id is not text: {_short(value)}")
    return value


def _short(value: Any) -> str:
    shown = json.dumps(value, ensure_ascii=True)
    return shown if len(shown) <= 60 else shown[:57] + "..."
