"""The JSON Schemas themselves: valid draft 2020-12, documented for editors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from sales_playbook.source.check import validate
from sales_playbook.source.schema import (
    FAST_FROM,
    SCHEMA_OF_KIND,
    fast_check_for,
    keywords,
    load_schemas,
)

from .conftest import TODAY

SCHEMAS = load_schemas()


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_is_valid_against_the_metaschema(name: str) -> None:
    Draft202012Validator.check_schema(SCHEMAS[name])
    # no `$id`: a schema is identified by its file, so its relative `$ref`s resolve next to
    # it wherever `schemas/` is copied, offline, in editors and in check-jsonschema
    assert "$id" not in SCHEMAS[name]


def properties(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield f"{where}.{key}", value
        for key, value in node.items():
            yield from properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from properties(value, where)


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_every_property_has_title_and_description(name: str) -> None:
    undocumented = [
        where
        for where, prop in properties(SCHEMAS[name])
        if not (prop.get("title") and prop.get("description"))
    ]
    assert undocumented == []


@pytest.mark.parametrize("name", sorted(set(SCHEMA_OF_KIND.values())))
def test_objects_forbid_unknown_keys(name: str) -> None:
    def objects(node: Any) -> Iterator[dict[str, Any]]:
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for value in node:
                yield from objects(value)

    found = list(objects(SCHEMAS[name]))
    assert found
    assert all(o.get("additionalProperties") is False for o in found)


def test_one_of_errors_are_explained_by_the_closest_branch() -> None:
    from sales_playbook.parse import Source, parse
    from sales_playbook.source.schema import explain

    schema = {
        "oneOf": [
            {"type": "integer"},
            {
                "type": "object",
                "additionalProperties": False,
                "properties": {"owner": {"type": "string"}},
            },
        ]
    }
    source = parse("x.yml", "ownr: lead\n", "test")
    assert isinstance(source, Source)
    [error] = Draft202012Validator(schema).iter_errors(source.data)
    [problem] = [p for p in explain(source, error) if p]
    assert (problem.rule, problem.message, problem.line) == ("unknown-key", "unknown key `ownr`", 1)
    assert "`owner`" in problem.hint


@pytest.mark.parametrize("kind", sorted(SCHEMA_OF_KIND))
def test_every_schema_has_the_fast_check(kind: str) -> None:
    """Valid documents skip jsonschema only if the schema keeps to shared keywords."""
    assert fast_check_for(kind) is not None


def test_a_keyword_that_differs_between_drafts_turns_the_fast_check_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schema = {
        "$id": "https://example.test/x.schema.json",
        "type": "object",
        "properties": {"title": {"type": "string"}, "pair": {"prefixItems": [{"type": "string"}]}},
    }
    assert keywords(schema) == {"$id", "type", "properties", "prefixItems"}
    monkeypatch.setattr("sales_playbook.source.schema.load_schemas", lambda: {"playbook": schema})
    fast_check_for.cache_clear()
    try:
        assert fast_check_for("playbook") is None
    finally:
        fast_check_for.cache_clear()


def test_a_large_playbook_takes_the_fast_path_and_still_reports_every_problem(
    tmp_path: Path,
) -> None:
    from bench.generate import generate

    playbook = generate(150, tmp_path / "playbook")
    rules = sorted((playbook / "non-negotiables").glob("*.yml"))
    assert len(rules) >= FAST_FROM  # so non-negotiables are checked by the compiled check
    broken = rules[-1]
    broken.write_text(broken.read_text("utf-8").replace("\nrule:", "\nrulee:"), "utf-8")
    lines = broken.read_text("utf-8").splitlines()
    typo_line = next(i for i, line in enumerate(lines, 1) if line.startswith("rulee:"))
    _, found = validate(playbook, TODAY)
    problems = [p for p in found if p.severity == "error"]  # clones warn about onboarding
    assert [(Path(p.file).name, p.line, p.rule) for p in problems] == [
        (broken.name, 2, "missing-key"),  # reported where the entry's mapping starts
        (broken.name, typo_line, "unknown-key"),
    ]
    assert "`rule`" in problems[1].hint
