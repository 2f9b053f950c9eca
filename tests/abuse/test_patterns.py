"""Strings that pass are strings that work: no schema pattern lets a trailing line break
through (Python's `$` matches before one; JSON Schema tools in Python use `re.search`)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ..conftest import ROOT, run_main
from ..test_diff import edit

# one value each pattern must take; a new pattern needs its example here
EXAMPLES = {
    "^[a-z0-9]+(-[a-z0-9]+)*$(?!\\n)": "rabatt-freigabe",
    "^[^\\n]+$(?!\\n)": "Eine Zeile",
    "^[0-9]{4}-[0-9]{2}-[0-9]{2}$(?!\\n)": "2026-11-23",
    "^https?://[^\\s\"'<>\\\\`{}|^]+/$(?!\\n)": "https://playbook.example.org/",
    "^https://[^\\s\"'<>\\\\`{}|^]+$(?!\\n)": "https://github.com/org/playbook",
    "^@[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9_])?(?:/[A-Za-z0-9]"
    "(?:[A-Za-z0-9_.-]{0,98}[A-Za-z0-9_])?){0,20}$(?!\\n)": "@org/vertrieb",
}


def patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from patterns(value)


ALL = sorted(
    {p for f in (ROOT / "schemas").glob("*.json") for p in patterns(json.loads(f.read_text()))}
)


def test_every_pattern_has_an_example() -> None:
    assert ALL and set(ALL) == set(EXAMPLES)


@pytest.mark.parametrize("pattern", ALL)
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\n\n", " \n"])
def test_no_pattern_takes_a_trailing_line_break(pattern: str, ending: str) -> None:
    example = EXAMPLES[pattern]
    assert re.search(pattern, example)
    assert not re.search(pattern, example + ending)


def test_an_id_with_a_line_break_is_refused_where_it_stands(base_playbook: Path) -> None:
    rabatt = base_playbook / "escalation-paths" / "rabatt.yml"
    edit(rabatt, "id: rabatt\n", 'id: "rabatt\\n"\n')
    code, out, _ = run_main("validate", str(base_playbook), "--format", "json")
    assert code == 1
    refused = [p for p in json.loads(out) if p["rule"] == "bad-value"]
    assert [(p["json_path"], p["line"]) for p in refused] == [("$.id", 2)]
