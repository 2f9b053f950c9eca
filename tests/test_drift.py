"""Prose against the bands: references in text and numbers that match no band edge."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from sales_playbook.errors import Problem
from sales_playbook.parse import Source, parse
from sales_playbook.source.check import validate
from sales_playbook.source.textfields import free_text_fields, offsets_in_source
from sales_playbook.source.textnumbers import numbers, sentences

from .conftest import SAMPLE, TODAY, run_cli

RULE = "text-contradicts-bands"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "playbook"
    shutil.copytree(SAMPLE, root)
    return root


def set_line(file: Path, key: str, text: str, nth: int = 0) -> None:
    """Replace the `nth` line that sets `key:` (keeping its indentation) with `key: text`."""
    lines = file.read_text("utf-8").splitlines()
    found = [i for i, line in enumerate(lines) if re.match(rf"\s*(- )?{key}:", line)]
    i = found[nth]
    head = lines[i][: lines[i].index(f"{key}:")]
    # a block scalar's continuation lines go with it
    end = i + 1
    indent = len(head) - len(head.lstrip(" -"))
    while end < len(lines) and lines[end].startswith(" " * (indent + 1)) and ":" not in lines[end]:
        end += 1
    lines[i:end] = [f"{head}{key}: {text}"]
    file.write_text("\n".join(lines) + "\n", "utf-8")


def where(file: Path, needle: str, nth: int = 0) -> tuple[int, int]:
    """Line and column (1-based) of the `nth` occurrence of `needle` in a file."""
    text = file.read_text("utf-8")
    index = -1
    for _ in range(nth + 1):
        index = text.index(needle, index + 1)
    return text.count("\n", 0, index) + 1, index - text.rfind("\n", 0, index)


def problems(root: Path, rule: str | None = None) -> list[Problem]:
    _, found = validate(root, TODAY)
    return [p for p in found if rule is None or p.rule == rule]


def at(found: list[Problem], file: Path) -> set[tuple[int, int]]:
    return {(p.line, p.column) for p in found if Path(p.file).resolve() == file.resolve()}


# --- the sample ------------------------------------------------------------------------------


def test_the_sample_has_no_drift_and_no_broken_reference() -> None:
    rules = {RULE, "unknown-reference", "wrong-reference"}
    assert [str(p) for p in problems(SAMPLE) if p.rule in rules] == []


# --- contradicting numbers -------------------------------------------------------------------


def test_contradicting_numbers_are_reported_where_they_stand(sample: Path) -> None:
    path = sample / "escalation-paths" / "rabatt-freigabe.yml"
    rule = sample / "non-negotiables" / "rabatt-obergrenze.yml"
    onboarding = sample / "onboarding.yml"
    set_line(path, "summary", "Bis 20 % entscheidest du selbst, darüber die Teamleitung.")
    set_line(rule, "rule", "Gewähre nie mehr als 18 % Rabatt ohne Freigabe im CRM.")
    set_line(onboarding, "question", '"Ein Kunde möchte 12 % Rabatt. Darfst du zusagen?"')
    set_line(onboarding, "answer", '"Nein, nicht allein: über 10 % entscheidet die Teamleitung."')

    found = problems(sample, RULE)
    assert all(p.severity == "warning" for p in found)
    assert at(found, path) == {where(path, "20 %")}
    assert at(found, rule) == {where(rule, "18 %")}
    # a new hire reads onboarding at the lowest level, where the own limit is 5 %
    assert at(found, onboarding) == {where(onboarding, "10 %")}
    by_file = {Path(p.file).name: p for p in found}
    summary = by_file["rabatt-freigabe.yml"]
    assert summary.message == (
        "`20 %` matches no edge of `rabatt-freigabe` (5, 10, 12, 15, 25, 100 %)"
    )
    assert "{rabatt-freigabe}" in summary.hint
    assert summary.end_column == summary.column + len("20 %")
    assert summary.json_path == "$.summary"
    answer = by_file["onboarding.yml"]
    assert "at level `einsteiger`, where onboarding is read (5, 15, 25, 100 %)" in answer.message
    assert answer.json_path == "$.weeks[0].steps[0].check.answer"
    assert len(found) == 3


def test_strict_turns_the_warning_into_an_error(sample: Path) -> None:
    path = sample / "escalation-paths" / "rabatt-freigabe.yml"
    set_line(path, "summary", "Bis 20 % entscheidest du selbst, darüber die Teamleitung.")
    line, column = where(path, "20 %")
    code, err = run_cli("validate", str(sample))
    assert code == 0
    assert f"rabatt-freigabe.yml:{line}:{column}" in err and RULE in err
    code, err = run_cli("validate", str(sample), "--strict")
    assert code == 1
    assert RULE in err


def test_what_matches_an_edge_somewhere_or_is_no_limit_is_left_alone(sample: Path) -> None:
    rule = sample / "non-negotiables" / "rabatt-obergrenze.yml"
    volume = sample / "escalation-paths" / "vertragsvolumen-freigabe.yml"
    clauses = sample / "escalation-paths" / "vertragsklausel-freigabe.yml"
    terms = sample / "escalation-paths" / "zahlungsziel-freigabe.yml"
    team = sample / "teams" / "oeffentlicher-sektor.yml"
    set_line(rule, "summary", "Als Senior bis 12 % Rabatt, im Öffentlichen Sektor bis 8 %.")
    set_line(rule, "rule", "Ein Kunde möchte 20 % Rabatt? Frag nach; 24 Stunden Antwortzeit.")
    set_line(rule, "instead", "Die Pipeline schrumpft um 30 % oder mehr. Rabatt hilft nicht.")
    set_line(rule, "on_breach", "Über {rabatt-freigabe:teamleitung} entscheidet die Leitung.")
    set_line(
        volume,
        "summary",
        "Bis 50k selbst, über 250.000 EUR die Vertriebsleitung, ab 1 Mio. EUR die GF.",
    )
    set_line(clauses, "summary", "Bis 2 abweichende Klauseln prüft Recht, ab 3 Klauseln die GF.")
    set_line(terms, "summary", "Zahlungsziel: bis 30 Tage du, über 60 bis 90 Tage Finanzen.")
    set_line(team, "why", "Rabatt im Team höchstens 8 %, darüber die Teamleitung bis 10 %.")
    assert [str(p) for p in problems(sample, RULE)] == []


def test_each_unit_is_read_in_its_forms(sample: Path) -> None:
    rule = sample / "non-negotiables" / "rabatt-obergrenze.yml"
    set_line(
        rule,
        "summary",
        "Vertragswert bis 60k, Zahlungsziel bis 40 Tage, ab 5 Klauseln, Rabatt bis 8 %.",
    )
    found = problems(sample, RULE)
    assert at(found, rule) == {where(rule, w) for w in ("60k", "40 Tage", "5 Klauseln", "8 %")}
    messages = sorted(p.message for p in found)
    assert messages == [
        "`40 Tage` matches no edge of `zahlungsziel-freigabe` (30, 45, 60, 90 days)",
        "`5 Klauseln` matches no edge of `vertragsklausel-freigabe` (0, 2)",
        "`60k` matches no edge of `vertragsvolumen-freigabe` (50,000, 250,000, 1,000,000 EUR)",
        # the team's 8 % holds in the team: the organisation's text does not name it
        "`8 %` matches no edge of `rabatt-freigabe` (5, 10, 12, 15, 25, 100 %)",
    ]


def test_a_teams_own_text_is_held_to_the_teams_edges_too(sample: Path) -> None:
    team = sample / "teams" / "oeffentlicher-sektor.yml"
    set_line(team, "why", "Rabatt im Team höchstens 7 %, darüber die Teamleitung.")
    found = problems(sample, RULE)
    assert at(found, team) == {where(team, "7 %")}
    assert "in the organisation or team `oeffentlicher-sektor` (3, 5, 8, 10, 12, 15" in (
        found[0].message
    )


def test_a_case_may_name_its_own_value(sample: Path) -> None:
    path = sample / "escalation-paths" / "rabatt-freigabe.yml"
    # the first case is about 12 %: its texts may say so, though 12 % is no edge there
    set_line(path, "why", "Du entscheidest bis 10 %, also nicht über 12 % und nicht bis 13 %.")
    found = problems(sample, RULE)
    assert at(found, path) == {where(path, "13 %")}


def test_onboarding_may_name_a_higher_level_s_edge_when_it_names_the_level(sample: Path) -> None:
    onboarding = sample / "onboarding.yml"
    set_line(onboarding, "goal", "Als Senior bis 12 % Rabatt. Du selbst bis 12 % Rabatt.", 1)
    found = problems(sample, RULE)
    assert at(found, onboarding) == {where(onboarding, "12 %", 1)}


# --- references ------------------------------------------------------------------------------


def test_broken_references_are_errors_at_their_position(sample: Path) -> None:
    rule = sample / "non-negotiables" / "rabatt-obergrenze.yml"
    set_line(rule, "summary", "Bis {rabat-freigabe} entscheidest du selbst.")
    set_line(rule, "rule", '"Nie \\"mehr\\" als {rabatt-freigabe:teamleitng} ohne Freigabe."')
    set_line(rule, "instead", "'Frag früh: ''{rabatt-obergrenze}'' gilt.'")
    set_line(rule, "on_breach", "|\n  Zeile eins.\n  Dann {rabatt-freigabe:finanzen} und {{x}.")
    found = {(p.rule, p.line, p.column): p for p in problems(sample) if "reference" in p.rule}
    unknown_path = found.pop(("unknown-reference", *where(rule, "{rabat-freigabe}")))
    assert unknown_path.message == (
        "`{rabat-freigabe}` refers to an escalation path `rabat-freigabe` that does not exist"
    )
    assert unknown_path.hint.startswith("did you mean `{rabatt-freigabe}`?")
    assert unknown_path.severity == "error"
    assert unknown_path.end_column == unknown_path.column + len("{rabat-freigabe}")
    unknown_role = found.pop(("unknown-reference", *where(rule, "{rabatt-freigabe:teamleitng}")))
    assert "role `teamleitng` that does not exist" in unknown_role.message
    assert unknown_role.hint.startswith("did you mean `{rabatt-freigabe:teamleitung}`?")
    not_a_path = found.pop(("wrong-reference", *where(rule, "{rabatt-obergrenze}")))
    assert "a non-negotiable, not an escalation path" in not_a_path.message
    nobody = found.pop(("wrong-reference", *where(rule, "{rabatt-freigabe:finanzen}")))
    assert "`finanzen` decides no band of `rabatt-freigabe`" in nobody.message
    assert "`{rabatt-freigabe:teamleitung}`" in nobody.hint
    assert found == {}


@pytest.mark.parametrize(
    ("source", "kind", "field"),
    [
        ("onboarding.yml", "onboarding", "goal"),
        ("teams/oeffentlicher-sektor.yml", "team", "rule"),
        ("playbook.yml", "playbook", "reached_by"),
        ("flexible-zones/kreative-loesungen.yml", "flexible_zone", "summary"),
    ],
)
def test_references_are_checked_in_every_kind_of_source(
    sample: Path, source: str, kind: str, field: str
) -> None:
    file = sample / source
    set_line(file, field, "Siehe {zahlungziel-freigabe} dazu.")
    found = [p for p in problems(sample, "unknown-reference") if "zahlungziel" in p.message]
    assert at(found, file) == {where(file, "{zahlungziel-freigabe}")}
    assert found[0].hint.startswith("did you mean `{zahlungsziel-freigabe}`?")


@pytest.mark.parametrize(
    ("source", "field"),
    [
        ("escalation-paths/rabatt-freigabe.yml", "title"),
        ("escalation-paths/rabatt-freigabe.yml", "channel"),
        ("teams/oeffentlicher-sektor.yml", "why"),  # badges, the board and the helper
        ("onboarding.yml", "title"),
    ],
)
def test_a_reference_where_it_would_show_as_written_is_a_warning(
    sample: Path, source: str, field: str
) -> None:
    file = sample / source
    set_line(file, field, "Bis {rabatt-freigabe} selbst")
    found = [p for p in problems(sample, "wrong-reference") if "not filled in" in p.message]
    assert at(found, file) == {where(file, "{rabatt-freigabe} selbst")}
    assert f"not filled in in `{field}`" in found[0].message
    assert found[0].severity == "warning"  # (its braces are plain text there: may be meant)
    assert found[0].hint.startswith("write the value itself here")


def test_free_text_fields_come_from_the_schemas() -> None:
    assert ("weeks", "*", "steps", "*", "check", "answer") in free_text_fields("onboarding")
    assert ("cases", "*", "situation") in free_text_fields("escalation_path")
    assert ("non_negotiables", "*", "do", "*") in free_text_fields("team")
    assert ("id",) not in free_text_fields("escalation_path")
    assert ("keywords", "*") not in free_text_fields("escalation_path")
    assert free_text_fields("no-such-kind") == frozenset()


# --- positions inside scalars ----------------------------------------------------------------

STYLES = """\
plain: text with {ref} here
quoted: "quoted \\u00e4 \\"x\\" {ref} x"
single: 'single ''q'' {ref}'
literal: |
  line one
    indented {ref}
  line {ref} two
folded: >-
  folded one
  folded {ref} two

  para {ref}
plain2: plain over
  two {ref} lines
quoted2: "dq over
   two {ref} \\
   joined {ref}"
flow: [a, "b {ref}", 'c {ref}']
"""


def expected_positions() -> dict[str, list[tuple[int, int]]]:
    """Where `{ref}` stands under each top-level key of STYLES, in order."""
    found: dict[str, list[tuple[int, int]]] = {}
    key = ""
    for n, line in enumerate(STYLES.splitlines(), 1):
        top = re.match(r"(\w+):", line)
        key = top.group(1) if top else key
        found.setdefault(key, []).extend((n, m.start() + 1) for m in re.finditer(r"\{ref\}", line))
    return found


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_offsets_inside_every_scalar_style(newline: str) -> None:
    src = STYLES.replace("\n", newline)
    source = parse("x.yml", src, "i18n")
    assert isinstance(source, Source)
    expected = expected_positions()
    for key, value in source.data.items():
        values = list(enumerate(value)) if isinstance(value, list) else [(None, value)]
        got = []
        for i, text in values:
            offsets = [m.start() for m in re.finditer(r"\{ref\}", text)]
            path = (key,) if i is None else (key, i)
            index = offsets_in_source(src, source.value_span(path), text, offsets)
            got += [_line_column(src, x) for x in index]
        assert got == expected[key], key


def _line_column(text: str, index: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


# --- reading numbers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Bis 20 % selbst", [("20 %", 20, "percent", True)]),
        ("bis 12,5 Prozent", [("12,5 Prozent", 12.5, "percent", True)]),
        ("bis 50k", [("50k", 50_000, "eur", True)]),
        ("bis 50 k EUR", [("50 k EUR", 50_000, "eur", True)]),
        ("über 1 Mio. EUR", [("1 Mio. EUR", 1_000_000, "eur", True)]),
        ("ab EUR 60.000", [("60.000", 60_000, "eur", True)]),
        ("bis 60.000 €", [("60.000 €", 60_000, "eur", True)]),
        ("up to EUR 50,000", [("50,000", 50_000, "eur", True)]),
        ("über 60 bis 90 Tage", [("60", 60, "days", True), ("90 Tage", 90, "days", True)]),
        ("10\u201320 %", [("10", 10, "percent", True), ("20 %", 20, "percent", True)]),
        ("20 % oder mehr", [("20 %", 20, "percent", True)]),
        ("will 12 % Rabatt", [("12 %", 12, "percent", False)]),
        ("Obergrenze: 20 %", [("20 %", 20, "percent", True)]),
        ("über {rabatt:lead} (nicht 17 %)", [("17 %", 17, "percent", False)]),
        ("Antwort spätestens nach 2 Tagen", [("2 Tagen", 2, "days", False)]),
        ("bis 6 Monate", [("6 Monate", 6, "months", True)]),
        ("ab 3 Klauseln", [("3", 3, "", True)]),
        ("Stand 01.10.2026, Version 2026.11", []),
        ("3a bis 5kg, Q3", []),
        ("bis 5 Prozentpunkte", [("5", 5, "", True)]),
    ],
)
def test_numbers_are_read_with_their_unit(
    text: str, read: list[tuple[str, float, str, bool]]
) -> None:
    found = [(text[n.start : n.end], n.value, n.unit, n.limit) for n in numbers(text, [])]
    kept = [f for f in found if f[2] or f[3]]
    assert kept == read


def test_numbers_inside_references_are_skipped() -> None:
    text = "bis {q3-ziel} und bis {rabatt-freigabe:teamleitung}"
    assert numbers(text, [(4, 13)]) == []


def test_sentences_do_not_end_at_abbreviations_or_thousands() -> None:
    text = "Erster Satz. Über 1 Mio. EUR, z. B. 50.000 EUR! Dritter; vierter\nfünfter"
    assert [text[a:b].strip() for a, b in sentences(text)] == [
        "Erster Satz.",
        "Über 1 Mio. EUR, z. B. 50.000 EUR!",
        "Dritter;",
        "vierter",
        "fünfter",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "{",
        "}",
        "{{",
        "{a:}",
        "{:b}",
        "{" * 500 + "a" * 500,
        "1" * 5000,
        "9" * 400 + " %",
        "\x00{x}",
    ],
)
def test_odd_text_never_breaks_the_checks(sample: Path, text: str) -> None:
    rule = sample / "non-negotiables" / "rabatt-obergrenze.yml"
    set_line(rule, "summary", '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"')
    problems(sample)  # no exception


def test_a_text_that_starts_with_a_reference_is_told_to_be_quoted(sample: Path) -> None:
    rule = sample / "non-negotiables" / "rabatt-obergrenze.yml"
    set_line(rule, "summary", "{rabatt-freigabe}")  # YAML reads a mapping
    found = [p for p in problems(sample, "wrong-type") if Path(p.file).name == rule.name]
    assert len(found) == 1 and found[0].line == where(rule, "summary: {rabatt-freigabe}")[0]
    assert found[0].hint.startswith("a text that starts with `{` is read as a mapping")


def test_a_reference_to_where_an_open_band_starts_needs_ueber(sample: Path) -> None:
    terms = sample / "escalation-paths" / "zahlungsziel-freigabe.yml"
    set_line(terms, "summary", "Ab {zahlungsziel-freigabe:geschaeftsfuehrung} die GF.")
    found = [p for p in problems(sample, RULE) if "open-ended" in p.message]
    assert at(found, terms) == {where(terms, "{zahlungsziel-freigabe:geschaeftsfuehrung}")}
    assert found[0].severity == "warning" and "über" in found[0].hint
    set_line(terms, "summary", "Über {zahlungsziel-freigabe:geschaeftsfuehrung} die GF.")
    assert not [p for p in problems(sample, RULE) if "open-ended" in p.message]
