"""The distribution: a wheel installed outside this checkout works on its own."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

from .conftest import ROOT

# every stage package of generator/ (CONTRIBUTING.md)
STAGES = sorted(p.parent.name for p in (ROOT / "generator").glob("*/__init__.py"))


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        check=False,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist, and the wheel built from it (as a release builds them)."""
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: hatchling and hatch-vcs come from the test environment, no download
    run(sys.executable, "-m", "build", "--no-isolation", "--outdir", out, ROOT, cwd=out)
    return out


@pytest.fixture(scope="module")
def wheel(dist: Path) -> Path:
    (built,) = dist.glob("sales_playbook-*.whl")
    return built


def test_twine_check_passes_the_sdist_and_the_wheel(dist: Path) -> None:
    """What PyPI would refuse (a README that does not render, bad metadata) fails here."""
    built = sorted(dist.iterdir())
    assert [p.name.endswith(".tar.gz") or p.suffix == ".whl" for p in built] == [True, True]
    done = run(sys.executable, "-m", "twine", "check", "--strict", *built, cwd=dist)
    assert done.stdout.count("PASSED") == 2, done.stdout


def test_the_sdist_holds_the_sources_the_licences_and_the_changelog(dist: Path) -> None:
    (sdist,) = dist.glob("sales_playbook-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {n.split("/", 1)[1] for n in archive.getnames() if "/" in n}
    for needed in (
        "pyproject.toml",
        "README.md",
        "LICENSE",
        "THIRD_PARTY.md",
        "CHANGELOG.md",
        "PKG-INFO",
        "generator/cli.py",
        "schemas/playbook.schema.json",
        "site_templates/cards/fonts/LICENSE",
        "playbook/playbook.yml",
    ):
        assert needed in names, needed
    assert not [n for n in names if n.startswith(("tests/", "bench/", "node_modules/"))]


def test_the_version_is_the_git_tag_s_and_the_package_says_the_same(wheel: Path) -> None:
    """hatch-vcs: no tag yet, so a development release; the package reads it back from its
    installed metadata (tests/test_adoption.py installs this wheel and runs --version)."""
    version = wheel.name.split("-")[1]
    assert str(Version(version)) == version  # PEP 440, normalised
    described = subprocess.run(
        ["git", "-C", str(ROOT), "describe", "--tags", "--match", "v*"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if described.returncode == 0 and described.stdout.strip() == f"v{version}":
        assert not Version(version).is_devrelease  # built right at a release tag
    else:
        assert Version(version).is_devrelease, version


def test_wheel_holds_the_package_and_its_data_only(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names}
    assert top == {"sales_playbook", wheel.name.split("-py3")[0] + ".dist-info"}
    assert not [n for n in names if "/tests/" in n or "/bench/" in n or n.endswith(".pyc")]
    for needed in (
        "sales_playbook/cli.py",
        "sales_playbook/model/kinds.py",
        *(f"sales_playbook/{stage}/__init__.py" for stage in STAGES),
        "sales_playbook/commands/build.py",
        "sales_playbook/schemas/escalation-path.schema.json",
        "sales_playbook/site_templates/mkdocs.yml",
        "sales_playbook/site_templates/pages/index.md.j2",
        "sales_playbook/site_templates/i18n/de.yml",
        "sales_playbook/site_templates/assets/javascripts/decision-helper.js",
        "sales_playbook/sample/playbook.yml",
    ):
        assert needed in names, needed
    # a licence organisations can adopt it under, and the bundled files' own
    [metadata] = [n for n in names if n.endswith(".dist-info/METADATA")]
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    assert "License-Expression: MIT\n" in text
    licences = {n.split(".dist-info/licenses/", 1)[1] for n in names if ".dist-info/licenses/" in n}
    assert licences == {
        "LICENSE",
        "THIRD_PARTY.md",
        "site_templates/cards/fonts/LICENSE",
    }
    for licence in sorted(licences):
        assert f"License-File: {licence}\n" in text, licence
    [mit] = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert "MIT License" in zipfile.ZipFile(wheel).read(mit).decode()


def test_installed_wheel_inits_validates_builds_and_prints_cards(
    wheel: Path, tmp_path: Path
) -> None:
    """A fresh venv outside the checkout: `playbook init`, then validate, build and cards.

    The dependencies come from the test environment (a .pth file), so the test needs no
    network; the package itself comes only from the wheel.
    """
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    py = venv / "bin" / "python"
    run(py, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", wheel, cwd=tmp_path)
    fresh_site = run(py, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp_path).stdout.strip()  # fmt: skip
    (Path(fresh_site) / "zz_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", "utf-8"
    )
    where = run(py, "-c", "import sales_playbook; print(sales_playbook.__file__)", cwd=tmp_path)
    assert where.stdout.startswith(str(venv)), where.stdout

    command = venv / "bin" / "playbook"
    said = run(command, "--version", cwd=tmp_path).stdout.split()
    assert said == ["playbook", wheel.name.split("-")[1]]  # the metadata's, from the tag
    work = tmp_path / "anywhere"
    work.mkdir()
    run(command, "init", "org", cwd=work)
    org = work / "org"
    run(command, "validate", cwd=org)
    run(command, "build", cwd=org)
    assert (org / "site" / "index.html").is_file()
    assert (org / "site" / "cards" / "decision-cards.pdf").stat().st_size > 1000
    assert (org / "site" / "cards" / "decision-cards-a4.pdf").stat().st_size > 1000
    run(command, "cards", "playbook", "--size", "A7", "--out", "print", cwd=org)
    assert (org / "print" / "decision-cards.pdf").stat().st_size > 1000
    assert not (ROOT / "org").exists()
