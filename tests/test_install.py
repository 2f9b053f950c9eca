"""How `playbook init` makes a repository install the tool: as the running one was
installed (`direct_url.json`, PEP 610). tests/test_adoption.py runs the whole path from a
wheel; tests/test_hooks.py the hooks from a repository at a commit."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import subprocess
import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest
import yaml

from sales_playbook.authoring import install, starter

from .conftest import ROOT

RUNNING_ORIGIN = install.running_origin  # before conftest puts an index in its place
HOOKS = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


@pytest.mark.parametrize(
    ("direct_url", "expected"),
    [
        (None, install.Origin("index", "1.2.3")),
        (
            {
                "url": "https://github.com/org/tool.git",
                "vcs_info": {"vcs": "git", "commit_id": "c0ffee", "requested_revision": "main"},
            },
            install.Origin(
                "vcs", "1.2.3", url="https://github.com/org/tool.git", vcs="git", commit="c0ffee"
            ),
        ),
        (
            {
                "url": "https://example.org/sales_playbook-1.2.3-py3-none-any.whl",
                "archive_info": {"hashes": {"sha256": "ab12"}},
            },
            install.Origin(
                "url",
                "1.2.3",
                url="https://example.org/sales_playbook-1.2.3-py3-none-any.whl",
                sha256="ab12",
            ),
        ),
        (
            {
                "url": "file:///tmp/dl/sales_playbook-1.2.3%2Bg1-py3-none-any.whl",
                "archive_info": {"hash": "sha256=ab12"},  # the older, single field
            },
            install.Origin(
                "wheel",
                "1.2.3",
                url="/tmp/dl/sales_playbook-1.2.3+g1-py3-none-any.whl",
                sha256="ab12",
            ),
        ),
        (
            {"url": "file:///work/sales-playbook", "dir_info": {}},
            install.Origin("local", "1.2.3", url="/work/sales-playbook"),
        ),
        (  # a repository on this machine: CI cannot reach it, so its files go to tools/
            {"url": "file:///work/tool.git", "vcs_info": {"vcs": "git", "commit_id": "c0ffee"}},
            install.Origin("local", "1.2.3", url="/work/tool.git"),
        ),
    ],
    ids=["index", "vcs", "url", "wheel", "folder", "local-vcs"],
)
def test_direct_url_json_says_where_the_tool_came_from(
    direct_url: dict[str, object] | None, expected: install.Origin
) -> None:
    text = None if direct_url is None else json.dumps(direct_url)
    assert install.origin_of(text, "1.2.3") == expected


def test_a_damaged_direct_url_json_is_a_clear_error() -> None:
    with pytest.raises(install.InstallError, match=r"direct_url\.json of sales-playbook"):
        install.origin_of("{not json", "1.2.3")
    with pytest.raises(install.InstallError, match="url"):
        install.origin_of('{"dir_info": {}}', "1.2.3")


def config_of(org: Path) -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load((org / ".pre-commit-config.yaml").read_text())
    return data


def requirement_of(org: Path) -> str:
    return (org / "requirements.txt").read_text("utf-8").splitlines()[-1]


def test_from_a_git_repository_that_url_at_its_commit_and_its_hooks(tmp_path: Path) -> None:
    origin = install.Origin(
        "vcs", "1.2.3", url="https://github.com/org/tool.git", vcs="git", commit="c0ffee"
    )
    starter.init_project(tmp_path / "org", install=install.install_for(origin))
    org = tmp_path / "org"
    assert (
        requirement_of(org) == "sales-playbook[site] @ git+https://github.com/org/tool.git@c0ffee"
    )
    assert config_of(org)["repos"] == [
        {
            "repo": "https://github.com/org/tool.git",
            "rev": "c0ffee",
            "hooks": [{"id": "playbook-validate"}, {"id": "playbook-codeowners"}],
        }
    ]


@pytest.mark.parametrize(
    ("origin", "requirement", "dependency"),
    [
        (
            install.Origin("vcs", "1", url="https://hg.example/tool", vcs="hg", commit="c0ffee"),
            "sales-playbook[site] @ hg+https://hg.example/tool@c0ffee",
            "sales-playbook @ hg+https://hg.example/tool@c0ffee",
        ),
        (
            install.Origin(
                "vcs", "1", url="https://g.example/mono", vcs="git", commit="c0", subdirectory="t"
            ),
            "sales-playbook[site] @ git+https://g.example/mono@c0#subdirectory=t",
            "sales-playbook @ git+https://g.example/mono@c0#subdirectory=t",
        ),
        (
            install.Origin("url", "1", url="https://example.org/t.whl", sha256="ab12"),
            "sales-playbook[site] @ https://example.org/t.whl#sha256=ab12",
            "sales-playbook @ https://example.org/t.whl#sha256=ab12",
        ),
    ],
    ids=["mercurial", "git-subdirectory", "url"],
)
def test_where_no_hook_repository_exists_local_hooks_install_the_same(
    origin: install.Origin, requirement: str, dependency: str, tmp_path: Path
) -> None:
    org = tmp_path / "org"
    starter.init_project(org, install=install.install_for(origin))
    assert requirement_of(org) == requirement
    [repo] = config_of(org)["repos"]  # type: ignore[misc]
    assert repo["repo"] == "local"
    for hook in repo["hooks"]:
        assert hook["language"] == "python"
        assert hook["additional_dependencies"] == [dependency]
        for key in ("name", "entry", "pass_filenames", "files"):
            assert hook[key] == HOOKS[hook["id"]][key], (hook["id"], key)


def test_a_local_wheel_is_copied_into_tools_and_installed_from_there(tmp_path: Path) -> None:
    wheel = tmp_path / "dl" / "sales_playbook-1.2.3-py3-none-any.whl"
    wheel.parent.mkdir()
    wheel.write_bytes(b"PK the wheel")
    origin = install.Origin(
        "wheel", "1.2.3", url=str(wheel), sha256=hashlib.sha256(b"PK the wheel").hexdigest()
    )
    assert install.local_wheel(origin) == (wheel.name, b"PK the wheel")  # byte for byte
    org = tmp_path / "org"
    written = starter.init_project(org, install=install.install_for(origin, (wheel.name, b"PK")))
    assert org / "tools" / wheel.name in written
    assert (org / "tools" / wheel.name).read_bytes() == b"PK"
    assert requirement_of(org) == f"./tools/{wheel.name}[site]"
    [repo] = config_of(org)["repos"]  # type: ignore[misc]
    assert repo["repo"] == "local"
    for hook in repo["hooks"]:  # pre-commit cannot install from a path in the repository
        assert hook["language"] == "system"
        assert "additional_dependencies" not in hook
        for key in ("name", "entry", "pass_filenames", "files"):
            assert hook[key] == HOOKS[hook["id"]][key], (hook["id"], key)
    assert f"tools/{wheel.name}" in (org / ".pre-commit-config.yaml").read_text("utf-8")


def test_init_never_overwrites_a_wheel_in_tools(tmp_path: Path) -> None:
    org = tmp_path / "org"
    (org / "tools").mkdir(parents=True)
    (org / "tools" / "sales_playbook-1-py3-none-any.whl").write_bytes(b"mine")
    how = install.install_for(
        install.Origin("wheel", "1", url="/x"), ("sales_playbook-1-py3-none-any.whl", b"new")
    )
    with pytest.raises(starter.StarterError, match="never overwrites"):
        starter.init_project(org, force=True, install=how)
    assert (org / "tools" / "sales_playbook-1-py3-none-any.whl").read_bytes() == b"mine"
    assert sorted(p.name for p in org.rglob("*")) == ["sales_playbook-1-py3-none-any.whl", "tools"]


def fake_site(folder: Path) -> metadata.Distribution:
    """An installed distribution as pip leaves it: files, metadata, RECORD with a script
    outside site-packages and byte code."""
    info = folder / "sales_playbook-1.2.3.dist-info"
    (folder / "sales_playbook" / "__pycache__").mkdir(parents=True)
    info.mkdir()
    files = {
        "sales_playbook/__init__.py": b"__version__ = '1.2.3'\n",
        "sales_playbook/__pycache__/__init__.cpython-311.pyc": b"byte code",
        f"{info.name}/METADATA": b"Metadata-Version: 2.4\nName: sales-playbook\nVersion: 1.2.3\n",
        f"{info.name}/WHEEL": b"Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        f"{info.name}/entry_points.txt": b"[console_scripts]\nplaybook = sales_playbook.cli:main\n",
        f"{info.name}/INSTALLER": b"pip\n",
        f"{info.name}/direct_url.json": b'{"url": "file:///src", "dir_info": {}}',
    }
    for name, content in files.items():
        (folder / name).write_bytes(content)
    record = "".join(f"{name},,\n" for name in files) + "../../../bin/playbook,,\n"
    (info / "RECORD").write_text(record + f"{info.name}/RECORD,,\n", "utf-8")
    return metadata.PathDistribution(info)


def test_a_folder_install_is_repacked_from_its_record_into_a_wheel_pip_installs(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    found = fake_site(site)
    listed = [(str(f), Path(str(found.locate_file(f)))) for f in found.files or ()]
    name, content = install.repacked("sales-playbook", "1.2.3", listed, site)
    assert name == "sales_playbook-1.2.3-py3-none-any.whl"
    assert install.repacked("sales-playbook", "1.2.3", listed, site)[1] == content  # reproducible
    archive = zipfile.ZipFile(io.BytesIO(content))
    info = "sales_playbook-1.2.3.dist-info"
    assert sorted(archive.namelist()) == sorted(
        [
            "sales_playbook/__init__.py",
            f"{info}/METADATA",
            f"{info}/WHEEL",
            f"{info}/entry_points.txt",
            f"{info}/RECORD",
        ]
    )  # no script, no byte code, nothing pip adds when it installs
    record = archive.read(f"{info}/RECORD").decode()
    body = archive.read("sales_playbook/__init__.py")
    digest = base64.urlsafe_b64encode(hashlib.sha256(body).digest()).rstrip(b"=").decode()
    assert f"sales_playbook/__init__.py,sha256={digest},{len(body)}\n" in record
    wheel = tmp_path / name
    wheel.write_bytes(content)
    target = tmp_path / "target"
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index",
         "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (target / "sales_playbook" / "__init__.py").read_bytes() == body


def test_a_wheel_gone_or_changed_since_is_repacked_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = fake_site(tmp_path / "site")
    monkeypatch.setattr(install, "installed_distribution", lambda: found)
    (tmp_path / "changed.whl").write_bytes(b"other")
    for path in (tmp_path / "gone.whl", tmp_path / "changed.whl"):
        origin = install.Origin("wheel", "1.2.3", url=str(path), sha256="00")
        name, content = install.local_wheel(origin)
        assert name == "sales_playbook-1.2.3-py3-none-any.whl"
        assert "sales_playbook/__init__.py" in zipfile.ZipFile(io.BytesIO(content)).namelist()


def test_a_repack_that_misses_a_file_says_reinstall(tmp_path: Path) -> None:
    site = tmp_path / "site"
    found = fake_site(site)
    (site / "sales_playbook" / "__init__.py").unlink()
    listed = [(str(f), Path(str(found.locate_file(f)))) for f in found.files or ()]
    with pytest.raises(install.InstallError, match="reinstall sales-playbook"):
        install.repacked("sales-playbook", "1.2.3", listed, site)


def test_the_running_tool_s_origin_is_read_from_its_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = fake_site(tmp_path / "site")
    monkeypatch.setattr(install, "installed_distribution", lambda: found)
    assert RUNNING_ORIGIN() == install.Origin("local", "1.2.3", url="/src")
    monkeypatch.setattr(install, "installed_distribution", lambda: None)
    assert RUNNING_ORIGIN() == install.Origin("source", install.SOURCE_VERSION)


def test_from_a_source_folder_the_pin_with_a_warning_that_says_how_to_fix(tmp_path: Path) -> None:
    done = subprocess.run(  # not in-process: the warning goes to the real stderr
        [sys.executable, "-c", "from sales_playbook.authoring import install; "
         "install.running_origin = lambda: install.Origin('source', '0.1.0.dev0'); "
         "from sales_playbook.cli import main; raise SystemExit(main())",
         "init", str(tmp_path / "org")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "playbook: warning: this playbook runs from a source folder" in done.stderr
    assert "pip install" in done.stderr  # how to fix
    text = (tmp_path / "org" / "requirements.txt").read_text("utf-8")
    assert text.endswith("\nsales-playbook[site]==0.1.0.dev0\n")
    assert "# NOTE: `playbook init` ran from a source folder" in text


def test_the_installed_tool_knows_where_it_came_from() -> None:
    """However the tests' tool was installed, init can reproduce it: from this folder
    (`make test`) the real installed files repack into a wheel of this version."""
    origin = RUNNING_ORIGIN()
    if origin.kind == "source":  # run from the source folder (PYTHONPATH)
        assert install.installed_distribution() is None
        return
    assert origin.version == install.installed_distribution().version  # type: ignore[union-attr]
    if origin.kind in ("wheel", "local"):
        name, content = install.local_wheel(origin)
        assert name.startswith(f"sales_playbook-{origin.version}-")
        names = zipfile.ZipFile(io.BytesIO(content)).namelist()
        assert "sales_playbook/cli.py" in names
        assert "sales_playbook/schemas/playbook.schema.json" in names


def test_a_repack_takes_nothing_from_outside_site_packages(tmp_path: Path) -> None:
    """A tampered RECORD naming an absolute path, a `..` inside, or a link leading out:
    none of it goes into the wheel that init commits to the organisation's repository."""
    site = tmp_path / "site"
    found = fake_site(site)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the repository", "utf-8")
    (site / "sales_playbook" / "link.txt").symlink_to(secret)
    record = next(site.glob("*.dist-info")) / "RECORD"
    record.write_text(
        record.read_text("utf-8")
        + f"{secret},,\nsales_playbook/../../secret.txt,,\nsales_playbook/link.txt,,\n",
        "utf-8",
    )
    listed = [(str(f), Path(str(found.locate_file(f)))) for f in found.files or ()]
    _, content = install.repacked("sales-playbook", "1.2.3", listed, site)
    archive = zipfile.ZipFile(io.BytesIO(content))
    assert not any(b"not for the repository" in archive.read(n) for n in archive.namelist())
    assert "sales_playbook/__init__.py" in archive.namelist()
