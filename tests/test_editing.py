"""Editing through pull requests: new entries, reviews, CODEOWNERS, hooks, CI, change log."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml

from sales_playbook.commands import build as pipeline
from sales_playbook.site.search_index import INDEX_SCRIPT, index_script_data

from .conftest import ROOT, SAMPLE, TODAY, run_cli, run_main
from .test_diff import committed, edit, git, run

KINDS = [
    "non-negotiables",
    "flexible-zones",
    "escalation-paths",
    "qualification",
    "underperformance",
]


@pytest.mark.parametrize("kind", KINDS)
def test_new_entry_is_valid_and_never_overwritten(kind: str, base_playbook: Path) -> None:
    code, _, err = run("new", kind, "neuer-eintrag", str(base_playbook))
    assert code == 0, err
    path = base_playbook / kind / "neuer-eintrag.yml"
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schemas/")
    assert f'last_reviewed: "{TODAY.isoformat()}"' in text
    assert run_cli("validate", str(base_playbook), "--strict")[0] == 0

    code, _, err = run("new", kind, "neuer-eintrag", str(base_playbook))
    assert code == 2
    assert "exists already" in err
    assert path.read_text("utf-8") == text


def test_new_entry_rejects_bad_ids_and_kinds(base_playbook: Path) -> None:
    assert "not a valid id" in run("new", "qualification", "Neu_X", str(base_playbook))[2]
    assert "unknown kind" in run("new", "regeln", "neu", str(base_playbook))[2]
    # an id another kind already uses would make the playbook invalid
    taken = next((base_playbook / "flexible-zones").glob("*.yml")).stem
    code, _, err = run("new", "escalation-paths", taken, str(base_playbook))
    assert code == 2
    assert "already" in err
    assert not (base_playbook / "escalation-paths" / f"{taken}.yml").exists()


def test_every_sample_file_names_its_schema_for_editors() -> None:
    for path in SAMPLE.rglob("*.yml"):
        first = path.read_text("utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("=", 1)[1]).resolve()
        assert schema.is_file(), path


def test_review_lists_due_entries_by_owner_and_strict_fails_when_overdue(
    base_playbook: Path,
) -> None:
    code, out, _ = run("review", str(base_playbook), "--within", "30")
    assert (code, out.strip().splitlines()[-1]) == (0, "0 overdue, 0 due within 30 days")
    later = dt.date(2027, 2, 1)
    code, out, _ = run_review(base_playbook, later, "--within", "30")
    assert code == 0
    assert out.splitlines()[0] == "Lead"
    assert "overdue since 2027-01-15" in out
    code, _, _ = run_review(base_playbook, later, "--fail-on-overdue")
    assert code == 1


def run_review(root: Path, day: dt.date, *extra: str) -> tuple[int, str, str]:
    return run_main("review", str(root), *extra, today=day)


def test_codeowners_from_role_handles() -> None:
    code, out, _ = run("codeowners", str(SAMPLE))
    assert code == 0
    lines = out.splitlines()
    assert "/playbook/escalation-paths/zahlungsziel-freigabe.yml @nordlicht/finance" in lines
    assert "/playbook/non-negotiables/rechtsklauseln.yml @nordlicht/legal" in lines
    entries = [line for line in lines if line.startswith("/playbook/") and line.count("/") > 3]
    assert len(entries) == 21 + 1  # and the team overlay


def test_pre_commit_hooks_run_our_validator_and_the_codeowners_check() -> None:
    validate, codeowners = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert validate["id"] == "playbook-validate"
    assert validate["entry"] == "playbook validate"
    assert validate["pass_filenames"] is False
    assert codeowners["id"] == "playbook-codeowners"
    assert codeowners["entry"] == "playbook codeowners --check --out .github/CODEOWNERS"
    assert codeowners["pass_filenames"] is False
    for path, runs in {
        "playbook/playbook.yml": True,
        "playbook/non-negotiables/x.yml": True,
        ".github/CODEOWNERS": True,
        ".github/CODEOWNERS.bak": False,
        "README.md": False,
    }.items():
        assert bool(re.search(codeowners["files"], path)) is runs, path


def test_site_change_log_says_what_commits_meant(tmp_path: Path, base_playbook: Path) -> None:
    repo = tmp_path / "repo"
    source = committed(base_playbook, repo, "Erste Fassung")
    edit(source / "escalation-paths" / "rabatt.yml", "  - up_to: 10\n", "  - up_to: 12\n")
    edit(source / "escalation-paths" / "rabatt.yml", "  - above: 10\n", "  - above: 12\n")
    git(repo, "commit", "-qam", "Rabattkorridor auf 12 %")

    pipeline.build(source, tmp_path / "site", tmp_path / "build", TODAY)

    page = (tmp_path / "build" / "docs" / "changelog.md").read_text("utf-8")
    assert "Rabattkorridor auf 12 %" in page
    assert "Über 10\u00a0% bis 12\u00a0%: jetzt entscheidet Rep (vorher Lead)." in page
    assert "Freigabe" not in page and "rabatt.md)** · mehr Spielraum" in page  # merged: a fact
    assert "<small>&#67;ommit: Rabattkorridor auf 12 %</small>" in page  # secondary, no tooltip
    assert (tmp_path / "site" / "changelog.html").is_file()
    # the label "Commit" is the site's word, not the glossary's forecast category: a term
    # of that name explains the category in texts, never the label
    glossary = source / "glossary.yml"
    assert "term: Commit" not in glossary.read_text("utf-8")
    edit(
        glossary,
        "terms:\n",
        "terms:\n  - id: commit\n    term: Commit\n    definition: Forecast-Kategorie.\n",
    )
    pipeline.build(source, tmp_path / "site", tmp_path / "build", TODAY)
    html = (tmp_path / "site" / "changelog.html").read_text("utf-8")
    assert "<small>Commit: Rabattkorridor" in html  # as a reader sees it
    assert "Commit</abbr>" not in html
    # "Zuletzt geändert" says what the newest change meant; the subject comes second
    recent = (tmp_path / "build" / "docs" / "changes.md").read_text("utf-8")
    row = next(line for line in recent.splitlines() if "Rabatt" in line and "12" in line)
    assert row.index("jetzt entscheidet Rep") < row.index("&#67;ommit: Rabattkorridor")
    for meta in (page, recent):  # meta pages stay out of the search index
        assert '<div class="pb-unsearched"></div>' in meta
    index = index_script_data((tmp_path / "site" / INDEX_SCRIPT).read_text("utf-8"))
    assert not [d for d in index["docs"] if d["location"].startswith(("changelog", "changes"))]

    # a plain export without the history: no pages made from git
    pipeline.build(source, tmp_path / "plain", tmp_path / "b2", TODAY, history=False)
    assert not (tmp_path / "plain" / "changelog.html").exists()
    assert not (tmp_path / "plain" / "changes.html").exists()
    assert (tmp_path / "plain" / "index.html").is_file()
