"""Entry status: drafts only in previews, retired entries keep their page with a notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.site.search_index import INDEX_SCRIPT, index_script_data
from sales_playbook.source import check

from .conftest import TODAY


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")


def retire_ansprache(root: Path) -> None:
    zone = root / "flexible-zones" / "ansprache.yml"
    successor = root / "flexible-zones" / "gespraech.yml"
    successor.write_text(
        zone.read_text("utf-8")
        .replace("id: ansprache", "id: gespraech")
        .replace("title: Ansprache", "title: Gesprächsführung"),
        "utf-8",
    )
    edit(zone, "title: Ansprache", "title: Ansprache\nstatus: retired\nsuccessor: gespraech")


def test_retired_entry_keeps_its_page_but_leaves_cards_and_search(
    tmp_path: Path, base_playbook: Path
) -> None:
    retire_ansprache(base_playbook)
    site = tmp_path / "site"
    commands_build.build(base_playbook, site, tmp_path / "build", TODAY)

    page = (site / "flexible-zones" / "ansprache.html").read_text("utf-8")
    assert "Außer Kraft" in page
    assert 'href="gespraech.html"' in page
    overview = (site / "flexible-zones" / "index.html").read_text("utf-8")
    assert "Außer Kraft" in overview
    index = index_script_data((site / INDEX_SCRIPT).read_text("utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    assert "flexible-zones/gespraech.html" in locations
    assert not any(loc.startswith("flexible-zones/ansprache.html") for loc in locations)
    view = (site / "cards" / "index.html").read_text("utf-8")
    assert "Gesprächsführung" in view and ">Ansprache<" not in view


def test_drafts_appear_only_in_preview_builds(tmp_path: Path, base_playbook: Path) -> None:
    edit(base_playbook / "qualification" / "lead.yml", "title: Lead-Qualifizierung",
         "title: Lead-Qualifizierung\nstatus: draft")  # fmt: skip
    commands_build.build(base_playbook, tmp_path / "site", tmp_path / "build", TODAY)
    assert not (tmp_path / "site" / "qualification" / "lead.html").exists()

    commands_build.build(base_playbook, tmp_path / "p", tmp_path / "pb", TODAY, preview=True)
    page = (tmp_path / "p" / "qualification" / "lead.html").read_text("utf-8")
    assert "Entwurf" in page


def test_published_entries_cannot_link_to_drafts(base_playbook: Path) -> None:
    edit(base_playbook / "non-negotiables" / "preisregel.yml", "title: Preisregel",
         "title: Preisregel\nstatus: draft")  # fmt: skip
    with pytest.raises(PlaybookError) as raised:
        check.check(base_playbook, TODAY)
    rules = sorted({p.rule for p in raised.value.problems})
    assert rules == ["draft-reference"]
    files = sorted(Path(p.file).name for p in raised.value.problems)
    assert files == ["ansprache.yml", "onboarding.yml"]


def test_successor_only_on_retired_entries(base_playbook: Path) -> None:
    edit(base_playbook / "flexible-zones" / "ansprache.yml", "title: Ansprache",
         "title: Ansprache\nsuccessor: preisregel")  # fmt: skip
    with pytest.raises(PlaybookError) as raised:
        check.check(base_playbook, TODAY)
    assert [p.message for p in raised.value.problems] == ["only a retired entry has a successor"]
