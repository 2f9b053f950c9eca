"""Folders of example playbooks, picked up automatically.

Each folder under tests/cases/valid/ and tests/cases/invalid/ is laid over a copy of
tests/cases/base/: its files replace or add to the base (a file containing only
`__delete__` removes it). An invalid case lists in expected.txt every problem it must
produce as `file:line:column: severity[rule]: message`, followed by its hint on an
indented line `  help: ...`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sales_playbook.source.check import validate

from .conftest import CASES, TODAY

DELETE = "__delete__"


def cases(kind: str) -> list[Path]:
    return sorted(p for p in (CASES / kind).iterdir() if p.is_dir())


def assemble(case: Path, target: Path) -> Path:
    shutil.copytree(CASES / "base", target)
    for path in sorted(case.rglob("*")):
        relative = path.relative_to(case)
        if path.is_dir() or relative.name == "expected.txt":
            continue
        destination = target / relative
        if path.read_bytes().strip() == DELETE.encode():
            destination.unlink()
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)
    return target


def reported(root: Path) -> list[str]:
    _, problems = validate(root, TODAY)
    lines = []
    for p in problems:
        file = Path(p.file).resolve().relative_to(root.resolve()).as_posix()
        lines.append(f"{file}:{p.line}:{p.column}: {p.severity}[{p.rule}]: {p.message}")
        lines.append(f"  help: {p.hint}")
    return lines


@pytest.mark.parametrize("case", cases("valid"), ids=lambda p: p.name)
def test_valid_case(case: Path, tmp_path: Path) -> None:
    assert reported(assemble(case, tmp_path / "playbook")) == []


@pytest.mark.parametrize("case", cases("invalid"), ids=lambda p: p.name)
def test_invalid_case(case: Path, tmp_path: Path) -> None:
    expected = (case / "expected.txt").read_text("utf-8").splitlines()
    expected = [line for line in expected if line.strip() and not line.startswith("#")]
    assert expected, f"{case.name}/expected.txt lists no problem"
    assert reported(assemble(case, tmp_path / "playbook")) == expected
