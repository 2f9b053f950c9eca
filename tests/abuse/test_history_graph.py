"""History read from the commit graph: a merge is credited with what it brought, commit
subjects cannot forge records or Markdown, and a shallow clone says so instead of calling
everything new."""

from __future__ import annotations

import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sales_playbook.cli import main
from sales_playbook.commands.build import build
from sales_playbook.history.changelog import changelog
from sales_playbook.history.releases import trails
from sales_playbook.source.check import check

from ..conftest import CASES, TODAY
from ..test_diff import edit
from ..test_history import git

HOSTILE = "Rabatt [Klick](https://evil.example) \x1e\x1f \x1b[31mrot {: onclick=x}"
RABATT = Path("escalation-paths") / "rabatt.yml"


def band(source: Path, old: int, new: int) -> None:
    edit(source / RABATT, f"  - up_to: {old}\n", f"  - up_to: {new}\n")
    edit(source / RABATT, f"  - above: {old}\n", f"  - above: {new}\n")


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """First version; a branch with two work-in-progress commits (10 -> 11 -> 12 %) merged
    with a merge commit, as GitHub merges; then a commit with a hostile subject."""
    top = tmp_path_factory.mktemp("graph")
    source = top / "playbook"
    shutil.copytree(CASES / "base", source)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "commit", "-qm", "Erste Fassung", day="2026-09-01")
    git(top, "checkout", "-q", "-b", "feature")
    band(source, 10, 11)
    git(top, "commit", "-qam", "WIP eins", day="2026-09-10")
    band(source, 11, 12)
    git(top, "commit", "-qam", "WIP zwei", day="2026-09-11")
    git(top, "checkout", "-q", "main")
    git(top, "merge", "-q", "--no-ff", "feature", "-m", "Merge pull request #1", day="2026-09-12")
    ids = {"merge": git(top, "rev-parse", "HEAD")}
    edit(source / RABATT, "title: ", "title: Neu ")
    git(top, "commit", "-qam", HOSTILE, day="2026-10-01")
    ids["hostile"] = git(top, "rev-parse", "HEAD")
    return source, ids


def test_a_merge_is_credited_with_what_it_brought_and_its_branch_is_not_listed(
    repo: tuple[Path, dict[str, str]],
) -> None:
    source, ids = repo
    releases = changelog(source, TODAY)
    assert [r.commit for r in releases if not r.first] == [ids["hostile"], ids["merge"]]
    merged = next(r for r in releases if r.commit == ids["merge"])
    assert merged.subject == "Merge pull request #1"
    said = " ".join(s for change in merged.changes for s in change.sentences)
    assert "12" in said and "11" not in said  # 10 -> 12, the branch's net change
    assert not any("WIP" in r.subject for r in releases)
    steps = trails(check(source, TODAY).model, releases)  # each entry's history
    assert {step.commit for step in steps["rabatt"]} >= {ids["merge"], ids["hostile"]}


def test_a_hostile_subject_is_plain_text_in_the_log_the_pages_and_the_feed(
    repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    source, ids = repo
    subject = next(r.subject for r in changelog(source, TODAY) if r.commit == ids["hostile"])
    assert not any(ord(c) < 32 or c == "\x7f" for c in subject), repr(subject)
    assert subject.startswith("Rabatt [Klick](https://evil.example)")
    built = build(source, tmp_path / "site", tmp_path / "build", TODAY)
    assert not [p for p in built.problems if p.rule == "shallow-history"]
    pages = [
        (tmp_path / "site" / "changelog.html").read_text("utf-8"),
        (tmp_path / "site" / "escalation-paths" / "rabatt.html").read_text("utf-8"),
    ]
    for page in pages:
        assert "[Klick](https://evil.example)" in page  # as written, not a link
        assert 'href="https://evil.example' not in page
        assert "onclick" not in page.replace("{: onclick=x}", "")
    feed = ET.parse(tmp_path / "site" / "feed.xml").getroot()
    text = ET.tostring(feed, encoding="unicode")
    assert "\x1e" not in text and "\x1b" not in text
    # the merge's date, not those of the branch's commits (10 and 11 September)
    assert "12.09.2026" in text and "10.09.2026" not in text and "11.09.2026" not in text


def test_a_shallow_clone_says_so_and_invents_no_history(
    repo: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    source, _ = repo
    clone = tmp_path / "clone"
    subprocess.run(
        ["git", "clone", "-q", "--depth", "1", f"file://{source.parent}", str(clone)],
        check=True,
        capture_output=True,
    )
    shallow_source = clone / "playbook"
    assert [r for r in changelog(shallow_source, TODAY) if r.first] == []
    built = build(shallow_source, tmp_path / "site", tmp_path / "build", TODAY)
    warned = [p for p in built.problems if p.rule == "shallow-history"]
    assert len(warned) == 1 and warned[0].severity == "warning"
    assert "fetch-depth: 0" in warned[0].hint
    docs = tmp_path / "build" / "docs"
    assert not (docs / "changelog.md").exists()
    page = (docs / "escalation-paths" / "rabatt.md").read_text("utf-8")
    assert "Verlauf" not in page and "Zuletzt geändert" not in page


def test_a_folder_named_like_the_base_revision_never_stands_in_for_it(
    repo: tuple[Path, dict[str, str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A branch adds `main/` (a copy of its own, looser playbook): `diff main` still
    compares with the revision, and the approval gate still fails."""
    source, _ = repo
    top = source.parent
    git(top, "checkout", "-q", "-b", "looser")
    band(source, 12, 15)  # the rep may now give 15 %
    planted = top / "main"
    shutil.copytree(source, planted)
    here = Path.cwd()
    os.chdir(top)
    try:
        assert main(["diff", "playbook", "--base", "main", "--fail-on", "loosening"]) == 3
        assert "is a revision and a path" in capsys.readouterr().err
        # without the revision, a path is taken by the gate only when marked as a folder
        gate = ["--fail-on", "loosening"]
        shutil.copytree(source, top / "origin" / "gone")  # a path, and no revision
        assert main(["diff", "playbook", "--base", "origin/gone", *gate]) == 2
        assert main(["diff", "playbook", "--base", "origin/gone"]) == 0  # with a warning
        assert "is no revision here" in capsys.readouterr().err
        assert main(["diff", "playbook", "--base-dir", "main"]) == 0
    finally:
        os.chdir(here)
        shutil.rmtree(planted)
        shutil.rmtree(top / "origin", ignore_errors=True)
        git(top, "checkout", "-q", "--", ".")
        git(top, "checkout", "-q", "main")


def test_a_subject_with_line_separators_credits_only_the_files_its_commit_touched(
    tmp_path: Path,
) -> None:
    """U+2028 and a file name in a subject once made the commit look like it touched
    rabatt.yml; its entry's "Verlauf" lists exactly the commits that changed it."""
    top = tmp_path / "repo"
    source = top / "playbook"
    shutil.copytree(CASES / "base", source)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "commit", "-qm", "Erste Fassung", day="2026-09-01")
    band(source, 10, 12)
    git(top, "commit", "-qam", "Rabatt bis 12 %", day="2026-09-05")
    raised = git(top, "rev-parse", "HEAD")
    ansprache = source / "flexible-zones" / "ansprache.yml"
    edit(ansprache, "title: Ansprache", "title: Anrede")
    forged = f"Anrede\u2028{RABATT.as_posix()}\u2029\x85playbook/{RABATT.as_posix()}"
    git(top, "commit", "-qam", forged, day="2026-09-07")
    renamed = git(top, "rev-parse", "HEAD")

    releases = changelog(source, TODAY)
    by_commit = {r.commit: r for r in releases}
    assert {c.id for c in by_commit[renamed].changes} == {"ansprache"}
    steps = trails(check(source, TODAY).model, releases)
    assert raised in {s.commit for s in steps["rabatt"]}
    assert renamed not in {s.commit for s in steps["rabatt"]}
    assert renamed in {s.commit for s in steps["ansprache"]}
    build(source, tmp_path / "site", tmp_path / "build", TODAY)
    page = (tmp_path / "build" / "docs" / "escalation-paths" / "rabatt.md").read_text("utf-8")
    assert "Rabatt bis 12 %" in page and "Anrede" not in page
