"""Properties: whatever the input, `playbook validate` answers with success or with
problems that have positions - never with a traceback; and the fast schema check
never passes a document that jsonschema rejects."""

from __future__ import annotations

import contextlib
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastjsonschema import JsonSchemaException
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sales_playbook.cli import main
from sales_playbook.parse import Source, parse
from sales_playbook.source.load import discover
from sales_playbook.source.schema import fast_check_for, validator_for

from .conftest import CASES, TODAY, tree_digest

TARGETS = sorted(p.relative_to(CASES / "base").as_posix() for p in (CASES / "base").rglob("*.yml"))
YAML_PIECES = [
    "id", "title", "owner", "bands", "up_to", "above", "- ", ": ", "\n", "\n  ", "\n    ",
    "\t", "&a ", "*a", "<<: ", "!!str ", "!!python/object ", "? ", "[", "]", "{", "}", ",",
    "'", '"', "#", "|", ">", "---", "...", "%YAML 1.1", "yes", "no", "~", "null", "1e9",
    "2026-13-45", "-1", "0x1F", "ü", "\u00a0", "\ufeff", "\x00", "\\", "@", "`",
]  # fmt: skip
FUZZ = settings(
    # 2 x 1,000 inputs per run; FUZZ_EXAMPLES=10000 for a longer soak
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "1000")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@pytest.fixture
def workspace() -> Iterator[Path]:
    """A copy of tests/cases/base in `playbook/` for a test's inputs (hypothesis runs them
    all in one call of the test): each changes one file, then puts it back."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(CASES / "base", Path(folder) / "playbook")
        yield Path(folder)
        assert tree_digest(Path(folder) / "playbook") == tree_digest(CASES / "base")


def validate_json(root: Path) -> tuple[int, list[dict[str, Any]]]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["validate", str(root), "--today", TODAY.isoformat(), "--format", "json"])
    return code, json.loads(out.getvalue())


def check_answer(root: Path, target: str, content: str | bytes) -> None:
    """`content` in place of `target` in a copy of the base playbook (validating writes
    nothing, so restoring the one file leaves the copy as it was)."""
    path = root / target
    try:
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, "utf-8", errors="surrogatepass")
        code, problems = validate_json(root)
    finally:
        path.write_bytes((CASES / "base" / target).read_bytes())
    assert code in (0, 1)
    assert (code == 1) == any(p["severity"] == "error" for p in problems)
    for problem in problems:
        assert problem["line"] >= 1 and problem["column"] >= 1, problem
        assert problem["file"] and problem["rule"] and problem["message"], problem


@FUZZ
@given(
    target=st.sampled_from(TARGETS),
    text=st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=6), max_size=40).map("".join),
)
def test_random_yamlish_text(workspace: Path, target: str, text: str) -> None:
    check_answer(workspace / "playbook", target, text.encode("utf-8", "surrogatepass"))


def _mutate(data: Any, draw: Any) -> Any:
    """One random change somewhere in the document."""
    if isinstance(data, dict) and data:
        key = draw(st.sampled_from(sorted(data)))
        action = draw(st.sampled_from(["delete", "rename", "replace", "recurse"]))
        changed = dict(data)
        if action == "delete":
            del changed[key]
        elif action == "rename":
            changed[key[:-1] + draw(st.sampled_from("xyz_"))] = changed.pop(key)
        elif action == "replace":
            changed[key] = draw(SCALARS_AND_SHAPES)
        else:
            changed[key] = _mutate(changed[key], draw)
        return changed
    if isinstance(data, list) and data:
        index = draw(st.integers(0, len(data) - 1))
        changed = list(data)
        if draw(st.booleans()):
            changed[index] = _mutate(changed[index], draw)
        else:
            changed.insert(index, draw(SCALARS_AND_SHAPES))
        return changed
    return draw(SCALARS_AND_SHAPES)


SCALARS_AND_SHAPES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["lead", "rep", "preisregel", "2026-01-15", "percent", "below", ""]),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=6,
)


@FUZZ
@given(target=st.sampled_from(TARGETS), data=st.data())
def test_mutated_valid_entries(workspace: Path, target: str, data: st.DataObject) -> None:
    original = yaml.safe_load((CASES / "base" / target).read_text("utf-8"))
    mutated = _mutate(original, data.draw)
    text = yaml.safe_dump(mutated, allow_unicode=True)
    check_answer(workspace / "playbook", target, text)


BASE_SOURCES = {
    path.relative_to(CASES / "base").as_posix(): parse(path.name, path.read_text("utf-8"), kind)
    for path, kind in discover(CASES / "base")[0]
}


@FUZZ
@given(target=st.sampled_from(sorted(BASE_SOURCES)), data=st.data())
def test_fast_validator_never_passes_what_jsonschema_rejects(
    target: str, data: st.DataObject
) -> None:
    """The fast path may only ever say "valid" where jsonschema says so too."""
    source = BASE_SOURCES[target]
    assert isinstance(source, Source)
    mutated = _mutate(source.data, data.draw)
    fast = fast_check_for(source.kind)
    try:
        fast(mutated)
    except JsonSchemaException:
        return
    assert not list(validator_for(source.kind).iter_errors(mutated))
