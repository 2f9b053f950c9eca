"""The YAML loader: positions, and the safe subset of YAML it accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from sales_playbook.parse import Source, parse
from sales_playbook.source.load import load_file


def ok(text: str) -> Source:
    result = parse("x.yml", text, "test")
    assert isinstance(result, Source), result
    return result


def problems(text: str) -> list[tuple[int, int, str, str]]:
    result = parse("x.yml", text, "test")
    assert not isinstance(result, Source)
    return [(p.line, p.column, p.rule, p.message) for p in result]


def test_values_and_keys_carry_positions() -> None:
    source = ok("title: Hallo\nitems:\n  - eins\n  - zwei: 2\n")
    assert source.data == {"title": "Hallo", "items": ["eins", {"zwei": 2}]}
    assert source.key_span(("title",)).line == 1
    span = source.value_span(("items", 1, "zwei"))
    assert (span.line, span.column) == (4, 11)
    assert source.key_span(("items", 1, "zwei")).column == 5


def test_missing_path_falls_back_to_nearest_parent() -> None:
    source = ok("a:\n  b: 1\n")
    assert source.value_span(("a", "nope", 3)) == source.value_span(("a",))


def test_yaml12_core_scalars_only() -> None:
    source = ok(
        "a: true\nb: no\nc: yes\nd: 2026-01-15\ne: 010\nf: 1.5\ng: ~\nh: 'true'\ni: 1_000\n"
    )
    assert source.data == {
        "a": True,
        "b": "no",
        "c": "yes",
        "d": "2026-01-15",
        "e": 10,
        "f": 1.5,
        "g": None,
        "h": "true",
        "i": "1_000",
    }
    assert source.yaml11_words == (("b",), ("c",))


def test_duplicate_key_names_first_line() -> None:
    assert problems("a: 1\nb: 2\na: 3\n") == [
        (3, 1, "duplicate-key", "duplicate key `a` (first defined on line 1)")
    ]


def test_alias_merge_tag_and_non_string_key_are_rejected() -> None:
    found = problems("a: &x {k: 1}\nb: *x\n<<: {c: 1}\n1: eins\nd: !!str 5\n")
    assert [(line, rule) for line, _, rule, _ in found] == [
        (2, "yaml-alias"),
        (3, "yaml-merge"),
        (4, "bad-key"),
        (5, "yaml-tag"),
    ]


@pytest.mark.parametrize(
    "text",
    ["a: !map x\n", "a: !seq x\n", "a: !plain [1]\n", "a: !quoted {b: 1}\n", "a: !map [1]\n"],
)
def test_explicit_tags_named_like_internal_ones_are_rejected(text: str) -> None:
    # the loader tags implicit nodes `!map`, `!seq`, `!plain`, `!quoted` itself
    assert [rule for _, _, rule, _ in problems(text)] == ["yaml-tag"]


def test_alias_bomb_stops_at_the_first_alias() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    lines += [
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)
    ]
    found = problems("\n".join(lines) + "\n")
    assert {rule for _, _, rule, _ in found} == {"yaml-alias"}


def test_syntax_error_has_position_and_hint() -> None:
    result = parse("x.yml", "a: b: c\n", "test")
    assert not isinstance(result, Source)
    assert (result[0].line, result[0].column, result[0].rule) == (1, 5, "yaml-syntax")
    assert "quote" in result[0].hint


def test_tab_indentation_gets_tab_hint() -> None:
    result = parse("x.yml", "a:\n\tb: 1\n", "test")
    assert not isinstance(result, Source)
    assert result[0].line == 2
    assert "tab" in result[0].hint


def test_second_document_is_rejected() -> None:
    result = parse("x.yml", "a: 1\n---\nb: 2\n", "test")
    assert not isinstance(result, Source)
    assert "one entry per file" in result[0].hint


def test_empty_file() -> None:
    assert problems("# nur ein Kommentar\n") == [(1, 1, "empty-file", "file is empty")]


def test_not_utf8_reports_the_byte(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_bytes("titel: Gr\xfc\xdfe\n".encode("latin-1"))
    result = load_file(path, "test")
    assert not isinstance(result, Source)
    assert (result[0].line, result[0].column, result[0].rule) == (1, 10, "not-utf8")


def test_too_large_file(tmp_path: Path) -> None:
    path = tmp_path / "x.yml"
    path.write_text("a: " + "x" * (1024 * 1024) + "\n")
    result = load_file(path, "test")
    assert not isinstance(result, Source)
    assert result[0].rule == "file-too-large"


@pytest.mark.parametrize("depth", [40, 2000])
def test_absurd_nesting_is_a_problem_not_a_crash(depth: int) -> None:
    found = problems("a: " + "[" * depth + "]" * depth + "\n")
    assert found[0][2] in ("too-deep", "yaml-syntax")
