"""`playbook build --team X`: one team's site, sharing the build cache with the organisation's."""

from __future__ import annotations

from pathlib import Path

from pypdf import PdfReader

from sales_playbook.commands import build as pipeline

from .conftest import SAMPLE, TODAY, run_cli, tree_digest

TEAM = "oeffentlicher-sektor"


def test_a_teams_site_is_its_effective_playbook_and_the_cache_keeps_them_apart(
    tmp_path: Path,
) -> None:
    build = tmp_path / "build"  # one build folder, one cache, for both sites
    org_site, team_site = tmp_path / "org", tmp_path / "team"
    org = pipeline.build(SAMPLE, org_site, build, TODAY, history=False)
    first = tree_digest(org_site)

    team = pipeline.build(SAMPLE, team_site, build, TODAY, history=False, team=TEAM)

    assert team.model.team == TEAM
    assert len(team.rendered) == team.pages  # no page of the organisation's site reused
    own = "non-negotiables/vergabeverfahren-einhalten.html"
    # the team's own rule has its page on both sites; the organisation's says whose it is
    assert (team_site / own).is_file() and (org_site / own).is_file()
    assert "Gilt nur im Team Öffentlicher Sektor" in (org_site / own).read_text("utf-8")
    page = "escalation-paths/rabatt-freigabe.html"
    assert (team_site / page).read_bytes() != (org_site / page).read_bytes()
    cards = PdfReader(team_site / "cards" / "decision-cards.pdf")
    # the same cards: the organisation's deck carries the team's own rule too, marked
    assert len(cards.pages) == len(PdfReader(org_site / "cards" / "decision-cards.pdf").pages)
    text = " ".join(p.extract_text() for p in cards.pages)
    assert "Verschärft für Team „Öffentlicher Sektor“" in text

    again = pipeline.build(SAMPLE, org_site, build, TODAY, history=False)
    assert tree_digest(org_site) == first  # the team's build left nothing in the org's pages
    assert again.pages == org.pages


def test_an_unknown_team_is_a_usage_error_and_writes_nothing(tmp_path: Path) -> None:
    site, build = tmp_path / "site", tmp_path / "build"
    code, err = run_cli(
        "build", str(SAMPLE), "--out", str(site), "--build-dir", str(build),
        "--no-history", "--team", "vertrieb-nord",
    )  # fmt: skip
    assert code == 2
    assert "unknown team vertrieb-nord; known: oeffentlicher-sektor" in err
    assert not site.exists()
