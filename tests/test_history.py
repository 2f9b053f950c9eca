"""An audit trail per rule: the "Verlauf" section, the change log by version, the feed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sales_playbook.commands import build as commands_build
from sales_playbook.history import changelog as history_changelog
from sales_playbook.history.releases import versions as releases_of

from .conftest import CASES, TODAY, run_main
from .test_diff import edit

ATOM = "{http://www.w3.org/2005/Atom}"
REPO_URL = "https://git.example/nordlicht/playbook"


def git(repo: Path, *args: str, day: str = "2026-10-01") -> str:
    stamp = f"{day}T12:00:00+00:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    done = subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        text=True,
        env=env,
    )
    return done.stdout.strip()


def first_commit(playbook: Path, top: Path, day: str = "2026-09-01") -> Path:
    """`playbook` copied into a new git repository at `top` (branch main) as its first
    commit, "Erste Fassung" on `day`; the copy's path."""
    source = top / "playbook"
    shutil.copytree(playbook, source)
    git(top, "init", "-q", "-b", "main")
    git(top, "add", ".")
    git(top, "commit", "-qm", "Erste Fassung", day=day)
    return source


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """Three commits: the first version, a wider discount band (tagged v1.0), a rename
    (with a title that needs escaping). Returns the playbook folder and the commit ids."""
    repo = tmp_path_factory.mktemp("history")
    source = repo / "playbook"
    shutil.copytree(CASES / "base", source)
    edit(source / "playbook.yml", "site_url:", f"repo_url: {REPO_URL}/\nsite_url:")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "Erste Fassung", day="2026-09-15")
    ids = {"first": git(repo, "rev-parse", "HEAD")}

    edit(source / "escalation-paths" / "rabatt.yml", "  - up_to: 10\n", "  - up_to: 12\n")
    edit(source / "escalation-paths" / "rabatt.yml", "  - above: 10\n", "  - above: 12\n")
    git(repo, "commit", "-qam", "Rabattkorridor auf 12 %", day="2026-10-01")
    ids["wider"] = git(repo, "rev-parse", "HEAD")
    git(repo, "tag", "-a", "v1.0", "-m", "Version 1.0", day="2026-10-02")

    code, _, err = run_main("rename", "rabatt", "rabatt-freigabe", str(source))
    assert code == 0, err
    edit(source / "escalation-paths" / "rabatt-freigabe.yml", "title: ", "title: Rabatt & <b>")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "Rabatt umbenannt", day="2026-11-02")
    ids["renamed"] = git(repo, "rev-parse", "HEAD")
    return source, ids


@pytest.fixture(scope="module")
def built(
    history: tuple[Path, dict[str, str]], tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    source, _ = history
    out = tmp_path_factory.mktemp("built")
    commands_build.build(source, out / "site", out / "build", TODAY)
    return out / "site", out / "build"


def test_entry_page_lists_every_version_through_the_rename(
    history: tuple[Path, dict[str, str]], built: tuple[Path, Path]
) -> None:
    _, ids = history
    site, build = built
    page = (build / "docs" / "escalation-paths" / "rabatt-freigabe.md").read_text("utf-8")
    section = page[page.index("## Verlauf") :]
    versions = re.findall(r"^- \*\*(.+?)\*\* · (.+)$", section, re.M)
    assert versions == [
        ("02.11.2026", f"Rabatt umbenannt · [&#67;ommit {ids['renamed'][:7]}]"
                       f"({REPO_URL}/commit/{ids['renamed']})"),
        ("01.10.2026", f"Rabattkorridor auf 12 % · [&#67;ommit {ids['wider'][:7]}]"
                       f"({REPO_URL}/commit/{ids['wider']})"),
        ("15.09.2026", f"Erste Fassung · [&#67;ommit {ids['first'][:7]}]"
                       f"({REPO_URL}/commit/{ids['first']})"),
    ]  # fmt: skip
    assert "    - Umbenannt: „rabatt“ heißt jetzt „rabatt-freigabe“." in section
    assert "    - Über 10\u00a0% bis 12\u00a0%: jetzt entscheidet Rep (vorher Lead)." in section
    assert "    - Neu: Eskalationsweg „Rabatt“." in section
    html = (site / "escalation-paths" / "rabatt-freigabe.html").read_text("utf-8")
    assert 'id="pb-history"' in html
    assert f'href="{REPO_URL}/commit/{ids["wider"]}"' in html
    # an entry changed only once has just its first version
    zone = (build / "docs" / "flexible-zones" / "ansprache.md").read_text("utf-8")
    assert "Woche" not in zone and zone.count("\n- **") == 1


def test_without_repo_url_there_are_no_commit_links(
    history: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    source, _ = history
    copy = tmp_path / "repo"
    shutil.copytree(source.parent, copy)
    edit(copy / "playbook" / "playbook.yml", f"repo_url: {REPO_URL}/\n", "")
    git(copy, "commit", "-qam", "Ohne Repository-Adresse", day="2026-11-03")
    commands_build.build(copy / "playbook", tmp_path / "site", tmp_path / "build", TODAY)
    page = tmp_path / "build" / "docs" / "escalation-paths" / "rabatt-freigabe.md"
    text = page.read_text("utf-8")
    assert "## Verlauf" in text
    assert "/commit/" not in text
    assert "/commit/" not in (tmp_path / "build" / "docs" / "changelog.md").read_text("utf-8")

    commands_build.build(
        copy / "playbook", tmp_path / "plain", tmp_path / "b2", TODAY, history=False
    )
    plain = tmp_path / "b2" / "docs" / "escalation-paths" / "rabatt-freigabe.md"
    assert "Verlauf" not in plain.read_text("utf-8")
    assert not (tmp_path / "plain" / "feed.xml").exists()


def test_repo_url_must_be_https(history: tuple[Path, dict[str, str]], tmp_path: Path) -> None:
    source, _ = history
    copy = tmp_path / "playbook"
    shutil.copytree(source, copy)
    edit(copy / "playbook.yml", f"repo_url: {REPO_URL}/", "repo_url: http://git.example/x")
    code, _, err = run_main("validate", str(copy))
    assert code == 1
    assert "repo_url" in err


def test_change_log_groups_by_version_tag(built: tuple[Path, Path]) -> None:
    _, build = built
    log = (build / "docs" / "changelog.md").read_text("utf-8")
    headings = re.findall(r"^##+ (.+?) \{", log, re.M)
    assert headings == ["Seit der letzten Version", "02.11.2026", "v1.0 (01.10.2026)", "01.10.2026"]
    assert "[Als Atom-Feed abonnieren](feed.xml)" in log


def test_change_log_groups_by_month_without_tags(
    history: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    source, _ = history
    copy = tmp_path / "repo"
    shutil.copytree(source.parent, copy)
    git(copy, "tag", "-d", "v1.0")
    releases = history_changelog.changelog(copy / "playbook", TODAY)
    versions = releases_of(copy / "playbook", [r for r in releases if not r.first], "de")
    assert [(v.label, len(v.releases)) for v in versions] == [
        ("November 2026", 1),
        ("Oktober 2026", 1),
    ]


def test_feed_is_atom(history: tuple[Path, dict[str, str]], built: tuple[Path, Path]) -> None:
    _, ids = history
    site, _ = built
    feed = ET.parse(site / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for tag in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{tag}") is not None, tag
    assert feed.findtext(f"{ATOM}updated") == "2026-11-02T12:00:00Z"
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href", "").endswith("/feed.xml")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2  # the first version is not a change
    stamps = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\Z")
    for entry in entries:
        for tag in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{tag}"), tag
        assert stamps.match(entry.findtext(f"{ATOM}updated") or "")
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None and "/changelog.html#c-" in link.get("href", "")
    newest = entries[0]
    assert newest.findtext(f"{ATOM}title") == "02.11.2026: Rabatt & <b>Rabatt"  # escaped, read back
    assert "Umbenannt" in (newest.findtext(f"{ATOM}summary") or "")
    related = newest.find(f"{ATOM}link[@rel='related']")
    assert related is not None and related.get("href") == f"{REPO_URL}/commit/{ids['renamed']}"
    # each entry's link leads to its section on the change-log page
    alternate = newest.find(f"{ATOM}link[@rel='alternate']")
    assert alternate is not None
    anchor = alternate.get("href", "")
    page = (site / "changelog.html").read_text("utf-8")
    assert f'id="{anchor.split("#")[1]}"' in page
    assert 'href="feed.xml"' in page
