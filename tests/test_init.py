"""`playbook init`: the starter repository an organisation owns, and `schemas --out`."""

from __future__ import annotations

import datetime as dt
import errno
import io
import os
import re
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
import yaml

from sales_playbook import __version__
from sales_playbook.authoring import starter
from sales_playbook.cli import main
from sales_playbook.resources import schema_dir

from .conftest import ROOT, SAMPLE, run_main, tree_digest
from .test_commands import BLOCK_SITE_ENGINE, playbook

HOOKS_FILE = ROOT / ".pre-commit-hooks.yaml"
SCHEMAS = sorted(p.name for p in (ROOT / "schemas").glob("*.schema.json"))
STARTER_PLAYBOOK = [
    "playbook/playbook.yml",
    "playbook/glossary.yml",
    "playbook/onboarding.yml",
    "playbook/non-negotiables/rabatt-obergrenze.yml",
    "playbook/flexible-zones/gespraechsfuehrung.yml",
    "playbook/escalation-paths/rabatt-freigabe.yml",
    "playbook/qualification/lead-zu-opportunity.yml",
    "playbook/underperformance/leistungsschwaeche.yml",
]
REPOSITORY = [
    "mkdocs.yml",
    ".pre-commit-config.yaml",
    ".github/workflows/playbook.yml",
    ".github/workflows/approval.yml",
    ".github/CODEOWNERS",
    "requirements.txt",
    ".gitignore",
    "README.md",
    *(f"schemas/{name}" for name in SCHEMAS),
]


def cli(*args: str | Path) -> tuple[int, str, str]:
    """The command line in-process (init and schemas take no --today): code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main([str(a) for a in args])
    return code, out.getvalue(), err.getvalue()


def init(*args: str | Path) -> tuple[int, str, str]:
    return cli("init", *args)


def files(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_init_writes_exactly_the_starter_files(tmp_path: Path) -> None:
    org = tmp_path / "neu" / "org"  # parents are made too
    code, out, err = init(org)
    assert code == 0, err
    assert files(org) == {*STARTER_PLAYBOOK, *REPOSITORY}
    assert sorted(out.split()) == sorted(str(org / f) for f in files(org))  # all listed
    assert f"cd {org} && playbook build" in err
    for name in SCHEMAS:  # this version's schemas, byte for byte
        assert (org / "schemas" / name).read_bytes() == (schema_dir() / name).read_bytes()


def test_starter_is_valid_german_and_reviewed_today(tmp_path: Path) -> None:
    code, _, err = init(tmp_path / "org")
    assert code == 0, err
    today = dt.date.today()
    code, err = run_strict(tmp_path / "org" / "playbook", today)
    # the placeholder address is the one thing left to set: the cards' QR codes point there
    assert code == 1 and "warning[placeholder-site-url]" in err and "0 error(s)" in err
    settings_file = tmp_path / "org" / "playbook" / "playbook.yml"
    settings_file.write_text(
        settings_file.read_text("utf-8").replace("playbook.example.com", "org.github.io"), "utf-8"
    )
    code, err = run_strict(tmp_path / "org" / "playbook", today)
    assert code == 0, err
    assert "5 entries, 0 warning(s)" in err
    settings = yaml.safe_load((tmp_path / "org" / "playbook" / "playbook.yml").read_text("utf-8"))
    assert settings["language"] == "de"
    rep = settings["defaults"]["rep_role"]
    assert rep in {role["id"] for role in settings["roles"]}
    assert "# handles:" in (tmp_path / "org" / "playbook" / "playbook.yml").read_text("utf-8")
    for name in STARTER_PLAYBOOK[3:]:
        entry = yaml.safe_load((tmp_path / "org" / name).read_text("utf-8"))
        assert entry["last_reviewed"] == today.isoformat()
        assert entry["id"] == Path(name).stem


def run_strict(folder: Path, today: dt.date) -> tuple[int, str]:
    code, _, err = run_main("validate", str(folder), "--strict", today=today)
    return code, err


def test_modelines_point_at_the_schemas_copy(tmp_path: Path) -> None:
    """Editors resolve `$schema=` relative to the file: it must reach schemas/."""
    init(tmp_path / "org")
    for name in STARTER_PLAYBOOK:
        path = tmp_path / "org" / name
        first = path.read_text("utf-8").splitlines()[0]
        match = re.fullmatch(
            r"# yaml-language-server: \$schema=((?:\.\./)+schemas/[\w-]+\.schema\.json)", first
        )
        assert match, f"{name}: {first}"
        depth = "../" * (len(Path(name).parts) - 1)
        assert match.group(1).startswith(depth + "schemas/"), name
        assert (path.parent / match.group(1)).resolve().is_file(), name


def test_repository_files_pin_this_version_and_the_hook(tmp_path: Path) -> None:
    """A tool from a package index (conftest): the version pinned, in both files."""
    org = tmp_path / "org"
    init(org)
    requirements = (org / "requirements.txt").read_text("utf-8")
    assert requirements.endswith(f"\nsales-playbook[site]=={__version__}\n")

    config = yaml.safe_load((org / ".pre-commit-config.yaml").read_text("utf-8"))
    [repo] = config["repos"]
    assert repo["repo"] == "local"  # no tool repository to depend on: the index has it
    hooks = {h["id"]: h for h in yaml.safe_load(HOOKS_FILE.read_text("utf-8"))}
    assert [h["id"] for h in repo["hooks"]] == ["playbook-validate", "playbook-codeowners"]
    for hook in repo["hooks"]:  # as the tool's own .pre-commit-hooks.yaml defines them
        for key in ("name", "entry", "language", "pass_filenames", "files"):
            assert hook[key] == hooks[hook["id"]][key], (hook["id"], key)
        assert hook["additional_dependencies"] == [f"sales-playbook=={__version__}"]
    assert re.search(hooks["playbook-validate"]["files"], "mkdocs.yml")
    assert not (org / "tools").exists()

    site = yaml.safe_load((org / "mkdocs.yml").read_text("utf-8"))
    assert set(site) == {"theme"}
    assert set(site["theme"]) == {"palette"}
    text = (org / "mkdocs.yml").read_text("utf-8")
    for needed in ("# logo:", "# favicon:", "playbook/playbook.yml", "playbook build"):
        assert needed in text

    ignored = (org / ".gitignore").read_text("utf-8").split()
    for needed in ("/site/", "/build/", ".venv/", "__pycache__/"):
        assert needed in ignored
    readme = (org / "README.md").read_text("utf-8")
    for needed in ("playbook validate", "playbook serve", "playbook build", "Bearbeiten"):
        assert needed in readme


def test_starter_builds_site_and_cards(tmp_path: Path) -> None:
    org = tmp_path / "org"
    init(org)
    code, _, err = run_main(
        "build",
        str(org / "playbook"),
        "--out",
        str(org / "site"),
        "--build-dir",
        str(org / "build"),
        today=dt.date.today(),
    )
    assert code == 0, err
    assert (org / "site" / "index.html").is_file()
    for kind in ("non-negotiables", "flexible-zones", "escalation-paths"):
        assert list((org / "site" / kind).glob("*.html")), kind
    assert (org / "site" / "cards" / "decision-cards.pdf").stat().st_size > 1000
    assert (org / "site" / "cards" / "decision-cards-a4.pdf").stat().st_size > 1000


def test_sample_copies_the_full_sample(tmp_path: Path) -> None:
    org = tmp_path / "org"
    code, _, err = init(org, "--sample")
    assert code == 0, err
    assert tree_digest(org / "playbook") == tree_digest(SAMPLE)
    assert files(org) - {f for f in files(org) if f.startswith("playbook/")} == set(REPOSITORY)
    code, _, err = run_main("validate", str(org / "playbook"))
    assert code == 0, err


def test_non_empty_folder_is_refused_without_force(tmp_path: Path) -> None:
    org = tmp_path / "org"
    org.mkdir()
    (org / "notizen.txt").write_text("meins\n", "utf-8")
    code, out, err = init(org)
    assert code == 2
    assert "not empty" in err and "--force" in err
    assert "Traceback" not in err and out == ""
    assert files(org) == {"notizen.txt"}

    code, _, err = init(org, "--force")  # a file init does not write stays as it was
    assert code == 0, err
    assert files(org) == {"notizen.txt", *STARTER_PLAYBOOK, *REPOSITORY}
    assert (org / "notizen.txt").read_text("utf-8") == "meins\n"


@pytest.mark.parametrize(
    "existing", ["README.md", "playbook/glossary.yml", "schemas/defs.schema.json"]
)
def test_force_never_overwrites_and_writes_nothing(existing: str, tmp_path: Path) -> None:
    org = tmp_path / "org"
    (org / existing).parent.mkdir(parents=True)
    (org / existing).write_text("meins\n", "utf-8")
    code, out, err = init(org, "--force")
    assert out == ""
    assert code == 2
    assert f"{org / existing} exists already" in err
    assert "never overwrites" in err and "Traceback" not in err
    assert files(org) == {existing}
    assert (org / existing).read_text("utf-8") == "meins\n"


def test_a_file_in_the_way_is_refused(tmp_path: Path) -> None:
    (tmp_path / "datei").write_text("x\n", "utf-8")
    for target in ("datei", "datei/neu"):
        code, _, err = init(tmp_path / target)
        assert code == 2
        assert f"{tmp_path / 'datei'} is a file, not a folder" in err
    org = tmp_path / "org"
    org.mkdir()
    (org / "playbook").write_text("kein Ordner\n", "utf-8")  # where init needs a folder
    code, _, err = init(org, "--force")
    assert code == 2
    assert f"{org / 'playbook'} is a file" in err
    assert files(org) == {"playbook"}


def test_a_failed_write_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A disk that fills up halfway: what init wrote and the folders it made are removed."""

    def half_then_full(folder: Path) -> list[Path]:
        folder.mkdir()
        (folder / SCHEMAS[0]).write_text("{}", "utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(starter, "write_schemas", half_then_full)
    with pytest.raises(starter.StarterError, match="No space left on device"):
        starter.init_project(tmp_path / "neu" / "org")
    assert list(tmp_path.iterdir()) == []

    kept = tmp_path / "kept"
    (kept / "playbook").mkdir(parents=True)
    (kept / "notizen.txt").write_text("meins\n", "utf-8")
    with pytest.raises(starter.StarterError):
        starter.init_project(kept, force=True)
    assert files(kept) == {"notizen.txt"}
    assert (kept / "playbook").is_dir()  # a folder that was there stays


def test_write_schemas_replaces_only_schema_files(tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    folder.mkdir()
    older = '{"$comment": "Made by playbook: an older version\'s copy"}'
    (folder / "playbook.schema.json").write_text(older, "utf-8")  # an older copy
    (folder / "eigene.json").write_text("{}", "utf-8")
    code, _, err = cli("schemas", "--out", folder)
    assert code == 0, err
    assert f"wrote {len(SCHEMAS)} schemas" in err
    assert tree_digest(folder) == {**tree_digest(schema_dir()), "eigene.json": b"{}"}
    written = starter.write_schemas(tmp_path / "a" / "b")
    assert sorted(p.name for p in written) == SCHEMAS


def test_init_needs_only_the_core_install(tmp_path: Path) -> None:
    """What `pip install sales-playbook` gives (no MkDocs, no Typst) is enough. (In a
    process of its own, init sees how the tests' tool was really installed: from this
    folder, it adds the tool's wheel in tools/.)"""
    done = playbook("init", str(tmp_path / "org"), python=BLOCK_SITE_ENGINE)
    assert done.returncode == 0, done.stderr
    written = files(tmp_path / "org")
    tools = {f for f in written if f.startswith("tools/")}
    assert written - tools == {*STARTER_PLAYBOOK, *REPOSITORY}
    assert all(re.fullmatch(r"tools/sales_playbook-[^/-]+-py3-none-any\.whl", f) for f in tools)
    assert "Traceback" not in done.stderr


def test_validate_warns_when_the_schemas_copy_is_not_this_version_s(tmp_path: Path) -> None:
    """schemas/ beside the playbook folder, as init wrote it, is this version's: no
    warning. An edited or missing schema (an update of the tool without `schemas
    --out`) is a warning at that file, naming the fix; --strict fails on it."""
    org = tmp_path / "org"
    init(org)
    (org / "schemas" / "eigene.json").write_text("{}", "utf-8")  # the organisation's own
    today = dt.date.today()
    code, _, err = run_main("validate", str(org / "playbook"), today=today)
    assert code == 0 and "stale-schemas" not in err, err

    edited = org / "schemas" / SCHEMAS[-1]
    edited.write_text(edited.read_text("utf-8").replace('"type"', '"typ"', 1), "utf-8")
    code, _, err = run_main("validate", str(org / "playbook"), today=today)
    assert code == 0, err
    assert f"warning[stale-schemas]: {SCHEMAS[-1]} differs from the schemas" in err
    assert f"{org / 'schemas' / SCHEMAS[-1]}:1:1" in err or f"schemas/{SCHEMAS[-1]}:1:1" in err
    assert f"run `playbook schemas --out {org / 'schemas'}`" in err
    code, _, err = run_main("validate", str(org / "playbook"), "--strict", today=today)
    assert code == 1 and "warning[stale-schemas]" in err

    code, _, err = cli("schemas", "--out", org / "schemas")  # the fix it names
    assert code == 0, err
    (org / "schemas" / SCHEMAS[0]).unlink()
    code, _, err = run_main("validate", str(org / "playbook"), today=today)
    assert code == 0 and f"{SCHEMAS[0]} is missing from the copy" in err
    assert err.count("stale-schemas") == 1  # one warning for the copy, at its first file


@pytest.mark.parametrize("planted", ["fifo", "device", "outside", "huge"])
def test_the_schemas_copy_is_read_without_following_links_or_waiting_on_pipes(
    tmp_path: Path, planted: str
) -> None:
    """A branch can put anything into schemas/: a pipe no one writes to, a link to a
    device or to a file outside. It is no schema: a warning, read nothing, wait for
    nothing."""
    org = tmp_path / "org"
    init(org)
    target = org / "schemas" / SCHEMAS[0]
    target.unlink()
    secret = tmp_path / "secret.json"
    secret.write_text((schema_dir() / SCHEMAS[0]).read_text("utf-8"), "utf-8")
    if planted == "fifo":
        os.mkfifo(target)
    elif planted == "huge":  # 10 GB, sparse: neither compared nor shown as an excerpt
        with target.open("wb") as file:
            file.truncate(10 * 2**30)
    else:
        target.symlink_to("/dev/zero" if planted == "device" else secret)
    code, _, err = run_main("validate", str(org / "playbook"), today=dt.date.today())
    assert code == 0, err
    assert f"{SCHEMAS[0]} is no plain schema file" in err and "Traceback" not in err
