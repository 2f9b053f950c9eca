"""Material as a range: the site works with the oldest Material the requirement allows, as
with the newest, which `make test` installs. The guard is a real search in the browser:
the header our search box goes into, and the pages our index is read from, are the
theme's."""

from __future__ import annotations

import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from .conftest import SAMPLE, TODAY, installed_aside
from .test_browser import search


def material_requirement() -> Requirement:
    for text in metadata.requires("sales-playbook") or []:
        requirement = Requirement(text)
        if requirement.name == "mkdocs-material":
            return requirement
    raise AssertionError("the site extra requires no mkdocs-material")


def lowest(requirement: Requirement) -> Version:
    """The lowest version the range allows (its `>=` bound)."""
    [floor] = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
    return floor


def test_the_requirement_is_a_range_that_holds_the_installed_material() -> None:
    requirement = material_requirement()
    operators = sorted(s.operator for s in requirement.specifier)
    assert operators == ["<", ">="], requirement  # a range, not a pin
    installed = Version(metadata.version("mkdocs-material"))
    assert requirement.specifier.contains(installed)
    assert lowest(requirement) < installed or lowest(requirement) == installed


@pytest.fixture(scope="module")
def oldest_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The sample built with the oldest Material allowed (from the package index once, then
    pip's cache), in a process of its own."""
    version = str(lowest(material_requirement()))
    root = tmp_path_factory.mktemp("oldest-material")
    environment = installed_aside(f"mkdocs-material=={version}", root / "packages")
    done = subprocess.run(
        [sys.executable, "-m", "sales_playbook", "build", str(SAMPLE), "--out",
         str(root / "site"), "--build-dir", str(root / "build"), "--no-history",
         "--today", TODAY.isoformat(), "-q"],
        capture_output=True, text=True, timeout=600, check=False,
        env={**environment, "NO_MKDOCS_2_WARNING": "1"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return root / "site", version


def test_the_oldest_material_allowed_builds_a_site_whose_search_works(
    oldest_site: tuple[Path, str], browser: Any
) -> None:
    site, version = oldest_site
    html = (site / "index.html").read_text("utf-8")
    assert f"mkdocs-material-{version}" in html  # the build used that Material
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto((site / "index.html").as_uri())
        titles = search(page, "Rabatt")
    finally:
        context.close()
    assert "Rabattfreigabe" in titles
