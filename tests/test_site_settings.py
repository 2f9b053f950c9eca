"""The organisation's mkdocs.yml beside the playbook: palette, logo and favicon only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from sales_playbook.commands import build as commands_build
from sales_playbook.errors import PlaybookError
from sales_playbook.source import check, site_settings

from .conftest import CASES, ROOT, SAMPLE, TODAY, run_cli

LOGO = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>'
)
FAVICON = b"\x89PNG\r\n\x1a\n-not-really-"


@pytest.fixture
def org(tmp_path: Path) -> Path:
    """An organisation's repository: playbook/ and beside it the images."""
    folder = tmp_path / "org"
    shutil.copytree(CASES / "base", folder / "playbook")
    (folder / "branding").mkdir()
    (folder / "branding" / "logo.svg").write_bytes(LOGO)
    (folder / "favicon.png").write_bytes(FAVICON)
    return folder


def problems_of(playbook: Path, **kwargs: Path) -> list[str]:
    with pytest.raises(PlaybookError) as raised:
        check.check(playbook, TODAY, **kwargs)
    return [
        f"{Path(p.file).name}:{p.line}:{p.column}: [{p.rule}] {p.message} / {p.hint}"
        for p in raised.value.problems
    ]


def test_samples_own_settings_are_valid() -> None:
    settings, problems = site_settings.load(None, SAMPLE)
    assert problems == []
    assert Path(settings.file).resolve() == ROOT / "mkdocs.yml"
    assert settings.theme()["palette"]["primary"] == "indigo"


def test_palette_logo_and_favicon_reach_the_site(org: Path) -> None:
    (org / "mkdocs.yml").write_text(
        "# our colours\n"
        "theme:\n"
        "  palette:\n"
        "    scheme: default\n"
        "    primary: teal\n"
        "    accent: deep orange\n"
        "  logo: branding/logo.svg\n"
        "  favicon: favicon.png\n",
        "utf-8",
    )
    site, build = org / "site", org / "build"
    commands_build.build(org / "playbook", site, build, TODAY, history=False)

    assert (site / "assets" / "logo.svg").read_bytes() == LOGO
    assert (site / "assets" / "favicon.png").read_bytes() == FAVICON
    index = (site / "index.html").read_text("utf-8")
    assert 'src="assets/logo.svg"' in index
    assert 'href="assets/favicon.png"' in index
    assert 'data-md-color-primary="teal"' in index
    assert 'data-md-color-accent="deep-orange"' in index
    config = json.loads((build / "mkdocs.yml").read_text("utf-8").split("\n", 1)[1])
    assert config["theme"]["logo"] == "assets/logo.svg"
    assert config["theme"]["name"] == "material"  # the base configuration stays
    assert config["plugins"] == []  # no engine's search, no tags plugin: the site's own


def test_every_other_setting_is_a_problem_at_its_place(org: Path) -> None:
    (org / "mkdocs.yml").write_text(
        "site_name: Unser Playbook\n"
        "plugins:\n"
        "  - search\n"
        "them:\n"
        "  logo: x.svg\n"
        "theme:\n"
        "  name: readthedocs\n"
        "  language: en\n"
        "  palette:\n"
        "    primary: indgo\n"
        "    acent: teal\n"
        "  logo: ../logo.svg\n"
        "  favicon: fehlt.png\n",
        "utf-8",
    )
    assert problems_of(org / "playbook") == [
        "mkdocs.yml:1:1: [unknown-key] `site_name` cannot be set in the organisation's "
        "mkdocs.yml / set `title` in playbook/playbook.yml",
        "mkdocs.yml:2:1: [unknown-key] `plugins` cannot be set in the organisation's "
        f"mkdocs.yml / {site_settings.TOOL_HINT}",
        "mkdocs.yml:4:1: [unknown-key] `them` cannot be set in the organisation's "
        "mkdocs.yml / did you mean `theme`?",
        "mkdocs.yml:7:3: [unknown-key] `theme.name` cannot be set in the organisation's "
        f"mkdocs.yml / {site_settings.TOOL_HINT}",
        "mkdocs.yml:8:3: [unknown-key] `theme.language` cannot be set in the organisation's "
        "mkdocs.yml / set `language` in playbook/playbook.yml",
        "mkdocs.yml:10:14: [bad-value] `indgo` is not a primary colour of the theme "
        "/ did you mean `indigo`?",
        "mkdocs.yml:11:5: [unknown-key] unknown palette key `acent` / did you mean `accent`?",
        "mkdocs.yml:12:9: [bad-value] `../logo.svg` leads out of the folder of mkdocs.yml "
        "/ put the logo in the folder of mkdocs.yml (or below it) and name it relative to it",
        "mkdocs.yml:13:12: [missing-file] `fehlt.png` does not exist beside mkdocs.yml "
        "/ put the favicon in the folder of mkdocs.yml (or below it) and name it relative to it",
    ]


@pytest.mark.parametrize(
    ("logo", "message"),
    [
        ("/etc/logo.svg", "`/etc/logo.svg` is an absolute path"),
        ("https://cdn.example/logo.svg", "the logo must be a file, not an address"),
        ("escape.svg", "`escape.svg` is a link that leads out of the folder"),
        ("favicon.png/..", "`favicon.png/..` leads out of the folder of mkdocs.yml"),
        ("notes.txt", "`notes.txt` is not an image file"),
        ("[logo.svg]", "`theme.logo` must be the path of the logo file, relative to mkdocs.yml"),
    ],
)
def test_images_stay_inside_the_folder(org: Path, tmp_path: Path, logo: str, message: str) -> None:
    (tmp_path / "secret.svg").write_bytes(LOGO)
    (org / "escape.svg").symlink_to(tmp_path / "secret.svg")
    (org / "mkdocs.yml").write_text(f"theme:\n  logo: {logo}\n", "utf-8")
    (problem,) = problems_of(org / "playbook")
    assert problem.startswith("mkdocs.yml:2:9: ")
    assert message in problem


def test_problems_come_with_the_playbooks_own(org: Path) -> None:
    (org / "mkdocs.yml").write_text("nav: []\n", "utf-8")
    rule = org / "playbook" / "non-negotiables" / "preisregel.yml"
    rule.write_text(rule.read_text("utf-8").replace("owner: lead", "owner: leed"), "utf-8")
    code, err = run_cli("validate", str(org / "playbook"))
    assert code == 1
    owner = next(
        n for n, line in enumerate(rule.read_text("utf-8").splitlines(), 1) if "leed" in line
    )
    assert "mkdocs.yml:1:1" in err and f"preisregel.yml:{owner}:8" in err
    assert "2 error(s)" in err


def test_the_settings_file_can_be_named(org: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.yml"
    elsewhere.write_text("theme:\n  palette: {primary: red}\n", "utf-8")
    (org / "mkdocs.yml").write_text("site_name: ignored, another file is named\n", "utf-8")
    checked = check.check(org / "playbook", TODAY, site_config=elsewhere)
    assert checked.site.theme() == {"palette": {"primary": "red"}}
    (problem,) = problems_of(org / "playbook", site_config=tmp_path / "missing.yml")
    assert "[missing-file]" in problem


def test_no_settings_file_changes_nothing(org: Path) -> None:
    assert check.check(org / "playbook", TODAY).site == site_settings.NO_SETTINGS
    (org / "mkdocs.yml").write_text("# nothing yet\n", "utf-8")
    assert check.check(org / "playbook", TODAY).site.theme() == {}
