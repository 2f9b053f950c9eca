"""`playbook rename` in files with NEL, LS or PS (issue 24): YAML ends lines there, the
loader reads them as spaces, and the rename counts positions the loader's way. It edits
the id and nothing else: the odd break itself stays, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from ..conftest import run_main

ODD = pytest.mark.parametrize(
    "odd", ["\u2028", "\u2029", "\x85"], ids=["U+2028", "U+2029", "U+0085"]
)


def put(path: Path, old: str, new: str) -> bytes:
    """Replace `old` once in the file; return the bytes written."""
    text = path.read_bytes().decode("utf-8")
    assert old in text, old
    raw = text.replace(old, new, 1).encode("utf-8")
    path.write_bytes(raw)
    return raw


def renamed(raw: bytes, old: str, new: str) -> bytes:
    return raw.decode("utf-8").replace(old, new).encode("utf-8")


def rename_and_validate(playbook: Path, old: str, new: str) -> None:
    code, _, err = run_main("rename", old, new, str(playbook))
    assert code == 0, err
    code, _, err = run_main("validate", str(playbook))
    assert code == 0, err


@ODD
def test_rename_after_an_odd_break_in_an_earlier_line(base_playbook: Path, odd: str) -> None:
    zone = base_playbook / "flexible-zones" / "ansprache.yml"
    onboarding = base_playbook / "onboarding.yml"
    zone_before = put(zone, "Ansprache wählst du selbst.", f"Ansprache{odd}wählst du selbst.")
    onboarding_before = put(onboarding, "goal: Regeln kennen.", f"goal: Regeln{odd}kennen.")

    rename_and_validate(base_playbook, "preisregel", "preis-grenze")

    assert zone.read_bytes() == renamed(zone_before, "preisregel", "preis-grenze")
    assert onboarding.read_bytes() == renamed(onboarding_before, "preisregel", "preis-grenze")
    assert odd in zone.read_text("utf-8")


@ODD
def test_rename_after_an_odd_break_in_the_same_line(base_playbook: Path, odd: str) -> None:
    zone = base_playbook / "flexible-zones" / "ansprache.yml"
    onboarding = base_playbook / "onboarding.yml"
    zone_before = put(zone, "bounded_by: [preisregel]", f"bounded_by:{odd}[preisregel]")
    onboarding_before = put(onboarding, "entries: [preisregel]", f"entries: [{odd}preisregel]")

    rename_and_validate(base_playbook, "preisregel", "preis-grenze")

    assert zone.read_bytes() == renamed(zone_before, "preisregel", "preis-grenze")
    assert onboarding.read_bytes() == renamed(onboarding_before, "preisregel", "preis-grenze")


@ODD
def test_rename_of_an_entry_whose_own_file_has_an_odd_break(base_playbook: Path, odd: str) -> None:
    rule = base_playbook / "non-negotiables" / "preisregel.yml"
    before = put(rule, "non-negotiable.schema.json\n", f"non-negotiable.schema.json{odd}x\n")

    rename_and_validate(base_playbook, "preisregel", "preis-grenze")

    assert not rule.exists()
    after = (base_playbook / "non-negotiables" / "preis-grenze.yml").read_bytes()
    assert after == renamed(
        before, "id: preisregel\n", "id: preis-grenze\nprevious_ids:\n  - preisregel\n"
    )


@ODD
def test_rename_of_live_values_after_odd_breaks(base_playbook: Path, odd: str) -> None:
    rule = base_playbook / "non-negotiables" / "preisregel.yml"
    summary = f"summary: 'Bis{odd}{{rabatt}} ''selbst'', darüber{odd}{{rabatt:lead}}.'"
    folded = f"rule: >-\n  Gewähre{odd}nie mehr\n  als{odd}{{rabatt}} ohne Freigabe."
    put(rule, "summary: Rabatte nur im Korridor.", summary)
    before = put(rule, "rule: Gewähre nie mehr als 10 % Rabatt ohne Freigabe.", folded)

    rename_and_validate(base_playbook, "rabatt", "rabatt-korridor")

    assert rule.read_bytes() == renamed(before, "{rabatt", "{rabatt-korridor")
