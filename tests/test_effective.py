"""A version merged ahead of its date (`effective:`) waits for it: until then the pages, the
helper's data and the cards keep the version in force and announce the new one; on the
day, the build switches by itself (history/effective.py)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from sales_playbook.cards.options import CardOptions
from sales_playbook.commands.build import build
from sales_playbook.commands.cards import write_cards

from .conftest import CASES, SAMPLE
from .test_history import first_commit, git

BEFORE, ON_THE_DAY = dt.date(2026, 12, 6), dt.date(2027, 1, 1)
DISCOUNT = Path("escalation-paths/rabatt-freigabe.yml")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample; then, merged in November, seniors decide up to 13 % from 1 January 2027,
    and a new non-negotiable holds from the same day."""
    top = tmp_path_factory.mktemp("effective")
    source = first_commit(SAMPLE, top)
    path = source / DISCOUNT
    text = re.sub(r"examples:\n(  - .*\n)+", "", path.read_text("utf-8"))
    text = text.replace("senior: 12}", "senior: 13}").replace("senior: 12}", "senior: 13}")
    path.write_text(
        text.replace("delegation: inquire\n", 'delegation: inquire\neffective: "2027-01-01"\n')
    )
    rule = (source / "non-negotiables/keine-nebenabreden.yml").read_text("utf-8")
    rule = rule.replace("id: keine-nebenabreden", "id: vier-augen").replace(
        "title: Keine Nebenabreden", 'title: Vier Augen\neffective: "2027-01-01"'
    )
    (source / "non-negotiables/vier-augen.yml").write_text(rule, "utf-8")
    git(top, "add", ".")
    git(top, "commit", "-qm", "Ab 2027: Senior bis 13 %, vier Augen", day="2026-11-20")
    return source


def built(source: Path, out: Path, today: dt.date) -> tuple[str, str]:
    build(source, out / "site", out / "build", today, history=False)
    page = (out / "build" / "docs" / "escalation-paths" / "rabatt-freigabe.md").read_text()
    data = next((out / "site").rglob("decisions.js")).read_text("utf-8")  # the helper's bands
    return page, data


def test_until_its_day_the_version_in_force_shows_and_the_next_is_announced(
    repo: Path, tmp_path: Path
) -> None:
    page, data = built(repo, tmp_path, BEFORE)
    assert '!!! info "Ab 01.01.2027 gilt eine neue Fassung:"' in page
    assert "Auf Stufe Senior: Über 12\u00a0% bis 13\u00a0%: jetzt entscheidet Account " in page
    assert "(Stufe Senior) entscheidest du selbst" in page and "12\u00a0% (Stufe Senior)" in page
    assert "13\u00a0% (Stufe Senior)" not in page
    assert '"up_to": 13' not in data  # the helper answers with the version in force
    assert not (tmp_path / "build/docs/non-negotiables/vier-augen.md").exists()  # not yet


def test_on_its_day_the_build_switches_by_itself(repo: Path, tmp_path: Path) -> None:
    page, data = built(repo, tmp_path, ON_THE_DAY)
    assert "Ab 01.01.2027" not in page and "13\u00a0% (Stufe Senior)" in page
    assert '"up_to": 13' in data
    assert (tmp_path / "build/docs/non-negotiables/vier-augen.md").is_file()


def test_the_cards_keep_the_version_in_force(repo: Path, tmp_path: Path) -> None:
    def text(today: dt.date, out: Path) -> str:
        write_cards(repo, out, today, CardOptions(), level="senior")
        reader = PdfReader(out / "decision-cards.pdf")
        return " ".join(page.extract_text() for page in reader.pages)

    before, after = text(BEFORE, tmp_path / "a"), text(ON_THE_DAY, tmp_path / "b")
    assert "bis 12 %" in before.replace("\u00a0", " ") and "bis 13 %" not in before
    assert "bis 13 %" in after.replace("\u00a0", " ")


def test_without_a_history_the_new_version_shows_with_a_warning(tmp_path: Path) -> None:
    source = tmp_path / "playbook"
    shutil.copytree(CASES / "base", source)
    path = next((source / "escalation-paths").glob("*.yml"))
    path.write_text(path.read_text("utf-8") + 'effective: "2027-01-01"\n', "utf-8")
    result = build(source, tmp_path / "site", tmp_path / "build", BEFORE)
    [warning] = [p for p in result.problems if p.rule == "effective-without-history"]
    assert warning.severity == "warning" and "2027-01-01" in warning.message
